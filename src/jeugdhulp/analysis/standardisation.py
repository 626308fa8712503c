"""Population strata and indirect standardisation with exact Poisson intervals.

Indirect standardisation (e.g. Breslow & Day 1987, *Statistical Methods in Cancer Research II*,
ch. 2): the region's own use rate per age band × sex stratum, applied to an area's population,
gives the count E the area would have if it used help like the region; O/E is the standardised
ratio. Its 95% interval is the exact (Garwood 1936) Poisson interval of O divided by E.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import gammaincinv

from jeugdhulp.data.frames import column_of, rows_where

# The age bands of the product design, used for reporting when the population allows them.
DESIGN_BANDS = ((0, 2), (3, 5), (6, 11), (12, 17), (18, 24))
MAX_AGE = 24
# Sex strata of the clients: M and V use their own population; X (other) and O (unknown) are
# standardised on both sexes together, so that the expected counts add up to the observed ones.
SEX_STRATA = ("M", "V", "XO")


class PopulationError(ValueError):
    """The population cannot be used for the analysis (message in Dutch)."""


@dataclass(frozen=True)
class Strata:
    """Population per area × age band × sex stratum, as dense arrays.

    ``population[a, b, s]`` with ``s`` indexing ``SEX_STRATA`` (``XO`` = M + V), or with a single
    sex stratum ``T`` when the population has no split by sex (``by_sex`` False).

    Attributes
    ----------
    area_codes : pandas.Index
        The areas, in the order of the first axis.
    bands : tuple of (int, int)
        The age bands (first and last age in years, inclusive), in the order of the second axis.
    population : numpy.ndarray
        ``[area, band, sex]`` residents (persons).
    by_sex : bool
        Whether the population is split by sex.
    year : int or None
        The population's year used.
    """

    area_codes: pd.Index
    bands: tuple[tuple[int, int], ...]
    population: np.ndarray
    by_sex: bool
    year: int | None

    @property
    def total(self) -> np.ndarray:
        """Residents in the bands per area (both sexes).

        Returns
        -------
        numpy.ndarray
            Persons per area.
        """
        if self.by_sex:
            return self.population[:, :, 2].sum(axis=1)
        return self.population[:, :, 0].sum(axis=1)

    def band_population(self) -> np.ndarray:
        """Residents per area and band, both sexes.

        Returns
        -------
        numpy.ndarray
            ``[area, band]`` persons.
        """
        return self.population[:, :, 2 if self.by_sex else 0]

    def band_of(self, age: np.ndarray) -> np.ndarray:
        """Band index per age.

        Parameters
        ----------
        age : numpy.ndarray
            Ages in completed years.

        Returns
        -------
        numpy.ndarray
            Index into :attr:`bands`; -1 outside every band.
        """
        starts = np.array([b[0] for b in self.bands])
        ends = np.array([b[1] for b in self.bands])
        index = np.searchsorted(starts, age, side="right") - 1
        inside = (index >= 0) & (age <= ends[np.clip(index, 0, None)])
        return np.where(inside, index, -1)

    def sex_of(self, sex: np.ndarray) -> np.ndarray:
        """Sex stratum index per client sex code.

        Parameters
        ----------
        sex : numpy.ndarray
            ``geslacht`` codes (``M``, ``V``, ``X``, ``O``).

        Returns
        -------
        numpy.ndarray
            Index into ``SEX_STRATA`` (0 for every client when the population is not split by sex).
        """
        if not self.by_sex:
            return np.zeros(len(sex), dtype=np.int64)
        return np.select([sex == "M", sex == "V"], [0, 1], 2)


def population_strata(
    population: pd.DataFrame, area_codes: pd.Index, *, reference_year: int | None = None
) -> Strata:
    """Dense strata from the tidy population (``jeugdhulp.data.population`` layout).

    Keeps the bands that start at age 0–24; when several years are present, the one closest to
    ``reference_year`` (earlier on a tie). Bands must not overlap. M/V rows are used when
    present, else the ``T`` rows.

    Parameters
    ----------
    population : pandas.DataFrame
        ``area_code, year, age_from, age_to, sex, population`` (residents, persons).
    area_codes : pandas.Index
        The areas, in the order of the strata's first axis.
    reference_year : int or None
        The year to use (the peildatum's); None: the latest.

    Returns
    -------
    Strata
        Residents per ``[area, band, sex]``.

    Raises
    ------
    PopulationError
        When no residents aged 0–24 remain or the bands overlap (Dutch message).
    """
    pop = population.copy()
    pop["area_code"] = pop["area_code"].astype(str)
    year = None
    if "year" in pop and column_of(pop, "year").notna().any():
        years = np.array(sorted(pop["year"].dropna().astype(int).unique()))
        target = reference_year if reference_year is not None else int(years.max())
        year = int(years[np.argmin(np.abs(years - target) + (years > target) * 0.5)])
        pop = rows_where(pop, pop["year"].isna() | (pop["year"] == year))
    pop = rows_where(pop, pop["age_from"].astype(int) <= MAX_AGE)
    sexes = column_of(pop, "sex")
    by_sex = bool(sexes.isin(["M", "V"]).any())
    pop = rows_where(pop, sexes.isin(["M", "V"]) if by_sex else sexes == "T")
    if pop.empty:
        raise PopulationError("de bevolking bevat geen inwoners van 0 tot 24 jaar")
    age_from = pop["age_from"].astype(int).to_numpy()
    age_to = pop["age_to"].astype("Float64").fillna(float(MAX_AGE)).astype(int).to_numpy()
    # One integer key per (from, to) pair: np.unique on rows (axis=0) is many times slower.
    keys, band_of_row = np.unique(age_from * 1000 + age_to, return_inverse=True)
    bands = tuple((int(k // 1000), int(k % 1000)) for k in keys)
    for (f1, t1), (f2, _) in itertools.pairwise(bands):
        if f2 <= t1:
            raise PopulationError(
                f"de leeftijdsklassen van de bevolking overlappen: {f1}–{t1} en {f2}–…; "
                "geef elke leeftijd in één klasse"
            )
    codes = pd.Index(area_codes.astype(str))
    area_pos = codes.get_indexer(pop["area_code"])
    keep = area_pos >= 0
    b = band_of_row.ravel()[keep]
    s = column_of(pop, "sex").map({"M": 0, "V": 1, "T": 0}).to_numpy()[keep]
    values = np.zeros((len(codes), len(bands), 3 if by_sex else 1))
    np.add.at(values, (area_pos[keep], b, s), pop["population"].to_numpy(float)[keep])
    if by_sex:
        values[:, :, 2] = values[:, :, 0] + values[:, :, 1]
    return Strata(codes, bands, values, by_sex, year)


def reporting_bands(bands: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The age bands the output reports.

    Parameters
    ----------
    bands : tuple of (int, int)
        The population's bands (first and last age in years, inclusive).

    Returns
    -------
    tuple of (int, int)
        The design's bands (0–2, 3–5, 6–11, 12–17, 18–24) when the population's bands add up to
        each of them, else the population's own bands.
    """
    for lo, hi in DESIGN_BANDS:
        inside = [b for b in bands if lo <= b[0] and b[1] <= hi]
        if sum(t - f + 1 for f, t in inside) != hi - lo + 1:
            return bands
    return DESIGN_BANDS


def expected_counts(observed: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Indirectly standardised expected counts.

    ``E[a] = Σ_s population[a, s] · (Σ_a observed[a, s] / Σ_a population[a, s])``; a stratum
    without residents contributes nothing. By construction Σ E = Σ O over the strata with
    residents.

    Parameters
    ----------
    observed : numpy.ndarray
        ``[area, stratum]`` counts of clients (one form of help; children).
    population : numpy.ndarray
        ``[area, stratum]`` residents (persons).

    Returns
    -------
    numpy.ndarray
        Expected count per area (children).

    References
    ----------
    Breslow, N. E. & Day, N. E. (1987). Statistical Methods in Cancer Research, Volume II: The
    Design and Analysis of Cohort Studies. IARC Scientific Publications 82, chapter 2.
    """
    totals = population.sum(axis=0)
    rates = np.divide(
        observed.sum(axis=0), totals, out=np.zeros(totals.shape, float), where=totals > 0
    )
    return population @ rates


def poisson_interval(observed: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact confidence interval for a Poisson mean given ``observed`` counts.

    ``[χ²(α/2; 2O)/2, χ²(1−α/2; 2O+2)/2]``, with lower bound 0 when O = 0.

    Parameters
    ----------
    observed : numpy.ndarray
        Observed counts (children).
    level : float
        Confidence level, e.g. 0.95.

    Returns
    -------
    lower, upper : numpy.ndarray
        The interval's bounds, in counts.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28(3/4):437–442.
    """
    alpha = 1 - level
    observed = np.asarray(observed, float)
    lower = np.where(observed > 0, _chi2_quantile(alpha / 2, 2 * observed) / 2, 0.0)
    upper = _chi2_quantile(1 - alpha / 2, 2 * observed + 2) / 2
    return lower, upper


def _chi2_quantile(q: float, df: np.ndarray) -> np.ndarray:
    """The χ² quantile 2·P⁻¹(df/2, q), P the regularised lower incomplete gamma function, as
    ``scipy.stats.chi2.ppf`` computes it (NaN where df = 0); importing ``scipy.stats`` cost
    0.5 s of every run."""
    return 2 * gammaincinv(df / 2, q)


def standardised_ratio(
    observed: np.ndarray, expected: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The standardised ratio O/E with its exact Poisson interval.

    Parameters
    ----------
    observed : numpy.ndarray
        Observed counts O per area (children).
    expected : numpy.ndarray
        Expected counts E per area (children).
    level : float
        Confidence level of the interval, e.g. 0.95.

    Returns
    -------
    ratio, lower, upper : numpy.ndarray
        O/E and the bounds of its interval (:func:`poisson_interval` divided by E;
        dimensionless); NaN where E = 0.
    """
    observed = np.asarray(observed, float)
    safe = np.where(expected > 0, expected, np.nan)
    lower, upper = poisson_interval(observed, level)
    return observed / safe, lower / safe, upper / safe
