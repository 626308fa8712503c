"""The fast XLSX writer: what openpyxl and pandas read back is what was written."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jeugdhulp.data.xlsx_writer import column_letter, write_workbook


def _mixed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["A01", "B&<02>", " spatie ", ""],
            "aantal": pd.array([5, None, 12, 0], dtype="Int64"),
            "gewoon": np.array([1, 2, 3, 40_000_000], dtype="int64"),
            "ratio": [0.1, np.nan, 1234.5, np.inf],
            "heel": [2.0, -0.5, 1e-7, 3.0],
            "vlag": [True, False, True, False],
            "gemengd": ["tekst", 1.5, None, 7],
        }
    )


def _read(path, sheet):
    book = openpyxl.load_workbook(path, read_only=True)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def _openpyxl_write_only(path, sheets):
    book = openpyxl.Workbook(write_only=True)
    for name, frame in sheets:
        sheet = book.create_sheet(name)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            sheet.append(list(row))
    book.save(path)


def test_openpyxl_reads_the_same_values_and_types_as_from_its_own_file(tmp_path):
    sheets = [("indicatoren", _mixed()), ("toelichting", pd.DataFrame({"t": ["één", "twee"]}))]
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write_workbook(ours, sheets)
    _openpyxl_write_only(theirs, [(n, f.replace([np.inf], np.nan)) for n, f in sheets])
    for name, _ in sheets:
        mine, reference = _read(ours, name), _read(theirs, name)
        assert mine == reference
        assert [[type(v) for v in row] for row in mine] == [
            [type(v) for v in row] for row in reference
        ]


def test_text_keeps_markup_characters_and_surrounding_spaces(tmp_path):
    write_workbook(tmp_path / "t.xlsx", [("blad", _mixed())])
    rows = _read(tmp_path / "t.xlsx", "blad")
    assert [row[0] for row in rows] == ["code", "A01", "B&<02>", " spatie ", None]


def test_empty_and_infinite_cells_stay_empty(tmp_path):
    write_workbook(tmp_path / "t.xlsx", [("blad", _mixed())])
    frame = pd.read_excel(tmp_path / "t.xlsx", sheet_name="blad")
    assert frame["aantal"].isna().tolist() == [False, True, False, False]
    assert frame["ratio"].isna().tolist() == [False, True, False, True]
    assert frame["vlag"].tolist() == [True, False, True, False]


def test_pandas_reads_every_sheet_with_its_name_and_size(tmp_path):
    big = pd.DataFrame({"n": np.arange(12_345), "x": np.arange(12_345) / 7})
    write_workbook(tmp_path / "t.xlsx", [("groot", big), ("regio", _mixed())])
    sheets = pd.read_excel(tmp_path / "t.xlsx", sheet_name=None)
    assert list(sheets) == ["groot", "regio"]
    pd.testing.assert_frame_equal(sheets["groot"], big)


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters
