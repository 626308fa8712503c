"""Population by area × sex × age band, from the tidy layout and from Statbel's layouts.

Layouts (headers matched without regard to case and accents):

* tidy: ``area_code, sex, age_from, age_to, population[, year]`` (or ``age`` for single years);
* Statbel's population structure ``TF_SOC_POP_STRUCT_YYYY``: ``CD_REFNIS, CD_SEX, CD_AGE,
  MS_POPULATION`` (rows split further by nationality and civil status are summed; the year is
  taken from the file name);
* wide: a code column, optional ``age_from``/``age_to``, and ``male``/``female``/``total``
  (Dutch ``mannen``/``vrouwen``/``totaal``); without age columns the counts are all ages.

Sex ``T`` rows are only produced where a file has no split by sex, so summing over sexes never
counts anyone twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from jeugdhulp.data.codes import normalise_area_codes
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.fields import find_column, parse_numbers, per_distinct, source_rows
from jeugdhulp.data.frames import column_of, columns_of, to_numbers
from jeugdhulp.data.tabular import read_table

COLUMNS = ["area_code", "sex", "age_from", "age_to", "population", "year"]
CODE_FIELDS = ("area_code", "cd_refnis", "nis_code", "nis", "refnis", "code", "gebied_code")
# Statbel's raw population structure is about 100 MB unzipped.
MAX_BYTES = 300 * 1024 * 1024
MAX_ROWS = 5_000_000
_SEX = {"M": "M", "V": "V", "F": "V", "T": "T", "X": "T"}
_WIDE = {
    "male": "M",
    "mannen": "M",
    "man": "M",
    "female": "V",
    "vrouwen": "V",
    "vrouw": "V",
    "total": "T",
    "totaal": "T",
}
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def read_population(path: str | Path, *, year: int | None = None) -> pd.DataFrame:
    """Read a population file in any of the layouts above.

    Returns ``area_code`` (str), ``sex`` (``M``/``V``/``T``), ``age_from`` (int), ``age_to``
    (Int64, NA for an open top band), ``population`` (float), ``year`` (Int64; from a ``year``
    or ``reference_date`` column, else ``year``, else a year in the file name, else NA).
    Raises ``InputError`` naming file, row, column and value for any bad row.
    """
    path = Path(path)
    name = path.name
    table = read_table(path, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    columns = set(table.columns)
    years = _years(table, name, year)
    statbel = {"cd_refnis", "cd_sex", "cd_age", "ms_population"} <= columns
    if statbel:
        long = _statbel(table, years, name)
    elif columns & set(_WIDE):
        long = _wide(table, years, name)
    else:
        long = _tidy(table, years, name)
    keys = ["area_code", "year", "sex", "age_from", "age_to"]
    grouped = long.groupby(keys, dropna=False, sort=True)  # one grouping for check and sum
    _check(long, name, repeated=None if statbel else grouped.cumcount().to_numpy() > 0)
    result = grouped["population"].sum().reset_index()
    result["age_from"] = result["age_from"].astype(int)
    result["age_to"] = result["age_to"].astype("Int64")
    result["year"] = result["year"].astype("Int64")
    result.attrs["source"] = name
    return columns_of(result, COLUMNS)


def _int_column(table: pd.DataFrame, column: str, name: str, *, allow_empty: bool) -> pd.Series:
    values = parse_numbers(column_of(table, column))
    raw = table[column]
    bad = values.isna() | (values < 0) | (values % 1 != 0)
    if allow_empty:
        bad &= raw != ""
    _raise_rows(
        table, bad, column, name, "een leeftijd is een geheel getal vanaf 0.", kind="leeftijd"
    )
    return values.astype("Int64") if allow_empty else values.astype(int)


def _population_values(table: pd.DataFrame, column: str, name: str) -> pd.Series:
    values = parse_numbers(column_of(table, column))
    bad = values.isna() | (values < 0)
    _raise_rows(
        table, bad, column, name, "het aantal inwoners moet een getal vanaf 0 zijn.", kind="aantal"
    )
    return values


def _raise_rows(
    table: pd.DataFrame, bad: pd.Series, column: str, name: str, message: str, *, kind: str
) -> None:
    """One problem per row where ``bad`` holds, naming row, column and raw value."""
    positions = np.flatnonzero(bad.to_numpy())
    if positions.size == 0:
        return
    rows = source_rows(table)
    raw = table[column].to_numpy()
    raise InputError(
        [
            Problem(message, row=rows[i], column=column, value=raw[i], file=name, kind=kind)
            for i in positions
        ],
        name,
    )


def _base(table: pd.DataFrame, code_column: str, years: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": np.array(normalise_area_codes(table[code_column]), dtype=object),
            "row": np.array(source_rows(table), dtype=np.int64),
            "year": years.to_numpy(),
        },
        index=table.index,
    )


def _statbel(table: pd.DataFrame, years: pd.Series, name: str) -> pd.DataFrame:
    long = _base(table, "cd_refnis", years)
    long["sex"] = _sexes(table, "cd_sex", name)
    long["age_from"] = _int_column(table, "cd_age", name, allow_empty=False)
    long["age_to"] = long["age_from"].astype("Int64")
    long["population"] = _population_values(table, "ms_population", name)
    return long


def _sexes(table: pd.DataFrame, column: str, name: str) -> pd.Series:
    mapped = per_distinct(column_of(table, column), lambda codes: codes.str.upper().map(_SEX))
    _raise_rows(
        table, mapped.isna(), column, name, "geslacht moet M, V (of F) of T zijn.", kind="geslacht"
    )
    return mapped


def _ages(table: pd.DataFrame, long: pd.DataFrame, name: str) -> pd.DataFrame:
    if "age" in table.columns or "leeftijd" in table.columns:
        column = "age" if "age" in table.columns else "leeftijd"
        long["age_from"] = _int_column(table, column, name, allow_empty=False)
        long["age_to"] = long["age_from"].astype("Int64")
    elif "age_from" in table.columns:
        long["age_from"] = _int_column(table, "age_from", name, allow_empty=False)
        if "age_to" in table.columns:
            long["age_to"] = _int_column(table, "age_to", name, allow_empty=True)
        else:
            long["age_to"] = pd.array([pd.NA] * len(long), dtype="Int64")
    else:
        long["age_from"] = 0
        long["age_to"] = pd.array([pd.NA] * len(long), dtype="Int64")
    return long


def _wide(table: pd.DataFrame, years: pd.Series, name: str) -> pd.DataFrame:
    code = find_column(table, CODE_FIELDS, given=None, what="de gebiedscode", file=name)
    base = _ages(table, _base(table, code, years), name)
    present = [c for c in _WIDE if c in table.columns]
    split = any(_WIDE[c] in ("M", "V") for c in present)
    parts = []
    for column in present:
        sex = _WIDE[column]
        if split and sex == "T":
            continue
        part = base.copy()
        part["sex"] = sex
        part["population"] = _population_values(table, column, name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _tidy(table: pd.DataFrame, years: pd.Series, name: str) -> pd.DataFrame:
    code = find_column(table, CODE_FIELDS, given=None, what="de gebiedscode", file=name)
    sex = find_column(table, ("sex", "geslacht"), given=None, what="het geslacht", file=name)
    count = find_column(
        table,
        ("population", "inwoners", "bevolking", "aantal"),
        given=None,
        what="het aantal inwoners",
        file=name,
    )
    if not {"age_from", "age", "leeftijd"} & set(table.columns):
        raise InputError(
            Problem(
                "geen leeftijdskolommen gevonden (age_from en age_to, of age).",
                file=name,
                kind="kolom_ontbreekt",
            ),
            name,
        )
    long = _ages(table, _base(table, code, years), name)
    long["sex"] = _sexes(table, sex, name)
    long["population"] = _population_values(table, count, name)
    return long


def _years(table: pd.DataFrame, name: str, year: int | None) -> pd.Series:
    """The year of each row: a ``year``/``reference_date`` column, else ``year``, else a year in
    the file name (Statbel's ``TF_SOC_POP_STRUCT_2024``), else NA."""
    column = next(
        (c for c in ("year", "jaar", "reference_date", "peildatum") if c in table.columns), None
    )
    if column is None:
        if year is None:
            match = _YEAR_IN_NAME.search(name)
            year = int(match.group(1)) if match else None
        return pd.Series(pd.array([year] * len(table), dtype="Int64"), index=table.index)
    years = per_distinct(column_of(table, column), lambda texts: to_numbers(texts.str.slice(0, 4)))
    bad = years.isna() | (years < 1800) | (years > 2200)
    if bad.any():
        rows = source_rows(table)
        raise InputError(
            [
                Problem(
                    "het jaar moet een jaartal zijn (JJJJ of JJJJ-MM-DD).",
                    row=rows[position],
                    column=column,
                    value=table[column].iloc[position],
                    file=name,
                    kind="jaar",
                )
                for position in np.flatnonzero(bad.to_numpy())
            ],
            name,
        )
    return years.astype("Int64")


def _check(long: pd.DataFrame, name: str, *, repeated: np.ndarray | None) -> None:
    """Missing codes, bands that end before they start, and (``repeated``: each row whose key
    came before) repeated keys."""
    problems = [
        Problem("de gebiedscode ontbreekt.", row=int(row), file=name, kind="ontbrekend")
        for row in long.loc[long["area_code"] == "", "row"]
    ]
    bad_band = long["age_to"].notna() & (long["age_to"] < long["age_from"])
    for row, start, end in long.loc[bad_band, ["row", "age_from", "age_to"]].itertuples(
        index=False
    ):
        problems.append(
            Problem(
                f"de leeftijdsband {start}-{end} eindigt voor ze begint.",
                row=int(row),
                column="age_to",
                value=end,
                file=name,
                kind="leeftijd",
            )
        )
    if repeated is not None:
        # Statbel's file repeats a code × sex × age for each nationality and civil status; the
        # other layouts have one row per key, so a repeat is a mistake.
        for row, code in long.loc[repeated, ["row", "area_code"]].itertuples(index=False):
            problems.append(
                Problem(
                    f"gebied {code} staat hier een tweede keer met hetzelfde jaar, geslacht en "
                    "dezelfde leeftijdsband.",
                    row=int(row),
                    value=code,
                    file=name,
                    kind="dubbel",
                )
            )
    if problems:
        raise InputError(problems, name)
