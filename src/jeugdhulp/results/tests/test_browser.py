"""The analyst's journey in a real browser: map, indicator and form, an area's detail, the PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role

pytestmark = pytest.mark.browser


def test_map_detail_and_pdf_without_other_hosts(
    page, live_server, committed_run, make_user, log_in
):
    analist = make_user(Role.ANALIST, committed_run["region"])
    run = committed_run["run"]
    log_in(analist.username)
    page.goto(live_server.url + reverse("results:kaart", args=[run.pk]))
    page.wait_for_selector("#map[data-ready='1']")
    # Drawn on one canvas (no SVG path per area); one click handler for the whole layer.
    assert page.get_attribute("#map", "data-areas") == "25"
    assert page.locator("#map canvas").count() == 1
    assert "Bereik per 1.000" in page.inner_text("#legend")
    page.locator("#map").scroll_into_view_if_needed()  # below the fold under the ALLE note
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "Kinderen in hulp" in page.inner_text("#detail")
    page.select_option("#indicator", "cluster")
    assert "hotspot" in page.inner_text("#legend")
    page.select_option("#hulpvorm", "BH")
    page.wait_for_load_state("networkidle")
    # Keyboard route: the list of areas opens the detail panel.
    page.click("details.area-list summary")
    page.fill("#area-filter", "A00")
    page.click("button[data-code='A00']")
    detail = page.inner_text("#detail")
    assert "Gebied A00" in detail and "Kinderen in hulp" in detail and "95%" in detail
    page.goto(live_server.url + reverse("results:detail", args=[run.pk]))
    with page.expect_download() as download:
        page.click("text=Rapport (PDF)")
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
