"""Expected use from a covariate model, in the spirit of the SCP model of youth-care use.

A quasi-Poisson GLM (McCullagh & Nelder 1989, *Generalized Linear Models*, §6.2) per form of
help: ``log μ_i = log(inwoners_i) + β₀ + Σ β_k z_ik`` with the covariates standardised to
z-scores (so ``exp(β_k)`` is the rate ratio per standard deviation). Overdispersion is handled
by the Pearson scale ``φ = X² / (n − p)``: coefficients are Poisson maximum likelihood, their
standard errors are multiplied by √φ. Quasi-Poisson is chosen over a negative binomial because
it needs no extra parameter to estimate, is deterministic and fast, and weights areas
proportionally to their expected count, as a rate model should (Ver Hoef & Boveng 2007,
*Ecology* 88:2766–2772).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.tools import add_constant


@dataclass(frozen=True)
class ModelFit:
    """One form's fit: fitted counts per area (NaN where not fitted) and its report."""

    expected: np.ndarray
    coefficients: pd.DataFrame  # covariate, rate_ratio, laag, hoog, p
    n: int
    dispersion: float
    deviance_explained: float
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "n_gebieden": self.n,
            "dispersie": round(self.dispersion, 4),
            "verklaarde_deviantie": round(self.deviance_explained, 4),
            "coefficienten": [
                {k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.coefficients.to_dict("records")
            ],
        }


def fit_expected_use(
    observed: np.ndarray, population: np.ndarray, covariates: pd.DataFrame
) -> ModelFit | None:
    """Fit the quasi-Poisson model; ``None`` when there are too few usable areas.

    Parameters
    ----------
    observed
        Clients per area.
    population
        Residents 0–24 per area (the offset).
    covariates
        Numeric covariates, one row per area aligned with ``observed``; rows with a missing
        value or areas without residents are left out of the fit and get no expected count.
    """
    x = covariates.to_numpy(float)
    use = (population > 0) & np.isfinite(x).all(axis=1) & np.isfinite(observed)
    sd = x[use].std(axis=0) if use.any() else np.zeros(x.shape[1])
    keep = sd > 0  # a constant covariate carries no information and would make X singular
    names = list(np.asarray(covariates.columns)[keep])
    n = int(use.sum())
    if n <= len(names) + 2:
        return None
    z = (x[:, keep] - x[use][:, keep].mean(axis=0)) / sd[keep]
    design = add_constant(z, has_constant="add")
    model = GLM(observed[use], design[use], family=Poisson(), offset=np.log(population[use]))
    result = model.fit(scale="X2")
    expected = np.full(len(observed), np.nan)
    expected[use] = result.fittedvalues
    ci = np.asarray(result.conf_int())
    params = np.asarray(result.params)
    coefficients = pd.DataFrame(
        {
            "covariaat": ["(intercept)", *names],
            "rate_ratio": np.exp(params),
            "laag": np.exp(ci[:, 0]),
            "hoog": np.exp(ci[:, 1]),
            "p": np.asarray(result.pvalues),
        }
    )
    warnings = [
        f"covariaat {c!r} is overal gelijk en werd weggelaten"
        for c in np.asarray(covariates.columns)[~keep]
    ]
    explained = 1 - result.deviance / result.null_deviance if result.null_deviance > 0 else 0.0
    return ModelFit(expected, coefficients, n, float(result.scale), float(explained), warnings)
