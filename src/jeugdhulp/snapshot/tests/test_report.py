"""The closing sentence of a check names each kind of error in Dutch words, with the right
singular or plural."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jeugdhulp.data.errors import Problem, Severity
from jeugdhulp.snapshot.report import KIND_PHRASES, kind_phrase, plural, summary

SOURCES = Path(__file__).resolve().parents[2]


def _kinds_in(path: Path) -> set[str]:
    """The kind strings a module passes as ``kind=...`` or to ``rows_problem``/``file_problem``."""
    kinds = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                kinds.add(keyword.value.value)
        name = getattr(node.func, "attr", None)
        position = {"rows_problem": 4, "file_problem": 1}.get(name)
        if position is not None and len(node.args) > position:
            argument = node.args[position]
            if isinstance(argument, ast.Constant):
                kinds.add(argument.value)
    return kinds


def test_every_kind_of_problem_a_snapshot_check_reports_has_dutch_words():
    kinds = (
        _kinds_in(SOURCES / "snapshot" / "reader.py")
        | _kinds_in(SOURCES / "data" / "tabular.py")
        | _kinds_in(SOURCES / "data" / "collector.py")
    )
    assert {"na_peildatum", "dubbel", "te_groot"} <= kinds  # the walk finds them
    assert kinds - set(KIND_PHRASES) == set()


def test_the_summary_names_the_kind_of_error_in_words_not_its_code():
    problem = Problem("de startdatum ligt na de peildatum.", 2, "startdatum", kind="na_peildatum")
    text = summary("f.csv", 1, [problem], rows_ok=0, children=0)
    assert "na_peildatum" not in text
    assert "startdatum na de peildatum (1×)" in text


def test_one_error_in_one_row_is_said_in_the_singular():
    problem = Problem("onbekende code.", 2, "geslacht", "F", kind="code_onbekend")
    text = summary("f.csv", 1, [problem], rows_ok=0, children=0)
    assert "f.csv: 1 rij gelezen, 1 fout, 0 waarschuwingen." in text
    assert "Verbeter de fout in 1 rij en lever" in text
    assert "Soort fout: onbekende code in kolom geslacht (1×)." in text
    assert "1 fouten" not in text and "1 rijen" not in text


def test_several_errors_are_said_in_the_plural():
    problems = [Problem("x", row, "startdatum", kind="datum") for row in (2, 3)] + [
        Problem("w", 4, "x", severity=Severity.WARNING, kind="kolom_onbekend")
    ]
    text = summary("f.csv", 3, problems, rows_ok=0, children=0)
    assert "3 rijen gelezen, 2 fouten, 1 waarschuwing." in text
    assert "Verbeter de fouten in 2 rijen" in text
    assert "Soort fout: ongeldige datum in kolom startdatum (2×)." in text


def test_an_accepted_file_counts_rows_and_children_in_the_right_form():
    assert summary("f.csv", 1, [], rows_ok=1, children=1).endswith("In orde: 1 rij, 1 uniek kind.")
    assert "In orde: 2 rijen, 2 unieke kinderen." in summary("f", 2, [], rows_ok=2, children=2)


@pytest.mark.parametrize(("count", "text"), [(0, "0 fouten"), (1, "1 fout"), (2, "2 fouten")])
def test_plural_picks_the_dutch_form(count, text):
    assert plural(count, "fout", "fouten") == text


def test_an_unknown_kind_is_still_words():
    assert kind_phrase("iets_nieuws") == "ander probleem"
