"""``make screenshots``: every main page of the demo, per role, at desktop and phone width.

Builds the demo region (or reuses the one the crawl test built: var/test-crawl/), serves it,
signs in as each demo account and clicks through the site like the crawl test does (capped at
SCREENSHOT_PAGES pages per role), saving var/screenshots/<role>/<page>-<width>.png. Prints the
files and, at the end, what the crawl saw go wrong.

    .venv/bin/python scripts/screenshots.py [--roles demo-analist,...] [--pages 25]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

# The browser set-up of the browser tests (the repository root is on the path: run from there,
# as `make screenshots` does).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from conftest import BROWSER_ARGS, CHROMIUM

from jeugdhulp.tests import crawl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"


def page_name(url: str) -> str:
    """'/' -> 'home'; '/aanmeldingen/?pagina=2' -> 'aanmeldingen-pagina-2'."""
    parts = urlsplit(url)
    words = re.findall(r"[\w.]+", f"{parts.path} {parts.query}")
    return "-".join(words)[:120] or "home"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", default=",".join(crawl.ROLES))
    parser.add_argument("--pages", type=int, default=crawl.SCREENSHOT_PAGES)
    options = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    print("Demo: building or reusing the demo database (a first build takes a few minutes) …")
    crawl.demo_folder(log=print)
    reports = []
    with crawl.serve_demo() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for role in options.roles.split(","):
            folder = OUT / role
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            names: set[str] = set()

            def shoot(page, visit, folder=folder, names=names, role=role):
                name = page_name(visit.url)
                if name in names:
                    return
                names.add(name)
                for size in (crawl.DESKTOP, crawl.MOBILE):
                    page.set_viewport_size(size)
                    path = folder / f"{name}-{size['width']}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(f"{role:<18} {path.relative_to(ROOT)}")
                page.set_viewport_size(crawl.DESKTOP)

            report = crawl.Crawl(
                browser, base, role, max_pages=options.pages, english_pages=0, on_page=shoot
            ).run()
            reports.append(report)
        browser.close()
    print()
    for report in reports:
        print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
