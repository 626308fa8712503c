"""One disclosure rule for every channel of the request monitor.

The dashboard's tables, its map (GeoJSON), its CSV export and the KPI API all publish what
``publish(board, user)`` returns, and nothing else: no channel suppresses on its own. So a cell is
hidden or shown with the same value everywhere, and combining channels reveals nothing one
channel hides.

Who sees what:

- a coordinator of the network (or of a region whose partners include every partner of the
  network) sees the exact figures: they may open every request behind them anyway;
- everyone else who may read the network's KPIs (an analist of the network or of its region, a
  coordinator of another network that reaches it) gets protected figures:

  - counts from 1 to ``JEUGDHULP_DISCLOSURE_THRESHOLD − 1`` are hidden in every breakdown (per
    partner, per municipality, per domain, per month, the waiting list per partner) and in the
    totals (primary suppression, ``analysis.disclosure.small``);
  - secondary suppression per breakdown against its total with ``analysis.disclosure.
    suppress_table``, then, because zeros are published and a hidden count is therefore known to
    be at least 1, more cells are hidden until no hidden cell of the breakdown can be pinned:
    with ``k`` hidden cells whose sum ``S`` follows from the total, every one lies between 1 and
    ``S − k + 1``, so ``S ≥ k + PROTECTION`` is required (at least four possible values, the
    protection interval of ``analysis.disclosure``; and never one hidden cell alone);
  - every figure derived from a hidden count is hidden with it: per-1,000 rates, shares (also
    when their numerator or complement is small, ``hide_shares``), medians and P90 over fewer
    than ``threshold`` values, the open waiting list and its median age; the longest wait (one
    family's wait) is never shown;
  - periods are whole calendar quarters that have ended: the quarter that holds the asked ``tot``
    (the previous one while it is still running). Arbitrary or overlapping periods could be
    subtracted from each other (a period one day longer gives that day's requests), and the
    figures of a running quarter change with every registration;
  - with a partner chosen, only that partner's line of the network's protected table (the same
    values and the same hidden cells as without a partner); its breakdowns by month, municipality
    and domain are not shown, because together with the network's breakdowns they would be the
    rows and margins of a partner × municipality table that the one-way protection does not
    cover.

Hidden values are ``None``: "te weinig gegevens" on the page, ``null`` in JSON, empty in CSV.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
from django.conf import settings

from jeugdhulp.aanmeldingen import access, dashboard, kpi
from jeugdhulp.accounts.models import Organisation, Role
from jeugdhulp.accounts.permissions import scope_of
from jeugdhulp.analysis.disclosure import PROTECTION, hide_shares, small, suppress_table


def sees_exact(user, network: Organisation) -> bool:
    """Whether ``user`` coordinates ``network``: as its coordinator, or as coordinator of
    organisations that include every partner of it (then every request counted is theirs to see)."""
    scope = scope_of(user)
    if network.pk in scope.organisations(Role.COORDINATOR):
        return True
    partners = set(kpi.network_partners(network).values_list("pk", flat=True))
    return bool(partners) and partners <= access.coordinated_organisations(user)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = dt.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def period_for(
    user, network: Organisation, van: dt.date, tot: dt.date, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The period whose figures ``user`` gets for the asked ``van``–``tot``: the same for the
    network's coordinator, else the ended calendar quarter that holds ``tot`` (or the last ended
    one)."""
    if sees_exact(user, network):
        return van, tot
    first, last = quarter_of(min(tot, today))
    if last >= today:
        first, last = quarter_of(first - dt.timedelta(days=1))
    return first, last


def protect_breakdown(
    counts, margin: int, threshold: int, forced: np.ndarray | None = None
) -> tuple[np.ndarray, bool]:
    """Which counts of a one-way breakdown to hide, and whether its total must be hidden too.

    ``margin`` is the breakdown's total (the sum of its counts when that is larger: a request
    addressed to two partners counts for both, so the cautious total is the sum). ``forced``:
    cells already hidden for another reason (a hidden partner's waiting list). Built on
    ``suppress_table`` (primary and secondary suppression), then hardened against the lower
    bound 1 of a hidden count: cells are added, smallest first, until the hidden cells' sum
    ``S`` is at least their number ``k`` plus ``PROTECTION`` (each then spans at least
    ``PROTECTION + 1`` values) and ``k`` ≠ 1; when no cell is left, the total is hidden too.
    """
    values = np.asarray(counts, float)
    if not values.size:
        return np.zeros(0, bool), bool(small(np.array([margin]), threshold)[0])
    total = max(float(margin), float(values.sum()))
    column = np.append(values, total)
    mask = suppress_table(np.column_stack([column, column]), threshold)
    hidden = mask[:-1, 0] | mask[:-1, 1]
    if forced is not None:
        hidden |= np.asarray(forced, bool)
    hidden &= values > 0  # a zero is published: hiding it protects nothing
    total_hidden = bool(mask[-1, 0] or mask[-1, 1] or small(np.array([total]), threshold)[0])
    while not total_hidden:
        k = int(np.count_nonzero(hidden))
        rest = total - values[~hidden].sum()
        if k == 0 or (k >= 2 and rest >= k + PROTECTION):
            break
        candidates = np.flatnonzero(~hidden & (values > 0))
        if candidates.size:
            hidden[candidates[np.argmin(values[candidates])]] = True
        else:
            total_hidden = True
    return hidden, total_hidden


