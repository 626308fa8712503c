"""A planner finds an area's comparison group on the map, clicking from the home page."""

from __future__ import annotations

import pytest

from jeugdhulp.accounts.models import Role
from jeugdhulp.results.tests.test_views import store_done_run

pytestmark = pytest.mark.browser


@pytest.fixture
def committed_run(
    transactional_db, analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path
):
    return store_done_run(
        analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path
    )


def test_the_detail_panel_shows_the_comparison_group_and_its_members(
    page, committed_run, make_user, log_in, analysed_with_covariates
):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    published = analysed_with_covariates.published.set_index(["hulpvorm", "gebied_code"])
    row = published.loc[("ALLE", "A00")]
    ratio = f"{row['ratio_t_o_v_groep']:.2f}".replace(".", ",")
    first = row["vergelijkingsgroep"].split(";")[0]
    log_in(make_user(Role.ANALIST, committed_run["region"]).username)

    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    page.click("a.button:has-text('Kaart')")
    page.wait_for_selector("#map[data-ready='1']")
    page.click("details.area-list summary")
    page.fill("#area-filter", "A00")
    page.click("button[data-code='A00']")
    detail = page.locator("#detail")
    detail.locator(".js-comparison details").wait_for(state="attached")  # fetched per area
    text = detail.inner_text()
    assert f"Vergeleken met 10 gelijkaardige gebieden: ratio {ratio} t.o.v. de groep" in text
    members = detail.locator(".js-comparison details")
    assert not members.locator("li").first.is_visible()  # collapsed until asked for
    members.locator("summary").click()
    assert members.locator("li").count() == 10
    assert f"Gebied {first} ({first})" in members.locator("li").first.inner_text()
    assert not problems, problems
