"""Every API call is audited with the caller's username, whichever view it reaches.

The audit middleware reads the user when an event is written, so a user authenticated by DRF
inside the view (an API token) is the actor; no view has to remember to arrange it. This walks
every URL under /api/: each is either called here with a token and must leave audit rows that
all carry the caller's name, or is listed as touching no personal data.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.tests.test_api import body
from jeugdhulp.api.tests.test_api import api
from jeugdhulp.audit.models import AuditEvent
from jeugdhulp.rounds.tests import conftest as rounds_fixtures

# The rounds app's fixtures: a round inviting the world's partners, and a file to deliver.
ronde = rounds_fixtures.ronde
partner_file = rounds_fixtures.partner_file


def api_url_names() -> set[str]:
    """Namespaced names of every URL pattern below /api/."""
    found: set[str] = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and route.startswith("api/"):
                found.add(f"{namespace}{entry.name}")

    walk(get_resolver().url_patterns, "", "")
    return found


def _registered(world):
    from jeugdhulp.aanmeldingen.workflow import register

    return register(world["aanmelder"], registration())


def _upload(world, ronde, partner_file):
    content = partner_file(4).read_bytes()
    upload = SimpleUploadedFile("levering.csv", content, content_type="text/csv")
    return "voorziening", "post", f"/api/v1/rondes/{ronde.pk}/aanleveringen/", {"bestand": upload}


# URL name -> how a caller reads or writes personal data through it: (user, method, url, data).
PERSONAL_DATA_CALLS = {
    "api:aanleveringen": _upload,
    "api:aanmelding-list": lambda world, ronde, partner_file: (
        "voorziening",
        "get",
        f"/api/v1/aanmeldingen/?gemeente={_registered(world).gemeente}",
        None,
    ),
    "api:aanmelding-detail": lambda world, ronde, partner_file: (
        "voorziening",
        "get",
        f"/api/v1/aanmeldingen/{_registered(world).pk}/",
        None,
    ),
    "api:aanmelding-gebeurtenissen": lambda world, ronde, partner_file: (
        "voorziening",
        "post",
        f"/api/v1/aanmeldingen/{_registered(world).pk}/gebeurtenissen/",
        {"type": "wachtlijst"},
    ),
}
# Registering (POST on the list) writes a family's contact details: audited as well.
REGISTRATION = ("aanmelder", "post", "/api/v1/aanmeldingen/", body())
# URL name -> why a call there reads and writes no personal data.
NO_PERSONAL_DATA = {
    "api:ik": "the caller's own roles and organisations",
    "api:kpi": "aggregated figures of a network",
    "api:organisatie-list": "organisations, no people",
    "api:schema": "the OpenAPI document",
}


def test_every_api_url_is_classified_for_the_audit():
    unclassified = api_url_names() - set(PERSONAL_DATA_CALLS) - set(NO_PERSONAL_DATA)
    assert not unclassified, f"say whether these read or write personal data: {unclassified}"
    assert set(PERSONAL_DATA_CALLS) | set(NO_PERSONAL_DATA) <= api_url_names()


@pytest.mark.parametrize("name", [*sorted(PERSONAL_DATA_CALLS), "registration"])
def test_a_token_call_is_audited_with_the_callers_username(world, ronde, partner_file, name):
    if name == "registration":
        who, method, url, data = REGISTRATION
    else:
        who, method, url, data = PERSONAL_DATA_CALLS[name](world, ronde, partner_file)
    client = api(world[who])  # issuing the token is audited too (by the command's user)
    before = AuditEvent.objects.order_by("id").last()
    fmt = "multipart" if name == "api:aanleveringen" else "json"
    response = getattr(client, method)(url, data, format=fmt) if data else client.get(url)
    assert response.status_code in (200, 201), response.content
    during = AuditEvent.objects.filter(id__gt=before.id if before else 0)
    assert during.exists()
    assert set(during.values_list("username", flat=True)) == {world[who].username}
    assert set(during.values_list("user_id", flat=True)) == {world[who].pk}


def test_an_upload_through_the_api_is_audited_with_its_user(world, ronde, partner_file):
    with partner_file(4).open("rb") as handle:
        answer = api(world["voorziening"]).post(
            f"/api/v1/rondes/{ronde.pk}/aanleveringen/", {"bestand": handle}, format="multipart"
        )
    assert answer.status_code == 201
    created = AuditEvent.objects.get(object_type="rounds.upload", action="create")
    assert created.username == "voorziening"


def test_an_api_call_through_the_trusted_proxy_is_audited_with_the_callers_address(world, settings):
    from jeugdhulp import envconfig

    settings.JEUGDHULP_TRUSTED_PROXIES = envconfig.trusted_proxies(
        {"JEUGDHULP_TRUSTED_PROXIES": "10.0.0.5"}
    )
    client = api(world["aanmelder"])
    client.defaults.update(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    before = AuditEvent.objects.order_by("id").last().id
    assert client.post("/api/v1/aanmeldingen/", body(), format="json").status_code == 201
    during = AuditEvent.objects.filter(id__gt=before)
    assert set(during.values_list("ip_address", flat=True)) == {"198.51.100.7"}
