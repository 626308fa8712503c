"""The edge cases of issue #16: smoothing without variation, a form with no child in the areas,
and the input warnings (with what they may say, since they are published)."""

import numpy as np
import pandas as pd
import pytest

from jeugdhulp.analysis import output, report
from jeugdhulp.analysis.pipeline import (
    AnalysisInputs,
    AnalysisParams,
    _suppression,
    input_warnings,
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

A_ZERO_NOTE = (
    "de gebieden verschillen niet meer dan toeval verklaart (A = 0); elk gebied krijgt de "
    "regioverhouding en kans_boven_1 is 0"
)


def children(area: str, n: int, first: int, **fields) -> list[dict]:
    """``n`` distinct children living in ``area`` (BH, born March 2015, boys, by default)."""
    return [
        {"client_pseudoniem": pseudonym(first + k), "woonplaats": area, **fields} for k in range(n)
    ]


def analyse(areas, snapshot, population=None, **params):
    population = population_of(areas["code"]) if population is None else population
    return run_analysis(
        AnalysisInputs(
            areas,
            population,
            snapshot,
            AnalysisParams(PEILDATUM, permutations=9, **params),
            centroids=centroids_of(areas),
            sites=sites_for(areas),
        )
    )


def input_warning_lines(result) -> list[str]:
    markers = ("bevolking:", "zonder inwoners", "kinderen in hulp")
    return [w for w in result.warnings if any(m in w for m in markers)]


def test_without_variation_the_probability_above_1_is_exactly_0_with_a_note_everywhere():
    # Nine areas of 1,000 residents, ten boys aged 9 in each: the region's rate in that stratum
    # is 90 / 900 per boy aged 6-11, E = 100 x 0.1 = 10 = O in every area. Then s² = 0,
    # A = max(0 - m / 10, 0) = 0 and m = 90 / 90 = 1: every area gets ratio_eb 1 and
    # P(θ > 1) = 0.
    areas = grid_areas(3)
    rows = [row for i, code in enumerate(areas["code"]) for row in children(code, 10, 100 * i)]
    result = analyse(areas, snapshot_rows(rows))
    for form in ("BH", "ALLE"):
        shown = result.published[result.published["hulpvorm"] == form]
        assert (shown["verwacht"] == 10).all()
        np.testing.assert_allclose(shown["ratio_eb"], 1.0)
        assert (shown["kans_boven_1"] == 0.0).all()
    # One line for all such forms, not one per form.
    assert f"BH, ALLE: {A_ZERO_NOTE}" in result.warnings
    assert sum("(A = 0)" in w for w in result.warnings) == 1
    assert f"BH, ALLE: {A_ZERO_NOTE}" in output.manifest(result, [])["waarschuwingen"]
    assert A_ZERO_NOTE in report.render_report(result)


def test_without_variation_rounding_that_puts_m_just_above_1_still_gives_probability_0():
    # With this draw Marshall's m is 1.0000000000000002 and A = 0: `float(m > 1)` gave every
    # area a probability of 1 (issue #16).
    areas = grid_areas(3)
    result = analyse(areas, random_snapshot(areas["code"], 150, seed=7, forms=("BH",)))
    assert result.smoothing["BH"]["A"] == 0 and result.smoothing["BH"]["m"] > 1
    shown = result.published[result.published["hulpvorm"] == "BH"]
    assert shown["kans_boven_1"].notna().all() and (shown["kans_boven_1"] == 0.0).all()
    assert f"BH, ALLE: {A_ZERO_NOTE}" in result.warnings


def test_with_hidden_counts_the_note_says_they_may_flatten_the_differences():
    # 160 children over 16 areas: some counts of 1-4 are hidden and enter the smoothing as
    # shares of the hidden remainder. The note gives their share from the published mask.
    areas = grid_areas(4)
    result = analyse(areas, random_snapshot(areas["code"], 160, seed=2))
    shares = []
    for form in ("BH", "CB"):
        assert result.smoothing[form]["A"] == 0
        shown = result.published[result.published["hulpvorm"] == form]
        share = shown["onvoldoende_gegevens"].mean()
        assert 0 < share < 1
        shares.append(f"{form} {share:.0%}")
    (line,) = [w for w in result.warnings if "(A = 0)" in w]
    assert line.startswith("BH, CB")
    assert (
        f"{A_ZERO_NOTE} (gerekend op de getoonde aantallen: bij {', '.join(shares)} van de "
        "gebieden is het aantal verborgen en naar verwachting verdeeld, wat verschillen kan "
        "uitvlakken)"
    ) in line


def test_a_form_with_no_child_in_the_areas_gets_no_smoothing_and_one_warning_without_covariates():
    areas = grid_areas(3)
    inside = children(areas["code"][0], 20, 0) + children(areas["code"][4], 20, 100)
    abroad = children("BUITENLAND", 6, 200, hulpvorm="CB")
    result = analyse(areas, snapshot_rows(inside + abroad))
    cb = result.published[result.published["hulpvorm"] == "CB"]
    assert (cb["aantal_clienten"] == 0).all() and (cb["verwacht"] == 0).all()
    assert cb["ratio_eb"].isna().all() and cb["kans_boven_1"].isna().all()
    assert (cb["cluster"] == "geen").all()
    warning = (
        "CB: geen kinderen in de gebieden (ze wonen allemaal buiten de gebieden of vallen "
        "buiten de leeftijdsgroepen); geen gladstrijken, clusters of covariatenmodel"
    )
    assert result.warnings.count(warning) == 1
    assert "CB" not in result.smoothing and "CB" not in result.models


def test_population_codes_that_match_no_area_are_named():
    areas = grid_areas(3)
    population = pd.concat(
        [population_of(areas["code"]), population_of(["99999X999", "99999X998"])],
        ignore_index=True,
    )
    result = analyse(areas, random_snapshot(areas["code"], 300, seed=1), population)
    assert input_warning_lines(result) == [
        "bevolking: 2 gebiedscode(s) horen bij geen gebied (99999X998, 99999X999); "
        "controleer de gebiedsversie"
    ]


@pytest.mark.parametrize("clients", [12, 3], ids=["published-count", "hidden-count"])
def test_an_area_with_clients_but_no_residents_is_named(clients):
    # A hidden count is at least 1 (zeros are published), so naming its area tells nothing new.
    areas = grid_areas(3)
    codes = areas["code"]
    population = population_of(codes)
    population = population[population["area_code"] != codes[8]]
    rows = [row for i, c in enumerate(codes[:8]) for row in children(c, 30, 100 * i)]
    rows += children(codes[8], clients, 10_000)
    result = analyse(areas, snapshot_rows(rows), population)
    assert input_warning_lines(result) == [
        f"1 gebied(en) met cliënten maar zonder inwoners in het bevolkingsbestand (bv. "
        f"{codes[8]}): ze tellen in geen bereik"
    ]


def test_more_children_in_care_than_residents_is_named_with_the_reach():
    # 1,000 residents per area: 1,240 children is a reach of 1,240 per 1,000; 980 is possible.
    # 1,240 of 5,020 children (25%) is no concentration.
    areas = grid_areas(3)
    codes = areas["code"]
    rows = children(codes[0], 1240, 0) + children(codes[1], 980, 2_000)
    rows += [row for i, c in enumerate(codes[2:]) for row in children(c, 400, 10_000 * (i + 1))]
    result = analyse(areas, snapshot_rows(rows))
    assert input_warning_lines(result) == [
        f"1 gebied(en) met meer kinderen in hulp dan inwoners (bv. {codes[0]}: 1.240 per "
        "1.000): controleer de woonplaats in de foto en het bevolkingsbestand"
    ]


def test_all_rows_in_one_area_are_named_even_when_its_reach_is_possible():
    # 400 of 700 children (57%) live in one area with 1,000 of 9,000 residents (11%); its reach,
    # 400 per 1,000, is possible.
    areas = grid_areas(3)
    codes = areas["code"]
    rows = children(codes[0], 400, 0)
    rows += [row for i, c in enumerate(codes[1:7]) for row in children(c, 50, 1_000 * (i + 1))]
    result = analyse(areas, snapshot_rows(rows))
    assert input_warning_lines(result) == [
        f"{codes[0]} telt 57% van de kinderen in hulp maar 11% van de jongeren: staan alle "
        "cliënten op de woonplaats van een vestiging of partner? Controleer de woonplaats in de "
        "foto"
    ]


def test_the_demo_like_round_and_a_uniform_round_give_no_input_warning():
    areas = grid_areas(4)
    uniform = analyse(areas, random_snapshot(areas["code"], 600, seed=5))
    varied = analyse(
        areas, random_snapshot(areas["code"], 600, seed=6, rates=np.linspace(0.3, 3, 16))
    )
    assert input_warning_lines(uniform) == [] and input_warning_lines(varied) == []


def test_attack_the_input_warnings_say_nothing_about_a_hidden_count():
    # The attacker knows the population (3 residents in one area) and reads the warnings. The
    # check over raw counts said "more children in care than residents" exactly when the hidden
    # count exceeded 3: with counts 1-4 hidden, that pinned it to 4. Any value of a hidden
    # cell must leave the warnings unchanged.
    areas = grid_areas(3)
    codes = areas["code"]
    population = population_of(codes)
    population.loc[population["area_code"] == codes[4], "population"] = 0.0
    boys_6_11 = (population["area_code"] == codes[4]) & (population["age_from"] == 6)
    population.loc[boys_6_11 & (population["sex"] == "M"), "population"] = 3.0
    rows = [row for i, c in enumerate(codes) if i != 4 for row in children(c, 40, 100 * i)]
    rows += children(codes[4], 4, 10_000)
    result = analyse(areas, snapshot_rows(rows), population)
    table = result.indicators
    suppression = _suppression(table, result.hulpvormen, threshold=5)
    cell = ((table["gebied_code"] == codes[4]) & (table["hulpvorm"] == "ALLE")).to_numpy()
    assert suppression.hidden[cell].all()
    seen = set()
    for guess in (1, 2, 3, 4):
        guessed = table.copy()
        guessed.loc[cell, "aantal_clienten"] = guess
        seen.add(tuple(input_warnings(population, pd.Index(codes), guessed, suppression)))
    assert len(seen) == 1
    assert not any(codes[4] in w for w in result.warnings)
