"""Browser journey: a demo user logs in, sees the Dutch home page and switches to English."""

import pytest

from jeugdhulp.demo.organisations import build_organisations_and_accounts

PASSWORD = "demo-wachtwoord-2026"


@pytest.mark.browser
def test_demo_user_logs_in_and_switches_to_english(page, live_server, transactional_db):
    build_organisations_and_accounts(PASSWORD)
    page.goto(live_server.url + "/")
    # Redirected to the Dutch login page.
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    page.get_by_label("Gebruikersnaam").fill("demo-coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_server.url + "/")
    heading = page.get_by_role("heading", level=1)
    assert "Welkom, Chris" in heading.inner_text()
    assert page.get_by_text("Coördinator").first.is_visible()

    # Keyboard: the skip link is the first thing a Tab reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    page.get_by_role("button", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome, Chris" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("button", name="Log out").is_visible()
