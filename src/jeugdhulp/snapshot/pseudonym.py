"""Pseudonymisation at the partner: national numbers (INSZ) become ``client_pseudoniem``.

Runs with nothing but Python's standard library, so a partner can copy this one file and run
``python pseudonym.py --key-file SLEUTEL IN OUT``. XLSX files need openpyxl; CSV needs nothing.

The pseudonym is HMAC-SHA256(round key, INSZ as 11 digits) in lowercase hex. The round key is
shared by the partners and withheld from the platform: an INSZ has few enough possible values
to be guessed from an unkeyed hash. Partners compare their key with the round's by its
fingerprint (:func:`key_fingerprint`), which the coordinator writes on the round's page.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import hmac
import io
import os
import secrets
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

PSEUDONYM_COLUMN = "client_pseudoniem"
MIN_KEY_BYTES = 16
FINGERPRINT_TEXT = b"jeugdhulp rondesleutel vingerafdruk"
_SEPARATORS = " .-/\u00a0"
_MAX_SHOWN = 20


def compact_insz(value: str) -> str:
    """``"85.07.30-033.28"`` -> ``"85073003328"``; a number Excel shortened to 10 digits (a
    leading zero lost, born 2000-2009) gets its zero back; ``85073003328.0`` loses ``.0``."""
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isascii() and text[:-2].isdigit():
        text = text[:-2]
    text = "".join(ch for ch in text if ch not in _SEPARATORS)
    if len(text) == 10 and text.isascii() and text.isdigit():
        text = "0" + text
    return text


def _is_valid_stdlib(number: str) -> bool:
    """The rules of python-stdnum's ``be.nn`` and ``be.bis`` (national and BIS numbers)."""
    # isdigit() also accepts other scripts' digits (e.g. Arabic-Indic); an INSZ is ASCII.
    if len(number) != 11 or not (number.isascii() and number.isdigit()) or int(number) == 0:
        return False
    month = int(number[2:4])
    if not (0 <= month <= 12 or 20 <= month <= 32 or 40 <= month <= 52):
        return False
    check = int(number[9:])
    if 97 - int(number[:9]) % 97 == check:
        return True
    # Born in 2000 or later: the check number is computed over "2" + the first nine digits.
    born_2000s_possible = int(number[:2]) + 2000 <= dt.date.today().year
    return born_2000s_possible and 97 - int("2" + number[:9]) % 97 == check


try:
    from stdnum.be import bis, nn
except ImportError:  # a partner's plain Python
    is_valid_insz_compact = _is_valid_stdlib
else:

    def is_valid_insz_compact(number: str) -> bool:
        return nn.is_valid(number) or bis.is_valid(number)


def is_insz(value: str) -> bool:
    """Whether ``value`` is a valid national or BIS number (separators allowed)."""
    return is_valid_insz_compact(compact_insz(value))


