"""Hostile uploads against the readers' limits (issue #12, finding 4): rows are counted while
they are read and reading stops at the limit, a workbook's unpacked size follows from the row
limit and is measured rather than taken from its headers, and reading runs where its memory and
time are bounded."""

from __future__ import annotations

import random
import struct
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdhulp.data import tabular
from jeugdhulp.data.bounded import Bounds, run_bounded
from jeugdhulp.data.errors import InputError
from jeugdhulp.data.tabular import read_table, unpacked_limit

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    b'workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    b'sheet1.xml"/></Relationships>'
)


def crafted_workbook(path, sheet_data: bytes, extra: dict[str, bytes] | None = None):
    """A minimal workbook written by hand, as an attacker would: ``sheet_data`` goes inside
    ``<sheetData>`` unchanged."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>' + sheet_data + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return path


def tiny_rows(count: int, *, first: int = 1) -> bytes:
    """A header row, then ``count`` rows of one number each: the attack's 2,000,000 rows."""
    header = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>a</t></is></c></row>' % (first, first)
    return header + b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i % 97)
        for i in range(first + 1, first + 1 + count)
    )


def lie_about_size(path, member: str, declared: int) -> None:
    """Write ``declared`` as the unpacked size of ``member`` in both of the zip's headers."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        directory = archive.start_dir
    struct.pack_into("<I", raw, info.header_offset + 22, declared)
    position = directory
    while raw[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", raw, position + 28)
        name = bytes(raw[position + 46 : position + 46 + name_length]).decode()
        if name == member:
            struct.pack_into("<I", raw, position + 24, declared)
        position += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(raw))


@pytest.fixture
def workbook_reader_calls(monkeypatch):
    """Every time the workbook reader (calamine) opens a file."""
    from python_calamine import CalamineWorkbook

    calls = []
    original = CalamineWorkbook.from_path

    def spy(path, *args, **kwargs):
        calls.append(path)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(CalamineWorkbook, "from_path", spy)
    return calls


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows (records) the reader has cleaned so far, summed over its columns' reads."""
    seen = {"cells": 0, "columns": 0}
    original = tabular._stripped

    def spy(column):
        seen["cells"] += len(column)
        seen["columns"] += 1
        return original(column)

    monkeypatch.setattr(tabular, "_stripped", spy)
    return lambda: seen["cells"] // max(seen["columns"], 1)


def test_a_workbook_with_many_tiny_rows_is_refused_before_the_workbook_reader_opens_it(
    tmp_path, workbook_reader_calls
):
    # The finding's workbook scaled down with the limit: 60,000 rows of one number (2.3 MB of
    # XML, within what 1,000 rows may unpack to), limit 1,000.
    path = crafted_workbook(tmp_path / "rijen.xlsx", tiny_rows(60_000))
    assert path.stat().st_size < 500_000
    with pytest.raises(InputError, match=r"meer dan 1\.000 rijen; dat is de grens") as caught:
        read_table(path, max_rows=1_000)
    assert caught.value.problems[0].kind == "te_groot"
    assert workbook_reader_calls == []


def test_the_finding_s_two_million_rows_stop_at_the_default_limit_in_seconds(
    tmp_path, workbook_reader_calls
):
    path = crafted_workbook(tmp_path / "twee-miljoen.xlsx", tiny_rows(2_000_000))
    start = time.process_time()
    with pytest.raises(InputError, match=r"meer dan 1\.000\.000 rijen"):
        read_table(path)
    # Before, calamine read all 2,000,000 rows first: 5-15 s and 0.5-1.3 GB (BENCHMARKS.md).
    assert workbook_reader_calls == []
    assert time.process_time() - start < 10


def test_rows_without_row_elements_are_still_stopped_at_the_limit(tmp_path, rows_read):
    # Cells outside <row> elements escape the count of the XML; calamine still reads them as
    # rows, and the reader stops on the rows it is given.
    cells = b"".join(b'<c r="A%d"><v>%d</v></c>' % (i, i) for i in range(1, 5_001))
    path = crafted_workbook(tmp_path / "zonder-rijen.xlsx", cells)
    with pytest.raises(InputError, match=r"meer dan 100 rijen"):
        read_table(path, max_rows=100)
    assert rows_read() <= 100 + 2


