"""Socio-economic covariates per area: ``area_code`` and numeric columns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from jeugdhulp.data.codes import ascii_digits, normalise_area_codes
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.fields import find_column, parse_numbers, source_rows
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
    else:
        wanted = [
            c for c in table.columns if c not in (code, year_column) and _mostly_numeric(table[c])
        ]
    if not wanted:
        raise InputError(
            Problem("het bestand heeft geen kolommen met getallen.", file=name, kind="leeg"), name
        )
    codes = normalise_area_codes(table[code])
    result = pd.DataFrame({"area_code": codes})
    problems: list[Problem] = []
    for column in wanted:
        values = parse_numbers(table[column])
        for position in np.flatnonzero(values.isna().to_numpy() & (table[column] != "").to_numpy()):
            problems.append(
                Problem(
                    "dit is geen getal.",
                    row=rows[position],
                    column=column,
                    value=table[column].iloc[position],
                    file=name,
                    kind="geen_getal",
                )
            )
        result[normalise_header(column)] = values.to_numpy()
    seen: dict[str, int] = {}
    for position, value in enumerate(codes):
        if not value:
            problems.append(
                Problem(
                    "de gebiedscode ontbreekt.",
                    row=rows[position],
                    column=code,
                    file=name,
                    kind="ontbrekend",
                )
            )
        elif value in seen:
            problems.append(
                Problem(
                    f"gebied {value} staat hier een tweede keer (ook op rij {seen[value]}).",
                    row=rows[position],
                    column=code,
                    value=value,
                    file=name,
                    kind="dubbel",
                )
            )
        else:
            seen[value] = rows[position]
    if year_column is not None:
        years = sorted(set(table[year_column]) - {""})
        if len(years) > 1:
            problems.append(
                Problem(
                    f"het bestand bevat meerdere jaren ({', '.join(years)}); lever één jaar per "
                    "bestand.",
                    column=year_column,
                    file=name,
                    kind="jaar",
                )
            )
        elif years and ascii_digits(years[0]):
            result.attrs["year"] = int(years[0])
    if problems:
        raise InputError(problems, name)
    result.attrs["source"] = name
    result.attrs["source_rows"] = SourceRows(rows)
    return result


def _mostly_numeric(values: pd.Series) -> bool:
    """At least half of the non-empty cells are numbers (the others are then reported)."""
    filled = values[values != ""]
    return len(filled) > 0 and parse_numbers(filled).notna().mean() >= 0.5
