"""Typed access to a DataFrame's columns.

pandas annotates ``DataFrame.__getitem__`` as returning a Series or a DataFrame, and
``pd.to_numeric`` as returning a scalar, an array or a Series, whatever the argument, so pyright
cannot tell that ``frame["x"]`` is a Series, ``frame[["x", "y"]]`` or ``frame[mask]`` a DataFrame or
``pd.to_numeric(series)`` a Series. These helpers state what pandas returns for those arguments;
the readers and the analysis only take labels of frames whose column names are unique (the
readers refuse repeated headers), where a single label always gives a Series.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import cast

import numpy as np
import pandas as pd


def column_of(frame: pd.DataFrame, name: Hashable) -> pd.Series:
    """The column ``name`` of ``frame`` (no copy)."""
    return cast(pd.Series, frame[name])


def columns_of(frame: pd.DataFrame, names: Sequence[Hashable]) -> pd.DataFrame:
    """The columns ``names`` of ``frame``, in that order, as a new frame."""
    return cast(pd.DataFrame, frame[list(names)])


def empty_frame(columns: Sequence[Hashable]) -> pd.DataFrame:
    """A frame with the columns ``columns`` (of dtype object) and no rows."""
    # An Index, as pandas makes of a list: its annotations reject a list (the ``index`` method
    # of their SequenceNotStr protocol does not match typeshed's list.index).
    return pd.DataFrame(columns=pd.Index(columns))


def rows_where(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where the boolean ``mask`` holds, as a new frame."""
    return cast(pd.DataFrame, frame[mask])


def to_numbers(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")``: numbers, NaN where a value is none."""
    return cast(pd.Series, pd.to_numeric(values, errors="coerce"))
