"""Socio-economic covariates per area: ``area_code`` and numeric columns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from jeugdhulp.data.codes import ascii_digits, normalise_area_codes
from jeugdhulp.data.collector import Collector
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.fields import find_column, parse_numbers, source_rows
from jeugdhulp.data.frames import column_of
from jeugdhulp.data.tabular import SourceRows, normalise_header, read_table

CODE_FIELDS = ("area_code", "gebied_code", "nis_code", "nis", "refnis", "cd_refnis", "code")
YEAR_FIELDS = ("year", "jaar")


def read_covariates(
    path: str | Path, columns: Sequence[str] | None = None, *, code_field: str | None = None
) -> pd.DataFrame:
    """Read covariates: ``area_code`` (str) and one float column per covariate.

    ``columns`` chooses the covariates (default: every column whose values are numbers, except
    the year). A ``year`` column must hold one year; it goes to ``attrs["year"]``. A chosen
    column with a value that is not a number, or a repeated area code, raises ``InputError``.
    """
    path = Path(path)
    name = path.name
    table = read_table(path)
    code = find_column(table, CODE_FIELDS, given=code_field, what="de gebiedscode", file=name)
    rows = source_rows(table)
    year_column = next((c for c in YEAR_FIELDS if c in table.columns), None)
    if columns:
        wanted = [
            find_column(table, (), given=c, what="een achtergrondkenmerk", file=name)
            for c in columns
        ]
        numbers = {c: parse_numbers(column_of(table, c)) for c in wanted}
    else:
        others = [c for c in table.columns if c not in (code, year_column)]
        numbers = {c: parse_numbers(column_of(table, c)) for c in others}
        wanted = [c for c in others if _mostly_numeric(column_of(table, c), numbers[c])]
    if not wanted:
        raise InputError(
            Problem("het bestand heeft geen kolommen met getallen.", file=name, kind="leeg"), name
        )
    codes = pd.Series(normalise_area_codes(table[code]), dtype=object)
    result = pd.DataFrame({"area_code": codes})
    out = Collector(name, rows)
    for column in wanted:
        values = numbers[column]
        out.rows_problem(
            values.isna().to_numpy() & (table[column] != "").to_numpy(),
            column,
            column_of(table, column),
            "dit is geen getal.",
            "geen_getal",
        )
        result[normalise_header(column)] = values.to_numpy()
    out.required_unique(
        codes,
        code,
        "de gebiedscode ontbreekt.",
        lambda i, first: f"gebied {codes.iloc[i]} staat hier een tweede keer (ook op rij {first}).",
    )
    if year_column is not None:
        years = sorted(set(table[year_column]) - {""})
        if len(years) > 1:
            out.file_problem(
                f"het bestand bevat meerdere jaren ({', '.join(years)}); lever één jaar per "
                "bestand.",
                "jaar",
                column=year_column,
            )
        elif years and ascii_digits(years[0]):
            result.attrs["year"] = int(years[0])
    out.raise_errors()
    result.attrs["source"] = name
    result.attrs["source_rows"] = SourceRows(rows)
    return result


def _mostly_numeric(texts: pd.Series, numbers: pd.Series) -> bool:
    """At least half of the non-empty cells (``texts``) are numbers (``numbers``, parsed from
    them); the others are then reported."""
    filled = (texts != "").to_numpy()
    return bool(filled.any()) and numbers.notna().to_numpy()[filled].mean() >= 0.5
