"""The whole analysis of a round: ``run_analysis(AnalysisInputs(...))``.

Takes the loaders' DataFrames (``jeugdhulp.data.*``, ``jeugdhulp.snapshot.reader``) or the same
shapes built from the database, and returns an :class:`AnalysisResult` with the indicators per
area × form of help (plus ``ALLE``), both raw (for the analyst's own checks, never to be
published) and after disclosure control (``published``: the only thing written anywhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd

from jeugdhulp.analysis import accessibility, clusters, comparison, disclosure, funnel
from jeugdhulp.analysis.counting import (
    AGE_OUTSIDE,
    ALL_FORMS,
    OUTSIDE_CATEGORIES,
    client_forms,
    resolve_residence,
    with_all_forms,
)
from jeugdhulp.analysis.distance import DISTANCE_THRESHOLDS_KM, distance_summary, geodesic_km
from jeugdhulp.analysis.model import fit_expected_use
from jeugdhulp.analysis.smoothing import empirical_bayes
from jeugdhulp.analysis.standardisation import (
    SEX_STRATA,
    Strata,
    population_strata,
    reporting_bands,
    standardised_ratio,
)
from jeugdhulp.analysis.standardisation import expected_counts as indirect_expected
from jeugdhulp.data.frames import column_of, columns_of, rows_where
from jeugdhulp.data.mergers import MERGERS_2025
from jeugdhulp.data.postcodes import postcode_table
from jeugdhulp.snapshot.catalogue import HULPVORMEN

YOUNG_ADULT_AGE = 18
# Input checks (input_warnings). A reach above 1,000 per 1,000 (more children in care than
# residents) is impossible. Nothing lower is: the demo's sectors of ~130 young residents in its
# planted high cluster reach 600 per 1,000, and a sector holding a residential facility can too.
# One area with at least half of the region's children in care and under a quarter of its young
# residents (a crude ratio above 2 on half the region) is what residences coded to one place
# (a site's, a partner's) look like, whatever the area's size.
REACH_IMPOSSIBLE_PER_1000 = 1000
CONCENTRATION_CHILDREN = 0.5
CONCENTRATION_RESIDENTS = 0.25
EARLY_AGE_MAX = 5
# The contract of FORMATS.md, in this order; more columns follow.
CONTRACT_COLUMNS = [
    "gebied_code",
    "gebied_naam",
    "hulpvorm",
    "aantal_clienten",
    "inwoners",
    "bereik_per_1000",
    "verwacht",
    "ratio",
    "ratio_laag",
    "ratio_hoog",
    "ratio_eb",
    "kans_boven_1",
    "cluster",
    "mediaan_afstand_km",
    "aandeel_crisis",
    "aandeel_jongvolwassen",
    "in_cluster",
    "funnel_klasse",
    "funnel_klasse_od",
    "vergelijkingsgroep",
    "ratio_t_o_v_groep",
]
# Derived from the cell's own count: hidden whenever the count is.
COUNT_DERIVED = [
    "aantal_clienten",
    "bereik_per_1000",
    "verwacht",
    "verwacht_model",
    "ratio",
    "ratio_laag",
    "ratio_hoog",
    "ratio_eb",
    "kans_boven_1",
    "mediaan_leeftijd",
    "mediaan_leeftijd_start",
    "onvervulde_nood",
    "onvervulde_nood_per_1000",
    "nood_klasse",
    "funnel_klasse",
    "funnel_klasse_od",
    "ratio_t_o_v_groep",
]
# share column -> numerator column (denominator: aantal_clienten)
SHARES = {
    "aandeel_crisis": "n_crisis",
    "aandeel_jongvolwassen": "n_jongvolwassen",
    "aandeel_0_5": "n_vroeg",
    "aandeel_rtjh": "n_rtjh",
    "aandeel_nrtjh": "n_nrtjh",
}
DISTANCE_SHARES = {
    f"aandeel_binnen_{km}km": f"n_binnen_{km}km" for km in DISTANCE_THRESHOLDS_KM
} | {"aandeel_eigen_gebied": "n_eigen_gebied"}


class AnalysisError(ValueError):
    """The inputs do not fit together (message in Dutch)."""


@dataclass(frozen=True)
class AnalysisParams:
    """Every choice of a run; all of it goes into the manifest.

    Attributes
    ----------
    peildatum : datetime.date
        The round's reference date: ages are taken on it, the population year closest to it.
    seed : int
        Seed of the permutations (cluster inference).
    permutations : int
        Conditional permutations per area for the cluster p-values.
    threshold : int
        The smallest count that may be published (children); 1 … threshold − 1 are hidden.
    alpha : float
        False discovery rate of the cluster tests (Benjamini–Hochberg).
    cluster_method : {"gi_star", "moran"}
        Getis–Ord Gi* or local Moran's I.
    covariates : tuple of str or None
        The covariates of the expected-use model; None: every covariate given.
    catchment_km : float
        E2SFCA catchment radius in km (straight line).
    catchment_per_form : tuple of (str, float)
        Catchment radius in km per form of help, overriding ``catchment_km``.
    decay : {"gaussian", "step", "none"}
        E2SFCA distance decay.
    comparison_size : int
        Areas in each area's comparison group (fewer when the region has fewer).
    """

    peildatum: dt.date
    seed: int = 0
    permutations: int = 999
    threshold: int = 5
    alpha: float = 0.05
    cluster_method: str = "gi_star"
    cluster_inference: str = "saddlepoint"
    covariates: tuple[str, ...] | None = None
    catchment_km: float = 20.0
    catchment_per_form: tuple[tuple[str, float], ...] = ()
    decay: str = "gaussian"
    comparison_size: int = comparison.DEFAULT_SIZE

    def catchment_for(self, form: str) -> float:
        """The catchment radius of a form of help.

        Parameters
        ----------
        form : str
            A form-of-help code.

        Returns
        -------
        float
            Radius in km.
        """
        return dict(self.catchment_per_form).get(form, self.catchment_km)

    def as_dict(self) -> dict:
        """The parameters as the manifest records them.

        Returns
        -------
        dict
            JSON-ready: the peildatum as ISO text, tuples as lists and dicts.
        """
        return {
            "peildatum": self.peildatum.isoformat(),
            "seed": self.seed,
            "permutations": self.permutations,
            "threshold": self.threshold,
            "alpha": self.alpha,
            "cluster_method": self.cluster_method,
            "cluster_inference": self.cluster_inference,
            "covariates": list(self.covariates) if self.covariates is not None else None,
            "catchment_km": self.catchment_km,
            "catchment_per_form": dict(self.catchment_per_form),
            "decay": self.decay,
            "comparison_size": self.comparison_size,
        }


@dataclass
class AnalysisResult:
    """The result of :func:`run_analysis`.

    Attributes
    ----------
    params : AnalysisParams
        The run's parameters.
    areas : geopandas.GeoDataFrame
        ``code, naam, geometry`` (sorted by code).
    hulpvormen : list of str
        The forms in output order, ``ALLE`` last.
    indicators : pandas.DataFrame
        Raw indicators per area × form, with the helper counts (``n_*``): never publish.
    published : pandas.DataFrame
        After disclosure control, contract columns first: the only table written anywhere.
    region : pandas.DataFrame
        Per form: ``aantal_clienten`` (children), ``inwoners`` (persons), ``bereik_per_1000``
        (published).
    outside : pandas.DataFrame
        ``categorie`` × ``hulpvorm``: ``aantal_clienten`` (children, published).
    bands : tuple of (int, int)
        The reporting age bands (years, inclusive).
    models : dict
        Per form the covariate model's summary (:meth:`jeugdhulp.analysis.model.ModelFit.summary`).
    smoothing : dict
        Per form the empirical-Bayes method and its moments ``m`` and ``A``.
    warnings : list of str
        Dutch warnings about the inputs and the fits.
    """

    params: AnalysisParams
    areas: gpd.GeoDataFrame
    hulpvormen: list[str]
    indicators: pd.DataFrame
    published: pd.DataFrame
    region: pd.DataFrame
    outside: pd.DataFrame
    bands: tuple[tuple[int, int], ...]
    models: dict[str, dict] = field(default_factory=dict)
    smoothing: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    clusters: dict = field(default_factory=dict)  # how stable the labels are between seeds
    funnel: dict[str, dict] = field(default_factory=dict)  # overdispersion φ per form
    comparison: dict = field(default_factory=dict)  # how the comparison groups were made


Progress = Callable[[str], None]


def form_order(codes: Sequence[str], catalogue: Sequence[str] = ()) -> list[str]:
    """The forms of help in output order.

    Parameters
    ----------
    codes : Sequence of str
        The form codes present (``ALLE`` may be among them).
    catalogue : Sequence of str
        The catalogue's codes in their usual order.

    Returns
    -------
    list of str
        Catalogue order first, other codes alphabetically, ``ALLE`` last.
    """
    present = set(codes) - {ALL_FORMS}
    known = [c for c in catalogue if c in present]
    return [*known, *sorted(present - set(known)), ALL_FORMS]


@dataclass(frozen=True)
class AnalysisInputs:
    """Everything one analysis run reads: the tables, the parameters and how to resolve
    residences. The CLI builds it from files (:mod:`jeugdhulp.analysis.cli`), the web app from
    the database (``jeugdhulp.results.inputs``), an analyst in a notebook from DataFrames.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        ``code``, ``naam``, ``geometry`` (any CRS), one row per area to analyse.
    population : pandas.DataFrame
        Residents per area × year × age × sex (``jeugdhulp.data.population`` layout; persons).
    snapshot : pandas.DataFrame
        The validated snapshot rows of all partners (``jeugdhulp.snapshot.reader`` frame).
    params : AnalysisParams
        Every choice of the run (peildatum, seed, permutations, threshold, ...).
    centroids : pandas.DataFrame
        ``code, lon, lat`` per area (WGS84 degrees), e.g. ``jeugdhulp.data.areas.centroids``.
    sites : geopandas.GeoDataFrame or None
        Sites (``vestiging, hulpvorm, capaciteit, geometry``; capacity in places or cases per
        year): distances and supply. None: no distances, no accessibility.
    covariates : pandas.DataFrame or None
        ``area_code`` and numeric columns for the expected-use model. None: no model.
    postcodes : pandas.DataFrame or None
        Postcode → municipality shares for residences given as a postcode
        (``jeugdhulp.data.postcodes.postcode_table``).
    code_aliases : Mapping[str, str] or None
        Old area code → current code (e.g. ``jeugdhulp.data.mergers.MERGERS_2025``).
    area_of_municipality : Mapping[str, str] or None
        Municipality code → area code, when the areas are not municipalities.
    catalogue : Sequence[str]
        Form-of-help codes in their usual order (the output order).

    See Also
    --------
    run_analysis : runs the analysis on these inputs.
    """

    areas: gpd.GeoDataFrame
    population: pd.DataFrame
    snapshot: pd.DataFrame
    params: AnalysisParams
    centroids: pd.DataFrame
    sites: gpd.GeoDataFrame | None = None
    covariates: pd.DataFrame | None = None
    postcodes: pd.DataFrame | None = None
    code_aliases: Mapping[str, str] | None = None
    area_of_municipality: Mapping[str, str] | None = None
    catalogue: Sequence[str] = ()

    @classmethod
    def flemish(
        cls,
        areas: gpd.GeoDataFrame,
        population: pd.DataFrame,
        snapshot: pd.DataFrame,
        params: AnalysisParams,
        *,
        centroids: pd.DataFrame,
        sites: gpd.GeoDataFrame | None = None,
        covariates: pd.DataFrame | None = None,
    ) -> AnalysisInputs:
        """Inputs with Flanders' residence resolution and catalogue: Belgian postcodes, the
        2025 municipal mergers as code aliases and the default forms of help in their order.

        Parameters
        ----------
        areas, population, snapshot, params, centroids, sites, covariates
            As in :class:`AnalysisInputs`.

        Returns
        -------
        AnalysisInputs
            The inputs as ``jeugdhulp analyze`` and the web application run them.
        """
        return cls(
            areas=areas,
            population=population,
            snapshot=snapshot,
            params=params,
            centroids=centroids,
            sites=sites,
            covariates=covariates,
            postcodes=postcode_table(),
            code_aliases=MERGERS_2025,
            catalogue=tuple(HULPVORMEN),
        )


def run_analysis(inputs: AnalysisInputs, *, progress: Progress | None = None) -> AnalysisResult:
    """Run every step of the analysis on ``inputs``; see docs/en/analysis.md for the methods.

    Parameters
    ----------
    inputs : AnalysisInputs
        The tables and parameters of the run.
    progress : callable or None
        Called with a Dutch label (str) before each step.

    Returns
    -------
    AnalysisResult
        The raw indicators (never to be published) and, after disclosure control, the
        published indicators, region and outside tables, with the model fits, the smoothing
        moments and the warnings.

    Raises
    ------
    AnalysisError
        When the inputs do not fit together (Dutch message).
    """
    params, areas, centroids, sites = inputs.params, inputs.areas, inputs.centroids, inputs.sites
    step = progress or (lambda _label: None)
    # The readers keep per-row metadata in ``attrs``, which pandas deep-copies on every
    # operation (seconds at 200,000 rows); the analysis does not need it.
    snapshot, population = inputs.snapshot.copy(deep=False), inputs.population.copy(deep=False)
    snapshot.attrs, population.attrs = {}, {}
    warnings: list[str] = []
    # assign and sort_values keep a GeoDataFrame's class (pandas annotates them as DataFrame)
    areas = cast(
        gpd.GeoDataFrame,
        areas.assign(code=areas["code"].astype(str)).sort_values("code", ignore_index=True),
    )
    codes = pd.Index(areas["code"])
    # a date is never NaT (pandas annotates Timestamp() as Timestamp | NaTType)
    peildatum = cast(pd.Timestamp, pd.Timestamp(params.peildatum))

    step("tellen: unieke kinderen per gebied en hulpvorm")
    strata = population_strata(population, codes, reference_year=peildatum.year)
    residence = resolve_residence(
        column_of(snapshot, "woonplaats"),
        codes,
        inputs.postcodes,
        code_aliases=inputs.code_aliases,
        area_of_municipality=inputs.area_of_municipality,
    )
    centre = centroids.assign(code=centroids["code"].astype(str)).set_index("code")
    distance, same_area = _row_distances(snapshot, residence, centre, areas, sites)
    forms = with_all_forms(
        client_forms(snapshot, residence, peildatum, distance_km=distance, same_area=same_area)
    )
    hulpvormen = form_order(forms["hulpvorm"].unique().tolist(), inputs.catalogue)
    band = strata.band_of(forms["leeftijd"].to_numpy())
    in_area = codes.get_indexer(forms["gebied"]) >= 0
    category = np.where(in_area, AGE_OUTSIDE, forms["gebied"].to_numpy())
    outside_rows = forms.loc[~in_area | (band < 0)].assign(
        categorie=category[~in_area | (band < 0)]
    )
    counted = forms.loc[in_area & (band >= 0)].assign(band=band[in_area & (band >= 0)])

    step("verwacht gebruik: indirecte standaardisatie")
    table = _indicator_table(counted, codes, areas, strata, hulpvormen, params.threshold)
    # Disclosure control decides first which counts are hidden: every derived statistic is then
    # computed from the protected counts (published cells, hidden ones imputed from what is
    # published), so none of them says more about a hidden cell than the table does.
    suppression = _suppression(table, hulpvormen, params.threshold)
    warnings.extend(input_warnings(population, codes, table, suppression))
    table["geschat_aantal"] = suppression.protected
    smoothing: dict[str, dict] = {}
    flat: list[tuple[str, float]] = []  # forms with A = 0, and their share of hidden cells
    for form, rows in table.groupby("hulpvorm", sort=False):
        ratio, low, high = standardised_ratio(
            rows["aantal_clienten"].to_numpy(float), rows["verwacht"].to_numpy(float)
        )
        table.loc[rows.index, ["ratio", "ratio_laag", "ratio_hoog"]] = np.c_[ratio, low, high]
        step(f"empirische Bayes: {form}")
        protected = rows["geschat_aantal"].to_numpy(float)
        if not np.isfinite(protected).all():
            table.loc[rows.index, ["ratio_eb", "kans_boven_1"]] = np.nan
            warnings.append(f"{form}: te weinig gegevens voor gladstrijken en model")
            continue
        if protected.sum() == 0:
            # Every child of the form lives outside the areas (or outside the age bands): no
            # ratio exists, and a model fitted to zeros would report a meaningless rate.
            warnings.append(
                f"{form}: geen kinderen in de gebieden (ze wonen allemaal buiten de gebieden of "
                "vallen buiten de leeftijdsgroepen); geen gladstrijken, clusters of "
                "covariatenmodel"
            )
            table.loc[rows.index, ["ratio_eb", "kans_boven_1"]] = np.nan
            continue
        eb, prob, m, var = empirical_bayes(protected, rows["verwacht"].to_numpy(float))
        if var == 0 and np.isfinite(m):
            flat.append((str(form), float(suppression.hidden[rows.index.to_numpy()].mean())))
        table.loc[rows.index, "ratio_eb"] = eb
        table.loc[rows.index, "kans_boven_1"] = prob
        smoothing[str(form)] = {"methode": "Marshall 1991 (Poisson–Gamma)", "m": m, "A": var}
    if flat:
        warnings.append(_flat_note(flat))

    models = _fit_models(table, inputs.covariates, params, warnings, step)

    step("ruimtelijke clusters (hotspots en blauwe zones)")
    stability = _clusters(table, areas, params, step)
    overdispersion = _funnel(table)
    step("vergelijkingsgroepen")
    groups, group_warnings = comparison.add_comparison(
        table, inputs.covariates, params.covariates, suppression.hidden, size=params.comparison_size
    )
    warnings.extend(group_warnings)

    _supply(table, centre, sites, params, step)

    step("nabij, vroeg, crisis en jongvolwassenen")
    table = _profiles(table, counted)

    step("onthullingscontrole")
    published, region, outside = _disclose(
        table, outside_rows, hulpvormen, strata, params, suppression
    )
    return AnalysisResult(
        params=params,
        # columns with the geometry column keep a GeoDataFrame's class
        areas=cast(gpd.GeoDataFrame, columns_of(areas, ["code", "naam", "geometry"])),
        hulpvormen=hulpvormen,
        indicators=table,
        published=published,
        region=region,
        outside=outside,
        bands=reporting_bands(strata.bands),
        models=models,
        smoothing=smoothing,
        warnings=warnings,
        clusters=stability,
        funnel=overdispersion,
        comparison=groups,
    )


def _clusters(
    table: pd.DataFrame, areas: gpd.GeoDataFrame, params: AnalysisParams, step: Progress
) -> dict:
    """``in_cluster`` and ``cluster`` per area × form, from the log of ``ratio_eb`` (computed
    from the protected counts), and how many labelled cells change with another seed.

    With permutation inference each form is tested again with ``seed + 1``; a labelled cell is
    one that is ``hotspot`` or ``blauwe_zone`` in either run. The saddlepoint inference uses no
    seed, so nothing can change and the second run is skipped."""
    weights = clusters.queen_adjacency(areas)
    table["in_cluster"] = None
    table["cluster"] = clusters.GEEN
    seeds = [params.seed]
    if params.cluster_inference == "permutation":
        seeds.append(params.seed + 1)
    other = np.full(len(table), clusters.GEEN, dtype=object)
    for form, rows in table.groupby("hulpvorm", sort=False):
        step(f"clusters: {form}")
        with np.errstate(divide="ignore"):
            values = np.log(rows["ratio_eb"].to_numpy(float))
        values[~np.isfinite(values)] = np.nan
        for seed in seeds:
            result = clusters.local_clusters(
                values,
                weights,
                inference=params.cluster_inference,
                permutations=params.permutations,
                seed=seed,
                alpha=params.alpha,
                method=params.cluster_method,
            )
            if seed == params.seed:
                table.loc[rows.index, ["in_cluster", "cluster"]] = result[
                    ["in_cluster", "cluster"]
                ].to_numpy()
            else:
                other[table.index.get_indexer(rows.index)] = result["cluster"].to_numpy()
    first = table["cluster"].to_numpy()
    if len(seeds) == 1:
        other = first
    labelled = int(((first != clusters.GEEN) | (other != clusters.GEEN)).sum())
    changed = int((first != other).sum())
    return {
        "inference": params.cluster_inference,
        "labels_changed_between_seeds": {
            "seeds": [params.seed, params.seed + 1],
            "labelled_cells": labelled,
            "changed": changed,
            "fraction": changed / labelled if labelled else 0.0,
            "measured": len(seeds) == 2,
        },
    }


def _funnel(table: pd.DataFrame) -> dict[str, dict]:
    """``funnel_klasse`` and ``funnel_klasse_od`` per area × form (``analysis.funnel``).

    The classes come from each cell's own count and ``verwacht`` (disclosure control blanks them
    with the count); φ is estimated per form from the protected counts, as the smoothing prior
    is, so it says nothing about a hidden cell that the published table does not."""
    table["funnel_klasse"] = None
    table["funnel_klasse_od"] = None
    phis: dict[str, dict] = {}
    for form, rows in table.groupby("hulpvorm", sort=False):
        observed = rows["aantal_clienten"].to_numpy(float)
        expected = rows["verwacht"].to_numpy(float)
        phi = funnel.overdispersion(rows["geschat_aantal"].to_numpy(float), expected)
        widen = phi if np.isfinite(phi) else 1.0
        table.loc[rows.index, "funnel_klasse"] = funnel.funnel_class(observed, expected)
        table.loc[rows.index, "funnel_klasse_od"] = funnel.funnel_class(
            observed, expected, phi=widen
        )
        phis[str(form)] = {"phi": phi, "verbreed": bool(widen > 1)}
    return phis


def _row_distances(
    snapshot: pd.DataFrame,
    residence: pd.Series,
    centre: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per snapshot row: km from the residence area's centroid to the site, and whether the site
    lies in that area (NaN / False where the site or the area is unknown)."""
    n = len(snapshot)
    if sites is None or sites.empty:
        return np.full(n, np.nan), np.zeros(n, bool)
    located = sites.drop_duplicates("vestiging").set_index("vestiging")
    points = located.geometry.to_crs("EPSG:4326")
    site_area = gpd.sjoin(
        gpd.GeoDataFrame(geometry=located.geometry.to_crs(areas.crs)),
        # columns with the geometry column keep a GeoDataFrame's class
        cast(gpd.GeoDataFrame, columns_of(areas, ["code", "geometry"])),
        how="left",
        predicate="within",
    )
    site_code = column_of(rows_where(site_area, ~site_area.index.duplicated()), "code")
    home = centre.reindex(residence.to_numpy())
    where = snapshot["vestiging"].astype(str).to_numpy()
    distance = geodesic_km(
        home["lon"].to_numpy(float),
        home["lat"].to_numpy(float),
        points.x.reindex(where).to_numpy(float),
        points.y.reindex(where).to_numpy(float),
    )
    same = site_code.reindex(where).to_numpy() == residence.to_numpy()
    return distance, same


