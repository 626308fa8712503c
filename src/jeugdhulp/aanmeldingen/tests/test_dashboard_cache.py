"""The dashboard from the cache: the same figures as computed afresh, and new ones after a
registration or a workflow event of the network (at once, or after the allowed lag)."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from jeugdhulp.aanmeldingen import dashboard, figures_cache, kpi
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import Event, add_event, register


@pytest.fixture
def period():
    today = timezone.localdate()
    return today - dt.timedelta(days=365), today


@pytest.fixture
def registered(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(world["aanmelder"], registration(partners=["IN-1"]))
        register(world["aanmelder"], registration(partners=["IN-1", "IN-2"], gemeente="71072"))
        add_event(world["voorziening"], first.pk, Event("wachtlijst"))
    return world


@pytest.fixture
def before_a_registration(registered, period, django_capture_on_commit_callbacks):
    """The network's dashboard as built, then a new registration of the network: (dashboard
    before, the new request)."""
    before = dashboard.build(registered["network"], *period)
    with django_capture_on_commit_callbacks(execute=True):
        new = register(registered["aanmelder"], registration(partners=["IN-2"]))
    return before, new


def test_cached_dashboard_equals_the_computed_one(registered, period, django_assert_num_queries):
    network = registered["network"]
    first = dashboard.build(network, *period)
    assert first == dashboard.compute(network, *period)
    with django_assert_num_queries(0):
        assert dashboard.build(network, *period) == first
    assert first.totaal.aantal == 2 and first.totaal.open_wachtlijst == 1


def test_registration_and_event_renew_the_cached_dashboard(
    registered, period, django_capture_on_commit_callbacks, before_a_registration, settings
):
    settings.JEUGDHULP_DASHBOARD_MAX_LAG = 0
    network = registered["network"]
    before, new = before_a_registration
    after = dashboard.build(network, *period)
    assert after == dashboard.compute(network, *period)
    assert after.totaal.aantal == before.totaal.aantal + 1
    with django_capture_on_commit_callbacks(execute=True):
        add_event(registered["voorziening2"], new.pk, Event("wachtlijst"))
    later = dashboard.build(network, *period)
    assert later == dashboard.compute(network, *period)
    assert later.totaal.open_wachtlijst == after.totaal.open_wachtlijst + 1


def test_waiting_list_from_the_status_equals_the_one_from_the_events(
    registered, period, monkeypatch
):
    from_status = kpi.network_kpis(registered["network"], *period)
    # A day later "today" makes the period end in the past: the waiting list comes from events.
    monkeypatch.setattr(kpi.timezone, "localdate", lambda: period[1] + dt.timedelta(days=1))
    assert kpi.network_kpis(registered["network"], *period) == from_status
    assert from_status.totaal.open_wachtlijst == 1
    assert from_status.per_partner["IN-1"].wachtlijst_sinds == [period[1]]


def test_a_change_shows_once_the_allowed_lag_has_passed(
    registered, period, before_a_registration, settings, monkeypatch
):
    settings.JEUGDHULP_DASHBOARD_MAX_LAG = 60
    network = registered["network"]
    before, _new = before_a_registration
    # Within the lag the previous figures are served ...
    assert dashboard.build(network, *period).totaal.aantal == before.totaal.aantal
    # ... and after it the new ones, computed once.
    now = time.time()
    monkeypatch.setattr(figures_cache.time, "time", lambda: now + 61)
    after = dashboard.build(network, *period)
    assert after.totaal.aantal == before.totaal.aantal + 1
    assert after.berekend_op >= before.berekend_op


def test_while_one_request_computes_the_others_get_the_previous_figures(
    registered, period, before_a_registration, settings
):
    settings.JEUGDHULP_DASHBOARD_MAX_LAG = 0
    network = registered["network"]
    before, _new = before_a_registration
    # Another worker is computing them: no second computation, the previous figures meanwhile.
    key = figures_cache.entry_key(network.pk, ["dashboard", *period, ""])
    assert cache.add(f"{key}:bezig", True, 30)
    assert dashboard.build(network, *period).totaal.aantal == before.totaal.aantal
