from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JeugdhulpAdminSite(admin.AdminSite):
    """The admin, for a beheerder only (the ``core.access_admin`` permission), not ``is_staff``."""

    site_header = _("jeugdhulp — beheer")
    site_title = _("jeugdhulp beheer")
    index_title = _("Beheer")

    def has_permission(self, request):
        return request.user.is_active and request.user.has_perm("core.access_admin")

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")


class JeugdhulpAdminConfig(AdminConfig):
    default_site = "jeugdhulp.core.admin_site.JeugdhulpAdminSite"
