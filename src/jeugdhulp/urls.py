from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from jeugdhulp.core import views as core_views
from jeugdhulp.core.password_reset import RateLimitedPasswordResetView
from jeugdhulp.results.views import client_routes_page

urlpatterns = [
    # Django's language switch, with the page to return to read in its own language.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/", include("jeugdhulp.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("jeugdhulp.core.urls")),
    # Before django.contrib.auth's own password_reset (in accounts' URLs): rate-limited.
    path(
        "accounts/password_reset/",
        RateLimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("jeugdhulp.accounts.urls")),
    path("audit/", include("jeugdhulp.audit.urls")),
    path("referentie/", include("jeugdhulp.reference.urls")),
    path("rondes/", include("jeugdhulp.rounds.urls")),
    path("resultaten/", include("jeugdhulp.results.urls")),
    path("aanmeldingen/", include("jeugdhulp.aanmeldingen.urls")),
    path("triage/", include("jeugdhulp.triage.urls")),
    # Reporting over rounds and requests (the results app), at its address since it began.
    path("triage/routes/", client_routes_page, name="client_routes"),
    path("beheer/", admin.site.urls),
    prefix_default_language=False,
)

# Error pages in Dutch, in the platform's layout, with a way back (jeugdhulp.core.errors).
handler403 = "jeugdhulp.core.errors.permission_denied"
handler404 = "jeugdhulp.core.errors.page_not_found"
handler500 = "jeugdhulp.core.errors.server_error"
