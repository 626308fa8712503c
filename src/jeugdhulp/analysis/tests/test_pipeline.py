"""The whole pipeline on regions the tests build, where the truth is known."""

import numpy as np
import pandas as pd
import pytest

from jeugdhulp.analysis.pipeline import (
    CONTRACT_COLUMNS,
    AnalysisInputs,
    AnalysisParams,
    run_analysis,
)
from jeugdhulp.analysis.tests.fixtures import (
    PEILDATUM,
    centroids_of,
    grid_areas,
    population_of,
    pseudonym,
    random_snapshot,
    sites_for,
    snapshot_rows,
)


def run(areas, snapshot, **params):
    return run_analysis(
        AnalysisInputs(
            areas,
            population_of(areas["code"]),
            snapshot,
            AnalysisParams(PEILDATUM, **params),
            centroids=centroids_of(areas),
            sites=sites_for(areas),
        )
    )


def test_counting_rules_unique_children_per_form_and_in_alle():
    areas = grid_areas(2)
    same = pseudonym(1)
    snapshot = snapshot_rows(
        [
            # one child, two partners, two forms, twice BH: 1 in BH, 1 in CB, 1 in ALLE
            {"client_pseudoniem": same, "woonplaats": "A00", "hulpvorm": "BH", "partner": "P1"},
            {"client_pseudoniem": same, "woonplaats": "A00", "hulpvorm": "BH", "partner": "P2"},
            {"client_pseudoniem": same, "woonplaats": "A00", "hulpvorm": "CB", "partner": "P2"},
            # the same local id at two partners: two children
            {"client_pseudoniem": "L-7", "woonplaats": "A01", "partner": "P1"},
            {"client_pseudoniem": "L-7", "woonplaats": "A01", "partner": "P2"},
            {"client_pseudoniem": pseudonym(2), "woonplaats": "BUITENLAND"},
            {"client_pseudoniem": pseudonym(3), "woonplaats": "A10", "geboortejaar": 1999},
        ]
    )
    result = run(areas, snapshot, permutations=9, threshold=1)
    raw = result.indicators.set_index(["gebied_code", "hulpvorm"])["aantal_clienten"]
    assert raw[("A00", "BH")] == 1 and raw[("A00", "CB")] == 1 and raw[("A00", "ALLE")] == 1
    assert raw[("A01", "BH")] == 2 and raw[("A01", "ALLE")] == 2
    assert raw[("A10", "ALLE")] == 0  # aged 25: outside the bands, counted apart
    outside = result.outside.set_index(["categorie", "hulpvorm"])["aantal_clienten"]
    assert outside[("BUITENLAND", "ALLE")] == 1
    assert outside[("LEEFTIJD_BUITEN_BANDEN", "ALLE")] == 1
    assert result.hulpvormen == ["BH", "CB", "ALLE"]


def test_reach_expected_and_shares_by_hand():
    areas = grid_areas(2)
    records = [
        {"client_pseudoniem": pseudonym(i), "woonplaats": "A00" if i < 6 else "A01",
         "crisis": i < 3, "geboortejaar": 2004 if i in (0, 6) else 2015}
        for i in range(12)
    ]  # fmt: skip
    result = run(areas, snapshot_rows(records), permutations=9, threshold=1)
    row = result.indicators.set_index(["gebied_code", "hulpvorm"]).loc[("A00", "BH")]
    # 1,000 residents per area (5 bands × 2 sexes × 100)
    assert row["inwoners"] == 1000
    assert row["bereik_per_1000"] == 6.0
    assert row["aandeel_crisis"] == 0.5
    assert row["aandeel_jongvolwassen"] == pytest.approx(1 / 6)
    # Region rates per stratum applied to identical populations: 12 children / 4 areas
    assert row["verwacht"] == pytest.approx(3.0)
    assert row["ratio"] == pytest.approx(2.0)


def test_planted_high_and_low_clusters_are_found():
    areas = grid_areas(10, size_m=3000)
    code = areas["code"]
    row = code.str[1].astype(int)
    col = code.str[2].astype(int)
    rates = np.ones(len(areas))
    rates[(row <= 2) & (col <= 2)] = 3.0  # planted hotspot: a 3 × 3 corner
    rates[(row >= 7) & (col >= 7)] = 0.25  # planted blue zone: the opposite corner
    snapshot = random_snapshot(code, 6000, seed=5, rates=rates, forms=("BH",))
    result = run(areas, snapshot, permutations=999, seed=3)
    alle = result.published[result.published["hulpvorm"] == "ALLE"].set_index("gebied_code")
    hot = alle.index[alle["cluster"] == "hotspot"]
    blue = alle.index[alle["cluster"] == "blauwe_zone"]
    planted_hot = set(code[(row <= 2) & (col <= 2)])
    planted_blue = set(code[(row >= 7) & (col >= 7)])
    assert len(planted_hot & set(hot)) >= 5
    assert len(planted_blue & set(blue)) >= 5
    false = (set(hot) - planted_hot) | (set(blue) - planted_blue)
    assert len(false) <= 6  # neighbours of a planted block share its signal


