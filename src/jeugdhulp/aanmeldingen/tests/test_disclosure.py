"""One disclosure rule for every channel of the request monitor (#12 finding 3, #13 point 9):
the dashboard page, its map, its CSV export and the KPI API, attacked as someone outside the
network (an analist of the region, an analist of the network, a coordinator of another network
who also analyses the region), with every channel side by side; and the network's coordinator
seeing the exact figures everywhere."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.aanmeldingen import disclosure
from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin
from jeugdhulp.aanmeldingen.tests import attack
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import Event, add_event, register
from jeugdhulp.accounts.models import Membership, Role

THRESHOLD = 5
OUTSIDERS = ["analist", "netwerk_analist", "coordinator_elders"]


def ended_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last calendar quarter that has ended before ``today``."""
    this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = this_quarter - dt.timedelta(days=1)
    return dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last


FIRST, LAST = ended_quarter(dt.date.today())
QUERY = {"netwerk": "NET-T", "van": FIRST.isoformat(), "tot": LAST.isoformat()}


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.JEUGDHULP_DISCLOSURE_THRESHOLD = THRESHOLD


@pytest.fixture
def viewers(world, make_user):
    """The outsiders, besides the world's region analist and network coordinator; the
    municipalities get an outline (the map shows only those)."""
    from jeugdhulp.reference.models import Area

    for i, code in enumerate(world["gemeenten"]):
        ring = [[5 + i, 50], [5.1 + i, 50], [5.1 + i, 50.1], [5 + i, 50]]
        Area.objects.filter(code=code).update(
            geometry=json.dumps({"type": "Polygon", "coordinates": [ring]})
        )
    elsewhere = make_user(Role.COORDINATOR, world["other_network"], username="coordinator_elders")
    Membership.objects.create(user=elsewhere, organisatie=world["region"], rol=Role.ANALIST)
    return {
        **world,
        "netwerk_analist": make_user(Role.ANALIST, world["network"], username="netwerk_analist"),
        "coordinator_elders": elsewhere,
    }


def month_day(month: int, day: int) -> dt.date:
    return dt.date(FIRST.year, FIRST.month + month, day)


def fill(world, requests) -> None:
    """``requests``: (month 0-2 of the quarter, municipality, partner, domain, waiting)."""
    providers = {"IN-1": world["voorziening"], "IN-2": world["voorziening2"]}
    for month, gemeente, partner, domein, waiting in requests:
        day = month_day(month, 10)
        created = register(
            world["aanmelder"],
            registration(
                aangemeld_op=day, gemeente=gemeente, partners=[partner], domeinen=[domein]
            ),
        )
        if waiting:
            add_event(providers[partner], created.pk, Event("wachtlijst", datum=day))
    cache.clear()  # the test's transaction never commits: renew the cached figures by hand


# 13 requests: Genk 1, Hasselt 9, Tongeren 3; IN-1 3 (2 waiting), IN-2 10 (6 waiting);
# opvoeding 8, school 4, psychisch 1; months 6, 5, 2.
GEMEENTEN = ["71016"] + ["71072"] * 9 + ["73111"] * 3
PARTNERS = ["IN-2"] * 5 + ["IN-1"] * 3 + ["IN-2"] * 5
DOMEINEN = ["opvoeding"] * 8 + ["school"] * 4 + ["psychisch"]
MAANDEN = [0, 1] * 5 + [2, 2, 0]
WACHTEND = [True] * 5 + [True, True, False] + [True] + [False] * 4  # IN-2: 5 + 1, IN-1: 2
TRUTH = {
    "totaal": 13,
    "wachtlijst": 8,
    "partner": {"IN-1": 3, "IN-2": 10},
    "wachtlijst_per_partner": {"IN-1": 2, "IN-2": 6},
    "gemeente": {"71016": 1, "71072": 9, "73111": 3},
    "domein": {"opvoeding": 8, "school": 4, "psychisch": 1},
}


@pytest.fixture
def small_network(viewers):
    fill(viewers, zip(MAANDEN, GEMEENTEN, PARTNERS, DOMEINEN, WACHTEND, strict=True))
    return viewers


def read_all(client, user, query=QUERY) -> dict[str, attack.Published]:
    client.force_login(user)
    return {channel: attack.read(client, channel, query) for channel in attack.CHANNELS}


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("channel", attack.CHANNELS)
def test_no_small_count_reaches_someone_outside_the_network(client, small_network, who, channel):
    client.force_login(small_network[who])
    published = attack.read(client, channel, QUERY)
    assert attack.small_counts(published, THRESHOLD) == []
    # Nothing one channel shows can be differenced back to a hidden count (the total minus
    # the shown parts, the waiting list against the requests, ...).
    assert attack.pinned(published) == {}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_all_channels_together_reveal_no_hidden_count(client, small_network, who):
    channels = read_all(client, small_network[who])
    together = attack.union(channels)  # fails when channels disagree on a cell
    assert attack.small_counts(together, THRESHOLD) == []
    assert attack.pinned(together) == {}
    # Genk's single request is hidden, and so is its secondary partner: Hasselt 9 or
    # Tongeren 3 (which is small itself).
    assert together.tables["gemeente"]["71016"] is None
    assert together.tables["partner"]["IN-1"] is None


