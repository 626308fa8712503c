"""The request monitor's indicators, defined once (FORMATS.md, ``GET /api/v1/kpi/``) and used by
the dashboard, its exports, the API and the planning maps.

One query reads the rows the figures need: the partner rows of the network's requests in the
period (index on partner and registration date) with eight columns of each request; counts,
shares, medians and P90 are then taken with numpy, per partner and over the distinct requests.
A million requests in twenty networks means about 17,000 rows per network and year, so reading
them once is cheaper than scanning them once per figure in grouped queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

import numpy as np
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    Gebeurtenis,
    GebeurtenisType,
)
from jeugdhulp.accounts.models import GROUPING_KIND_VALUES, Organisation

PARTNERS = Aanmelding.partners.through
TERM_DAYS = 30


def median(values: np.ndarray) -> float | None:
    """The usual median (mean of the two middle values for an even count); None when empty."""
    return float(np.median(values)) if values.size else None


def p90_nearest_rank(values: np.ndarray) -> int | None:
    """90th percentile by the nearest-rank method: the ⌈0.9·n⌉-th smallest value.

    numpy's ``inverted_cdf`` method is exactly that definition (Hyndman & Fan 1996, type 1).
    """
    if not values.size:
        return None
    return int(np.percentile(values, 90, method="inverted_cdf"))


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Figures:
    # None: hidden by disclosure control (``disclosure.publish``).
    aantal: int | None = 0
    aandeel_gesprek_binnen_30_dagen: float | None = None
    aandeel_binnen_gewenste_termijn: float | None = None
    mediaan_dagen_tot_eerste_gesprek: float | None = None
    p90_dagen_tot_eerste_gesprek: int | None = None
    mediaan_dagen_tot_hulp: float | None = None
    open_wachtlijst: int | None = 0
    # Denominators and waiting-list entry dates: for disclosure control and the dashboard.
    teller_30_dagen: int = field(default=0, repr=False)
    noemer_30_dagen: int = field(default=0, repr=False)
    teller_gewenste_termijn: int = field(default=0, repr=False)
    noemer_gewenste_termijn: int = field(default=0, repr=False)
    aantal_met_gesprek: int = field(default=0, repr=False)
    aantal_met_hulp: int = field(default=0, repr=False)
    wachtlijst_sinds: list[dt.date] = field(default_factory=list, repr=False)

    def as_api(self) -> dict:
        data = asdict(self)
        return {name: data[name] for name in API_FIELDS}


API_FIELDS = [f.name for f in fields(Figures) if f.repr]


def network_partners(network: Organisation) -> QuerySet[Organisation]:
    """The partners taking part in a network or region (never the groupings themselves)."""
    return network.deelnemers.exclude(soort__in=GROUPING_KIND_VALUES).order_by("code")


def addressed_rows(partner_ids, van: dt.date, tot: dt.date) -> QuerySet:
    """The partner rows of those requests (one per request and partner), found in the index on
    partner and registration date."""
    return PARTNERS.objects.filter(
        organisatie_id__in=list(partner_ids), aangemeld_op__range=(van, tot)
    )


# The columns of a request the figures need, fetched once per computation.
_FIELDS = [
    "aangemeld_op",
    "gewenste_termijn",
    "eerste_gesprek_op",
    "dagen_tot_eerste_gesprek",
    "hulp_gestart_op",
    "dagen_tot_hulp",
    "status",
    "status_sinds",
]
_NEVER = np.iinfo(np.int64).max  # a missing date: after every day


def _ordinals(dates) -> np.ndarray:
    return np.array([_NEVER if d is None else d.toordinal() for d in dates], dtype=np.int64)


@dataclass
class _Rows:
    """The fetched rows (one per request, or per request and partner) as arrays."""

    keys: list[np.ndarray]  # one array per group column
    request: np.ndarray
    registered: np.ndarray
    term: np.ndarray
    talk: np.ndarray
    talk_days: np.ndarray
    help: np.ndarray
    help_days: np.ndarray
    waiting: np.ndarray  # on the waiting list on ``tot``
    waiting_since: np.ndarray  # the date it entered it (object array; None when not waiting)


def _fetch(rows: QuerySet, prefix: str, group: list[str], tot: dt.date) -> _Rows:
    """One query: the group columns, request id and KPI columns of ``rows`` (requests, prefix
    "", or partner rows, prefix "aanmelding__"), and each request's waiting-list entry date on
    ``tot`` (None when it is not waiting then)."""
    request_id = f"{prefix}pk" if prefix else "pk"
    names = [*group, request_id, *(prefix + f for f in _FIELDS)]
    data = list(rows.values_list(*names).order_by())
    columns = list(zip(*data, strict=True)) if data else [() for _ in names]
    n = len(group)
    request, registered, term, talk, talk_days, help_, help_days, status, since = columns[n:]
    if tot >= timezone.localdate():
        # Events are never dated in the future and each one is dated on or after the previous
        # (workflow), so up to today the last event is the one the request's status and
        # status_sinds record.
        waiting = [
            d if s == GebeurtenisType.WACHTLIJST else None
            for s, d in zip(status, since, strict=True)
        ]
    else:
        waiting_on = _waiting_on(rows, request_id, tot)
        waiting = [waiting_on.get(r) for r in request]
    return _Rows(
        keys=[np.array(c) for c in columns[:n]],
        request=np.array(request, dtype=np.int64),
        registered=_ordinals(registered),
        term=_ordinals(term),
        talk=_ordinals(talk),
        talk_days=np.array([-1 if d is None else d for d in talk_days], dtype=np.int64),
        help=_ordinals(help_),
        help_days=np.array([-1 if d is None else d for d in help_days], dtype=np.int64),
        waiting=np.array([d is not None for d in waiting], dtype=bool),
        waiting_since=np.array(waiting, dtype=object),
    )


def _waiting_on(rows: QuerySet, request_id: str, tot: dt.date) -> dict[int, dt.date]:
    """Request id -> the date it entered the waiting list, for the requests of ``rows`` whose
    last event up to ``tot`` is wachtlijst (read from the events: ``tot`` lies in the past)."""
    last = Gebeurtenis.objects.filter(aanmelding=OuterRef(request_id), datum__lte=tot).order_by(
        "-datum", "-id"
    )
    ever = Gebeurtenis.objects.filter(
        aanmelding=OuterRef(request_id), type=GebeurtenisType.WACHTLIJST, datum__lte=tot
    )
    found = (
        rows.filter(Exists(ever))
        .annotate(
            laatste=Subquery(last.values("type")[:1]), sinds=Subquery(last.values("datum")[:1])
        )
        .filter(laatste=GebeurtenisType.WACHTLIJST)
        .values_list(request_id, "sinds")
        .order_by()
    )
    return dict(found)


def _figures_of(r: _Rows, chosen: np.ndarray, tot: dt.date) -> Figures:
    """The figures of the rows selected by the index array ``chosen``."""
    end = tot.toordinal()
    talked = r.talk[chosen] <= end
    term = r.term[chosen]
    has_term = term != _NEVER
    k30 = int(np.count_nonzero(talked & (r.talk_days[chosen] <= TERM_DAYS)))
    n30 = int(np.count_nonzero((r.registered[chosen] <= end - TERM_DAYS) | talked))
    kt = int(np.count_nonzero(talked & has_term & (r.talk[chosen] <= term)))
    nt = int(np.count_nonzero(has_term & ((term <= end) | talked)))
    talks = r.talk_days[chosen][talked]
    helps = r.help_days[chosen][r.help[chosen] <= end]
    waiting = sorted(r.waiting_since[chosen][r.waiting[chosen]])
    return Figures(
        aantal=int(chosen.size),
        aandeel_gesprek_binnen_30_dagen=share(k30, n30),
        aandeel_binnen_gewenste_termijn=share(kt, nt),
        mediaan_dagen_tot_eerste_gesprek=median(talks),
        p90_dagen_tot_eerste_gesprek=p90_nearest_rank(talks),
        mediaan_dagen_tot_hulp=median(helps),
        open_wachtlijst=len(waiting),
        teller_30_dagen=k30,
        noemer_30_dagen=n30,
        teller_gewenste_termijn=kt,
        noemer_gewenste_termijn=nt,
        aantal_met_gesprek=int(talks.size),
        aantal_met_hulp=int(helps.size),
        wachtlijst_sinds=waiting,
    )


def _groups(keys: np.ndarray) -> dict:
    """Key -> the indices of the rows with that key."""
    if not keys.size:
        return {}
    values, inverse = np.unique(keys, return_inverse=True)
    return {key: np.flatnonzero(inverse == i) for i, key in enumerate(values.tolist())}


def _counts(values: np.ndarray) -> list[tuple]:
    found, n = np.unique(values, return_counts=True)
    return [(v, int(c)) for v, c in zip(found.tolist(), n, strict=True)]


_EPOCH = dt.date(1970, 1, 1).toordinal()


@dataclass
class NetworkKpis:
    totaal: Figures
    per_partner: dict[str, Figures]
    # Requests per month (first day) and per municipality: the dashboard's breakdowns.
    per_maand: list[tuple[dt.date, int]] = field(default_factory=list)
    per_gemeente: dict[str, int] = field(default_factory=dict)


def network_kpis(
    network: Organisation,
    van: dt.date,
    tot: dt.date,
    partner: Organisation | None = None,
    partners: list[Organisation] | None = None,
) -> NetworkKpis:
    """The KPIs of ``network`` for the requests registered from ``van`` to ``tot`` (inclusive),
    optionally only those addressed to ``partner``; ``partners``: the network's partners when
    the caller has them already.

    One query reads the partner rows of those requests with the request's columns; the totals
    count each request once."""
    if partners is None:
        partners = list(network_partners(network))
    if partner is not None:
        partners = [p for p in partners if p.pk == partner.pk]
    rows = addressed_rows([p.pk for p in partners], van, tot)
    r = _fetch(rows, "aanmelding__", ["organisatie_id", "aanmelding__gemeente"], tot)
    by_partner = _groups(r.keys[0])
    _ids, first = np.unique(r.request, return_index=True)
    months = (r.registered[first] - _EPOCH).astype("datetime64[D]").astype("datetime64[M]")
    empty = np.array([], dtype=np.int64)
    return NetworkKpis(
        totaal=_figures_of(r, first, tot),
        per_partner={p.code: _figures_of(r, by_partner.get(p.pk, empty), tot) for p in partners},
        per_maand=_counts(months.astype("datetime64[D]")),
        per_gemeente=dict(_counts(r.keys[1][first])),
    )


def per_domain(partner_ids, van: dt.date, tot: dt.date) -> dict[str, int]:
    """Requests per domain of their question (a request counts once for each of its domains).

    Read from the partner rows, like ``network_kpis``: the query then starts from the index on
    partner and date (a request addressed to two partners counts once: distinct)."""
    rows = (
        addressed_rows(partner_ids, van, tot)
        .filter(aanmelding__domein_rijen__isnull=False)
        .values(domein=F("aanmelding__domein_rijen__domein"))
        .annotate(n=Count("aanmelding_id", distinct=True))
        .order_by("-n", "domein")
    )
    return {r["domein"]: r["n"] for r in rows}


def waiting_ages(sinds: list[dt.date], tot: dt.date) -> dict:
    """Age in days on ``tot`` of the open waiting list: count, median, maximum."""
    ages = np.array([(tot - d).days for d in sinds], dtype=int)
    return {
        "aantal": int(ages.size),
        "mediaan_dagen": median(ages),
        "max_dagen": int(ages.max()) if ages.size else None,
    }
