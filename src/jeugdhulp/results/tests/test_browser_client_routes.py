"""The client-routes page in a real browser: an analyst reads the routes across rounds."""

from __future__ import annotations

import pytest

from jeugdhulp.results.tests.test_client_routes import two_rounds  # noqa: F401 - fixture

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
