"""A registrant registers, a provider plans the first contact, the registrant sees when and with
whom — in a real browser."""

import datetime as dt
import re

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_plan_and_see_the_first_contact(page, live_server, world, log_in):
    log_in("aanmelder")
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

    log_in("voorziening")
    page.goto(url)
    planned = dt.date.today() + dt.timedelta(days=4)
    page.select_option("select[name=type]", "eerste_contact_gepland")
    page.fill("input[name=gepland_op]", planned.isoformat())
    page.select_option("select[name=organisatie]", "IN-1")
    page.fill("input[name=persoon]", "Els Voorbeeld")
    page.click("text=Registreren")
    page.wait_for_selector("text=Gebeurtenis geregistreerd")
    page.context.clear_cookies()

    log_in("aanmelder")
    page.goto(f"{live_server.url}/aanmeldingen/")
    assert "Els Voorbeeld" in page.inner_text("table")
    page.goto(url)
    text = page.inner_text("#eerste-contact")
    assert planned.strftime("%d/%m/%Y") in text and "Els Voorbeeld" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_coordinator_sees_the_requests_on_the_municipality_map(
    page, live_server, world, settings, log_in
):
    from jeugdhulp.aanmeldingen.tests.conftest import registration
    from jeugdhulp.aanmeldingen.workflow import register
    from jeugdhulp.reference.models import Area, PopulationCount

    settings.JEUGDHULP_DISCLOSURE_THRESHOLD = 1
    for x, code, youth in ((5.3, "71072", 2000), (5.5, "71016", 500), (5.7, "73111", None)):
        ring = [[x, 50.9], [x + 0.2, 50.9], [x + 0.2, 51.1], [x, 51.1], [x, 50.9]]
        geometry = f'{{"type": "Polygon", "coordinates": [{ring}]}}'
        Area.objects.filter(code=code).update(geometry_simplified=geometry)
        register(world["aanmelder"], registration(partners=["IN-1"], gemeente=code))
        if youth:
            area = Area.objects.get(code=code)
            PopulationCount.objects.create(
                area=area, year=2025, sex="T", age_from=0, age_to=24, population=youth
            )
    log_in("coordinator")
    page.goto(f"{live_server.url}/aanmeldingen/dashboard/")
    page.wait_for_selector("#kaart[data-areas='3']")
    assert page.locator("#kaart path.leaflet-interactive").count() == 3
    legend = page.inner_text("#kaart-legende")
    assert "te weinig gegevens" in legend and "geen bevolking bekend" in legend
    assert "0,5 – 2" in legend and "≥ 2" in legend
    fills = page.eval_on_selector_all(
        "#kaart path.leaflet-interactive", "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert "#ffffff" in fills and len(set(fills)) == 3  # two rates in two classes, one unknown
    page.hover("#kaart path.leaflet-interactive >> nth=0")
    assert "aanmeldingen" in page.inner_text(".leaflet-tooltip")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_registrant_sees_every_error_at_once_then_registers_and_starts_a_triage(
    page, live_server, world, log_in
):
    from jeugdhulp.triage.codes import STEP_ITEMS

    log_in("aanmelder")
    page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    page.get_by_role("link", name="Nieuwe aanmelding").click()
    page.fill("input[name=naam]", "Gezin Klik")
    page.fill("input[name=geboortejaren]", "twintig")
    page.click("main button.primary")
    page.wait_for_selector(".errorlist")
    errors = page.locator("main .errorlist li").all_inner_texts()
    # the form's checks and the service's rules, in one answer
    assert len(errors) >= 5, errors
    assert any("toestemming" in e.lower() for e in errors)
    assert any("telefoonnummer" in e for e in errors)
    assert any("komma" in e for e in errors)
    page.fill("input[name=telefoon]", "011 00 00 00")
    page.select_option("select[name=gemeente]", label="Genk")
    page.fill("input[name=geboortejaren]", "2015")
    page.check("input[name=domeinen][value=school]")
    page.check("input[name=partners][value=IN-1]")
    page.check("input[name=toestemming]")
    page.click("main button.primary")
    page.wait_for_selector("#eerste-contact")
    assert "Genk" in page.inner_text("main")
    page.get_by_role("link", name="Taxatie starten").click()
    page.wait_for_selector("#aanmelding-samenvatting")
    assert "Genk" in page.inner_text("#aanmelding-samenvatting")
    page.check("input[name='capj'][value='A']")
    for item in STEP_ITEMS:
        page.check(f"input[name='step_{item.code}'][value='1']")
    page.get_by_role("button", name="Advies berekenen en bewaren").click()
    page.wait_for_selector("#advies")
    page.get_by_role("link", name=re.compile(r"^Aanmelding \d+$")).click()
    page.wait_for_selector("#taxaties")
    assert "Rechtstreeks toegankelijke hulp" in page.inner_text("#taxaties")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_provider_lands_on_the_inbox(page, live_server, world, request_in, log_in):
    log_in("voorziening")
    page.get_by_role("link", name="Aanmeldingen", exact=True).first.click()
    page.wait_for_selector("main h1")
    assert page.inner_text("main h1") == "Inbox van mijn voorziening"
    assert page.locator(f"main table a:text-is('{request_in.pk}')").count() == 1
