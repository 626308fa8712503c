"""The triage screens in a real browser: an analyst reads the client routes across rounds, a
registrant records an assessment and reads the explained advice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.triage.codes import STEP_ITEMS
from jeugdhulp.triage.tests.test_round_routes import two_rounds  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_analyst_sees_routes_across_rounds(
    transactional_db,
    page,
    live_server,
    world,
    two_rounds,  # noqa: F811 - the imported fixture
    log_in,
):
    problems = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    log_in(world["analist"].username)
    page.get_by_role("link", name="Cliëntroutes").first.click()
    page.wait_for_selector("#rondes-diagram")
    # The page is Dutch: the diagram's numbers must still be numbers to the browser (a "880,0"
    # in viewBox is refused, and the diagram is then not drawn).
    assert page.locator("html").get_attribute("lang").startswith("nl")
    assert problems == []
    box = page.locator("#rondes-diagram").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    node = page.locator("#rondes-diagram rect.node").first.bounding_box()
    assert node["height"] > 0
    table = page.inner_text("#rondes-routes")
    assert "KP → VB" in table and "VB → KP" in table
    assert "Foto 2024" in page.inner_text("#rondes-schaling")
    assert page.locator("#rondes-diagram rect.node").count() >= 4


def test_registrant_records_an_assessment_and_reads_the_explained_advice(
    transactional_db, page, live_server, world, request_in, log_in
):
    log_in(world["aanmelder"].username)
    page.goto(live_server.url + reverse("triage:nieuw", args=[request_in.pk]))
    page.check("input[name='capj'][value='A']")
    for item in STEP_ITEMS:
        page.check(f"input[name='step_{item.code}'][value='1']")
    page.get_by_role("button", name="Advies berekenen en bewaren").click()
    page.wait_for_selector("#advies")
    assert page.inner_text("#advies") == "Rechtstreeks toegankelijke hulp (RTJH)"
    assert page.inner_text("#regel").startswith("Gegeven door regel L1")
    assert page.locator("#uitleg li").count() >= 1


def test_a_beheerder_edits_a_triage_rule_through_the_form(
    transactional_db, page, live_server, world, log_in
):
    from jeugdhulp.triage import services
    from jeugdhulp.triage.models import RuleSet

    services.default_ruleset()
    log_in(world["beheerder"].username)
    page.get_by_role("link", name="Triageregels").first.click()
    page.get_by_role("link", name=services.DEFAULT_NAME).click()
    page.get_by_role("link", name="Regels bewerken").click()
    rule = page.locator("fieldset.rule", has_text="Regel Z1")
    rule.get_by_label("Prioriteit").fill("15")
    rule.locator("input[name$='-v1_waarde']").fill("99")  # ZZ can never reach 99
    page.get_by_label("Wat is er veranderd?").fill("Zware zorg weegt zwaarder")
    page.get_by_role("button", name="Controleren en bewaren").click()
    page.wait_for_selector("fieldset.rule [role=alert]")
    assert "kan nooit waar zijn" in page.locator("fieldset.rule", has_text="Regel Z1").inner_text()
    rule = page.locator("fieldset.rule", has_text="Regel Z1")
    rule.locator("input[name$='-v1_waarde']").fill("13")
    page.get_by_role("button", name="Controleren en bewaren").click()
    page.wait_for_selector("text=Versie 2 van de regelset is bewaard.")
    current = RuleSet.objects.get(naam=services.DEFAULT_NAME).current()
    z1 = next(r for r in current.regels["regels"] if r["code"] == "Z1")
    assert z1["prioriteit"] == 15 and z1["als"]["waarde"] == 13
