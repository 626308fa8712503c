"""Templates, the docs page and the two file commands, all from the one schema."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jeugdhulp.cli import main as jeugdhulp
from jeugdhulp.snapshot import schema
from jeugdhulp.snapshot.template import DOCS_PAGE, docs_markdown

from .conftest import HEX_B, good_row

REPO = Path(__file__).resolve().parents[4]


def test_the_committed_docs_page_is_generated_from_the_schema():
    page = (REPO / DOCS_PAGE).read_text(encoding="utf-8")
    assert page == docs_markdown(), "regenerate: python -m jeugdhulp.snapshot.template"


def test_the_xlsx_template_has_drop_downs_checks_and_instructions(tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    assert jeugdhulp(["template", "--format", "xlsx", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "codes", "instructies"]
    data = book["data"]
    assert [c.value for c in data[1]] == list(schema.COLUMNS)
    assert data.freeze_panes == "A2"
    kinds = {v.type for v in data.data_validations.dataValidation}
    assert kinds == {"list", "whole", "date"}
    lists = [v for v in data.data_validations.dataValidation if v.type == "list"]
    coded = [f for f in schema.FIELDS if f.codes]
    assert len(lists) == len(coded)
    codes = [c.value for c in book["codes"]["A"] if c.value]
    assert codes == ["geslacht", "M", "V", "X", "O"]
    assert "rijksregisternummer" in " ".join(str(c.value) for c in book["instructies"]["C"])


def test_a_filled_in_template_validates(tmp_path, capsys):
    path = tmp_path / "sjabloon.xlsx"
    jeugdhulp(["template", "--format", "xlsx", "-o", str(path)])
    book = openpyxl.load_workbook(path)
    for index, row in enumerate([good_row(), good_row(client_pseudoniem=HEX_B)], start=2):
        for column, name in enumerate(schema.COLUMNS, start=1):
            book["data"].cell(row=index, column=column, value=row[name])
    book.save(path)
    assert jeugdhulp(["validate", str(path), "--peildatum", "10/02/2023"]) == 0
    assert "In orde: 2 rijen, 2 unieke kinderen." in capsys.readouterr().out


def test_the_csv_template_is_the_header(tmp_path):
    path = tmp_path / "sjabloon.csv"
    assert jeugdhulp(["template", "--format", "csv", "-o", str(path)]) == 0
    assert path.read_text(encoding="utf-8-sig").strip() == ";".join(schema.COLUMNS)


def test_validate_prints_each_problem_and_exits_1(snapshot_file, capsys):
    rows = [good_row(geslacht="F")] + [
        good_row(client_pseudoniem=f"{i:064x}", hulpvorm="ZZ") for i in range(14)
    ]
    code = jeugdhulp(["validate", str(snapshot_file(rows)), "--peildatum", "2023-02-10"])
    out = capsys.readouterr().out
    assert code == 1
    assert "rij 2, kolom geslacht: waarde 'F': onbekende code. Gebruik een van: M, V, X, O." in out
    assert out.count("kolom hulpvorm: waarde 'ZZ'") == 10
    assert "... en nog 4 keer hetzelfde probleem in kolom hulpvorm." in out
    assert "15 rijen gelezen, 15 fouten" in out and "geweigerd" in out


def test_validate_with_the_rounds_areas_and_sites_files(snapshot_file, tmp_path, capsys):
    sites = tmp_path / "vestigingen.csv"
    sites.write_text(
        "vestiging;naam;organisatie;hulpvorm;capaciteit;lat;lon\nV001;A;B;CB;10;50.9;5.3\n"
    )
    areas = tmp_path / "gebieden.geojson"
    areas.write_text(
        '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},'
        '"features":[{"type":"Feature","properties":{"code":"71016","naam":"Genk"},'
        '"geometry":{"type":"Polygon","coordinates":[[[5.4,50.9],[5.6,50.9],[5.6,51.0],[5.4,50.9]]]}}]}'
    )
    path = snapshot_file(
        [good_row(woonplaats="71016"), good_row(client_pseudoniem=HEX_B, vestiging="V9")]
    )
    code = jeugdhulp(["validate", str(path), "--areas", str(areas), "--sites", str(sites)])
    out = capsys.readouterr().out
    assert code == 1 and "kolom vestiging: waarde 'V9'" in out and "71016" not in out


@pytest.mark.parametrize(
    "argv",
    [["validate"], ["validate", "x.csv", "--peildatum", "morgen"], ["template", "--format", "pdf"]],
)
def test_wrong_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        jeugdhulp(argv)
    assert stopped.value.code == 2
    assert "verkeerd gebruik" in capsys.readouterr().err


def test_a_missing_file_is_wrong_input_not_a_traceback(tmp_path, capsys):
    assert jeugdhulp(["validate", str(tmp_path / "nergens.csv")]) == 1
    assert "kan niet gelezen worden" in capsys.readouterr().out