def _indicator_table(
    counted: pd.DataFrame,
    codes: pd.Index,
    areas: gpd.GeoDataFrame,
    strata: Strata,
    hulpvormen: list[str],
    threshold: int,
) -> pd.DataFrame:
    """Counts, residents, reach, expected counts and the breakdowns per area × form."""
    n_areas, n_bands = len(codes), len(strata.bands)
    n_sex = strata.population.shape[2]
    area = codes.get_indexer(counted["gebied"])
    sex = strata.sex_of(counted["geslacht"].to_numpy())
    form = pd.Index(hulpvormen).get_indexer(counted["hulpvorm"])
    flat = ((form * n_areas + area) * n_bands + counted["band"].to_numpy()) * n_sex + sex
    observed = np.bincount(flat, minlength=len(hulpvormen) * n_areas * n_bands * n_sex)
    observed = observed.reshape(len(hulpvormen), n_areas, n_bands, n_sex)
    residents = strata.total
    report = reporting_bands(strata.bands)
    band_to_report = np.array(
        [
            next(i for i, (lo, hi) in enumerate(report) if lo <= f and t <= hi)
            for f, t in strata.bands
        ]
    )
    band_pop = strata.band_population()
    frames = []
    for f, hulpvorm in enumerate(hulpvormen):
        counts = observed[f].sum(axis=(1, 2))
        frame = pd.DataFrame(
            {
                "gebied_code": codes,
                "gebied_naam": areas["naam"].astype(str).to_numpy(),
                "hulpvorm": hulpvorm,
                "aantal_clienten": counts,
                "inwoners": residents,
                "bereik_per_1000": _per_1000(counts, residents),
                "verwacht": _pooled_expected(observed[f], strata, threshold),
            }
        )
        by_band = observed[f].sum(axis=2)
        for r, (lo, hi) in enumerate(report):
            members = band_to_report == r
            n = by_band[:, members].sum(axis=1)
            frame[f"n_{lo}_{hi}"] = n
            frame[f"bereik_{lo}_{hi}_per_1000"] = _per_1000(n, band_pop[:, members].sum(axis=1))
        if strata.by_sex:
            for s, label in enumerate(SEX_STRATA):
                frame[f"n_geslacht_{label}"] = observed[f][:, :, s].sum(axis=1)
            for s, label in enumerate(SEX_STRATA[:2]):
                frame[f"bereik_{label.lower()}_per_1000"] = _per_1000(
                    observed[f][:, :, s].sum(axis=1), strata.population[:, :, s].sum(axis=1)
                )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _pooled_expected(observed: np.ndarray, strata: Strata, threshold: int) -> np.ndarray:
    """Indirectly standardised expected counts of one form (``observed[area, band, sex]``) on the
    finest strata whose region counts are all 0 or at least ``threshold``: age band × sex, else
    age band, else none (the region's crude rate).

    The expected counts of many areas pin the region's rate, hence its count, per stratum: this
    keeps those counts out of the range that disclosure control hides."""
    n_areas = observed.shape[0]
    region = observed.sum(axis=0)
    if not disclosure.small(region, threshold).any():
        return indirect_expected(
            observed.reshape(n_areas, -1), strata.population.reshape(n_areas, -1)
        )
    by_band = observed.sum(axis=2)
    if not disclosure.small(by_band.sum(axis=0), threshold).any():
        return indirect_expected(by_band, strata.band_population())
    return indirect_expected(by_band.sum(axis=1, keepdims=True), strata.total[:, None])


