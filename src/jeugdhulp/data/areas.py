"""Areas from any vector file pyogrio reads, and their centroids.

A feature is one area with a code and a name. The CRS is kept as given; measurements are made
in an equal-area projection centred on the data, and centroids are reported in WGS84.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from jeugdhulp.data.codes import normalise_area_codes
from jeugdhulp.data.collector import Collector
from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.data.fields import find_column
from jeugdhulp.data.frames import column_of, rows_where
from jeugdhulp.data.tabular import normalise_header

CODE_FIELDS = ("code", "nis_code", "nis", "refnis", "geoitem", "gemeente", "statcode")
NAME_FIELDS = ("naam", "name_nl", "name", "statnaam")
WGS84 = "EPSG:4326"
_POLYGON = shapely.GeometryType.POLYGON
_MULTIPOLYGON = shapely.GeometryType.MULTIPOLYGON
# Drivers whose format is WGS84 unless it says otherwise (RFC 7946; the TopoJSON convention).
_WGS84_DRIVERS = {"GeoJSON", "TopoJSON", "GeoJSONSeq"}


def read_areas(
    path: str | Path,
    *,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
    parent_field: str | None = None,
    crs: str | None = None,
    repair: bool = True,
) -> gpd.GeoDataFrame:
    """Read areas: columns ``code`` (str), ``naam`` (str), ``geometry`` (and ``parent`` when
    ``parent_field`` is given), in the file's CRS (``crs`` sets it for a file without one).

    A file with several layers needs ``layer``. Raises ``InputError`` (Dutch, naming the feature)
    for a missing CRS, missing or duplicated codes, empty geometry, and invalid geometry that
    cannot be repaired (with ``repair``, a self-intersection that ``make_valid`` fixes without
    changing the surface by more than 1% is repaired and reported in ``attrs["warnings"]``).
    """
    path = Path(path)
    name = path.name
    warnings: list[Problem] = []
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        if layer is None and len(layers) > 1:
            raise InputError(
                Problem(
                    f"het bestand heeft meerdere lagen ({', '.join(layers)}); kies er één "
                    "(optie --layer).",
                    file=name,
                    kind="laag",
                ),
                name,
            )
        if layer is not None and layer not in layers:
            raise InputError(
                Problem(
                    f"de laag '{layer}' bestaat niet; lagen: {', '.join(layers)}.",
                    file=name,
                    kind="laag",
                ),
                name,
            )
        info = pyogrio.read_info(path, layer=layer)
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except InputError:
        raise
    except Exception as error:  # pyogrio/GDAL raise many types for a file that is not vector data
        raise InputError(
            Problem(
                "het bestand is geen leesbaar vectorbestand met gebieden (GeoJSON, GeoPackage, "
                f"Shapefile, TopoJSON, ...): {str(error).splitlines()[0][:200]}",
                file=name,
                kind="onleesbaar",
            ),
            name,
        ) from None
    frame.columns = [c if c == "geometry" else normalise_header(c) for c in frame.columns]
    if len(frame) == 0:
        raise InputError(Problem("het bestand bevat geen gebieden.", file=name, kind="leeg"), name)

    if crs is not None:
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None:
        bounds = frame.total_bounds
        in_degrees = np.all(np.isfinite(bounds)) and (
            bounds[0] >= -180 and bounds[2] <= 180 and bounds[1] >= -90 and bounds[3] <= 90
        )
        if info.get("driver") in _WGS84_DRIVERS and in_degrees:
            frame = frame.set_crs(WGS84)
            warnings.append(
                Problem(
                    "geen coördinatenstelsel opgegeven; WGS84 (lengte/breedte) aangenomen, zoals "
                    "het formaat voorschrijft.",
                    file=name,
                    severity=Severity.WARNING,
                    kind="crs_aangenomen",
                )
            )
        else:
            raise InputError(
                Problem(
                    "het bestand zegt niet in welk coördinatenstelsel het staat (geen .prj of "
                    "CRS); geef het op (optie --crs, bv. EPSG:31370 voor Lambert 72).",
                    file=name,
                    kind="crs_ontbreekt",
                ),
                name,
            )

    code_col = find_column(frame, CODE_FIELDS, given=code_field, what="de gebiedscode", file=name)
    name_col = find_column(frame, NAME_FIELDS, given=name_field, what="de naam", file=name)
    codes = normalise_area_codes(frame[code_col])
    names = [("" if pd.isna(v) else str(v).strip()) for v in frame[name_col]]
    out = Collector(name, np.arange(1, len(frame) + 1))
    out.problems.extend(warnings)
    out.required_unique(
        pd.Series(codes, dtype=object),
        code_col,
        "gebied zonder code.",
        lambda _, first: f"de code komt twee keer voor (ook in gebied {first}).",
    )
    geometries = frame.geometry.to_numpy().copy()
    kinds = shapely.get_type_id(geometries)
    empty = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    surface = ~empty & np.isin(kinds, (_POLYGON, _MULTIPOLYGON))
    out.rows_problem(
        empty,
        "geometry",
        None,
        lambda i: f"gebied {codes[i]} heeft geen geometrie.",
        "geometrie_leeg",
    )
    out.rows_problem(
        ~empty & ~surface,
        "geometry",
        None,
        lambda i: f"gebied {codes[i]} is geen vlak maar een {geometries[i].geom_type}.",
        "geometrie_soort",
    )
    invalid = np.zeros(len(frame), dtype=bool)
    invalid[surface] = ~shapely.is_valid(geometries[surface])
    reasons = np.full(len(frame), None, dtype=object)
    reasons[invalid] = shapely.is_valid_reason(geometries[invalid])
    fixed = np.full(len(frame), None, dtype=object)
    if repair:
        fixed[invalid] = [_repair(geometry) for geometry in geometries[invalid]]
    repaired = invalid & pd.notna(fixed)
    out.rows_problem(
        invalid & ~repaired,
        "geometry",
        None,
        lambda i: (
            f"gebied {codes[i]} heeft een ongeldige geometrie ({reasons[i]}); herstel ze in "
            "een GIS (bv. QGIS 'Geometrieën herstellen')."
        ),
        "geometrie_ongeldig",
    )
    out.rows_problem(
        repaired,
        "geometry",
        None,
        lambda i: (
            f"gebied {codes[i]} had een ongeldige geometrie ({reasons[i]}); automatisch "
            "hersteld (oppervlakte nagenoeg ongewijzigd)."
        ),
        "geometrie_hersteld",
        Severity.WARNING,
    )
    geometries[repaired] = fixed[repaired]
    out.raise_errors(by_row=True)
    warnings = [p for p in out.problems if not p.is_error]
    data = {"code": codes, "naam": names}
    if parent_field:
        parent_col = find_column(
            frame, (), given=parent_field, what="het bovenliggende gebied", file=name
        )
        data["parent"] = normalise_area_codes(frame[parent_col])
    result = gpd.GeoDataFrame(data, geometry=geometries, crs=frame.crs)
    result.attrs["warnings"] = warnings
    result.attrs["source"] = name
    return result


def _repair(geometry) -> shapely.Geometry | None:
    """The polygonal part of ``make_valid(geometry)``, or None when that changes the surface
    by more than 1% (then the geometry needs a human)."""
    fixed = shapely.make_valid(geometry)
    if fixed.geom_type == "GeometryCollection":
        fixed = shapely.union_all(
            [part for part in fixed.geoms if part.geom_type in ("Polygon", "MultiPolygon")]
        )
    if fixed.is_empty or fixed.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    before = abs(geometry.area)
    if before <= 0 or abs(fixed.area - before) / before > 0.01:
        return None
    return fixed


def equal_area_crs(frame: gpd.GeoDataFrame) -> CRS:
    """A Lambert azimuthal equal-area projection centred on the data (metres): areas and
    centroids without the distortion of degrees, for any place on earth."""
    lon_min, lat_min, lon_max, lat_max = frame.to_crs(WGS84).total_bounds
    return CRS.from_proj4(
        f"+proj=laea +lat_0={(lat_min + lat_max) / 2:.6f} +lon_0={(lon_min + lon_max) / 2:.6f} "
        "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


def area_km2(areas: gpd.GeoDataFrame) -> pd.Series:
    """Surface of each area in km², measured in an equal-area projection."""
    return areas.geometry.to_crs(equal_area_crs(areas)).area / 1e6


def centroids(
    areas: gpd.GeoDataFrame,
    *,
    finer: gpd.GeoDataFrame | None = None,
    finer_population: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """The centroid of each area in WGS84: ``code``, ``lon``, ``lat``, ``method``.

    With ``finer`` areas (e.g. sectors or deelgemeenten, columns ``code``, ``geometry``) and
    their ``finer_population`` (residents per finer code), an area's centroid is the
    population-weighted mean of the centroids of the finer areas that lie in it (each finer area
    counted in the area holding its representative point) — method ``bevolkingsgewogen``.
    Otherwise, or where the finer areas hold no population, the geometric centroid computed in
    an equal-area projection — method ``geometrisch``.
    """
    projection = equal_area_crs(areas)
    projected = areas.geometry.to_crs(projection)
    geometric = projected.centroid
    x = geometric.x.to_numpy().copy()
    y = geometric.y.to_numpy().copy()
    method = np.full(len(areas), "geometrisch", dtype=object)

    if finer is not None and finer_population is not None and len(finer):
        population = pd.Series(finer_population, dtype=float)
        fine = gpd.GeoDataFrame(
            {"code": finer["code"].astype(str).to_numpy()},
            geometry=finer.geometry.to_crs(projection).to_numpy(),
            crs=projection,
        )
        fine["pop"] = column_of(fine, "code").map(population).fillna(0.0).to_numpy()
        fine["cx"] = fine.geometry.centroid.x
        fine["cy"] = fine.geometry.centroid.y
        points = gpd.GeoDataFrame(
            fine[["pop", "cx", "cy"]], geometry=fine.geometry.representative_point(), crs=projection
        )
        coarse = gpd.GeoDataFrame(
            {"position": np.arange(len(areas))}, geometry=projected.to_numpy(), crs=projection
        )
        joined = gpd.sjoin(points, coarse, predicate="within", how="inner")
        joined = rows_where(joined, joined["pop"] > 0)
        if len(joined):
            weight = joined.groupby("position")["pop"].sum()
            pop = column_of(joined, "pop")
            wx = (column_of(joined, "cx") * pop).groupby(joined["position"]).sum() / weight
            wy = (column_of(joined, "cy") * pop).groupby(joined["position"]).sum() / weight
            positions = weight.index.to_numpy()
            x[positions] = wx.to_numpy()
            y[positions] = wy.to_numpy()
            method[positions] = "bevolkingsgewogen"

    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=projection).to_crs(WGS84)
    return pd.DataFrame(
        {
            "code": areas["code"].astype(str).to_numpy(),
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
            "method": method,
        }
    )
