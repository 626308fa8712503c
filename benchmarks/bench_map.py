"""Benchmark of the map page with 10,000 areas: time to first paint, GeoJSON size, server time.

A child process builds a fresh SQLite database with a generated region of 10,000 sub-areas
(``jeugdhulp.data.demo_region.make_region``), stores it as reference data, analyses a synthetic
snapshot on it and stores the result exactly as the worker does (``results.services
.store_result``). The app is then served by ``jeugdhulp serve`` (gunicorn, as in production) and
Debian's chromium (Playwright) opens the map page five times with an empty cache: first paint is
the time from navigation start to the ``map-ready`` performance mark, which ``results/common.js``
sets in the animation frame after every area is styled, once Leaflet's canvas has drawn them in
that frame. Run it with
``python -m benchmarks.run bench_map`` (or ``make bench``).

The built database and its media folder are kept in ``var/bench-map/<key>`` and reused by the
next run: the key is :data:`BUILD_VERSION` (bump it when what ``_build`` stores changes), the
sizes above, the migrations (the schema) and ``results/geometry.py`` (the GeoJSON the map is
measured on). A new key builds afresh and removes the older folders; a build that fails leaves
nothing behind. Delete ``var/bench-map`` to force a rebuild.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The browser set-up of the browser tests (the repository root is on the path: run from there).
from conftest import BROWSER_ARGS, CHROMIUM

AREAS = 10_000
MUNICIPALITIES = 300
SNAPSHOT_ROWS = 60_000
RUNS = 5
TARGET_SECONDS = 2.0
PEILDATUM = dt.date(2025, 2, 10)
PASSWORD = "bench-wachtwoord-2026"
ROOT = Path(__file__).resolve().parent.parent
BUILD_VERSION = 2
CACHE = ROOT / "var" / "bench-map"
# Besides BUILD_VERSION, what invalidates a cached build when it changes.
KEY_SOURCES = ("src/jeugdhulp/*/migrations/0*.py", "src/jeugdhulp/results/geometry.py")


def _build(folder: Path) -> dict:
    """Child process: the database with one finished 10,000-area run and an analist."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdhulp.settings")
    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from jeugdhulp.accounts.models import Membership, Organisation, Role, User
    from jeugdhulp.analysis.pipeline import AnalysisParams, run_analysis
    from jeugdhulp.data.demo_region import make_region
    from jeugdhulp.reference.loading.areas import store_areas
    from jeugdhulp.reference.loading.population import store_population
    from jeugdhulp.reference.loading.sites import store_sites
    from jeugdhulp.reference.models import AreaLevel
    from jeugdhulp.results import services
    from jeugdhulp.results.inputs import reference_inputs
    from jeugdhulp.results.models import AnalysisRun, RunStatus
    from jeugdhulp.snapshot.reader import read_snapshot
    from jeugdhulp.snapshot.synthetic import synthetic_snapshot

    region = make_region(
        6, n_municipalities=MUNICIPALITIES, n_subareas=AREAS, n_sites=300, area_km2=13_500
    )
    for frame, niveau in (
        (region.municipalities, AreaLevel.GEMEENTE),
        (region.subareas, AreaLevel.SECTOR),
    ):
        store_areas(frame, niveau=niveau, vintage="2025", source="bench", fictief=True)
    store_population(region.population, vintage="2025", source="bench")
    store_sites(region.sites, source="bench", fictief=True)

    sites = sorted(region.sites["vestiging"])
    rows = synthetic_snapshot(
        SNAPSHOT_ROWS,
        peildatum=PEILDATUM,
        sites=sites,
        residences=list(region.subareas["code"]),
        seed=6,
    )
    path = folder / "foto.csv"
    rows.to_csv(path, sep=";", index=False)
    snapshot = read_snapshot(path, partner="BENCH", peildatum=PEILDATUM, site_codes=sites).frame

    started = time.perf_counter()
    inputs = reference_inputs(
        sorted(region.municipalities["code"]),
        snapshot,
        params=AnalysisParams(peildatum=PEILDATUM, permutations=99, seed=6, threshold=5),
    )
    result = run_analysis(inputs.analysis)
    iroj = Organisation.objects.create(code="BENCH-IROJ", naam="Bench IROJ", soort="iroj")
    run = AnalysisRun.objects.create(
        ronde_id=1,
        ronde_naam="Bench 10.000 gebieden",
        peildatum=PEILDATUM,
        regio=iroj,
        versie=1,
        status=RunStatus.RUNNING,
        parameters={"seed": 6, "permutations": 99, "threshold": 5},
    )
    services.store_result(run, result, inputs)
    analist = User.objects.create_user(username="bench-analist", password=PASSWORD)
    Membership.objects.create(user=analist, organisatie=iroj, rol=Role.ANALIST)
    return {
        "areas": len(inputs.map_areas),
        "analysis_seconds": time.perf_counter() - started,
        "login": reverse("login"),
        "map": reverse("results:kaart", args=[run.pk]),
        "geometry": reverse("results:geometry", args=[run.pk]),
        "values": reverse("results:values", args=[run.pk]) + "?hulpvorm=ALLE",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start on port {port}")


def _timed_get(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def _measure(base: str, urls: dict) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        login = browser.new_context()
        page = login.new_page()
        page.goto(base + urls["login"])
        page.get_by_label("Gebruikersnaam").fill("bench-analist")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()
        state = login.storage_state()
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
        login.close()
        paints, drawn = [], 0
        for _ in range(RUNS):
            # A fresh context each time: empty cache, so the GeoJSON is fetched again.
            context = browser.new_context(storage_state=state)
            page = context.new_page()
            page.goto(base + urls["map"])
            page.wait_for_selector("#map[data-ready='1']", timeout=120_000)
            paints.append(
                page.evaluate(
                    """() => new Promise(done => requestAnimationFrame(() => setTimeout(() =>
                        done(performance.getEntriesByName("map-ready")[0].startTime), 0)))"""
                )
                / 1000
            )
            drawn = int(page.get_attribute("#map", "data-areas"))
            context.close()
        browser.close()
    geometry = [_timed_get(base + urls["geometry"], cookie) for _ in range(RUNS)]
    values = [_timed_get(base + urls["values"], cookie) for _ in range(RUNS)]
    return {
        "paint": statistics.median(paints),
        "paints": paints,
        "drawn": drawn,
        "geometry_seconds": statistics.median(t for t, _ in geometry),
        "geometry_bytes": geometry[0][1],
        "values_seconds": statistics.median(t for t, _ in values),
        "values_bytes": values[0][1],
    }


def build_key() -> str:
    digest = hashlib.sha256(repr((AREAS, MUNICIPALITIES, SNAPSHOT_ROWS)).encode())
    for pattern in KEY_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return f"v{BUILD_VERSION}-{digest.hexdigest()[:12]}"


def _environment(folder: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        "JEUGDHULP_VAR_DIR": str(folder),
        "JEUGDHULP_MEDIA_DIR": f"{folder}/media",
        "JEUGDHULP_ENV": "development",
        "JEUGDHULP_QUEUE": "sqlite",
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cached_build() -> tuple[Path, dict]:
    """The folder of the built database for :func:`build_key` and what ``_build`` returned;
    built first when there is none."""
    folder = CACHE / build_key()
    if not (folder / "build.json").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.iterdir():
            shutil.rmtree(old)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE))
        try:
            started, before = time.perf_counter(), _children_cpu()
            output = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_map", "--child", str(building)],
                env=_environment(building),
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            built = json.loads(output.strip().splitlines()[-1])
            built["build_seconds"] = time.perf_counter() - started
            built["build_cpu_seconds"] = _children_cpu() - before
            built["built_on"] = dt.date.today().isoformat()
            (building / "build.json").write_text(json.dumps(built), encoding="utf-8")
            building.rename(folder)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return folder, json.loads((folder / "build.json").read_text(encoding="utf-8"))


def run() -> dict:
    folder, built = cached_build()
    env = _environment(folder)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jeugdhulp", "serve", "--no-worker", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        load = os.getloadavg()[0]
        measured = _measure(f"http://127.0.0.1:{port}", built)
    finally:
        server.terminate()
        server.wait(timeout=30)
    geojson = next(Path(folder, "media").rglob("gebieden.geojson")).read_bytes()
    measured["gzip_bytes"] = len(gzip.compress(geojson))
    measured["load"] = load
    return built | measured


def main() -> str:
    r = run()
    mb = 1_000_000
    return "\n".join(
        [
            "## Map with 10,000 areas (`benchmarks/bench_map.py`)",
            "",
            f"Generated region of {r['areas']:,} sub-areas ({MUNICIPALITIES} municipalities), "
            f"{SNAPSHOT_ROWS:,} synthetic snapshot rows, stored as the worker stores a run "
            f"(analysis with 99 permutations and storing: {r['analysis_seconds']:.0f} s; the "
            f"whole build {r['build_seconds']:.0f} s, {r['build_cpu_seconds']:.0f} CPU-s, on "
            f"{r['built_on']}, kept in "
            "`var/bench-map` for later runs); served by "
            "`jeugdhulp serve` (gunicorn) on this machine, Debian's chromium (headless, "
            f"Playwright), {dt.date.today():%Y-%m-%d}. Medians of {RUNS} page loads with an "
            "empty cache. *First paint*: navigation start → every area styled and drawn on the "
            "canvas (`map-ready` mark, in the frame that draws them). Server times: loopback "
            f"request incl. transfer. Target: first paint under {TARGET_SECONDS:.0f} s.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| areas drawn | {r['drawn']:,} |",
            f"| first paint (s), median | {r['paint']:.2f} |",
            f"| first paint (s), each run | {', '.join(f'{p:.2f}' for p in r['paints'])} |",
            f"| GeoJSON size (MB), raw / gzip | {r['geometry_bytes'] / mb:.2f} / "
            f"{r['gzip_bytes'] / mb:.2f} |",
            f"| GeoJSON endpoint (s) | {r['geometry_seconds']:.3f} |",
            f"| values endpoint, one form (s / MB) | {r['values_seconds']:.3f} / "
            f"{r['values_bytes'] / mb:.2f} |",
            f"| under target | {'yes' if r['paint'] < TARGET_SECONDS else 'no'} |",
            f"| machine load (1-min load average at the start) | {r['load']:.1f} |",
            "",
        ]
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_build(Path(sys.argv[2]))))
    else:
        print(main())
