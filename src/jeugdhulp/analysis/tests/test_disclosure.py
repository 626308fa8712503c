import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jeugdhulp.analysis.disclosure import hide_shares, suppress_table


def with_margins(inner: np.ndarray) -> np.ndarray:
    full = np.zeros((inner.shape[0] + 1, inner.shape[1] + 1), int)
    full[:-1, :-1] = inner
    full[:-1, -1] = inner.sum(axis=1)
    full[-1, :-1] = inner.sum(axis=0)
    full[-1, -1] = inner.sum()
    return full


def attacker_bounds(full: np.ndarray, hidden: np.ndarray) -> list[tuple[float, float]]:
    """The tightest interval an attacker can prove for each hidden cell (linear programming
    over every table with the published cells, the row and column sums and x ≥ 0)."""
    rows, cols = full.shape
    n = full.size
    eqs, rhs = [], []
    for i in range(rows):
        eq = np.zeros(n)
        eq[i * cols : i * cols + cols - 1] = 1
        eq[i * cols + cols - 1] = -1
        eqs.append(eq)
        rhs.append(0)
    for j in range(cols):
        eq = np.zeros(n)
        eq[[i * cols + j for i in range(rows - 1)]] = 1
        eq[(rows - 1) * cols + j] = -1
        eqs.append(eq)
        rhs.append(0)
    flat_hidden = hidden.ravel()
    for k in np.flatnonzero(~flat_hidden):
        eq = np.zeros(n)
        eq[k] = 1
        eqs.append(eq)
        rhs.append(full.ravel()[k])
    bounds = []
    for k in np.flatnonzero(flat_hidden):
        c = np.zeros(n)
        c[k] = 1
        low = linprog(c, A_eq=np.array(eqs), b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=np.array(eqs), b_eq=rhs, bounds=(0, None), method="highs")
        bounds.append((low.fun, np.inf if high.status == 3 else -high.fun))
    return bounds


def test_a_small_count_is_hidden_with_the_cheapest_positive_rectangle():
    inner = np.array([[2, 10, 7], [9, 12, 30], [8, 40, 6]])
    full = with_margins(inner)
    hidden = suppress_table(full, 5)
    # 2 at (0, 0): opposite corners in its row/column, the cheapest positive rectangle is
    # rows 0 and 2 (8 < 9), columns 0 and 2: 2 + 7 + 8 + 6.
    expected = np.zeros(full.shape, bool)
    expected[[0, 0, 2, 2], [0, 2, 0, 2]] = True
    assert (hidden == expected).all()


def test_counts_at_the_threshold_and_zeros_stay_visible():
    full = with_margins(np.array([[0, 5], [5, 9]]))
    assert not suppress_table(full, 5).any()


def test_a_small_region_total_is_hidden_too():
    full = with_margins(np.array([[1, 0], [0, 2]]))
    hidden = suppress_table(full, 5)
    assert hidden[-1, -1] and hidden[0, 0] and hidden[1, 1]


def test_a_share_is_hidden_when_its_numerator_or_complement_is_small():
    hidden = hide_shares(
        np.array([0, 2, 18, 10, 10]),
        np.array([20, 20, 20, 20, 20]),
        np.array([False, False, False, False, True]),
        5,
    )
    assert hidden.tolist() == [False, True, True, False, True]


tables = st.integers(1, 4).flatmap(
    lambda r: st.integers(1, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 12), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(tables, st.integers(2, 6))
def test_no_hidden_count_can_be_pinned_down_from_the_published_table(inner, threshold):
    full = with_margins(np.array(inner))
    hidden = suppress_table(full, threshold)
    flat = full.ravel()
    small = (flat >= 1) & (flat < threshold)
    assert np.all(hidden.ravel()[small])
    for (low, high), value in zip(attacker_bounds(full, hidden), flat[hidden.ravel()], strict=True):
        assert low <= value <= high
        assert high - low > 0.5, (full, hidden)
