"""The attack suite (issue #13): each route by which an outside attacker recovered suppressed
counts from a fresh analysis of a small region, mounted from the published files and the public
inputs only. Each test asserts that the route recovers nothing. These tests are the
specification of docs/en/disclosure.md."""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.analysis import comparison, funnel, funnel_plot
from jeugdhulp.analysis.distance import geodesic_km
from jeugdhulp.analysis.output import ROWS_BASE
from jeugdhulp.analysis.tests.attacks import (
    FIVE_YEAR_BANDS,
    Equation,
    Published,
    analyse,
    holds,
    intervals,
    published_grid,
    recovered,
    small_region,
    true_grid,
)
from jeugdhulp.analysis.tests.fixtures import centroids_of, pseudonym


def score_equations(published: Published, tolerance: float = 0.05) -> list[Equation]:
    """A fitted Poisson GLM satisfies Σ_a (y_a − μ_a)·x_a = 0 for the intercept and every
    covariate; μ_a from the manifest's rate ratios, the public covariates and residents."""
    frame = published.indicators
    covariates = published.covariates.set_index("area_code")
    codes = list(published.cells().index)
    residents = frame.drop_duplicates("gebied_code").set_index("gebied_code")["inwoners"]
    residents = residents.reindex(codes).to_numpy(float)
    equations = []
    for f, form in enumerate(published.result.hulpvormen):
        fit = published.manifest["covariatenmodel"].get(form)
        if not fit:
            continue
        names = [c["covariaat"] for c in fit["coefficienten"]]
        beta = np.log([c["rate_ratio"] for c in fit["coefficienten"]])
        x = covariates.reindex(codes)[names[1:]].to_numpy(float)
        z = (x - x.mean(axis=0)) / x.std(axis=0)
        design = np.column_stack([np.ones(len(codes)), z])
        mu = residents * np.exp(design @ beta)
        for k in range(design.shape[1]):
            target = float(mu @ design[:, k])
            terms = {(a, f): float(design[a, k]) for a in range(len(codes))}
            equations.append(Equation(terms, target - tolerance, target + tolerance))
    return equations


def analysed(tmp_path: Path, seed: int = 3, comparison_size: int = 10, **region) -> Published:
    built = small_region(seed, **region)
    published = analyse(built, tmp_path, comparison_size=comparison_size)
    published.covariates = built.covariates
    published.population = built.population
    published.built = built
    return published


def test_route_1_glm_score_equations_do_not_pin_hidden_cells(tmp_path):
    published = analysed(tmp_path)
    truth = true_grid(published)
    scores = score_equations(published)
    # The fit is made on the protected counts: the true table does not satisfy these
    # equations, so whatever the attacker concludes from them is a guess, not a derivation.
    if holds(scores, truth):
        assert recovered(intervals(published, scores), truth) == []
    assert recovered(intervals(published), truth) == []


def test_route_2_hidden_cells_known_to_be_at_least_one_are_not_pinned(tmp_path):
    # The rare form has 1, 1, 7 and 9 children: with hidden cells ≥ 1, the total minus the
    # published cells used to leave 2 over two hidden cells.
    published = analysed(tmp_path, rare_counts=[1, 1, 7, 9, 0, 0, 0, 0, 0])
    truth = true_grid(published)
    found = intervals(published)
    assert found, "the rare form has hidden cells"
    assert recovered(found, truth) == []
    t = published.threshold
    for cell, (_low, high) in found.items():
        if 1 <= truth[cell] < t:
            assert high >= t, (cell, truth[cell], high)


def test_route_3_a_one_area_region_does_not_give_its_count_as_expected_value(tmp_path):
    published = analysed(tmp_path, side=1, rare_counts=[3])
    frame = published.indicators.set_index("hulpvorm")
    truth = published.truth().iloc[0]
    for form in published.result.hulpvormen:
        if not np.isnan(frame.loc[form, "aantal_clienten"]):
            continue
        for column in ("verwacht", "verwacht_model", "ratio_eb", "bereik_per_1000"):
            value = frame.loc[form, column]
            if column == "ratio_eb":
                value = value * frame.loc[form, "verwacht"]
            if column == "bereik_per_1000":
                value = value * frame.loc[form, "inwoners"] / 1000
            assert np.isnan(value) or round(value) != truth[form], (form, column)


