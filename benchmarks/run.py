"""``make bench``: run every ``benchmarks/bench_*.py`` and write their sections to BENCHMARKS.md.

Each benchmark module has ``main() -> str`` returning its markdown section; sections are written
in file-name order under a common header with the machine's description. ``python -m
benchmarks.run bench_map`` (or ``map``) runs only the named modules and replaces only their
sections (each marked ``<!-- benchmark: name -->``) where they stand, keeping the rest of
BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "BENCHMARKS.md"


MARK = "<!-- benchmark: {} -->"


def _merged(replaced: dict[str, str]) -> list[str]:
    """The current BENCHMARKS.md's sections with the ``replaced`` ones swapped in where they
    were (new ones at the end); the text before the first mark (below the header) is kept."""
    body = TARGET.read_text(encoding="utf-8").split("\n", 3)[-1].strip("\n")
    parts = re.split(r"^(<!-- benchmark: \w+ -->)\n", body, flags=re.M)
    merged = [parts[0].rstrip() + "\n"] if parts[0].strip() else []
    for mark, text in zip(parts[1::2], parts[2::2], strict=True):
        name = mark.removeprefix("<!-- benchmark: ").removesuffix(" -->")
        merged.append(replaced.pop(name, f"{mark}\n{text.rstrip()}\n"))
    return merged + list(replaced.values())


def main(names: list[str] | None = None) -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if m in names or m.removeprefix("bench_") in names]
    sections = {}
    for name in modules:
        print(f"benchmark {name} ...", file=sys.stderr)
        text = importlib.import_module(f"benchmarks.{name}").main().rstrip() + "\n"
        sections[name] = f"{MARK.format(name)}\n{text}"
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` (`python -m benchmarks.run`) on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n"
    )
    merged = _merged(dict(sections)) if TARGET.is_file() else list(sections.values())
    TARGET.write_text(header + "\n" + "\n".join(merged), encoding="utf-8")
    print(f"written: {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
