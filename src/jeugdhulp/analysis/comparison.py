"""Comparison groups ("vergelijkingsgroep"): each area against its most similar areas.

Each area's group is its ``k`` nearest other areas of the run (one level: the run's areas) in
the space of the covariates, each standardised to a z-score (mean 0, standard deviation 1 over
the areas that have every covariate), with the Euclidean distance: the CIPFA "nearest
neighbours" model behind Public Health England's Fingertips comparisons (fingertipsR
``nearest_neighbours``) and the CBS/Waarstaatjegemeente comparison with similar municipalities
work the same way. Standardising gives every covariate the same weight whatever its unit.

The area's ratio against its group, ``ratio_t_o_v_groep``, is its own O/E divided by the
group's pooled O/E, ΣO / ΣE over the members whose count is published. Pooling hidden counts
would publish their sums over overlapping groups, and two groups that differ by one hidden
member would give that member's count by subtraction (docs/en/disclosure.md).

References
----------
CIPFA (2019). CIPFA's Nearest Neighbours Model (England): technical guidance. Chartered
Institute of Public Finance and Accountancy, London.
Public Health England (2018). fingertipsR: ``nearest_neighbours``, R package documentation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import KDTree

DEFAULT_SIZE = 10
# Separates the members' area codes in the ``vergelijkingsgroep`` column.
SEPARATOR = ";"


@dataclass(frozen=True)
class Groups:
    """The comparison group of each area.

    Attributes
    ----------
    members : numpy.ndarray
        ``int [areas, size]``: positions of each area's members, nearest first; −1 for an area
        without a group (a missing covariate).
    distance : numpy.ndarray
        ``float [areas, size]``: the standardised Euclidean distance to each member (in
        standard deviations); NaN where there is no member.
    columns : tuple of str
        The covariates used (constant ones are left out).
    warnings : list of str
        Dutch warnings: areas without a group, covariates left out.
    """

    members: np.ndarray
    distance: np.ndarray
    columns: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """The number of members per group (0 when no area has a group)."""
        return self.members.shape[1]

    def labels(self, codes: Sequence[str]) -> np.ndarray:
        """Each area's group as text: the members' codes joined by ``;``, nearest first.

        Parameters
        ----------
        codes : Sequence of str
            The areas' codes, in the order the groups were made in.

        Returns
        -------
        numpy.ndarray
            Object array of str; ``None`` for an area without a group.
        """
        names = np.asarray(codes, dtype=object)
        out = np.full(len(names), None, dtype=object)
        for i in np.flatnonzero((self.members >= 0).all(axis=1) & (self.size > 0)):
            out[i] = SEPARATOR.join(names[self.members[i]])
        return out


def similar_areas(covariates: pd.DataFrame, *, size: int = DEFAULT_SIZE) -> Groups:
    """The ``size`` most similar other areas of each area by standardised Euclidean distance.

    Parameters
    ----------
    covariates : pandas.DataFrame
        One row per area, numeric covariate columns only (any units); a row with a missing
        value gets no group and is nobody's member.
    size : int
        Members per group; fewer when fewer other areas have every covariate.

    Returns
    -------
    Groups
        Members nearest first and their distances in standard deviations. Ties are broken by
        the k-d tree's order, the same for the same input.

    Notes
    -----
    With ``z`` the covariates as z-scores, the distance between areas a and b is
    ``√Σ_c (z_ac − z_bc)²``. The nearest ``size + 1`` areas of each area are found with a k-d
    tree (O(n log n), no n × n matrix at 9,000 areas); the area itself is dropped, or the
    farthest when an identical area took its place.
    """
    x = covariates.to_numpy(float)
    n = len(x)
    complete = np.isfinite(x).all(axis=1) if x.shape[1] else np.zeros(n, bool)
    warnings: list[str] = []
    sd = x[complete].std(axis=0) if complete.any() else np.zeros(x.shape[1])
    keep = sd > 0  # a constant covariate tells no area from another
    warnings += [
        f"vergelijkingsgroepen: covariaat {c!r} is overal gelijk en werd niet gebruikt"
        for c in np.asarray(covariates.columns)[~keep]
    ]
    k = min(size, int(complete.sum()) - 1)
    if not keep.any() or k < 1:
        warnings.append("vergelijkingsgroepen: te weinig gebieden met covariaten; geen groepen")
        return Groups(np.full((n, 0), -1), np.full((n, 0), np.nan), (), warnings)
    if not complete.all():
        warnings.append(
            f"vergelijkingsgroepen: {int((~complete).sum())} gebied(en) zonder (volledige) "
            "covariaten krijgen geen vergelijkingsgroep"
        )
    rows = np.flatnonzero(complete)
    z = (x[rows][:, keep] - x[rows][:, keep].mean(axis=0)) / sd[keep]
    # k + 1 ≥ 2 neighbours: the arrays are always [areas, k + 1].
    distance, found = (np.asarray(a) for a in KDTree(z).query(z, k=k + 1))
    is_self = found == np.arange(len(rows))[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    members = np.full((n, k), -1)
    distances = np.full((n, k), np.nan)
    members[rows] = rows[found[~is_self].reshape(len(rows), k)]
    distances[rows] = distance[~is_self].reshape(len(rows), k)
    return Groups(members, distances, tuple(np.asarray(covariates.columns)[keep]), warnings)


def ratio_to_group(
    observed: np.ndarray, expected: np.ndarray, members: np.ndarray, published: np.ndarray
) -> np.ndarray:
    """Each area's O/E divided by its group's pooled O/E (dimensionless).

    Parameters
    ----------
    observed : numpy.ndarray
        Count O per area (children).
    expected : numpy.ndarray
        Expected count E per area (children).
    members : numpy.ndarray
        ``int [areas, size]`` from :attr:`Groups.members` (−1: none).
    published : numpy.ndarray
        Boolean per area: whether its count is published. Only these areas enter a group's
        pool, and only these get a ratio.

    Returns
    -------
    numpy.ndarray
        ``(O_i / E_i) / (Σ_j O_j / Σ_j E_j)`` over the published members j of area i's group;
        NaN where the area's count is not published, E_i ≤ 0, it has no group, no member is
        published or the pooled count is 0.
    """
    o = np.asarray(observed, float)
    e = np.asarray(expected, float)
    usable = np.asarray(published, bool) & np.isfinite(o) & np.isfinite(e) & (e > 0)
    has = members >= 0
    at = np.where(has, members, 0)
    pooled = has & usable[at]
    pooled_o = np.where(pooled, o[at], 0.0).sum(axis=1)
    pooled_e = np.where(pooled, e[at], 0.0).sum(axis=1)
    valid = usable & has.all(axis=1) & (members.shape[1] > 0) & (pooled_o > 0)
    out = np.full(len(o), np.nan)
    out[valid] = (o[valid] / e[valid]) / (pooled_o[valid] / pooled_e[valid])
    return out


def add_comparison(
    table: pd.DataFrame,
    covariates: pd.DataFrame | None,
    columns: Sequence[str] | None,
    hidden: np.ndarray,
    *,
    size: int = DEFAULT_SIZE,
) -> tuple[dict, list[str]]:
    """``vergelijkingsgroep`` and ``ratio_t_o_v_groep`` per area × form of the indicator table.

    Parameters
    ----------
    table : pandas.DataFrame
        The pipeline's indicator table (``gebied_code``, ``hulpvorm``, ``aantal_clienten``,
        ``verwacht``), the same areas in the same order for every form; changed in place.
    covariates : pandas.DataFrame or None
        ``area_code`` and numeric columns; None: no groups.
    columns : Sequence of str or None
        The covariates to use (those of the expected-use model); None: every column.
    hidden : numpy.ndarray
        Boolean per row of ``table``: the count is hidden by disclosure control.
    size : int
        Members per group.

    Returns
    -------
    tuple of (dict, list of str)
        The manifest's summary (covariates, distance, group size, areas without a group) and
        the Dutch warnings.
    """
    table["vergelijkingsgroep"] = None
    table["ratio_t_o_v_groep"] = np.nan
    if covariates is None or covariates.empty:
        return {}, []
    cov = covariates.assign(area_code=covariates["area_code"].astype(str)).set_index("area_code")
    used = list(columns) if columns else list(cov.columns)
    codes = pd.Index(table["gebied_code"].drop_duplicates())
    groups = similar_areas(cov.reindex(index=codes, columns=used), size=size)
    n_forms = len(table) // len(codes)
    table["vergelijkingsgroep"] = np.tile(groups.labels(codes.tolist()), n_forms)
    for _form, rows in table.groupby("hulpvorm", sort=False):
        at = table.index.get_indexer(rows.index)
        table.loc[rows.index, "ratio_t_o_v_groep"] = ratio_to_group(
            rows["aantal_clienten"].to_numpy(float),
            rows["verwacht"].to_numpy(float),
            groups.members,
            ~hidden[at],
        )
    summary = {
        "covariaten": list(groups.columns),
        "afstand": "euclidisch op z-scores",
        "grootte": groups.size,
        "zonder_groep": int((groups.members < 0).any(axis=1).sum()) if groups.size else len(codes),
    }
    return summary, groups.warnings


def furthest_from_group(published: pd.DataFrame, per_side: int = 3) -> pd.DataFrame:
    """Per form of help the areas furthest above and below their comparison group.

    Parameters
    ----------
    published : pandas.DataFrame
        Published indicators (``gebied_code``, ``gebied_naam``, ``hulpvorm``,
        ``aantal_clienten``, ``ratio_t_o_v_groep``); only published ratios are ranked.
    per_side : int
        Areas shown above 1 and below 1 per form.

    Returns
    -------
    pandas.DataFrame
        ``hulpvorm, richting ("boven" | "onder"), gebied_code, gebied_naam, aantal_clienten,
        ratio_t_o_v_groep``, in the forms' order of appearance, the furthest first on each
        side (furthest on the log scale, so 2 and 0.5 are equally far).
    """
    columns = ["gebied_code", "gebied_naam", "hulpvorm", "aantal_clienten", "ratio_t_o_v_groep"]
    ratio = published["ratio_t_o_v_groep"].to_numpy(float)
    keep = np.isfinite(ratio) & (ratio > 0) & (ratio != 1)
    form = pd.Index(published["hulpvorm"].drop_duplicates()).get_indexer(published["hulpvorm"])
    side = np.where(ratio > 1, 0, 1)
    far = np.abs(np.log(np.where(keep, ratio, 1.0)))
    order = np.lexsort((published["gebied_code"].to_numpy(str), -far, side, form))
    order = order[keep[order]]
    # Rank within each (form, side) block: the blocks are contiguous and in ascending order.
    block = form[order] * 2 + side[order]
    rank = np.arange(len(order)) - np.searchsorted(block, block)
    chosen = order[rank < per_side]
    out = published.iloc[chosen].loc[:, columns].reset_index(drop=True)
    out.insert(1, "richting", np.where(side[chosen] == 0, "boven", "onder"))
    return out[["hulpvorm", "richting", *columns[:2], *columns[3:]]]
