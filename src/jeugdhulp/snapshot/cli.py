"""``jeugdhulp template`` and ``jeugdhulp validate``: file commands, no Django needed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from jeugdhulp.data.bounded import Bounds, run_bounded
from jeugdhulp.data.errors import InputError
from jeugdhulp.data.tabular import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS
from jeugdhulp.snapshot.reader import read_snapshot
from jeugdhulp.snapshot.report import report_lines, summary
from jeugdhulp.snapshot.template import write_csv, write_xlsx

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but wrong usage exits with 2 and a Dutch sentence (never a traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: verkeerd gebruik: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is geen datum (JJJJ-MM-DD of DD/MM/JJJJ)")


def template_main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="jeugdhulp template", description="Het sjabloon van de uitvraag.")
    parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
    parser.add_argument("-o", "--output", type=Path, required=True, help="uitvoerbestand")
    parser.add_argument("--peildatum", type=_date, help="peildatum van de ronde (optioneel)")
    args = parser.parse_args(argv)
    try:
        if args.format == "xlsx":
            write_xlsx(args.output, peildatum=args.peildatum)
        else:
            write_csv(args.output)
    except OSError as error:
        print(f"fout: {args.output} kan niet geschreven worden ({error.strerror}).")
        return EXIT_INPUT
    print(f"Sjabloon geschreven: {args.output}")
    return EXIT_OK


def validate_main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="jeugdhulp validate", description="Controleer een fotobestand.")
    parser.add_argument("file", type=Path, help="CSV- of XLSX-bestand")
    parser.add_argument("--areas", type=Path, help="gebieden van de ronde (woonplaatscodes)")
    parser.add_argument("--sites", type=Path, help="vestigingen van de ronde (CSV)")
    parser.add_argument("--peildatum", type=_date, help="peildatum (JJJJ-MM-DD)")
    parser.add_argument("--max-mb", type=float, default=DEFAULT_MAX_BYTES / 1024 / 1024)
    parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS)
    parser.add_argument(
        "--max-geheugen-mb",
        type=int,
        help="geheugen voor het lezen (standaard 512 MB + 3 MB per 1.000 toegelaten rijen)",
    )
    parser.add_argument("--max-seconden", type=float, default=300)
    parser.add_argument("--per-kind", type=int, default=10, help="regels per soort probleem")
    args = parser.parse_args(argv)

    try:
        area_codes = _area_codes(args.areas) if args.areas else None
        site_codes = _site_codes(args.sites) if args.sites else None
    except InputError as error:
        for problem in error.problems:
            print(problem if problem.file else f"{error.file}: {problem}")
        return EXIT_INPUT
    # Read in a child with bounded memory, as the web application does: a workbook with cells
    # far apart would otherwise end this process without a Dutch word.
    memory = (args.max_geheugen_mb or 512 + 3 * args.max_rows // 1000) * 2**20
    try:
        result = run_bounded(
            read_snapshot,
            args.file,
            bounds=Bounds(memory_bytes=memory, seconds=args.max_seconden),
            file=args.file.name,
            peildatum=args.peildatum,
            area_codes=area_codes,
            site_codes=site_codes,
            max_bytes=int(args.max_mb * 1024 * 1024),
            max_rows=args.max_rows,
        )
    except InputError as error:
        for problem in error.problems:
            print(problem)
        return EXIT_INPUT
    for line in report_lines(result.problems, per_kind=args.per_kind):
        print(line)
    if args.peildatum is None:
        print("Let op: zonder --peildatum zijn leeftijd en startdatum alleen aan vandaag getoetst.")
    if area_codes is None:
        print("Let op: zonder --areas zijn alleen postcodes gecontroleerd, geen NIS-codes.")
    print(
        summary(
            args.file.name,
            result.rows_read,
            result.problems,
            rows_ok=len(result.frame),
            children=result.unique_children,
        )
    )
    return EXIT_OK if result.ok else EXIT_INPUT


def _area_codes(path: Path) -> set[str]:
    # Only here: the reader imports geopandas, 0.7 s (time.perf_counter) that `validate` without
    # --gebieden does not pay.
    from jeugdhulp.data.areas import read_areas

    return set(read_areas(path)["code"])


def _site_codes(path: Path) -> set[str]:
    from jeugdhulp.data.sites import read_sites  # as read_areas above: geopandas

    return set(read_sites(path)["vestiging"])
