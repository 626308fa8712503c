"""A crawl that looks like a person: sign in as a demo account on the home page, then click
through the site link by link (breadth-first, bounded) and look at every page reached.

Used by ``test_crawl.py`` (the crawl per role, in ``make test``) and ``scripts/screenshots.py``
(``make screenshots``). Everything runs against the real demo region (``jeugdhulp demo``),
built once into a cached folder under ``var/test-crawl/`` and served by ``jeugdhulp serve`` in a
child process, like ``make demo`` does.

The knobs (page caps, known strings, what counts as a download) are the constants below.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# ---------------------------------------------------------------------------------------------
# Knobs
# ---------------------------------------------------------------------------------------------

DEMO_PASSWORD = "demo-wachtwoord-2026"
ROLES = ("demo-beheerder", "demo-analist", "demo-coordinator", "demo-aanmelder", "demo-voorziening")

MAX_PAGES_PER_ROLE = 60  # the home page and pages opened by a click (not downloads)
PAGES_PER_PATTERN = 1  # pages per URL pattern (numbers -> <n>): one request, one admin form, ...
QUERY_VARIANTS_PER_PATH = 1  # '?page=2', '?o=1', admin filters: this many per path
DOWNLOADS_PER_PATTERN = 1  # downloads fetched (status only) per URL pattern
ENGLISH_PAGES = 8  # after the Dutch crawl: this many menu pages looked at in English
SCREENSHOT_PAGES = 25  # make screenshots: pages per role

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# Pages whose width is measured at MOBILE: the main pages, i.e. every crawled page up to this
# click depth (the home page is 0, its menu 1, what those pages link to 2), except admin pages.
MOBILE_MAX_DEPTH = 1
MOBILE_SKIP = re.compile(r"^/(en/)?beheer/")

NAVIGATION_TIMEOUT_MS = 30_000
SETTLE_MS = 3_000  # at most this long for a page's own fetches (maps, charts) after 'load'

# The language switch: the buttons a person clicks, by what they read.
TO_ENGLISH = "form.language-switch button:text-is('English')"
TO_DUTCH = "form.language-switch button:text-is('Nederlands')"
# Never clicked: signing out, the language switch (checked on its own), anything that writes.
# Matched against the path and query; admin pop-ups open a window, not a page.
SKIP_LINK = re.compile(
    r"/(accounts/)?logout/|/i18n/|/beheer/logout/|/delete/|/verwijderen/|/password_change/"
    r"|[?&]_popup=|[?&]_to_field=|[?&]_changelist_filters="
)
# Fetched (status only), not opened as a page.
DOWNLOAD_LINK = re.compile(
    r"\.(csv|xlsx|xls|pdf|zip|json|geojson|parquet|png|svg|txt|gpkg)$"
    r"|/download/|/export/|^/static/|^/media/|^/api/"
)

# Visible text that betrays a missing value, a JavaScript slip or a template tag shown as text
# (whole words, case-sensitive); 'None' only on Dutch pages (English ones may say "None available").
BAD_WORDS = re.compile(r"(?<![\w-])(nan|NaN|undefined)(?![\w-])|(\{#|#\}|\{%|%\}|\{\{|\}\})")
BAD_WORDS_ON_DUTCH = re.compile(r"(?<![\w-])(None)(?![\w-])")
# English left on a Dutch page (Django's admin and error pages, our own slips). Case-sensitive;
# whole words unless the entry has a space.
ENGLISH_ON_DUTCH = (
    "Choose",
    "by selecting them",
    "Reference",
    "Not Found",
    "Forbidden",
    "Server Error",
    "Bad Request",
    "Page not found",
    "Remove all",
    "Select all",
    "Available",
    "Chosen",
    "Log out",
    "Save and",
    "Add another",
    "Change password",
    "View site",
    "Welcome,",
    "Show all",
    "Search",
    "Today",
)
# Dutch left on an English page (not words that data - names, model labels - may hold).
DUTCH_ON_ENGLISH = (
    "Naar foto",
    "Van foto",
    "Afmelden",
    "Aanmelden",
    "Kaarten en rapporten",
    "Terug naar",
    "te weinig gegevens",
    "Toon",
    "Opslaan",
    "Bewaren",
    "Annuleren",
    "Zoeken",
)
# Text of a dead end: a page that is there but lets this person do nothing.
DEAD_END = ("U hebt geen rechten om iets te bekijken", "You don't have permission to view")
# Elements the result pages draw charts into: each must hold drawn SVG or canvas content.
CHART_SELECTOR = ".chart, [data-chart]"
# SVG attributes that hold one number (a decimal comma there is a parse error).
SVG_NUMBER_ATTRIBUTES = [
    *("width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry"),
    *("dx", "dy", "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity"),
]

# ---------------------------------------------------------------------------------------------
# The demo site: built once (cached by source), served from a copy
# ---------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "src" / "jeugdhulp"
CACHE = ROOT / "var" / "test-crawl"
# What the demo database depends on: the code (not its tests, templates, styles or catalogs).
_KEY_SKIP = ("tests", "templates", "static", "locale", "__pycache__")
_KEY_SUFFIXES = (".py", ".json", ".csv", ".geojson", ".txt")


def demo_key() -> str:
    digest = hashlib.sha256(DEMO_PASSWORD.encode())
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in _KEY_SUFFIXES and not set(relative.parts) & set(_KEY_SKIP):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _environment(folder: Path) -> dict[str, str]:
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JEUGDHULP_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return {
        **keep,
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "JEUGDHULP_VAR_DIR": str(folder),
        "JEUGDHULP_ENV": "development",
        "JEUGDHULP_QUEUE": "sqlite",
    }


def _jeugdhulp(*args: str) -> list[str]:
    return [sys.executable, "-m", "jeugdhulp", *args]


def demo_folder(log: Callable[[str], None] = lambda line: None) -> Path:
    """The folder of the built demo (database, keys, media) for :func:`demo_key`; built first
    (``jeugdhulp migrate`` + ``jeugdhulp demo``) when there is none. Processes that ask at the
    same time (pytest-xdist workers) wait for one build."""
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / f"demo-{demo_key()}"
    with open(CACHE / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "built").is_file():
            return folder
        for old in CACHE.glob("demo-*"):
            shutil.rmtree(old, ignore_errors=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE))
        try:
            env = _environment(building)
            started = time.monotonic()
            for command in (
                _jeugdhulp("migrate", "--noinput", "-v", "0"),
                _jeugdhulp("demo", "--password", DEMO_PASSWORD),
            ):
                done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
                if done.returncode:
                    raise RuntimeError(f"{' '.join(command[2:])} failed:\n{done.stderr[-3000:]}")
            seconds = time.monotonic() - started
            (building / "built").write_text(f"{seconds:.1f}\n", encoding="utf-8")
            building.rename(folder)
            log(f"demo built in {seconds:.0f} s into {folder}")
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_demo(port: int | None = None, workers: int = 2) -> Iterator[str]:
    """Serve a private copy of the built demo (what the crawl writes - sessions, audit lines -
    never reaches the cache); yields the base URL."""
    source = demo_folder()
    work = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE))
    shutil.copytree(source, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache"))
    port = port or _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        _jeugdhulp(
            "serve", "--port", str(port), "--no-worker", "--workers", str(workers), "--threads", "4"
        ),
        env=_environment(work),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "jeugdhulp serve did not answer:\n" + (work / "serve.log").read_text()
                    ) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------------------------


@dataclass
class Finding:
    url: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.url}  [{self.kind}] {self.detail}"


@dataclass
class Visit:
    url: str
    depth: int
    chain: tuple[str, ...]  # the hrefs clicked from the home page to get here
    trail: tuple[str, ...] = ()  # the URLs of the pages on the way, from home to here
    title: str = ""
    links: list[dict] = field(default_factory=list)
    seconds: float = 0.0  # from the click to the end of the look


@dataclass
class CrawlReport:
    username: str
    visits: list[Visit] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    english: list[Visit] = field(default_factory=list)  # the pages looked at in English
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"{self.username}: {len(self.visits)} pages, {len(self.downloads)} downloads, "
            f"{len(self.findings)} findings in {self.seconds:.0f} s"
        ]
        lines += [f"  {finding}" for finding in self.findings]
        return "\n".join(lines)


def pattern(url: str) -> str:
    """The URL's shape: numbers become <n>, a query string becomes '?'."""
    parts = urlsplit(url)
    shape = re.sub(r"/\d+(?=/|$|\.)", "/<n>", parts.path)
    return shape + ("?" if parts.query else "")