def input_warnings(
    population: pd.DataFrame, codes: pd.Index, table: pd.DataFrame, suppression: Suppression
) -> list[str]:
    """Signs that the inputs do not fit together (Dutch, for the manifest, the report and the
    run page).

    Population codes that match no area (another area version?), areas with children in care
    but no residents (counted in no rate), a reach above :data:`REACH_IMPOSSIBLE_PER_1000` (more
    children in care than residents) and one area holding most of the region's children with
    few of its residents (:data:`CONCENTRATION_CHILDREN`, :data:`CONCENTRATION_RESIDENTS`): signs
    of residences coded to one place (a site's, a partner's) or of a population file of another
    area version.

    The warnings are published, so they are computed from published figures only: counts that
    disclosure control left visible, the region total when it is visible, the hidden-cell mask
    (a hidden cell is at least 1, which the attacker knows already) and the public population.
    A hidden count never decides a warning: "more children than residents" in an area with 3
    residents would pin a hidden count of 1–4 to 4.

    Parameters
    ----------
    population : pandas.DataFrame
        The population (``area_code`` column).
    codes : pandas.Index
        The areas' codes.
    table : pandas.DataFrame
        The raw indicator table (``hulpvorm``, ``gebied_code``, ``aantal_clienten``,
        ``inwoners``; persons and children).
    suppression : Suppression
        Disclosure control's decision on that table.

    Returns
    -------
    list of str
        The warnings found (none when the inputs fit).
    """
    found = []
    unknown = pd.Index(population["area_code"].astype(str).unique()).difference(codes)
    if len(unknown):
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        found.append(
            f"bevolking: {len(unknown)} gebiedscode(s) horen bij geen gebied ({shown}); "
            "controleer de gebiedsversie"
        )
    alle = (table["hulpvorm"] == ALL_FORMS).to_numpy()
    area_code = table["gebied_code"].to_numpy()[alle]
    hidden = suppression.hidden[alle]
    count = np.where(hidden, np.nan, table["aantal_clienten"].to_numpy(float)[alle])
    residents = table["inwoners"].to_numpy(float)[alle]
    without = area_code[((count > 0) | hidden) & ~(residents > 0)]
    if len(without):
        found.append(
            f"{len(without)} gebied(en) met cliënten maar zonder inwoners in het "
            f"bevolkingsbestand (bv. {without[0]}): ze tellen in geen bereik"
        )
    reach = _per_1000(count, residents)
    impossible = np.flatnonzero(reach > REACH_IMPOSSIBLE_PER_1000)
    if len(impossible):
        first = impossible[np.argmax(reach[impossible])]
        highest = f"{reach[first]:,.0f}".replace(",", ".")  # Dutch thousands separator
        found.append(
            f"{len(impossible)} gebied(en) met meer kinderen in hulp dan inwoners (bv. "
            f"{area_code[first]}: {highest} per 1.000): controleer de woonplaats in de foto en "
            "het bevolkingsbestand"
        )
    total = suppression.grid[-1, -1]  # ALLE is the last form
    if not suppression.region_hidden[-1] and total > 0 and residents.sum() > 0:
        crowded = np.flatnonzero(
            (count >= CONCENTRATION_CHILDREN * total)
            & (residents < CONCENTRATION_RESIDENTS * residents.sum())
        )
        for i in crowded:
            found.append(
                f"{area_code[i]} telt {count[i] / total:.0%} van de kinderen in hulp maar "
                f"{residents[i] / residents.sum():.0%} van de jongeren: staan alle cliënten "
                "op de woonplaats van een vestiging of partner? Controleer de woonplaats in "
                "de foto"
            )
    return found


