"""A person in each demo role signs in on the home page and clicks through the whole site
(breadth-first, bounded): no page or resource answers with an error, the console stays clean
(no script errors, nothing refused by the content security policy), no 'nan' or 'None' on
screen, no English left on Dutch pages (nor Dutch on English ones), charts are drawn, SVG
numbers have decimal points, the menu pages fit a 390 px phone, and the language switch works
there and back.

The demo region is built once (``jeugdhulp demo``, cached under var/test-crawl/ by the code it
depends on) and served by ``jeugdhulp serve``, as ``make demo`` does. What the crawl looks at and
how far it goes: the constants at the top of ``crawl.py``.
"""

from __future__ import annotations

import time

import pytest

from jeugdhulp.tests import crawl


@pytest.fixture(scope="session")
def demo_site(browser) -> str:
    """The base URL of the served demo region (one per test process)."""
    with crawl.serve_demo() as base:
        yield base


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("username", crawl.ROLES)
def test_a_person_in_each_role_clicks_through_the_demo_without_meeting_a_defect(
    browser, demo_site, username
):
    started = time.monotonic()
    report = crawl.crawl_role(browser, demo_site, username)
    (crawl.CACHE / f"last-{username}.txt").write_text(report.summary() + "\n", encoding="utf-8")
    assert len(report.visits) > 1, f"{username} reached no page by clicking from the home page"
    assert not report.findings, (
        f"{len(report.findings)} defects seen by {username} "
        f"({time.monotonic() - started:.0f} s):\n{report.summary()}"
    )
