"""Benchmark of a snapshot upload: validating and importing 250,000 rows (CSV and XLSX).

Validation is ``read_snapshot`` with the round's peildatum, area codes, sites and forms of help;
the import is ``rounds.services.import_file`` (validation + one transaction of bulk inserts) on a
fresh SQLite database in a child process, so it never touches another benchmark's Django set-up.
Each run re-uploads the file (the partner's next version). The XLSX holds numbers and dates as a
filled-in template does. Run it with ``make bench`` or ``python -m benchmarks.bench_snapshot``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 250_000
RUNS = 3
TARGET_SECONDS = 30
PEILDATUM = dt.date(2023, 2, 10)
SITES = [f"V{i:03d}" for i in range(40)]
RESIDENCES = [f"{71000 + i}" for i in range(40)] + ["3600", "3500", "BUITENLAND"]


def _files(folder: Path, rows: int) -> dict[str, Path]:
    import openpyxl

    from jeugdhulp.snapshot.synthetic import synthetic_snapshot

    frame = synthetic_snapshot(
        rows, peildatum=PEILDATUM, sites=SITES, residences=RESIDENCES, seed=4, children=rows
    )
    csv_path = folder / "foto.csv"
    frame.to_csv(csv_path, sep=";", index=False)
    # As a partner's filled-in template holds them: numbers as numbers, dates as dates.
    typed = frame.astype(object)
    for column in ("geboortejaar", "geboortemaand"):
        typed[column] = [int(v) if v else None for v in frame[column]]
    typed["startdatum"] = [dt.date.fromisoformat(v) if v else None for v in frame["startdatum"]]
    xlsx_path = folder / "foto.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(frame.columns))
    for row in typed.itertuples(index=False):
        sheet.append(list(row))
    book.save(xlsx_path)
    return {"CSV": csv_path, "XLSX": xlsx_path}


def _child(folder: Path) -> dict:
    """Runs in a fresh interpreter with DATABASE_URL pointing at an empty SQLite file."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdhulp.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from jeugdhulp.accounts.models import Organisation
    from jeugdhulp.reference.models import HulpVorm, Site
    from jeugdhulp.rounds.models import Round
    from jeugdhulp.rounds.services import import_file
    from jeugdhulp.snapshot.reader import read_snapshot

    region = Organisation.objects.create(code="B-IROJ", naam="Bench IROJ", soort="iroj")
    partner = Organisation.objects.create(code="B-P", naam="Bench partner", soort="voorziening")
    for code in SITES:
        Site.objects.create(code=code, naam=code, organisatie=partner, lon=5.3, lat=50.9)
    ronde = Round.objects.create(naam="bench", peildatum=PEILDATUM, organisatie=region)
    ronde.partners.add(partner)
    ronde.hulpvormen.set(HulpVorm.objects.all())
    results = {}
    for label, path in _files(folder, ROWS).items():
        validate, total, ok = [], [], True
        for _ in range(RUNS):
            start = time.perf_counter()
            checked = read_snapshot(path, peildatum=PEILDATUM, site_codes=set(SITES))
            validate.append(time.perf_counter() - start)
            # Every run is a re-upload: the partner's next version, the previous one kept.
            start = time.perf_counter()
            upload, _ = import_file(ronde, partner, path)
            total.append(time.perf_counter() - start)
            ok = ok and checked.ok and upload.status == "aanvaard"
        results[label] = {
            "rows": checked.rows_read,
            "ok": ok,
            "validate": statistics.median(validate),
            "import": statistics.median(total),
            "mb": path.stat().st_size / 2**20,
        }
    return results


def run() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_snapshot", "--child", folder],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> str:
    before = _load()
    results = run()
    lines = [
        "## Snapshot upload (`benchmarks/bench_snapshot.py`)",
        "",
        f"{ROWS:,} synthetic rows, one partner, {dt.date.today():%Y-%m-%d}, median of {RUNS} "
        f"runs (load average before and after: {before} / {_load()}). *validate*: "
        "`read_snapshot` (read + every rule); *validate + import*: `import_file` (validation, "
        "then one transaction of bulk inserts into a fresh SQLite database). "
        f"Target: validate + import in at most {TARGET_SECONDS} s.",
        "",
        "| format | MB | validate (s) | rows/s | validate + import (s) | rows/s | ≤ target |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['mb']:.1f} | {r['validate']:.1f} | {r['rows'] / r['validate']:,.0f} "
            f"| {r['import']:.1f} | {r['rows'] / r['import']:,.0f} "
            f"| {'yes' if r['ok'] and r['import'] <= TARGET_SECONDS else 'no'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(Path(sys.argv[2]))))
    else:
        print(main())
