"""Fixtures shared by the whole suite: organisations, users with roles, a browser."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TEST_PASSWORD = "een-lang-wachtwoord-123"  # every user that make_user creates
# Headless, offline: no first-run, sync or update traffic (benchmarks/bench_map.py uses them too).
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_log():
    # Tests that commit are followed by Django's flush, which the audit log's triggers refuse
    # unless this test-only switch is on (jeugdhulp.audit.append_only).
    from django.conf import settings

    settings.JEUGDHULP_AUDIT_FLUSH_IN_TESTS = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    # Every test its own empty cache: cached figures of one test's database never reach another.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request to an /en/ page leaves English active in the thread (Django does not reset it
    # after a response), which would make the next test's reverse() produce /en/ URLs.
    from django.utils import translation

    translation.activate("nl-be")
    yield
    translation.activate("nl-be")


@pytest.fixture
def shared_data() -> Path:
    """The real public reference files in ../shared/data (skips when they are not there)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real reference data not present at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def make_organisation(db):
    from jeugdhulp.accounts.models import Organisation, OrganisationKind

    counter = {"n": 0}

    def make(kind: str = OrganisationKind.VOORZIENING, code: str | None = None, networks=()):
        counter["n"] += 1
        code = code or f"ORG-{counter['n']}"
        org = Organisation.objects.create(code=code, naam=f"Organisatie {code}", soort=kind)
        for network in networks:
            org.netwerken.add(network)
        return org

    return make


@pytest.fixture
def make_user(db):
    """``make_user("coordinator", org)`` -> a user with that role in that organisation."""
    from jeugdhulp.accounts.models import Membership, User

    counter = {"n": 0}

    def make(role: str | None = None, organisation=None, *, username: str | None = None, **extra):
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}", password=TEST_PASSWORD, **extra
        )
        if role is not None:
            Membership.objects.create(user=user, organisatie=organisation, rol=role)
        return user

    return make


@pytest.fixture
def network(make_organisation):
    """A 1G1P network in an IROJ region, with two partners in it and one outside it."""
    from jeugdhulp.accounts.models import OrganisationKind

    region = make_organisation(OrganisationKind.IROJ, code="IROJ-T")
    net = make_organisation(OrganisationKind.SAMENWERKINGSVERBAND, code="NET-T")
    inside = make_organisation(OrganisationKind.VOORZIENING, code="IN-1", networks=[net, region])
    inside2 = make_organisation(OrganisationKind.CLB, code="IN-2", networks=[net, region])
    other_net = make_organisation(OrganisationKind.SAMENWERKINGSVERBAND, code="NET-X")
    outside = make_organisation(OrganisationKind.VOORZIENING, code="OUT-1", networks=[other_net])
    return {
        "region": region,
        "network": net,
        "partner": inside,
        "partner2": inside2,
        "other_network": other_net,
        "outsider": outside,
    }


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make install installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; every request to another host than the live server fails the test."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    foreign: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    page.route("**/*", guard)
    page.foreign_requests = foreign
    yield page
    # Let requests still under way finish while the test's database is there: a late one
    # otherwise reaches the live server during the next test, which may have no database. A
    # page that keeps polling is simply closed after the wait.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=3000)
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def log_in(page, live_server):
    """``log_in(username)``: sign in on the page with the password every test user has."""

    def sign_in(username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    return sign_in
