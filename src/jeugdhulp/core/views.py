from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from jeugdhulp.accounts.models import Membership, MembershipStatus


def home(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .exclude(status=MembershipStatus.GEWEIGERD)
        .select_related("organisatie")
        .order_by("organisatie__naam", "rol")
    )
    return render(request, "core/home.html", {"memberships": memberships})


def set_language(request):
    """Django's ``set_language``, with the page to return to read in its own language.

    Django translates ``next`` into the chosen language by resolving it in the language of the
    switch's own request (taken from the cookie or the browser, ``/i18n/`` has no prefix): an
    English page ``/en/…`` asked from a Dutch browser did not resolve, and the switch to Dutch
    left the reader on ``/en/…``. The language of ``next`` is the one of its prefix, or the
    default for a path without one."""
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    with translation.override(_language_of(next_url)):
        response = django_set_language(request)
    chosen = request.POST.get("language")
    if response.status_code == 302 and chosen in dict(settings.LANGUAGES):
        response["Location"] = _translate_inner_next(response["Location"], chosen)
    return response


def _language_of(url: str) -> str:
    return translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE


def _translate_inner_next(url: str, language: str) -> str:
    """The login page's own ``?next=`` in the chosen language too, so that a reader who
    switches on the login page lands in that language after logging in."""
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    inner = query.get("next", "")
    if not inner.startswith("/") or inner.startswith("//"):
        return url
    with translation.override(_language_of(inner)):
        query["next"] = translate_url(inner, language)
    return urlunsplit(parts._replace(query=query.urlencode(safe="/")))
