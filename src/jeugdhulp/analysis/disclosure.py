"""Disclosure control: nothing that leaves the analysis reveals a count of 1 to threshold − 1.

The published counts form a two-way table with margins: areas × forms of help, the ``ALLE``
column as the areas' totals (a child may receive several forms, so ``ALLE`` is at most the sum;
treating it as the sum is the cautious choice) and the region's totals per form as the last row.
Primary suppression hides every count from 1 to ``threshold − 1``. Secondary suppression uses the
hypercube method (Giessing & Repsilber 2002, "Tools and strategies to protect multiple tables
with the GHQUAR cell suppression engine", *Inference Control in Statistical Databases*, LNCS
2316; Hundepool et al. 2012, *Statistical Disclosure Control*, §5.4): every primary cell becomes
a corner of a rectangle of hidden cells whose four corners are all positive. Adding +t to two
opposite corners and −t to the other two keeps every row and column total, and for small t
keeps every cell non-negative, so a hidden count can never be pinned to one value, not even with
the bounds ``x ≥ 0``. Among the possible rectangles the one hiding the least new information is
chosen (already hidden cells first, then small ones).

Breakdowns of a cell (by age band, by sex) are shown per area all or nothing: only when every
count of the area's breakdowns in every form is 0 or at least the threshold and the area's own
counts are all shown; then no line of a breakdown contains a hidden cell.

Rates, ratios and intervals derived from a count are hidden with it; a share is hidden with its
denominator and also when its numerator or its complement is from 1 to ``threshold − 1``.
"""

from __future__ import annotations

import numpy as np


def small(values: np.ndarray, threshold: int) -> np.ndarray:
    """Counts from 1 to ``threshold − 1`` (primary suppression)."""
    values = np.asarray(values, float)
    return (values >= 1) & (values < threshold)


def suppress_table(table: np.ndarray, threshold: int) -> np.ndarray:
    """Which cells of a table with margins to hide.

    Parameters
    ----------
    table
        ``[rows + 1, columns + 1]`` non-negative counts: the inner cells, the row totals in the
        last column, the column totals in the last row, the grand total in the corner.
    threshold
        Counts from 1 to ``threshold − 1`` are hidden.

    Every primary cell (i, j) gets its rectangle at once (so the work is vectorised): the
    partner column c is the cheapest positive cell of row i, then the partner row r the one
    with the cheapest positive pair (r, j), (r, c). The cost of a cell is 0 when it is a primary
    cell anyway, else its value. Returns a boolean mask of the same shape.
    """
    table = np.asarray(table, float)
    hidden = small(table, threshold)
    pi, pj = np.nonzero(hidden)
    if len(pi) == 0:
        return hidden
    n_rows = table.shape[0]
    cost = np.where(table > 0, np.where(hidden, 0.0, table), np.inf)
    row_cost = cost[pi].copy()
    row_cost[np.arange(len(pi)), pj] = np.inf
    pc = np.argmin(row_cost, axis=1)  # first minimum: lowest column on a tie
    pr = np.full(len(pi), -1)
    pairs = np.unique(np.c_[pj, pc], axis=0)
    for j, c in pairs:
        pair_cost = cost[:, j] + cost[:, c]
        best = np.lexsort((np.arange(n_rows), pair_cost))[:2]  # the two cheapest rows
        members = (pj == j) & (pc == c)
        first, second = best[0], best[1] if len(best) > 1 else best[0]
        choice = np.where(pi[members] == first, second, first)
        pr[members] = np.where(np.isfinite(pair_cost[choice]) & (choice != pi[members]), choice, -1)
    if (pr < 0).any() or not np.isfinite(row_cost[np.arange(len(pi)), pc]).all():
        # Only a table whose margins do not add up gets here; stay safe.
        return hidden | (table > 0)
    for rows, cols in ((pi, pc), (pr, pj), (pr, pc)):
        hidden[rows, cols] = True
    return hidden


def hide_shares(
    numerator: np.ndarray, denominator: np.ndarray, denominator_hidden: np.ndarray, threshold: int
) -> np.ndarray:
    """Mask of shares ``numerator / denominator`` that must be hidden."""
    numerator = np.asarray(numerator, float)
    rest = np.asarray(denominator, float) - numerator
    return denominator_hidden | small(numerator, threshold) | small(rest, threshold)
