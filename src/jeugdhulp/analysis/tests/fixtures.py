"""Small synthetic regions built by the tests, in exactly the loaders' shapes."""

from __future__ import annotations

import datetime as dt
import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

PEILDATUM = dt.date(2025, 2, 10)
BANDS = ((0, 2), (3, 5), (6, 11), (12, 17), (18, 24))


def grid_areas(n: int = 6, size_m: float = 4000.0) -> gpd.GeoDataFrame:
    """n × n square areas of ``size_m`` in Belgian Lambert 72, codes ``A<row><col>``."""
    cells, codes = [], []
    for r in range(n):
        for c in range(n):
            x, y = 200_000 + c * size_m, 180_000 + r * size_m
            cells.append(shapely.box(x, y, x + size_m, y + size_m))
            codes.append(f"A{r}{c}")
    return gpd.GeoDataFrame(
        {"code": codes, "naam": [f"Gebied {c}" for c in codes]}, geometry=cells, crs="EPSG:31370"
    )


def centroids_of(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    points = areas.geometry.centroid.to_crs("EPSG:4326")
    return pd.DataFrame({"code": areas["code"], "lon": points.x, "lat": points.y})


def population_of(codes, per_band_sex: float = 100.0) -> pd.DataFrame:
    rows = [
        {
            "area_code": code,
            "sex": sex,
            "age_from": lo,
            "age_to": hi,
            "population": per_band_sex,
            "year": 2025,
        }
        for code in codes
        for sex in ("M", "V")
        for lo, hi in BANDS
    ]
    frame = pd.DataFrame(rows)
    frame["age_to"] = frame["age_to"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def pseudonym(n: int) -> str:
    return hashlib.sha256(f"test:{n}".encode()).hexdigest()


def snapshot_rows(records: list[dict]) -> pd.DataFrame:
    """Snapshot frame from short records; defaults fill the other columns."""
    defaults = {
        "vestiging": "V1",
        "geboortejaar": 2015,
        "geboortemaand": 3,
        "geslacht": "M",
        "hulpvorm": "BH",
        "toegang": "RTJH",
        "startdatum": pd.Timestamp("2024-06-01"),
        "crisis": False,
        "toeleider": None,
        "gemandateerd": pd.NA,
        "partner": "P1",
    }
    rows = [{**defaults, **r, "bronrij": i + 2} for i, r in enumerate(records)]
    frame = pd.DataFrame(rows)
    frame["geboortemaand"] = frame["geboortemaand"].astype("Int64")
    frame["geboortejaar"] = frame["geboortejaar"].astype("int64")
    frame["startdatum"] = pd.to_datetime(frame["startdatum"])
    frame["crisis"] = frame["crisis"].astype(bool)
    frame["gemandateerd"] = frame["gemandateerd"].astype("boolean")
    return frame


def random_snapshot(codes, n_children: int, seed: int, rates=None, forms=("BH", "CB")):
    """Children spread over the areas with relative rates (default 1), random forms/ages."""
    rng = np.random.default_rng(seed)
    codes = list(codes)
    weights = np.ones(len(codes)) if rates is None else np.asarray(rates, float)
    home = rng.choice(len(codes), size=n_children, p=weights / weights.sum())
    records = []
    for child in range(n_children):
        for form in rng.choice(forms, size=rng.integers(1, len(forms) + 1), replace=False):
            records.append(
                {
                    "client_pseudoniem": pseudonym(seed * 1_000_000 + child),
                    "woonplaats": codes[home[child]],
                    "hulpvorm": str(form),
                    "geboortejaar": int(2025 - rng.integers(1, 25)),
                    "geslacht": str(rng.choice(["M", "V"])),
                    "crisis": bool(rng.random() < 0.2),
                    "vestiging": f"V{rng.integers(1, 4)}",
                }
            )
    return snapshot_rows(records)


def sites_for(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Three sites at the centroids of the first, middle and last area, offering BH and CB."""
    picks = areas.iloc[[0, len(areas) // 2, len(areas) - 1]]
    where = picks.geometry.centroid.to_crs(4326)
    rows = []
    for i, point in enumerate(where, start=1):
        for form in ("BH", "CB"):
            rows.append(
                {
                    "vestiging": f"V{i}",
                    "naam": f"Site {i}",
                    "organisatie": "O",
                    "hulpvorm": form,
                    "capaciteit": 50.0,
                    "approximate": False,
                    "geometry": point,
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
