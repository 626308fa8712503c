"""The one reader for tables that users hand in: CSV/TSV/TXT and XLSX.

Every cell comes back as a stripped ``str`` so codes keep their leading zeros and each loader
decides itself what a value means. Bad input raises :class:`InputError` with a Dutch message,
never another exception: users upload these files, and a traceback helps nobody.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from jeugdhulp.data.errors import InputError, Problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
DELIMITERS = (";", ",", "\t", "|")
# A workbook's XML compresses about 10-20 times; a zip bomb compresses thousands of times.
MAX_COMPRESSION_RATIO = 200
MAX_UNCOMPRESSED_FACTOR = 20
MAX_ZIP_ENTRIES = 10_000

_SEPARATORS = re.compile(r"[\s\-]+")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format


class SourceRows(list):
    """Spreadsheet row numbers (read-only by convention). pandas deep-copies ``attrs`` on
    nearly every operation; a plain list of 250,000 numbers made that cost minutes, so copies
    of this one share it."""

    def __copy__(self) -> SourceRows:
        return self

    def __deepcopy__(self, memo: dict) -> SourceRows:
        return self


def normalise_header(name: object) -> str:
    """``" Geboorte-Jaar "`` -> ``"geboorte_jaar"``: lowercase, no accents, inner blanks ``_``."""
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()
    return _SEPARATORS.sub("_", text)


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> pd.DataFrame:
    """Read a CSV/TSV/TXT or XLSX file into a DataFrame of strings.

    Parameters
    ----------
    path: the file; its content decides the format (an XLSX is a zip), not its name.
    sheet: the XLSX sheet to read; default the sheet named ``data``, else the first one.
    max_bytes: files larger than this are refused (bytes on disk).
    max_rows: files with more data rows than this are refused.

    Returns every cell as a stripped ``str`` ("" when empty), XLSX whole numbers without ``.0``
    and XLSX dates as ``YYYY-MM-DD``; headers normalised with :func:`normalise_header`; empty
    rows and trailing empty columns dropped. ``attrs``: ``source_rows`` (the spreadsheet row
    number of each row, header = row 1), ``encoding`` and ``delimiter`` (``None`` for XLSX).
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise InputError(
            Problem(f"het bestand kan niet gelezen worden ({error.strerror}).", file=name), name
        ) from None
    if size > max_bytes:
        raise InputError(
            Problem(
                f"het bestand is {size / 1024 / 1024:.1f} MB; de grens is "
                f"{max_bytes / 1024 / 1024:.0f} MB. Splits het bestand of lever alleen de "
                "gevraagde kolommen aan.",
                file=name,
                kind="te_groot",
            ),
            name,
        )
    if head.startswith(_OLE_MAGIC):
        raise _refuse(name, "dit is het oude Excel-formaat (.xls). Sla het op als .xlsx of CSV.")
    if head.startswith(_ZIP_MAGIC):
        grid = _padded(_xlsx_rows(path, sheet, max_bytes))
        encoding = delimiter = None
    else:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            raise _refuse(name, "dit is geen geldig Excel-bestand (.xlsx).")
        text, encoding = _decode(path.read_bytes(), name)
        delimiter = _sniff_delimiter(text)
        grid = _text_grid(text, delimiter, name)
    frame = _frame(grid, name, max_rows)
    frame.attrs["encoding"] = encoding
    frame.attrs["delimiter"] = delimiter
    return frame