@dataclass(frozen=True)
class Suppression:
    """The decision of disclosure control on the area × form table, in the table's row order.

    Attributes
    ----------
    hidden : numpy.ndarray
        Boolean per row of the indicator table.
    grid_hidden : numpy.ndarray
        Boolean ``[areas + 1, forms]``: the region row last.
    grid : numpy.ndarray
        The counts of that grid (children).
    protected : numpy.ndarray
        Per row: the published count, or imputed; NaN where the form's total is hidden.
    """

    hidden: np.ndarray
    grid_hidden: np.ndarray
    grid: np.ndarray
    protected: np.ndarray

    @property
    def region_hidden(self) -> np.ndarray:
        """Boolean per form: whether the region total is hidden."""
        return self.grid_hidden[-1]


def _suppression(table: pd.DataFrame, hulpvormen: list[str], threshold: int) -> Suppression:
    """Primary and secondary suppression of the counts, and the protected counts that derived
    statistics are computed from (:func:`jeugdhulp.analysis.disclosure.protected_counts`)."""
    n_forms = len(hulpvormen)
    n_areas = len(table) // n_forms
    counts = table["aantal_clienten"].to_numpy().reshape(n_forms, n_areas).T
    grid = np.zeros((n_areas + 1, n_forms), np.int64)
    grid[:n_areas] = counts
    grid[n_areas] = counts.sum(axis=0)
    # ALLE is the last column: distinct children, at most the sum of the forms.
    grid_hidden = disclosure.suppress_table(grid, threshold, total_is_sum=False)
    expected = table["verwacht"].to_numpy(float).reshape(n_forms, n_areas).T
    protected = disclosure.protected_counts(
        counts, grid_hidden[:n_areas], grid[n_areas], grid_hidden[n_areas], expected
    )
    return Suppression(
        hidden=grid_hidden[:n_areas].T.ravel(),
        grid_hidden=grid_hidden,
        grid=grid,
        protected=protected.T.ravel(),
    )


