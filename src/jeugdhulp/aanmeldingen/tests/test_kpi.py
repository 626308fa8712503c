"""KPIs on a hand-built set; every expected value below is computed by hand in the comments."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp.aanmeldingen import kpi
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import Event, add_event, register

D = dt.date
VAN, TOT = D(2025, 1, 1), D(2025, 3, 31)


@pytest.fixture
def hand_built(world):
    reg = world["aanmelder"]
    p1, p2 = world["voorziening"], world["voorziening2"]

    def new(day, partners, termijn=None):
        return register(
            reg, registration(aangemeld_op=day, partners=partners, gewenste_termijn=termijn)
        )

    r1 = new(D(2025, 1, 1), ["IN-1"], D(2025, 1, 10))
    add_event(p1, r1.pk, Event("eerste_gesprek", datum=D(2025, 1, 8)))  # 7 days, within term
    add_event(
        p1, r1.pk, Event("hulp_gestart", datum=D(2025, 1, 20), organisatie="IN-1", hulpvorm="KP")
    )  # 19
    r2 = new(D(2025, 1, 5), ["IN-1"], D(2025, 1, 15))
    add_event(p1, r2.pk, Event("eerste_gesprek", datum=D(2025, 2, 14)))  # 40 days, after term
    add_event(
        p1, r2.pk, Event("hulp_gestart", datum=D(2025, 3, 1), organisatie="IN-1", hulpvorm="BH")
    )  # 55
    r3 = new(D(2025, 2, 1), ["IN-2"])
    add_event(p2, r3.pk, Event("eerste_gesprek", datum=D(2025, 2, 21)))  # 20 days
    new(D(2025, 3, 20), ["IN-2"], D(2025, 3, 25))  # r4: 30 days not over on TOT; term passed
    r5 = new(D(2025, 2, 10), ["IN-1", "IN-2"])
    add_event(p1, r5.pk, Event("wachtlijst", datum=D(2025, 2, 15)))  # waiting on TOT
    r6 = new(D(2025, 1, 15), ["IN-1"])
    add_event(p1, r6.pk, Event("wachtlijst", datum=D(2025, 1, 20)))
    add_event(
        p1, r6.pk, Event("eerste_gesprek", datum=D(2025, 4, 10))
    )  # after TOT: still waiting then
    new(D(2024, 12, 31), ["IN-1"])  # before the period
    outside = registration(aangemeld_op=D(2025, 2, 1), partners=["OUT-1"])
    register(world["andere_voorziening"], outside)  # another network
    return world


def test_network_kpis_on_a_hand_built_set(hand_built):
    result = kpi.network_kpis(hand_built["network"], VAN, TOT)
    total = result.totaal
    assert total.aantal == 6
    # 30 days: denominator r1 r2 r3 (talked) + r5 r6 (30th day passed) = 5; within: r1, r3.
    assert total.aandeel_gesprek_binnen_30_dagen == 0.4
    # desired term: r1 r2 r4 have one; within: r1 only.
    assert total.aandeel_binnen_gewenste_termijn == round(1 / 3, 4)
    # days to first conversation up to TOT: 7, 20, 40 -> median 20, P90 = 3rd of 3 = 40.
    assert (total.mediaan_dagen_tot_eerste_gesprek, total.p90_dagen_tot_eerste_gesprek) == (20, 40)
    assert total.mediaan_dagen_tot_hulp == 37  # (19 + 55) / 2
    assert total.open_wachtlijst == 2  # r5, r6
    assert kpi.waiting_ages(total.wachtlijst_sinds, TOT) == {
        "aantal": 2,
        "mediaan_dagen": 57.0,
        "max_dagen": 70,
    }

    in1, in2 = result.per_partner["IN-1"], result.per_partner["IN-2"]
    assert in1.as_api() == {
        "aantal": 4,  # r1 r2 r5 r6
        "aandeel_gesprek_binnen_30_dagen": 0.25,  # r1 of r1 r2 r5 r6
        "aandeel_binnen_gewenste_termijn": 0.5,  # r1 of r1 r2
        "mediaan_dagen_tot_eerste_gesprek": 23.5,  # 7, 40
        "p90_dagen_tot_eerste_gesprek": 40,  # 2nd of 2
        "mediaan_dagen_tot_hulp": 37.0,
        "open_wachtlijst": 2,
    }
    assert in2.as_api() == {
        "aantal": 3,  # r3 r4 r5
        "aandeel_gesprek_binnen_30_dagen": 0.5,  # r3 of r3 r5
        "aandeel_binnen_gewenste_termijn": 0.0,  # r4 of r4
        "mediaan_dagen_tot_eerste_gesprek": 20.0,
        "p90_dagen_tot_eerste_gesprek": 20,
        "mediaan_dagen_tot_hulp": None,
        "open_wachtlijst": 1,
    }


def test_kpis_for_one_partner_and_an_empty_period(hand_built):
    only = kpi.network_kpis(hand_built["network"], VAN, TOT, partner=hand_built["partner2"])
    assert only.totaal.aantal == 3 and list(only.per_partner) == ["IN-2"]
    empty = kpi.network_kpis(hand_built["network"], D(2020, 1, 1), D(2020, 12, 31)).totaal
    assert empty.as_api() == {
        "aantal": 0,
        "aandeel_gesprek_binnen_30_dagen": None,
        "aandeel_binnen_gewenste_termijn": None,
        "mediaan_dagen_tot_eerste_gesprek": None,
        "p90_dagen_tot_eerste_gesprek": None,
        "mediaan_dagen_tot_hulp": None,
        "open_wachtlijst": 0,
    }


def test_breakdowns_per_month_domain_and_municipality(hand_built):
    partners = [hand_built["partner"].pk, hand_built["partner2"].pk]
    result = kpi.network_kpis(hand_built["network"], VAN, TOT)
    assert result.per_maand == [(D(2025, 1, 1), 3), (D(2025, 2, 1), 2), (D(2025, 3, 1), 1)]
    assert result.per_gemeente == {"71016": 6}
    assert kpi.per_domain(partners, VAN, TOT) == {"opvoeding": 6, "school": 6}


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9), (list(range(1, 12)), 10), ([5], 5), ([3, 1], 3)],
)
def test_p90_is_the_nearest_rank(values, expected):
    assert kpi.p90_nearest_rank(np.array(values)) == expected


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=200))
def test_p90_nearest_rank_property(values):
    rank = math.ceil(0.9 * len(values))
    assert kpi.p90_nearest_rank(np.array(values)) == sorted(values)[rank - 1]
