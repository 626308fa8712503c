"""Reading the reference data back out of the database, as the pure loaders' DataFrames, so
the analysis runs the same from the database as from files."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db.models import Max, QuerySet

from jeugdhulp.data.population import COLUMNS as POPULATION_COLUMNS
from jeugdhulp.reference.models import (
    Area,
    AreaLevel,
    AreaSet,
    CovariateValue,
    PopulationCount,
    SiteOffer,
)

WGS84 = "EPSG:4326"
# An age_to at least this large means every age (the open top band included).
ALL_AGES = 110


def latest_vintage(niveau: str | None = None) -> str | None:
    """The most recent vintage of areas (of ``niveau`` when given)."""
    areas = Area.objects.all() if niveau is None else Area.objects.filter(niveau=niveau)
    return areas.aggregate(v=Max("vintage"))["v"]


def _areas(area_codes: Iterable[str] | None, vintage: str | None) -> QuerySet[Area]:
    areas = Area.objects.all()
    if area_codes is not None:
        areas = areas.filter(code__in=list(area_codes))
    vintage = vintage or (areas.aggregate(v=Max("vintage"))["v"])
    return areas.filter(vintage=vintage)


def municipalities(vintage: str | None = None) -> QuerySet[Area]:
    """The municipalities of ``vintage`` (default: the latest vintage with municipalities)."""
    vintage = vintage or latest_vintage(AreaLevel.GEMEENTE)
    return Area.objects.filter(niveau=AreaLevel.GEMEENTE, vintage=vintage).order_by("code")


def area_set_codes(area_set: AreaSet) -> list[str]:
    """The codes of the areas in a grouping (IROJ region, 1G1P network, ...), sorted."""
    return sorted(area_set.areas.values_list("code", flat=True))


def youth_population(
    area_codes: Iterable[str] | None = None,
    year: int | None = None,
    age_to: int = 24,
    *,
    vintage: str | None = None,
) -> dict[str, float]:
    """Residents aged 0 to ``age_to`` per area code (latest year with population when ``year``
    is not given). A band that straddles ``age_to`` counts in proportion to the years it covers
    (residents spread evenly over the band's years); an open top band counts only when
    ``age_to >= ALL_AGES``. An area without population of its own gets the sum of its
    sub-areas'."""
    areas = _areas(area_codes, vintage)
    counts = _own_youth(areas, year, age_to)
    missing = set(areas.values_list("code", flat=True)) - set(counts)
    if missing:
        children = dict(
            Area.objects.filter(parent__in=areas.filter(code__in=missing)).values_list(
                "code", "parent__code"
            )
        )
        if children:
            vintage = areas.values_list("vintage", flat=True).first()
            for code, value in youth_population(children, year, age_to, vintage=vintage).items():
                counts[children[code]] = counts.get(children[code], 0.0) + value
    return counts


def _own_youth(areas: QuerySet[Area], year: int | None, age_to: int) -> dict[str, float]:
    rows = PopulationCount.objects.filter(area__in=areas)
    year = year or rows.aggregate(y=Max("year"))["y"]
    if year is None:
        return {}
    frame = pd.DataFrame(
        rows.filter(year=year, age_from__lte=age_to).values_list(
            "area__code", "sex", "age_from", "age_to", "population"
        ),
        columns=["code", "sex", "age_from", "age_to", "population"],
    )
    if frame.empty:
        return {}
    top = frame["age_to"].astype(float).fillna(np.inf)
    width = top - frame["age_from"] + 1
    covered = np.minimum(top, age_to) - frame["age_from"] + 1
    # An open top band ("100+", or "0+" for all ages) counts only when all ages are asked.
    share = np.where(np.isfinite(width), covered / width, float(age_to >= ALL_AGES))
    frame["count"] = frame["population"] * share
    # Use the split by sex where an area has it, else the totals (never both).
    has_split = frame[frame["sex"] != "T"].groupby("code").size()
    split = frame["code"].isin(has_split.index)
    chosen = frame[(split & (frame["sex"] != "T")) | (~split & (frame["sex"] == "T"))]
    return {code: float(v) for code, v in chosen.groupby("code")["count"].sum().items()}


def areas_frame(
    area_codes: Iterable[str] | None = None,
    *,
    niveau: str | None = None,
    vintage: str | None = None,
    simplified: bool = False,
) -> gpd.GeoDataFrame:
    """Areas as ``read_areas`` gives them (``code``, ``naam``, ``geometry``, WGS84) plus
    ``niveau``, ``parent``, ``lon``, ``lat``, ``centroid_method``."""
    areas = Area.objects.all()
    if area_codes is not None:
        areas = areas.filter(code__in=list(area_codes))
    if niveau is not None:
        areas = areas.filter(niveau=niveau)
    vintage = vintage or areas.aggregate(v=Max("vintage"))["v"]
    field = "geometry_simplified" if simplified else "geometry"
    rows = list(
        areas.filter(vintage=vintage)
        .order_by("code")
        .values_list(
            "code",
            "naam",
            "niveau",
            "parent__code",
            field,
            "centroid_lon",
            "centroid_lat",
            "centroid_method",
        )
    )
    columns = ["code", "naam", "niveau", "parent", "geojson", "lon", "lat", "centroid_method"]
    frame = pd.DataFrame(rows, columns=columns)
    geometry = [shapely.from_geojson(g) if g else None for g in frame.pop("geojson")]
    result = gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)
    result.attrs["vintage"] = vintage
    return result


