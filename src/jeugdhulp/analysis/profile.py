"""Region-level figures of a run (the dashboard and the report show them), disclosure-controlled.

Built from the raw indicators of an :class:`~jeugdhulp.analysis.pipeline.AnalysisResult` (in
memory, in the worker) and stored as published numbers only, through the one mechanism of
:mod:`jeugdhulp.analysis.disclosure`: the age table per form whole or not at all
(:func:`~jeugdhulp.analysis.disclosure.all_or_nothing`), the distance table with the area
table's suppression (:func:`~jeugdhulp.analysis.disclosure.suppress_table`), shares rounded as
:func:`~jeugdhulp.analysis.disclosure.rounded_share` says.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from jeugdhulp.analysis import disclosure
from jeugdhulp.analysis.distance import DISTANCE_THRESHOLDS_KM
from jeugdhulp.analysis.pipeline import AnalysisResult
from jeugdhulp.analysis.standardisation import population_strata

SHARES = (("aandeel_crisis", "n_crisis"), ("aandeel_jongvolwassen", "n_jongvolwassen"))


def _suppressed_table(counts: np.ndarray, threshold: int) -> np.ndarray:
    """``counts`` is ``[categories, forms]`` with ``ALLE`` as the last form (treated as the row
    total, as the area table does); returns the counts with hidden cells as NaN."""
    grid = np.zeros((counts.shape[0] + 1, counts.shape[1]), np.int64)
    grid[:-1] = counts
    grid[-1] = counts.sum(axis=0)
    hidden = disclosure.suppress_table(grid, threshold, total_is_sum=False)[:-1]
    return np.where(hidden, np.nan, counts.astype(float))


def _whole_or_nothing(counts: np.ndarray, threshold: int) -> np.ndarray:
    """``[bands, forms]``: a form's age breakdown shown whole or not at all (the expected
    counts already pin the region's counts per stratum, so secondary suppression here could be
    undone through them)."""
    hide = disclosure.all_or_nothing(counts.T, threshold)
    return np.where(hide[None, :], np.nan, counts.astype(float))


def _band_population(result: AnalysisResult, population: pd.DataFrame) -> np.ndarray:
    """Region residents per reporting band (``result.bands``)."""
    codes = pd.Index(result.areas["code"].astype(str))
    strata = population_strata(population, codes, reference_year=result.params.peildatum.year)
    per_band = strata.band_population().sum(axis=0)
    return np.array(
        [
            sum(p for (f, t), p in zip(strata.bands, per_band, strict=True) if lo <= f and t <= hi)
            for lo, hi in result.bands
        ],
        float,
    )


def _values(array: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 4) for v in array]


def region_profile(result: AnalysisResult, population: pd.DataFrame) -> dict:
    """The region's profile per form of help, for the dashboard (JSON-ready, suppressed).

    Parameters
    ----------
    result : AnalysisResult
        A finished run.
    population : pandas.DataFrame
        The run's population (``jeugdhulp.data.population`` layout; persons), for the reach per
        age band.

    Returns
    -------
    dict
        ``banden`` and ``afstandsklassen`` (labels) and per form of help under ``hulpvormen``:
        ``aantal_per_band`` (children), ``bereik_per_band`` (per 1,000 residents), ``afstand``
        (children per distance class), ``aandeel_crisis`` and ``aandeel_jongvolwassen`` (shares
        in [0, 1]), ``hotspots`` and ``blauwe_zones`` (areas); None where disclosure control hides
        a figure.
    """
    t = result.params.threshold
    raw = result.indicators
    forms = result.hulpvormen
    by_form = raw.groupby("hulpvorm", sort=False)
    # a DataFrameGroupBy's sum is a DataFrame (pandas types it as the grouped NDFrameT)
    totals = cast(pd.DataFrame, by_form.sum(numeric_only=True)).reindex(forms)
    band_columns = [f"n_{lo}_{hi}" for lo, hi in result.bands]
    bands = _whole_or_nothing(totals[band_columns].to_numpy(np.int64).T, t)
    band_pop = _band_population(result, population)
    reach = np.divide(
        1000.0 * bands,
        band_pop[:, None],
        out=np.full(bands.shape, np.nan),
        where=band_pop[:, None] > 0,
    )

    cumulative = totals[[f"n_binnen_{km}km" for km in DISTANCE_THRESHOLDS_KM]].to_numpy(np.int64)
    known = totals["n_afstand"].to_numpy(np.int64)
    bins = np.diff(np.c_[np.zeros(len(forms), np.int64), cumulative, known], axis=1)
    distance = _suppressed_table(bins.T, t)
    distance_labels = [
        f"{lo}–{hi} km"
        for lo, hi in zip((0, *DISTANCE_THRESHOLDS_KM[:-1]), DISTANCE_THRESHOLDS_KM, strict=True)
    ] + [f"> {DISTANCE_THRESHOLDS_KM[-1]} km"]

    n = totals["aantal_clienten"].to_numpy(float)
    total_hidden = (
        result.region.set_index("hulpvorm")["aantal_clienten"].reindex(forms).isna().to_numpy()
    )
    shares = {}
    for name, numerator in SHARES:
        num = totals[numerator].to_numpy(float)
        shares[name] = disclosure.rounded_share(num, n, total_hidden, t)

    published = result.published
    # unstacking a Series with a MultiIndex gives a DataFrame
    clusters = cast(
        pd.DataFrame, published.groupby("hulpvorm")["cluster"].value_counts().unstack(fill_value=0)
    )
    clusters = clusters.reindex(index=forms, columns=["hotspot", "blauwe_zone"], fill_value=0)
    return {
        "banden": [f"{lo}–{hi}" for lo, hi in result.bands],
        "afstandsklassen": distance_labels,
        "hulpvormen": {
            form: {
                "aantal_per_band": _values(bands[:, i]),
                "bereik_per_band": _values(reach[:, i]),
                "afstand": _values(distance[:, i]),
                "aandeel_crisis": _values(shares["aandeel_crisis"][i : i + 1])[0],
                "aandeel_jongvolwassen": _values(shares["aandeel_jongvolwassen"][i : i + 1])[0],
                "hotspots": int(clusters.loc[form, "hotspot"]),
                "blauwe_zones": int(clusters.loc[form, "blauwe_zone"]),
            }
            for i, form in enumerate(forms)
        },
    }
