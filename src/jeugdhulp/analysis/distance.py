""" "Nabij": geodesic distance from home to the site of help, and its summaries per group.

Distances are geodesics on the WGS84 ellipsoid (Karney 2013, *J. Geodesy* 87:43–55, as
implemented by PROJ's ``geod``), from the centroid of the child's residence area to the site.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Geod

_GEOD = Geod(ellps="WGS84")
DISTANCE_THRESHOLDS_KM = (5, 10, 20)


def geodesic_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Element-wise ellipsoidal (WGS84) distance between two sets of points.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : numpy.ndarray
        Longitudes and latitudes in degrees (WGS84), all of the same length.

    Returns
    -------
    numpy.ndarray
        Geodesic distance in km; NaN where any input is NaN.

    References
    ----------
    Karney, C. F. F. (2013). Algorithms for geodesics. Journal of Geodesy 87(1):43–55.
    """
    lon1, lat1, lon2, lat2 = (np.asarray(v, float) for v in (lon1, lat1, lon2, lat2))
    missing = np.isnan(lon1) | np.isnan(lat1) | np.isnan(lon2) | np.isnan(lat2)
    a_lon, a_lat, b_lon, b_lat = (np.where(missing, 0.0, v) for v in (lon1, lat1, lon2, lat2))
    _, _, metres = _GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    return np.where(missing, np.nan, np.asarray(metres) / 1000.0)


def distance_summary(groups: pd.DataFrame, distance_km: pd.Series) -> pd.DataFrame:
    """Median, P90 (linear interpolation) and the shares within 5/10/20 km per group.

    Parameters
    ----------
    groups : pandas.DataFrame
        The grouping columns (e.g. ``gebied, hulpvorm``), one row per client, aligned with
        ``distance_km``.
    distance_km : pandas.Series
        Distance per client in km; missing distances are left out.

    Returns
    -------
    pandas.DataFrame
        Per group: ``mediaan_afstand_km``, ``p90_afstand_km`` (km), ``aandeel_binnen_<d>km``
        (share in [0, 1]), ``n_afstand`` (clients with a known distance) and ``n_binnen_<d>km``
        (clients within d km, for disclosure control).
    """
    frame = groups.assign(_d=distance_km.to_numpy()).dropna(subset=["_d"])
    keys = list(groups.columns)
    for km in DISTANCE_THRESHOLDS_KM:
        frame[f"_within_{km}"] = frame["_d"].le(km)
    grouped = frame.groupby(keys, sort=True)  # one grouping for every summary below
    out = pd.DataFrame(
        {
            "mediaan_afstand_km": grouped["_d"].median(),
            "p90_afstand_km": grouped["_d"].quantile(0.9),
            "n_afstand": grouped["_d"].size(),
        }
    )
    for km in DISTANCE_THRESHOLDS_KM:
        within = grouped[f"_within_{km}"].sum()
        out[f"n_binnen_{km}km"] = within
        out[f"aandeel_binnen_{km}km"] = within / out["n_afstand"]
    return out.reset_index()
