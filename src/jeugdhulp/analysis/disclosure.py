"""Disclosure control: the one mechanism every channel calls (see docs/en/disclosure.md).

The attacker has every public input, every published figure of every channel, knows that a
hidden cell is at least 1 (zeros are published) and solves equations and integer programs. The
promise: no count from 1 to ``threshold − 1`` and no hidden cell can be derived exactly or to
within ±1 from anything published.

The mechanism has five parts, each a function here:

- :func:`suppress_table` — primary suppression of the counts 1 … ``threshold − 1`` and secondary
  suppression with a *protection interval* against the lower bound 1: every primary cell has a
  witness, a move of it and a few other hidden cells that keeps every published figure and every
  hidden cell ≥ 1, up by a and down by b with ``a + b ≥ protection`` (default 3), so the
  attacker's integer interval of each moved cell holds at least ``protection + 1`` values. The
  witness is a rectangle of the hypercube method (Giessing & Repsilber 2002, *Inference
  Control in Statistical Databases*, LNCS 2316; Hundepool et al. 2012, *Statistical
  Disclosure Control*, §5.4) or, where ``ALLE`` (distinct children) is no exact row sum, a
  move within one column.
- :func:`protected_counts` — what derived statistics (model, smoothing, clusters) are computed
  from: the published counts, with each hidden cell replaced by its share of its column's hidden
  remainder in proportion to its expected count. Anything computed from it is a function of
  published figures and public inputs only, so no score equation or moment says anything about
  a hidden cell that the table itself does not.
- :func:`rounded_share` — a share is published only where its denominator is published and its
  numerator and complement are 0 or at least the threshold, and then with its numerator rounded
  to a multiple of the threshold, so shares cannot be added or subtracted into a small count.
- :func:`percentile_allowed` — a percentile (median, P90) only from a group with at least
  ``threshold`` values on each side of it.
- :func:`all_or_nothing` — a breakdown (age bands, sexes, strata) is shown whole or not at all: a
  line with a count from 1 to ``threshold − 1`` is hidden entirely.

:func:`small` and :func:`hide_shares` are the primary rule and the share rule on their own, for
tables that publish no derived statistics (the request monitor, triage reports).
"""

from __future__ import annotations

from typing import cast

import numpy as np

# The default protection interval: a hidden cell can be moved by at least this much.
PROTECTION = 3


def small(values: np.ndarray, threshold: int) -> np.ndarray:
    """Counts from 1 to ``threshold − 1`` (primary suppression).

    Parameters
    ----------
    values : numpy.ndarray
        Counts (children).
    threshold : int
        The smallest count that may be shown.

    Returns
    -------
    numpy.ndarray
        Boolean mask: True where the count is small.
    """
    values = np.asarray(values, float)
    return (values >= 1) & (values < threshold)


