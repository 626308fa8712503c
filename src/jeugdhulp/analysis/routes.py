"""Client routes: the sequence of forms of help per pseudonymous child across snapshot rounds.

Input is the long table of snapshot rows (one row per client per form of help on a peildatum,
uitvraagformat v1) with a ``periode`` column saying which round a row belongs to; periods sort
in time order. A child's *state* in a round is the set of forms of help it receives then, written
as the sorted codes joined by ``+`` (``BH+CB``), and its access on that day is NRTJH when any of
its rows is NRTJH, else RTJH. A *route* is the sequence of states from the first to the last
round the child appears in, with a round in between where it is absent written ``—`` and
consecutive equal states merged (staying in KP for three rounds is the route ``KP``).

Everything published goes through disclosure control (``jeugdhulp.analysis.disclosure``):
route counts from 1 to ``threshold − 1`` are merged into one line "overige routes" (made up to at
least the threshold with the smallest shown routes, so the merged line never reveals a small
count either); flow and transition tables between two rounds are suppressed as two-way tables
with margins (primary and secondary suppression).

No Django here: plain pandas in, pandas out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from jeugdhulp.analysis.disclosure import suppress_table
from jeugdhulp.data.frames import columns_of, empty_frame, rows_where

CLIENT, PERIOD, FORM, ACCESS = "client_pseudoniem", "periode", "hulpvorm", "toegang"
STATE = "toestand"
ABSENT = "—"
OTHER_ROUTES = "overige routes"
RTJH, NRTJH = "RTJH", "NRTJH"
ARROW = " → "


def stack_rounds(rounds: Sequence[tuple[object, pd.DataFrame]]) -> pd.DataFrame:
    """One long table from ``(period, rows)`` pairs (e.g. a round's peildatum and its rows).

    A period given as a date (``datetime.date``, ``datetime`` or ``pd.Timestamp``) becomes the
    integer ``YYYYMMDD`` (20250210), which sorts in time order: with integer periods the
    grouping in :func:`client_states` and :func:`extract_routes` stays vectorised, where date
    objects made it run in Python per group (minutes for a region).

    Parameters
    ----------
    rounds : Sequence of (object, pandas.DataFrame)
        Per round its period (a date or any sortable value) and its snapshot rows
        (``client_pseudoniem``, ``hulpvorm`` and optionally ``toegang``).

    Returns
    -------
    pandas.DataFrame
        The rows of every round with a ``periode`` column.
    """
    frames = [
        frame[[c for c in (CLIENT, FORM, ACCESS) if c in frame.columns]].assign(
            **{PERIOD: _period_number(period)}
        )
        for period, frame in rounds
    ]
    if not frames:
        return empty_frame([CLIENT, FORM, ACCESS, PERIOD])
    return pd.concat(frames, ignore_index=True)


def _period_number(period: object) -> object:
    if isinstance(period, dt.date):
        return period.year * 10_000 + period.month * 100 + period.day
    return period


def client_states(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per client × period: ``toestand`` (forms joined by ``+``) and ``toegang``.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`stack_rounds`.

    Returns
    -------
    pandas.DataFrame
        ``client_pseudoniem``, ``periode``, ``toestand`` and, when the rows have it, ``toegang``
        (``NRTJH`` when any of the client's rows in that period is, else ``RTJH``).
    """
    rows = rows.dropna(subset=[CLIENT, FORM]).astype({FORM: str})
    grouped = rows.groupby([CLIENT, PERIOD], sort=True)
    # one column's aggregate is a Series (pandas types grouped[...] as either groupby)
    joined = cast(pd.Series, grouped[FORM].agg(lambda forms: "+".join(sorted(set(forms)))))
    states = joined.rename(STATE)
    result = states.to_frame()
    if ACCESS in rows.columns:
        any_nrtjh = (
            (rows[ACCESS].astype(str).str.upper() == NRTJH)
            .groupby([rows[CLIENT], rows[PERIOD]])
            .any()
        )
        result[ACCESS] = np.where(any_nrtjh.reindex(result.index), NRTJH, RTJH)
    return result.reset_index()


def _wide(states: pd.DataFrame, column: str, periods: Sequence) -> pd.DataFrame:
    """Clients × periods of ``column``, ``—`` between a client's first and last appearance,
    missing (NaN) before and after."""
    wide = states.pivot(index=CLIENT, columns=PERIOD, values=column).reindex(columns=list(periods))
    present = wide.notna().to_numpy()
    n = present.shape[1]
    first = present.argmax(axis=1)
    last = n - 1 - present[:, ::-1].argmax(axis=1)
    position = np.arange(n)
    inside = (position >= first[:, None]) & (position <= last[:, None])
    return wide.mask(inside & ~present, ABSENT)


def extract_routes(states: pd.DataFrame, periods: Sequence | None = None, gaps: bool = True):
    """One route per client: its states from its first to its last round.

    Parameters
    ----------
    states : pandas.DataFrame
        :func:`client_states`.
    periods : Sequence or None
        The order and the set of rounds; None: every period in ``states``, sorted.
    gaps : bool
        Write a round in between where the client is absent as ``—``; False leaves absences out
        (for sequences such as a family's requests, whose dates are not shared rounds).

    Returns
    -------
    pandas.DataFrame
        One row per client: ``route`` (states joined by `` → ``), ``stappen`` (states in the
        route), ``rondes`` (periods the client appears in), ``eerste`` and ``laatste`` period.
    """
    if states.empty:
        return empty_frame([CLIENT, "route", "stappen", "rondes", "eerste", "laatste"])
    periods = sorted(states[PERIOD].unique()) if periods is None else list(periods)
    wide = _wide(states, STATE, periods)
    if not gaps:
        wide = wide.mask(wide == ABSENT)
    # stacking single-level columns gives a Series; NaN dropped, period order kept
    long = cast(pd.Series, wide.stack()).rename(STATE).reset_index()
    changed = long[STATE].ne(long.groupby(CLIENT)[STATE].shift())
    steps = long[changed]
    present = states.groupby(CLIENT)[PERIOD]
    routes = pd.DataFrame(
        {
            "route": steps.groupby(CLIENT)[STATE].agg(ARROW.join),
            "stappen": steps.groupby(CLIENT).size(),
            "rondes": present.nunique(),
            "eerste": present.min(),
            "laatste": present.max(),
        }
    )
    routes.index.name = CLIENT
    return routes.reset_index()


def route_counts(routes: pd.DataFrame, threshold: int, min_steps: int = 1) -> pd.DataFrame:
    """The most frequent routes, most frequent first, with disclosure control.

    Counts from 1 to ``threshold − 1`` are merged into ``overige routes``; when that line itself
    would be below the threshold the smallest shown routes join it until it reaches the
    threshold, and when even all routes together stay below it, nothing is shown.

    Parameters
    ----------
    routes : pandas.DataFrame
        :func:`extract_routes`.
    threshold : int
        The smallest count that may be shown (children).
    min_steps : int
        Routes with fewer steps are left out (``min_steps=2`` keeps the children whose help
        changed).

    Returns
    -------
    pandas.DataFrame
        ``route``, ``stappen``, ``aantal`` (children), ``aantal_routes`` (distinct routes in the
        line: 1, or more for the merged line).
    """
    kept = routes[routes["stappen"] >= min_steps]
    # size() of a DataFrameGroupBy with as_index is a Series
    counts = (
        cast(pd.Series, kept.groupby(["route", "stappen"]).size())
        .rename("aantal")
        .reset_index()
        # most frequent first; equal counts in a fixed (alphabetical) order
        .sort_values(["aantal", "route"], ascending=[False, True], ignore_index=True)
    )
    total = int(counts["aantal"].sum())
    if total < threshold:
        return empty_frame(["route", "stappen", "aantal", "aantal_routes"])
    merged = counts["aantal"].to_numpy() < threshold
    # Add the smallest shown routes (from the bottom) while the merged line is below threshold.
    order = np.flatnonzero(~merged)[::-1]
    for index in order:
        rest = counts.loc[merged, "aantal"].sum()
        if rest == 0 or rest >= threshold:
            break
        merged[index] = True
    shown = counts[~merged].assign(aantal_routes=1)
    if merged.any():
        other = pd.DataFrame(
            {
                "route": [OTHER_ROUTES],
                "stappen": [pd.NA],
                "aantal": [int(counts.loc[merged, "aantal"].sum())],
                "aantal_routes": [int(merged.sum())],
            }
        )
        shown = pd.concat([shown, other], ignore_index=True)
    return shown.astype({"aantal": int, "aantal_routes": int})


def transitions(
    states: pd.DataFrame, periods: Sequence | None = None, column: str = ACCESS
) -> pd.DataFrame:
    """Counts of children per (state before, state after) for each pair of consecutive periods.

    ``—`` stands for not being in that round (entering or leaving help).

    Parameters
    ----------
    states : pandas.DataFrame
        :func:`client_states`.
    periods : Sequence or None
        The rounds in order; None: every period in ``states``, sorted.
    column : str
        ``toegang`` (step-ups RTJH → NRTJH and step-downs back) or ``toestand``.

    Returns
    -------
    pandas.DataFrame
        ``van_periode``, ``naar_periode``, ``van``, ``naar``, ``aantal`` (children; raw: apply
        :func:`suppress_transitions` before publishing).
    """
    periods = sorted(states[PERIOD].unique()) if periods is None else list(periods)
    wide = states.pivot(index=CLIENT, columns=PERIOD, values=column).reindex(columns=periods)
    frames = []
    for before, after in itertools.pairwise(periods):
        pair = wide[[before, after]].dropna(how="all").fillna(ABSENT)
        sizes = cast(pd.Series, pair.groupby([before, after]).size())  # a Series, as above
        counts = sizes.rename("aantal").reset_index()
        counts.columns = ["van", "naar", "aantal"]
        frames.append(counts.assign(van_periode=before, naar_periode=after))
    if not frames:
        return empty_frame(["van_periode", "naar_periode", "van", "naar", "aantal"])
    return columns_of(
        pd.concat(frames, ignore_index=True),
        ["van_periode", "naar_periode", "van", "naar", "aantal"],
    )


def suppress_transitions(flows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """:func:`transitions` output with disclosure control per pair of periods.

    Each pair of periods is a two-way table (before × after) published with its margins, so it
    gets primary and secondary suppression as a table
    (:func:`jeugdhulp.analysis.disclosure.suppress_table`).

    Parameters
    ----------
    flows : pandas.DataFrame
        :func:`transitions`.
    threshold : int
        The smallest count that may be shown (children).

    Returns
    -------
    pandas.DataFrame
        The flows with ``verborgen`` added and ``aantal`` missing where hidden, plus the margins:
        rows with ``naar`` (or ``van``) equal to ``totaal``.
    """
    parts = []
    for key, group in flows.groupby(["van_periode", "naar_periode"], sort=True):
        before, after = cast(tuple[object, object], key)  # a list of keys gives tuple keys
        table = group.pivot_table(
            index="van", columns="naar", values="aantal", aggfunc="sum", fill_value=0
        )
        full = np.zeros((table.shape[0] + 1, table.shape[1] + 1), int)
        full[:-1, :-1] = table.to_numpy()
        full[:-1, -1] = full[:-1, :-1].sum(axis=1)
        full[-1, :] = full[:-1, :].sum(axis=0)
        hidden = suppress_table(full, threshold)
        rows = [*table.index, "totaal"]
        cols = [*table.columns, "totaal"]
        i, j = np.nonzero(full > 0)
        parts.append(
            pd.DataFrame(
                {
                    "van_periode": before,
                    "naar_periode": after,
                    "van": np.array(rows, dtype=object)[i],
                    "naar": np.array(cols, dtype=object)[j],
                    "aantal": pd.arrays.IntegerArray(full[i, j].astype(np.int64), hidden[i, j]),
                    "verborgen": hidden[i, j],
                }
            )
        )
    columns = ["van_periode", "naar_periode", "van", "naar", "aantal", "verborgen"]
    if not parts:
        return empty_frame(columns)
    return columns_of(pd.concat(parts, ignore_index=True), columns)


STEP_KINDS = ("opschaling", "afschaling", "bleef_rtjh", "bleef_nrtjh", "instroom", "uitstroom")


def step_summary(access_flows: pd.DataFrame) -> pd.DataFrame:
    """Per pair of periods: step-ups, step-downs, stayed, entered and left.

    A figure with a hidden part is hidden as a whole.

    Parameters
    ----------
    access_flows : pandas.DataFrame
        :func:`suppress_transitions` of the ``toegang`` transitions.

    Returns
    -------
    pandas.DataFrame
        ``van_periode``, ``naar_periode`` and the children in ``opschaling`` (RTJH → NRTJH),
        ``afschaling`` (NRTJH → RTJH), ``bleef_rtjh``, ``bleef_nrtjh``, ``instroom`` and
        ``uitstroom`` (missing where hidden).
    """
    inner = rows_where(
        access_flows, (access_flows["van"] != "totaal") & (access_flows["naar"] != "totaal")
    )
    kinds = {
        (RTJH, NRTJH): "opschaling",
        (NRTJH, RTJH): "afschaling",
        (RTJH, RTJH): "bleef_rtjh",
        (NRTJH, NRTJH): "bleef_nrtjh",
    }
    labelled = inner.assign(
        soort=[
            kinds.get((v, n), "instroom" if v == ABSENT else "uitstroom")
            for v, n in zip(inner["van"], inner["naar"], strict=True)
        ],
        aantal=inner["aantal"].fillna(0).astype(int),
    )
    index = ["van_periode", "naar_periode"]
    pairs = access_flows[index].drop_duplicates().set_index(index).index
    grouped = labelled.groupby([*index, "soort"])
    # unstacking a Series with a MultiIndex gives a DataFrame
    counts = cast(pd.DataFrame, grouped["aantal"].sum().unstack("soort"))
    hidden = cast(pd.DataFrame, grouped["verborgen"].any().unstack("soort"))
    counts = counts.reindex(index=pairs, columns=list(STEP_KINDS)).fillna(0).astype("Int64")
    hidden = hidden.reindex(index=pairs, columns=list(STEP_KINDS)).eq(True)
    return counts.mask(hidden).reset_index()
