"""Load test of the request monitor on PostgreSQL.

A fresh database (``jeugdhulp_bench`` on the local server, or ``JEUGDHULP_BENCH_DATABASE_URL``)
gets 20 networks of 5 partners and ``ROWS`` (1,000,000) requests spread over three years, made
by the demo's simulator and written with ``bulk_create`` in batches. The app then runs under
gunicorn (4 workers x 2 threads, app preloaded) and 20 concurrent virtual users act for
``SECONDS``: each is a coordinator who opens the network dashboard (default period: the last
12 months) or a registrant who registers a request through the API, half each, with an
exponential think time of mean ``THINK`` seconds between actions (people read the page before
the next click), after an unmeasured warm-up request of each kind per user. Latencies are
measured by the client (connection and response included); any status other than 200/201 is an
error. Targets: p95 dashboard <= 300 ms, p95 registration <= 150 ms, no errors.

Run it with ``make bench`` or ``python -m benchmarks.bench_requests [ROWS]``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

ROWS = 1_000_000
NETWORKS = 20
USERS = 20
SECONDS = 60
THINK = 1.0
BATCH = 10_000
SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "jeugdhulp_bench"
PASSWORD = "bench-wachtwoord-2026"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def _environment(var: Path) -> dict:
    from cryptography.fernet import Fernet

    url = os.environ.get("JEUGDHULP_BENCH_DATABASE_URL", f"{SERVER}/{DB_NAME}")
    key_file = var / "bench_key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
    return {
        **os.environ,
        "DATABASE_URL": url,
        "JEUGDHULP_VAR_DIR": str(var),
        "JEUGDHULP_FIELD_KEYS": key_file.read_text(),
        "JEUGDHULP_QUEUE": "immediate",
        "JEUGDHULP_LOGIN_FAILURES": "1000",
        "DJANGO_SETTINGS_MODULE": "jeugdhulp.settings",
    }


def _recreate_database() -> None:
    import psycopg

    if "JEUGDHULP_BENCH_DATABASE_URL" in os.environ:
        return
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def load(rows: int) -> None:
    """(In the child process, with the bench database configured.) Organisations, users,
    municipalities with population, and ``rows`` simulated requests."""
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from jeugdhulp.accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from jeugdhulp.demo.requests import PARTNERS, simulate, store
    from jeugdhulp.reference.models import Area, AreaLevel, PopulationCount

    codes = [f"B{i:04d}" for i in range(200)]
    areas = Area.objects.bulk_create(
        Area(
            code=c,
            naam=f"Benchgemeente {c}",
            level=AreaLevel.GEMEENTE,
            vintage="2025",
            fictief=True,
        )
        for c in codes
    )
    PopulationCount.objects.bulk_create(
        PopulationCount(area=a, year=2025, sex="T", age_from=0, age_to=24, population=5000)
        for a in areas
    )
    today = dt.date.today()
    rng = np.random.default_rng(2026)
    per_network = rows // NETWORKS
    for n in range(NETWORKS):
        network = Organisation.objects.create(
            code=f"NET{n:02d}", naam=f"Netwerk {n}", soort=OrganisationKind.SAMENWERKINGSVERBAND
        )
        partners = {}
        for code in PARTNERS:
            org = Organisation.objects.create(
                code=f"{code}-{n:02d}", naam=f"{code} {n}", soort=OrganisationKind.VOORZIENING
            )
            org.netwerken.add(network)
            partners[code] = org
        coordinator = User.objects.create_user(f"coord{n:02d}", password=PASSWORD)
        Membership.objects.create(user=coordinator, organisatie=network, rol=Role.COORDINATOR)
        registrant = User.objects.create_user(f"aanmelder{n:02d}", password=PASSWORD)
        clb = partners["DEMO-CLB"]
        Membership.objects.create(user=registrant, organisatie=clb, rol=Role.AANMELDER)
        municipalities = codes[n * 10 : n * 10 + 10]
        for start in range(0, per_network, BATCH):
            size = min(BATCH, per_network - start)
            store(
                simulate(rng, size, today, partners, municipalities, days=3 * 365),
                registrant,
                clb,
                offset=start,
            )
        print(f"network {n + 1}/{NETWORKS} loaded", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # API keys of the registrants, as ``jeugdhulp token`` makes them.
    keys = [
        Token.objects.get_or_create(
            user__username=f"aanmelder{n:02d}",
            defaults={"user": User.objects.get(username=f"aanmelder{n:02d}")},
        )[0].key
        for n in range(NETWORKS)
    ]
    (Path(os.environ["JEUGDHULP_VAR_DIR"]) / "tokens.json").write_text(json.dumps(keys))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=60)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server at {url} did not start")


class VirtualUser(threading.Thread):
    def __init__(self, base: str, number: int, token: str, start, results: dict, lock):
        super().__init__(daemon=True)
        self.base, self.number, self.token, self.start_line = base, number, token, start
        self.until = 0.0
        self.results, self.lock = results, lock
        self.rng = random.Random(number)
        self.network = number % NETWORKS
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def _login(self) -> None:
        page = self.opener.open(f"{self.base}/accounts/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {
                "username": f"coord{self.network:02d}",
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf,
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/accounts/login/", data=data, headers={"Referer": self.base}
        )
        self.opener.open(request).read()

    def _timed(self, kind: str, request, measured: bool = True) -> None:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                ok = response.status in (200, 201)
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        if not measured:
            return
        with self.lock:
            self.results[kind].append(elapsed)
            if not ok:
                self.results["errors"].append(kind)

    def run(self) -> None:
        self._login()
        body = {
            "kanaal": "hulpverlener_met_gezin",
            "gemeente": f"B{self.network * 10:04d}",
            "geboortejaren": [2015],
            "domeinen": ["school"],
            "urgentie": "gemiddeld",
            "toestemming": True,
            "partners": [f"DEMO-CGG-{self.network:02d}"],
            "gezin": {"naam": "Gezin Bench (fictief)", "telefoon": "0000 000000", "email": ""},
        }
        dashboard = f"{self.base}/aanmeldingen/dashboard/?netwerk=NET{self.network:02d}"

        def registration():
            return urllib.request.Request(
                f"{self.base}/api/v1/aanmeldingen/",
                data=json.dumps(body).encode(),
                headers={
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                },
            )

        # Warm-up (not measured): every worker process has loaded the app and its caches.
        self._timed("dashboard", dashboard, measured=False)
        self._timed("registratie", registration(), measured=False)
        self.start_line.wait()
        self.until = time.monotonic() + SECONDS
        while time.monotonic() < self.until:
            time.sleep(self.rng.expovariate(1 / THINK))
            if self.rng.random() < 0.5:
                self._timed("dashboard", dashboard)
            else:
                self._timed("registratie", registration())


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95, method="inverted_cdf")) if values else float("nan")


def run(rows: int = ROWS) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        env = _environment(var)
        _recreate_database()
        subprocess.run([BIN / "jeugdhulp", "migrate", "-v0"], env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_requests", "--load", str(rows)],
            env=env,
            check=True,
            cwd=ROOT,
        )
        load_seconds = time.monotonic() - started
        tokens = json.loads((var / "tokens.json").read_text())
        port = _free_port()
        server = subprocess.Popen(
            [
                BIN / "gunicorn",
                "jeugdhulp.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "4",
                "--threads",
                "2",
                "--preload",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/accounts/login/")
            results = {"dashboard": [], "registratie": [], "errors": []}
            lock = threading.Lock()
            start = threading.Barrier(USERS)
            users = [
                VirtualUser(base, i, tokens[i % NETWORKS], start, results, lock)
                for i in range(USERS)
            ]
            for user in users:
                user.start()
            for user in users:
                user.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"rows": rows, "load_seconds": load_seconds, **results}


def main(rows: int = ROWS) -> str:
    r = run(rows)
    lines = [
        "## Request monitor under load (`benchmarks/bench_requests.py`)",
        "",
        f"PostgreSQL, {r['rows']:,} requests in {NETWORKS} networks "
        f"(loaded in {r['load_seconds']:.0f} s), "
        f"gunicorn 4 workers × 2 threads, {USERS} concurrent users for {SECONDS} s with "
        f"{THINK:g} s mean think time; client-side latency.",
        "",
        "| action | requests | median (ms) | p95 (ms) | target p95 (ms) |",
        "|---|---|---|---|---|",
    ]
    for kind, target in (("dashboard", 300), ("registratie", 150)):
        values = r[kind]
        median = statistics.median(values) if values else float("nan")
        lines.append(f"| {kind} | {len(values)} | {median:.0f} | {p95(values):.0f} | {target} |")
    lines += ["", f"Errors: {len(r['errors'])}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--load":
        load(int(sys.argv[2]))
    else:
        print(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
