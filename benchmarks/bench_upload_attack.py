"""Benchmark of hostile uploads (issue #12, finding 4): time and peak memory of reading the worst
files we could craft, with the default limits (50 MB, 1,000,000 rows), before and after.

*before*: ``read_table`` of the code this branch started from (taken from git, the merge base
with ``main``), in the reading process itself, as the web application did. *after*: what the
web application does now: :func:`jeugdhulp.data.bounded.run_bounded` with the default settings
(512 MB + 3 MB per 1,000 rows of address space, 300 s) around ``read_table``. Each run is a
fresh process; *before* runs get an address-space cap of 4 GB so that a case cannot take the
shared machine down. Peak memory: the largest summed proportional set size of the process and
its descendants (the forkserver and the reading child), sampled every 0.05 s, or the process's
own maximum resident size when larger. Run it with ``python -m benchmarks.run upload_attack``.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNS = 3
SAMPLE_SECONDS = 0.05
BEFORE_CAP_BYTES = 4 * 2**30
MAX_BYTES, MAX_ROWS = 50 * 2**20, 1_000_000


def _sheet(path: Path, parts) -> Path:
    from jeugdhulp.data.tests.test_upload_limits import crafted_workbook

    crafted_workbook(path, b"")  # the frame of a workbook, then its sheet rewritten as a stream
    with zipfile.ZipFile(path) as archive:
        others = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in others.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for part in parts:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _tiny_rows(count: int):
    yield b'<row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>'
    for start in range(2, count + 2, 100_000):
        stop = min(start + 100_000, count + 2)
        yield b"".join(
            b'<row r="%d"><c><v>%d</v></c></row>' % (i, i % 97) for i in range(start, stop)
        )


def cases(folder: Path) -> dict[str, Path]:
    csv_path = folder / "regels.csv"
    with csv_path.open("wb") as handle:  # just under the byte limit: 26 million rows of "1"
        handle.write(b"a\n")
        handle.write(b"1\n" * ((MAX_BYTES - 100) // 2))
    far = b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    return {
        "XLSX, 2,000,000 rows of one number": _sheet(folder / "rijen.xlsx", _tiny_rows(2_000_000)),
        "CSV, 26,214,350 rows of one character (50 MB)": csv_path,
        "XLSX, two cells far apart (A1, XFD1048576)": _sheet(
            folder / "verspreid.xlsx",
            [far + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'],
        ),
        "XLSX, two cells 50,000 rows x 702 columns apart (A1, ZZ50000)": _sheet(
            folder / "raster.xlsx", [far + b'<row r="50000"><c r="ZZ50000"><v>1</v></c></row>']
        ),
        "XLSX, two cells 120,000 rows x 702 columns apart (A1, ZZ120000)": _sheet(
            folder / "groot-raster.xlsx",
            [far + b'<row r="120000"><c r="ZZ120000"><v>1</v></c></row>'],
        ),
    }


def _before_module(folder: Path):
    """``jeugdhulp.data.tabular`` as it was on the merge base with main (None without git)."""
    try:
        base = subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        source = subprocess.run(
            ["git", "show", f"{base}:src/jeugdhulp/data/tabular.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    (folder / "tabular_before.py").write_text(source, encoding="utf-8")
    return base[:7]


def _reader(code: str, path: str, folder: str) -> str:
    """Runs in the measured process: read once, say how it ended."""
    from jeugdhulp.data.errors import InputError

    if code == "before":
        sys.path.insert(0, folder)
        resource.setrlimit(resource.RLIMIT_AS, (BEFORE_CAP_BYTES, BEFORE_CAP_BYTES))
        import tabular_before

        def read():
            return tabular_before.read_table(path, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    else:
        from jeugdhulp.data.bounded import Bounds, run_bounded
        from jeugdhulp.data.tabular import read_table

        bounds = Bounds((512 + 3 * MAX_ROWS // 1000) * 2**20, 300)

        def read():
            return run_bounded(
                read_table,
                path,
                bounds=bounds,
                file=Path(path).name,
                max_bytes=MAX_BYTES,
                max_rows=MAX_ROWS,
            )

    try:
        frame = read()
    except InputError as error:
        return "refused: " + error.problems[0].message
    except MemoryError:
        return "MemoryError at the 4 GB cap"
    return f"read {len(frame):,} rows"


def _tree_pss_mb(pid: int) -> float:
    from benchmarks.bench_analysis import _tree_pss_mb

    return _tree_pss_mb(pid)


def measure(code: str, path: Path, folder: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_upload_attack",
        "--read",
        code,
        str(path),
        str(folder),
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=errors)
        peak = 0.0
        while True:
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done:
                break
            peak = max(peak, _tree_pss_mb(child.pid))
            time.sleep(SAMPLE_SECONDS)
        wall = time.perf_counter() - start
        out.seek(0)
        said = out.read().decode(errors="replace").strip().splitlines()
    code_ = os.waitstatus_to_exitcode(status)
    outcome = (
        said[-1]
        if code_ == 0 and said
        else f"process ended by signal {-code_}"
        if code_ < 0
        else f"exit {code_}"
    )
    return {"wall": wall, "peak": max(peak, usage.ru_maxrss / 1024), "outcome": outcome}


def run(runs: int = RUNS) -> tuple[str | None, dict]:
    results: dict = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base = _before_module(folder)
        for label, path in cases(folder).items():
            size = path.stat().st_size
            for code in ("before", "after") if base else ("after",):
                runs_ = [measure(code, path, folder) for _ in range(runs)]
                results[(label, code)] = {
                    "size": size,
                    "wall": statistics.median(r["wall"] for r in runs_),
                    "peak": statistics.median(r["peak"] for r in runs_),
                    "outcome": runs_[-1]["outcome"],
                }
    return base, results


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main(runs: int = RUNS) -> str:
    before_load = _load()
    base, results = run(runs)
    lines = [
        "## Hostile uploads (`benchmarks/bench_upload_attack.py`)",
        "",
        f"The worst files we could craft against the default limits (50 MB, 1,000,000 rows), "
        f"{dt.date.today():%Y-%m-%d}, median of {runs} runs, each a fresh process. *before*: the "
        f"reader at {base or '(no git)'} (merge base with main) in the reading process, capped at "
        "4 GB of address space for this benchmark; *after*: as the web application reads an "
        "upload now, in a bounded child process (default 3,512 MB, 300 s). Peak: summed "
        "proportional set size of the process and its children (sampled every 0.05 s) or its "
        f"maximum resident size. Load average before and after: {before_load} / {_load()} "
        "(the machine was shared with other jobs: times are upper bounds).",
        "",
        "| file | size | code | time (s) | peak memory (MB) | outcome |",
        "|---|---|---|---|---|---|",
    ]
    for (label, code), r in results.items():
        size = f"{r['size'] / 2**20:.1f} MB" if r["size"] >= 2**20 else f"{r['size'] / 1024:.1f} KB"
        outcome = r["outcome"].replace("|", "/")
        if len(outcome) > 110:
            outcome = outcome[:107] + "..."
        lines.append(
            f"| {label} | {size} | {code} | {r['wall']:.1f} | {r['peak']:.0f} | {outcome} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        print(_reader(sys.argv[2], sys.argv[3], sys.argv[4]))
    else:
        print(main(int(sys.argv[1]) if sys.argv[1:] else RUNS))
