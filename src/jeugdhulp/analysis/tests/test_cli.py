"""``jeugdhulp analyze`` end to end on files."""

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jeugdhulp.analysis.cli import SMALLEST_CLUSTER, main
from jeugdhulp.analysis.clusters import permutations_for
from jeugdhulp.analysis.pipeline import CONTRACT_COLUMNS
from jeugdhulp.analysis.tests.fixtures import (
    PEILDATUM,
    grid_areas,
    population_of,
    random_snapshot,
    sites_for,
)


def snapshot_file(frame: pd.DataFrame, path):
    text = frame.drop(columns=["partner", "bronrij"]).assign(
        startdatum=frame["startdatum"].dt.strftime("%Y-%m-%d"),
        crisis=np.where(frame["crisis"], "ja", "nee"),
        geboortemaand=frame["geboortemaand"].astype(str),
        gemandateerd="",
        toeleider="",
    )
    text.to_csv(path, index=False)
    return path


@pytest.fixture
def round_files(tmp_path):
    areas = grid_areas(4)
    areas.to_file(tmp_path / "gebieden.gpkg", driver="GPKG")
    population_of(areas["code"]).to_csv(tmp_path / "bevolking.csv", index=False)
    sites = sites_for(areas)
    sites.assign(lat=sites.geometry.y, lon=sites.geometry.x).drop(columns="geometry").to_csv(
        tmp_path / "vestigingen.csv", index=False
    )
    rng = np.random.default_rng(0)
    pd.DataFrame(
        {"area_code": areas["code"], "inkomen": rng.normal(30, 5, len(areas)),
         "eenoudergezinnen": rng.uniform(0.05, 0.3, len(areas))}
    ).to_csv(tmp_path / "covariaten.csv", index=False)  # fmt: skip
    snapshot = random_snapshot(areas["code"], 500, seed=3, rates=np.linspace(0.2, 2, 16))
    snapshot_file(snapshot, tmp_path / "partner1.csv")
    return tmp_path


def arguments(folder, out, *extra):
    return [
        "--areas", str(folder / "gebieden.gpkg"), "--population", str(folder / "bevolking.csv"),
        "--sites", str(folder / "vestigingen.csv"), "--covariates", str(folder / "covariaten.csv"),
        "--snapshot", str(folder / "partner1.csv"), "--peildatum", PEILDATUM.isoformat(),
        "--out", str(out), "--permutations", "99", "--quiet", *extra,
    ]  # fmt: skip


