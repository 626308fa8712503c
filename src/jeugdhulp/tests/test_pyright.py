"""pyright's basic rules in ``make lint`` (``[tool.basedpyright]`` in pyproject.toml) hold on the
pure packages without a baseline of known errors, and an error in any of them fails the check.

The planted modules go into a scratch tree with the project's own pyproject.toml and virtualenv,
so the real configuration decides; pyright reads four small files there (about 2 s), not the real
tree (25 s, which ``make lint`` does)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jeugdhulp

PACKAGE = Path(jeugdhulp.__file__).parent
ROOT = PACKAGE.parents[1]
PYPROJECT = ROOT / "pyproject.toml"
BASEDPYRIGHT = Path(sys.executable).parent / "basedpyright"

# The kind of error the pure packages had most: pandas types ``frame["x"]`` as a Series or a
# DataFrame, so it is no Series for pyright.
LOOSE_COLUMN = """import pandas as pd


def first(frame: pd.DataFrame) -> pd.Series:
    return frame["x"]
"""
TYPED_COLUMN = """import pandas as pd

from jeugdhulp.data.frames import column_of


def first(frame: pd.DataFrame) -> pd.Series:
    return column_of(frame, "x")
"""


def test_pyright_has_no_baseline_of_known_errors():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["basedpyright"]
    assert "baselineFile" not in config
    assert not (ROOT / ".basedpyright" / "baseline.json").exists()


def test_a_type_error_in_any_pure_package_fails_pyright(tmp_path):
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    (tmp_path / ".venv").symlink_to(sys.prefix)  # the config's venv: pandas' annotations
    src = tmp_path / "src" / "jeugdhulp"
    planted = {
        "data/planted.py": LOOSE_COLUMN,
        "snapshot/planted.py": LOOSE_COLUMN,
        "analysis/planted.py": LOOSE_COLUMN,
        "analysis/typed.py": TYPED_COLUMN,
        "analysis/tests/test_planted.py": LOOSE_COLUMN,  # tests are not checked
    }
    for name, text in planted.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")

    result = subprocess.run(
        [str(BASEDPYRIGHT), "--outputjson"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    found = sorted(
        (Path(d["file"]).relative_to(src).as_posix(), d["range"]["start"]["line"] + 1, d["rule"])
        for d in json.loads(result.stdout)["generalDiagnostics"]
    )
    assert found == [
        ("analysis/planted.py", 5, "reportReturnType"),
        ("data/planted.py", 5, "reportReturnType"),
        ("snapshot/planted.py", 5, "reportReturnType"),
    ]
