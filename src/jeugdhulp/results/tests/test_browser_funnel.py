"""The funnel plot by clicking only: from the run's page to the plot, another form, a point →
the map opens that area in its detail panel."""

from __future__ import annotations

import pytest

from jeugdhulp.accounts.models import Role

pytestmark = pytest.mark.browser


def test_the_analist_clicks_a_funnel_point_and_the_map_shows_that_area(
    page, committed_run, make_user, log_in
):
    analist = make_user(Role.ANALIST, committed_run["region"])
    log_in(analist.username)
    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    page.click("a.button:has-text('Funnelplot')")
    assert page.locator("svg.funnel__svg a.funnel__point").count() > 0
    assert "ALLE" in page.inner_text("figure.funnel figcaption")
    page.select_option("#hulpvorm", "BH")
    page.click("button:has-text('Toon')")
    page.wait_for_load_state()
    assert "BH" in page.inner_text("figure.funnel figcaption")
    # The last point is drawn on top (points with the same figures overlap).
    point = page.locator("svg.funnel__svg a.funnel__point").last
    code = point.get_attribute("data-code")
    label = point.get_attribute("aria-label")
    name = label.split(f" ({code})")[0]
    # Hovering names the area (the SVG title); clicking opens the map on it.
    assert point.locator("title").text_content() == label
    point.click()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.input_value("#hulpvorm") == "BH"
    assert page.input_value("#indicator") == "ratio"
    page.wait_for_function(
        "code => document.querySelector('#detail h2') &&"
        " document.querySelector('#detail h2').textContent.includes(code)",
        arg=code,
    )
    detail = page.inner_text("#detail")
    assert name in detail and "Kinderen in hulp" in detail