_PAGE_FACTS = """(args) => {
  const [chartSelector, numberAttributes] = args;
  const text = document.body ? document.body.innerText : "";
  const emptyCharts = [];
  document.querySelectorAll(chartSelector).forEach(function (element) {
    const drawn = element.querySelector(
      "svg path, svg rect, svg circle, svg line, svg polyline, svg polygon, canvas");
    const box = element.getBoundingClientRect();
    if (!drawn || box.width < 10 || box.height < 10) {
      emptyCharts.push(element.id || element.getAttribute("data-chart") || element.className);
    }
  });
  const commas = [];
  document.querySelectorAll("svg, svg *").forEach(function (element) {
    const viewBox = element.getAttribute("viewBox");
    if (viewBox !== null && viewBox.trim().split(/[\\s,]+/).length !== 4) {
      commas.push("<" + element.tagName + " viewBox=\\"" + viewBox + "\\">");
    }
    numberAttributes.forEach(function (name) {
      const value = element.getAttribute(name);
      if (value !== null && /\\d,\\d/.test(value)) {
        commas.push("<" + element.tagName + " " + name + "=\\"" + value + "\\">");
      }
    });
  });
  return {
    text: text,
    lang: document.documentElement.lang || "",
    title: document.title,
    emptyCharts: emptyCharts,
    commas: commas.slice(0, 5),
  };
}"""