def test_route_4_the_smoothing_prior_does_not_single_out_hidden_cells(tmp_path):
    published = analysed(tmp_path, seed=5)
    strata = _strata_matrix(published)
    grid, truth = published_grid(published), true_grid(published)
    n_areas = len(strata)
    frame_e = published.cells("verwacht").to_numpy(float)
    for f, form in enumerate(published.result.hulpvormen):
        prior = published.manifest["empirische_bayes"].get(form)
        if not prior or not prior["A"] or np.isnan(grid[n_areas, f]):
            continue
        # Expected counts of the hidden areas from the strata rates that the published ones pin.
        shown = np.isfinite(frame_e[:, f])
        rates = np.linalg.lstsq(strata[shown], frame_e[shown, f], rcond=None)[0]
        expected = np.where(shown, frame_e[:, f], strata @ rates)
        observed = grid[:n_areas, f]
        hidden = np.flatnonzero(np.isnan(observed))
        remainder = grid[n_areas, f] - np.nansum(observed)
        if len(hidden) == 0 or len(hidden) > 4 or remainder > 40:
            continue
        m, variance = prior["m"], prior["A"]
        target = (variance + m / expected.mean()) * expected.sum()
        known = np.nansum((observed - m * expected) ** 2 / expected)
        survivors = []
        for split in _compositions(int(remainder), len(hidden)):
            o = np.array(split, float)
            value = known + np.sum((o - m * expected[hidden]) ** 2 / expected[hidden])
            if abs(value - target) <= 0.05:  # E is published to 2 decimals
                survivors.append(split)
        if survivors and len(set(survivors)) == 1:
            assert list(survivors[0]) != [truth[h, f] for h in hidden], form


def test_route_5_rows_read_do_not_reveal_the_children_outside_the_areas(tmp_path):
    published = analysed(tmp_path)
    rows = published.manifest["rijen_gelezen"]
    forms = [f for f in published.result.hulpvormen if f != "ALLE"]
    totals = published.region.set_index("hulpvorm")["aantal_clienten"].reindex(forms)
    outside = published.outside[published.outside["hulpvorm"] != "ALLE"]
    assert not totals.isna().any()
    candidate = sum(rows.values()) - totals.sum() - outside["aantal_clienten"].sum()
    uncertainty = sum(ROWS_BASE / 2 for n in rows.values() if n % ROWS_BASE == 0)
    truth = 3  # two children abroad, one aged 25: one row each, all hidden
    assert outside["aantal_clienten"].isna().sum() >= 2
    assert len(published.built.snapshot) % ROWS_BASE != 0
    assert not (2 * uncertainty <= 2 and abs(candidate - truth) <= uncertainty + 1)


def test_route_6_p90_and_median_do_not_give_a_single_childs_distance(tmp_path):
    published = analysed(tmp_path)
    t = published.threshold
    centre = centroids_of(published.built.areas).set_index("code")
    sites = published.built.sites.drop_duplicates("vestiging")
    leaks = []
    for row in published.indicators.itertuples():
        if np.isnan(row.p90_afstand_km) or np.isnan(row.aantal_clienten):
            continue
        n = int(row.aantal_clienten)
        above = n - int(np.floor(0.9 * (n - 1))) - 1
        if above >= t:
            continue  # at least t children beyond the P90: no single child's distance
        home = centre.loc[row.gebied_code]
        options = geodesic_km(
            np.full(len(sites), home["lon"]),
            np.full(len(sites), home["lat"]),
            sites.geometry.x.to_numpy(),
            sites.geometry.y.to_numpy(),
        )
        frac = 0.9 * (n - 1) - np.floor(0.9 * (n - 1))
        pairs = {
            (lo, hi)
            for lo, hi in itertools.product(np.round(options, 6), repeat=2)
            if lo < hi and abs(lo + frac * (hi - lo) - row.p90_afstand_km) <= 0.006
        }
        if len(pairs) == 1:
            leaks.append((row.gebied_code, row.hulpvorm, pairs))
    assert leaks == []


def test_route_7_expected_counts_do_not_pin_the_regions_strata(tmp_path):
    published = analysed(tmp_path, side=4, rare_counts=[2, 1, 3, 4, 6, 0, 1] + [0] * 9)
    strata = _strata_matrix(published)
    frame_e = published.cells("verwacht").to_numpy(float)
    totals = strata.sum(axis=0)
    truth = _stratum_truth(published)
    t = published.threshold
    for f, form in enumerate(published.result.hulpvormen):
        shown = np.isfinite(frame_e[:, f])
        if np.linalg.matrix_rank(strata[shown]) < strata.shape[1]:
            continue
        rates = np.linalg.lstsq(strata[shown], frame_e[shown, f], rcond=None)[0]
        counts = rates * totals
        nearest = np.round(counts)
        for s in np.flatnonzero((np.abs(counts - nearest) < 0.05) & (nearest >= 1)):
            assert not (nearest[s] < t and nearest[s] == truth[form][s]), (form, s)


