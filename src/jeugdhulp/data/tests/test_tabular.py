"""The shared table reader: encodings, delimiters, Excel quirks, limits, hostile files."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.tabular import normalise_header, read_table


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def workbook(tmp_path, rows, *, name="t.xlsx", sheets=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "eerste"
    for row in rows:
        sheet.append(row)
    for title, extra_rows in (sheets or {}).items():
        extra = book.create_sheet(title)
        for row in extra_rows:
            extra.append(row)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Geboorte-Jaar ", "geboorte_jaar"),
        ("Client  Pseudoniem", "client_pseudoniem"),
        ("\ufeffvestiging", "vestiging"),
        ("Gemeënte", "gemeente"),
        ("startdatum", "startdatum"),
    ],
)
def test_headers_are_normalised(raw, expected):
    assert normalise_header(raw) == expected


@pytest.mark.parametrize(
    ("encoding", "prefix", "reported"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_text_encodings_are_detected(tmp_path, encoding, prefix, reported):
    path = write(tmp_path, "t.csv", prefix + "naam;plaats\nRené;Liège\n".encode(encoding))
    frame = read_table(path)
    assert frame.to_dict("records") == [{"naam": "René", "plaats": "Liège"}]
    assert frame.attrs["encoding"] == reported


def test_utf16_from_excel_unicode_text_is_read(tmp_path):
    path = write(tmp_path, "t.txt", "a\tb\r\n1\té\r\n".encode("utf-16"))
    assert read_table(path).to_dict("records") == [{"a": "1", "b": "é"}]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters_are_detected(tmp_path, delimiter):
    text = delimiter.join(["code", "naam", "waarde"]) + "\n"
    text += delimiter.join(["0123", '"Aa, bb; cc"', "7"]) + "\n"
    frame = read_table(write(tmp_path, "t.csv", text.encode()))
    assert frame.attrs["delimiter"] == delimiter
    assert frame.loc[0, "code"] == "0123"
    assert frame.loc[0, "naam"] == "Aa, bb; cc"


def test_empty_rows_and_trailing_empty_columns_are_dropped(tmp_path):
    text = "a;b;;\r\n1;2;;\r\n;;;\r\n3; 4 ;;\r\n\r\n;;\r\n"
    frame = read_table(write(tmp_path, "t.csv", text.encode()))
    assert list(frame.columns) == ["a", "b"]
    assert frame.to_dict("records") == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    assert frame.attrs["source_rows"] == [2, 4]


def test_short_rows_are_padded(tmp_path):
    frame = read_table(write(tmp_path, "t.csv", b"a;b;c\n1\n"))
    assert frame.to_dict("records") == [{"a": "1", "b": "", "c": ""}]


def test_values_beyond_the_header_are_refused_with_their_row(tmp_path):
    with pytest.raises(InputError) as caught:
        read_table(write(tmp_path, "t.csv", b"a;b\n1;2\n1;2;3\n"))
    problem = caught.value.problems[0]
    assert (problem.row, problem.value, problem.kind) == (3, "3", "te_veel_waarden")
    assert str(problem).startswith("rij 3, waarde '3': ")


def test_a_duplicated_column_name_is_refused(tmp_path):
    with pytest.raises(InputError, match="twee keer"):
        read_table(write(tmp_path, "t.csv", b"Naam;naam \n1;2\n"))


def test_unnamed_columns_with_data_get_a_name(tmp_path):
    frame = read_table(write(tmp_path, "t.csv", b"a;;c\n1;x;3\n"))
    assert list(frame.columns) == ["a", "kolom_2", "c"]


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="leeg"):
        read_table(write(tmp_path, "t.csv", b"\n\n"))


def test_a_header_without_rows_gives_an_empty_frame(tmp_path):
    frame = read_table(write(tmp_path, "t.csv", b"a;b\n"))
    assert list(frame.columns) == ["a", "b"] and frame.empty


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="kan niet gelezen"):
        read_table(tmp_path / "bestaat-niet.csv")


def test_files_above_the_size_limit_are_refused(tmp_path):
    path = write(tmp_path, "t.csv", b"a\n" + b"1\n" * 600)
    with pytest.raises(InputError, match="grens") as caught:
        read_table(path, max_bytes=1000)
    assert caught.value.problems[0].kind == "te_groot"


def test_files_above_the_row_limit_are_refused(tmp_path):
    path = write(tmp_path, "t.csv", b"a\n" + b"1\n" * 11)
    assert len(read_table(path, max_rows=11)) == 11
    with pytest.raises(InputError, match="meer dan 10 rijen"):
        read_table(path, max_rows=10)


def test_binary_content_is_refused(tmp_path):
    with pytest.raises(InputError, match="geen tekstbestand"):
        read_table(write(tmp_path, "t.csv", b"a;b\n\x00\x01\x02\xff\n"))


def test_xlsx_cells_come_back_as_text(tmp_path):
    path = workbook(
        tmp_path,
        [
            [" Vestiging ", "Geboortejaar", "Startdatum", "Woonplaats", "Aandeel", "Crisis", None],
            ["V01", 2010.0, dt.datetime(2023, 1, 5), "03500", 0.25, True, None],
            ["V02", 2011, dt.date(2022, 12, 31), 3500, 1.5, False, None],
            [None, None, None, None, None, None, None],
        ],
    )
    frame = read_table(path)
    assert frame.attrs["encoding"] is None and frame.attrs["delimiter"] is None
    assert frame.to_dict("records") == [
        {
            "vestiging": "V01",
            "geboortejaar": "2010",
            "startdatum": "2023-01-05",
            "woonplaats": "03500",
            "aandeel": "0.25",
            "crisis": "ja",
        },
        {
            "vestiging": "V02",
            "geboortejaar": "2011",
            "startdatum": "2022-12-31",
            "woonplaats": "3500",
            "aandeel": "1.5",
            "crisis": "nee",
        },
    ]
    assert frame.attrs["source_rows"] == [2, 3]


def test_xlsx_keeps_spreadsheet_row_numbers_across_empty_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "a"
    sheet["A2"] = "x"
    sheet["A5"] = "y"
    path = tmp_path / "gaten.xlsx"
    book.save(path)
    frame = read_table(path)
    assert frame["a"].tolist() == ["x", "y"]
    assert frame.attrs["source_rows"] == [2, 5]


def test_xlsx_keeps_empty_leading_columns_in_place(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["C4"], sheet["D6"] = "a", "b", "x", "y"
    path = tmp_path / "verschoven.xlsx"
    book.save(path)
    frame = read_table(path)
    assert list(frame.columns) == ["kolom_1", "kolom_2", "a", "b"]
    assert frame[["a", "b"]].to_dict("records") == [{"a": "x", "b": ""}, {"a": "", "b": "y"}]
    assert frame.attrs["source_rows"] == [4, 6]


def test_xlsx_reads_the_sheet_named_data_before_the_first(tmp_path):
    path = workbook(tmp_path, [["a"], ["eerste"]], sheets={"Data": [["a"], ["data"]]})
    assert read_table(path)["a"].tolist() == ["data"]
    assert read_table(path, sheet="eerste")["a"].tolist() == ["eerste"]
    with pytest.raises(InputError, match="geen blad 'nergens'"):
        read_table(path, sheet="nergens")


def test_formulas_are_not_evaluated(tmp_path):
    path = workbook(tmp_path, [["a", "b"], [1, "=A2*2"]])
    # openpyxl wrote no cached value, and the reader computes nothing itself.
    assert read_table(path).loc[0, "b"] == ""


def test_old_xls_is_refused_with_advice(tmp_path):
    path = write(tmp_path, "t.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"\.xls"):
        read_table(path)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(InputError, match="OpenDocument"):
        read_table(path)


def test_a_broken_workbook_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<kapot")
        archive.writestr("xl/workbook.xml", "<kapot")
    with pytest.raises(InputError, match="beschadigd"):
        read_table(path)


def test_a_text_file_named_xlsx_is_refused(tmp_path):
    with pytest.raises(InputError, match="geen geldig Excel"):
        read_table(write(tmp_path, "t.xlsx", b"a;b\n1;2\n"))


def test_zip_bombs_are_refused_before_unpacking(tmp_path):
    path = workbook(tmp_path, [["a"], [1]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bom.bin", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(InputError, match="onredelijk grote") as caught:
        read_table(path)
    assert caught.value.problems[0].kind == "te_groot"


def assert_frame_or_input_error(path) -> None:
    """Reading ``path`` gives a frame of text with its row numbers, or an InputError that says
    what is wrong; never another exception."""
    try:
        frame = read_table(path)
    except InputError as error:
        assert error.problems and all(p.message for p in error.problems)
    else:
        assert all(frame[column].map(type).eq(str).all() for column in frame.columns)
        assert len(frame.attrs["source_rows"]) == len(frame)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_frame_or_an_input_error(tmp_path, raw):
    assert_frame_or_input_error(write(tmp_path, "fuzz.csv", raw))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.text(alphabet="ab1;,\t\"' é\n", max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_any_delimited_text_gives_a_frame_or_an_input_error(tmp_path, rows):
    text = "\n".join(";".join(row) for row in rows)
    path = write(tmp_path, "fuzz.csv", text.encode("utf-8"))
    try:
        read_table(path)
    except InputError as error:
        assert error.problems


def _workbook_entries(tmp_path) -> dict[str, bytes]:
    path = workbook(tmp_path, [["a", "b"], [1, dt.date(2024, 1, 2)], ["x", None]], name="bron.xlsx")
    with zipfile.ZipFile(path) as archive:
        return {entry: archive.read(entry) for entry in archive.namelist()}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damaged_workbook_gives_a_frame_or_an_input_error(tmp_path, data):
    entries = _workbook_entries(tmp_path)
    target = data.draw(st.sampled_from(sorted(entries)))
    content = bytearray(entries[target])
    for position, byte in data.draw(
        st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)), max_size=20)
    ):
        content[position] = byte
    entries[target] = bytes(content[: data.draw(st.integers(0, len(content)))])
    path = tmp_path / "beschadigd.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for entry, raw in entries.items():
            archive.writestr(entry, raw)
    assert_frame_or_input_error(path)


def test_an_input_error_survives_crossing_processes():
    import pickle

    error = InputError([Problem("te oud", row=3, column="jaar", value="1890")], "bevolking.csv")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and copy.file == "bevolking.csv"
    assert str(copy) == str(error) == "rij 3, kolom jaar: waarde '1890': te oud"
