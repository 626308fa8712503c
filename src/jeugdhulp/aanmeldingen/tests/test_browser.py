"""A registrant registers, a provider plans the first contact, the registrant sees when and with
whom — in a real browser."""

import datetime as dt

import pytest

PASSWORD = "een-lang-wachtwoord-123"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_plan_and_see_the_first_contact(page, live_server, world):
    login(page, live_server, "aanmelder")
    page.goto(f"{live_server.url}/aanmeldingen/nieuw/")
    page.fill("input[name=naam]", "Gezin Browser")
    page.fill("input[name=telefoon]", "011 00 00 00")
    page.select_option("select[name=gemeente]", "71016")
    page.fill("input[name=geboortejaren]", "2015")
    page.check("input[name=domeinen][value=school]")
    page.check("input[name=partners][value=IN-1]")
    page.check("input[name=toestemming]")
    page.click("main button.primary")
    page.wait_for_selector("#eerste-contact")
    url = page.url
    assert "Nog niet gepland" in page.inner_text("#eerste-contact")
    page.context.clear_cookies()

    login(page, live_server, "voorziening")
    page.goto(url)
    planned = dt.date.today() + dt.timedelta(days=4)
    page.select_option("select[name=type]", "eerste_contact_gepland")
    page.fill("input[name=gepland_op]", planned.isoformat())
    page.select_option("select[name=organisatie]", "IN-1")
    page.fill("input[name=persoon]", "Els Voorbeeld")
    page.click("text=Registreren")
    page.wait_for_selector("text=Gebeurtenis geregistreerd")
    page.context.clear_cookies()

    login(page, live_server, "aanmelder")
    page.goto(f"{live_server.url}/aanmeldingen/")
    assert "Els Voorbeeld" in page.inner_text("table")
    page.goto(url)
    text = page.inner_text("#eerste-contact")
    assert planned.strftime("%d/%m/%Y") in text and "Els Voorbeeld" in text
