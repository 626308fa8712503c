"""``jeugdhulp load`` on real files and on small broken ones."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jeugdhulp.reference.models import Area, CovariateValue, PopulationCount, Site, SiteOffer
from jeugdhulp.reference.services import (
    ALL_AGES,
    areas_frame,
    covariates_frame,
    municipalities,
    population_frame,
    sites_frame,
    youth_population,
)

PINC = "provinciesincijfers_gebiedsniveaus"
POPULATION = "statbel_population_limburg_2026/limburg_population_by_sex_5y_age_2026-01-01.csv"
INCOME = "statbel_fiscal_income_2023/income_by_commune_2023_limburg_extract.csv"


def load(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("load", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def limburg(db, shared_data):
    load(
        "areas",
        shared_data / PINC / "limburg_gemeente_2025_wgs84.geojson",
        "--level",
        "gemeente",
        "--vintage",
        "2025",
    )
    load("population", shared_data / POPULATION)
    return shared_data


def test_limburg_loads_and_loading_again_changes_nothing(limburg):
    assert municipalities().count() == 38
    assert sum(youth_population(age_to=ALL_AGES).values()) == 908_582
    assert youth_population(["71072"], age_to=ALL_AGES) == {"71072": 90_914}
    population = population_frame()
    assert population["population"].sum() == 908_582
    before = PopulationCount.objects.count()
    output = load("population", limburg / POPULATION)
    assert "0 nieuw, 0 gewijzigd, 1596 ongewijzigd" in output
    assert PopulationCount.objects.count() == before
    output = load(
        "areas",
        limburg / PINC / "limburg_gemeente_2025_wgs84.geojson",
        "--level",
        "gemeente",
        "--vintage",
        "2025",
    )
    assert "38 ongewijzigd" in output


def test_youth_population_counts_0_to_24_from_five_year_bands(limburg):
    frame = population_frame(["71016"])
    young = frame[frame["age_from"] < 25]["population"].sum()
    assert youth_population(["71016"]) == {"71016": young}
    # 15-19 straddles 17: three of its five years count
    band = frame[frame["age_from"] == 15]["population"].sum()
    below = frame[frame["age_from"] < 15]["population"].sum()
    assert youth_population(["71016"], age_to=17)["71016"] == pytest.approx(below + band * 3 / 5)


def test_income_of_2019_2024_lands_on_the_2025_municipalities(limburg):
    output = load("covariates", limburg / INCOME)
    assert "fusies" in output and "overgeslagen" in output
    frame = covariates_frame()
    assert len(frame) == 38
    assert frame.set_index("area_code").loc["71016", "median_income_per_declaration"] == 29216.64
    hasselt = CovariateValue.objects.get(area__code="71072", name="median_income_per_declaration")
    assert hasselt.approximate
    assert not CovariateValue.objects.get(area__code="71072", name="declarations").approximate
    assert frame["residents"].sum() == 900_098


def test_a_new_vintage_sits_beside_the_old(limburg):
    load(
        "areas",
        limburg / PINC / "limburg_gemeente_2019_2024_wgs84.geojson",
        "--level",
        "gemeente",
        "--vintage",
        "2019",
    )
    assert Area.objects.filter(vintage="2019").count() == 42
    assert Area.objects.filter(vintage="2025").count() == 38
    assert len(areas_frame(niveau="gemeente")) == 38  # the latest vintage by default
    assert PopulationCount.objects.filter(area__vintage="2025").exists()


def test_deelgemeenten_get_their_municipality_and_weighted_centroids(limburg, tmp_path):
    load(
        "areas",
        limburg / PINC / "limburg_deelgemeente_2025_wgs84.geojson",
        "--level",
        "deelgemeente",
        "--vintage",
        "2025",
    )
    part = Area.objects.get(code="71002A", vintage="2025")
    assert part.parent.code == "71002"
    pop = tmp_path / "deel.csv"
    codes = Area.objects.filter(parent__code="71002").values_list("code", flat=True)
    pop.write_text(
        "area_code;sex;age_from;age_to;population;year\n"
        + "".join(f"{c};T;0;;{100 * (i + 1)};2026\n" for i, c in enumerate(codes)),
        encoding="utf-8",
    )
    load("population", pop)
    assert Area.objects.get(code="71002", vintage="2025").centroid_method == "bevolkingsgewogen"


def test_sites_by_postcode_are_placed_at_the_municipal_centroid(limburg, tmp_path):
    path = tmp_path / "vestigingen.csv"
    path.write_text(
        "vestiging;naam;organisatie;hulpvorm;capaciteit;postcode;lat;lon\n"
        "V1;CAW Hasselt;CAW;BI;300;3500;;\nV1;CAW Hasselt;CAW;IA;100;3500;;\n"
        "V2;K-dienst;Ziekenhuis;VB;24;;50.96;5.50\n",
        encoding="utf-8",
    )
    assert "2 nieuw" in load("sites", path)
    hasselt = Area.objects.get(code="71072", vintage="2025")
    site = Site.objects.get(code="V1")
    assert site.approximate and (site.lon, site.lat) == (hasselt.centroid_lon, hasselt.centroid_lat)
    assert SiteOffer.objects.count() == 3
    assert "2 ongewijzigd" in load("sites", path)
    frame = sites_frame()
    assert frame["capaciteit"].sum() == 424


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "area_code;sex;age_from;age_to;population;year\n71016;M;0;4;10;2026\n"
            "99999;M;0;4;5;2026\n",
            "onbekende gebiedscode",
        ),
        (
            "area_code;sex;age_from;age_to;population\n71016;M;0;4;10\n71016;M;0;4;-5\n",
            "getal vanaf 0",
        ),
        ("area_code;sex;age_from;age_to;population\n71016;M;0;4;10\n", "jaar"),
    ],
)
def test_a_file_with_an_error_loads_nothing_and_exits_1(limburg, tmp_path, content, message):
    path = tmp_path / "bevolking.csv"
    path.write_text(content, encoding="utf-8")
    before = PopulationCount.objects.count()
    with pytest.raises(CommandError, match=message) as error:
        load("population", path)
    assert error.value.returncode == 1
    assert "niets geladen" in str(error.value)
    assert PopulationCount.objects.count() == before


def test_wrong_usage_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "jeugdhulp", "load", "rivers", "x.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
