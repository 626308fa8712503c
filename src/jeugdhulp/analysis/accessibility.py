"""Supply and unmet need: floating-catchment accessibility and an unmet-need indicator.

``two_step_fca`` measures how much capacity of one form of help each area can reach, with the
(enhanced) two-step floating catchment area method; ``unmet_need`` sets that accessibility
against expected and actual use. Formulas, choices and references: docs/en/analysis-spatial.md.

References
----------
Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a GIS
environment: synthesis and a case study in the Chicago region. Environment and Planning B
30(6):865–884.
Luo, W. & Qi, Y. (2009). An enhanced two-step floating catchment area (E2SFCA) method for
measuring spatial accessibility to primary care physicians. Health & Place 15(4):1100–1107.
Dai, D. (2010). Black residential segregation, disparities in spatial access to health care
facilities, and late-stage breast cancer diagnosis in metropolitan Detroit. Health & Place
16(5):1038–1052 (the Gaussian catchment weight).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp

from jeugdhulp.data.frames import rows_where

DECAYS = ("gaussian", "step", "none")
# Luo & Qi (2009): weights of three equal travel zones inside the catchment (Gaussian-derived).
STEP_WEIGHTS = (1.0, 0.68, 0.22)

# Distances computed at once in ``_pairs_within`` (float64: 8 MB per array).
_PAIR_CELLS_PER_BLOCK = 1_000_000
KLASSE_ONVERVULD = "onvervulde_nood"
KLASSE_ONDERBENUT = "onderbenut_aanbod"
KLASSE_GEDEKT_VER = "gedekt_ver_aanbod"
KLASSE_GEDEKT = "gedekt"
KLASSE_ONBEKEND = "onbekend"


def catchment_weight(distance_km: np.ndarray, catchment_km: float, decay: str) -> np.ndarray:
    """Distance-decay weight in [0, 1] of a distance, 0 beyond the catchment.

    ``none``: 1 inside the catchment d0 (classic 2SFCA, Luo & Wang 2003). ``gaussian``:
    (exp(−½(d/d0)²) − exp(−½)) / (1 − exp(−½)), falling smoothly from 1 at the door to 0 at the
    catchment's edge (Dai 2010). ``step``: 1, 0.68, 0.22 in the first, second and last third of
    the catchment (Luo & Qi 2009).

    Parameters
    ----------
    distance_km : numpy.ndarray
        Distances in km.
    catchment_km : float
        Catchment radius d0 in km (positive).
    decay : {"gaussian", "step", "none"}
        The distance-decay function.

    Returns
    -------
    numpy.ndarray
        The weight per distance, dimensionless in [0, 1].

    Raises
    ------
    ValueError
        For an unknown ``decay`` or a catchment that is not positive.

    References
    ----------
    Luo, W. & Wang, F. (2003), Luo, W. & Qi, Y. (2009), Dai, D. (2010): see the module.
    """
    if decay not in DECAYS:
        raise ValueError(f"decay must be one of {DECAYS}, not {decay!r}")
    if not catchment_km > 0:
        raise ValueError("catchment_km must be positive")
    d = np.asarray(distance_km, dtype=float)
    inside = d <= catchment_km
    if decay == "none":
        weight = np.ones_like(d)
    elif decay == "gaussian":
        edge = np.exp(-0.5)
        weight = (np.exp(-0.5 * (d / catchment_km) ** 2) - edge) / (1.0 - edge)
    else:
        zone = np.minimum((3.0 * d / catchment_km).astype(int), 2)
        weight = np.asarray(STEP_WEIGHTS)[zone]
    return np.where(inside, weight, 0.0)


def project_lonlat(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """(n, 2) coordinates in metres of WGS84 points, for straight-line distances between them.

    The projection is a transverse Mercator with scale 1 on a central meridian through the
    points' mean position. Distances in it are within 0.02% of geodesic ones over a region the
    size of Flanders (scale error ≈ (Δλ·cos φ)²/2 at Δλ from that meridian), without the cost
    of a geodesic per pair or of a CRS database lookup (``estimate_utm_crs`` takes 0.6 s).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Longitudes and latitudes in degrees (WGS84).

    Returns
    -------
    numpy.ndarray
        (n, 2) planar x, y in metres; NaN stays NaN.
    """
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    projection = pyproj.Proj(
        f"+proj=tmerc +lat_0={np.nanmean(lat):.6f} +lon_0={np.nanmean(lon):.6f} +k=1 "
        "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )
    x, y = projection(lon, lat)
    return np.column_stack([x, y])


def two_step_fca(
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    *,
    catchment_km: float,
    decay: str = "gaussian",
) -> pd.Series:
    """Accessibility of capacity per area: capacity per 1,000 demand, E2SFCA.

    Step 1, per site j: the capacity-to-demand ratio over the demand it can reach,
    R_j = S_j / Σ_k P_k W(d_kj). Step 2, per area i: A_i = Σ_j R_j W(d_ij), multiplied by
    1,000. W is ``catchment_weight`` (``none`` gives the classic 2SFCA). A site with no demand
    in its catchment serves nobody (R_j = 0); an area with no site in reach gets 0. The capacity
    is conserved: Σ_i P_i A_i / 1000 = Σ_j S_j over sites that reach some demand.

    Distances are straight lines in metres after ``project_lonlat``; only the pairs within the
    catchment are kept, in a sparse matrix.

    Parameters
    ----------
    demand : pandas.DataFrame
        ``code``, ``lon``, ``lat`` (WGS84 degrees, e.g. the population-weighted centroid),
        ``demand`` (persons, e.g. residents aged 0–24, or expected need); NaN demand = 0.
    supply : pandas.DataFrame
        ``site``, ``lon``, ``lat`` (WGS84 degrees), ``capacity`` (places or cases per year), one
        row per site of this form of help.
    catchment_km : float
        Catchment radius d0 in km (straight-line distance).
    decay : {"gaussian", "step", "none"}
        The distance decay (:func:`catchment_weight`).

    Returns
    -------
    pandas.Series
        ``toegankelijkheid`` indexed by ``code``: capacity (in the unit of ``capacity``) per
        1,000 demand within reach; NaN for areas without coordinates.

    References
    ----------
    Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a GIS
    environment. Environment and Planning B 30(6):865–884.
    Luo, W. & Qi, Y. (2009). An enhanced two-step floating catchment area (E2SFCA) method.
    Health & Place 15(4):1100–1107.
    """
    codes = pd.Index(demand["code"], name="code")
    located = (demand["lon"].notna() & demand["lat"].notna()).to_numpy()
    supply = rows_where(supply, supply["lon"].notna() & supply["lat"].notna())
    access = np.zeros(len(demand))
    if len(supply) and located.any():
        lon = np.r_[demand["lon"].to_numpy(float)[located], supply["lon"].to_numpy(float)]
        lat = np.r_[demand["lat"].to_numpy(float)[located], supply["lat"].to_numpy(float)]
        xy = project_lonlat(lon, lat)
        n = int(located.sum())
        rows, columns, metres = _pairs_within(xy[:n], xy[n:], catchment_km * 1000.0)
        weight = sp.csr_matrix(
            (catchment_weight(metres / 1000.0, catchment_km, decay), (rows, columns)),
            shape=(n, len(supply)),
        )
        population = np.nan_to_num(demand["demand"].to_numpy(float)[located])
        capacity = np.nan_to_num(supply["capacity"].to_numpy(float))
        reached = weight.T @ population
        ratio = np.divide(capacity, reached, out=np.zeros_like(capacity), where=reached > 0)
        access[located] = 1000.0 * (weight @ ratio)
    return pd.Series(np.where(located, access, np.nan), index=codes, name="toegankelijkheid")


def _pairs_within(
    a: np.ndarray, b: np.ndarray, max_distance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of points ``a[i]``, ``b[j]`` at most ``max_distance`` apart, with that
    distance, from blocks of the full distance matrix.

    Kept instead of scipy's ``cKDTree`` after measuring both (issue #15, 5 December 2026, on
    the benchmark region at scale 1: 9,000 areas, 20 km catchment, two shared cores): the same
    pairs and distances bit for bit, but ``cKDTree(a).sparse_distance_matrix(cKDTree(b), ...)``
    took 24–53 ms per form of help (60 sites) against 7–18 ms here, and 150–300 ms against
    53–100 ms for all 300 sites (``query_ball_point`` plus the distances: the same); with a
    20 km catchment a sixth of all pairs is in reach, so a tree prunes little. Importing
    ``scipy.spatial`` adds 0.16–0.27 s to every run (``clusters`` imports it only for areas
    without neighbours). The tests check these pairs against ``cKDTree``.

    Parameters
    ----------
    a, b : numpy.ndarray
        (n, 2) and (m, 2) planar coordinates in metres; ``a`` is not empty.
    max_distance : float
        The largest distance kept, in metres (inclusive).

    Returns
    -------
    rows, columns, distances : numpy.ndarray
        Indices into ``a`` and ``b`` and the distance in metres (also 0), in row order.
    """
    block = max(1, _PAIR_CELLS_PER_BLOCK // max(len(b), 1))
    found = []
    for start in range(0, len(a), block):
        dx = a[start : start + block, 0][:, None] - b[:, 0]
        dy = a[start : start + block, 1][:, None] - b[:, 1]
        distance = np.sqrt(dx * dx + dy * dy)
        i, j = np.nonzero(distance <= max_distance)
        found.append((i + start, j, distance[i, j]))
    rows, columns, distances = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return rows, columns, distances


def unmet_need(
    expected: pd.Series,
    observed: pd.Series,
    accessibility: pd.Series,
    *,
    population: pd.Series | None = None,
    threshold: float | None = None,
    credible_shortfall: pd.Series | None = None,
) -> pd.DataFrame:
    """Unmet need per area: use below expectation where little capacity is within reach.

    Definitions (all per area, aligned on ``expected``'s index):

    - ``tekort`` = max(E − O, 0) where use counts as short (see ``credible_shortfall``), else
      0: children expected to use help who do not (count);
    - ``lage_toegankelijkheid`` = accessibility below ``threshold`` (default: the median over
      the areas with a known accessibility);
    - ``onvervulde_nood`` = ``tekort`` where accessibility is low, else 0 (count), and
      ``onvervulde_nood_per_1000`` per 1,000 of ``population`` when that is given;
    - ``klasse``: ``onvervulde_nood`` (use below expected, low accessibility: a supply gap),
      ``onderbenut_aanbod`` (use below expected although capacity is near: look for other
      thresholds), ``gedekt_ver_aanbod`` (use as expected despite low accessibility: families
      travel), ``gedekt`` (use as expected, capacity near), ``onbekend`` (a number is missing).

    Parameters
    ----------
    expected : pandas.Series
        Expected count E per area (children); its index gives the areas.
    observed : pandas.Series
        Observed count O per area (children).
    accessibility : pandas.Series
        Accessibility per area (capacity per 1,000, :func:`two_step_fca`).
    population : pandas.Series or None
        Residents per area (persons), for ``onvervulde_nood_per_1000``.
    threshold : float or None
        Accessibility below which it counts as low; None: the median.
    credible_shortfall : pandas.Series or None
        True where use is credibly below expected (e.g. the upper bound of the O/E interval
        below 1): only those areas count as short. None: any O < E counts, which is noisy for
        small areas.

    Returns
    -------
    pandas.DataFrame
        ``tekort``, ``lage_toegankelijkheid``, ``onvervulde_nood`` (children),
        ``onvervulde_nood_per_1000`` (with ``population``) and ``klasse``, per area.
    """
    index = expected.index
    e = expected.astype(float)
    o = observed.reindex(index).astype(float)
    a = accessibility.reindex(index).astype(float)
    cut = float(np.nanmedian(a)) if threshold is None and a.notna().any() else threshold
    known = e.notna() & o.notna() & a.notna()
    short = o < e
    if credible_shortfall is not None:
        short &= credible_shortfall.reindex(index, fill_value=False).astype(bool)
    low = a < cut if cut is not None else pd.Series(False, index=index)
    tekort = (e - o).clip(lower=0).where(known)
    result = pd.DataFrame(
        {
            "tekort": tekort.where(short, 0.0).where(known),
            "lage_toegankelijkheid": low.where(known),
            "onvervulde_nood": tekort.where(short & low, 0.0).where(known),
        },
        index=index,
    )
    if population is not None:
        pop = population.reindex(index).astype(float)
        result["onvervulde_nood_per_1000"] = 1000.0 * result["onvervulde_nood"] / pop.where(pop > 0)
    klasse = np.select(
        [~known, short & low, short, low],
        [KLASSE_ONBEKEND, KLASSE_ONVERVULD, KLASSE_ONDERBENUT, KLASSE_GEDEKT_VER],
        KLASSE_GEDEKT,
    )
    result["klasse"] = klasse
    return result
