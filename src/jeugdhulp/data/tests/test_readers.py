"""The pure loaders on small files in the published layouts."""

import contextlib
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.data.areas import area_km2, centroids, read_areas
from jeugdhulp.data.covariates import read_covariates
from jeugdhulp.data.errors import InputError
from jeugdhulp.data.fields import per_distinct
from jeugdhulp.data.population import read_population
from jeugdhulp.data.sites import read_sites


def square(x, y, size=1000):
    return shapely.box(x, y, x + size, y + size)


def write_areas(path, codes, geometries, crs="EPSG:31370", **extra):
    frame = gpd.GeoDataFrame(
        {"nis_code": codes, "naam": [f"G{c}" for c in codes], **extra}, geometry=geometries, crs=crs
    )
    frame.to_file(path, driver="GPKG")
    return path


def test_areas_keep_their_crs_and_measure_in_km2(tmp_path):
    path = write_areas(
        tmp_path / "a.gpkg",
        ["71016", "71002"],
        [square(200000, 180000, 2000), square(202000, 180000, 1000)],
    )
    areas = read_areas(path)
    assert list(areas["code"]) == ["71016", "71002"]
    assert areas.crs.to_epsg() == 31370
    assert area_km2(areas).round(3).tolist() == [4.0, 1.0]


def test_centroid_is_population_weighted_when_finer_areas_have_population(tmp_path):
    x0, y0 = 220000, 180000  # near Hasselt in Lambert 72
    coarse = gpd.GeoDataFrame({"code": ["A"]}, geometry=[square(x0, y0, 2000)], crs=31370)
    finer = gpd.GeoDataFrame(
        {"code": ["A1", "A2"]},
        geometry=[
            shapely.box(x0, y0, x0 + 1000, y0 + 2000),
            shapely.box(x0 + 1000, y0, x0 + 2000, y0 + 2000),
        ],
        crs=31370,
    )
    plain = centroids(coarse)
    weighted = centroids(coarse, finer=finer, finer_population={"A1": 300, "A2": 100})
    assert plain["method"].iloc[0] == "geometrisch"
    assert weighted["method"].iloc[0] == "bevolkingsgewogen"
    # x of the weighted centroid = x0 + (300 * 500 + 100 * 1500) / 400 = x0 + 750 m
    point = gpd.GeoSeries(gpd.points_from_xy(weighted["lon"], weighted["lat"]), crs=4326)
    assert point.to_crs(31370).x.iloc[0] - x0 == pytest.approx(750, abs=1)
    middle = gpd.GeoSeries(gpd.points_from_xy(plain["lon"], plain["lat"]), crs=4326)
    assert middle.to_crs(31370).x.iloc[0] - x0 == pytest.approx(1000, abs=1)


@pytest.mark.parametrize(
    ("geometries", "kind"),
    [
        ([shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]), square(0, 0)], "geometrie"),
        ([square(0, 0), shapely.Polygon()], "geometrie_leeg"),
    ],
)
def test_bad_geometry_is_named_by_feature(tmp_path, geometries, kind):
    path = write_areas(tmp_path / "bad.gpkg", ["1", "2"], geometries)
    with pytest.raises(InputError) as error:
        read_areas(path, repair=False)
    assert any(p.kind.startswith(kind) for p in error.value.problems)
    assert all(p.row in (1, 2) for p in error.value.problems)


def test_duplicated_codes_and_missing_crs_are_refused(tmp_path):
    path = write_areas(tmp_path / "dup.gpkg", ["1", "1"], [square(0, 0), square(5000, 0)])
    with pytest.raises(InputError, match="twee keer"):
        read_areas(path)
    shp = tmp_path / "nocrs.shp"
    gpd.GeoDataFrame({"code": ["1"], "naam": ["x"]}, geometry=[square(100000, 100000)]).to_file(shp)
    with pytest.raises(InputError, match="coördinatenstelsel"):
        read_areas(shp)
    assert read_areas(shp, crs="EPSG:31370").crs.to_epsg() == 31370


