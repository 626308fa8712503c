"""Client routes on a constructed example of three rounds, and their disclosure control."""

import datetime as dt

import pandas as pd
import pytest

from jeugdhulp.analysis import routes as r


def rows(*records):
    return pd.DataFrame(records, columns=["client_pseudoniem", "hulpvorm", "toegang"])


@pytest.fixture
def three_rounds():
    # a: KP, KP, then residential (step-up in 2024)
    # b: BH and CB, then CB under NRTJH (step-up in 2023), stays
    # c: residential, then CB at home (step-down in 2023), then out of the snapshot
    # d: KP, absent in 2023, KP again in 2024
    # e: enters in 2023 with BI and stays
    r1 = rows(
        ("a", "KP", "RTJH"),
        ("b", "CB", "RTJH"),
        ("b", "BH", "RTJH"),
        ("c", "VB", "NRTJH"),
        ("d", "KP", "RTJH"),
    )
    r2 = rows(("a", "KP", "RTJH"), ("b", "CB", "NRTJH"), ("c", "CB", "RTJH"), ("e", "BI", "rtjh"))
    r3 = rows(("a", "VB", "NRTJH"), ("b", "CB", "NRTJH"), ("d", "KP", "RTJH"), ("e", "BI", "RTJH"))
    return r.client_states(r.stack_rounds([(2022, r1), (2023, r2), (2024, r3)]))


def test_a_state_joins_the_forms_of_a_round_and_any_nrtjh_row_makes_it_nrtjh(three_rounds):
    b = three_rounds[three_rounds["client_pseudoniem"] == "b"]
    assert list(b["toestand"]) == ["BH+CB", "CB", "CB"]
    assert list(b["toegang"]) == ["RTJH", "NRTJH", "NRTJH"]


def test_routes_merge_repeats_and_mark_a_missing_round_in_between(three_rounds):
    routes = r.extract_routes(three_rounds).set_index("client_pseudoniem")
    assert routes["route"].to_dict() == {
        "a": "KP → VB",
        "b": "BH+CB → CB",
        "c": "VB → CB",
        "d": "KP → — → KP",
        "e": "BI",
    }
    assert routes["stappen"].to_dict() == {"a": 2, "b": 2, "c": 2, "d": 3, "e": 1}
    assert routes["rondes"].to_dict() == {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}
    assert routes.loc["e", "eerste"] == 2023 and routes.loc["c", "laatste"] == 2023


def test_without_gaps_an_absence_is_left_out(three_rounds):
    routes = r.extract_routes(three_rounds, gaps=False).set_index("client_pseudoniem")
    assert routes.loc["d", "route"] == "KP"
    assert routes.loc["d", "stappen"] == 1


def test_access_transitions_count_step_ups_step_downs_entries_and_exits(three_rounds):
    flows = r.transitions(three_rounds)
    as_dict = {(row.van_periode, row.van, row.naar): row.aantal for row in flows.itertuples()}
    assert as_dict == {
        (2022, "NRTJH", "RTJH"): 1,  # c steps down
        (2022, "RTJH", "NRTJH"): 1,  # b steps up
        (2022, "RTJH", "RTJH"): 1,  # a
        (2022, "RTJH", "—"): 1,  # d leaves
        (2022, "—", "RTJH"): 1,  # e enters
        (2023, "NRTJH", "NRTJH"): 1,  # b
        (2023, "RTJH", "NRTJH"): 1,  # a steps up
        (2023, "RTJH", "RTJH"): 1,  # e
        (2023, "RTJH", "—"): 1,  # c leaves
        (2023, "—", "RTJH"): 1,  # d comes back
    }
    summary = r.step_summary(r.suppress_transitions(flows, threshold=1)).set_index("van_periode")
    assert summary.loc[2022, ["opschaling", "afschaling", "instroom", "uitstroom"]].tolist() == [
        1,
        1,
        1,
        1,
    ]
    assert summary.loc[2023, ["opschaling", "afschaling", "bleef_nrtjh"]].tolist() == [1, 0, 1]


