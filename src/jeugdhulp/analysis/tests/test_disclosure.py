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


@st.composite
def distinct_children_tables(draw) -> np.ndarray:
    """``[areas + 1, forms + 1]``: per area the children per form and, last, ``ALLE`` (distinct
    children: any integer from the largest form to their sum); the region row last."""
    n_areas, n_forms = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    table = np.zeros((n_areas + 1, n_forms + 1), int)
    for area in range(n_areas):
        forms = draw(st.lists(st.integers(0, 10), min_size=n_forms, max_size=n_forms))
        table[area, :n_forms] = forms
        table[area, n_forms] = draw(st.integers(max(forms), sum(forms)))
    table[n_areas] = table[:n_areas].sum(axis=0)
    return table


def distinct_children_bounds(table: np.ndarray, hidden: np.ndarray) -> list[tuple[float, float]]:
    """The attacker's tightest integer interval per hidden cell: column sums exact, ``ALLE`` at
    least each form and at most their sum, hidden cells at least 1 (zeros are published)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows, cols = table.shape
    n = table.size
    index = np.arange(n).reshape(rows, cols)
    a, low, high = [], [], []

    def relation(terms, lo, hi):
        row = np.zeros(n)
        for cell, coefficient in terms:
            row[index[cell]] += coefficient
        a.append(row)
        low.append(lo)
        high.append(hi)

    for j in range(cols):
        relation([((i, j), 1.0) for i in range(rows - 1)] + [((rows - 1, j), -1.0)], 0, 0)
    for i in range(rows):
        relation([((i, j), 1.0) for j in range(cols - 1)] + [((i, cols - 1), -1.0)], 0, np.inf)
        for j in range(cols - 1):
            relation([((i, cols - 1), 1.0), ((i, j), -1.0)], 0, np.inf)
    flat, flat_hidden = table.ravel().astype(float), hidden.ravel()
    lower = np.where(flat_hidden, 1.0, flat)
    upper = np.where(flat_hidden, 1000.0, flat)
    constraints = LinearConstraint(np.array(a), low, high)
    bounds = []
    for k in np.flatnonzero(flat_hidden):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[k] = sign
            found = milp(c, constraints=constraints, bounds=Bounds(lower, upper), integrality=1)
            ends.append(sign * found.fun)
        bounds.append((ends[0], ends[1]))
    return bounds


@settings(max_examples=200, deadline=None)
@given(distinct_children_tables())
def test_distinct_children_tables_keep_every_hidden_cell_three_wide(table):
    """ALLE is no sum: a form's cell may move against one cell of its column alone, in a row
    whose forms count children twice. No hidden cell may be pinned to within ±1."""
    hidden = suppress_table(table, 5, total_is_sum=False)
    assert np.all(hidden[(table >= 1) & (table < 5)])
    values = table.ravel()[hidden.ravel()]
    for (low, high), value in zip(distinct_children_bounds(table, hidden), values, strict=True):
        assert low <= value <= high
        assert high - low >= 3, (table, hidden)


def test_a_form_cell_moves_against_one_cell_of_its_column_where_children_count_twice():
    # Area 0: one child in form 0 (ALLE 9, room to grow). Area 1: 8 children in form 0, 6 of
    # whom are also in form 1 (Σ forms − ALLE = 6 ≥ 4): the pair (0, 0)–(1, 0) suffices.
    table = np.array([[1, 8, 9], [8, 6, 8], [9, 14, 17]])
    hidden = suppress_table(table, 5, total_is_sum=False)
    expected = np.zeros(table.shape, bool)
    expected[[0, 1], [0, 0]] = True
    assert (hidden == expected).all()


def test_a_rare_form_keeps_its_region_total_when_a_witness_within_the_areas_exists():
    # Form 0 has 1 and 4 children: the 1 moves up 3 against the 4 (whose row counts 3 children
    # twice), the 4 down 3 against the 1. Neither needs the region total, which stays shown.
    table = np.array([[1, 9, 9], [4, 9, 10], [0, 9, 9], [5, 27, 28]])
    hidden = suppress_table(table, 5, total_is_sum=False)
    expected = np.zeros(table.shape, bool)
    expected[[0, 1], [0, 0]] = True
    assert (hidden == expected).all()
    for (low, high), value in zip(distinct_children_bounds(table, hidden), [1, 4], strict=True):
        assert (low, high) == (1, 4) and low <= value <= high
