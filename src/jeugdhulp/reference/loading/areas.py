"""Areas of one level (niveau) and vintage, their parents and their centroids."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from django.db import transaction

from jeugdhulp.data.areas import area_km2, centroids, equal_area_crs, read_areas
from jeugdhulp.reference.loading.common import WGS84, LoadReport, audit_load
from jeugdhulp.reference.models import Area, AreaLevel, CentroidMethod
from jeugdhulp.reference.services import ALL_AGES, areas_frame, youth_population

# Douglas-Peucker tolerance for the map geometry, in metres, per level (niveau).
SIMPLIFY_M = {AreaLevel.SECTOR: 10, AreaLevel.DEELGEMEENTE: 25, AreaLevel.GEMEENTE: 50}


def load_areas(
    path: str | Path,
    *,
    niveau: str,
    vintage: str,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
    parent_field: str | None = None,
    crs: str | None = None,
) -> LoadReport:
    frame = read_areas(
        path,
        code_field=code_field,
        name_field=name_field,
        layer=layer,
        parent_field=parent_field,
        crs=crs,
    )
    return store_areas(frame, niveau=niveau, vintage=vintage, source=Path(path).name)


@transaction.atomic
def store_areas(
    frame: gpd.GeoDataFrame,
    *,
    niveau: str,
    vintage: str,
    source: str,
    fictief: bool = False,
) -> LoadReport:
    """Store areas (``code``, ``naam``, ``geometry``, optional ``parent``) of one level and
    vintage. A parent is found among the areas of the same vintage by the ``parent`` code, or,
    for sectors and deelgemeenten, by the municipality code their code starts with."""
    report = LoadReport(warnings=list(frame.attrs.get("warnings", [])))
    wgs = frame.to_crs(WGS84)
    local = frame.to_crs(equal_area_crs(frame))
    tolerance = SIMPLIFY_M.get(niveau, 100)
    simplified = local.geometry.simplify(tolerance, preserve_topology=True).to_crs(WGS84)
    surface = area_km2(frame).to_numpy()
    middle = centroids(frame)
    parents = _parents(frame, niveau, vintage)
    existing = {
        a.code: a for a in Area.objects.filter(vintage=vintage, code__in=list(frame["code"]))
    }
    to_create, to_update = [], []
    fields = [
        "naam",
        "niveau",
        "parent_id",
        "geometry",
        "geometry_simplified",
        "area_km2",
        "centroid_lon",
        "centroid_lat",
        "centroid_method",
        "fictief",
        "bron",
    ]
    # Whole columns at once (shapely and numpy per array, not per row: 10,000 areas).
    outlines = shapely.to_geojson(shapely.set_precision(wgs.geometry.to_numpy(), 1e-6))
    outlines_simplified = shapely.to_geojson(shapely.set_precision(simplified.to_numpy(), 1e-5))
    names = frame["naam"].tolist()
    lons, lats = middle["lon"].to_numpy().tolist(), middle["lat"].to_numpy().tolist()
    for i, code in enumerate(frame["code"]):
        values = {
            "naam": names[i],
            "niveau": niveau,
            "parent_id": parents.get(code),
            "geometry": outlines[i],
            "geometry_simplified": outlines_simplified[i],
            "area_km2": round(float(surface[i]), 4),
            "centroid_lon": round(lons[i], 6),
            "centroid_lat": round(lats[i], 6),
            "centroid_method": CentroidMethod.GEOMETRIC,
            "fictief": fictief,
            "bron": source[:300],
        }
        area = existing.get(code)
        if area is None:
            to_create.append(Area(code=code, vintage=vintage, **values))
            continue
        if area.centroid_method == CentroidMethod.POPULATION:
            # keep a population-weighted centroid computed earlier from finer areas
            for key in ("centroid_lon", "centroid_lat", "centroid_method"):
                values[key] = getattr(area, key)
        if any(getattr(area, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            to_update.append(area)
        else:
            report.unchanged += 1
    Area.objects.bulk_create(to_create, batch_size=500)
    Area.objects.bulk_update(to_update, fields, batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    _adopt_children(niveau, vintage)
    if report.created or report.updated:
        audit_load("gebieden", source, report)
    return report


def _parents(frame: gpd.GeoDataFrame, niveau: str, vintage: str) -> dict[str, int]:
    candidates = dict(Area.objects.filter(vintage=vintage).values_list("code", "id"))
    found: dict[str, int] = {}
    for i, code in enumerate(frame["code"]):
        parent_code = frame["parent"].iloc[i] if "parent" in frame.columns else None
        if not parent_code and niveau in (AreaLevel.SECTOR, AreaLevel.DEELGEMEENTE):
            parent_code = code[:5]
        if parent_code and parent_code in candidates and parent_code != code:
            found[code] = candidates[parent_code]
    return found


def _adopt_children(niveau: str, vintage: str) -> None:
    """Finer areas loaded before their municipalities get their parent now."""
    if niveau != AreaLevel.GEMEENTE:
        return
    parents = dict(Area.objects.filter(vintage=vintage, niveau=niveau).values_list("code", "id"))
    orphans = Area.objects.filter(
        vintage=vintage,
        niveau__in=[AreaLevel.SECTOR, AreaLevel.DEELGEMEENTE],
        parent__isnull=True,
    )
    by_parent: dict[int, list[int]] = {}
    for child_id, code in orphans.values_list("id", "code"):
        if code[:5] in parents:
            by_parent.setdefault(parents[code[:5]], []).append(child_id)
    # Plain updates: deferred-field instances would not survive the audit's post_init hook.
    for parent_id, ids in by_parent.items():
        Area.objects.filter(id__in=ids).update(parent_id=parent_id)


def refresh_centroids(vintage: str) -> int:
    """Population-weighted centroids for the areas of ``vintage`` whose children have
    population (latest year); returns how many areas got one."""
    children = Area.objects.filter(vintage=vintage, parent__isnull=False)
    with_population = children.filter(population__isnull=False).distinct()
    parent_ids = set(with_population.values_list("parent_id", flat=True))
    if not parent_ids:
        return 0
    parents = list(Area.objects.filter(id__in=parent_ids))
    codes = [p.code for p in parents]
    coarse = areas_frame(codes, vintage=vintage)
    fine_codes = list(children.filter(parent_id__in=parent_ids).values_list("code", flat=True))
    fine = areas_frame(fine_codes, vintage=vintage)
    population = youth_population(fine_codes, age_to=ALL_AGES, vintage=vintage)
    result = centroids(coarse, finer=fine, finer_population=population).set_index("code")
    changed = []
    for area in parents:
        row = result.loc[area.code]
        if row["method"] == CentroidMethod.POPULATION:
            area.centroid_lon = round(float(row["lon"]), 6)
            area.centroid_lat = round(float(row["lat"]), 6)
            area.centroid_method = CentroidMethod.POPULATION
            changed.append(area)
    Area.objects.bulk_update(changed, ["centroid_lon", "centroid_lat", "centroid_method"])
    return len(changed)