def test_route_8_differenced_shares_do_not_give_small_counts(tmp_path):
    both = pseudonym(999_001)
    extra = [
        {"client_pseudoniem": both, "woonplaats": "A11", "hulpvorm": "BH", "toegang": "RTJH"},
        {"client_pseudoniem": both, "woonplaats": "A11", "hulpvorm": "BH", "toegang": "NRTJH"},
    ]
    published = analysed(
        tmp_path, seed=11, per_area=70, rare_counts=[0] * 9, extra=extra, bands=FIVE_YEAR_BANDS
    )
    t = published.threshold
    frame = published.indicators.set_index(["gebied_code", "hulpvorm"])
    raw = published.result.indicators.set_index(["gebied_code", "hulpvorm"])
    population = published.population.groupby(["area_code", "age_from"])["population"].sum()
    leaks = []
    for key, row in frame.iterrows():
        n = row["aantal_clienten"]
        if np.isnan(n):
            continue
        truth = raw.loc[key]

        def numerator(share: str) -> tuple[float, float]:
            # docs/en/disclosure.md: numerators are rounded to a multiple of the threshold.
            value = row[share] * n
            rounded = np.isfinite(value) and abs(value - t * round(value / t)) < 0.02
            return value, (t // 2 if rounded else 0)

        spread = {s: numerator(s)[1] for s in ("aandeel_rtjh", "aandeel_nrtjh", "aandeel_0_5")}
        spread["aandeel_jongvolwassen"] = numerator("aandeel_jongvolwassen")[1]
        guesses = {
            "beide toegangen": (
                (row["aandeel_rtjh"] + row["aandeel_nrtjh"] - 1) * n,
                truth["n_rtjh"] + truth["n_nrtjh"] - truth["aantal_clienten"],
                spread["aandeel_rtjh"] + spread["aandeel_nrtjh"],
            ),
            "precies 5 jaar": (
                row["aandeel_0_5"] * n
                - row["bereik_0_4_per_1000"] * population[(key[0], 0)] / 1000,
                truth["n_vroeg"] - truth["n_0_4"],
                spread["aandeel_0_5"],
            ),
            "18 of 19 jaar": (
                row["aandeel_jongvolwassen"] * n
                - row["bereik_20_24_per_1000"] * population[(key[0], 20)] / 1000,
                truth["n_jongvolwassen"] - truth["n_20_24"],
                spread["aandeel_jongvolwassen"],
            ),
        }
        for what, (guess, real, uncertainty) in guesses.items():
            if not np.isfinite(guess) or not 1 <= real < t:
                continue
            low, high = max(round(guess) - uncertainty, 0), round(guess) + uncertainty
            # A disclosure: sure there is such a child, and how many to within ±1.
            pinned = low >= 1 and high - low <= 2 and low <= real <= high
            if abs(guess - round(guess)) < 0.05 and pinned:
                leaks.append((key, what, real))
    assert leaks == []


# A region of ``side × side`` areas with a rare form: counts per area, threshold.
regions = st.tuples(
    st.integers(0, 10_000),
    st.lists(st.integers(0, 8), min_size=9, max_size=9),
    st.integers(3, 6),
)


def test_route_9_funnel_classes_say_nothing_about_hidden_counts(tmp_path):
    published = analysed(tmp_path)
    counts = published.cells()
    expected = published.cells("verwacht")
    # The class is computed from the count, so a hidden cell's class would narrow the
    # attacker's interval: at E = 0.5, O = 1 is "binnen" but O = 4 "boven_95"
    # (P(X ≥ 4) = 1 − e^−0.5·(1 + 0.5 + 0.125 + 0.0208) = 0.00175).
    pair = funnel.funnel_class(np.array([1.0, 4.0]), np.array([0.5, 0.5]))
    assert pair.tolist() == ["binnen", "boven_95"]
    hidden = counts.isna().to_numpy()
    assert hidden.any()
    # Published: empty wherever the count is hidden ...
    for column in ("funnel_klasse", "funnel_klasse_od"):
        assert published.cells(column).isna().to_numpy()[hidden].all()
    # ... and elsewhere exactly what the published count, verwacht and the manifest's φ give:
    # nothing beyond the published table.
    for form in published.result.hulpvormen:
        shown = counts[form].notna() & expected[form].notna()
        phi = published.manifest["funnel"][form]["phi"]
        for column, widen in (("funnel_klasse", 1.0), ("funnel_klasse_od", phi)):
            again = funnel.funnel_class(
                counts[form][shown].to_numpy(float),
                expected[form][shown].to_numpy(float),
                phi=widen if widen is not None else 1.0,
            )
            np.testing.assert_array_equal(
                published.cells(column)[form][shown].to_numpy(object), again
            )


def expected_everywhere(published: Published) -> np.ndarray:
    """``[area, form]`` expected counts, hidden ones included, as an attacker derives them: the
    coarsest strata (residents, age bands, age bands × sex) whose rates reproduce every
    published ``verwacht`` to its 2 decimals (the pipeline's ``_pooled_expected`` uses one of
    these); NaN for a form where none does."""
    population = published.population
    codes = list(published.cells().index)
    by_stratum = population.pivot_table(
        index="area_code", columns=["age_from", "sex"], values="population", aggfunc="sum"
    ).reindex(codes)
    designs = [
        by_stratum.sum(axis=1).to_numpy(float)[:, None],
        by_stratum.T.groupby(level=0).sum().T.to_numpy(float),
        by_stratum.to_numpy(float),
    ]
    frame_e = published.cells("verwacht").to_numpy(float)
    out = np.full(frame_e.shape, np.nan)
    for f in range(frame_e.shape[1]):
        shown = np.isfinite(frame_e[:, f])
        for design in designs:
            if np.linalg.matrix_rank(design[shown]) < design.shape[1]:
                continue
            rates = np.linalg.lstsq(design[shown], frame_e[shown, f], rcond=None)[0]
            if np.abs(design[shown] @ rates - frame_e[shown, f]).max() <= 0.0051:
                out[:, f] = design @ rates
                break
    return out


def group_equations(published: Published, *, pooled_hidden: bool) -> list[Equation]:
    """What each published ``ratio_t_o_v_groep`` says about the group's counts.

    r = (O/E) / (ΣO_j / ΣE_j), so ΣO_j = (O/E) / r · ΣE_j over the pooled members j, within the
    rounding of r (3 decimals) and E (2). ``pooled_hidden``: the attacker's hypothesis that the
    pool holds every member (hidden ones too); else only the published members, as the docs
    say, which leaves no hidden cell in any equation."""
    counts = published.cells().to_numpy(float)
    ratio = published.cells("ratio_t_o_v_groep").to_numpy(float)
    expected = expected_everywhere(published)
    codes = list(published.cells().index)
    group = published.indicators.drop_duplicates("gebied_code").set_index("gebied_code")
    equations = []
    for a, code in enumerate(codes):
        text = group.loc[code, "vergelijkingsgroep"]
        if not isinstance(text, str):
            continue
        members = [codes.index(c) for c in text.split(";")]
        for f in range(counts.shape[1]):
            o, e, r = counts[a, f], expected[a, f], ratio[a, f]
            if not (np.isfinite(r) and np.isfinite(e) and r > 0):
                continue
            pool = [j for j in members if pooled_hidden or np.isfinite(counts[j, f])]
            e_pool = expected[pool, f]
            if not np.isfinite(e_pool).all():
                continue
            low = o / (e + 0.005) / (r + 0.0005) * (e_pool.sum() - 0.005 * len(pool))
            high = o / (e - 0.005) / (r - 0.0005) * (e_pool.sum() + 0.005 * len(pool))
            known = sum(counts[j, f] for j in pool if np.isfinite(counts[j, f]))
            terms = {(j, f): 1.0 for j in pool if not np.isfinite(counts[j, f])}
            if terms:
                equations.append(Equation(terms, low - known, high - known))
    return equations


def test_route_10_ratios_against_comparison_groups_pin_no_hidden_count(tmp_path):
    # Groups of 3 among 9 areas overlap: were hidden counts pooled, two groups that differ by
    # one hidden area would give its count by subtraction.
    published = analysed(tmp_path, comparison_size=3)
    truth = true_grid(published)
    hidden = published.cells().isna().to_numpy()
    assert hidden.any()
    assert published.cells("ratio_t_o_v_groep").isna().to_numpy()[hidden].all()
    for pooled_hidden in (False, True):
        equations = group_equations(published, pooled_hidden=pooled_hidden)
        if holds(equations, truth):
            assert recovered(intervals(published, equations), truth) == []
    # Control: the same attack on the unsafe variant (hidden members pooled) pins hidden
    # counts, so this test fails on code without the protection.
    raw = published.result.indicators
    groups = published.indicators.drop_duplicates("gebied_code").set_index("gebied_code")
    codes = list(published.cells().index)
    members = np.array(
        [
            [codes.index(c) for c in groups.loc[code, "vergelijkingsgroep"].split(";")]
            for code in codes
        ]
    )
    unsafe = published.indicators.copy()
    for form, rows in raw.groupby("hulpvorm", sort=False):
        ratio = comparison.ratio_to_group(
            rows["aantal_clienten"].to_numpy(float),
            rows["verwacht"].to_numpy(float),
            members,
            np.ones(len(rows), bool),
        )
        shown = pd.Series(ratio.round(3), index=rows["gebied_code"].to_numpy())
        at = unsafe["hulpvorm"] == form
        value = shown.reindex(unsafe.loc[at, "gebied_code"]).to_numpy()
        unsafe.loc[at, "ratio_t_o_v_groep"] = np.where(
            unsafe.loc[at, "aantal_clienten"].notna(), value, np.nan
        )
    leaky = Published(
        unsafe, published.manifest, published.region, published.outside, published.result, 5
    )
    leaky.population = published.population
    equations = group_equations(leaky, pooled_hidden=True)
    assert holds(equations, truth)
    assert recovered(intervals(leaky, equations), truth) != []


def _dutch(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _axis(ticks: list[tuple[float, str]]):
    """Position → value on a logarithmic axis, from two of its tick marks."""
    (p0, t0), (p1, t1) = ticks[0], ticks[-1]
    l0, l1 = np.log10(_dutch(t0)), np.log10(_dutch(t1))
    return lambda p: 10 ** (l0 + (p - p0) / (p1 - p0) * (l1 - l0))


def test_route_11_the_funnel_plot_shows_nothing_beyond_the_published_table(tmp_path):
    published = analysed(tmp_path)
    counts = published.cells()
    expected = published.cells("verwacht")
    assert counts.isna().to_numpy().any()
    for form in published.result.hulpvormen:
        rows = published.indicators[published.indicators["hulpvorm"] == form]
        plot = funnel_plot.funnel_plot(rows, published.manifest["funnel"][form]["phi"])
        markup = funnel_plot.svg(plot, form)
        hidden = counts.index[counts[form].isna()]
        # The attacker reads the page: no hidden area is named, and the number left out is
        # the number of empty cells of the published column.
        assert not [code for code in hidden if f"({code})" in markup]
        assert plot.hidden == len(hidden)
        # Every point read back from its position on the axes gives E and O/E, so O: the
        # published count, and E within the published decimals and a pixel.
        x_of = _axis([(t.position, t.text) for t in plot.x_ticks])
        y_of = _axis([(t.position, t.text) for t in plot.y_ticks])
        for p in plot.points:
            code = re.search(r"\((\w+)\): (\d+) kinderen", funnel_plot.point_text(p)).group(1)
            assert p.aantal == counts.loc[code, form]
            e = x_of(p.cx)
            assert e == pytest.approx(expected.loc[code, form], rel=0.01, abs=0.01)
            if p.aantal:
                assert y_of(p.cy) * e == pytest.approx(p.aantal, rel=0.02)
    # So the plot adds no relation the table does not give: nothing is recovered.
    assert recovered(intervals(published), true_grid(published)) == []


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(regions)
def test_generic_attack_all_linear_relations_and_integer_bounds_recover_nothing(region):
    seed, rare, threshold = region
    built = small_region(seed, rare_counts=rare, per_area=12)
    with tempfile.TemporaryDirectory() as folder:
        published = analyse(built, Path(folder), threshold=threshold)
    published.covariates = built.covariates
    truth = true_grid(published)
    table_only = intervals(published)
    assert recovered(table_only, truth) == []
    for cell, (_low, high) in table_only.items():
        if 1 <= truth[cell] < threshold:
            assert high >= threshold, (cell, truth[cell], high)
    scores = score_equations(published)
    if holds(scores, truth):
        assert recovered(intervals(published, scores), truth) == []


def _strata_matrix(published: Published) -> np.ndarray:
    """Residents per area × (band, sex): public."""
    population = published.population
    codes = list(published.cells().index)
    table = population.pivot_table(
        index="area_code", columns=["age_from", "sex"], values="population", aggfunc="sum"
    )
    return table.reindex(codes).to_numpy(float)


def _stratum_truth(published: Published) -> dict[str, np.ndarray]:
    """The region's true count per (band, sex) stratum per form, in the order of
    :func:`_strata_matrix`."""
    snapshot = published.built.snapshot
    codes = set(published.cells().index)
    rows = snapshot[snapshot["woonplaats"].isin(codes)].copy()
    rows["leeftijd"] = 2025 - rows["geboortejaar"] - 1
    population = published.population
    starts = sorted(population["age_from"].unique())
    rows["age_from"] = [max(s for s in starts if s <= age) for age in rows["leeftijd"]]
    rows = rows[rows["leeftijd"] <= 24]
    order = pd.MultiIndex.from_product([starts, ["M", "V"]])
    out = {}
    for form in published.result.hulpvormen:
        chosen = rows if form == "ALLE" else rows[rows["hulpvorm"] == form]
        chosen = chosen.drop_duplicates("client_pseudoniem")
        out[form] = chosen.groupby(["age_from", "geslacht"]).size().reindex(order, fill_value=0)
        out[form] = out[form].to_numpy(float)
    return out


def _compositions(total: int, parts: int):
    """Every way to write ``total`` as ``parts`` integers ≥ 1."""
    for cuts in itertools.combinations(range(1, total), parts - 1):
        edges = (0, *cuts, total)
        yield tuple(float(b - a) for a, b in itertools.pairwise(edges))


def test_route_13_a_hidden_region_total_is_not_given_back_by_ratios_or_unmet_need(tmp_path):
    # Three areas whose forms overlap so that the region totals of BH and CB are hidden while
    # A00's CB count (10) is published. Were its ratio published, E = O / ratio (unmet need
    # E − O where O = 0) and the strata rates give the hidden total back; the crude-rate
    # estimate T = E · residents(region) / residents(area) is the simplest such attack. Before
    # the fix A00's CB ratio (7.674) and BH unmet need (5.34) were published.
    extra: list[dict] = []
    child = 0

    def add(code: str, forms: list[str]) -> None:
        nonlocal child
        child += 1
        for form in forms:
            extra.append(
                {
                    "client_pseudoniem": pseudonym(900_000 + child),
                    "woonplaats": code,
                    "hulpvorm": form,
                    "geboortejaar": 2015,
                    "geboortemaand": 6,
                    "geslacht": "MV"[child % 2],
                    "toegang": "RTJH",
                    "crisis": False,
                }
            )

    codes = [f"A{r}{c}" for r in range(3) for c in range(3)]
    for code, forms, times in [
        (codes[0], ["CB"], 10),
        (codes[1], ["BH"], 9),
        (codes[1], ["CB"], 2),
        (codes[2], ["BH"], 7),
        (codes[2], ["BH", "CB"], 1),
    ] + [(code, ["BH"], 6) for code in codes[3:]]:
        for _ in range(times):
            add(code, forms)
    built = small_region(3, per_area=0, rare_counts=[0] * 9, extra=extra)
    published = analyse(built, tmp_path)
    region = published.region.set_index("hulpvorm")["aantal_clienten"]
    truth = published.result.region.set_index("hulpvorm")["aantal_clienten"]
    hidden_forms = [f for f in ("BH", "CB") if np.isnan(region[f])]
    assert hidden_forms, "the region must hide a form's total for this attack"
    frame = published.indicators
    residents = frame.drop_duplicates("gebied_code").set_index("gebied_code")["inwoners"]
    assert (
        frame[(frame["hulpvorm"] == "CB") & (frame["gebied_code"] == codes[0])][
            "aantal_clienten"
        ].item()
        == 10
    )
    for form in hidden_forms:
        rows = frame[frame["hulpvorm"] == form].set_index("gebied_code")
        expected = pd.concat(
            [
                rows["aantal_clienten"] / rows["ratio"].where(rows["ratio"] > 0),
                rows["onvervulde_nood"].where(rows["aantal_clienten"] == 0),
                rows["verwacht"],
            ]
        ).dropna()
        estimates = expected * residents.sum() / residents.reindex(expected.index)
        assert not (np.abs(estimates - truth[form]) < 0.5).any(), form
        for column in ("ratio", "ratio_laag", "ratio_hoog", "onvervulde_nood", "nood_klasse"):
            assert rows[column].isna().all(), (form, column)
