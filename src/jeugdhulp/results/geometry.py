"""Compact GeoJSON of a run's areas for the map: simplified outlines, coordinates rounded.

Five decimals of a degree are about a metre, far below what a choropleth shows; together with
the simplified outlines of the reference data this keeps 10,000 areas at a few megabytes.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

DECIMALS = 5
# Used only when an area has no stored simplified outline: about 30 m at Belgian latitudes.
FALLBACK_TOLERANCE_DEG = 0.0003


def compact_geojson(areas: gpd.GeoDataFrame, decimals: int = DECIMALS) -> str:
    """A FeatureCollection (text) of ``areas`` (``code``, ``naam``, ``geometry``, any CRS) in
    WGS84 with coordinates rounded to ``decimals``; feature ``id`` = the area code."""
    frame = areas.to_crs("EPSG:4326") if areas.crs is not None else areas
    geometry = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, decimals))
    features = [
        f'{{"type":"Feature","id":{json.dumps(str(code))},'
        f'"properties":{{"naam":{json.dumps(str(name), ensure_ascii=False)}}},'
        f'"geometry":{shapely.to_geojson(g)}}}'
        for code, name, g in zip(frame["code"], frame["naam"], geometry, strict=True)
        if g is not None and not g.is_empty
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def simplified(areas: gpd.GeoDataFrame, full: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """``areas`` with each missing outline taken from ``full`` and simplified here."""
    if full is None:
        return areas
    missing = areas.geometry.isna() | areas.geometry.is_empty
    if not missing.any():
        return areas
    lookup = full.set_index("code").geometry.to_crs(areas.crs)
    fill = shapely.simplify(
        lookup.reindex(areas.loc[missing, "code"]).to_numpy(),
        FALLBACK_TOLERANCE_DEG,
        preserve_topology=True,
    )
    out = areas.copy()
    out.loc[missing, "geometry"] = fill
    return out