def _refuse(name: str, message: str, kind: str = "onleesbaar") -> InputError:
    return InputError(Problem(message, file=name, kind=kind), name)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 'Unicode text'), or cp1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise _refuse(
        name,
        "dit is geen tekstbestand in UTF-8 of Windows-1252 (cp1252). Sla het op als "
        "'CSV UTF-8' of als Excel-werkmap (.xlsx).",
    )


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same, largest number of fields."""
    lines = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) - 1 for row in csv.reader(lines, delimiter=delimiter)]
        header_count = counts[0]
        if header_count == 0:
            continue
        consistent = sum(count == header_count for count in counts)
        score = (consistent, header_count)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_grid(text: str, delimiter: str, name: str) -> pd.DataFrame:
    """Every record as a row of raw cells (record n = spreadsheet row n + 1 as position n).

    pandas' C parser reads regular files fast; rows wider than the first one make it fail, and
    then the csv module reads the file, padding rows to the widest."""
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        pass
    try:
        return _padded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise _refuse(name, f"het bestand is geen leesbare tabel ({error}).") from None


def _padded(rows: Iterable[list[str]]) -> pd.DataFrame:
    data = list(rows)
    width = max((len(row) for row in data), default=0)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in data], dtype=object)


def _stripped(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value as stripped text, made once (codes, years and dates repeat a lot);
    missing cells become "". Also whether each cell is filled (told by the distinct values, not
    cell by cell)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    clean = np.array([_cell_text(value).strip() for value in uniques] + [""], dtype=object)
    return clean[codes], (clean != "")[codes]  # the sentinel -1 picks the trailing ""


def _frame(grid: pd.DataFrame, name: str, max_rows: int) -> pd.DataFrame:
    """Header from the first non-empty row, then every non-empty row below it."""
    if not grid.size:
        raise _refuse(name, "het bestand is leeg: er staat geen kolomnaam in.", kind="leeg")
    stripped = [_stripped(grid[c]) for c in grid.columns]
    cells = np.column_stack([values for values, _ in stripped])
    filled = np.column_stack([present for _, present in stripped])
    nonempty = np.flatnonzero(filled.any(axis=1))
    if nonempty.size == 0:
        raise _refuse(name, "het bestand is leeg: er staat geen kolomnaam in.", kind="leeg")
    header_at, data_at = nonempty[0], nonempty[1:]
    header = list(cells[header_at])
    while header and not header[-1]:
        header.pop()
    width = len(header)
    beyond = filled[data_at, width:].any(axis=1)
    if beyond.any():
        position = data_at[np.argmax(beyond)]
        extra = next(cell for cell in cells[position, width:] if cell)
        raise InputError(
            Problem(
                f"deze rij heeft meer waarden dan er kolomnamen zijn ({width}). Geef elke kolom "
                "een naam in de eerste rij of verwijder de extra waarden.",
                row=int(position) + 1,
                value=extra,
                file=name,
                kind="te_veel_waarden",
            ),
            name,
        )
    if len(data_at) > max_rows:
        limit = f"{max_rows:_}".replace("_", ".")
        raise _refuse(
            name,
            f"het bestand heeft meer dan {limit} rijen; dat is de grens. Splits het bestand.",
            kind="te_groot",
        )
    columns = _column_names(header, name)
    frame = pd.DataFrame(cells[data_at, :width], columns=columns, dtype=object)
    frame.attrs["source_rows"] = SourceRows((data_at + 1).tolist())
    return frame


def _column_names(header: list[str], name: str) -> list[str]:
    columns: list[str] = []
    for index, raw in enumerate(header, start=1):
        column = normalise_header(raw) or f"kolom_{index}"
        if column in columns:
            raise InputError(
                Problem(
                    f"de kolomnaam komt twee keer voor (kolom {columns.index(column) + 1} en "
                    f"kolom {index}). Geef elke kolom een eigen naam.",
                    row=1,
                    column=column,
                    value=raw,
                    file=name,
                    kind="kolom_dubbel",
                ),
                name,
            )
        columns.append(column)
    return columns


def _check_zip(path: Path, name: str, max_bytes: int) -> None:
    """Refuse zip bombs and zips that are not workbooks before the reader opens anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _refuse(name, "dit is geen geldig Excel-bestand (.xlsx).") from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        hint = " (dit lijkt een OpenDocument-bestand)" if "mimetype" in names else ""
        raise _refuse(name, f"dit zip-bestand is geen Excel-werkmap{hint}. Sla op als .xlsx.")
    total = sum(entry.file_size for entry in entries)
    bomb = len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_FACTOR * max_bytes
    bomb = bomb or any(
        entry.file_size > 1024 * 1024
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if bomb:
        raise _refuse(
            name,
            "de werkmap pakt uit tot een onredelijk grote omvang en wordt geweigerd. Sla de "
            "gegevens opnieuw op als .xlsx of CSV, zonder lege opgemaakte rijen.",
            kind="te_groot",
        )


def _xlsx_rows(path: Path, sheet: str | None, max_bytes: int) -> Iterator[list[str]]:
    """The rows of one sheet as strings: cached values only (nothing is evaluated), read by
    calamine (Rust), which streams a 250,000-row sheet about 30 times faster than openpyxl."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    name = path.name
    _check_zip(path, name, max_bytes)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise _refuse(
            name, "de werkmap is met een wachtwoord beveiligd. Sla ze op zonder."
        ) from None
    except (CalamineError, ValueError, OSError):
        raise _refuse(name, "de Excel-werkmap is beschadigd of geen .xlsx.") from None
    return _sheet_rows(workbook, sheet, name)


def _sheet_rows(workbook, sheet: str | None, name: str) -> Iterator[list[str]]:
    from python_calamine import CalamineError

    try:
        titles = workbook.sheet_names
        if sheet is not None:
            matches = [title for title in titles if title.strip().lower() == sheet.lower()]
            if not matches:
                raise _refuse(
                    name,
                    f"de werkmap heeft geen blad '{sheet}' (bladen: {', '.join(titles)}).",
                )
            chosen = matches[0]
        else:
            chosen = next((t for t in titles if t.strip().lower() == "data"), titles[0])
        try:
            worksheet = workbook.get_sheet_by_name(chosen)
            # Rows count from row 1, but the columns from the first used one: put back the
            # empty leading columns so positions match what the user sees.
            lead = [""] * (worksheet.start[1] if worksheet.start else 0)
            # Values stay as calamine gives them; _stripped turns each distinct one into text.
            # Booleans become text here, or hashing would take True for the number 1.
            for values in worksheet.iter_rows():
                yield lead + [_BOOLEAN_TEXT[v] if v.__class__ is bool else v for v in values]
        except (CalamineError, ValueError, OSError):
            raise _refuse(
                name, "het blad kan niet gelezen worden: de werkmap is beschadigd."
            ) from None
    finally:
        workbook.close()


_BOOLEAN_TEXT = {True: "ja", False: "nee"}


def _cell_text(value: object) -> str:
    """A cell's value as the text a user sees: whole numbers without ``.0``, dates ISO."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
