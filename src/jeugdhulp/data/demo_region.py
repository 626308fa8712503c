"""A fictional region ("Demoprovincie — fictief") with realistic numbers, for the demo,
tests and benchmarks.

Everything is synthetic and deterministic from the seed: an irregular province outline in the
North Sea (so it can never be mistaken for a real place), sub-areas as Voronoi cells of points
that crowd around a few towns, municipalities as groups of neighbouring sub-areas, population by
single year of age 0–24 and sex with urban/rural differences, covariates correlated as in
reality (lower income goes with more single-parent households and more unemployment), and sites
for the default forms of help with capacities.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from jeugdhulp.data.frames import column_of, columns_of

PROVINCE_CODE = "99000"
PROVINCE_NAME = "Demoprovincie — fictief"
CENTRE_LON, CENTRE_LAT = 3.0, 52.2
WGS84 = "EPSG:4326"
LOCAL_CRS = CRS.from_proj4(
    f"+proj=laea +lat_0={CENTRE_LAT} +lon_0={CENTRE_LON} +datum=WGS84 +units=m +no_defs"
)
AGES = np.arange(25)
_PREFIXES = [
    "Ooster",
    "Wester",
    "Noord",
    "Zuid",
    "Hoog",
    "Laag",
    "Groot",
    "Klein",
    "Sint-",
    "Oud-",
    "Nieuw-",
    "Berg",
    "Beek",
    "Heide",
    "Linde",
    "Wilg",
    "Eik",
    "Ros",
    "Vos",
    "Moer",
]
_SUFFIXES = [
    "donk",
    "hoven",
    "rode",
    "lo",
    "gem",
    "kerke",
    "zele",
    "dijk",
    "broek",
    "veld",
    "hout",
    "beek",
    "dael",
    "kapelle",
    "hem",
    "ingen",
    "stal",
    "meer",
    "laar",
    "bos",
]
# form of help -> (share of sites, organisation code, capacity range: cases per year or places)
SITE_PROFILE = {
    "BI": (0.14, "DEMO-CAW", (150, 600)),
    "IA": (0.10, "DEMO-CLB", (200, 800)),
    "KP": (0.10, "DEMO-CGG", (80, 300)),
    "DI": (0.07, "DEMO-CGG", (40, 160)),
    "CB": (0.12, "DEMO-GEZIN", (30, 120)),
    "DB": (0.06, "DEMO-GEZIN", (12, 40)),
    "BH": (0.08, "DEMO-CGG", (60, 250)),
    "TR": (0.06, "DEMO-GEZIN", (40, 150)),
    "CO": (0.04, "DEMO-CLB", (50, 200)),
    "PZ": (0.06, "DEMO-GEZIN", (20, 90)),
    "VB": (0.07, "DEMO-KDIENST", (8, 40)),
    "CR": (0.05, "DEMO-KDIENST", (20, 120)),
    "HA": (0.05, "DEMO-GEZIN", (30, 100)),
}


@dataclass
class DemoRegion:
    """The generated region. Geometry in WGS84; codes are fictional REFNIS-like codes of
    province 99 (which does not exist)."""

    province: gpd.GeoDataFrame  # code, naam, geometry
    municipalities: gpd.GeoDataFrame  # code, naam, parent, urban, geometry
    subareas: gpd.GeoDataFrame  # code, naam, parent (municipality code), geometry
    population: pd.DataFrame  # tidy: area_code (sub-area), sex, age_from, age_to, population, year
    covariates: pd.DataFrame  # area_code (municipality), median_income, single_parent_share, ...
    subarea_covariates: pd.DataFrame  # the same per sub-area
    sites: gpd.GeoDataFrame  # as read_sites: vestiging, naam, organisatie, hulpvorm, ...

    def municipality_population(self) -> pd.DataFrame:
        """The population per municipality (sum of its sub-areas), tidy layout."""
        parent = column_of(self.subareas.set_index("code"), "parent")
        frame = self.population.assign(
            area_code=column_of(self.population, "area_code").map(parent)
        )
        keys = ["area_code", "sex", "age_from", "age_to", "year"]
        summed = frame.groupby(keys, sort=True)["population"].sum().reset_index()
        return columns_of(summed, ["area_code", "sex", "age_from", "age_to", "population", "year"])


def make_region(
    seed: int = 0,
    *,
    n_municipalities: int = 40,
    n_subareas: int = 1000,
    n_sites: int = 150,
    area_km2: float = 2400.0,
    youth_per_subarea: float = 225.0,
    year: int = 2025,
) -> DemoRegion:
    """Generate the region.

    Parameters
    ----------
    seed: everything follows from it (same seed, same region).
    n_municipalities, n_subareas: sizes (e.g. 300 and 9,000 for a Flanders-scale benchmark).
    n_sites: number of sites (each offers one to three forms of help).
    area_km2: surface of the province.
    youth_per_subarea: mean residents aged 0–24 per sub-area (225 gives about 225,000 young
        people for 1,000 sub-areas).
    year: the year of the population count (1 January).
    """
    if not 1 <= n_municipalities <= n_subareas:
        raise ValueError("need 1 <= n_municipalities <= n_subareas")
    rng = np.random.default_rng(seed)
    outline = _outline(rng, area_km2)
    radius = np.sqrt(area_km2 * 1e6 / np.pi)
    towns = _towns(rng, outline, radius, n_towns=max(2, n_municipalities // 12))
    points = _points(rng, outline, towns, radius, n_subareas)
    cells = _voronoi(points, outline)
    seeds = _spread(points, n_municipalities, rng)
    owner = np.argmin(((points[:, None, :] - points[None, seeds, :]) ** 2).sum(axis=2), axis=1)

    distance_to_town = np.min(
        np.linalg.norm(points[:, None, :] - towns[None, :, :], axis=2), axis=1
    )
    # 1 in a town centre, falling off over ~4 km: drives density, age profile and deprivation.
    urbanity = np.exp(-distance_to_town / (0.12 * radius))

    muni_codes = np.array([f"99{i + 1:03d}" for i in range(n_municipalities)])
    order = np.argsort(-np.array([urbanity[owner == m].mean() for m in range(n_municipalities)]))
    names = _names(rng, n_municipalities)
    names[order[0]] = "Demostad"
    sub_codes = np.empty(n_subareas, dtype=object)
    for m in range(n_municipalities):
        members = np.flatnonzero(owner == m)
        for k, i in enumerate(members, start=1):
            sub_codes[i] = f"{muni_codes[m]}S{k:03d}"

    subareas = gpd.GeoDataFrame(
        {
            "code": sub_codes,
            "naam": [f"{names[owner[i]]} sector {sub_codes[i][-3:]}" for i in range(n_subareas)],
            "parent": muni_codes[owner],
        },
        geometry=cells,
        crs=LOCAL_CRS,
    )
    muni_geometry = [shapely.union_all(cells[owner == m]) for m in range(n_municipalities)]
    muni_urbanity = np.array([urbanity[owner == m].mean() for m in range(n_municipalities)])
    municipalities = gpd.GeoDataFrame(
        {
            "code": muni_codes,
            "naam": names,
            "parent": PROVINCE_CODE,
            "urban": muni_urbanity > np.quantile(muni_urbanity, 0.85),
        },
        geometry=muni_geometry,
        crs=LOCAL_CRS,
    )
    province = gpd.GeoDataFrame(
        {"code": [PROVINCE_CODE], "naam": [PROVINCE_NAME]}, geometry=[outline], crs=LOCAL_CRS
    )

    population = _population(rng, sub_codes, urbanity, youth_per_subarea, year)
    sub_cov = _subarea_covariates(rng, sub_codes, urbanity, owner)
    youth = population.groupby("area_code")["population"].sum().reindex(sub_codes).to_numpy()
    covariates = _municipality_covariates(sub_cov, muni_codes[owner], youth)
    sites = _sites(rng, subareas, youth, n_sites)

    return DemoRegion(
        province=province.to_crs(WGS84),
        municipalities=municipalities.to_crs(WGS84),
        subareas=subareas.to_crs(WGS84),
        population=population,
        covariates=covariates,
        subarea_covariates=sub_cov,
        sites=sites,
    )


def _outline(rng: np.random.Generator, area_km2: float) -> shapely.Polygon:
    """A smooth irregular blob: radius modulated by a few random harmonics, scaled to size."""
    theta = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    r = np.ones_like(theta)
    for k in range(2, 6):
        r += rng.uniform(0.03, 0.12) / (k - 1) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    shape = shapely.Polygon(np.column_stack([r * np.cos(theta), r * np.sin(theta)]))
    scale = np.sqrt(area_km2 * 1e6 / shape.area)
    return shapely.affinity.scale(shape, scale, scale, origin=(0, 0))


def _inside(points: np.ndarray, polygon: shapely.Polygon) -> np.ndarray:
    return shapely.contains_xy(polygon, points[:, 0], points[:, 1])


def _towns(rng, outline, radius, n_towns: int) -> np.ndarray:
    towns = []
    while len(towns) < n_towns:
        candidate = rng.uniform(-0.8 * radius, 0.8 * radius, size=2)
        far = all(np.linalg.norm(candidate - t) > 0.5 * radius for t in towns)
        if _inside(candidate[None, :], outline)[0] and (far or rng.random() < 0.02):
            towns.append(candidate)
    return np.array(towns)


def _points(rng, outline, towns, radius, n: int) -> np.ndarray:
    """Generator points: 55% spread evenly, 45% crowded around the towns (smaller urban cells)."""
    found: list[np.ndarray] = []
    total = 0
    weights = rng.dirichlet(np.full(len(towns), 2.0))
    weights[0] += 1.0  # the first town is the largest (Demostad)
    weights /= weights.sum()
    while total < n:
        batch = 2 * n
        uniform = rng.uniform(-1.3 * radius, 1.3 * radius, size=(batch, 2))
        which = rng.choice(len(towns), size=batch, p=weights)
        clustered = towns[which] + rng.normal(scale=0.09 * radius, size=(batch, 2))
        mix = np.where(rng.random(batch)[:, None] < 0.55, uniform, clustered)
        mix = mix[_inside(mix, outline)]
        found.append(mix)
        total += len(mix)
    points = np.concatenate(found)[:n]
    # Tiny jitter keeps points distinct (Voronoi needs unique generators).
    return points + rng.normal(scale=1.0, size=points.shape)


def _voronoi(points: np.ndarray, outline: shapely.Polygon) -> np.ndarray:
    """One Voronoi cell per point, clipped to the outline, in the order of ``points``."""
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline.buffer(1000))
    cells = np.array(cells.geoms)
    # voronoi_polygons does not keep the input order: match each cell to the point inside it.
    tree = shapely.STRtree(cells)
    match = tree.query(shapely.points(points), predicate="within")
    ordered = np.empty(len(points), dtype=object)
    ordered[match[0]] = cells[match[1]]
    clipped = shapely.intersection(ordered, outline)
    return np.array([_largest_polygon(c) for c in clipped], dtype=object)


def _largest_polygon(geometry):
    if geometry.geom_type == "Polygon":
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return max(parts, key=lambda g: g.area)


def _spread(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` well-spread points (farthest-point sampling from a random start)."""
    chosen = [int(rng.integers(len(points)))]
    distance = np.linalg.norm(points - points[chosen[0]], axis=1)
    for _ in range(k - 1):
        nxt = int(np.argmax(distance))
        chosen.append(nxt)
        distance = np.minimum(distance, np.linalg.norm(points - points[nxt], axis=1))
    return np.array(chosen)


