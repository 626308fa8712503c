"""The invitation-approval journey in a real browser: a coördinator invites a provider employee,
the partner's organisatiebeheerder approves (or refuses) it from their home page, and only then
does the invited person see the partner's inbox."""

from __future__ import annotations

import re

import pytest
from conftest import TEST_PASSWORD
from django.core import mail

from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.tests.conftest import PHONE

INVITEE = "nieuwe.medewerker@example.invalid"


def sign_out(page) -> None:
    page.click("form.logout button[type=submit]")
    page.wait_for_selector("input[name=username]")


def invite_provider_employee(page, log_in) -> None:
    """The coördinator invites a medewerker for partner IN-1, by clicking from the home page."""
    log_in("coord")
    page.click("main .tile >> text=Mensen uitnodigen")
    page.fill("input[name=voornaam]", "Nina")
    page.fill("input[name=achternaam]", "Nieuw")
    page.fill("input[name=email]", INVITEE)
    page.select_option("select[name=organisatie]", label="Organisatie IN-1 (IN-1)")
    page.select_option("select[name=rol]", Role.MEDEWERKER_VOORZIENING.value)
    page.click("main button.primary")
    assert "wacht" in page.inner_text("ul.messages")
    sign_out(page)


def accept_and_sign_in(page, live_server) -> None:
    """The invited person follows the link in their e-mail, chooses a password, signs in."""
    (invitation,) = [m for m in mail.outbox if m.to == [INVITEE]]
    link = re.search(r"(http://\S+/accounts/uitnodiging/\S+)", invitation.body).group(1)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.fill("input[name=new_password1]", TEST_PASSWORD)
    page.fill("input[name=new_password2]", TEST_PASSWORD)
    page.click("main button.primary")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", INVITEE)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")


def decide_as_organisatiebeheerder(page, log_in, button: str) -> None:
    log_in("orgbeheer")
    page.click("main .tile >> text=Rollen en goedkeuringen")
    row = page.locator(f"table.pending tr[data-user='{INVITEE}']")
    assert "Medewerker voorziening" in row.inner_text()
    row.locator(f"button >> text={button}").click()
    page.wait_for_selector("ul.messages")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinators_invitation_counts_once_the_partner_approves_it(
    page, live_server, log_in, people, family_request
):
    invite_provider_employee(page, log_in)

    accept_and_sign_in(page, live_server)
    home = page.inner_text("main")
    assert "Aangevraagd" in home  # the role is shown as waiting
    assert page.locator("main .tile >> text=Aanmeldingen").count() == 0
    assert PHONE not in page.content()
    sign_out(page)

    decide_as_organisatiebeheerder(page, log_in, "Goedkeuren")
    assert "is nu Medewerker voorziening" in page.inner_text("ul.messages")
    assert "Actief" in page.inner_text("table.history")
    sign_out(page)

    log_in(INVITEE)  # the invited person, back again: now the partner's inbox is theirs
    page.click("main .tile >> text=Aanmeldingen")
    page.click("main ul.tabs >> text=Inbox van mijn voorziening")
    page.click(f"main table a >> text='{family_request.pk}'")
    page.wait_for_selector("#contact-titel")
    assert PHONE in page.inner_text("main")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refused_invitation_leaves_the_invited_person_without_the_partner(
    page, live_server, log_in, people, family_request
):
    invite_provider_employee(page, log_in)

    decide_as_organisatiebeheerder(page, log_in, "Weigeren")
    assert "geweigerd" in page.inner_text("ul.messages")
    assert "Geweigerd" in page.inner_text("table.history")
    sign_out(page)

    accept_and_sign_in(page, live_server)
    assert "U hebt nog geen rol" in page.inner_text("main")
    assert page.locator("main .tile >> text=Aanmeldingen").count() == 0
    assert PHONE not in page.content()
