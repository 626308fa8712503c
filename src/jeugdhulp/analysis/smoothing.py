"""Empirical-Bayes smoothing of standardised ratios (Poisson–Gamma model).

Model (Clayton & Kaldor 1987, *Biometrics* 43:671–681): ``O_i ~ Poisson(θ_i E_i)`` with the true
ratios ``θ_i ~ Gamma(shape a, rate b)``. The prior's mean ``m`` and variance ``A`` are estimated
with Marshall's (1991) global method of moments (*Applied Statistics* 40:283–294):

    m = Σ O / Σ E,   s² = Σ E_i (r_i − m)² / Σ E,   A = s² − m / Ē   (A < 0 → 0),

with ``r_i = O_i / E_i`` and ``Ē`` the mean of E. Then ``a = m²/A``, ``b = m/A`` and the posterior
of ``θ_i`` is ``Gamma(a + O_i, b + E_i)``: its mean is the smoothed ratio (Marshall's shrinkage
estimator ``m + A/(A + m/E_i) · (r_i − m)``) and ``P(θ_i > 1)`` is ``kans_boven_1``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincc


def marshall_moments(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """Prior mean and variance of the true ratios, by Marshall's global method of moments.

    Parameters
    ----------
    observed : numpy.ndarray
        Observed counts O per area (children).
    expected : numpy.ndarray
        Expected counts E per area (children); areas with E = 0 are left out.

    Returns
    -------
    m : float
        Prior mean ΣO / ΣE (dimensionless ratio); NaN when ΣE = 0.
    A : float
        Prior variance max(s² − m/Ē, 0) (ratio²); 0 when ΣE = 0.

    References
    ----------
    Marshall, R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators.
    Applied Statistics 40(2):283–294.
    """
    use = expected > 0
    o, e = np.asarray(observed, float)[use], np.asarray(expected, float)[use]
    if e.sum() <= 0:
        return float("nan"), 0.0
    m = o.sum() / e.sum()
    s2 = np.sum(e * (o / e - m) ** 2) / e.sum()
    return float(m), float(max(s2 - m / e.mean(), 0.0))


def empirical_bayes(
    observed: np.ndarray, expected: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Poisson–Gamma empirical-Bayes smoothed ratio and ``P(θ > 1)`` per area.

    When ``A`` is 0 the areas vary no more than chance alone explains: the prior is a point
    mass at ``m``, so every area gets ``m`` and the probability that ``m`` exceeds 1. Under
    indirect standardisation ``m`` is 1 up to rounding (ΣE = ΣO), so that probability is 0: a
    relative tolerance of 1e-9 keeps floating point from deciding it.

    Parameters
    ----------
    observed : numpy.ndarray
        Observed counts O per area (children).
    expected : numpy.ndarray
        Expected counts E per area (children).

    Returns
    -------
    smoothed : numpy.ndarray
        Posterior mean of the true ratio θ per area (dimensionless); NaN where E = 0.
    probability : numpy.ndarray
        Posterior probability that θ > 1, in [0, 1]; NaN where E = 0.
    m, A : float
        The prior's mean and variance (:func:`marshall_moments`).

    References
    ----------
    Clayton, D. & Kaldor, J. (1987). Empirical Bayes estimates of age-standardized relative
    risks for use in disease mapping. Biometrics 43(3):671–681.
    Marshall, R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators.
    Applied Statistics 40(2):283–294.
    """
    observed = np.asarray(observed, float)
    expected = np.asarray(expected, float)
    m, variance = marshall_moments(observed, expected)
    use = expected > 0
    smoothed = np.full(observed.shape, np.nan)
    probability = np.full(observed.shape, np.nan)
    if variance > 0:
        shape = m * m / variance + observed[use]
        rate = m / variance + expected[use]
        smoothed[use] = shape / rate
        # P(θ > 1) under Gamma(shape, rate): the upper regularised incomplete gamma function at
        # 1 / scale, as scipy.stats.gamma.sf(1, shape, scale=1 / rate) computes it.
        probability[use] = gammaincc(shape, 1.0 / (1.0 / rate))
    elif np.isfinite(m):
        smoothed[use] = m
        probability[use] = float(m > 1 + 1e-9)
    return smoothed, probability, m, variance