def test_published_output_hides_small_counts_and_everything_derived():
    areas = grid_areas(4)
    rates = np.linspace(0.1, 2, 16)
    snapshot = random_snapshot(areas["code"], 300, seed=2, rates=rates)
    result = run(areas, snapshot, permutations=9, threshold=5)
    raw, out = result.indicators, result.published
    assert list(out.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert not any(c.startswith("n_") for c in out.columns)
    small = raw["aantal_clienten"].between(1, 4).to_numpy()
    assert small.any()
    hidden = out["aantal_clienten"].isna().to_numpy()
    assert hidden[small].all()
    for column in ("bereik_per_1000", "ratio", "ratio_laag", "ratio_hoog", "ratio_eb",
                   "kans_boven_1", "mediaan_afstand_km", "aandeel_crisis",
                   "aandeel_jongvolwassen", "onvervulde_nood"):  # fmt: skip
        assert out.loc[hidden, column].isna().all(), column
    # Every form's column hides none or at least two cells (its total is published). A row may
    # hide one cell alone: ALLE is no sum, so a row whose forms count children twice lets a
    # cell move against its column only (the attack suite proves the intervals).
    grid = out.assign(h=hidden).pivot(index="gebied_code", columns="hulpvorm", values="h")
    assert not (grid.sum(axis=0) == 1).any()
    # The region totals are consistent with what is shown.
    region = result.region.set_index("hulpvorm")["aantal_clienten"]
    shown = out[~hidden].groupby("hulpvorm")["aantal_clienten"].sum()
    for form in result.hulpvormen:
        if not np.isnan(region[form]):
            assert shown[form] <= region[form]


def test_same_inputs_and_seed_give_identical_indicators():
    areas = grid_areas(4)
    snapshot = random_snapshot(areas["code"], 400, seed=4)
    a = run(areas, snapshot, permutations=99, seed=8).published
    b = run(areas, snapshot.sample(frac=1, random_state=1), permutations=99, seed=8).published
    pd.testing.assert_frame_equal(a, b)


def test_inputs_that_do_not_fit_together_are_named_in_the_warnings():
    areas = grid_areas(3)
    codes = areas["code"]
    population = population_of(codes)
    # A code from another area version, and the first area without residents.
    population = pd.concat(
        [population[population["area_code"] != codes[0]],
         population_of(["99999X999"])], ignore_index=True,
    )  # fmt: skip
    # Area 1: 40 children, against population_of's residents there (reach above 1,000 ‰).
    snapshot = random_snapshot(codes, 200, seed=1)
    crowded = snapshot.iloc[:1].copy()
    crowded = pd.concat([crowded] * 4000, ignore_index=True)
    crowded["client_pseudoniem"] = [pseudonym(10_000 + k) for k in range(len(crowded))]
    crowded["woonplaats"] = codes[1]
    snapshot = pd.concat([snapshot, crowded], ignore_index=True)
    result = run_analysis(AnalysisInputs(
        areas, population, snapshot, AnalysisParams(PEILDATUM, permutations=9),
        centroids=centroids_of(areas), sites=sites_for(areas),
    ))  # fmt: skip
    text = "\n".join(result.warnings)
    assert "1 gebiedscode(s) horen bij geen gebied (99999X999)" in text
    assert f"met cliënten maar zonder inwoners in het bevolkingsbestand (bv. {codes[0]})" in text
    assert f"meer kinderen in hulp dan inwoners (bv. {codes[1]}:" in text


def test_inputs_that_fit_give_no_input_warning():
    areas = grid_areas(3)
    result = run(areas, random_snapshot(areas["code"], 300, seed=1), permutations=9)
    text = "\n".join(result.warnings)
    assert "horen bij geen gebied" not in text and "zonder inwoners" not in text
    assert "meer kinderen in hulp dan inwoners" not in text
    assert "van de kinderen in hulp" not in text


def test_a_form_whose_children_all_live_outside_the_areas_gets_no_model_and_a_warning():
    areas = grid_areas(4)
    snapshot = random_snapshot(areas["code"], 400, seed=2)
    outside = snapshot["hulpvorm"] == "CB"
    snapshot.loc[outside, "client_pseudoniem"] = [
        pseudonym(50_000 + k) for k in range(int(outside.sum()))
    ]
    snapshot.loc[outside, "woonplaats"] = "99999X999"
    covariates = pd.DataFrame(
        {"area_code": areas["code"], "inkomen": np.linspace(20, 40, len(areas))}
    )
    result = run_analysis(AnalysisInputs(
        areas, population_of(areas["code"]), snapshot, AnalysisParams(PEILDATUM, permutations=9),
        centroids=centroids_of(areas), sites=sites_for(areas), covariates=covariates,
    ))  # fmt: skip
    assert "CB" not in result.models and "BH" in result.models
    assert (
        "CB: geen kinderen in de gebieden (ze wonen allemaal buiten de gebieden of vallen buiten "
        "de leeftijdsgroepen); geen gladstrijken, clusters of covariatenmodel"
    ) in result.warnings


def test_flemish_inputs_order_the_forms_as_the_catalogue_and_plain_inputs_alphabetically():
    areas = grid_areas(3)
    snapshot = random_snapshot(areas["code"], 200, seed=4)  # forms BH and CB
    params = AnalysisParams(PEILDATUM, permutations=9)
    tables = (areas, population_of(areas["code"]), snapshot, params)
    plain = AnalysisInputs(*tables, centroids=centroids_of(areas))
    flemish = AnalysisInputs.flemish(*tables, centroids=centroids_of(areas))
    assert run_analysis(plain).hulpvormen == ["BH", "CB", "ALLE"]
    # The catalogue lists contextbegeleiding (CB) before behandeling (BH).
    assert run_analysis(flemish).hulpvormen == ["CB", "BH", "ALLE"]
