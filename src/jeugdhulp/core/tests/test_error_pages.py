"""Error pages: in Dutch, in the platform's layout, with a way back (home, or login)."""

import pytest
from django.test import Client
from django.urls import reverse

from jeugdhulp.accounts.models import Role
from jeugdhulp.core import errors

PASSWORD = "een-lang-wachtwoord-123"


def in_layout(body: str) -> bool:
    return '<header class="site-header">' in body and '<html lang="nl-BE">' in body


def test_an_unknown_page_is_a_dutch_404_with_the_way_to_the_login_page(client, db):
    response = client.get("/bestaat-niet/")
    body = response.content.decode()
    assert response.status_code == 404
    assert in_layout(body) and "Pagina niet gevonden" in body
    assert f'href="{reverse("login")}"' in body


def test_a_signed_in_user_is_led_back_to_the_home_page_from_a_404(client, make_user, network):
    client.force_login(make_user(Role.COORDINATOR, network["network"]))
    body = client.get("/bestaat-niet/").content.decode()
    assert "Pagina niet gevonden" in body and "Naar de startpagina" in body
    assert f'href="{reverse("home")}"' in body


def test_a_refused_page_is_a_dutch_403(client, make_user, network):
    client.force_login(make_user(Role.AANMELDER, network["partner"]))
    response = client.get(reverse("admin:index"), follow=True)
    body = response.content.decode()
    assert response.status_code == 403
    assert in_layout(body) and "Geen toegang" in body and "Naar de startpagina" in body
    assert "403 Forbidden" not in body


def test_a_form_without_its_token_is_refused_in_dutch(db, make_user):
    make_user(username="dana")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 403
    assert in_layout(body) and "Formulier niet aanvaard" in body
    assert "CSRF" not in body and f'href="{reverse("login")}"' in body


@pytest.fixture
def failing_site(settings, make_user, network):
    """A signed-in coordinator, on a site with a view that raises (DEBUG off)."""
    settings.ROOT_URLCONF = "jeugdhulp.core.tests.error_urls"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.COORDINATOR, network["network"]))
    return client


def test_a_server_error_is_a_dutch_500_in_the_layout(failing_site):
    response = failing_site.get("/kapot/")
    body = response.content.decode()
    assert response.status_code == 500
    assert in_layout(body) and "Er ging iets mis" in body and "Naar de startpagina" in body
    assert "RuntimeError" not in body and "Traceback" not in body


def test_a_server_error_has_a_plain_page_when_the_layout_fails(failing_site, monkeypatch):
    real = errors.render_to_string

    def layout_fails(template, *args, **kwargs):
        if template == "errors/page.html":
            raise RuntimeError("database gone")
        return real(template, *args, **kwargs)

    monkeypatch.setattr(errors, "render_to_string", layout_fails)
    response = failing_site.get("/kapot/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in body and 'href="/"' in body


def test_the_lock_out_page_leads_back_to_the_login_page(client, make_user, settings):
    make_user(username="dana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dana", "password": "fout"})
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 429
    assert in_layout(body) and "Tijdelijk geblokkeerd" in body
    assert f'href="{reverse("login")}"' in body


def test_error_pages_follow_the_chosen_language(client, db):
    body = client.get("/en/bestaat-niet/").content.decode()
    assert '<html lang="en">' in body
