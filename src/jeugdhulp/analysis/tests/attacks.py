"""An outside attacker against a fresh analysis of a small synthetic region.

The region is built here (areas, population, covariates, sites: the public inputs; a snapshot
with a rare form of help and children outside the areas: the secret). :func:`analyse` runs the
analysis and writes its files the way ``jeugdhulp analyze`` does; the attacker reads only those
files (and the report's region table) and the public inputs. The truth is the run's raw
indicator table, which never leaves memory in the product.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from jeugdhulp.analysis.output import write_all
from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams, AnalysisResult, run_analysis
from jeugdhulp.analysis.tests.fixtures import (
    PEILDATUM,
    centroids_of,
    grid_areas,
    pseudonym,
    sites_for,
    snapshot_rows,
)

RARE = "HA"
COMMON = ("BH", "CB")
BANDS = ((0, 2), (3, 5), (6, 11), (12, 17), (18, 24))
FIVE_YEAR_BANDS = ((0, 4), (5, 9), (10, 14), (15, 19), (20, 24))


@dataclass
class Region:
    areas: gpd.GeoDataFrame
    population: pd.DataFrame
    covariates: pd.DataFrame
    sites: gpd.GeoDataFrame
    snapshot: pd.DataFrame


def varied_population(codes, rng: np.random.Generator, bands=BANDS) -> pd.DataFrame:
    """Residents per area × band × sex, different in every stratum (so strata are
    identifiable from expected counts, as in real data)."""
    rows = [
        {
            "area_code": code,
            "sex": sex,
            "age_from": lo,
            "age_to": hi,
            "population": float(rng.integers(40, 400)),
            "year": 2025,
        }
        for code in codes
        for sex in ("M", "V")
        for lo, hi in bands
    ]
    frame = pd.DataFrame(rows)
    frame["age_to"] = frame["age_to"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def small_region(
    seed: int,
    *,
    side: int = 3,
    rare_counts: list[int] | None = None,
    per_area: int = 30,
    extra: list[dict] | None = None,
    bands=BANDS,
) -> Region:
    """``side × side`` areas; the common forms with about ``per_area`` children per area (some
    in both), the rare form with ``rare_counts`` children per area, two children abroad and one
    aged 25, plus ``extra`` snapshot records."""
    rng = np.random.default_rng(seed)
    areas = grid_areas(side)
    codes = list(areas["code"])
    rare_counts = rare_counts if rare_counts is not None else [1, 1, 7, 9] + [0] * (len(codes) - 4)
    records: list[dict] = []
    child = 0

    def add(code: str, forms, **fields) -> None:
        nonlocal child
        child += 1
        age = int(rng.integers(0, 25))
        for form in forms:
            records.append(
                {
                    "client_pseudoniem": pseudonym(seed * 100_000 + child),
                    "woonplaats": code,
                    "hulpvorm": form,
                    "geboortejaar": 2025 - age - 1,
                    "geboortemaand": 6,
                    "geslacht": str(rng.choice(["M", "V"])),
                    "toegang": str(rng.choice(["RTJH", "NRTJH"])),
                    "crisis": bool(rng.random() < 0.25),
                    "vestiging": f"V{rng.integers(1, 4)}",
                }
                | fields
            )

    for a, code in enumerate(codes):
        for _ in range(int(rng.poisson(per_area * (0.6 + 0.1 * a)))):
            pick = rng.random()
            add(code, ["BH"] if pick < 0.5 else ["CB"] if pick < 0.85 else ["BH", "CB"])
        for _ in range(rare_counts[a] if a < len(rare_counts) else 0):
            add(code, [RARE])
    for where in ("BUITENLAND", "BUITENLAND"):
        add(where, ["BH"])
    add(codes[0], ["CB"], geboortejaar=1998)
    for record in extra or []:
        child += 1
        records.append(
            {"client_pseudoniem": pseudonym(seed * 100_000 + child), "vestiging": "V1"} | record
        )
    covariates = pd.DataFrame(
        {
            "area_code": codes,
            "inkomen": rng.normal(30, 5, len(codes)).round(2),
            "alleenstaand": rng.uniform(0.05, 0.3, len(codes)).round(3),
        }
    )
    return Region(
        areas=areas,
        population=varied_population(codes, rng, bands),
        covariates=covariates,
        sites=sites_for(areas),
        snapshot=snapshot_rows(records),
    )


@dataclass
class Published:
    """What the attacker reads, and (for the test's verdict only) the truth."""

    indicators: pd.DataFrame  # indicatoren.csv
    manifest: dict
    region: pd.DataFrame  # the report's region table
    outside: pd.DataFrame  # the report's table of children outside the areas
    result: AnalysisResult  # the truth: result.indicators (never published)
    threshold: int

    def cells(self, column: str = "aantal_clienten") -> pd.DataFrame:
        """``[area, form]`` of a published column (NaN where hidden)."""
        return self.indicators.pivot(index="gebied_code", columns="hulpvorm", values=column)[
            self.result.hulpvormen
        ]

    def truth(self, column: str = "aantal_clienten") -> pd.DataFrame:
        raw = self.result.indicators
        return raw.pivot(index="gebied_code", columns="hulpvorm", values=column)[
            self.result.hulpvormen
        ]


def analyse(
    region: Region, out: Path, *, threshold: int = 5, covariates=True, comparison_size: int = 10
) -> Published:
    result = run_analysis(
        AnalysisInputs(
            region.areas,
            region.population,
            region.snapshot,
            AnalysisParams(
                PEILDATUM, threshold=threshold, permutations=19, comparison_size=comparison_size
            ),
            centroids=centroids_of(region.areas),
            sites=region.sites,
            covariates=region.covariates if covariates else None,
        )
    )
    rows_read = {"levering.csv": len(region.snapshot)}
    write_all(result, out, [], rows_read=rows_read)
    indicators = pd.read_csv(out / "indicatoren.csv", dtype={"gebied_code": str})
    return Published(
        indicators=indicators,
        manifest=json.loads((out / "manifest.json").read_text(encoding="utf-8")),
        region=result.region.copy(),
        outside=result.outside.copy(),
        result=result,
        threshold=threshold,
    )


@dataclass
class Equation:
    """``lower ≤ Σ coefficient · x ≤ upper`` over the grid cells ``(area index, form index)``;
    the region row has area index ``len(areas)``."""

    terms: dict[tuple[int, int], float]
    lower: float
    upper: float


def table_equations(published: Published) -> list[Equation]:
    """The relations every attacker knows: a form's region total is the sum of its areas,
    ``ALLE`` counts distinct children (at most the sum of the forms, at least each form)."""
    forms = published.result.hulpvormen
    n_areas = len(published.cells())
    last = len(forms) - 1
    equations = []
    for f in range(len(forms)):
        terms = {(a, f): 1.0 for a in range(n_areas)}
        terms[(n_areas, f)] = -1.0
        equations.append(Equation(terms, 0.0, 0.0))
    for a in range(n_areas + 1):
        terms = {(a, f): 1.0 for f in range(last)}
        terms[(a, last)] = -1.0
        equations.append(Equation(terms, 0.0, np.inf))
        for f in range(last):
            equations.append(Equation({(a, last): 1.0, (a, f): -1.0}, 0.0, np.inf))
    return equations


def published_grid(published: Published) -> np.ndarray:
    """``[areas + 1, forms]`` published counts, NaN where hidden; the region row last."""
    cells = published.cells().to_numpy(float)
    region = published.region.set_index("hulpvorm")["aantal_clienten"]
    totals = region.reindex(published.result.hulpvormen).to_numpy(float)
    return np.vstack([cells, totals])


def true_grid(published: Published) -> np.ndarray:
    cells = published.truth().to_numpy(float)
    return np.vstack([cells, cells.sum(axis=0)])


def intervals(
    published: Published, extra: list[Equation] = (), upper: float = 10_000
) -> dict[tuple[int, int], tuple[float, float]] | None:
    """The tightest integer interval of every hidden cell under the table's relations, the
    ``extra`` ones and ``x ≥ 1`` for hidden cells (zeros are published); ``None`` when no
    integer table fits what is published (the attacker learns nothing)."""
    grid = published_grid(published)
    hidden = list(zip(*np.nonzero(np.isnan(grid)), strict=True))
    index = {cell: k for k, cell in enumerate(hidden)}
    if not hidden:
        return {}
    rows, lows, highs = [], [], []
    for equation in [*table_equations(published), *extra]:
        row = np.zeros(len(hidden))
        constant = 0.0
        for cell, coefficient in equation.terms.items():
            if cell in index:
                row[index[cell]] += coefficient
            else:
                constant += coefficient * grid[cell]
        if not row.any():
            continue
        rows.append(row)
        lows.append(equation.lower - constant)
        highs.append(equation.upper - constant)
    constraint = LinearConstraint(np.array(rows), lows, highs)
    bounds = Bounds(np.ones(len(hidden)), np.full(len(hidden), upper))
    integral = np.ones(len(hidden))
    found = {}
    for k, cell in enumerate(hidden):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(hidden))
            c[k] = sign
            solution = milp(c, constraints=constraint, bounds=bounds, integrality=integral)
            if solution.status == 2:
                return None
            ends.append(sign * solution.fun)
        found[cell] = (ends[0], ends[1])
    return found


def holds(equations: list[Equation], truth: np.ndarray) -> bool:
    """Whether the true table satisfies the attacker's equations: if not, the attacker's
    conclusions from them are guesses that happen to be right or wrong, not derivations."""
    return all(
        equation.lower - 1e-9
        <= sum(c * truth[cell] for cell, c in equation.terms.items())
        <= equation.upper + 1e-9
        for equation in equations
    )


def recovered(
    found: dict[tuple[int, int], tuple[float, float]] | None, truth: np.ndarray
) -> list[tuple[tuple[int, int], float]]:
    """The hidden cells an attacker pins to within ±1 of the truth (interval at most 2 wide
    and holding the true value)."""
    if found is None:
        return []
    return [
        (cell, truth[cell])
        for cell, (low, high) in found.items()
        if high - low <= 2 + 1e-6 and low - 1e-6 <= truth[cell] <= high + 1e-6
    ]
