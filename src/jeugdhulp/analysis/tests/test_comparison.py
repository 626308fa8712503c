"""Comparison groups: nearest areas by standardised covariates, the ratio against the group."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jeugdhulp.analysis.cli import main
from jeugdhulp.analysis.comparison import furthest_from_group, ratio_to_group, similar_areas
from jeugdhulp.analysis.output import write_all
from jeugdhulp.analysis.pipeline import (
    CONTRACT_COLUMNS,
    AnalysisInputs,
    AnalysisParams,
    run_analysis,
)
from jeugdhulp.analysis.tests.attacks import small_region
from jeugdhulp.analysis.tests.fixtures import PEILDATUM, centroids_of
from jeugdhulp.analysis.tests.test_cli import arguments, round_files  # noqa: F401 (fixture)

# Five areas: income (k€) and single-parent share. By hand: income mean 28.6, population SD
# √(255.2 / 5) = 7.14423; share mean 0.2, SD √(0.0328 / 5) = 0.080994. z-scores:
#   income  −1.2038  −0.9238   0.1960   0.3359   1.5957
#   share   −1.2347   1.2347  −0.9877   0.9877   0
# Distances (√Σ Δz²): d(0,2) = √(1.3998² + 0.2470²) = 1.4213, d(0,1) = √(0.2800² + 2.4694²) =
# 2.4851, d(1,3) = √(1.2597² + 0.2470²) = 1.2837, d(2,4) = √(1.3997² + 0.9877²) = 1.7131,
# d(3,4) = √(1.2598² + 0.9877²) = 1.6008, d(0,3) = 2.7036, d(0,4) = 3.0596, d(1,2) = 2.4886,
# d(1,4) = 2.8058, d(2,3) = 1.9804.
FIVE = pd.DataFrame(
    {"inkomen": [20.0, 22.0, 30.0, 31.0, 40.0], "eenouder": [0.10, 0.30, 0.12, 0.28, 0.20]}
)


def test_groups_are_the_nearest_areas_by_standardised_distance_computed_by_hand():
    groups = similar_areas(FIVE, size=2)
    assert groups.members.tolist() == [[2, 1], [3, 0], [0, 4], [1, 4], [3, 2]]
    np.testing.assert_allclose(
        groups.distance,
        [[1.4213, 2.4851], [1.2837, 2.4851], [1.4213, 1.7131], [1.2837, 1.6008], [1.6008, 1.7131]],
        atol=1e-4,
    )
    assert groups.columns == ("inkomen", "eenouder")
    assert groups.labels(["G0", "G1", "G2", "G3", "G4"]).tolist() == [
        "G2;G1",
        "G3;G0",
        "G0;G4",
        "G1;G4",
        "G3;G2",
    ]


def test_without_standardising_income_would_decide_alone():
    # In raw units area 1 (income 22) is nearest to area 0 (income 20); on z-scores the share
    # of single parents counts as much, and area 2 is nearer (1.42 against 2.49).
    raw = np.abs(FIVE["inkomen"] - 20.0).to_numpy()
    assert np.argsort(raw)[1] == 1
    assert similar_areas(FIVE, size=1).members[0].tolist() == [2]


def test_ratio_against_the_group_pools_only_published_members_computed_by_hand():
    groups = similar_areas(FIVE, size=2)
    observed = np.array([10.0, 4.0, 6.0, 12.0, 8.0])
    expected = np.array([8.0, 5.0, 6.0, 10.0, 8.0])
    published = np.array([True, False, True, True, True])
    ratio = ratio_to_group(observed, expected, groups.members, published)
    # Area 0: group {2, 1}, 1 hidden → pool 6/6 = 1; own 10/8 → 1.25.
    # Area 1: its own count is hidden → empty.
    # Area 2: group {0, 4}: (10 + 8) / (8 + 8) = 1.125; own 6/6 → 0.8889.
    # Area 3: group {1, 4}, 1 hidden → pool 8/8; own 12/10 → 1.2.
    # Area 4: group {3, 2}: (12 + 6) / (10 + 6) = 1.125; own 8/8 → 0.8889.
    np.testing.assert_allclose(ratio, [1.25, np.nan, 1 / 1.125, 1.2, 1 / 1.125], rtol=1e-12)


def test_no_ratio_when_no_member_is_published_or_the_pooled_count_is_zero():
    members = np.array([[1], [0], [0]])
    ratio = ratio_to_group(
        np.array([5.0, 0.0, 7.0]), np.array([5.0, 4.0, 5.0]), members, np.array([1, 1, 1], bool)
    )
    # Area 0's only member counts 0: its ratio against the group would be infinite.
    assert np.isnan(ratio[0])
    assert ratio[1] == pytest.approx(0.0)
    assert ratio[2] == pytest.approx((7 / 5) / (5 / 5))
    hidden_member = ratio_to_group(
        np.array([5.0, 3.0]), np.array([5.0, 4.0]), np.array([[1], [0]]), np.array([True, False])
    )
    assert np.isnan(hidden_member).all()


def test_an_area_without_covariates_gets_no_group_and_is_nobodys_member():
    covariates = FIVE.copy()
    covariates.loc[1, "eenouder"] = np.nan
    groups = similar_areas(covariates, size=10)
    assert groups.size == 3  # four areas with covariates: three others each
    assert (groups.members[1] == -1).all()
    assert not (groups.members == 1).any()
    assert groups.labels(list("abcde"))[1] is None
    assert any("1 gebied(en) zonder (volledige) covariaten" in w for w in groups.warnings)


def test_a_constant_covariate_is_left_out_with_a_warning():
    covariates = FIVE.assign(overal=3.0)
    groups = similar_areas(covariates, size=2)
    assert groups.columns == ("inkomen", "eenouder")
    assert groups.members.tolist() == similar_areas(FIVE, size=2).members.tolist()
    assert any("'overal' is overal gelijk" in w for w in groups.warnings)


def test_identical_areas_never_count_themselves():
    covariates = pd.DataFrame({"x": [1.0, 1.0, 1.0, 5.0]})
    groups = similar_areas(covariates, size=2)
    for area, row in enumerate(groups.members):
        assert area not in row
    assert sorted(groups.members[0].tolist()) == [1, 2]


def test_one_area_alone_has_no_group():
    groups = similar_areas(pd.DataFrame({"x": [1.0]}), size=10)
    assert groups.size == 0
    assert groups.labels(["a"]).tolist() == [None]
    assert any("te weinig gebieden" in w for w in groups.warnings)


@settings(max_examples=60, deadline=None)
@given(
    values=hnp.arrays(
        float,
        st.tuples(st.integers(2, 30), st.integers(1, 3)),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    ),
    size=st.integers(1, 12),
)
def test_groups_agree_with_a_brute_force_search(values, size):
    frame = pd.DataFrame(values, columns=[f"c{i}" for i in range(values.shape[1])])
    groups = similar_areas(frame, size=size)
    sd = values.std(axis=0)
    if not (sd > 1e-9).any():
        return
    keep = sd > 0
    z = (values[:, keep] - values[:, keep].mean(axis=0)) / sd[keep]
    full = np.sqrt(((z[:, None] - z[None]) ** 2).sum(axis=-1))
    np.fill_diagonal(full, np.inf)
    k = min(size, len(values) - 1)
    assert groups.size == k
    for area in range(len(values)):
        row = groups.members[area]
        assert area not in row and len(set(row.tolist())) == k
        # The members are the k nearest: their distances are the k smallest (ties may swap).
        np.testing.assert_allclose(
            np.sort(full[area][row]), np.sort(full[area])[:k], rtol=1e-7, atol=1e-9
        )


def test_the_pipeline_writes_the_group_and_its_ratio_in_every_output(tmp_path):
    built = small_region(3, side=4, rare_counts=[1, 1, 7, 9] + [0] * 12)
    result = run_analysis(
        AnalysisInputs(
            built.areas,
            built.population,
            built.snapshot,
            AnalysisParams(PEILDATUM, comparison_size=4),
            centroids=centroids_of(built.areas),
            sites=built.sites,
            covariates=built.covariates,
        )
    )
    assert CONTRACT_COLUMNS[-2:] == ["vergelijkingsgroep", "ratio_t_o_v_groep"]
    write_all(result, tmp_path, [])
    frame = pd.read_csv(tmp_path / "indicatoren.csv", dtype={"gebied_code": str})
    assert list(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    # The same group for every form of the area: four codes, not the area itself.
    per_area = frame.groupby("gebied_code")["vergelijkingsgroep"].nunique()
    assert (per_area == 1).all()
    for code, group in frame.drop_duplicates("gebied_code")[
        ["gebied_code", "vergelijkingsgroep"]
    ].itertuples(index=False):
        members = group.split(";")
        assert len(members) == 4 and code not in members
    # Blank exactly where the count is hidden (and filled elsewhere in the common forms).
    hidden = frame["aantal_clienten"].isna()
    assert hidden.any()
    assert frame.loc[hidden, "ratio_t_o_v_groep"].isna().all()
    assert frame.loc[~hidden & frame["hulpvorm"].eq("BH"), "ratio_t_o_v_groep"].notna().all()
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert '"vergelijkingsgroepen"' in manifest and '"grootte": 4' in manifest
    layer = pyogrio.read_dataframe(tmp_path / "gebieden.gpkg", layer="BH")
    assert {"vergelijkingsgroep", "ratio_t_o_v_groep"} <= set(layer.columns)
    report = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "vergeleken met de 4 gebieden" in report
    furthest = furthest_from_group(result.published).iloc[0]
    assert f"<td>{furthest['gebied_naam']} ({furthest['gebied_code']})</td>" in report


def test_without_covariates_the_columns_are_there_and_empty(tmp_path):
    built = small_region(4)
    result = run_analysis(
        AnalysisInputs(
            built.areas,
            built.population,
            built.snapshot,
            AnalysisParams(PEILDATUM),
            centroids=centroids_of(built.areas),
        )
    )
    assert result.published["vergelijkingsgroep"].isna().all()
    assert result.published["ratio_t_o_v_groep"].isna().all()


def test_the_cli_takes_the_group_size_and_refuses_zero(round_files, capsys):  # noqa: F811
    out = round_files / "uit"
    assert main(arguments(round_files, out, "--vergelijkingsgroep-grootte", "3")) == 0
    table = pd.read_csv(out / "indicatoren.csv", dtype={"gebied_code": str})
    assert (table["vergelijkingsgroep"].str.split(";").str.len() == 3).all()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["comparison_size"] == 3
    assert manifest["vergelijkingsgroepen"]["covariaten"] == ["inkomen", "eenoudergezinnen"]
    assert main(arguments(round_files, out, "--vergelijkingsgroep-grootte", "0")) == 2
    assert "--vergelijkingsgroep-grootte" in capsys.readouterr().err


def test_the_report_lists_the_areas_furthest_from_their_group_on_the_log_scale():
    published = pd.DataFrame(
        {
            "gebied_code": ["a", "b", "c", "d", "e", "a", "b"],
            "gebied_naam": ["A", "B", "C", "D", "E", "A", "B"],
            "hulpvorm": ["BH"] * 5 + ["ALLE"] * 2,
            "aantal_clienten": [10.0, 20.0, np.nan, 8.0, 0.0, 30.0, 40.0],
            "ratio_t_o_v_groep": [2.0, 1.5, np.nan, 0.4, 0.0, 0.5, 1.0],
        }
    )
    table = furthest_from_group(published, per_side=1)
    # BH: above, a (2.0) beats b (1.5); below, d (0.4: |log| 0.92); e (0: no children) and the
    # hidden c are not ranked. ALLE: a (0.5) below; b at exactly 1 is on neither side.
    assert table[["hulpvorm", "richting", "gebied_code"]].values.tolist() == [
        ["BH", "boven", "a"],
        ["BH", "onder", "d"],
        ["ALLE", "onder", "a"],
    ]