def centroids_frame(area_codes: Iterable[str] | None = None, **filters) -> pd.DataFrame:
    """``code, lon, lat, method`` as ``jeugdhulp.data.areas.centroids`` gives them."""
    frame = areas_frame(area_codes, **filters)
    return pd.DataFrame(frame[["code", "lon", "lat", "centroid_method"]]).rename(
        columns={"centroid_method": "method"}
    )


def population_frame(
    area_codes: Iterable[str] | None = None, *, year: int | None = None, vintage: str | None = None
) -> pd.DataFrame:
    """Population in the tidy layout of ``read_population`` (latest year when not given)."""
    rows = PopulationCount.objects.filter(area__in=_areas(area_codes, vintage))
    year = year or rows.aggregate(y=Max("year"))["y"]
    frame = pd.DataFrame(
        rows.filter(year=year).values_list(
            "area__code", "sex", "age_from", "age_to", "population", "year"
        ),
        columns=POPULATION_COLUMNS,
    )
    frame["age_from"] = frame["age_from"].astype(int)
    frame["age_to"] = frame["age_to"].astype("Int64")
    frame["population"] = frame["population"].astype(float)
    frame["year"] = frame["year"].astype("Int64")
    return frame.sort_values(["area_code", "sex", "age_from"], ignore_index=True)


def covariates_frame(
    area_codes: Iterable[str] | None = None,
    *,
    year: int | None = None,
    vintage: str | None = None,
    names: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Covariates as ``read_covariates`` gives them: ``area_code`` and one column per name
    (latest year when not given). ``attrs["approximate"]`` lists the (code, name) pairs that
    are approximations."""
    rows = CovariateValue.objects.filter(area__in=_areas(area_codes, vintage))
    if names is not None:
        rows = rows.filter(name__in=list(names))
    year = year or rows.aggregate(y=Max("year"))["y"]
    long = pd.DataFrame(
        rows.filter(year=year).values_list("area__code", "name", "value", "approximate"),
        columns=["area_code", "name", "value", "approximate"],
    )
    wide = long.pivot(index="area_code", columns="name", values="value")
    wide.columns.name = None
    result = wide.reset_index()
    result.attrs["year"] = year
    result.attrs["approximate"] = sorted(
        map(tuple, long.loc[long["approximate"], ["area_code", "name"]].to_numpy().tolist())
    )
    return result


def sites_frame(hulpvormen: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Sites as ``read_sites`` gives them (one row per site × form of help, WGS84)."""
    offers = SiteOffer.objects.select_related("site", "site__organisatie", "hulpvorm")
    if hulpvormen is not None:
        offers = offers.filter(hulpvorm__code__in=list(hulpvormen))
    rows = [
        {
            "vestiging": o.site.code,
            "naam": o.site.naam,
            "organisatie": o.site.organisatie.code
            if o.site.organisatie
            else o.site.organisatie_naam,
            "hulpvorm": o.hulpvorm.code,
            "capaciteit": float(o.capaciteit),
            "approximate": o.site.approximate,
            "postcode": o.site.postcode,
            "lon": o.site.lon,
            "lat": o.site.lat,
        }
        for o in offers.order_by("site__code", "hulpvorm__code")
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "vestiging",
            "naam",
            "organisatie",
            "hulpvorm",
            "capaciteit",
            "approximate",
            "postcode",
            "lon",
            "lat",
        ],
    )
    lon, lat = frame.pop("lon"), frame.pop("lat")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
