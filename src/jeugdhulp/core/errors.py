"""The error pages (404, 403, 500, a refused form), in Dutch and in the platform's layout,
each with a way on: the home page, or the login page for a visitor who is not signed in.

Wired in ``jeugdhulp.urls`` (``handler404``/``handler403``/``handler500``) and
``settings.CSRF_FAILURE_VIEW``. The lock-out after too many failed logins is django-axes'
``registration/locked_out.html``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorPage:
    status: int
    title: str
    paragraphs: tuple[str, ...]


NOT_FOUND = ErrorPage(
    404,
    _("Pagina niet gevonden"),
    (
        _(
            "Deze pagina bestaat niet (meer), of het adres is niet helemaal juist. Kies de pagina "
            "opnieuw via het menu of de startpagina."
        ),
    ),
)
FORBIDDEN = ErrorPage(
    403,
    _("Geen toegang"),
    (
        _(
            "U hebt geen toegang tot deze pagina met uw rol. Denkt u dat u die toegang nodig "
            "hebt, vraag het dan aan de organisatiebeheerder of de beheerder van het platform."
        ),
    ),
)
CSRF_FAILED = ErrorPage(
    403,
    _("Formulier niet aanvaard"),
    (
        _(
            "Het formulier is verlopen of werd niet vanuit deze pagina verstuurd, en is daarom "
            "niet verwerkt. Dat gebeurt bijvoorbeeld na lang wachten, of wanneer cookies "
            "uitgeschakeld zijn."
        ),
        _("Ga terug, laad de pagina opnieuw en verstuur het formulier nog eens."),
    ),
)
SERVER_ERROR = ErrorPage(
    500,
    _("Er ging iets mis"),
    (
        _(
            "Er liep iets mis op de server; uw vraag is niet (volledig) verwerkt. De beheerder "
            "is op de hoogte. Probeer het over enkele minuten opnieuw."
        ),
    ),
)


def _render(request, page: ErrorPage) -> HttpResponse:
    """The page in the platform's layout; for a server error that layout may itself fail (it
    reads the user's roles for the menu), and then a plain page without database is shown."""
    try:
        content = render_to_string("errors/page.html", {"error": page}, request=request)
    except Exception:
        if page.status != 500:
            raise
        logger.exception("The error page in the platform's layout failed; the plain one instead.")
        content = render_to_string("errors/plain.html")
    return HttpResponse(content, status=page.status)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, NOT_FOUND)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, FORBIDDEN)


def csrf_failure(request, reason=""):
    return _render(request, CSRF_FAILED)


@requires_csrf_token
def server_error(request):
    return _render(request, SERVER_ERROR)
