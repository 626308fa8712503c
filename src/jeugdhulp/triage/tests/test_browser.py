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
    log_in(world["analist"].username)
    page.goto(live_server.url + reverse("triage:routes"))
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
