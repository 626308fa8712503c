"""Hotspots and blue zones: contiguity weights and local spatial statistics.

``spatial_weights`` builds queen contiguity with a k-nearest-neighbour fallback for areas that
touch no other area; ``local_clusters`` tests every area with the Getis–Ord Gi* statistic (or the
local Moran's I) under conditional randomisation, with saddlepoint p-values (default) or
permutations, controls the false-discovery rate with Benjamini–Hochberg, and gives each area its
cluster membership (``hoog``, ``laag``) and its label ``hotspot``, ``blauwe_zone`` or ``geen``.

Both are written in plain numpy/scipy instead of calling libpysal's ``Queen`` and esda's
``G_Local``/``Moran_Local`` because those take 0.7 s (weights) and 3.3 s (one statistic with 999
permutations, without numba) at 9,000 areas, while the whole analysis of six forms of help has a
budget of about 6.5 s; the routines here take 0.1–0.4 s for the weights and 0.03 s per
statistic with 999 permutations (0.06 s with 9,999). The tests check them against libpysal and
esda. See docs/en/analysis-spatial.md.

References:
    Anselin, L. (1995). Local indicators of spatial association — LISA. Geographical Analysis
    27(2):93–115.
    Getis, A. & Ord, J.K. (1992). The analysis of spatial association by use of distance
    statistics. Geographical Analysis 24(3):189–206.
    Ord, J.K. & Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues
    and an application. Geographical Analysis 27(4):286–306.
    Sokal, R.R., Oden, N.L. & Thomson, B.A. (1998). Local spatial autocorrelation in a biological
    model. Geographical Analysis 30(4):331–354.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. Journal of the
    Royal Statistical Society B 57(1):289–300.
    Lugannani, R. & Rice, S. (1980). Saddle point approximation for the distribution of the sum
    of independent random variables. Advances in Applied Probability 12(2):475–490.
    Davison, A.C. & Hinkley, D.V. (1988). Saddlepoint approximations in resampling methods.
    Biometrika 75(3):417–431.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.special import ndtr

from jeugdhulp.analysis.accessibility import project_lonlat

if TYPE_CHECKING:
    from geopandas.array import GeometryArray
    from libpysal.weights import W

HOTSPOT = "hotspot"
BLAUWE_ZONE = "blauwe_zone"
GEEN = "geen"
# Cluster membership (``in_cluster``); empty where the area lies in no significant cluster.
HOOG = "hoog"
LAAG = "laag"
METHODS = ("gi_star", "moran")
INFERENCES = ("saddlepoint", "permutation")
# Points of the grid of tilts on which the saddlepoint's cumulant functions are tabulated.
_TILT_POINTS = 128
# The grid spans tilts with |t|·(range of the values / sd) ≤ this: exp stays within 1e-13 of
# the largest term, so subtracting an area's own term loses at most 3 of 16 digits.
_TILT_RANGE = 30.0
# Below this saddlepoint deviate w (one-sided p above about 0.3) the normal tail is used.
_NORMAL_BELOW = 0.5

# Cells of the partial shuffles of ``_neighbour_draws`` handled at once (int64: 32 MB).
_SHUFFLE_CELLS_PER_BLOCK = 4_000_000


@dataclass(frozen=True)
class Adjacency:
    """Binary spatial weights as ``local_clusters`` reads them (the attributes it uses of a
    libpysal ``W``): importing libpysal costs seconds per run, more than the tests take."""

    sparse: sp.csr_matrix
    id_order: list[str]

    @property
    def n(self) -> int:
        return len(self.id_order)


def spatial_weights(
    areas: gpd.GeoDataFrame, *, k_fallback: int = 4, code_column: str = "code"
) -> W:
    """:func:`queen_adjacency` as a libpysal ``W`` (for use with libpysal and esda)."""
    from libpysal.weights import WSP  # only here: importing libpysal.weights takes 4 s

    adjacency = queen_adjacency(areas, k_fallback=k_fallback, code_column=code_column)
    return WSP(adjacency.sparse, id_order=adjacency.id_order).to_W(silence_warnings=True)


def queen_adjacency(
    areas: gpd.GeoDataFrame, *, k_fallback: int = 4, code_column: str = "code"
) -> Adjacency:
    """Queen contiguity between ``areas``, with nearest neighbours for areas that touch none.

    Two areas are neighbours when their boundaries share at least one vertex (queen contiguity
    on vertices, as libpysal's ``Queen.from_dataframe`` with ``strict=False``). An area without
    any neighbour — an island, an enclave cut out by the data, a lone polygon — is joined to its
    ``k_fallback`` nearest areas by centroid distance, measured in the areas' own CRS when it is
    projected and otherwise in metres after ``accessibility.project_lonlat`` (never in
    degrees). Those links are made symmetric, so the weights stay symmetric.

    Parameters
    ----------
    areas
        One row per area, with a CRS; ids of the result are ``areas[code_column]``.
    k_fallback
        Number of nearest neighbours given to an area without contiguous ones.
    code_column
        The column with the (unique) area codes.

    Returns
    -------
    Adjacency
        Binary weights whose ``id_order`` is the row order of ``areas``.
    """
    if areas.crs is None:
        raise ValueError("de gebieden hebben geen coördinatenstelsel (CRS)")
    codes = areas[code_column].astype(str).tolist()
    if len(set(codes)) != len(codes):
        raise ValueError(f"de gebiedscodes in kolom '{code_column}' zijn niet uniek")
    missing = areas.geometry.isna().to_numpy() | areas.geometry.is_empty.to_numpy()
    if missing.any():
        raise ValueError(f"gebied '{codes[int(np.argmax(missing))]}' heeft geen geometrie")
    adjacency = _queen_adjacency(areas.geometry.values)
    islands = np.flatnonzero(np.diff(adjacency.indptr) == 0)
    if len(islands) and len(codes) > 1:
        centroids = shapely.get_coordinates(shapely.centroid(areas.geometry.values))
        if not areas.crs.is_projected:
            # Centroids taken in degrees are close enough to rank neighbours; the distances
            # between them are measured in metres.
            points = gpd.GeoSeries(gpd.points_from_xy(*centroids.T), crs=areas.crs)
            if not areas.crs.equals("EPSG:4326"):
                points = points.to_crs("EPSG:4326")
            centroids = project_lonlat(points.x.to_numpy(), points.y.to_numpy())
        adjacency = _attach_nearest(adjacency, centroids, islands, k_fallback)
    return Adjacency(adjacency, codes)


def _queen_adjacency(geometries: GeometryArray) -> sp.csr_matrix:
    """Binary symmetric adjacency of polygons that share a vertex (no self-links).

    An area × distinct-vertex incidence matrix ``B`` gives the shared-vertex counts as ``B Bᵀ``
    (repeated vertices of one area, such as a ring's closing point, only raise a count).
    Vertices are matched exactly, as x + iy keys.
    """
    coords, owner = shapely.get_coordinates(geometries, return_index=True)
    vertex_id, vertices = pd.factorize(coords[:, 0] + 1j * coords[:, 1])
    incidence = sp.csr_matrix(
        (np.ones(len(owner)), (owner, vertex_id)), shape=(len(geometries), len(vertices))
    )
    shared = (incidence @ incidence.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    shared.data[:] = 1.0
    return shared


def _attach_nearest(
    adjacency: sp.csr_matrix, centroids: np.ndarray, islands: np.ndarray, k: int
) -> sp.csr_matrix:
    """Add symmetric links from each island to its ``k`` nearest other areas."""
    # Only here: importing scipy.spatial takes 0.27 s. KDTree, not its base class cKDTree: the
    # same queries, but cKDTree lives in a compiled module pyright cannot see into.
    from scipy.spatial import KDTree

    k = min(k, len(centroids) - 1)
    _, nearest = KDTree(centroids).query(centroids[islands], k=k + 1)
    rows = np.repeat(islands, k + 1)
    cols = np.asarray(nearest).reshape(len(islands), k + 1).ravel()
    keep = rows != cols
    rows, cols = rows[keep][: len(islands) * k], cols[keep][: len(islands) * k]
    links = sp.csr_matrix(
        (np.ones(2 * len(rows)), (np.r_[rows, cols], np.r_[cols, rows])), shape=adjacency.shape
    )
    merged = (adjacency + links).tocsr()
    merged.data[:] = 1.0
    return merged


def local_clusters(
    values: np.ndarray,
    weights: W | Adjacency,
    *,
    inference: str = "saddlepoint",
    permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    method: str = "gi_star",
    centre: float = 0.0,
) -> pd.DataFrame:
    """Local cluster test per area: z-score, p-value, BH q-value, cluster membership and label.

    ``values`` is aligned with ``weights.id_order``; the analysis passes the log of the
    empirical-Bayes smoothed ratio (see docs/en/analysis-spatial.md for why). Areas whose value
    is NaN (suppressed, no population) take no part: the weights are restricted to the other
    areas, and these areas get NaN statistics and cluster ``geen``. An area left without any
    neighbour cannot be tested and gets p = 1.

    Method ``gi_star``: Getis–Ord Gi* with binary weights including the area itself; ``z`` is the
    Ord & Getis (1995) standardised statistic (equal to esda's ``G_Local(...).Zs`` for binary
    weights, valid also for negative values such as logs); a significantly positive area lies
    in a high cluster, a significantly negative one in a low cluster. Method ``moran``: local
    Moran's I with row-standardised weights (Anselin 1995); ``z`` uses the moments under
    conditional randomisation (Sokal et al. 1998, eq. A7–A8); only significant high–high areas
    lie in a high cluster and low–low areas in a low cluster (spatial outliers in neither).

    Inference is under conditional randomisation (Anselin 1995): the area's own value is held
    fixed and its k neighbours are k values drawn without replacement from the other areas.
    The p-value is the folded one-sided value of esda, the smaller of P(sum ≥ observed) and
    P(sum ≤ observed) for the sum of the k drawn values. ``inference="saddlepoint"`` computes it
    with the Lugannani–Rice saddlepoint approximation (:func:`_saddlepoint_p`): deterministic,
    so the labels do not depend on the seed, and accurate in the far tail where
    Benjamini–Hochberg decides. ``inference="permutation"`` estimates it from ``permutations``
    conditional permutations (:func:`_pseudo_p`), ``(min(#sim ≥ obs, #sim ≤ obs) + 1) /
    (permutations + 1)``; ties count on both sides, so a constant neighbourhood gets p = 1.
    Such a p-value is never below 1/(permutations + 1), so ``permutations_for`` gives the
    number needed for a given number of areas.

    ``q`` is the Benjamini–Hochberg (1995) adjusted p-value over the tested areas, and an area
    is in a cluster (``in_cluster`` ``hoog`` or ``laag``, else ``None``) when ``q ≤ alpha``. Its
    own label needs its own evidence too: ``hotspot`` only when its own value is above
    ``centre`` in a high cluster, ``blauwe_zone`` only below ``centre`` in a low cluster, else
    ``geen`` (``centre`` 0 is a ratio of 1 on the log scale).

    Parameters
    ----------
    values
        The quantity per area (any real values; NaN = not tested).
    weights
        Spatial weights (treated as binary), e.g. from ``queen_adjacency``.
    inference
        ``"saddlepoint"`` or ``"permutation"``.
    permutations
        Number of conditional permutations (``inference="permutation"`` only).
    seed
        Seed of numpy's default generator (``inference="permutation"`` only); the same seed
        gives identical output.
    alpha
        False-discovery rate.
    method
        ``"gi_star"`` or ``"moran"``.
    centre
        The value an area's own value must lie above (below) to be a hotspot (blue zone).

    Returns
    -------
    pandas.DataFrame
        Columns ``z``, ``p``, ``q``, ``in_cluster``, ``cluster``, one row per value, indexed by
        ``weights.id_order``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if inference not in INFERENCES:
        raise ValueError(f"inference must be one of {INFERENCES}, not {inference!r}")
    if permutations < 1:
        raise ValueError("permutations must be at least 1")
    y_all = np.asarray(values, dtype=float)
    if y_all.shape != (weights.n,):
        raise ValueError(f"{len(y_all)} values for {weights.n} areas in the weights")
    valid = np.isfinite(y_all)
    result = pd.DataFrame(
        {"z": np.nan, "p": np.nan, "q": np.nan, "in_cluster": None, "cluster": GEEN},
        index=pd.Index(weights.id_order, name="code"),
    )
    if valid.sum() < 3:
        return result
    adjacency = weights.sparse.tocsr()[valid][:, valid].tocsr()
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data[:] = 1.0
    y = y_all[valid]
    z, p, direction = _local_test(y, adjacency, inference, permutations, seed, method)
    q = benjamini_hochberg(p)
    significant = q <= alpha
    high, low = significant & (direction > 0), significant & (direction < 0)
    result.loc[valid, "z"] = z
    result.loc[valid, "p"] = p
    result.loc[valid, "q"] = q
    # None as a 0-d object array: numpy's annotations take no bare None as a value.
    no_cluster = np.array(None, dtype=object)
    result.loc[valid, "in_cluster"] = np.where(high, HOOG, np.where(low, LAAG, no_cluster))
    result.loc[valid, "cluster"] = np.where(
        high & (y > centre), HOTSPOT, np.where(low & (y < centre), BLAUWE_ZONE, GEEN)
    )
    return result


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values) of independent or positively dependent
    tests.

    The same values as ``scipy.stats.false_discovery_control(p)`` (the tests compare them).
    Written here because importing ``scipy.stats`` costs 0.45 s per ``jeugdhulp analyze`` (its
    distributions build their docstrings; median of 3 on 2026-12-05), 9% of a Flanders-scale
    run, which nothing else in the analysis imports.

    Parameters
    ----------
    p : numpy.ndarray
        p-values in [0, 1].

    Returns
    -------
    numpy.ndarray
        q-values, aligned with ``p``.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. *JRSS B* 57(1), 289–300.
    """
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    # q of the k-th smallest: the smallest scaled value from k on.
    q_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = q_sorted
    return q


def permutations_for(n_areas: int, *, alpha: float = 0.05, smallest_cluster: int = 10) -> int:
    """Fewest permutations (999, 9,999, 99,999, …) with which Benjamini–Hochberg at ``alpha``
    can flag a cluster of ``smallest_cluster`` areas among ``n_areas``
    (``inference="permutation"`` only).

    The smallest pseudo p-value 1/(P + 1) must not exceed alpha·k/m, so P + 1 ≥ m/(alpha·k).
    Example: 9,000 areas, clusters of 10 → 18,000 → 99,999; 300 municipalities → 999. Labels
    near the bar still move between seeds (see docs/en/analysis-spatial.md); the saddlepoint
    inference does not.
    """
    needed = n_areas / (alpha * smallest_cluster)
    permutations = 999
    while permutations + 1 < needed:
        permutations = 10 * (permutations + 1) - 1
    return permutations


def _local_test(
    y: np.ndarray,
    adjacency: sp.csr_matrix,
    inference: str,
    permutations: int,
    seed: int,
    method: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z-scores, folded p-values and the cluster direction (+1 high, −1 low, 0 none)."""
    n = len(y)
    if np.ptp(y) == 0:  # constant values (e.g. EB without between-area variance): none stands out
        return np.zeros(n), np.ones(n), np.zeros(n)
    dev = y - y.mean()
    m2 = float(np.mean(dev**2))
    cardinality = np.diff(adjacency.indptr)
    lag_sum = adjacency @ dev
    if method == "gi_star":
        card = cardinality + 1.0  # the area itself is in its own neighbourhood
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (lag_sum + dev) / np.sqrt(m2 * card * (n - card) / (n - 1))
        direction = np.sign(z)
    else:
        wi2 = np.divide(1.0, cardinality, out=np.zeros(n), where=cardinality > 0)
        local_i = dev * lag_sum * wi2 / m2
        expectation = -(dev**2) / ((n - 1) * m2) * (cardinality > 0)
        variance = (dev / m2) ** 2 * n / (n - 2) * (wi2 - (cardinality > 0) / (n - 1))
        variance *= m2 - dev**2 / (n - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (local_i - expectation) / np.sqrt(variance)
        direction = np.where(
            (dev > 0) & (lag_sum > 0), 1, np.where((dev < 0) & (lag_sum < 0), -1, 0)
        )
    z = np.where(np.isfinite(z), z, 0.0)
    p = np.ones(n)
    if cardinality.max() > 0 and inference == "saddlepoint":
        p = _saddlepoint_p(dev, cardinality, lag_sum)
    elif cardinality.max() > 0:
        draws = _neighbour_draws(
            np.random.default_rng(seed), n - 1, int(cardinality.max()), permutations
        )
        # Sums taken in another order differ in the last bits: equal sums must count as ties.
        tolerance = 1e-9 * np.abs(dev).max() * (cardinality.max() + 1)
        p = _pseudo_p(dev, cardinality, lag_sum, draws, tolerance)
    if method == "moran":
        p[dev == 0] = 1.0  # I_i is 0 in every permutation
    return z, p, direction


def _neighbour_draws(
    rng: np.random.Generator, n_others: int, max_card: int, permutations: int
) -> np.ndarray:
    """``permutations`` rows of ``max_card`` distinct indices in ``[0, n_others)``.

    Every prefix of a row is a uniform random subset of that size. When a row of independent
    uniform integers is likely enough to have no repeat (probability ≈ exp(−k²/2n) ≥ e⁻²),
    such rows are drawn and rows with a repeat drawn again (rejection sampling); otherwise
    (few areas, many neighbours) each row is the start of a partial Fisher–Yates shuffle.
    """
    if max_card * (max_card - 1) <= 4 * n_others:
        draws = rng.integers(0, n_others, size=(permutations, max_card))
        pending = np.arange(permutations)
        while len(pending):
            ordered = np.sort(draws[pending], axis=1)
            pending = pending[(ordered[:, 1:] == ordered[:, :-1]).any(axis=1)]
            draws[pending] = rng.integers(0, n_others, size=(len(pending), max_card))
        return draws
    # Blocks of rows keep the shuffled arrays below ~32 MB whatever the number of permutations.
    block = max(1, _SHUFFLE_CELLS_PER_BLOCK // n_others)
    parts = []
    for start in range(0, permutations, block):
        rows = np.arange(min(block, permutations - start))
        shuffled = np.tile(np.arange(n_others), (len(rows), 1))
        for column in range(max_card):
            pick = rng.integers(column, n_others, size=len(rows))
            chosen = shuffled[rows, pick]
            shuffled[rows, pick] = shuffled[rows, column]
            shuffled[rows, column] = chosen
        parts.append(shuffled[:, :max_card])
    return np.concatenate(parts)


def _pseudo_p(
    dev: np.ndarray,
    cardinality: np.ndarray,
    observed: np.ndarray,
    draws: np.ndarray,
    tolerance: float,
) -> np.ndarray:
    """Folded pseudo p-value of each area's neighbour sum under conditional permutation.

    Permutation p gives area i (with k_i neighbours) the sum of k_i values of the *other*
    areas at indices ``draws[p, :k_i]``, numbered so that area i itself is replaced by the last
    area: other_i(r) = r, except other_i(i) = n − 1. That bijection from [0, n−1) onto "all
    areas but i" makes the simulated sum the prefix sum ``S[p, k_i]`` of one shared table,
    except in the few permutations whose first k_i draws contain i itself, where it is
    ``S[p, k_i] + dev[n−1] − dev[i]``. So the areas with the same k are counted against one
    sorted column of S (binary search), and those exceptions are corrected one by one: the
    cost is O(P·k·log P + n·log P) instead of O(n·P), which makes 9,999 or more permutations
    affordable.

    Since p is folded, ``min(#sim ≥ obs, #sim ≤ obs)``, the same counts serve Gi* (whose
    statistic grows with the neighbour sum) and local Moran (whose statistic is the sum times
    dev_i, a factor that may reverse the order but leaves the folded count unchanged).
    """
    n = len(dev)
    permutations, max_card = draws.shape
    prefix = np.zeros((permutations, max_card + 1))
    np.cumsum(dev[draws], axis=1, out=prefix[:, 1:])
    low, high = observed - tolerance, observed + tolerance
    above = np.zeros(n)
    below = np.zeros(n)
    for k in np.unique(cardinality[cardinality > 0]):
        members = np.flatnonzero(cardinality == k)
        column = np.sort(prefix[:, k])
        above[members] = permutations - np.searchsorted(column, low[members], side="left")
        below[members] = np.searchsorted(column, high[members], side="right")
    # The draws (p, c) of an area r among r's own first k_r columns.
    perm_idx, col_idx = np.nonzero(np.arange(max_card) < cardinality[draws])
    area = draws[perm_idx, col_idx]
    counted = prefix[perm_idx, cardinality[area]]
    actual = counted + dev[n - 1] - dev[area]
    above += np.bincount(
        area, weights=(actual >= low[area]).astype(float) - (counted >= low[area]), minlength=n
    )
    below += np.bincount(
        area, weights=(actual <= high[area]).astype(float) - (counted <= high[area]), minlength=n
    )
    p = (np.minimum(above, below) + 1) / (permutations + 1)
    p[cardinality == 0] = 1.0
    return p


def _saddlepoint_p(dev: np.ndarray, cardinality: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Folded p-value of each area's neighbour sum under conditional randomisation, without
    simulation.

    Area i's k_i neighbours are k_i draws without replacement from the N = n − 1 other values.
    For k_i = 1 the p-value is counted exactly. For k_i ≥ 2 the sum's tail is approximated by
    the Lugannani–Rice (1980) saddlepoint formula for a sum of k_i independent draws from the
    others' empirical distribution (Davison & Hinkley 1988), whose cumulant generating function
    is K_i(t) = log(Σ_{j≠i} exp(t·d_j) / N):

        P(S ≥ s) ≈ 1 − Φ(w) + φ(w)·(1/v − 1/w),  w = sign(t̂)·√(2k(t̂·x − K(t̂))),
        v = t̂·√(k·K″(t̂)),  K′(t̂) = x,

    with x the mean of the observed sum after its deviation from the others' mean is widened by
    √((N − 1)/(N − k)): draws without replacement vary less than independent ones by that
    factor, so the two sums then have the same mean and variance. The folded p-value is the
    tail on the observation's side.

    K_i, K_i′ and K_i″ are tabulated on one grid of tilts for all areas at once (the sums over
    all areas minus the area's own term), the saddlepoint t̂ is interpolated between the two
    grid points that bracket it, and K(t̂) by a cubic Hermite step; an area whose saddlepoint
    lies beyond the grid (an extreme neighbourhood) is solved exactly by bisection.
    """
    n = len(dev)
    others = n - 1
    scale = dev.std()
    u = dev / scale
    k = cardinality.astype(float)
    p = np.ones(n)
    # One neighbour: the sum is one other value, counted exactly.
    single = np.flatnonzero(cardinality == 1)
    if len(single):
        x = observed[single] / scale
        tolerance = 1e-9 * np.abs(u).max()
        ordered = np.sort(u)
        above = n - np.searchsorted(ordered, x - tolerance, side="left")
        below = np.searchsorted(ordered, x + tolerance, side="right")
        above -= u[single] >= x - tolerance
        below -= u[single] <= x + tolerance
        p[single] = np.minimum(above, below) / others
    rows = np.flatnonzero((cardinality >= 2) & (cardinality < others))
    if len(rows) == 0:
        return p
    kr = k[rows]
    mean = (u.sum() - u[rows]) / others
    variance = ((u**2).sum() - u[rows] ** 2) / others - mean**2
    target = mean + (observed[rows] / scale / kr - mean) * np.sqrt((others - 1) / (others - kr))
    spread = np.ptp(u)
    tilts = np.linspace(-_TILT_RANGE / spread, _TILT_RANGE / spread, _TILT_POINTS)
    shift = tilts * np.where(tilts > 0, u.max(), u.min())
    powers = np.c_[np.ones(n), u, u**2]
    sums = np.exp(np.outer(tilts, u) - shift[:, None]) @ powers  # [tilts, 3]
    own = np.exp(np.outer(u[rows], tilts) - shift[None, :])  # [rows, tilts]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (sums[None, :, 1] - own * u[rows, None]) / (sums[None, :, 0] - own)
    upper = (slope < target[:, None]).sum(axis=1)  # K′ rises with the tilt
    inside = (upper > 0) & (upper < len(tilts)) & (variance > 1e-12)
    tilt = np.zeros(len(rows))
    cgf_at = np.zeros(len(rows))
    curvature_at = np.ones(len(rows))
    r = np.flatnonzero(inside)
    g = upper[r] - 1
    h = tilts[1] - tilts[0]
    # K, K′ and K″ at the two grid points around each saddlepoint only.
    ends = np.c_[g, g + 1]
    own_ends = own[r[:, None], ends]
    ur = u[rows[r], None]
    s0 = sums[ends, 0] - own_ends
    s1 = sums[ends, 1] - own_ends * ur
    s2 = sums[ends, 2] - own_ends * ur**2
    cgf = np.log(s0 / others) + shift[ends]
    slope_ends = s1 / s0
    curvature = s2 / s0 - slope_ends**2
    fraction = (target[r] - slope_ends[:, 0]) / (slope_ends[:, 1] - slope_ends[:, 0])
    tilt[r] = tilts[g] + fraction * h
    f2, f3 = fraction**2, fraction**3
    cgf_at[r] = (
        (2 * f3 - 3 * f2 + 1) * cgf[:, 0]
        + (f3 - 2 * f2 + fraction) * h * slope_ends[:, 0]
        + (-2 * f3 + 3 * f2) * cgf[:, 1]
        + (f3 - f2) * h * slope_ends[:, 1]
    )
    curvature_at[r] = (1 - fraction) * curvature[:, 0] + fraction * curvature[:, 1]
    # At or beyond the others' largest (smallest) value only draws of that value reach the
    # target: P = (c/N)^k for c such values.
    edge = np.where(target > mean, _others_max(u, rows), -_others_max(-u, rows))
    extreme = np.abs(target - mean) >= np.abs(edge - mean) - 1e-12
    count = (np.abs(u[None, :] - edge[extreme, None]) <= 1e-12).sum(axis=1)
    count -= np.abs(u[rows[extreme]] - edge[extreme]) <= 1e-12
    beyond = np.flatnonzero(~inside & (variance > 1e-12) & ~extreme)
    if len(beyond):
        tilt[beyond], cgf_at[beyond], curvature_at[beyond] = _solve_tilt(
            u, rows[beyond], target[beyond]
        )
    w2 = np.maximum(2 * kr * (tilt * target - cgf_at), 0.0)
    w = np.sqrt(w2)
    v = np.abs(tilt) * np.sqrt(kr * np.maximum(curvature_at, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        tail = ndtr(-w) + np.exp(-w2 / 2) / np.sqrt(2 * np.pi) * (1 / v - 1 / w)
    # Near the mean the formula is a difference of two large terms (1/v − 1/w, both → ∞) and
    # the interpolated cumulants are not precise enough for it; there (p > 0.3) the normal
    # tail serves as well, since Benjamini–Hochberg never rejects such an area.
    z = np.abs(target - mean) * np.sqrt(kr / np.maximum(variance, 1e-300))
    tail = np.where((w > _NORMAL_BELOW) & np.isfinite(tail), tail, ndtr(-z))
    tail[extreme] = (count / others) ** kr[extreme]
    tail[variance <= 1e-12] = 1.0  # the others are all equal: every sum is the observed one
    p[rows] = np.clip(tail, 0.0, 1.0)
    return p


def _others_max(u: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per area of ``rows``: the largest value among the other areas."""
    order = np.argsort(u)
    return np.where(rows == order[-1], u[order[-2]], u[order[-1]])


def _solve_tilt(
    u: np.ndarray, rows: np.ndarray, target: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The saddlepoint t̂ (K_i′(t̂) = target), K_i(t̂) and K_i″(t̂) of the areas ``rows``, by
    bisection on the exact sums over the other areas; a target at or beyond the others' largest
    (smallest) value gets a tilt so large that its tail is 0 up to rounding."""
    others = np.ones((len(rows), len(u)), bool)
    others[np.arange(len(rows)), rows] = False
    values = np.where(others, u[None, :], np.nan)

    def cumulants(tilt):
        top = np.where(tilt > 0, np.nanmax(values, axis=1), np.nanmin(values, axis=1))
        weight = np.where(others, np.exp(tilt[:, None] * (values - top[:, None])), 0.0)
        s0 = weight.sum(axis=1)
        mean = np.nansum(weight * values, axis=1) / s0
        second = np.nansum(weight * values**2, axis=1) / s0
        return np.log(s0 / (len(u) - 1)) + tilt * top, mean, second - mean**2

    low = np.where(target > 0, 0.0, -1e6)
    high = np.where(target > 0, 1e6, 0.0)
    for _ in range(100):
        middle = (low + high) / 2
        _, mean, _ = cumulants(middle)
        low = np.where(mean < target, middle, low)
        high = np.where(mean < target, high, middle)
    tilt = (low + high) / 2
    cgf, _, curvature = cumulants(tilt)
    return tilt, cgf, curvature
