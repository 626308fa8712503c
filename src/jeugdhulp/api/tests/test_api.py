"""The API's shared plumbing: token authentication, the caller and the organisations they see,
the token command and the OpenAPI document. The request monitor's endpoints are tested in
``aanmeldingen/tests/test_api.py``, the upload endpoint in ``rounds/tests``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from jeugdhulp.api.tokens import issue


def api(user) -> APIClient:
    client = APIClient()
    _, key = issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_anonymous_calls_are_refused(world):
    assert APIClient().get("/api/v1/ik/").status_code == 401


def test_ik_and_organisations(world):
    answer = api(world["aanmelder"]).get("/api/v1/ik/").json()
    assert answer == {
        "gebruikersnaam": "aanmelder",
        "rollen": ["aanmelder"],
        "organisaties": ["IN-2"],
        "netwerken": ["IROJ-T", "NET-T"],
    }
    codes = [o["code"] for o in api(world["aanmelder"]).get("/api/v1/organisaties/").json()]
    assert "OUT-1" not in codes and {"IN-1", "IN-2", "NET-T"} <= set(codes)


def test_token_command_prints_a_new_key_each_time_shown_once(world):
    first, second = StringIO(), StringIO()
    call_command("token", "aanmelder", stdout=first, stderr=StringIO())
    call_command("token", "aanmelder", stdout=second, stderr=StringIO())
    keys = [first.getvalue().strip(), second.getvalue().strip()]
    assert keys[0] != keys[1]
    for key in keys:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/ik/").json()["gebruikersnaam"] == "aanmelder"
    assert AuthToken.objects.filter(user=world["aanmelder"]).count() == 2
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("token", "niemand")


def test_openapi_document(client):
    answer = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = answer.json()["paths"]
    for path in (
        "/api/v1/ik/",
        "/api/v1/organisaties/",
        "/api/v1/aanmeldingen/",
        "/api/v1/aanmeldingen/{id}/",
        "/api/v1/aanmeldingen/{id}/gebeurtenissen/",
        "/api/v1/kpi/",
    ):
        assert path in paths