def test_small_transition_counts_are_hidden_with_secondary_suppression():
    before = [f"x{i}" for i in range(30)]
    states = pd.DataFrame(
        {
            "client_pseudoniem": before * 2,
            "periode": [1] * 30 + [2] * 30,
            "toestand": ["KP"] * 30 + ["KP"] * 20 + ["CB"] * 8 + ["VB"] * 2,
        }
    )
    published = r.suppress_transitions(r.transitions(states, column="toestand"), threshold=5)
    cells = published.set_index(["van", "naar"])
    assert cells.loc[("KP", "VB"), "verborgen"]
    assert pd.isna(cells.loc[("KP", "VB"), "aantal"])
    # the row is KP → KP 20, CB 8, VB 2 with its total 30: one more cell must go with the 2
    assert cells["verborgen"].sum() >= 2
    shown = cells.loc[~cells["verborgen"], "aantal"].astype(int)
    assert not ((shown >= 1) & (shown < 5)).any()


def routes_with(counts: dict[str, int]) -> pd.DataFrame:
    names = [name for name, n in counts.items() for _ in range(n)]
    return pd.DataFrame({"route": names, "stappen": [name.count("→") + 1 for name in names]})


def test_small_routes_are_merged_into_other_routes():
    table = r.route_counts(routes_with({"KP → VB": 7, "CB → VB": 6, "BI → KP": 3, "KP → CB": 2}), 5)
    assert table[["route", "aantal", "aantal_routes"]].values.tolist() == [
        ["KP → VB", 7, 1],
        ["CB → VB", 6, 1],
        [r.OTHER_ROUTES, 5, 2],
    ]


def test_a_small_merged_line_takes_in_the_smallest_shown_route():
    table = r.route_counts(routes_with({"KP → VB": 7, "CB → VB": 5, "BI → KP": 2, "KP → CB": 1}), 5)
    # 2 + 1 = 3 < 5, so CB → VB (5) joins: 8 children over 3 routes
    assert table[["route", "aantal", "aantal_routes"]].values.tolist() == [
        ["KP → VB", 7, 1],
        [r.OTHER_ROUTES, 8, 3],
    ]


def test_min_steps_and_too_few_children():
    counts = {"KP": 9, "KP → VB": 5}
    assert r.route_counts(routes_with(counts), 5, min_steps=2)["route"].tolist() == ["KP → VB"]
    assert r.route_counts(routes_with({"KP": 2, "CB": 2}), 5).empty


def test_no_rounds_give_empty_tables():
    states = r.client_states(r.stack_rounds([]).assign(toestand=[]))
    assert r.transitions(states, periods=[1]).empty
    assert r.extract_routes(states).empty
    assert r.route_counts(r.extract_routes(states), 5).empty


def test_rounds_given_by_date_get_integer_periods_in_time_order(three_rounds):
    by_year = {
        2022: dt.date(2022, 2, 10),
        2023: dt.datetime(2023, 2, 10),
        2024: pd.Timestamp(2024, 2, 1),
    }
    rows_of = {
        year: three_rounds.loc[three_rounds["periode"] == year, ["client_pseudoniem"]].assign(
            hulpvorm="KP", toegang="RTJH"
        )
        for year in by_year
    }
    stacked = r.stack_rounds([(by_year[year], rows_of[year]) for year in (2024, 2022, 2023)])
    assert pd.api.types.is_integer_dtype(stacked["periode"])
    assert sorted(stacked["periode"].unique()) == [20220210, 20230210, 20240201]
    routes = r.extract_routes(r.client_states(stacked)).set_index("client_pseudoniem")
    assert routes.loc["d", "route"] == "KP → — → KP"
    assert (routes.loc["c", "eerste"], routes.loc["c", "laatste"]) == (20220210, 20230210)
