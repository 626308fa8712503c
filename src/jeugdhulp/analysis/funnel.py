"""Funnel plots: where an area's count lies against the exact Poisson limits of its expected count.

``funnel_class`` places each area × form with the exact one-sided Poisson tails of its observed
count O given its expected count E (FORMATS.md "Additions in version 1.1"): P(X ≥ O) < 0.001 →
``boven_998``, else < 0.025 → ``boven_95``; P(X ≤ O) < 0.001 → ``onder_998``, else < 0.025 →
``onder_95``; otherwise ``binnen``. Given an overdispersion factor φ > 1 the same limits are
widened: the tail probabilities are compared with those of a normal deviate √φ times as large.
``overdispersion`` estimates φ as Spiegelhalter (2005b) does, from z-scores winsorised at 10%
at each end; ``funnel_limits`` gives the limits of O/E as a function of E for plotting, exactly
consistent with the classes.

References
----------
Spiegelhalter, D.J. (2005a). Funnel plots for comparing institutional performance. Statistics in
Medicine 24(8):1185–1202.
Spiegelhalter, D.J. (2005b). Handling over-dispersion of performance indicators. Quality and
Safety in Health Care 14(5):347–351.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import chdtriv, gammainc, gammaincc, ndtr, ndtri

BOVEN_998 = "boven_998"
BOVEN_95 = "boven_95"
BINNEN = "binnen"
ONDER_95 = "onder_95"
ONDER_998 = "onder_998"
# One-sided tail probabilities of the 99.8% and 95% limits.
TAILS = {"998": 0.001, "95": 0.025}
# Share of the z-scores winsorised at each end before φ is estimated (Spiegelhalter 2005b).
WINSORISE = 0.1


def poisson_tails(observed: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≥ O) and P(X ≤ O) for X ~ Poisson(E), elementwise (NaN where O or E is unknown or
    E ≤ 0).

    P(X ≥ O) is the regularised lower incomplete gamma function P(O, E) (1 for O = 0) and
    P(X ≤ O) the upper one, Q(O + 1, E): the relation behind Garwood's exact interval.

    Parameters
    ----------
    observed
        Counts O (whole numbers ≥ 0).
    expected
        Expected counts E.

    Returns
    -------
    tuple of numpy.ndarray
        ``(upper, lower)``.
    """
    o = np.asarray(observed, float)
    e = np.asarray(expected, float)
    known = np.isfinite(o) & np.isfinite(e) & (e > 0) & (o >= 0)
    o_safe, e_safe = np.where(known, o, 1.0), np.where(known, e, 1.0)
    upper = np.where(o_safe > 0, gammainc(np.maximum(o_safe, 1.0), e_safe), 1.0)
    lower = gammaincc(o_safe + 1, e_safe)
    return np.where(known, upper, np.nan), np.where(known, lower, np.nan)


def widened_tail(tail: float, phi: float) -> float:
    """The tail probability of a limit widened by overdispersion φ: the tail beyond √φ times the
    normal deviate of ``tail`` (the tail itself when φ ≤ 1)."""
    if phi <= 1:
        return tail
    return float(ndtr(-np.sqrt(phi) * ndtri(1 - tail)))


def funnel_class(observed: np.ndarray, expected: np.ndarray, *, phi: float = 1.0) -> np.ndarray:
    """Funnel class per area (object array; ``None`` where O or E is unknown).

    Parameters
    ----------
    observed
        Counts O; NaN where unknown (a suppressed count gets no class).
    expected
        Expected counts E.
    phi
        Multiplicative overdispersion factor; 1 (or less) gives the plain Poisson limits.

    Returns
    -------
    numpy.ndarray
        ``boven_998``, ``boven_95``, ``binnen``, ``onder_95``, ``onder_998`` or ``None``.
    """
    upper, lower = poisson_tails(observed, expected)
    outer, inner = (widened_tail(TAILS[level], phi) for level in ("998", "95"))
    classes = np.select(
        [upper < outer, upper < inner, lower < outer, lower < inner, np.isfinite(upper)],
        [BOVEN_998, BOVEN_95, ONDER_998, ONDER_95, BINNEN],
        default="",
    ).astype(object)
    classes[classes == ""] = None
    return classes


def normal_deviates(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """The z-score of each count: the normal deviate with the same one-sided tail,
    Φ⁻¹(1 − P(X ≥ O)) above E's median side and −Φ⁻¹(1 − P(X ≤ O)) below it (0 when both
    tails exceed one half)."""
    upper, lower = poisson_tails(observed, expected)
    with np.errstate(invalid="ignore"):
        z = np.where(upper < 0.5, ndtri(1 - upper), np.where(lower < 0.5, -ndtri(1 - lower), 0.0))
    return np.where(np.isfinite(upper), z, np.nan)


def overdispersion(observed: np.ndarray, expected: np.ndarray) -> float:
    """Multiplicative overdispersion φ (Spiegelhalter 2005b): the mean square of the areas'
    z-scores (:func:`normal_deviates`) after winsorising the lowest and highest 10%; NaN when
    fewer than two areas have a known count and E > 0. φ ≤ 1 means no overdispersion: the
    limits are then not widened."""
    z = normal_deviates(observed, expected)
    z = z[np.isfinite(z)]
    if len(z) < 2:
        return float("nan")
    low, high = np.quantile(z, [WINSORISE, 1 - WINSORISE])
    return float(np.mean(np.clip(z, low, high) ** 2))


def funnel_limits(expected: np.ndarray, *, phi: float = 1.0) -> pd.DataFrame:
    """The funnel's limits of the ratio O/E at expected counts ``expected`` (for plotting).

    The upper limit at level α is o*/E where o* solves P(χ²(2o*) ≤ 2E) = α (``chdtriv``), the
    smooth continuation of P(X ≥ O) = α in O: a count O is above the limit exactly when
    P(X ≥ O) < α. The lower limit is (o* − 1)/E where P(χ²(2o*) ≤ 2E) = 1 − α, at least 0: a
    count is below it exactly when P(X ≤ O) < α. With φ > 1 the levels are
    :func:`widened_tail`'s.

    Parameters
    ----------
    expected
        Expected counts E > 0.
    phi
        Multiplicative overdispersion factor.

    Returns
    -------
    pandas.DataFrame
        Columns ``verwacht``, ``onder_998``, ``onder_95``, ``boven_95``, ``boven_998``.
    """
    e = np.asarray(expected, float)
    limits = {"verwacht": e}
    for level in ("998", "95"):
        tail = widened_tail(TAILS[level], phi)
        limits[f"onder_{level}"] = np.maximum(chdtriv(1 - tail, 2 * e) / 2 - 1, 0.0) / e
    for level in ("95", "998"):
        tail = widened_tail(TAILS[level], phi)
        limits[f"boven_{level}"] = chdtriv(tail, 2 * e) / 2 / e
    return pd.DataFrame(limits)