_LINKS = """() => Array.from(document.querySelectorAll("a[href]")).map(function (a) {
  return {raw: a.getAttribute("href"), url: a.href, download: a.hasAttribute("download"),
          blank: a.target === "_blank"};
})"""

_WIDTH = """() => new Promise(function (done) {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    done(Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  }); });
})"""

# Records CSP violations (also reported on the console) with what was refused.
_CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.__cspViolations = window.__cspViolations || []).push(
    [e.violatedDirective, e.blockedURI || "inline", e.sourceFile || "", e.lineNumber || 0]);
});"""


def _word_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


class Crawl:
    """One person's walk: sign in as ``username`` and click through, recording findings."""

    def __init__(
        self,
        browser,
        base_url: str,
        username: str,
        password: str = DEMO_PASSWORD,
        *,
        max_pages: int = MAX_PAGES_PER_ROLE,
        english_pages: int = ENGLISH_PAGES,
        on_page: Callable[[object, Visit], None] | None = None,
    ):
        self.browser = browser
        self.base = base_url.rstrip("/")
        self.origin = urlsplit(self.base).netloc
        self.username = username
        self.password = password
        self.max_pages = max_pages
        self.english_pages = english_pages
        self.on_page = on_page
        self.report = CrawlReport(username)
        self.language = "nl"  # what the person chose last in the language switch
        self._events: list[tuple[str, str]] = []
        self._console_csp: list[str] = []
        self._inflight: set = set()  # requests sent and not yet answered
        self._trail: list[str] = []  # the browser's history since the home page (URLs)
        self._english = _word_pattern(ENGLISH_ON_DUTCH)
        self._dutch = _word_pattern(DUTCH_ON_ENGLISH)

    # -- events ------------------------------------------------------------------------------

    def _listen(self, page) -> None:
        def on_response(response):
            if response.status >= 400:
                self._events.append(("http", f"{response.status} {self._short(response.url)}"))

        def on_console(message):
            if message.type != "error":
                return
            text = message.text
            if text.startswith("Failed to load resource"):
                return  # the response itself is recorded, with its URL
            if "Content Security Policy" in text:
                self._console_csp.append(text[:300])
            else:
                self._events.append(("console", text[:300]))

        def on_failed(request):
            failure = request.failure or ""
            if "ERR_ABORTED" not in failure:  # a navigation away cancels what was loading
                self._events.append(("http", f"failed {failure} {self._short(request.url)}"))

        page.on("request", lambda request: self._inflight.add(request))
        page.on("requestfinished", lambda request: self._inflight.discard(request))
        page.on("requestfailed", lambda request: self._inflight.discard(request))
        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self._events.append(("js-error", str(error)[:300])))
        page.on("requestfailed", on_failed)
        page.add_init_script(_CSP_LISTENER)

    def _forget(self) -> None:
        self._events.clear()
        self._console_csp.clear()

    def _short(self, url: str) -> str:
        return url[len(self.base) :] if url.startswith(self.base) else url

    def _find(self, url: str, kind: str, detail: str) -> None:
        finding = Finding(self._short(url), kind, detail)
        if all(str(finding) != str(known) for known in self.report.findings):
            self.report.findings.append(finding)

    # -- moving about ------------------------------------------------------------------------

    def _settle(self, page) -> None:
        """Wait (at most SETTLE_MS) until the page's own requests after 'load' - map layers,
        chart data - are answered, so that their errors count for this page."""
        deadline = time.monotonic() + SETTLE_MS / 1000
        quiet = 0
        while time.monotonic() < deadline and quiet < 2:
            page.wait_for_timeout(50)
            quiet = quiet + 1 if not self._inflight else 0

    def _click(self, page, selector: str, *, settle: bool = True) -> bool:
        """Click the first visible element matching ``selector`` and wait for the new page."""
        candidates = page.locator(selector)
        for index in range(candidates.count()):
            target = candidates.nth(index)
            if target.is_visible():
                try:
                    with page.expect_navigation(wait_until="load", timeout=NAVIGATION_TIMEOUT_MS):
                        target.click()
                except PlaywrightTimeoutError:
                    self._find(page.url, "crawl", f"clicking {selector} opened no page")
                    return False
                self._trail.append(page.url)
                if settle:
                    self._settle(page)
                return True
        return False

    def _click_link(self, page, href: str, *, settle: bool = True) -> bool:
        return self._click(page, f"a[href={json.dumps(href)}]", settle=settle)

    def _go_home(self, page) -> None:
        page.goto(self.base + "/", wait_until="load")
        self._trail = [page.url]

    def _reach(self, page, visit: Visit) -> bool:
        """Be on ``visit``'s page again: back through the browser's history as far as the two
        trails agree, then along ``visit``'s clicks; or from the home page when that is no
        longer (every step back loads the page again: signed-in pages are not cached)."""
        if page.url == visit.url:
            return True
        shared = 0
        for here, there in zip(self._trail, visit.trail, strict=False):
            if here != there:
                break
            shared += 1
        back = len(self._trail) - shared
        if shared and back + len(visit.trail) - shared < len(visit.trail):
            with contextlib.suppress(PlaywrightTimeoutError):
                for _ in range(back):
                    page.go_back(wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
                    self._trail.pop()
                steps = visit.chain[shared - 1 :]
                arrived = page.url == visit.trail[shared - 1] and all(
                    self._click_link(page, href, settle=False) for href in steps
                )
                if arrived and page.url == visit.url:
                    return True
        self._go_home(page)
        for href in visit.chain:
            if not self._click_link(page, href, settle=False):
                return False
        return page.url == visit.url

    # -- looking -----------------------------------------------------------------------------

    def _look(self, page, visit: Visit, *, mobile: bool) -> None:
        """Record everything wrong with the page on screen and what it loaded."""
        url = page.url
        for kind, detail in self._events:
            self._find(url, kind, detail)
        self._forget()
        facts = page.evaluate(_PAGE_FACTS, [CHART_SELECTOR, SVG_NUMBER_ATTRIBUTES])
        visit.title = facts["title"]
        text = facts["text"]
        # A template's tag or comment shown as text (a {# … #} comment spans one line only).
        bad = ["".join(groups) for groups in BAD_WORDS.findall(text)]
        if self.language == "nl":
            bad += BAD_WORDS_ON_DUTCH.findall(text)
        for word in sorted(set(bad)):
            self._find(url, "text", f"shows {word!r}: …{_around(text, word)}…")
        if not facts["lang"].lower().startswith(self.language):
            expected = "Dutch" if self.language == "nl" else "English"
            self._find(url, "language", f"html lang={facts['lang']!r} where {expected} is expected")
        else:
            dutch = self.language == "nl"
            known, kind = (self._english, "english") if dutch else (self._dutch, "dutch")
            for phrase in sorted(set(known.findall(text))):
                self._find(url, kind, f"{phrase!r}: …{_around(text, phrase)}…")
        for phrase in DEAD_END:
            if phrase in text:
                self._find(url, "no-access", f"{phrase!r}")
        for chart in facts["emptyCharts"]:
            self._find(url, "chart", f"chart {chart!r} has nothing drawn")
        for attribute in facts["commas"]:
            self._find(url, "svg-comma", attribute)
        # The page's own report names what was refused; the console's is the fallback.
        violations = [
            f"{directive} {self._short(blocked)} refused, from {self._short(source)}:{line}"
            for directive, blocked, source, line in page.evaluate(
                "() => window.__cspViolations || []"
            )
        ]
        for violation in violations or self._console_csp:
            self._find(url, "csp", violation)
        self._console_csp.clear()
        page.evaluate("() => { window.__cspViolations = []; }")
        if mobile:
            page.set_viewport_size(MOBILE)
            width = page.evaluate(_WIDTH)
            page.set_viewport_size(DESKTOP)
            if width > MOBILE["width"]:
                self._find(url, "mobile", f"{width} px wide at {MOBILE['width']} px")
        visit.links = page.evaluate(_LINKS)

    def _wants_mobile(self, visit: Visit) -> bool:
        path = urlsplit(visit.url).path
        return visit.depth <= MOBILE_MAX_DEPTH and not MOBILE_SKIP.search(path)

    # -- the walk ----------------------------------------------------------------------------

    def run(self) -> CrawlReport:
        started = time.monotonic()
        context = self.browser.new_context(locale="nl-BE", viewport=DESKTOP, accept_downloads=False)
        context.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        page = context.new_page()
        self._listen(page)
        try:
            self._sign_in(page)
            home = Visit(url=page.url, depth=0, chain=(), trail=(page.url,))
            self._trail = [page.url]
            self._look(page, home, mobile=True)
            self.report.visits.append(home)
            if self.on_page is not None:
                self.on_page(page, home)
            self._walk(page, home)
            self._english_round(page)
        finally:
            context.close()
            self.report.seconds = time.monotonic() - started
        return self.report

    def _sign_in(self, page) -> None:
        page.goto(self.base + "/", wait_until="load")
        self._look(page, Visit(url=page.url, depth=0, chain=()), mobile=True)
        # Dutch (the current language's button, when it can be clicked), English, Dutch again;
        # from the start again when a click led to a page without the switch.
        for language in ("nl", "en", "nl"):
            if not page.locator("form.language-switch").count():
                page.goto(self.base + "/", wait_until="load")
            self._switch_language(page, language)
        self._go_home(page)
        self._forget()
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", self.password)
        with page.expect_navigation(wait_until="load"):
            page.click("main button[type=submit]")
        self._settle(page)
        if "/accounts/login/" in page.url:
            raise RuntimeError(f"{self.username} could not sign in")

    def _switch_language(self, page, language: str) -> Visit | None:
        """Click the language switch's button for ``language`` (when there and enabled) and
        look at the page it leads to, in that language."""
        button = page.locator(TO_ENGLISH if language == "en" else TO_DUTCH)
        if not button.count() or not button.first.is_enabled():
            return None
        self._forget()
        self.language = language
        if not self._click(page, TO_ENGLISH if language == "en" else TO_DUTCH):
            return None
        visit = Visit(url=page.url, depth=0, chain=())
        self._look(page, visit, mobile=False)
        return visit

    def _admissible(self, link: dict) -> str | None:
        """'page', 'download' or None (not followed)."""
        url = urldefrag(link["url"])[0]
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.origin:
            return None
        if SKIP_LINK.search(parts.path + ("?" + parts.query if parts.query else "")):
            return None
        if link["download"] or link["blank"] or DOWNLOAD_LINK.search(parts.path):
            return "download"
        return "page"

    def _walk(self, page, home: Visit) -> None:
        seen = {urldefrag(home.url)[0]}
        shapes: dict[str, int] = {}
        queries: dict[str, int] = {}
        queue = deque([home])
        while queue and len(self.report.visits) < self.max_pages:
            parent = queue.popleft()
            for link in parent.links:
                if len(self.report.visits) >= self.max_pages:
                    break
                url = urldefrag(link["url"])[0]
                kind = self._admissible(link)
                if kind is None or url in seen:
                    continue
                shape = pattern(url)
                path = urlsplit(url).path
                cap = DOWNLOADS_PER_PATTERN if kind == "download" else PAGES_PER_PATTERN
                if shapes.get(shape, 0) >= cap:
                    continue
                if shape.endswith("?") and queries.get(path, 0) >= QUERY_VARIANTS_PER_PATH:
                    continue
                seen.add(url)
                shapes[shape] = shapes.get(shape, 0) + 1
                if shape.endswith("?"):
                    queries[path] = queries.get(path, 0) + 1
                if kind == "download":
                    self._fetch(page, parent, url)
                    continue
                if not self._reach(page, parent):
                    self._find(parent.url, "crawl", "could not get back to this page")
                    break
                self._forget()
                clicked = time.monotonic()
                if not self._click_link(page, link["raw"]):
                    continue  # not visible (a closed menu, a hidden row): a person cannot
                chain = (*parent.chain, link["raw"])
                trail = (*parent.trail, page.url)
                visit = Visit(url=page.url, depth=parent.depth + 1, chain=chain, trail=trail)
                if urldefrag(page.url)[0] != url and urldefrag(page.url)[0] in seen:
                    # A redirect to a page already looked at: its errors still count.
                    for event_kind, detail in self._events:
                        self._find(url, event_kind, detail)
                    self._forget()
                    continue
                seen.add(urldefrag(page.url)[0])
                self._look(page, visit, mobile=self._wants_mobile(visit))
                visit.seconds = time.monotonic() - clicked
                self.report.visits.append(visit)
                if self.on_page is not None:
                    self.on_page(page, visit)
                queue.append(visit)

    def _fetch(self, page, parent: Visit, url: str) -> None:
        response = page.context.request.get(url, max_redirects=5, timeout=NAVIGATION_TIMEOUT_MS)
        self.report.downloads.append(self._short(url))
        if response.status >= 400:
            self._find(parent.url, "http", f"download {response.status} {self._short(url)}")
        response.dispose()

    def _english_round(self, page) -> None:
        """Switch the signed-in home page to English, look at the menu pages, switch back."""
        if self.english_pages <= 0:
            return
        self._go_home(page)
        home = self._switch_language(page, "en")
        if home is None:
            self._find(page.url, "language", "no English button in the language switch")
            return
        menu = [
            link["raw"]
            for link in home.links
            if self._admissible(link) == "page" and urldefrag(link["url"])[0] != page.url
        ]
        for href in list(dict.fromkeys(menu))[: self.english_pages]:
            if page.url != home.url:
                page.go_back(wait_until="load")
            self._forget()
            if self._click_link(page, href):
                visit = Visit(url=page.url, depth=1, chain=(href,))
                self._look(page, visit, mobile=False)
                self.report.english.append(visit)
        self._switch_language(page, "nl")


def _around(text: str, phrase: str, width: int = 40) -> str:
    at = text.find(phrase)
    return " ".join(text[max(0, at - width) : at + len(phrase) + width].split())


def crawl_role(browser, base_url: str, username: str, **options) -> CrawlReport:
    return Crawl(browser, base_url, username, **options).run()
