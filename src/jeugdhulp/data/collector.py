"""Problems of one input file, collected rule by rule over whole columns.

Every check takes whole columns (pandas or numpy) and yields one :class:`Problem` per row that
breaks the rule; Python only loops over the rows that have a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import cast

import numpy as np
import pandas as pd

from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.data.frames import rows_where

Values = pd.Series | np.ndarray | Sequence[object] | None


class Collector:
    """The problems found in ``file`` so far; ``rows`` are the spreadsheet row numbers (or
    feature numbers) of the table's rows, in order, and ``bad`` marks the rows with an error."""

    def __init__(self, file: str, rows: Sequence[int] | np.ndarray):
        self.file = file
        self.rows = np.asarray(rows, dtype=np.int64)
        self.problems: list[Problem] = []
        self.bad = np.zeros(len(self.rows), dtype=bool)
        # Cells never echoed in a message (a national number): column -> rows.
        self.hidden: dict[str, np.ndarray] = {}

    def file_problem(self, message: str, kind: str, column: str | None = None, **extra) -> None:
        """A problem of the whole file (no row)."""
        self.problems.append(Problem(message, column=column, file=self.file, kind=kind, **extra))

    def rows_problem(
        self,
        mask: pd.Series | np.ndarray,
        column: str | None,
        values: Values,
        message: str | Callable[[int], str],
        kind: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """One problem per row where ``mask`` holds, showing that row's cell of ``values``
        (``None``: no value); ``message(position)`` may depend on the row."""
        mask = np.asarray(mask, dtype=bool)
        if severity == Severity.ERROR:
            self.bad |= mask
        if column in self.hidden:
            mask = mask & ~self.hidden[column]
        raw = None if values is None else np.asarray(values, dtype=object)
        for i in np.flatnonzero(mask):
            text = message(int(i)) if callable(message) else message
            value = None if raw is None else raw[i]
            self.problems.append(
                Problem(text, int(self.rows[i]), column, value, severity, self.file, kind)
            )

    def required(
        self, present: pd.Series | np.ndarray, column: str, message: str, values: Values = None
    ) -> None:
        """A required cell that is empty (``present`` is false)."""
        self.rows_problem(~np.asarray(present, dtype=bool), column, values, message, "ontbrekend")

    def unknown_codes(
        self,
        codes: pd.Series,
        known: Collection[str],
        column: str,
        values: Values,
        message: str,
        *,
        where: pd.Series | np.ndarray | None = None,
    ) -> None:
        """A code (already normalised) that is not one of ``known``, in the rows ``where`` holds."""
        mask = ~codes.isin(known).to_numpy()
        if where is not None:
            mask &= np.asarray(where, dtype=bool)
        self.rows_problem(mask, column, values, message, "code_onbekend")

    def out_of_range(
        self,
        numbers: pd.Series | np.ndarray,
        column: str,
        values: Values,
        message: str,
        kind: str,
        *,
        low: float = -np.inf,
        high: float = np.inf,
        strict: bool = False,
        where: pd.Series | np.ndarray | None = None,
    ) -> None:
        """A number outside ``[low, high]`` (``(low, high)`` when ``strict``), or not a number,
        in the rows ``where`` holds."""
        x = np.asarray(numbers, dtype=float)
        with np.errstate(invalid="ignore"):
            inside = (x > low) & (x < high) if strict else (x >= low) & (x <= high)
        mask = ~inside
        if where is not None:
            mask &= np.asarray(where, dtype=bool)
        self.rows_problem(mask, column, values, message, kind)

    def duplicates(
        self,
        keys: pd.DataFrame,
        valid: pd.Series | np.ndarray,
        column: str,
        values: Values,
        message: Callable[[int, int], str],
    ) -> None:
        """Every repeat of a key (the rows of ``keys`` where ``valid`` holds) after its first
        occurrence; ``message(position, first_row)`` names the row it repeats."""
        valid = np.asarray(valid, dtype=bool)
        names = list(keys.columns)
        candidates = rows_where(keys.reset_index(drop=True).assign(_row=self.rows), valid)
        repeated = candidates.duplicated(names, keep="first").to_numpy()
        if not repeated.any():
            return
        first = np.zeros(len(self.rows), dtype=np.int64)
        first[candidates.index] = candidates.groupby(names, sort=False)["_row"].transform("first")
        mask = np.zeros(len(self.rows), dtype=bool)
        mask[candidates.index[repeated]] = True
        self.rows_problem(mask, column, values, lambda i: message(i, int(first[i])), "dubbel")

    def required_unique(
        self,
        codes: pd.Series,
        column: str,
        missing: str,
        repeated: Callable[[int, int], str],
    ) -> None:
        """An identifying code that is empty (``missing``) or repeats an earlier row
        (``repeated(position, first_row)``), reported in row order."""
        start = len(self.problems)
        present = (codes != "").to_numpy()
        self.required(present, column, missing)
        self.duplicates(codes.to_frame("code"), present, column, codes, repeated)
        # rows_problem gives each of these problems a row
        self.problems[start:] = sorted(self.problems[start:], key=lambda p: cast(int, p.row))

    def raise_errors(self, *, by_row: bool = False) -> None:
        """Raise ``InputError`` with every problem when there is an error. ``by_row``: warnings
        first, then errors, each in row order (file problems first), in the order found within
        a row."""
        if not any(p.is_error for p in self.problems):
            return
        problems = self.problems
        if by_row:
            problems = sorted(problems, key=lambda p: (p.is_error, -1 if p.row is None else p.row))
        raise InputError(problems, self.file)
