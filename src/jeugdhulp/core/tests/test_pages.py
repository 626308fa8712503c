"""The base pages: login required, a home page per role, Dutch by default, English on request."""

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import OrganisationKind, Role

PASSWORD = "een-lang-wachtwoord-123"


@pytest.mark.parametrize("path", ["/", "/beheer/", "/en/"])
def test_pages_require_login(client, db, path):
    response = client.get(path, follow=True)
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith(reverse("login")) or final_url.startswith("/en/accounts/login/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/"])
def test_login_and_password_reset_are_open(client, db, path):
    assert client.get(path).status_code == 200


def test_login_page_is_dutch_by_default(client, db):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="nl-BE">' in body
    assert "Aanmelden" in body and "Wachtwoord" in body


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/en/accounts/login/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body and "Password" in body


def test_login_leads_to_a_home_page_showing_the_role(client, make_user, network):
    make_user(Role.COORDINATOR, network["network"], username="chris")
    response = client.post(
        reverse("login"), {"username": "chris", "password": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Welkom, chris" in body
    assert "Coördinator" in body and network["network"].naam in body


def test_beheerder_home_offers_the_admin_and_the_audit_log(client, make_user, make_organisation):
    user = make_user(Role.BEHEERDER, make_organisation(OrganisationKind.ANDERE))
    client.force_login(user)
    body = client.get("/").content.decode()
    assert reverse("admin:index") in body
    assert reverse("admin:audit_auditevent_changelist") in body
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", [Role.AANMELDER, Role.MEDEWERKER_VOORZIENING, Role.ANALIST])
def test_admin_is_for_the_beheerder_only(client, make_user, network, role):
    client.force_login(make_user(role, network["partner"]))
    body = client.get("/").content.decode()
    assert reverse("admin:index") not in body
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_security_headers(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_repeated_failed_logins_lock_the_account(client, make_user, settings):
    make_user(username="dana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dana", "password": "fout"})
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


def test_static_files_are_served_by_the_app(client, db):
    response = client.get("/static/jeugdhulp/base.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)


def test_logout_ends_the_session(client, make_user):
    client.force_login(make_user())
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