def _flat_note(flat: list[tuple[str, float]]) -> str:
    """One note for every form whose areas differ no more than chance explains (A = 0).

    Hidden counts enter the smoothing as shares of the hidden remainder in proportion to E,
    which flattens the variation: the note says so, with each form's share of hidden cells from
    the published mask (measured on the demo's sectors: A > 0 on the raw counts of every form,
    0 on the protected ones for most; one line instead of one per form).
    """
    hidden = [(form, share) for form, share in flat if share > 0]
    flattened = ""
    if hidden:
        shares = (
            f"{hidden[0][1]:.0%}"
            if len(flat) == 1
            else ", ".join(f"{form} {share:.0%}" for form, share in hidden)
        )
        flattened = (
            f" (gerekend op de getoonde aantallen: bij {shares} van de gebieden is het aantal "
            "verborgen en naar verwachting verdeeld, wat verschillen kan uitvlakken)"
        )
    forms = ", ".join(form for form, _ in flat)
    return (
        f"{forms}: de gebieden verschillen niet meer dan toeval verklaart (A = 0); elk "
        f"gebied krijgt de regioverhouding en kans_boven_1 is 0{flattened}"
    )


def _per_1000(count: np.ndarray, population: np.ndarray) -> np.ndarray:
    return np.divide(
        1000.0 * count, population, out=np.full(len(count), np.nan), where=population > 0
    )


