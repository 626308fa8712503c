from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog


class JeugdhulpAdminSite(admin.AdminSite):
    """The admin, for a beheerder only (the ``core.access_admin`` permission), not ``is_staff``.

    The sections and pages inside follow the model permissions that each app's ``rules.py``
    registers (``accounts.permissions.add_model_perms`` / ``add_admin_module``), so a beheerder
    sees organisations, people, roles, reference data and the audit log, and nobody else sees
    the admin at all."""

    site_header = _("jeugdhulp — beheer")
    site_title = _("jeugdhulp beheer")
    index_title = _("Beheer")

    def has_permission(self, request):
        return request.user.is_active and request.user.has_perm("core.access_admin")

    def i18n_javascript(self, request, extra_context=None):
        """The admin's JavaScript texts, with core's Dutch for those Django's Dutch catalog
        lacks (the two-box selector of ``filter_horizontal``: "Alle … kiezen")."""
        return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "jeugdhulp.core"])(
            request
        )

    def login(self, request, extra_context=None):
        """The admin has no login form of its own: the platform's login page, then back.

        The admin sends a visitor without access here with ``?next=<admin page>``. Signed out:
        to the login page with that ``next``. Signed in with access (just logged in, or a
        bookmark): on to ``next``. Signed in without access: 403."""
        target = _safe_next(request) or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")
        if self.has_permission(request):
            return HttpResponseRedirect(target)
        raise PermissionDenied


def _safe_next(request) -> str | None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


class JeugdhulpAdminConfig(AdminConfig):
    default_site = "jeugdhulp.core.admin_site.JeugdhulpAdminSite"