def test_analyze_writes_four_suppressed_reproducible_files(round_files):
    first, second = round_files / "uit1", round_files / "uit2"
    assert main(arguments(round_files, first, "--seed", "4")) == 0
    assert main(arguments(round_files, second, "--seed", "4")) == 0
    assert sorted(p.name for p in first.iterdir()) == [
        "gebieden.gpkg", "indicatoren.csv", "manifest.json", "rapport.html",
    ]  # fmt: skip
    assert (first / "indicatoren.csv").read_bytes() == (second / "indicatoren.csv").read_bytes()
    table = pd.read_csv(first / "indicatoren.csv", dtype={"gebied_code": str})
    assert list(table.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert len(table) == 16 * 3
    counts = table["aantal_clienten"].dropna()
    assert not counts.between(1, 4).any()
    assert table.loc[table["aantal_clienten"].isna(), "ratio"].isna().all()
    assert table["verwacht_model"].notna().any()
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["parameters"]["permutations"] == 99
    assert {i["rol"] for i in manifest["invoer"]} >= {"gebieden", "foto", "covariaten"}
    assert all(len(i["sha256"]) == 64 for i in manifest["invoer"])
    assert manifest.get("covariatenmodel")
    report = (first / "rapport.html").read_text()
    assert "<svg" in report and "http" not in report.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "te weinig gegevens" in report


def test_semicolon_separator_for_belgian_excel(round_files):
    out = round_files / "uit"
    assert main(arguments(round_files, out, "--sep", ";")) == 0
    header = (out / "indicatoren.csv").read_text().splitlines()[0]
    assert header.startswith("gebied_code;gebied_naam;hulpvorm;aantal_clienten")


def test_wrong_input_exits_1_with_a_dutch_message_and_writes_nothing(round_files, capsys):
    bad = pd.read_csv(round_files / "partner1.csv", dtype=str)
    bad.loc[3, "geslacht"] = "Q"
    bad.to_csv(round_files / "partner1.csv", index=False)
    out = round_files / "uit"
    assert main(arguments(round_files, out)) == 1
    err = capsys.readouterr().err
    assert "rij 5" in err and "geslacht" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_wrong_usage_exits_2(round_files, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--areas", "x.gpkg"])
    assert stop.value.code == 2
    assert "fout in de opdracht" in capsys.readouterr().err


def test_real_limburg_boundaries_and_population(shared_data, tmp_path):
    """Real 2025 municipalities and 1-1-2026 population (5-year bands) with a synthetic snapshot."""
    areas = (
        shared_data / "provinciesincijfers_gebiedsniveaus" / "limburg_gemeente_2025_wgs84.geojson"
    )
    population = (
        shared_data
        / "statbel_population_limburg_2026"
        / "limburg_population_by_sex_5y_age_2026-01-01.csv"
    )
    codes = pd.read_csv(population, dtype={"nis_code": str})["nis_code"].unique()
    snapshot = random_snapshot(codes, 1500, seed=9, rates=np.linspace(0.5, 1.5, len(codes)))
    snapshot_file(snapshot, tmp_path / "foto.csv")
    out = tmp_path / "uit"
    status = main(
        [
            "--areas",
            str(areas),
            "--population",
            str(population),
            "--snapshot",
            str(tmp_path / "foto.csv"),
            "--peildatum",
            "2026-02-10",
            "--out",
            str(out),
            "--permutations",
            "99",
            "--quiet",
        ]
    )
    assert status == 0
    table = pd.read_csv(out / "indicatoren.csv", dtype={"gebied_code": str})
    alle = table[table["hulpvorm"] == "ALLE"].set_index("gebied_code")
    assert len(alle) == 38
    # Hasselt 71072: residents 0–24 from the real file (five 5-year bands, both sexes).
    pop = pd.read_csv(population, dtype={"nis_code": str})
    young = pop[(pop["nis_code"] == "71072") & (pop["age_from"] <= 20)]["total"].sum()
    assert alle.loc["71072", "inwoners"] == young
    assert "bereik_15_19_per_1000" in table.columns  # the population's own bands


def test_default_permutations_follow_the_number_of_areas(round_files):
    out = round_files / "uit"
    given = arguments(round_files, out)
    at = given.index("--permutations")
    assert main(given[:at] + given[at + 2 :]) == 0
    parameters = json.loads((out / "manifest.json").read_text())["parameters"]
    # 16 areas need 16 / (0.05 · 20) = 16 permutations: the floor of 999 applies.
    assert parameters["permutations"] == 999
    assert parameters["permutations_rule"].startswith("standaard")


@pytest.mark.parametrize(("areas", "expected"), [(1_000, 999), (1_001, 9_999), (9_000, 9_999)])
def test_default_permutations_let_a_cluster_of_twenty_areas_pass_bh(areas, expected):
    # P + 1 ≥ areas / (0.05 · 20): 9,000 areas need 9,000, so 9,999.
    assert permutations_for(areas, alpha=0.05, smallest_cluster=SMALLEST_CLUSTER) == expected


def _spoil(path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


def test_problems_in_files_read_side_by_side_come_in_reading_order(round_files, capsys):
    # Population, sites and snapshot are read in parallel; the first wrong file in reading
    # order is the one reported, as in a serial run.
    _spoil(round_files / "vestigingen.csv", 0, "lat", "noord")
    _spoil(round_files / "partner1.csv", 3, "geslacht", "Q")
    population = pd.read_csv(round_files / "bevolking.csv", dtype=str)
    count = next(c for c in population.columns if c not in {"area_code", "age", "sex"})
    _spoil(round_files / "bevolking.csv", 1, count, "veel")
    assert main(arguments(round_files, round_files / "uit")) == 1
    err = capsys.readouterr().err
    assert "bevolking.csv" in err and "veel" in err
    assert "vestigingen.csv" not in err and "'Q'" not in err and "Traceback" not in err

    population.to_csv(round_files / "bevolking.csv", index=False)
    assert main(arguments(round_files, round_files / "uit")) == 1
    err = capsys.readouterr().err
    assert "vestigingen.csv: rij 2" in err and "'Q'" not in err


@pytest.mark.parametrize(
    ("make_out", "message"),
    [
        (lambda folder: folder / "partner1.csv", "bestaat al en is geen map"),
        (lambda folder: folder / "partner1.csv" / "uit", "partner1.csv is een bestand"),
    ],
    ids=["a-file", "under-a-file"],
)
def test_an_output_path_that_cannot_be_a_folder_gets_a_dutch_message_before_the_run(
    round_files, capsys, make_out, message
):
    out = make_out(round_files)
    assert main(arguments(round_files, out)) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert (round_files / "partner1.csv").is_file()


def test_an_output_folder_without_write_rights_gets_a_dutch_message(
    round_files, capsys, monkeypatch
):
    # The suite runs as root, who may write anywhere: the rights are refused through os.access.
    locked = round_files / "alleen-lezen"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "jeugdhulp.analysis.cli.os.access",
        lambda path, mode: real_access(path, mode) and Path(path) != locked,
    )
    assert main(arguments(round_files, locked / "uit")) == 1
    assert f"geen schrijfrechten in {locked}" in capsys.readouterr().err
    assert main(arguments(round_files, locked)) == 1
    assert "geen schrijfrechten in deze map" in capsys.readouterr().err