def _fit_models(
    table: pd.DataFrame,
    covariates: pd.DataFrame | None,
    params: AnalysisParams,
    warnings: list[str],
    step: Progress,
) -> dict[str, dict]:
    table["verwacht_model"] = np.nan
    if covariates is None or covariates.empty:
        return {}
    cov = covariates.assign(area_code=covariates["area_code"].astype(str)).set_index("area_code")
    columns = list(params.covariates) if params.covariates else list(cov.columns)
    missing = [c for c in columns if c not in cov.columns]
    if missing:
        raise AnalysisError(f"onbekende covariaat: {', '.join(missing)}")
    models: dict[str, dict] = {}
    for form, rows in table.groupby("hulpvorm", sort=False):
        step(f"covariatenmodel: {form}")
        x = columns_of(cov, columns).reindex(rows["gebied_code"]).reset_index(drop=True)
        protected = rows["geschat_aantal"].to_numpy(float)
        if not np.isfinite(protected).all():
            continue  # the form's region total is hidden: no model (warned with smoothing)
        if protected.sum() == 0:
            continue  # no child in the areas: no model (warned with smoothing)
        fit = fit_expected_use(protected, rows["inwoners"].to_numpy(float), x)
        if fit is None:
            warnings.append(f"{form}: te weinig gebieden met covariaten voor het model")
            continue
        table.loc[rows.index, "verwacht_model"] = fit.expected
        models[str(form)] = fit.summary()
        warnings.extend(f"{form}: {w}" for w in fit.warnings)
    return models


