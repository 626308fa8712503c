"""Small helpers the loaders share: finding a column, reading numbers, naming rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.tabular import normalise_header

# Dots are thousands separators only when unambiguous: "1.234,5" or "1.234.567"; a single dot
# is a decimal point ("0.123", "1.234").
_BELGIAN_THOUSANDS = re.compile(r"^-?\d{1,3}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})$")


def find_column(
    frame: pd.DataFrame, candidates: Sequence[str], *, given: str | None, what: str, file: str
) -> str:
    """The column ``given`` by the user (normalised like the headers), else the first of
    ``candidates`` present. Raises ``InputError`` naming what is missing."""
    if given:
        name = normalise_header(given)
        if name not in frame.columns:
            raise InputError(
                Problem(
                    f"de kolom '{given}' ({what}) bestaat niet; kolommen: "
                    f"{', '.join(map(str, frame.columns))}.",
                    file=file,
                    kind="kolom_ontbreekt",
                ),
                file,
            )
        return name
    for name in candidates:
        if name in frame.columns:
            return name
    raise InputError(
        Problem(
            f"geen kolom voor {what} gevonden (verwacht een van: {', '.join(candidates)}); "
            f"kolommen: {', '.join(map(str, frame.columns))}.",
            file=file,
            kind="kolom_ontbreekt",
        ),
        file,
    )


def parse_number(text: str) -> float:
    """A number as users write it: ``1234.5``, ``1234,5``, ``1.234,5``, ``1 234``; NaN if not."""
    value = text.replace("\u00a0", "").replace(" ", "")
    if _BELGIAN_THOUSANDS.match(value):
        value = value.replace(".", "")
    value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return float("nan")
    return number if np.isfinite(number) else float("nan")


def per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``transform`` (a whole-column operation) applied to the distinct values only, spread back
    over the rows: codes, years and counts repeat a lot in a population file of a million
    rows. ``transform`` must map each value on its own, whatever the other values."""
    codes, uniques = pd.factorize(values)
    mapped = transform(pd.Series(uniques, dtype=values.dtype)).to_numpy()
    return pd.Series(mapped[codes], index=values.index)


def parse_numbers(values: pd.Series) -> pd.Series:
    """:func:`parse_number` over a column of strings (empty -> NaN), once per distinct text."""
    return per_distinct(values.astype(str), lambda texts: texts.map(parse_number).astype(float))


def source_rows(frame: pd.DataFrame) -> list[int]:
    """The spreadsheet row number of each row (header = row 1), as ``read_table`` gives it."""
    rows = frame.attrs.get("source_rows")
    return list(rows) if rows is not None else list(range(2, len(frame) + 2))
