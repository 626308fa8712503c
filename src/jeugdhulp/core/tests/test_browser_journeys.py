"""Browser journeys a person clicks through: the beheerder's admin from the menu, the language
switch both ways (logged out and inside the app), and pages that hold on a 390-px phone."""

import numpy as np
import pytest
from cryptography.fernet import Fernet

from jeugdhulp.demo.organisations import build_organisations_and_accounts

PASSWORD = "demo-wachtwoord-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db, settings):
    settings.JEUGDHULP_FIELD_KEYS = [Fernet.generate_key().decode()]
    build_organisations_and_accounts(PASSWORD)


def log_in_from_home(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


@pytest.mark.browser
def test_the_beheerder_manages_everything_from_the_beheer_menu(page, live_server, demo):
    log_in_from_home(page, live_server, "demo-beheerder")
    click_and_wait(page, page.get_by_role("navigation").get_by_role("link", name="Beheer"))
    assert "U hebt geen rechten" not in page.inner_text("body")
    lists = {
        "Organisaties": "Selecteer organisatie om te wijzigen",
        "Gebruikers": "Selecteer gebruiker om te wijzigen",
        "Lidmaatschappen": "Selecteer lidmaatschap om te wijzigen",
        "Gebieden": "Selecteer gebied om te wijzigen",
    }
    for link, heading in lists.items():
        click_and_wait(page, page.locator("#content").get_by_role("link", name=link, exact=True))
        assert heading in page.get_by_role("heading", level=1).inner_text()
        click_and_wait(page, page.get_by_role("link", name="Voorpagina"))
    # The breadcrumb of a section opens it.
    click_and_wait(
        page, page.locator("#content").get_by_role("link", name="Organisaties", exact=True)
    )
    click_and_wait(
        page, page.locator(".breadcrumbs").get_by_role("link", name="Organisaties en gebruikers")
    )
    assert "Organisaties en gebruikers" in page.get_by_role("heading", level=1).inner_text()
    # An organisation's networks: the two-box selector speaks Dutch.
    click_and_wait(
        page, page.locator("#content").get_by_role("link", name="Organisaties", exact=True)
    )
    click_and_wait(page, page.get_by_role("link", name="CLB Demostad (fictief)", exact=True))
    selector = page.locator(".selector").first
    selector.wait_for()
    assert "Alle netwerken en regio's kiezen" in selector.inner_text()
    assert "Choose" not in selector.inner_text()
    # The audit log, from the sidebar: object types by name.
    click_and_wait(
        page, page.locator("#nav-sidebar").get_by_role("link", name="Auditlog", exact=True)
    )
    assert "Selecteer auditgebeurtenis om te bekijken" in page.inner_text("#content")
    assert "Gebruiker" in page.locator("td.field-object_type_name").first.inner_text()
    assert "accounts.user" not in page.locator("#result_list").inner_text()


@pytest.mark.browser
def test_the_admin_opened_logged_out_is_reached_after_logging_in(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_label("Gebruikersnaam").fill("demo-coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")
    # No admin for a coördinator: no menu item.
    assert page.get_by_role("navigation").get_by_role("link", name="Beheer").count() == 0
    click_and_wait(page, page.get_by_role("button", name="Afmelden"))
    # A bookmark of the admin, while logged out: the login page, then the admin itself.
    page.goto(live_server.url + "/beheer/")
    page.get_by_label("Gebruikersnaam").fill("demo-beheerder")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Aanmelden"))
    page.wait_for_url(live_server.url + "/beheer/")
    assert page.locator("#content").get_by_role("link", name="Organisaties", exact=True).count()


@pytest.mark.browser
def test_the_language_switch_works_both_ways_logged_out_and_inside(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert html_lang(page) == "nl-BE"
    assert page.get_by_role("button", name="Nederlands").is_disabled()
    click_and_wait(page, page.get_by_role("button", name="English"))
    assert page.url.startswith(live_server.url + "/en/accounts/login/")
    assert html_lang(page) == "en"
    click_and_wait(page, page.get_by_role("button", name="Nederlands"))
    assert page.url.startswith(live_server.url + "/accounts/login/")
    assert html_lang(page) == "nl-BE" and "Not Found" not in page.inner_text("body")
    # English again, then logging in: the home page in English.
    click_and_wait(page, page.get_by_role("button", name="English"))
    page.get_by_label("Username").fill("demo-coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Log in"))
    assert page.url == live_server.url + "/en/" and html_lang(page) == "en"
    # Inside the app, on another page: to Dutch and back.
    click_and_wait(page, page.get_by_role("navigation").get_by_role("link", name="Requests"))
    assert page.url == live_server.url + "/en/aanmeldingen/"
    click_and_wait(page, page.get_by_role("button", name="Nederlands"))
    assert page.url == live_server.url + "/aanmeldingen/" and html_lang(page) == "nl-BE"
    click_and_wait(page, page.get_by_role("button", name="English"))
    assert page.url == live_server.url + "/en/aanmeldingen/" and html_lang(page) == "en"


def make_requests(count: int) -> None:
    from django.utils import timezone

    from jeugdhulp.accounts.models import Organisation
    from jeugdhulp.demo.requests import PARTNERS, simulate, store

    partners = {o.code: o for o in Organisation.objects.filter(code__in=list(PARTNERS))}
    rows = simulate(
        np.random.default_rng(7), count, timezone.localdate(), partners, ["99001", "99002"]
    )
    store(rows, None, partners["DEMO-CLB"])


def document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
def test_pages_hold_on_a_phone_390_pixels_wide(page, live_server, demo):
    make_requests(25)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    assert document_width(page) <= 390
    log_in_from_home(page, live_server, "demo-coordinator")
    assert document_width(page) <= 390
    # The menu folds into one button; it opens and leads on.
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert not nav.is_visible()
    page.get_by_text("Menu", exact=True).click()
    click_and_wait(page, nav.get_by_role("link", name="Aanmeldingen"))
    assert page.url == live_server.url + "/aanmeldingen/"
    table = page.locator("main table").first
    assert table.is_visible()
    assert document_width(page) <= 390
    # The wide table scrolls inside its own box.
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    # On a wide screen the menu is open again and its button gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    nav.wait_for(state="visible")
    page.get_by_text("Menu", exact=True).wait_for(state="hidden")