def test_a_csv_over_the_row_limit_is_read_no_further_than_the_limit(tmp_path, rows_read):
    path = tmp_path / "rijen.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 50_000)
    with pytest.raises(InputError, match=r"meer dan 1\.000 rijen") as caught:
        read_table(path, max_rows=1_000)
    assert caught.value.problems[0].kind == "te_groot"
    assert rows_read() <= 1_000 + 2


def test_a_csv_with_ragged_rows_over_the_row_limit_is_read_no_further(tmp_path, rows_read):
    # A row wider than the header sends the reader to the csv module, which counts as well.
    path = tmp_path / "scheef.csv"
    path.write_bytes(b"a;b\n1;2;3\n" + b"1;2\n" * 50_000)
    with pytest.raises(InputError, match=r"meer dan 1\.000 rijen"):
        read_table(path, max_rows=1_000)
    assert rows_read() <= 1_000 + 2


def test_a_zip_whose_headers_understate_a_part_is_refused_while_it_unpacks(
    tmp_path, workbook_reader_calls
):
    noise = random.Random(12).randbytes(3 * 2**20)  # does not compress: no bomb by its ratio
    path = crafted_workbook(
        tmp_path / "liegt.xlsx", tiny_rows(3), extra={"xl/printerSettings/p.bin": noise}
    )
    lie_about_size(path, "xl/printerSettings/p.bin", 2_000)
    with zipfile.ZipFile(path) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 5_000
    with pytest.raises(InputError, match="onredelijk grote omvang") as caught:
        read_table(path, max_rows=100)
    assert caught.value.problems[0].kind == "te_groot"
    assert workbook_reader_calls == []


def test_a_zip_whose_headers_misstate_a_part_within_the_limit_is_refused(
    tmp_path, workbook_reader_calls
):
    path = crafted_workbook(tmp_path / "liegt.xlsx", tiny_rows(20))
    lie_about_size(path, "xl/worksheets/sheet1.xml", 100)
    with pytest.raises(InputError, match="andere grootte dan de werkmap aangeeft"):
        read_table(path, max_rows=100)
    assert workbook_reader_calls == []


def test_a_huge_shared_strings_part_is_refused_before_the_workbook_reader_opens_it(
    tmp_path, workbook_reader_calls
):
    # Distinct strings compress too little to look like a bomb; the sheet itself is tiny.
    strings = b"".join(b"<si><t>%08x</t></si>" % (i * 2654435761 % 2**32) for i in range(200_000))
    shared = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + strings + b"</sst>"
    )
    path = crafted_workbook(
        tmp_path / "strings.xlsx", tiny_rows(3), extra={"xl/sharedStrings.xml": shared}
    )
    with pytest.raises(InputError, match="onredelijk grote omvang"):
        read_table(path, max_rows=100)
    assert workbook_reader_calls == []
    # The same workbook is fine where the row limit allows that much XML.
    assert len(read_table(path, max_rows=5_000)) == 3


def test_the_unpacked_limit_follows_the_row_limit():
    assert unpacked_limit(1_000) == tabular.XML_BASE_BYTES + tabular.XML_BYTES_PER_ROW * 1_001
    assert unpacked_limit(1_000_000) > unpacked_limit(1_000)
    assert unpacked_limit(10**9, max_bytes=1_000_000) == 20 * 1_000_000


def test_a_workbook_within_the_limits_is_read_with_its_row_numbers(tmp_path):
    path = crafted_workbook(tmp_path / "goed.xlsx", tiny_rows(1_000))
    frame = read_table(path, max_rows=1_000)
    assert len(frame) == 1_000
    assert frame.attrs["source_rows"][:2] == [2, 3]


def test_empty_formatted_rows_do_not_count_towards_the_limit(tmp_path):
    empty = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % i for i in range(10, 5_000))
    path = crafted_workbook(tmp_path / "opgemaakt.xlsx", tiny_rows(5) + empty)
    assert len(read_table(path, max_rows=10)) == 5