def _supply(
    table: pd.DataFrame,
    centre: pd.DataFrame,
    sites: gpd.GeoDataFrame | None,
    params: AnalysisParams,
    step: Progress,
) -> None:
    """E2SFCA accessibility per form (demand: residents 0–24) and the unmet-need indicator.

    ``ALLE`` gets none: capacities of different forms (places, cases per year) do not add up.
    """
    for column in ("toegankelijkheid", "onvervulde_nood", "onvervulde_nood_per_1000"):
        table[column] = np.nan
    table["nood_klasse"] = None
    if sites is None or sites.empty:
        return
    points = sites.geometry.to_crs("EPSG:4326")
    supply_all = pd.DataFrame(
        {
            "site": sites["vestiging"].astype(str).to_numpy(),
            "hulpvorm": sites["hulpvorm"].astype(str).to_numpy(),
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
            "capacity": sites["capaciteit"].to_numpy(float),
        }
    )
    for form, rows in table.groupby("hulpvorm", sort=False):
        supply = rows_where(supply_all, supply_all["hulpvorm"] == form)
        if form == ALL_FORMS or supply.empty:
            continue
        step(f"toegankelijkheid (E2SFCA): {form}")
        home = centre.reindex(rows["gebied_code"])
        demand = pd.DataFrame(
            {
                "code": rows["gebied_code"].to_numpy(),
                "lon": home["lon"].to_numpy(float),
                "lat": home["lat"].to_numpy(float),
                "demand": rows["inwoners"].to_numpy(float),
            }
        )
        access = accessibility.two_step_fca(
            demand, supply, catchment_km=params.catchment_for(str(form)), decay=params.decay
        )
        index = pd.Index(rows["gebied_code"])
        need = accessibility.unmet_need(
            pd.Series(rows["verwacht"].to_numpy(float), index=index),
            pd.Series(rows["aantal_clienten"].to_numpy(float), index=index),
            pd.Series(access.to_numpy(), index=index),
            population=pd.Series(rows["inwoners"].to_numpy(float), index=index),
            credible_shortfall=pd.Series(rows["ratio_hoog"].to_numpy(float) < 1, index=index),
        )
        table.loc[rows.index, "toegankelijkheid"] = access.to_numpy()
        table.loc[rows.index, "onvervulde_nood"] = need["onvervulde_nood"].to_numpy()
        table.loc[rows.index, "onvervulde_nood_per_1000"] = need[
            "onvervulde_nood_per_1000"
        ].to_numpy()
        table.loc[rows.index, "nood_klasse"] = need["klasse"].to_numpy()


def _profiles(table: pd.DataFrame, counted: pd.DataFrame) -> pd.DataFrame:
    """Age ("vroeg"), distance ("nabij"), crisis, young adults and access route per cell."""
    keys = ["gebied", "hulpvorm"]
    grouped = counted.assign(
        jongvolwassen=counted["leeftijd"].ge(YOUNG_ADULT_AGE),
        vroeg=counted["leeftijd"].le(EARLY_AGE_MAX),
    ).groupby(keys, sort=True)
    profile = pd.DataFrame(
        {
            "mediaan_leeftijd": grouped["leeftijd"].median(),
            "mediaan_leeftijd_start": grouped["leeftijd_start"].median(),
            "n_crisis": grouped["crisis"].sum(),
            "n_rtjh": grouped["rtjh"].sum(),
            "n_nrtjh": grouped["nrtjh"].sum(),
            "n_eigen_gebied": grouped["eigen_gebied"].sum(),
            "n_jongvolwassen": grouped["jongvolwassen"].sum(),
            "n_vroeg": grouped["vroeg"].sum(),
        }
    )
    distances = distance_summary(
        columns_of(counted, keys), column_of(counted, "afstand_km")
    ).set_index(keys)
    profile = profile.join(distances, how="left").reset_index()
    profile = profile.rename(columns={"gebied": "gebied_code"})
    table = table.merge(profile, on=["gebied_code", "hulpvorm"], how="left", sort=False)
    count_columns = [c for c in profile.columns if c.startswith("n_")]
    table[count_columns] = table[count_columns].fillna(0).astype(np.int64)
    n = table["aantal_clienten"].to_numpy(float)
    for share, numerator in SHARES.items():
        table[share] = _ratio(column_of(table, numerator), n)
    for share, numerator in DISTANCE_SHARES.items():
        table[share] = _ratio(column_of(table, numerator), table["n_afstand"].to_numpy(float))
    return table


