"""WSGI entry point: ``gunicorn jeugdhulp.wsgi`` (``jeugdhulp serve`` uses it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdhulp.settings")
application = get_wsgi_application()