def test_two_hidden_ones_do_not_give_each_other_away(client, viewers):
    """Genk 1, Tongeren 1, Hasselt 9: hiding the two ones alone leaves 11 − 9 = 2 over two
    cells that are at least 1, so both are 1; a third cell must be hidden too."""
    fill(viewers, [(m, g, "IN-2", "opvoeding", False) for m, g in [(0, "71016"), (1, "73111")]])
    fill(viewers, [(m % 3, "71072", "IN-2", "opvoeding", False) for m in range(9)])
    together = attack.union(read_all(client, viewers["analist"]))
    assert together.tables["gemeente"] == {"71016": None, "71072": None, "73111": None}
    assert attack.pinned(together) == {}


def test_the_page_says_te_weinig_gegevens_outside_the_network(client, small_network):
    from django.urls import reverse
    from django.utils import translation

    client.force_login(small_network["analist"])
    page = client.get(reverse("aanmeldingen:dashboard"), QUERY).content.decode()
    assert "te weinig gegevens" in page and "afgesloten kalenderkwartaal" in page
    with translation.override("en"):
        url = reverse("aanmeldingen:dashboard")
    english = client.get(url, QUERY).content.decode()
    assert "too little data" in english and "ended calendar quarter" in english
    assert "te weinig gegevens" not in english


@pytest.mark.parametrize("channel", attack.CHANNELS)
def test_the_networks_coordinator_sees_the_exact_figures(client, small_network, channel):
    client.force_login(small_network["coordinator"])
    published = attack.read(client, channel, QUERY)
    if channel != "api":
        assert published.tables["gemeente"] == TRUTH["gemeente"]
    if channel != "kaart":
        assert (published.totaal, published.wachtlijst) == (TRUTH["totaal"], TRUTH["wachtlijst"])
        assert published.tables["partner"] == TRUTH["partner"]
        assert published.tables["wachtlijst"] == TRUTH["wachtlijst_per_partner"]
    if channel in ("pagina", "export"):
        assert published.tables["domein"] == TRUTH["domein"]


def test_a_partner_chosen_outside_the_network_gives_that_partners_line_of_the_network(
    client, small_network
):
    """IN-2's 10 requests are hidden as IN-1's secondary partner: asking for IN-2 alone must not
    show them (10 would give 13 − 10 = 3 for IN-1), nor its breakdowns."""
    client.force_login(small_network["analist"])
    for channel in attack.CHANNELS:
        for code in ("IN-1", "IN-2"):
            published = attack.read(client, channel, {**QUERY, "partner": code})
            assert published.totaal is None
            assert all(v is None for t in published.tables.values() for v in t.values())
            assert "gemeente" not in published.tables or not published.tables["gemeente"]


def test_outside_the_network_periods_are_whole_ended_quarters(client, small_network):
    """A period one day shorter would give that day's requests by difference; a running
    quarter changes with every registration. Every period asked gives the ended quarter."""
    client.force_login(small_network["analist"])
    asked = [
        QUERY,
        {**QUERY, "van": (FIRST + dt.timedelta(days=9)).isoformat()},
        {**QUERY, "tot": (LAST - dt.timedelta(days=20)).isoformat()},
        {**QUERY, "van": (FIRST - dt.timedelta(days=200)).isoformat()},
    ]
    answers = [client.get("/api/v1/kpi/", q).json() for q in asked]
    assert all(a == answers[0] for a in answers)
    assert (answers[0]["van"], answers[0]["tot"]) == (FIRST.isoformat(), LAST.isoformat())
    today = dt.date.today()
    running = client.get(
        "/api/v1/kpi/", {"netwerk": "NET-T", "van": today.isoformat(), "tot": today.isoformat()}
    ).json()
    assert (running["van"], running["tot"]) == (FIRST.isoformat(), LAST.isoformat())
    # The coordinator keeps the period asked.
    client.force_login(small_network["coordinator"])
    own = client.get("/api/v1/kpi/", asked[1]).json()
    assert (own["van"], own["aantal"]) == (asked[1]["van"], 13)  # all registered on day 10


def test_quarter_of_covers_the_year():
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    quarters = {disclosure.quarter_of(d) for d in days}
    assert sorted(quarters) == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ]


REQUEST = st.tuples(
    st.integers(0, 2),
    st.sampled_from(["71016", "71072", "73111"]),
    st.sampled_from(["IN-1", "IN-2"]),
    st.sampled_from(["opvoeding", "school", "psychisch"]),
    st.booleans(),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requests=st.lists(REQUEST, max_size=16))
def test_no_request_set_lets_the_channels_together_pin_a_hidden_count(client, viewers, requests):
    Aanmelding.objects.all().delete()
    Gezin.objects.all().delete()
    fill(viewers, requests)
    together = attack.union(read_all(client, viewers["analist"]))
    assert attack.small_counts(together, THRESHOLD) == []
    assert attack.pinned(together) == {}


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=1, max_size=8))
def test_a_protected_breakdown_pins_no_hidden_count(counts):
    """The breakdown alone, many shapes: with its total (when shown) the hidden counts keep a
    range, also knowing each is at least 1."""
    hidden, total_hidden = disclosure.protect_breakdown(counts, sum(counts), THRESHOLD)
    shown = {
        str(i): (None if h else n) for i, (n, h) in enumerate(zip(counts, hidden, strict=True))
    }
    published = attack.Published(
        totaal=None if total_hidden else sum(counts), wachtlijst=0, tables={"gemeente": shown}
    )
    assert attack.small_counts(published, THRESHOLD) == []
    assert attack.pinned(published) == {}