def test_a_file_that_is_not_vector_data_is_refused(tmp_path):
    path = tmp_path / "gebieden.geojson"
    path.write_text("nis;naam\n71016;Genk\n", encoding="utf-8")
    with pytest.raises(InputError, match="geen leesbaar vectorbestand"):
        read_areas(path)


def test_population_tidy_layout(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "area_code;sex;age_from;age_to;population;year\n"
        "71016;M;0;4;100;2025\n71016;F;0;4;90;2025\n71016;M;5;;50;2025\n",
        encoding="utf-8",
    )
    frame = read_population(path)
    assert frame["sex"].tolist() == ["M", "M", "V"]
    assert frame["age_to"].isna().tolist() == [False, True, False]
    assert frame["population"].sum() == 240
    assert frame["year"].unique().tolist() == [2025]


def test_population_statbel_single_years_are_summed_over_nationality(tmp_path):
    path = tmp_path / "TF_SOC_POP_STRUCT_2024.txt"
    path.write_text(
        "CD_REFNIS|TX_DESCR_NL|CD_SEX|CD_NATLTY|CD_AGE|MS_POPULATION\n"
        "71016|Genk|M|BEL|3|40\n71016|Genk|M|ETR|3|10\n71016|Genk|F|BEL|3|45\n",
        encoding="utf-8",
    )
    frame = read_population(path)
    assert frame[["sex", "age_from", "population"]].values.tolist() == [
        ["M", 3, 50.0],
        ["V", 3, 45.0],
    ]
    assert frame["year"].tolist() == [2024, 2024]


def test_population_wide_layout_with_totals_only_where_no_split(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        "nis_code,reference_date,age_from,age_to,male,female,total\n"
        "71016,2026-01-01,0,4,10,12,22\n",
        encoding="utf-8",
    )
    frame = read_population(path)
    assert set(frame["sex"]) == {"M", "V"}
    assert frame["population"].sum() == 22
    assert frame["year"].iloc[0] == 2026


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("71016;M;0;4;-3", "getal vanaf 0"),
        ("71016;M;0;4;veel", "getal vanaf 0"),
        ("71016;Q;0;4;3", "geslacht"),
        ("71016;M;5;4;3", "eindigt"),
        ("71016;M;0;4;3", "tweede keer"),
    ],
)
def test_bad_population_rows_are_named(tmp_path, line, message):
    path = tmp_path / "pop.csv"
    path.write_text(
        f"area_code;sex;age_from;age_to;population\n71016;M;0;4;3\n{line}\n".replace(
            "71016;M;0;4;3\n71016;M;0;4;3", "71016;M;0;4;3\n71016;M;0;4;3"
        )
        if message == "tweede keer"
        else f"area_code;sex;age_from;age_to;population\n{line}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=message) as error:
        read_population(path, year=2025)
    assert error.value.problems[0].row in (2, 3)


def test_covariates_numeric_columns_and_year(tmp_path):
    path = tmp_path / "cov.csv"
    path.write_text(
        "nis;naam;year;median_income;single_parent_share\n"
        "71016;Genk;2023;29216,64;0.12\n1000;België;2023;30099.86;0.10\n",
        encoding="utf-8",
    )
    frame = read_covariates(path)
    assert frame.columns.tolist() == ["area_code", "median_income", "single_parent_share"]
    assert frame["area_code"].tolist() == ["71016", "01000"]
    assert frame["median_income"].tolist() == [29216.64, 30099.86]
    assert frame.attrs["year"] == 2023


def test_covariates_source_rows_are_shared_not_copied_by_pandas(tmp_path):
    # pandas deep-copies attrs on nearly every operation: a plain list of 9,000 rows made each
    # step of the analysis on the covariates slower.
    path = tmp_path / "cov.csv"
    path.write_text("area_code,income\nA,1\n\nB,2\n", encoding="utf-8")
    frame = read_covariates(path)
    assert frame.attrs["source_rows"] == [2, 4]
    assert frame.copy(deep=True).attrs["source_rows"] is frame.attrs["source_rows"]


def test_covariates_refuse_text_in_a_number_column(tmp_path):
    path = tmp_path / "cov.csv"
    path.write_text("area_code,income\nA,1\nB,2\nC,veel\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_covariates(path)
    problem = error.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (4, "income", "veel")


def test_sites_by_lonlat_xy_and_postcode(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "vestiging;naam;organisatie;hulpvorm;capaciteit;lat;lon;x;y;postcode\n"
        "V1;Een;Org;BI;100;50.96;5.50;;;\n"
        "V2;Twee;Org;KP;20,5;;;219000;181000;\n"
        "V3;Drie;Org;VB;12;;;;;3500\n",
        encoding="utf-8",
    )
    centroids_2025 = pd.DataFrame({"code": ["71072"], "lon": [5.33], "lat": [50.93]})
    sites = read_sites(path, crs="EPSG:31370", municipality_centroids=centroids_2025)
    assert sites.crs.to_epsg() == 4326
    assert sites["approximate"].tolist() == [False, False, True]
    assert sites["capaciteit"].tolist() == [100.0, 20.5, 12.0]
    assert sites.geometry.iloc[2].x == 5.33
    assert 5.0 < sites.geometry.iloc[1].x < 6.0 and 50.5 < sites.geometry.iloc[1].y < 51.5


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("V1;BI;0;50.9;5.5", "groter dan 0"),
        ("V1;ZZ;3;50.9;5.5", "onbekende hulpvorm"),
        ("V1;BI;3;;", "geen ligging"),
    ],
)
def test_bad_site_rows_are_named(tmp_path, row, message):
    path = tmp_path / "sites.csv"
    path.write_text(f"vestiging;hulpvorm;capaciteit;lat;lon\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_sites(path, hulpvormen=["BI"])
    assert error.value.problems[0].row == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=400))
