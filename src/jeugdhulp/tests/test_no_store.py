"""No answer with personal data may be kept by a browser cache or a proxy (#12 finding 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jeugdhulp.api.tokens import issue
from jeugdhulp.core.middleware import NO_STORE


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_request_page_with_the_familys_contact_details_is_not_stored(client, world, request_in):
    client.force_login(world["voorziening"])
    page = client.get(reverse("aanmeldingen:detail", args=[request_in.pk]))
    assert page.status_code == 200
    assert "089 12 34 56" in page.content.decode()  # the decrypted phone number is on it
    assert page["Cache-Control"] == NO_STORE


def test_the_request_api_with_contact_details_is_not_stored(world, request_in):
    client = APIClient()
    _, key = issue(world["voorziening"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get(f"/api/v1/aanmeldingen/{request_in.pk}/")
    assert answer.status_code == 200
    assert "089 12 34 56" in answer.content.decode()
    assert _no_store(answer)
    assert _no_store(client.get("/api/v1/aanmeldingen/"))
    # Refused API calls are not cached either.
    assert _no_store(APIClient().get("/api/v1/aanmeldingen/"))


@pytest.mark.parametrize("name", ["aanmeldingen:lijst", "aanmeldingen:export", "home"])
def test_lists_exports_and_pages_of_a_signed_in_user_are_not_stored(client, world, name):
    client.force_login(world["coordinator"])
    response = client.get(reverse(name), {"netwerk": "NET-T"})
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_static_files_stay_cacheable_for_a_signed_in_user(client, world):
    client.force_login(world["coordinator"])
    response = client.get("/static/jeugdhulp/base.css")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    assert not _no_store(response)


def test_the_login_page_for_anonymous_visitors_is_not_stored(client, db):
    # Django's login view marks itself never_cache; the middleware leaves that alone.
    assert _no_store(client.get(reverse("login")))
