import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdhulp.data.codes import (
    ascii_digits,
    is_belgian_postcode,
    normalise_area_codes,
    normalise_code,
    normalise_nis,
)
from jeugdhulp.data.postcodes import municipality_for_postcode, postcode_table


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 71016.0 ", "71016"),
        (71016.0, "71016"),
        ("01000", "01000"),
        ("7.1016E+4", "71016"),
        (None, ""),
        (float("nan"), ""),
        ("71002A", "71002A"),
        ("\u00a071 016", "71016"),
    ],
)
def test_normalise_code_undoes_spreadsheet_artefacts(raw, expected):
    assert normalise_code(raw) == expected


def test_normalise_nis_pads_codes_that_lost_their_leading_zero():
    assert normalise_nis("1000") == "01000"
    assert normalise_nis(4000.0) == "04000"
    assert normalise_nis("71016") == "71016"


def test_area_code_column_is_padded_only_when_it_is_a_refnis_column():
    assert normalise_area_codes(["1000", "71016"]) == ["01000", "71016"]
    # four-digit codes alone are postcodes, not REFNIS codes
    assert normalise_area_codes(["3500", "3600"]) == ["3500", "3600"]


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_normalise_code_always_gives_a_string_without_blanks(value):
    code = normalise_code(value)
    assert isinstance(code, str)
    assert code == code.strip()
    assert normalise_code(code) == code


@given(st.integers(min_value=0, max_value=99999))
def test_normalise_nis_keeps_the_number_and_gives_five_digits_or_more(number):
    code = normalise_nis(str(number))
    assert int(code) == number
    assert len(code) == max(5, len(str(number)))


def test_postcodes_come_from_the_2025_table():
    assert is_belgian_postcode("3500")
    assert is_belgian_postcode(3600.0)
    assert not is_belgian_postcode("0999")
    assert not is_belgian_postcode("35000")
    assert municipality_for_postcode("3500") == "71072"  # Hasselt after the 2025 merger
    assert municipality_for_postcode("3720") == "71072"  # Kortessem is part of Hasselt now
    assert municipality_for_postcode("0000") is None


def test_shares_of_every_postcode_sum_to_one():
    table = postcode_table()
    assert table.groupby("postcode")["share"].sum().round(12).eq(1).all()
    assert set(table.loc[table["split"], "postcode"]) == {"1040", "1050", "1804"}


def test_a_postcode_spanning_municipalities_is_split_by_population():
    table = postcode_table({"23088": 45000.0, "23096": 15000.0})
    shares = table[table["postcode"] == "1804"].set_index("nis_code")["share"]
    assert shares["23088"] == pytest.approx(0.75)
    assert shares["23096"] == pytest.approx(0.25)
    assert municipality_for_postcode("1804", {"23088": 1.0, "23096": 3.0}) == "23096"


@pytest.mark.parametrize("text", ["3600", "0"])
def test_ascii_digits_accepts_plain_digits(text):
    assert ascii_digits(text)


@pytest.mark.parametrize("text", ["", "36²0", "\u0663\u0666\u0660\u0660", "3600 ", "-1"])
def test_ascii_digits_refuses_other_digits_and_signs(text):
    assert not ascii_digits(text)
