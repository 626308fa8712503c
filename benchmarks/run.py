"""``make bench``: run every ``benchmarks/bench_*.py`` and write their sections to BENCHMARKS.md.

Each benchmark module has ``main() -> str`` returning its markdown section; sections are written
in file-name order under a common header with the machine's description.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "BENCHMARKS.md"


def main(names: list[str] | None = None) -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if m in names or m.removeprefix("bench_") in names]
    sections = []
    for name in modules:
        print(f"benchmark {name} ...", file=sys.stderr)
        sections.append(importlib.import_module(f"benchmarks.{name}").main().rstrip() + "\n")
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` (`python -m benchmarks.run`) on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n"
    )
    TARGET.write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    print(f"written: {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