def _names(rng: np.random.Generator, n: int) -> list[str]:
    """Dutch-sounding fictional names: a prefix and a suffix ("Oosterdonk", "Sint-Rode")."""
    names: list[str] = []
    while len(names) < n:
        prefix, suffix = str(rng.choice(_PREFIXES)), str(rng.choice(_SUFFIXES))
        name = f"{prefix}{suffix.capitalize()}" if prefix.endswith("-") else prefix + suffix
        if name not in names:
            names.append(name)
        elif len(names) >= len(_PREFIXES) * len(_SUFFIXES) // 2:
            names.append(f"{name} {len(names) + 1}")
    return names


def _population(rng, codes, urbanity, mean_youth: float, year: int) -> pd.DataFrame:
    """Residents 0–24 by single year and sex per sub-area.

    Cells are smaller in towns but hold more people per km²; here the youth count per cell
    varies lognormally around ``mean_youth`` with more in urban cells. Towns have relatively
    more young adults (students, starters), villages relatively more school-age children.
    """
    size = rng.lognormal(mean=0.0, sigma=0.45, size=len(codes)) * (0.75 + 0.6 * urbanity)
    size *= mean_youth / size.mean()
    ages = AGES.astype(float)
    base = 1.0 - 0.004 * ages
    urban_tilt = np.where(ages >= 18, 0.35, np.where(ages <= 11, -0.08, 0.0))
    profile = base[None, :] * (1.0 + urbanity[:, None] * urban_tilt[None, :])
    profile /= profile.sum(axis=1, keepdims=True)
    expected = size[:, None] * profile
    male = rng.poisson(expected * 0.512)
    female = rng.poisson(expected * 0.488)
    n, a = male.shape
    frame = pd.DataFrame(
        {
            "area_code": np.repeat(np.asarray(codes, dtype=object), 2 * a),
            "sex": np.tile(np.repeat(np.array(["M", "V"]), a), n),
            "age_from": np.tile(np.concatenate([AGES, AGES]), n),
            "population": np.concatenate([male, female], axis=1).ravel().astype(float),
        }
    )
    frame["age_to"] = frame["age_from"].astype("Int64")
    frame["year"] = pd.array([year] * len(frame), dtype="Int64")
    return columns_of(frame, ["area_code", "sex", "age_from", "age_to", "population", "year"])