def test_readers_on_random_bytes_give_a_result_or_an_input_error(tmp_path, content):
    path = tmp_path / "random.csv"
    path.write_bytes(content)
    for reader in (read_population, read_covariates, read_sites):
        with contextlib.suppress(InputError):
            reader(path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["71016", "71002", "", "x"]),
            st.sampled_from(["M", "V", "F", "T", "?"]),
            st.integers(-2, 120),
            st.one_of(st.none(), st.integers(-2, 120)),
            st.one_of(st.integers(-5, 10**6), st.just("abc")),
        ),
        max_size=12,
    )
)
def test_population_reader_on_random_rows_never_crashes(tmp_path, rows):
    path = tmp_path / "pop.csv"
    lines = ["area_code;sex;age_from;age_to;population;year"]
    lines += [f"{c};{s};{a};{'' if b is None else b};{p};2025" for c, s, a, b, p in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        frame = read_population(path)
    except InputError:
        return
    assert (frame["population"] >= 0).all()
    assert set(frame["sex"]) <= {"M", "V", "T"}


def test_geojson_written_by_us_reads_back(tmp_path):
    path = tmp_path / "a.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "X1", "name": "Iets"},
                        "geometry": shapely.geometry.mapping(shapely.box(3, 52, 3.1, 52.1)),
                    }
                ],
            }
        )
    )
    areas = read_areas(path)
    assert areas.crs.to_epsg() == 4326
    assert np.isclose(area_km2(areas).iloc[0], 76.1, atol=0.5)


def test_per_distinct_equals_the_transform_of_every_row():
    values = pd.Series(["2024-01-01", "x", "2024-01-01", "", "2025", "x"], index=[5, 4, 3, 2, 1, 0])
    transform = lambda texts: pd.to_numeric(texts.str.slice(0, 4), errors="coerce")  # noqa: E731
    pd.testing.assert_series_equal(per_distinct(values, transform), transform(values))
    assert per_distinct(values.iloc[:0], lambda texts: texts.str.upper()).empty
