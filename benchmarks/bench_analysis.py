"""Benchmark of ``jeugdhulp analyze`` on a Flanders-scale synthetic round.

At scale 1: about 9,000 areas (sub-municipal, in 300 municipalities), 225,000 snapshot rows,
5 forms of help, 300 sites. Each run is a child process (``jeugdhulp analyze --quiet``); its wall
time and peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, so each run
gets its own interpreter) are measured, the median of several runs is reported per scale.
Run it with ``make bench`` (all benchmarks) or ``python -m benchmarks.bench_analysis``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jeugdhulp.data.demo_region import make_region
from jeugdhulp.snapshot.synthetic import synthetic_snapshot

PEILDATUM = dt.date(2025, 2, 10)
FORMS = ("BI", "KP", "CB", "BH", "VB")
FULL = {"areas": 9000, "municipalities": 300, "rows": 225_000, "sites": 300}
SCALES = (0.25, 0.5, 1.0, 2.0)
RUNS = 5
SAMPLE_SECONDS = 0.1
PARTNER_ROWS = 100_000
BIN = Path(sys.executable).with_name("jeugdhulp")


def write_round(folder: Path, scale: float, seed: int = 1) -> list[str]:
    """Write the round's input files into ``folder``; returns the ``analyze`` arguments."""
    region = make_region(
        seed,
        n_municipalities=max(2, round(FULL["municipalities"] * scale)),
        n_subareas=round(FULL["areas"] * scale),
        n_sites=round(FULL["sites"] * scale),
        area_km2=13_500 * scale,
        youth_per_subarea=225.0,
    )
    areas = folder / "gebieden.gpkg"
    region.subareas[["code", "naam", "geometry"]].to_file(areas, driver="GPKG")
    population = folder / "bevolking.csv"
    region.population.to_csv(population, index=False)
    covariates = folder / "covariaten.csv"
    region.subarea_covariates.to_csv(covariates, index=False)
    rng = np.random.default_rng(seed)
    sites = region.sites.assign(
        hulpvorm=rng.choice(FORMS, size=len(region.sites)),
        lon=region.sites.geometry.x,
        lat=region.sites.geometry.y,
    )
    sites = sites.drop_duplicates(["vestiging", "hulpvorm"])
    sites_file = folder / "vestigingen.csv"
    sites[["vestiging", "naam", "organisatie", "hulpvorm", "capaciteit", "lat", "lon"]].to_csv(
        sites_file, index=False
    )
    snapshot = synthetic_snapshot(
        round(FULL["rows"] * scale),
        peildatum=PEILDATUM,
        sites=sorted(sites["vestiging"].unique()),
        residences=list(rng.permutation(region.subareas["code"].to_numpy())),
        seed=seed,
    )
    # A child born in the peildatum's year without a birth month would be assumed born on
    # 1 July, after the peildatum (a quirk of the generator): give those the month of January.
    newborn = (snapshot["geboortejaar"] == str(PEILDATUM.year)) & (snapshot["geboortemaand"] == "")
    snapshot.loc[newborn, "geboortemaand"] = "1"
    # Five forms of help, as in the issue: fold the catalogue's codes onto them.
    codes = sorted(snapshot["hulpvorm"].unique())
    snapshot["hulpvorm"] = snapshot["hulpvorm"].map({c: FORMS[i % 5] for i, c in enumerate(codes)})
    snapshot = snapshot.drop_duplicates(["client_pseudoniem", "vestiging", "hulpvorm"])
    # Partners deliver separate files (each under the reader's 50 MB bound); a child seen by
    # two partners is still one child.
    snapshot_files = []
    for number, start in enumerate(range(0, len(snapshot), PARTNER_ROWS), start=1):
        path = folder / f"partner{number}.csv"
        snapshot.iloc[start : start + PARTNER_ROWS].to_csv(path, index=False)
        snapshot_files.append(str(path))
    return [
        "--areas", str(areas), "--population", str(population), "--covariates", str(covariates),
        "--sites", str(sites_file), "--snapshot", *snapshot_files,
        "--peildatum", PEILDATUM.isoformat(), "--seed", "1", "--quiet",
    ]  # fmt: skip


def _environment() -> dict[str, str]:
    """Bytecode caches on, as in an installed deployment: without them (this machine sets
    PYTHONDONTWRITEBYTECODE) every run compiles pandas, scipy, libpysal, ... anew, which took
    longer than the analysis itself. The caches go to a folder of their own, not the venv."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "jeugdhulp-bench-pycache")
    return env


def _load() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, so timings vary."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size (MB) of process ``pid`` and its descendants: the memory they
    use together, shared pages counted once (``analyze`` forks two readers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def measure(arguments: list[str], out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, the readers it forks included) and peak MB
    (summed proportional set size of its processes, sampled every 0.1 s: reading it costs
    CPU) of one
    ``jeugdhulp analyze`` in a fresh child process."""
    command = [str(BIN), "analyze", *arguments, "--out", str(out)]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would block it
        start = time.perf_counter()
        child = subprocess.Popen(command, env=_environment(), stderr=errors)
        peak = 0.0
        while True:
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done:
                break
            peak = max(peak, _tree_pss_mb(child.pid))
            time.sleep(SAMPLE_SECONDS)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"jeugdhulp analyze failed ({child.returncode}): {text}")
    return wall, usage.ru_utime + usage.ru_stime, peak


def main(scales=SCALES, runs: int = RUNS) -> str:
    lines = [
        "## Analysis (`jeugdhulp analyze`)",
        "",
        f"Synthetic round (``benchmarks/bench_analysis.py``), {len(FORMS)} forms of help, "
        "the default permutations (999 up to 1,000 areas, 9,999 up to 10,000, 99,999 above), "
        "covariates and sites; "
        f"median of {runs} runs after one warm-up run (bytecode caches written), each a fresh "
        "process (which reads the population and snapshot files in two forked processes); CPU = "
        "user + system seconds of it and its readers (less affected by other jobs than wall "
        "time); peak = the largest summed proportional set size of its processes (shared "
        "pages counted once), sampled every 0.1 s. Measured on "
        f"{dt.date.today().isoformat()}; load average before: {_load()} (the machine is shared "
        "with other jobs, so times are upper bounds).",
        "",
        "| scale | areas | snapshot rows | sites | time (s) | CPU (s) | peak memory (MB) "
        "| load after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale in scales:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            arguments = write_round(folder, scale)
            rows = sum(
                len(pd.read_csv(path, usecols=["vestiging"]))
                for path in folder.glob("partner*.csv")
            )
            if scale == scales[0]:
                measure(arguments, folder / "warm-up")
            results = [measure(arguments, folder / f"uit{i}") for i in range(runs)]
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        peak = statistics.median(r[2] for r in results)
        lines.append(
            f"| {scale:g} | {round(FULL['areas'] * scale):,} | {rows:,} | "
            f"{round(FULL['sites'] * scale)} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {_load()} |"
        )
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    scale_arguments = [float(a) for a in sys.argv[1:]] or SCALES
    print(main(scale_arguments))