def _subarea_covariates(rng, codes, urbanity, owner) -> pd.DataFrame:
    """A latent deprivation score drives the three covariates with realistic signs and sizes:
    towns are poorer on average than their suburbs, with a municipal and a local component.
    Ranges follow Flemish municipalities: median income per declaration 24–38 k€, share of
    single-parent households 6–20%, unemployment 2–12%."""
    municipal = rng.normal(scale=0.6, size=owner.max() + 1)[owner]
    deprivation = 1.2 * urbanity + municipal + rng.normal(scale=0.5, size=len(codes))
    deprivation = (deprivation - deprivation.mean()) / deprivation.std()
    # Each covariate also has its own municipal and local deviations, so that they correlate
    # about as strongly as in Flemish data (|r| around 0.6-0.8), not perfectly.
    noise = rng.normal(size=(3, len(codes))) + 1.5 * rng.normal(size=(3, owner.max() + 1))[:, owner]
    return pd.DataFrame(
        {
            "area_code": codes,
            "median_income": np.round(31000 - 2600 * deprivation + 700 * noise[0], 2),
            "single_parent_share": np.clip(
                0.115 + 0.025 * deprivation + 0.008 * noise[1], 0.03, 0.35
            ),
            "unemployment_rate": np.clip(
                0.055 + 0.018 * deprivation + 0.006 * noise[2], 0.01, 0.25
            ),
        }
    )


