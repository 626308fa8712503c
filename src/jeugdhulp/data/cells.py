"""Cells that a spreadsheet cannot run: the one rule for every CSV and XLSX that leaves the
platform (OWASP, "CSV injection").

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3+cmd|...``). Such a
cell gets a leading apostrophe, so it shows as the text it is. Numbers are left alone: a number
cell, and a text cell that is nothing but a number (``-0.5``, ``-3``, ``-0,25`` as Belgian Excel
writes it), stay numbers, because a plain number is never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# A plain decimal number, with a point or a comma as decimal sign and an optional exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may hold it: a text that could start a formula gets ``'``
    in front; anything else (numbers, empty cells, harmless text) is returned as it is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return ESCAPE + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell` (for ``csv.writer``)."""
    return [safe_cell(value) for value in row]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell through :func:`safe_cell`; number, boolean and date
    columns are not touched. The frame itself is not changed."""
    out = None
    for position in range(len(frame.columns)):
        values = frame.iloc[:, position]
        if values.dtype.kind not in "OSU" and not isinstance(values.dtype, pd.StringDtype):
            continue
        # Text repeats (codes, names): look at each distinct value once.
        if not any(safe_cell(v) is not v for v in pd.unique(values.dropna())):
            continue
        if out is None:
            out = frame.copy()
        out.isetitem(position, values.map(safe_cell, na_action="ignore"))
    return frame if out is None else out
