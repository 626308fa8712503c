"""The triage screens in a real browser: a registrant records an assessment and reads the
explained advice, a beheerder edits a rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.triage.codes import STEP_ITEMS

pytestmark = pytest.mark.browser


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
