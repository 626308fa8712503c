"""The analist's journey by clicking only (#14): results → dashboard charts → map with ALLE →
trends → report, in a real browser, without console or CSP errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jeugdhulp.accounts.models import Role

pytestmark = pytest.mark.browser

SHOTS = (
    Path(os.environ["JEUGDHULP_SCREENSHOTS"]) if os.environ.get("JEUGDHULP_SCREENSHOTS") else None
)


@pytest.fixture
def two_rounds(transactional_db, analysed, small_inputs, make_organisation, settings, tmp_path):
    from jeugdhulp.results.tests.test_views import _earlier_run_with_less_use, store_done_run

    done = store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path)
    _earlier_run_with_less_use(done["run"])
    return done


def _shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_analist_clicks_from_results_to_charts_map_trends_and_report(
    page, two_rounds, make_user, log_in
):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    analist = make_user(Role.ANALIST, two_rounds["region"])
    log_in(analist.username)

    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    # The four charts are drawn: each chart area holds an SVG with bars.
    for key in ("leeftijd", "bereik_leeftijd", "afstand", "crisis"):
        chart = page.locator(f"#chart-{key}")
        assert chart.locator("svg rect.chart__bar").count() > 0, key
        assert chart.bounding_box()["height"] > 150, key
    _shot(page, "dashboard")

    page.click("a.button:has-text('Kaart')")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.input_value("#hulpvorm") == "ALLE"
    # ALLE: accessibility and unmet need are not offered, and the page says why.
    assert page.locator("#indicator option[value='toegankelijkheid']").is_disabled()
    assert page.locator("#indicator option[value='nood']").is_disabled()
    assert "niet op te tellen" in page.inner_text("#indicator-note")
    assert "alle waarden" not in page.inner_text("#legend")
    page.select_option("#hulpvorm", "BH")
    page.wait_for_load_state("networkidle")
    assert not page.locator("#indicator-note").is_visible()
    page.select_option("#indicator", "toegankelijkheid")
    assert "Toegankelijkheid" in page.inner_text("#legend")
    _shot(page, "map")

    page.click("text=Terug naar het overzicht")
    page.click("a.button:has-text('Evolutie')")
    page.wait_for_selector("#trend-significant")
    assert "significante stijging" in page.inner_text("#trend-significant")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    page.fill("#zoek", "A01")
    page.click("button:has-text('Zoeken')")
    page.wait_for_load_state()
    assert "1 gebied gevonden." in page.inner_text("#trend-found")
    _shot(page, "trends")

    page.click("text=Terug naar het overzicht")
    with page.expect_download() as download:
        page.click("text=Rapport (PDF)")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert not problems, problems
