"""HTML in a round's or an area's name stays text on the map (#12 finding 6), in a real browser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from jeugdhulp.accounts.models import Role

pytestmark = pytest.mark.browser

ROUND = 'Foto <img src=x onerror="document.body.dataset.pwned=1">'
AREA = '<img src=y onerror="document.body.dataset.pwned=2">Gebied'
SHOTS = (
    Path(os.environ.get("JEUGDHULP_SCREENSHOTS", ""))
    if os.environ.get("JEUGDHULP_SCREENSHOTS")
    else None
)


@pytest.fixture
def named_runs(transactional_db, analysed, small_inputs, make_organisation, settings, tmp_path):
    """Two finished runs of one region a year apart, with HTML in the round's and an area's
    name, so the area's detail panel shows a trend table with the round names."""
    from jeugdhulp.accounts.models import OrganisationKind
    from jeugdhulp.analysis.pipeline import AnalysisInputs
    from jeugdhulp.analysis.tests import fixtures
    from jeugdhulp.results import services
    from jeugdhulp.results.inputs import RoundInputs
    from jeugdhulp.results.models import AnalysisRun, RunStatus

    settings.MEDIA_ROOT = tmp_path
    region = make_organisation(OrganisationKind.IROJ, code="IROJ-H")
    areas = small_inputs["areas"].copy()
    areas.loc[areas["code"] == "A00", "naam"] = AREA
    published = analysed.published.copy()
    published.loc[published["gebied_code"] == "A00", "gebied_naam"] = AREA
    result = dataclasses.replace(analysed, published=published, areas=areas)
    inputs = RoundInputs(
        analysis=AnalysisInputs(
            areas,
            small_inputs["population"],
            small_inputs["snapshot"],
            analysed.params,
            centroids=small_inputs["centroids"],
            sites=small_inputs["sites"],
        ),
        map_areas=areas,
        vintage="2025",
    )
    runs = []
    for ronde_id, years_back in [(1, 1), (2, 0)]:
        run = AnalysisRun.objects.create(
            ronde_id=ronde_id,
            ronde_naam=ROUND,
            peildatum=fixtures.PEILDATUM - dt.timedelta(days=365 * years_back),
            organisatie=region,
            versie=1,
            status=RunStatus.RUNNING,
            parameters={"seed": 1, "permutations": 99, "threshold": 5},
        )
        services.store_result(run, result, inputs)
        run.status = RunStatus.DONE
        run.save()
        runs.append(run)
    return {"region": region, "run": runs[-1]}


def test_html_in_round_and_area_names_is_shown_as_text_on_the_map(
    page, named_runs, make_user, log_in
):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    analist = make_user(Role.ANALIST, named_runs["region"])
    log_in(analist.username)
    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text=ROUND).first.click()
    page.click("a.button:has-text('Kaart')")
    page.wait_for_selector("#map[data-ready='1']")
    heading = page.inner_text("h1")
    assert ROUND in heading
    # The keyboard route to the area with HTML in its name; its panel lists both rounds.
    page.click("details.area-list summary")
    page.fill("#area-filter", "A00")
    button = page.locator("button[data-code='A00']")
    assert button.inner_text() == f"{AREA} (A00)"
    button.click()
    page.wait_for_selector("#detail table")
    detail = page.inner_text("#detail")
    assert AREA in detail and detail.count(ROUND) == 2
    # The tooltip of the area under the pointer: sweep the map until the pointer is over A00
    # (where it lies on the screen depends on the map's fitted bounds).
    box = page.locator("#map").bounding_box()
    tip = page.locator(".leaflet-tooltip")
    for fy in range(1, 20):
        for fx in range(1, 20):
            page.mouse.move(box["x"] + box["width"] * fx / 20, box["y"] + box["height"] * fy / 20)
            if tip.count() and AREA in tip.inner_text():
                break
        else:
            continue
        break
    assert tip.inner_text() == AREA
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "map-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / "map-390.png"), full_page=True)
    assert page.locator("main img").count() == 0  # no element was made from a name
    assert page.evaluate("document.body.dataset.pwned") is None
    assert not problems, problems
