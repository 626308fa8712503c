"""API tokens are issued and revoked with ``jeugdhulp token`` only (audited, with an expiry).

django-rest-knox registers an admin page that lets any admin user create a token for any other
user, without an expiry if they wish, and read it: a way to act as someone else through the API.
It is imported here first (admin modules load in INSTALLED_APPS order, ours before knox's) and
removed.
"""

import knox.admin  # noqa: F401 - registers knox's page, which is removed below
from django.contrib import admin
from knox.models import AuthToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)