def _ratio(numerator: pd.Series, denominator: np.ndarray) -> np.ndarray:
    num = numerator.to_numpy(float)
    return np.divide(num, denominator, out=np.full(len(num), np.nan), where=denominator > 0)


def _disclose(
    table: pd.DataFrame,
    outside_rows: pd.DataFrame,
    hulpvormen: list[str],
    strata: Strata,
    params: AnalysisParams,
    suppression: Suppression,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply disclosure control; returns the published indicators, region and outside tables."""
    t = params.threshold
    n_areas = len(table) // len(hulpvormen)
    hidden = suppression.hidden
    # A form whose region total is hidden publishes no expected count anywhere, nor anything
    # that gives one back (O / ratio, the interval's bounds, E − O as unmet need): with the
    # region's crude rate an expected count gives the total away.
    form_hidden = np.repeat(suppression.region_hidden, n_areas)
    out = table.copy()
    for column in COUNT_DERIVED:
        out[column] = out[column].where(~hidden)
    for column in (
        "verwacht",
        "verwacht_model",
        "ratio",
        "ratio_laag",
        "ratio_hoog",
        "onvervulde_nood",
        "onvervulde_nood_per_1000",
        "nood_klasse",
        "ratio_eb",
        "kans_boven_1",
        "funnel_klasse",
        "funnel_klasse_od",
        "ratio_t_o_v_groep",
    ):
        out[column] = out[column].where(~form_hidden)
    out["onvoldoende_gegevens"] = hidden
    raw_n = table["aantal_clienten"].to_numpy(float)
    for share, numerator in SHARES.items():
        out[share] = disclosure.rounded_share(table[numerator].to_numpy(float), raw_n, hidden, t)
    for column in ("mediaan_leeftijd", "mediaan_leeftijd_start"):
        out[column] = out[column].where(disclosure.percentile_allowed(raw_n, 0.5, t))
    n_distance = table["n_afstand"].to_numpy(float)
    distance_hidden = hidden | disclosure.small(n_distance, t)
    for column, quantile in (("mediaan_afstand_km", 0.5), ("p90_afstand_km", 0.9)):
        allowed = ~hidden & disclosure.percentile_allowed(n_distance, quantile, t)
        out[column] = out[column].where(allowed)
    for share, numerator in DISTANCE_SHARES.items():
        out[share] = disclosure.rounded_share(
            table[numerator].to_numpy(float), n_distance, distance_hidden, t
        )
    out = _hide_breakdowns(out, table, hidden, len(hulpvormen), n_areas, t)
    helper = [c for c in out.columns if c.startswith("n_")] + ["geschat_aantal"]
    extra = [c for c in out.columns if c not in CONTRACT_COLUMNS and c not in helper]
    published = columns_of(out, CONTRACT_COLUMNS + extra)

    grid = suppression.grid
    region_hidden = suppression.region_hidden
    residents = strata.total.sum()
    region = pd.DataFrame(
        {
            "hulpvorm": hulpvormen,
            "aantal_clienten": np.where(region_hidden, np.nan, grid[n_areas]),
            "inwoners": residents,
            "bereik_per_1000": np.where(
                region_hidden, np.nan, 1000.0 * grid[n_areas] / residents if residents else np.nan
            ),
        }
    )
    outside = _outside_table(outside_rows, hulpvormen, t)
    return published.reset_index(drop=True), region, outside


def _hide_breakdowns(
    out: pd.DataFrame, table: pd.DataFrame, hidden: np.ndarray, n_forms: int, n_areas: int, t: int
) -> pd.DataFrame:
    """Age-band and sex reach per area: all or nothing (see the disclosure module)."""
    groups = {
        "band": [c for c in table.columns if c.startswith("n_") and c[2].isdigit()],
        "geslacht": [c for c in table.columns if c.startswith("n_geslacht_")],
    }
    area_hidden = hidden.reshape(n_forms, n_areas).any(axis=0)
    for kind, columns in groups.items():
        if not columns:
            continue
        bad = disclosure.small(table[columns].to_numpy(float), t).any(axis=1)
        hide_area = area_hidden | bad.reshape(n_forms, n_areas).any(axis=0)
        mask = np.tile(hide_area, n_forms)
        if kind == "band":
            rates = [f"bereik_{c[2:]}_per_1000" for c in columns]
        else:
            rates = [c for c in ("bereik_m_per_1000", "bereik_v_per_1000") if c in out]
        for rate in rates:
            out[rate] = out[rate].where(~mask)
    return out


def _outside_table(rows: pd.DataFrame, hulpvormen: list[str], t: int) -> pd.DataFrame:
    """Children living abroad, unknown, unplaced or outside the age bands, per form."""
    # size() of a DataFrameGroupBy is a Series, its unstack a DataFrame
    counts = (
        cast(pd.DataFrame, rows.groupby(["categorie", "hulpvorm"]).size().unstack(fill_value=0))
        if len(rows)
        else pd.DataFrame()
    )
    counts = counts.reindex(index=list(OUTSIDE_CATEGORIES), columns=hulpvormen, fill_value=0)
    grid = np.zeros((len(counts) + 1, len(hulpvormen)), np.int64)
    grid[:-1] = counts.to_numpy()
    grid[-1] = grid[:-1].sum(axis=0)
    hidden = disclosure.suppress_table(grid, t, total_is_sum=False)[:-1]
    shown = counts.where(~hidden)
    return (
        shown.rename_axis("categorie")
        .reset_index()
        .melt(id_vars="categorie", var_name="hulpvorm", value_name="aantal_clienten")
    )