def _moves(
    values: np.ndarray, threshold: int, protection: int, two_way: bool
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per primary cell of value ``x``, the ways its witness may move it, tried in order: up by
    ``a`` and down by ``b`` (at most to 1), always with ``a + b ≥ protection``.

    First the ways that also reach the threshold (the attacker cannot even tell that the cell
    is small): one way up (``b = 0``) where every row total is an exact sum, else also up to
    the threshold and the rest down, which asks less room above the cells that go up (each is
    bounded by its row's ``ALLE``). Then, where ``ALLE`` bounds the rows, the splits of
    ``protection`` between up and down that need not reach the threshold: the promise (no
    count known to within ±1) holds with them too, and a row of ones or a rare form often has
    no witness that reaches it."""
    x = np.asarray(values, float)
    one_way = (np.maximum(threshold - x, protection), np.zeros_like(x))
    if not two_way:
        return [one_way]
    up = np.maximum(threshold - x, protection - (x - 1))
    options = [(up, np.maximum(protection - up, 0.0)), one_way]
    for down in range(protection, -1, -1):
        b = np.minimum(float(down), x - 1)
        options.append((protection - b, b))
    return options


def suppress_table(
    table: np.ndarray,
    threshold: int,
    *,
    protection: int = PROTECTION,
    total_is_sum: bool = True,
) -> np.ndarray:
    """Which cells of a table with margins to hide.

    A rectangle has rows {i, r} and columns {j, c}; moving the primary cell (i, j) up by a moves
    each corner by ±a (an inner corner opposite the primary down, a margin corner with its
    inner partner), moving it down by b moves each corner the other way. Where the last column
    counts distinct children, a move within one column suffices (two cells, not four), and
    every inner cell stays at most its row's ``ALLE``, ``ALLE`` at least every cell and at most
    their sum. Every moved cell stays ≥ 1 (:func:`_moves` gives a and b). Both moves keep every
    published figure, so the attacker's interval of each moved cell spans at least
    ``a + b ≥ protection``. Per primary cell the partner column is the cheapest admissible cell
    of its row, then the partner row the cheapest admissible one (or pair); the cost of a cell
    is 0 when it is hidden anyway, else its value; a region total only when no witness within
    the areas exists.

    Parameters
    ----------
    table : numpy.ndarray
        ``[rows + 1, columns + 1]`` non-negative counts (children): the inner cells, the row
        totals in the last column, the column totals in the last row, the grand total in the
        corner.
    threshold : int
        Counts from 1 to ``threshold − 1`` are hidden.
    protection : int
        Every hidden cell can move by at least this much (children) along its rectangle.
    total_is_sum : bool
        ``False`` when the last column is not the sum of the row but a count of distinct
        children (``ALLE``: at most the sum, at least the largest cell); the rectangles then
        keep those inequalities too.

    Returns
    -------
    numpy.ndarray
        Boolean mask of the same shape as ``table``: True where the cell is hidden.

    References
    ----------
    Giessing, S. & Repsilber, D. (2002). Tools and strategies to protect multiple tables with
    the GHQUAR cell suppression engine. In Inference Control in Statistical Databases, LNCS 2316.
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, §5.4.
    """
    table = np.asarray(table, float)
    hidden = small(table, threshold)
    pi, pj = np.nonzero(hidden)
    if len(pi) == 0:
        return hidden
    n_rows, n_cols = table.shape
    last_row, last_col = n_rows - 1, n_cols - 1
    cost = np.where(table > 0, np.where(hidden, 0.0, table), np.inf)
    # The room of each inner cell below its row's ALLE; ALLE's own room above the row's cells.
    if total_is_sum:
        room = np.full(table.shape, np.inf)
        alle_room = np.full(n_rows, np.inf)
    else:
        room = table[:, [last_col]] - table
        alle_room = table[:, last_col] - table[:, :last_col].max(axis=1, initial=0)

    def fits(value, cell_room, row_room, sign, with_alle, a, b):
        """Whether a corner can go ``sign·a`` and ``−sign·b`` (with ALLE when ``with_alle``)."""
        going_down = np.where(sign < 0, a, b)
        going_up = np.where(sign < 0, b, a)
        ok = value >= 1 + going_down
        return ok & np.where(with_alle, row_room >= going_down, cell_room >= going_up)

    cols = np.arange(n_cols)
    rows = np.arange(n_rows)
    pr = np.full(len(pi), -1)
    pc = np.full(len(pi), -1)
    options = _moves(table[pi, pj], threshold, protection, two_way=not total_is_sum)
    if not total_is_sum:
        # ALLE is no exact sum, so a form's cell can move with one other cell of its column
        # alone: an inner cell against another inner cell (opposite ways), a region total with
        # an inner cell (the same way). A cell that goes down by d needs a row whose forms
        # count at least d children twice (Σ forms − ALLE ≥ d); one that goes up stays ≤ ALLE.
        slack = table[:, :last_col].sum(axis=1) - table[:, last_col]
        form_cell = pj < last_col
        inner_row = rows < last_row
        for up, down in options:
            todo = (pr < 0) & form_cell & (room[pi, pj] >= up) & (slack[pi] >= down)
            todo = np.flatnonzero(todo)
            if len(todo) == 0:
                continue
            keys = np.c_[pj[todo], up[todo], down[todo], pi[todo] == last_row]
            groups, group_of = np.unique(keys, axis=0, return_inverse=True)
            for g, (j, u, d, i_margin) in enumerate(groups.astype(int)):
                members = todo[group_of.ravel() == g]
                goes_down = d if i_margin else u  # the partner's way down (and up: the other)
                goes_up = u if i_margin else d
                ok = inner_row & (table[:, j] >= 1 + goes_down) & (slack >= goes_down)
                ok &= room[:, j] >= goes_up
                partner_cost = np.where(ok, cost[:, j], np.inf)
                best = np.lexsort((rows, partner_cost))[:2]
                first, second = best[0], best[1] if len(best) > 1 else best[0]
                choice = np.where(pi[members] == first, second, first)
                good = np.isfinite(partner_cost[choice]) & (choice != pi[members])
                pr[members[good]] = choice[good]
                pc[members[good]] = pj[members[good]]
    # A region total is hidden only where no witness within the areas exists.
    for within_areas, (up, down) in [(True, o) for o in options] + [(False, o) for o in options]:
        # Column step: which columns c can partner the primary in its own row.
        with_alle = (pj[:, None] == last_col) | (cols[None, :] == last_col)
        beta = np.where(with_alle, 1, -1)
        a, b = up[:, None], down[:, None]
        admissible = (table[pi] > 0) & (cols[None, :] != pj[:, None]) & (pr < 0)[:, None]
        admissible &= fits(table[pi], room[pi], alle_room[pi, None], beta, with_alle, a, b)
        # The primary itself goes up by a and down by b (to 1 at most, by construction).
        admissible &= np.where(with_alle, alle_room[pi, None] >= b, room[pi, pj][:, None] >= a)
        column_cost = np.where(admissible, cost[pi], np.inf)
        for _ in range(n_cols):
            todo = np.flatnonzero(pr < 0)
            todo = todo[np.isfinite(column_cost[todo]).any(axis=1)]
            if len(todo) == 0:
                break
            pc[todo] = np.argmin(column_cost[todo], axis=1)
            margin_primary = pi[todo] == last_row
            keys = np.c_[pj[todo], pc[todo], up[todo], down[todo], margin_primary]
            groups, group_of = np.unique(keys, axis=0, return_inverse=True)
            for g, (j, c, u, d, i_margin) in enumerate(groups.astype(int)):
                members = todo[group_of.ravel() == g]
                pair_alle = last_col in (j, c)
                alpha = np.where((rows < last_row) & (i_margin == 0), -1, 1)
                sign_j, sign_c = alpha, alpha * (1 if pair_alle else -1)
                ok = (table[:, j] > 0) & (table[:, c] > 0)
                if within_areas:
                    ok &= rows < last_row
                for q, sign in ((j, sign_j), (c, sign_c)):
                    ok &= fits(table[:, q], room[:, q], alle_room, sign, pair_alle, u, d)
                pair_cost = np.where(ok, cost[:, j] + cost[:, c], np.inf)
                best = np.lexsort((rows, pair_cost))[:2]
                first, second = best[0], best[1] if len(best) > 1 else best[0]
                choice = np.where(pi[members] == first, second, first)
                good = np.isfinite(pair_cost[choice]) & (choice != pi[members])
                pr[members[good]] = choice[good]
                column_cost[members[~good], c] = np.inf
    if (pr < 0).any():
        # No admissible rectangle (a table of nothing but small cells): hide every count.
        return hidden | (table > 0)
    for r, c in ((pi, pc), (pr, pj), (pr, pc)):
        hidden[r, c] = True  # a move within one column has pc = pj: two cells, not four
    return hidden


def hide_shares(
    numerator: np.ndarray, denominator: np.ndarray, denominator_hidden: np.ndarray, threshold: int
) -> np.ndarray:
    """Mask of shares ``numerator / denominator`` that must be hidden.

    Parameters
    ----------
    numerator, denominator : numpy.ndarray
        Counts (children) of the share's part and whole.
    denominator_hidden : numpy.ndarray
        Boolean mask: True where the whole is hidden.
    threshold : int
        The smallest count that may be shown.

    Returns
    -------
    numpy.ndarray
        Boolean mask: True where the whole is hidden, or the part or the rest is small.
    """
    numerator = np.asarray(numerator, float)
    rest = np.asarray(denominator, float) - numerator
    return denominator_hidden | small(numerator, threshold) | small(rest, threshold)


def rounded_share(
    numerator: np.ndarray,
    denominator: np.ndarray,
    denominator_hidden: np.ndarray,
    threshold: int,
) -> np.ndarray:
    """The publishable share ``numerator / denominator``.

    NaN where :func:`hide_shares` says so (or the denominator is 0), else with the numerator
    rounded to the nearest multiple of ``threshold`` (at most ``denominator``), so that adding
    or subtracting shares of a cell leaves an uncertainty of ``threshold`` children or more.

    Parameters
    ----------
    numerator, denominator : numpy.ndarray
        Counts (children) of the share's part and whole.
    denominator_hidden : numpy.ndarray
        Boolean mask: True where the whole is hidden.
    threshold : int
        The smallest count that may be shown, also the rounding base.

    Returns
    -------
    numpy.ndarray
        The share in [0, 1], or NaN.
    """
    numerator = np.asarray(numerator, float)
    denominator = np.asarray(denominator, float)
    base = max(int(threshold), 1)
    rounded = np.minimum(np.floor(numerator / base + 0.5) * base, denominator)
    hide = hide_shares(numerator, denominator, denominator_hidden, threshold) | ~(denominator > 0)
    share = np.divide(rounded, denominator, out=np.full(numerator.shape, np.nan), where=~hide)
    return np.where(hide, np.nan, share)


def percentile_allowed(n: np.ndarray, quantile: float, threshold: int) -> np.ndarray:
    """Whether a percentile of a group of ``n`` values may be published.

    It may when at least ``threshold`` values lie below and above it: a median needs
    2·threshold values, a P90 10·threshold.

    Parameters
    ----------
    n : numpy.ndarray
        Values per group (children).
    quantile : float
        The percentile as a fraction, e.g. 0.5 or 0.9.
    threshold : int
        The smallest count that may be shown.

    Returns
    -------
    numpy.ndarray
        Boolean mask: True where the percentile may be published.
    """
    n = np.asarray(n, float)
    side = min(quantile, 1 - quantile)
    return np.floor(n * side + 1e-9) >= threshold


def all_or_nothing(counts: np.ndarray, threshold: int) -> np.ndarray:
    """Which lines of a breakdown must be hidden whole.

    Parameters
    ----------
    counts : numpy.ndarray
        ``[lines, parts]`` counts (children), e.g. an area's counts per age band.
    threshold : int
        The smallest count that may be shown.

    Returns
    -------
    numpy.ndarray
        Boolean mask per line: True where one of its parts is a count from 1 to
        ``threshold − 1``.
    """
    # counts has a parts axis, so any() over it leaves an array (numpy types it array or scalar)
    return cast(np.ndarray, small(np.asarray(counts, float), threshold).any(axis=-1))


def protected_counts(
    counts: np.ndarray,
    hidden: np.ndarray,
    column_totals: np.ndarray,
    totals_hidden: np.ndarray,
    expected: np.ndarray,
) -> np.ndarray:
    """The counts that derived statistics are computed from (``[rows, columns]``).

    Published cells keep their value. In a column whose total is published, the hidden cells
    share the column's hidden remainder (total − published cells, which anyone can compute) in
    proportion to ``expected``; in a column whose total is hidden, the whole column is NaN (no
    derived statistic is published for it). Everything about a hidden cell in the result is
    thus a function of published figures and public inputs.

    Parameters
    ----------
    counts : numpy.ndarray
        ``[rows, columns]`` counts (children).
    hidden : numpy.ndarray
        Boolean mask of the same shape: the hidden cells (:func:`suppress_table`).
    column_totals : numpy.ndarray
        Total per column (children).
    totals_hidden : numpy.ndarray
        Boolean per column: True where the column's total is hidden.
    expected : numpy.ndarray
        Expected count per cell (children), the weights of the hidden remainder; cells without
        a positive one weigh 0 (equal shares when no hidden cell of the column has one).

    Returns
    -------
    numpy.ndarray
        ``[rows, columns]`` protected counts (fractional where imputed); NaN in columns whose
        total is hidden.
    """
    counts = np.asarray(counts, float)
    hidden = np.asarray(hidden, bool)
    expected = np.where(np.isfinite(expected) & (expected > 0), expected, 0.0)
    out = np.where(hidden, 0.0, counts)
    remainder = np.asarray(column_totals, float) - out.sum(axis=0)
    weight = np.where(hidden, expected, 0.0)
    total_weight = weight.sum(axis=0)
    # No expected count among the hidden cells: share the remainder equally.
    weight = np.where(hidden & (total_weight == 0)[None, :], 1.0, weight)
    total_weight = weight.sum(axis=0)
    share = np.divide(weight, total_weight, out=np.zeros_like(weight), where=total_weight > 0)
    out = np.where(hidden, share * remainder[None, :], out)
    out[:, np.asarray(totals_hidden, bool)] = np.nan
    return out
