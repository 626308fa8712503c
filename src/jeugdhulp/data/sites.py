"""Sites (vestigingen) with the forms of help they offer and their capacity."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from jeugdhulp.data.codes import normalise_area_codes, normalise_code
from jeugdhulp.data.collector import Collector
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.fields import parse_numbers, per_distinct, source_rows
from jeugdhulp.data.frames import column_of
from jeugdhulp.data.postcodes import municipality_for_postcode
from jeugdhulp.data.tabular import read_table

COLUMNS = ["vestiging", "naam", "organisatie", "hulpvorm", "capaciteit", "approximate", "postcode"]
WGS84 = "EPSG:4326"


def read_sites(
    path: str | Path,
    *,
    crs: str | None = None,
    municipality_centroids: pd.DataFrame | None = None,
    hulpvormen: Collection[str] | None = None,
) -> gpd.GeoDataFrame:
    """Read sites: one row per site × form of help, as a GeoDataFrame in WGS84 with
    ``vestiging, naam, organisatie, hulpvorm, capaciteit, approximate, postcode, geometry``.

    A row is located by ``lat``/``lon`` (WGS84), by ``x``/``y`` in ``crs``, or by ``postcode``:
    then at the population-weighted centroid of the postcode's municipality, taken from
    ``municipality_centroids`` (``code``, ``lon``, ``lat``; 2025 REFNIS codes), and flagged
    ``approximate``. ``hulpvormen`` (codes) restricts the forms of help allowed.
    """
    path = Path(path)
    name = path.name
    table = read_table(path)
    rows = source_rows(table)
    table = table.reset_index(drop=True)
    out = Collector(name, rows)

    required = ["vestiging", "hulpvorm", "capaciteit"]
    missing = [c for c in required if c not in table.columns]
    has_lonlat = {"lat", "lon"} <= set(table.columns)
    has_xy = {"x", "y"} <= set(table.columns)
    has_postcode = "postcode" in table.columns
    if not (has_lonlat or has_xy or has_postcode):
        missing.append("lat en lon, x en y, of postcode")
    if missing:
        raise InputError(
            Problem(
                f"ontbrekende kolommen: {', '.join(missing)}.", file=name, kind="kolom_ontbreekt"
            ),
            name,
        )
    if has_xy and not has_lonlat and crs is None:
        raise InputError(
            Problem(
                "x en y zonder coördinatenstelsel: geef het op (optie --sites-crs, bv. "
                "EPSG:31370 voor Lambert 72).",
                file=name,
                kind="crs_ontbreekt",
            ),
            name,
        )

    codes = per_distinct(column_of(table, "vestiging"), lambda v: v.map(normalise_code))
    forms = per_distinct(column_of(table, "hulpvorm"), lambda v: v.map(normalise_code).str.upper())
    capacity = parse_numbers(column_of(table, "capaciteit")).to_numpy()
    lon = np.full(len(table), np.nan)
    lat = np.full(len(table), np.nan)
    postcodes = pd.Series(
        normalise_area_codes(table["postcode"]) if has_postcode else [""] * len(table),
        dtype=object,
    )
    if has_lonlat:
        lon = parse_numbers(column_of(table, "lon")).to_numpy()
        lat = parse_numbers(column_of(table, "lat")).to_numpy()
    if has_xy:
        x = parse_numbers(column_of(table, "x")).to_numpy()
        y = parse_numbers(column_of(table, "y")).to_numpy()
        use = np.isnan(lon) & ~np.isnan(x) & ~np.isnan(y)
        if use.any():
            try:
                source = CRS.from_user_input(crs)
            except CRSError:
                raise InputError(
                    Problem(
                        "onbekend coördinatenstelsel.",
                        column="--sites-crs",
                        value=crs,
                        file=name,
                        kind="crs",
                    ),
                    name,
                ) from None
            points = gpd.GeoSeries(gpd.points_from_xy(x[use], y[use]), crs=source).to_crs(WGS84)
            lon[use] = points.x.to_numpy()
            lat[use] = points.y.to_numpy()
    present = {"vestiging": codes != "", "hulpvorm": forms != ""}
    out.required(present["vestiging"], "vestiging", "de vestigingscode ontbreekt.")
    out.required(present["hulpvorm"], "hulpvorm", "de hulpvorm ontbreekt.")
    if hulpvormen is not None:
        allowed = {h.upper() for h in hulpvormen}
        out.unknown_codes(
            forms,
            allowed,
            "hulpvorm",
            column_of(table, "hulpvorm"),
            f"onbekende hulpvorm; gekend zijn: {', '.join(sorted(allowed))}.",
            where=present["hulpvorm"],
        )
    out.out_of_range(
        capacity,
        "capaciteit",
        column_of(table, "capaciteit"),
        "de capaciteit moet een getal groter dan 0 zijn (plaatsen of cliënten per jaar).",
        "capaciteit",
        low=0,
        strict=True,
    )
    given = ~np.isnan(lon) & ~np.isnan(lat)
    approximate = _locate_by_postcode(lon, lat, postcodes, municipality_centroids, out)
    outside = given & ~((lon >= -180) & (lon <= 180) & (lat >= -90) & (lat <= 90))
    shown = np.full(len(table), None, dtype=object)
    shown[outside] = [f"{a}, {o}" for a, o in zip(lat[outside], lon[outside], strict=True)]
    out.rows_problem(outside, "lat", shown, "lat/lon buiten het bereik van WGS84.", "ligging")
    out.duplicates(
        pd.DataFrame({"vestiging": codes, "hulpvorm": forms}),
        present["vestiging"] & present["hulpvorm"],
        "hulpvorm",
        forms,
        lambda i, first: (
            f"vestiging {codes.iloc[i]} staat hier al met deze hulpvorm (rij {first})."
        ),
    )
    # One place per site: every row of a site where the first located row of it is.
    placed = pd.DataFrame({"vestiging": codes, "lon": lon, "lat": lat})[
        present["vestiging"] & (given | approximate)
    ]
    first = placed.groupby("vestiging", sort=False)[["lon", "lat"]].transform("first")
    moved = ~(
        np.isclose(first["lon"], placed["lon"], atol=1e-6)
        & np.isclose(first["lat"], placed["lat"], atol=1e-6)
    )
    elsewhere = np.zeros(len(table), dtype=bool)
    elsewhere[placed.index[moved]] = True
    out.rows_problem(
        elsewhere,
        "vestiging",
        codes,
        "deze vestiging staat op een andere rij op een andere plaats.",
        "ligging",
    )
    out.raise_errors(by_row=True)

    def column(title: str) -> list[str]:
        return list(table[title]) if title in table.columns else [""] * len(table)

    result = gpd.GeoDataFrame(
        {
            "vestiging": codes.tolist(),
            "naam": column("naam"),
            "organisatie": column("organisatie"),
            "hulpvorm": forms.tolist(),
            "capaciteit": capacity.astype(float),
            "approximate": approximate,
            "postcode": postcodes.tolist(),
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=WGS84,
    )
    result.attrs["source"] = name
    return result


def _locate_by_postcode(
    lon: np.ndarray,
    lat: np.ndarray,
    postcodes: pd.Series,
    municipality_centroids: pd.DataFrame | None,
    out: Collector,
) -> np.ndarray:
    """Place the rows without coordinates at the centroid of their postcode's municipality
    (``lon`` and ``lat`` are filled in place); returns which rows were placed so."""
    unplaced = np.isnan(lon) | np.isnan(lat)
    out.rows_problem(
        unplaced & (postcodes == "").to_numpy(),
        None,
        None,
        "geen ligging: geef lat en lon, x en y, of een postcode.",
        "ligging",
    )
    municipality = per_distinct(
        postcodes, lambda p: p.map(lambda c: municipality_for_postcode(c) if c else None)
    )
    with_postcode = unplaced & (postcodes != "").to_numpy()
    out.rows_problem(
        with_postcode & municipality.isna().to_numpy(),
        "postcode",
        postcodes,
        "onbekende Belgische postcode.",
        "code_onbekend",
    )
    centroid = (
        municipality_centroids.assign(code=municipality_centroids["code"].astype(str))
        .drop_duplicates("code", keep="last")
        .set_index("code")
        if municipality_centroids is not None
        else pd.DataFrame({"lon": [], "lat": []}, index=pd.Index([], dtype=object))
    )
    known = municipality.isin(centroid.index).to_numpy()
    out.rows_problem(
        with_postcode & municipality.notna().to_numpy() & ~known,
        "postcode",
        postcodes,
        lambda i: (
            f"de gemeente {municipality.iloc[i]} van deze postcode zit niet in de gebieden; "
            "laad eerst de gemeenten of geef lat en lon."
        ),
        "code_onbekend",
    )
    placed = with_postcode & known
    lon[placed] = centroid["lon"].reindex(municipality[placed]).to_numpy(dtype=float)
    lat[placed] = centroid["lat"].reindex(municipality[placed]).to_numpy(dtype=float)
    return placed
