import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jeugdhulp.accounts.models import Membership, Role, User


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def coordinator(network, make_user):
    return make_user(Role.COORDINATOR, network["network"], username="coord")


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_coordinator_invites_and_the_link_works_once(client, coordinator, network):
    client.force_login(coordinator)
    form = {
        "voornaam": "Ine",
        "achternaam": "Nieuw",
        "email": "Ine@Example.invalid",
        "organisatie": network["partner"].pk,
        "rol": "aanmelder",
    }
    assert client.post(reverse("uitnodigen"), form).status_code == 302
    user = User.objects.get(email="ine@example.invalid")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, organisatie=network["partner"], rol="aanmelder"
    ).exists()
    (message,) = mail.outbox
    assert message.to == ["ine@example.invalid"] and "Uitnodiging" in message.subject
    client.logout()
    url = link_in(message)
    assert client.get(url).status_code == 200
    password = "een-heel-goed-wachtwoord-42"
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    client.logout()
    assert client.get(url).status_code == 404  # single use


def test_expired_invitation_is_refused(client, coordinator, network, settings):
    client.force_login(coordinator)
    form = {
        "voornaam": "A",
        "achternaam": "B",
        "email": "a@example.invalid",
        "organisatie": network["partner"].pk,
        "rol": "aanmelder",
    }
    client.post(reverse("uitnodigen"), form)
    client.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.get(link_in(mail.outbox[0])).status_code == 404


def test_coordinator_cannot_invite_for_another_network(client, coordinator, network):
    client.force_login(coordinator)
    form = {
        "voornaam": "A",
        "achternaam": "B",
        "email": "a@example.invalid",
        "organisatie": network["outsider"].pk,
        "rol": "aanmelder",
    }
    response = client.post(reverse("uitnodigen"), form)
    assert response.status_code == 200 and "organisatie" in response.context["form"].errors
    assert not mail.outbox


@pytest.mark.parametrize("role", [Role.AANMELDER, Role.MEDEWERKER_VOORZIENING, Role.ANALIST])
def test_others_may_not_invite(client, network, make_user, role):
    client.force_login(make_user(role, network["partner"]))
    assert client.get(reverse("uitnodigen")).status_code == 403


def test_bulk_invitation_from_csv(client, coordinator):
    client.force_login(coordinator)
    good = (
        "voornaam;achternaam;email;organisatie;rol\n"
        "An;Een;an@example.invalid;IN-1;\n"
        "Bo;Twee;bo@example.invalid;in-2;medewerker_voorziening\n"
    )
    upload = SimpleUploadedFile("mensen.csv", good.encode("utf-8"))
    assert client.post(reverse("uitnodigen"), {"bestand": upload}).status_code == 302
    assert len(mail.outbox) == 2
    assert (
        User.objects.get(username="bo@example.invalid").memberships.get().rol
        == "medewerker_voorziening"
    )


def test_bulk_invitation_with_errors_imports_nothing_and_says_where(client, coordinator):
    client.force_login(coordinator)
    bad = (
        "voornaam;achternaam;email;organisatie\n"
        "Ce;Drie;ce@example.invalid;IN-1\n"
        "De;Vier;geen-adres;OUT-1\n"
    )
    upload = SimpleUploadedFile("mensen.csv", bad.encode("cp1252"))
    response = client.post(reverse("uitnodigen"), {"bestand": upload})
    problems = response.context["problems"]
    assert any("rij 3" in p and "kolom email" in p and "geen-adres" in p for p in problems)
    assert any("rij 3" in p and "kolom organisatie" in p for p in problems)
    assert not User.objects.filter(username="ce@example.invalid").exists() and not mail.outbox


def test_forgotten_password_is_reset_by_mail(client, make_user):
    user = make_user(email="vergeten@example.invalid", username="vergeten")
    response = client.post(reverse("password_reset"), {"email": "vergeten@example.invalid"})
    assert response.status_code == 302
    (message,) = mail.outbox
    url = link_in(message)
    landing = client.get(url, follow=True)
    assert landing.status_code == 200
    password = "nog-een-goed-wachtwoord-7"
    done = client.post(
        landing.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
