"""The language switch: both directions, from every page, logged in or not, whatever language
the browser or an earlier choice asks for."""

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role


def switch(client, language, next_url, **headers):
    return client.post(
        reverse("set_language"), {"language": language, "next": next_url}, headers=headers
    )


def test_the_buttons_post_the_platforms_language_codes(client, db):
    body = client.get(reverse("login")).content.decode()
    # "nl-be", not the "nl" of Django's language info (which led to /nl/…: not found).
    assert 'value="nl-be" lang="nl-BE" aria-pressed="true" disabled>Nederlands</button>' in body
    assert 'value="en" lang="en">English</button>' in body
    english = client.get("/en/accounts/login/").content.decode()
    assert 'value="nl-be" lang="nl-BE">Nederlands</button>' in english
    assert 'aria-pressed="true" disabled>English</button>' in english


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("en", "/accounts/login/?next=/", "/en/accounts/login/?next=/en/"),
        ("nl-be", "/en/accounts/login/?next=/en/", "/accounts/login/?next=/"),
        ("nl-be", "/en/", "/"),
        ("en", "/", "/en/"),
        ("nl-be", "/accounts/login/", "/accounts/login/"),
    ],
)
@pytest.mark.parametrize("browser", ["nl-BE,nl", "en-US,en"])
def test_the_switch_returns_to_the_same_page_in_the_chosen_language(
    client, db, language, next_url, expected, browser
):
    response = switch(client, language, next_url, accept_language=browser)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_switching_back_to_dutch_after_english_was_chosen(client, db):
    switch(client, "en", "/accounts/login/")
    response = switch(client, "nl-be", "/en/accounts/login/")
    assert response["Location"] == "/accounts/login/"
    body = client.get(response["Location"]).content.decode()
    assert '<html lang="nl-BE">' in body and "Aanmelden" in body


def test_the_switch_works_inside_the_app(client, make_user, network):
    client.force_login(make_user(Role.COORDINATOR, network["network"]))
    response = switch(client, "en", "/aanmeldingen/?status=aangemeld")
    assert response["Location"] == "/en/aanmeldingen/?status=aangemeld"
    assert '<html lang="en">' in client.get(response["Location"]).content.decode()
    response = switch(client, "nl-be", "/en/aanmeldingen/?status=aangemeld")
    assert response["Location"] == "/aanmeldingen/?status=aangemeld"
    assert '<html lang="nl-BE">' in client.get(response["Location"]).content.decode()


def test_the_switch_never_sends_the_reader_to_another_site(client, db):
    response = switch(client, "en", "https://example.invalid/")
    assert response.status_code == 302
    assert "example.invalid" not in response["Location"]
    response = switch(client, "en", "/accounts/login/?next=//example.invalid/")
    assert response["Location"] == "/en/accounts/login/?next=//example.invalid/"
