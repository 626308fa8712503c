"""Trends: the change of reach per area and form of help between two rounds, with significance.

Only published numbers are compared (a suppressed count has no trend). The reach of an area in
two rounds is compared as a ratio of two Poisson rates, conditionally on the total: given
``n = O1 + O2`` children, ``O2`` is binomial with ``p0 = P2 / (P1 + P2)`` under "no change"
(Przyborski & Wilenski 1940, *Biometrika* 31:313–323; Breslow & Day 1987, *Statistical Methods
in Cancer Research II*, §2.3). The two-sided p-value is the central one (twice the smaller tail)
and the 95% interval of the rate ratio comes from the Clopper–Pearson interval of ``p``, so test
and interval agree (Fay 2010, *The R Journal* 2(1):53–58). Over the areas of a form,
Benjamini–Hochberg controls the false discovery rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

INCREASE = "stijging"
DECREASE = "daling"
NO_CHANGE = "geen"
NOT_COMPARABLE = "onvoldoende_gegevens"


def rate_ratio_test(
    o1: np.ndarray, p1: np.ndarray, o2: np.ndarray, p2: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rate ratio ``(o2/p2) / (o1/p1)``, its exact interval and the two-sided p-value.

    Parameters
    ----------
    o1, o2 : counts (children) in the first and second round.
    p1, p2 : populations (residents) in the first and second round, > 0.
    level : coverage of the interval.

    Returns NaN everywhere ``o1 + o2 == 0`` or a population is not positive.
    """
    o1, p1, o2, p2 = (np.asarray(v, float) for v in (o1, p1, o2, p2))
    n = o1 + o2
    valid = (n > 0) & (p1 > 0) & (p2 > 0) & np.isfinite(n)
    n_safe = np.where(valid, n, 1.0)
    k = np.where(valid, o2, 0.0)
    p0 = np.where(valid, p2 / np.where(valid, p1 + p2, 1.0), 0.5)
    lower_tail = stats.binom.cdf(k, n_safe, p0)
    upper_tail = stats.binom.sf(k - 1, n_safe, p0)
    p_value = np.minimum(1.0, 2.0 * np.minimum(lower_tail, upper_tail))
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        pi_low = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n_safe - k + 1), 0.0)
        pi_high = np.where(k < n_safe, stats.beta.ppf(1 - alpha / 2, k + 1, n_safe - k), 1.0)
        scale = p1 / p2
        ratio = (o2 / p2) / (o1 / p1)
        low = pi_low / (1 - pi_low) * scale
        high = np.where(pi_high < 1, pi_high / (1 - pi_high) * scale, np.inf)
    nan = np.full(len(n), np.nan)
    return (
        np.where(valid, ratio, nan),
        np.where(valid, low, nan),
        np.where(valid, high, nan),
        np.where(valid, p_value, nan),
    )


def compare(before: pd.DataFrame, after: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per area × form present in both: counts, reach, their change and its significance.

    ``before`` and ``after`` are published indicator tables (``gebied_code``, ``gebied_naam``,
    ``hulpvorm``, ``aantal_clienten``, ``inwoners``, ``bereik_per_1000``, ``ratio_eb``).
    ``trend`` is ``stijging`` / ``daling`` (significant at false discovery rate ``alpha``),
    ``geen``, or ``onvoldoende_gegevens`` when a count is suppressed in either round (no
    change is reported where both counts are 0).
    """
    keys = ["gebied_code", "hulpvorm"]
    columns = ["aantal_clienten", "inwoners", "bereik_per_1000", "ratio_eb"]
    merged = before[keys + columns].merge(
        after[[*keys, "gebied_naam", *columns]], on=keys, suffixes=("_voor", "_na")
    )
    ratio, low, high, p = rate_ratio_test(
        merged["aantal_clienten_voor"].to_numpy(float),
        merged["inwoners_voor"].to_numpy(float),
        merged["aantal_clienten_na"].to_numpy(float),
        merged["inwoners_na"].to_numpy(float),
    )
    merged["verschil_bereik"] = merged["bereik_per_1000_na"] - merged["bereik_per_1000_voor"]
    merged["verhouding"] = ratio
    merged["verhouding_laag"] = low
    merged["verhouding_hoog"] = high
    merged["p"] = p
    merged["q"] = np.nan
    for _, rows in merged.groupby("hulpvorm", sort=False):
        tested = rows["p"].dropna()
        if len(tested):
            merged.loc[tested.index, "q"] = stats.false_discovery_control(tested.to_numpy())
    significant = merged["q"].to_numpy() <= alpha
    hidden = merged[["aantal_clienten_voor", "aantal_clienten_na"]].isna().any(axis=1).to_numpy()
    merged["trend"] = np.select(
        [hidden, significant & (ratio > 1), significant & (ratio < 1)],
        [NOT_COMPARABLE, INCREASE, DECREASE],
        NO_CHANGE,
    )
    order = ["gebied_code", "gebied_naam", "hulpvorm"]
    return merged[order + [c for c in merged.columns if c not in order]]


SIGNIFICANT = (INCREASE, DECREASE)
TREND_ORDER = {INCREASE: 0, DECREASE: 1, NO_CHANGE: 2, NOT_COMPARABLE: 3}


def significant_first(table: pd.DataFrame) -> pd.DataFrame:
    """Significant increases (largest ratio first), then decreases (smallest first), then the
    rest by area name: what changed leads the page."""
    order = table["trend"].map(TREND_ORDER).fillna(len(TREND_ORDER))
    # Increases by descending ratio, the others by ascending: one key.
    ratio = table["verhouding"].where(table["trend"] != INCREASE, -table["verhouding"])
    return (
        table.assign(_order=order, _ratio=ratio)
        .sort_values(["_order", "_ratio", "gebied_naam"], na_position="last", kind="stable")
        .drop(columns=["_order", "_ratio"])
    )


def matching(table: pd.DataFrame, query: str = "", trend: str = "") -> pd.DataFrame:
    """Rows whose area name or code contains ``query`` (case-insensitive) and, when ``trend``
    is a known trend, have that trend."""
    chosen = pd.Series(True, index=table.index)
    needle = query.strip().casefold()
    if needle:
        names = table["gebied_naam"].astype(str).str.casefold()
        codes = table["gebied_code"].astype(str).str.casefold()
        chosen &= names.str.contains(needle, regex=False) | codes.str.contains(needle, regex=False)
    if trend in TREND_ORDER:
        chosen &= table["trend"] == trend
    return table[chosen]