def _published_figures(
    f: kpi.Figures, count_hidden: bool, waiting_hidden: bool, threshold: int
) -> kpi.Figures:
    """A row's figures as published: a fresh ``Figures`` without the denominators and dates."""

    def share(value, numerator, denominator):
        hide = count_hidden or bool(
            hide_shares(
                np.array([numerator]),
                np.array([denominator]),
                small(np.array([denominator]), threshold),
                threshold,
            )[0]
        )
        return None if hide else value

    few_talks = count_hidden or f.aantal_met_gesprek < threshold
    return kpi.Figures(
        aantal=None if count_hidden else f.aantal,
        aandeel_gesprek_binnen_30_dagen=share(
            f.aandeel_gesprek_binnen_30_dagen, f.teller_30_dagen, f.noemer_30_dagen
        ),
        aandeel_binnen_gewenste_termijn=share(
            f.aandeel_binnen_gewenste_termijn,
            f.teller_gewenste_termijn,
            f.noemer_gewenste_termijn,
        ),
        mediaan_dagen_tot_eerste_gesprek=None if few_talks else f.mediaan_dagen_tot_eerste_gesprek,
        p90_dagen_tot_eerste_gesprek=None if few_talks else f.p90_dagen_tot_eerste_gesprek,
        mediaan_dagen_tot_hulp=(
            None if count_hidden or f.aantal_met_hulp < threshold else f.mediaan_dagen_tot_hulp
        ),
        open_wachtlijst=None if count_hidden or waiting_hidden else f.open_wachtlijst,
    )


def _protected(board: dashboard.Dashboard, threshold: int) -> dashboard.Dashboard:
    """The network's board (no partner chosen) with every channel's protection applied."""
    total = board.totaal.aantal
    figures = [f for _, f in board.per_partner]
    partner_hidden, total_hidden = protect_breakdown([f.aantal for f in figures], total, threshold)
    waiting = board.totaal.open_wachtlijst
    waiting_cells, waiting_hidden = protect_breakdown(
        [f.open_wachtlijst for f in figures], waiting, threshold, forced=partner_hidden
    )
    month_hidden, month_total = protect_breakdown([n for _, n in board.per_month], total, threshold)
    muni_hidden, muni_total = protect_breakdown(
        [row[2] for row in board.per_municipality], total, threshold
    )
    domain_hidden, domain_total = protect_breakdown(
        [n for *_, n in board.per_domain], total, threshold
    )
    # The total is one number in every breakdown: hidden in one, hidden in all (and then each
    # breakdown is protected again, since its margin is no longer known).
    total_hidden = total_hidden or month_total or muni_total
    if total_hidden:
        margin = None
        partner_hidden |= np.array([f.aantal > 0 for f in figures], bool)
        month_hidden |= np.array([n > 0 for _, n in board.per_month], bool)
        muni_hidden |= np.array([row[2] > 0 for row in board.per_municipality], bool)
        domain_total = True
        waiting_hidden = True
    else:
        margin = total
    waiting_hidden = waiting_hidden or total_hidden
    if waiting_hidden:
        waiting_cells |= np.array([f.open_wachtlijst > 0 for f in figures], bool)
    few_waiting = waiting_hidden or waiting < threshold
    return replace(
        board,
        totaal=_published_figures(board.totaal, margin is None, waiting_hidden, threshold),
        per_partner=[
            (org, _published_figures(f, bool(hide), bool(wait), threshold))
            for (org, f), hide, wait in zip(
                board.per_partner, partner_hidden, waiting_cells, strict=True
            )
        ],
        per_month=[
            (month, None if hide else n)
            for (month, n), hide in zip(board.per_month, month_hidden, strict=True)
        ],
        per_municipality=[
            (code, name, None, youth, None) if hide else (code, name, n, youth, rate)
            for (code, name, n, youth, rate), hide in zip(
                board.per_municipality, muni_hidden, strict=True
            )
        ],
        per_domain=[
            (code, label, None if hide or domain_total else n)
            for (code, label, n), hide in zip(board.per_domain, domain_hidden, strict=True)
        ],
        waiting={
            "aantal": None if waiting_hidden else waiting,
            "mediaan_dagen": None if few_waiting else board.waiting["mediaan_dagen"],
            "max_dagen": None,
        },
        beschermd=True,
    )


def publish(board: dashboard.Dashboard, user, threshold: int | None = None) -> dashboard.Dashboard:
    """The figures of ``board`` that ``user`` may see, for every channel (see the module's
    docstring); hidden values are ``None``."""
    if sees_exact(user, board.network):
        return board
    threshold = settings.JEUGDHULP_DISCLOSURE_THRESHOLD if threshold is None else threshold
    if board.partner is None:
        return _protected(board, threshold)
    network = _protected(dashboard.build(board.network, board.van, board.tot), threshold)
    line = next(f for org, f in network.per_partner if org.pk == board.partner.pk)
    return replace(
        network,
        partner=board.partner,
        totaal=line,
        per_partner=[(board.partner, line)],
        per_month=[],
        per_municipality=[],
        per_domain=[],
        waiting={"aantal": line.open_wachtlijst, "mediaan_dagen": None, "max_dagen": None},
        uitsplitsing_verborgen=True,
    )
