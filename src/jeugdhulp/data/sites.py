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
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.fields import parse_numbers, source_rows
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
    problems: list[Problem] = []

    def problem(position: int, column: str | None, value, message: str, kind: str) -> None:
        problems.append(
            Problem(message, row=rows[position], column=column, value=value, file=name, kind=kind)
        )

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

    codes = [normalise_code(v) for v in table["vestiging"]]
    forms = [normalise_code(v).upper() for v in table["hulpvorm"]]
    capacity = parse_numbers(table["capaciteit"]).to_numpy()
    lon = np.full(len(table), np.nan)
    lat = np.full(len(table), np.nan)
    approximate = np.zeros(len(table), dtype=bool)
    postcodes = normalise_area_codes(table["postcode"]) if has_postcode else [""] * len(table)
    if has_lonlat:
        lon = parse_numbers(table["lon"]).to_numpy()
        lat = parse_numbers(table["lat"]).to_numpy()
    if has_xy:
        x = parse_numbers(table["x"]).to_numpy()
        y = parse_numbers(table["y"]).to_numpy()
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
    centroid_of = {}
    if municipality_centroids is not None:
        centroid_of = {
            str(code): (lo, la)
            for code, lo, la in municipality_centroids[["code", "lon", "lat"]].itertuples(
                index=False
            )
        }

    allowed = {h.upper() for h in hulpvormen} if hulpvormen is not None else None
    location: dict[str, tuple[float, float]] = {}
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(table)):
        if not codes[i]:
            problem(i, "vestiging", None, "de vestigingscode ontbreekt.", "ontbrekend")
        if not forms[i]:
            problem(i, "hulpvorm", None, "de hulpvorm ontbreekt.", "ontbrekend")
        elif allowed is not None and forms[i] not in allowed:
            problem(
                i,
                "hulpvorm",
                table["hulpvorm"].iloc[i],
                f"onbekende hulpvorm; gekend zijn: {', '.join(sorted(allowed))}.",
                "code_onbekend",
            )
        if not capacity[i] > 0:
            problem(
                i,
                "capaciteit",
                table["capaciteit"].iloc[i],
                "de capaciteit moet een getal groter dan 0 zijn (plaatsen of cliënten per jaar).",
                "capaciteit",
            )
        if np.isnan(lon[i]) or np.isnan(lat[i]):
            if not postcodes[i]:
                problem(
                    i,
                    None,
                    None,
                    "geen ligging: geef lat en lon, x en y, of een postcode.",
                    "ligging",
                )
            else:
                municipality = municipality_for_postcode(postcodes[i])
                if municipality is None:
                    problem(
                        i,
                        "postcode",
                        postcodes[i],
                        "onbekende Belgische postcode.",
                        "code_onbekend",
                    )
                elif municipality not in centroid_of:
                    problem(
                        i,
                        "postcode",
                        postcodes[i],
                        f"de gemeente {municipality} van deze postcode zit niet in de "
                        "gebieden; laad eerst de gemeenten of geef lat en lon.",
                        "code_onbekend",
                    )
                else:
                    lon[i], lat[i] = centroid_of[municipality]
                    approximate[i] = True
        elif not (-180 <= lon[i] <= 180 and -90 <= lat[i] <= 90):
            problem(
                i, "lat", f"{lat[i]}, {lon[i]}", "lat/lon buiten het bereik van WGS84.", "ligging"
            )
        key = (codes[i], forms[i])
        if codes[i] and forms[i]:
            if key in seen:
                problem(
                    i,
                    "hulpvorm",
                    forms[i],
                    f"vestiging {codes[i]} staat hier al met deze hulpvorm (rij {seen[key]}).",
                    "dubbel",
                )
            else:
                seen[key] = rows[i]
        if codes[i] and not np.isnan(lon[i]) and not np.isnan(lat[i]):
            first = location.setdefault(codes[i], (lon[i], lat[i]))
            if not np.allclose(first, (lon[i], lat[i]), atol=1e-6):
                problem(
                    i,
                    "vestiging",
                    codes[i],
                    "deze vestiging staat op een andere rij op een andere plaats.",
                    "ligging",
                )
    if problems:
        raise InputError(problems, name)

    def column(title: str) -> list[str]:
        return list(table[title]) if title in table.columns else [""] * len(table)

    result = gpd.GeoDataFrame(
        {
            "vestiging": codes,
            "naam": column("naam"),
            "organisatie": column("organisatie"),
            "hulpvorm": forms,
            "capaciteit": capacity.astype(float),
            "approximate": approximate,
            "postcode": postcodes,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=WGS84,
    )
    result.attrs["source"] = name
    return result
