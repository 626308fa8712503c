"""The loaders on the real public files in ../shared/data (skipped when absent)."""

import pytest

from jeugdhulp.data.areas import area_km2, centroids, read_areas
from jeugdhulp.data.covariates import read_covariates
from jeugdhulp.data.mergers import MERGERS_2025, SUM, Weighted, to_2025
from jeugdhulp.data.population import read_population

PINC = "provinciesincijfers_gebiedsniveaus"


def test_limburg_2025_boundaries_and_2026_population(shared_data):
    areas = read_areas(shared_data / PINC / "limburg_gemeente_2025_wgs84.geojson")
    assert len(areas) == 38
    assert area_km2(areas).sum() == pytest.approx(2427, abs=1)
    population = read_population(
        shared_data
        / "statbel_population_limburg_2026/limburg_population_by_sex_5y_age_2026-01-01.csv"
    )
    assert set(population["area_code"]) == set(areas["code"])
    assert population["population"].sum() == 908_582
    assert population.loc[population["area_code"] == "71072", "population"].sum() == 90_914
    assert set(population["year"]) == {2026}


def test_deelgemeenten_give_population_weighted_municipal_centroids(shared_data):
    municipalities = read_areas(shared_data / PINC / "limburg_gemeente_2025_wgs84.geojson")
    parts = read_areas(shared_data / PINC / "limburg_deelgemeente_2025_wgs84.geojson")
    assert len(parts) == 177
    weighted = centroids(
        municipalities, finer=parts, finer_population=dict.fromkeys(parts["code"], 1.0)
    )
    assert (weighted["method"] == "bevolkingsgewogen").all()
    assert weighted["lon"].between(5.0, 6.0).all() and weighted["lat"].between(50.6, 51.4).all()


def test_lambert72_shapefile_keeps_its_crs(shared_data):
    areas = read_areas(shared_data / PINC / "gemeente_2025.shp")
    assert areas.crs.to_epsg() == 31370
    assert len(areas) == 304


def test_every_old_municipality_lies_in_its_2025_municipality(shared_data):
    old = read_areas(shared_data / PINC / "gemeente_2019_2024.shp").set_index("code")
    new = read_areas(shared_data / PINC / "gemeente_2025.shp").set_index("code")
    assert len(old) == 319
    for code, geometry in old.geometry.items():
        # the simplified boundaries of the two vintages differ a little along the borders
        overlaps = new.geometry.intersection(geometry).area / geometry.area
        assert overlaps.idxmax() == MERGERS_2025.get(code, code), code
        assert overlaps.max() > 0.95, code
    moved = old.geometry.area.groupby(lambda c: MERGERS_2025.get(c, c)).sum()
    target = new.geometry.area.reindex(moved.index)
    assert (moved / target - 1).abs().max() < 0.02
    assert moved.sum() == pytest.approx(target.sum(), rel=1e-4)


def test_income_2019_2024_maps_onto_the_38_municipalities_of_2025(shared_data):
    income = read_covariates(
        shared_data / "statbel_fiscal_income_2023/income_by_commune_2023_limburg_extract.csv"
    )
    limburg = income[income["area_code"] != "01000"]
    moved = to_2025(
        limburg,
        "area_code",
        {
            "declarations": SUM,
            "residents": SUM,
            "median_income_per_declaration": Weighted("declarations"),
        },
    ).set_index("area_code")
    areas = read_areas(shared_data / PINC / "limburg_gemeente_2025_wgs84.geojson")
    assert set(moved.index) == set(areas["code"])
    assert moved["residents"].sum() == 900_098
    hasselt = limburg.set_index("area_code").loc[["71022", "73040"]]
    expected = (hasselt["median_income_per_declaration"] * hasselt["declarations"]).sum() / hasselt[
        "declarations"
    ].sum()
    assert moved.loc["71072", "median_income_per_declaration"] == pytest.approx(expected)
    assert moved.loc["71072", "approximate"] and not moved.loc["71016", "approximate"]


def test_whole_belgium_topojson(shared_data):
    path = shared_data / "bmesuere_belgium_topojson/belgium_municipalities_2019-2024.topojson"
    areas = read_areas(path, layer="municipalities")
    assert len(areas) == 581
    assert areas.crs.to_epsg() == 4326
    population = read_population(
        shared_data / "bmesuere_belgium_topojson/statbel_bevolking_per_gemeente_2020.csv"
    )
    municipal = population[population["area_code"].isin(areas["code"])]
    assert municipal["area_code"].nunique() == 581
    assert municipal["population"].sum() == 11_492_641
    assert population.loc[population["area_code"] == "71022", "population"].sum() == 78_714
    moved = to_2025(
        municipal.groupby("area_code", as_index=False)["population"].sum(),
        "area_code",
        {"population": SUM},
    )
    assert len(moved) == 565 and moved["population"].sum() == 11_492_641
