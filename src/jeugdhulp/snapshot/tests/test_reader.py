"""Every rule of the data-request format, each with a passing and a failing example."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.snapshot.reader import FRAME_DTYPES, parse_date, read_snapshot, validate_table
from jeugdhulp.snapshot.schema import COLUMNS

from .conftest import HEX_A, HEX_B, PEILDATUM, good_row


def check(snapshot_file, rows, columns=COLUMNS, **options):
    options.setdefault("peildatum", PEILDATUM)
    return read_snapshot(snapshot_file(rows, columns=columns), **options)


def kinds(result):
    return sorted({(p.kind, p.column) for p in result.problems if p.is_error})


def test_a_good_file_gives_the_shared_snapshot_frame(snapshot_file):
    result = check(snapshot_file, [good_row(), good_row(client_pseudoniem=HEX_B, geboortemaand="")])
    assert result.ok and result.problems == []
    frame = result.frame
    assert {c: str(t) for c, t in frame.dtypes.items()} == FRAME_DTYPES
    first = frame.iloc[0]
    assert first["partner"] == "partner" and first["bronrij"] == 2
    assert first["startdatum"] == pd.Timestamp("2022-09-01")
    assert first["crisis"] is False or first["crisis"] == False  # noqa: E712 - numpy bool
    assert first["toeleider"] == "school_clb"
    assert pd.isna(frame.loc[1, "geboortemaand"])
    assert result.unique_children == 2


def test_the_partner_is_the_given_code(snapshot_file):
    result = read_snapshot(snapshot_file([good_row()]), partner="ORG-7", peildatum=PEILDATUM)
    assert result.frame["partner"].tolist() == ["ORG-7"]


@pytest.mark.parametrize(
    ("change", "kind", "column"),
    [
        ({"vestiging": ""}, "ontbrekend", "vestiging"),
        ({"geslacht": ""}, "ontbrekend", "geslacht"),
        ({"client_pseudoniem": "abc"}, "pseudoniem", "client_pseudoniem"),
        ({"client_pseudoniem": "g" * 64}, "pseudoniem", "client_pseudoniem"),
        ({"geboortejaar": "10"}, "jaar", "geboortejaar"),
        ({"geboortejaar": "twee"}, "jaar", "geboortejaar"),
        ({"geboortejaar": "20²3"}, "jaar", "geboortejaar"),  # isdigit(), but not a number
        ({"geboortemaand": "13"}, "maand", "geboortemaand"),
        ({"geboortemaand": "0"}, "maand", "geboortemaand"),
        ({"geslacht": "F"}, "code_onbekend", "geslacht"),
        ({"hulpvorm": "ZZ"}, "code_onbekend", "hulpvorm"),
        ({"toegang": "TP"}, "code_onbekend", "toegang"),
        ({"toeleider": "buurman"}, "code_onbekend", "toeleider"),
        ({"crisis": "misschien"}, "ja_nee", "crisis"),
        ({"gemandateerd": "soms"}, "ja_nee", "gemandateerd"),
        ({"woonplaats": "0999"}, "woonplaats", "woonplaats"),
        ({"woonplaats": "1234"}, "woonplaats", "woonplaats"),  # 4 digits, no Belgian postcode
        ({"startdatum": "gisteren"}, "datum", "startdatum"),
        ({"startdatum": "2023-02-30"}, "datum", "startdatum"),
        ({"startdatum": "31/04/2022"}, "datum", "startdatum"),
        ({"startdatum": "2023-02-11"}, "na_peildatum", "startdatum"),
        ({"startdatum": "2009-12-31"}, "voor_geboorte", "startdatum"),
        ({"geboortejaar": "1997", "geboortemaand": "1"}, "leeftijd", "geboortejaar"),
        ({"geboortejaar": "2023", "geboortemaand": "3"}, "leeftijd", "geboortejaar"),
        ({"geboortejaar": "2023", "geboortemaand": ""}, "leeftijd", "geboortejaar"),
    ],
)
def test_each_rule_refuses_a_wrong_value(snapshot_file, change, kind, column):
    result = check(snapshot_file, [good_row(), good_row(**{"client_pseudoniem": HEX_B, **change})])
    assert not result.ok
    assert kinds(result) == [(kind, column)]
    problem = result.errors[0]
    assert problem.row == 3
    assert str(problem).startswith(f"rij 3, kolom {column}: waarde '{change[column]}': ")
    assert result.frame["bronrij"].tolist() == [2]


@pytest.mark.parametrize(
    "change",
    [
        {"geslacht": "v"},
        {"geslacht": "O"},
        {"hulpvorm": "cb"},
        {"toegang": "nrtjh"},
        {"toeleider": "School CLB"},
        {"toeleider": ""},
        {"crisis": "JA"},
        {"gemandateerd": ""},
        {"woonplaats": "BUITENLAND"},
        {"woonplaats": "onbekend"},
        {"woonplaats": "3600.0"},
        {"startdatum": "01/09/2022"},
        {"startdatum": "1/9/2022"},
        {"startdatum": "44805"},  # Excel serial number of 2022-09-01
        {"startdatum": "2022-09-01 00:00:00"},
        {"startdatum": "2023-02-10"},  # on the peildatum itself
        {"geboortejaar": "2010.0", "geboortemaand": "04"},
        {"geboortejaar": "1998", "geboortemaand": "2"},  # 25 on the peildatum
        {"geboortejaar": "2023", "geboortemaand": "2", "startdatum": "2023-02-05"},  # age 0
        {"client_pseudoniem": "L-2023-0042"},
        {"client_pseudoniem": "A" * 64},
    ],
)
def test_each_rule_accepts_the_right_forms(snapshot_file, change):
    result = check(snapshot_file, [good_row(**change)])
    assert result.ok, [str(p) for p in result.problems]
    assert len(result.frame) == 1


def test_values_are_normalised(snapshot_file):
    row = good_row(
        geslacht="v", hulpvorm="cb", toegang="nrtjh", toeleider="School CLB", crisis="JA"
    )
    row.update(woonplaats="3600.0", startdatum="44805", client_pseudoniem="A" * 64)
    frame = check(snapshot_file, [row]).frame
    record = frame.iloc[0]
    assert (record["geslacht"], record["hulpvorm"], record["toegang"]) == ("V", "CB", "NRTJH")
    assert record["toeleider"] == "school_clb" and bool(record["crisis"]) is True
    assert record["woonplaats"] == "3600" and record["client_pseudoniem"] == "a" * 64
    assert record["startdatum"] == pd.Timestamp("2022-09-01")


def test_an_area_code_of_the_round_is_a_residence(snapshot_file):
    rows = [good_row(woonplaats="71016"), good_row(client_pseudoniem=HEX_B, woonplaats="99999")]
    result = check(snapshot_file, rows, area_codes={"71016", "71072"})
    assert kinds(result) == [("woonplaats", "woonplaats")]
    assert result.errors[0].row == 3


def test_without_areas_other_codes_pass_unchecked(snapshot_file):
    assert check(snapshot_file, [good_row(woonplaats="71016")]).ok


def test_sites_must_belong_to_the_partner(snapshot_file):
    rows = [good_row(vestiging="v001"), good_row(client_pseudoniem=HEX_B, vestiging="X9")]
    result = check(snapshot_file, rows, site_codes={"V001", "V002"})
    assert kinds(result) == [("vestiging_onbekend", "vestiging")]
    assert "V001, V002" in result.errors[0].message
    assert result.frame["vestiging"].tolist() == ["V001"]


def test_the_round_decides_the_forms_of_help(snapshot_file):
    result = check(snapshot_file, [good_row(hulpvorm="CB")], hulpvormen={"BI", "VB"})
    assert kinds(result) == [("code_onbekend", "hulpvorm")]


def test_a_duplicate_points_to_the_first_row(snapshot_file):
    rows = [good_row(), good_row(geslacht="M"), good_row(hulpvorm="BI")]
    result = check(snapshot_file, rows)
    assert kinds(result) == [("dubbel", "client_pseudoniem")]
    assert result.errors[0].row == 3 and "rij 2" in result.errors[0].message


def test_a_national_number_refuses_the_whole_file_and_is_never_echoed(snapshot_file):
    rows = [good_row(), good_row(client_pseudoniem="85.07.30-033.28", vestiging="85073003328")]
    result = check(snapshot_file, rows, site_codes={"V001"})
    assert not result.ok and result.frame.empty
    insz = [p for p in result.problems if p.kind == "insz"]
    assert {p.column for p in insz} == {"client_pseudoniem", "vestiging"}
    assert all("85073003328" not in str(p) and "033.28" not in str(p) for p in result.problems)


@pytest.mark.parametrize(
    "number", ["05031212360", "5031212360", "5031212360.0", "05.03.12-123.60", " 05031212360 "]
)
def test_a_national_number_in_any_written_form_is_found_in_any_column(snapshot_file, number):
    # Born in 2005: Excel drops the leading zero (10 digits) or adds ".0"; separators vary.
    result = check(snapshot_file, [good_row(opmerking=number)], columns=(*COLUMNS, "opmerking"))
    assert ("insz", "opmerking") in kinds(result) and result.frame.empty


def test_an_insz_column_refuses_the_file(snapshot_file):
    rows = [good_row(insz="12345678901")]
    result = check(snapshot_file, rows, columns=(*COLUMNS, "insz"))
    assert ("insz", "insz") in kinds(result)


def test_missing_columns_are_named_and_unknown_ones_warned(snapshot_file):
    columns = [c for c in COLUMNS if c not in {"crisis", "toeleider"}] + ["opmerking"]
    result = check(snapshot_file, [good_row()], columns=columns)
    assert kinds(result) == [("kolom_ontbreekt", "crisis")]
    assert [(p.kind, p.column) for p in result.warnings] == [("kolom_onbekend", "opmerking")]


def test_optional_columns_may_be_left_out(snapshot_file):
    columns = [c for c in COLUMNS if c not in {"toeleider", "gemandateerd", "geboortemaand"}]
    result = check(snapshot_file, [good_row()], columns=columns)
    assert result.ok
    assert result.frame["toeleider"].tolist() == [None]
    assert pd.isna(result.frame.loc[0, "gemandateerd"])


def test_an_unreadable_file_is_reported_not_raised(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 niet echt een zip")
    result = read_snapshot(path)
    assert not result.ok and result.frame.empty and result.rows_read == 0


def test_cp1252_and_headers_with_spaces_and_case(snapshot_file, tmp_path):
    path = snapshot_file([good_row(toeleider="andere")], encoding="cp1252")
    text = path.read_text("cp1252").replace("client_pseudoniem", " Client Pseudoniem ")
    path.write_text(text + "\n\n;;;\n", encoding="cp1252")
    result = read_snapshot(path, peildatum=PEILDATUM)
    assert result.ok and len(result.frame) == 1


def test_xlsx_with_excel_types_validates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(list(COLUMNS))
    sheet.append(
        ["V001", HEX_A, 2010.0, 4, "V", 3600, "CB", "RTJH", dt.datetime(2022, 9, 1), "nee", None]
    )
    path = tmp_path / "partner.xlsx"
    book.save(path)
    result = read_snapshot(path, peildatum=PEILDATUM)
    assert result.ok, [str(p) for p in result.problems]
    assert result.frame.loc[0, "woonplaats"] == "3600"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-01", dt.date(2022, 9, 1)),
        ("01/09/2022", dt.date(2022, 9, 1)),
        ("1.9.2022", dt.date(2022, 9, 1)),
        ("44805", dt.date(2022, 9, 1)),
        ("44805.0", dt.date(2022, 9, 1)),
        ("2022-02-29", False),
        ("12345", None),
        ("2022/09/01", None),
        ("", None),
    ],
)
def test_dates_as_users_write_them(text, expected):
    assert parse_date(text) == expected


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2010", "13", "V", "CB", "RTJH", "ja", "3600", "2022-09-01", HEX_A]),
    st.sampled_from(["85073003328", "44805", "31/02/2022", "L-1", "BUITENLAND", "1e5", "nan"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({c: cell for c in COLUMNS}), max_size=6))
def test_the_validator_never_crashes(rows):
    table = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object).fillna("")
    table = table.apply(lambda column: column.astype(str).str.strip())
    result = validate_table(table, file="fuzz.csv", partner="p", peildatum=PEILDATUM)
    assert result.ok == (not result.errors)
    assert len(result.frame) <= len(rows)
    assert set(result.frame["bronrij"]) <= set(range(2, len(rows) + 2))
    if result.ok:
        assert len(result.frame) == len(rows)