def pseudonym(key: bytes, insz: str) -> str:
    """HMAC-SHA256 of the 11-digit INSZ with the round key, as 64 lowercase hex characters."""
    return hmac.new(key, compact_insz(insz).encode("ascii"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """A short check value of the round key (``3f5a-09c1-7be2-d480``), to compare keys without
    showing them: the first 64 bits of HMAC-SHA256(key, a fixed text), the way a key check value
    is made. It may be written on the platform for a key that ``--new-key`` made (256 random
    bits: no guess can be checked against it in any useful time). A key a person chose can be
    guessed, and each guess checked against the fingerprint offline without an INSZ: use only
    keys this program makes."""
    digest = hmac.new(key, FINGERPRINT_TEXT, hashlib.sha256).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def read_key(path: Path) -> bytes:
    """The round key: the file's content without surrounding whitespace, at least 16 bytes."""
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"de sleutel in {path.name} is te kort ({len(key)} tekens; minstens {MIN_KEY_BYTES})."
        )
    return key


def new_key(path: Path) -> None:
    """Write a fresh random round key (64 hex characters); never overwrites a key."""
    with path.open("x", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def _normalise_header(name: object) -> str:
    text = unicodedata.normalize("NFKD", str(name or "").replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()
    return "_".join(text.replace("-", " ").split())


class _Table:
    """Rows of a CSV or XLSX file, with how to write them back in the same form."""

    def __init__(self, header: list[str], rows: list[list[object]], delimiter: str | None):
        self.header, self.rows, self.delimiter = header, rows, delimiter


def _read_csv(path: Path) -> _Table:
    raw = path.read_bytes()
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ValueError(f"{path.name} is geen tekstbestand in UTF-8 of Windows-1252.")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t|", key=first.count) if first else ";"
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"{path.name} is leeg.")
    return _Table(rows[0], [list(r) for r in rows[1:]], delimiter)


def _read_xlsx(path: Path) -> _Table:
    try:
        # Only here: optional on a partner's plain Python, and 0.7 s (time.perf_counter)
        # that a CSV does not need.
        import openpyxl
    except ImportError:
        raise ValueError(
            "voor Excel-bestanden is het pakket openpyxl nodig (pip install openpyxl); "
            "of sla het bestand op als CSV."
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:
        raise ValueError(f"{path.name} is geen leesbare Excel-werkmap (.xlsx).") from None
    try:
        title = next((t for t in book.sheetnames if t.strip().lower() == "data"), None)
        sheet = book[title or book.sheetnames[0]]
        sheet.reset_dimensions()
        rows: list[list[object]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    rows = [r for r in rows if any(c is not None and str(c).strip() for c in r)]
    if not rows:
        raise ValueError(f"{path.name} is leeg.")
    return _Table(["" if c is None else str(c) for c in rows[0]], rows[1:], None)


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def pseudonymize_table(table: _Table, key: bytes, column: str) -> list[str]:
    """Replace ``column`` by ``client_pseudoniem`` in place; return problems (then unchanged)."""
    names = [_normalise_header(h) for h in table.header]
    wanted = _normalise_header(column)
    if wanted not in names:
        return [f"kolom '{column}' niet gevonden; kolommen: {', '.join(table.header)}."]
    source = names.index(wanted)
    target = names.index(PSEUDONYM_COLUMN) if PSEUDONYM_COLUMN in names else None
    problems: list[str] = []
    values: list[str | None] = []
    for number, row in enumerate(table.rows, start=2):
        cell = row[source] if source < len(row) else None
        text = "" if cell is None else str(cell).strip()
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            text = f"{int(cell):011d}" if float(cell).is_integer() else str(cell)
        if not text:
            existing = row[target] if target is not None and target < len(row) else None
            if existing is None or not str(existing).strip():
                problems.append(
                    f"rij {number}, kolom {column}: leeg, en er is geen eigen nummer ('L-...') in "
                    f"{PSEUDONYM_COLUMN}: vul het rijksregisternummer of een eigen nummer in."
                )
            values.append(None)
        elif is_insz(text):
            values.append(pseudonym(key, text))
        else:
            problems.append(
                f"rij {number}, kolom {column}: waarde '{text}': geen geldig rijksregister- of "
                "BIS-nummer (11 cijfers met een kloppend controlegetal). Kijk het nummer na op "
                "de identiteitskaart of het ISI+-kaartje."
            )
            values.append(None)
    if problems:
        return problems
    for row, value in zip(table.rows, values, strict=True):
        row.extend([None] * (len(table.header) - len(row)))
        if target is None:
            row[source] = value
        else:
            if value is not None:
                row[target] = value
            row[source] = None
    if target is None:
        table.header[source] = PSEUDONYM_COLUMN
    else:
        del table.header[source]
        for row in table.rows:
            del row[source]
    return []


def _cell_out(value: object) -> object:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


def _write(table: _Table, out: Path, as_xlsx: bool) -> None:
    """Write to a temporary file beside ``out`` and rename it: never a half-written output."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".pseudo-", suffix=out.suffix)
    os.close(handle)
    try:
        if as_xlsx:
            import openpyxl  # as in _read_xlsx: optional, 0.7 s

            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet("data")
            sheet.append(table.header)
            for row in table.rows:
                sheet.append([_cell_out(c) for c in row])
            book.save(temporary)
        else:
            with open(temporary, "w", encoding="utf-8-sig", newline="") as target:
                writer = csv.writer(target, delimiter=table.delimiter or ";")
                writer.writerow(table.header)
                writer.writerows(["" if c is None else c for c in row] for row in table.rows)
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jeugdhulp pseudonymize",
        description="Vervang rijksregisternummers (INSZ) door pseudoniemen, bij de partner.",
    )
    parser.add_argument("--key-file", required=True, type=Path, help="bestand met de sleutel")
    parser.add_argument("--column", default="insz", help="kolom met de rijksregisternummers")
    parser.add_argument(
        "--new-key", action="store_true", help="maak eerst een nieuwe sleutel in --key-file"
    )
    parser.add_argument(
        "--fingerprint",
        action="store_true",
        help="toon alleen de vingerafdruk van de sleutel (om te vergelijken met de ronde)",
    )
    parser.add_argument("input", type=Path, nargs="?", help="CSV- of XLSX-bestand")
    parser.add_argument("output", type=Path, nargs="?", help="uitvoerbestand (.csv of .xlsx)")
    args = parser.parse_args(argv)
    if args.new_key:
        try:
            new_key(args.key_file)
        except FileExistsError:
            print(f"fout: {args.key_file} bestaat al; een sleutel wordt nooit overschreven.")
            return 1
        print(f"Nieuwe sleutel geschreven in {args.key_file}. Deel hem alleen met de partners.")
        print(
            f"Vingerafdruk: {key_fingerprint(read_key(args.key_file))}. Vul die in op de pagina "
            "van de ronde; de sleutel zelf komt nooit op het platform."
        )
        if args.input is None:
            return 0
    if args.fingerprint:
        try:
            print(f"Vingerafdruk van de sleutel: {key_fingerprint(read_key(args.key_file))}")
        except (OSError, ValueError) as error:
            print(f"fout: {getattr(error, 'strerror', None) or error}")
            return 1
        return 0
    if args.input is None or args.output is None:
        parser.error("geef een invoer- en een uitvoerbestand")
    if args.input.resolve() == args.output.resolve():
        parser.error("het uitvoerbestand moet een ander bestand zijn dan het invoerbestand")
    try:
        key = read_key(args.key_file)
        table = _read_xlsx(args.input) if _is_xlsx(args.input) else _read_csv(args.input)
    except (OSError, ValueError) as error:
        print(f"fout: {getattr(error, 'strerror', None) or error}")
        return 1
    problems = pseudonymize_table(table, key, args.column)
    if problems:
        for line in problems[:_MAX_SHOWN]:
            print(line)
        if len(problems) > _MAX_SHOWN:
            print(f"... en nog {len(problems) - _MAX_SHOWN} problemen.")
        print(
            f"{len(problems)} problemen: niets geschreven. Verbeter het bestand en probeer opnieuw."
        )
        return 1
    as_xlsx = args.output.suffix.lower() == ".xlsx"
    try:
        _write(table, args.output, as_xlsx)
    except (OSError, ImportError) as error:
        print(f"fout bij het schrijven van {args.output}: {error}")
        return 1
    print(
        f"{len(table.rows)} rijen gepseudonimiseerd naar {args.output}; de kolom "
        f"'{args.column}' is verwijderd."
    )
    print(
        f"Gebruikte sleutel: vingerafdruk {key_fingerprint(key)}. Staat op de pagina van de "
        "ronde een andere vingerafdruk, lever dan niet aan: vraag de coördinator de juiste sleutel."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