def _municipality_covariates(sub_cov: pd.DataFrame, municipality, youth) -> pd.DataFrame:
    """Youth-weighted means of the sub-areas (the published municipal figures are likewise
    averages over households, not medians of medians: an approximation, good enough here)."""
    weights = pd.Series(youth, index=sub_cov.index)
    columns = ["median_income", "single_parent_share", "unemployment_rate"]
    weighted = sub_cov[columns].mul(weights, axis=0).groupby(municipality).sum()
    result = weighted.div(weights.groupby(municipality).sum(), axis=0)
    result["median_income"] = result["median_income"].round(2)
    return result.rename_axis("area_code").reset_index()


def _sites(rng, subareas: gpd.GeoDataFrame, youth: np.ndarray, n_sites: int) -> gpd.GeoDataFrame:
    """Sites placed in sub-areas with probability rising faster than population (services
    cluster in towns); each offers a main form of help and sometimes one or two more."""
    probability = youth**1.5
    probability /= probability.sum()
    forms = list(SITE_PROFILE)
    shares = np.array([SITE_PROFILE[f][0] for f in forms])
    shares /= shares.sum()
    local = subareas.to_crs(LOCAL_CRS)
    rows = []
    for index in range(n_sites):
        cell = local.geometry.iloc[int(rng.choice(len(local), p=probability))]
        point = _random_point(rng, cell)
        main = forms[int(rng.choice(len(forms), p=shares))]
        offered = [main]
        for _ in range(int(rng.choice([0, 1, 2], p=[0.55, 0.3, 0.15]))):
            extra = forms[int(rng.choice(len(forms), p=shares))]
            if extra not in offered and SITE_PROFILE[extra][1] == SITE_PROFILE[main][1]:
                offered.append(extra)
        code = f"DEMO-V{index + 1:03d}"
        organisation = SITE_PROFILE[main][1]
        for form in offered:
            low, high = SITE_PROFILE[form][2]
            rows.append(
                {
                    "vestiging": code,
                    "naam": f"Vestiging {index + 1:03d} (fictief)",
                    "organisatie": organisation,
                    "hulpvorm": form,
                    "capaciteit": float(rng.integers(low, high + 1)),
                    "approximate": False,
                    "postcode": "",
                    "geometry": point,
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=LOCAL_CRS).to_crs(WGS84)


def _random_point(rng: np.random.Generator, polygon) -> shapely.Point:
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(1000):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(shapely.Point(x, y)):
            return shapely.Point(x, y)
    return polygon.representative_point()
