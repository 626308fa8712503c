"""The typed column helpers return exactly what the pandas expressions they stand for return."""

import numpy as np
import pandas as pd
import pytest

from jeugdhulp.data.frames import column_of, columns_of, empty_frame, rows_where, to_numbers


@pytest.fixture
def frame():
    return pd.DataFrame({"code": ["a", "b", "c"], "n": ["1", "x", ""], "m": [1.5, 2.0, 3.0]})


def test_column_of_is_the_column_itself_not_a_copy(frame):
    column = column_of(frame, "m")
    assert isinstance(column, pd.Series)
    pd.testing.assert_series_equal(column, frame["m"])
    assert np.shares_memory(column.to_numpy(), frame["m"].to_numpy())


def test_columns_of_keeps_the_order_asked_for(frame):
    picked = columns_of(frame, ("m", "code"))
    assert list(picked.columns) == ["m", "code"]
    pd.testing.assert_frame_equal(picked, frame[["m", "code"]])


def test_rows_where_keeps_the_rows_of_a_mask_from_a_series_or_an_array(frame):
    mask = frame["m"] > 1.6
    pd.testing.assert_frame_equal(rows_where(frame, mask), frame[mask])
    pd.testing.assert_frame_equal(rows_where(frame, mask.to_numpy()), frame.iloc[[1, 2]])


def test_to_numbers_gives_nan_for_text_that_is_no_number(frame):
    numbers = to_numbers(frame["n"])
    assert numbers.iloc[0] == 1
    assert numbers.iloc[1:].isna().all()


def test_empty_frame_is_what_pandas_makes_of_a_list_of_columns():
    columns = ["van", "naar", "aantal"]
    made = empty_frame(columns)
    pd.testing.assert_frame_equal(made, pd.DataFrame(columns=columns))
    assert list(made.dtypes) == [object] * 3
    assert len(made) == 0