def test_cells_far_apart_are_refused_within_the_memory_bound(tmp_path):
    # 1.6 KB that asks calamine for a grid of 1,048,576 x 16,384 cells (512 GB): without a
    # bound the allocation fails and Rust ends the whole process.
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    path = crafted_workbook(tmp_path / "verspreid.xlsx", sheet)
    assert path.stat().st_size < 2_000
    with pytest.raises(InputError, match="meer dan 256 MB geheugen") as caught:
        run_bounded(read_table, path, bounds=Bounds(256 * 2**20, 60), file=path.name)
    assert caught.value.problems[0].kind == "te_groot"


def test_a_bounded_read_gives_the_frame_or_the_reader_s_own_error(tmp_path):
    good = tmp_path / "goed.csv"
    good.write_bytes(b"a;b\n1;2\n")
    frame = run_bounded(read_table, good, bounds=Bounds(512 * 2**20, 60), file="goed.csv")
    assert frame.to_dict("records") == [{"a": "1", "b": "2"}]
    assert frame.attrs["source_rows"] == [2]
    with pytest.raises(InputError, match=r"meer dan 0 rijen"):
        run_bounded(read_table, good, bounds=Bounds(512 * 2**20, 60), file="goed.csv", max_rows=0)


def test_a_read_that_takes_too_long_is_stopped():
    start = time.monotonic()
    with pytest.raises(InputError, match="langer dan 1 seconden"):
        run_bounded(time.sleep, 30, bounds=Bounds(256 * 2**20, 1), file="traag.csv")
    assert time.monotonic() - start < 10


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.sampled_from(["full", "empty", "prefixed", "spaced"]), max_size=30),
    cuts=st.lists(st.integers(min_value=1, max_value=40), max_size=20),
)
def test_rows_are_counted_the_same_however_the_xml_arrives(rows, cuts):
    shapes = {
        "full": b'<row r="1" spans="1:2"><c r="A1"><v>1</v></c></row>',
        "empty": b'<row r="2" s="3" customHeight="1"/>',
        "prefixed": b"<x:row><x:c><x:v>1</x:v></x:c></x:row>",
        "spaced": b"<row\n\tr = '4' ><c><v>2</v></c></row><rowBreaks/>",
    }
    xml = b"<sheetData>" + b"".join(shapes[row] for row in rows) + b"</sheetData>"
    counter = tabular._RowCounter()
    position = 0
    for cut in cuts:
        counter.add(xml[position : position + cut])
        position += cut
    counter.add(xml[position:])
    assert counter.rows == sum(row != "empty" for row in rows)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["", "1", "x", " "]), min_size=1, max_size=3), max_size=25
    ),
    chunk=st.integers(min_value=1, max_value=7),
    limit=st.integers(min_value=0, max_value=25),
)
def test_reading_in_chunks_refuses_exactly_the_files_over_the_limit(
    tmp_path, monkeypatch, rows, chunk, limit
):
    path = tmp_path / "stukken.csv"
    path.write_text("a;b;c\n" + "".join(";".join(row) + "\n" for row in rows), encoding="utf-8")
    filled = sum(any(cell.strip() for cell in row) for row in rows)
    monkeypatch.setattr(tabular, "CHUNK_ROWS", chunk)
    if filled > limit:
        with pytest.raises(InputError, match="rijen; dat is de grens"):
            read_table(path, max_rows=limit)
    else:
        frame = read_table(path, max_rows=limit)
        assert len(frame) == filled
        expected = [i + 2 for i, row in enumerate(rows) if any(c.strip() for c in row)]
        assert frame.attrs["source_rows"] == expected


def test_a_zip_that_understates_its_rows_is_stopped_at_the_row_limit(
    tmp_path, workbook_reader_calls
):
    path = crafted_workbook(tmp_path / "liegt.xlsx", tiny_rows(60_000))
    lie_about_size(path, "xl/worksheets/sheet1.xml", 2_000)
    with pytest.raises(InputError, match=r"meer dan 100 rijen"):
        read_table(path, max_rows=100)
    assert workbook_reader_calls == []
