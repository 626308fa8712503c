"""The import contracts of ``make lint`` (``[tool.importlinter]`` in pyproject.toml) hold for the
real tree and break for each kind of violation: each test copies the package, plants one
violation in the copy and runs ``lint-imports`` on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jeugdhulp

PACKAGE = Path(jeugdhulp.__file__).parent
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the package's Python files (``<tmp>/src/jeugdhulp``)."""
    src = tmp_path_factory.mktemp("tree") / "src"
    shutil.copytree(
        PACKAGE,
        src / "jeugdhulp",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "*.mo"),
    )
    return src


def _lint(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(PYPROJECT), "--no-cache"],
        cwd=src.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _planted(tree: Path, module: str, line: str, tmp_path: Path) -> Path:
    """A fresh copy of ``tree`` with ``line`` appended to ``module`` (a path in the package)."""
    src = tmp_path / "src"
    shutil.copytree(tree, src)
    path = src / "jeugdhulp" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return src


def test_the_real_tree_keeps_every_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_django_import_in_a_pure_package_breaks_the_lint(tree, tmp_path):
    src = _planted(tree, "analysis/counting.py", "import django.db  # noqa", tmp_path)
    result = _lint(src)
    assert result.returncode == 1
    assert "The pure packages import no Django and no app BROKEN" in result.stdout
    assert "jeugdhulp.analysis is not allowed to import django" in result.stdout


def test_an_app_imported_by_a_pure_package_breaks_the_lint(tree, tmp_path):
    src = _planted(
        tree, "data/codes.py", "from jeugdhulp.reference import models  # noqa", tmp_path
    )
    result = _lint(src)
    assert result.returncode == 1
    assert "jeugdhulp.data is not allowed to import jeugdhulp.reference" in result.stdout


def test_an_upward_import_breaks_the_lint(tree, tmp_path):
    """Reference data (a lower layer) may not use the results app (a higher one)."""
    src = _planted(
        tree, "reference/services.py", "from jeugdhulp.results import models  # noqa", tmp_path
    )
    result = _lint(src)
    assert result.returncode == 1
    assert "Imports point downwards" in result.stdout and "BROKEN" in result.stdout
    assert "jeugdhulp.reference.services -> jeugdhulp.results.models" in result.stdout


def test_a_circle_inside_an_app_breaks_the_lint(tree, tmp_path):
    """The circle issue #15 found: results' services queued through tasks, which calls
    services."""
    src = _planted(
        tree, "results/services.py", "from jeugdhulp.results import tasks  # noqa", tmp_path
    )
    result = _lint(src)
    assert result.returncode == 1
    assert "No circles" in result.stdout and "BROKEN" in result.stdout
    assert "No cycles are allowed in jeugdhulp.results" in result.stdout
