"""The request monitor's indicators, defined once (FORMATS.md, ``GET /api/v1/kpi/``) and used by
the dashboard, its exports, the API and the planning maps.

Everything is aggregated in the database (counts, and histograms of whole days), so a network
with a million requests needs a handful of grouped queries; medians and P90 are then taken
from the histograms with numpy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

import numpy as np
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    AanmeldingDomein,
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
    aantal: int = 0
    aandeel_gesprek_binnen_30_dagen: float | None = None
    aandeel_binnen_gewenste_termijn: float | None = None
    mediaan_dagen_tot_eerste_gesprek: float | None = None
    p90_dagen_tot_eerste_gesprek: int | None = None
    mediaan_dagen_tot_hulp: float | None = None
    open_wachtlijst: int = 0
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


def requests_of(partner_ids, van: dt.date, tot: dt.date) -> QuerySet[Aanmelding]:
    """Requests registered from ``van`` to ``tot`` inclusive, addressed to one of the partners."""
    addressed = PARTNERS.objects.filter(organisation_id__in=list(partner_ids)).values(
        "aanmelding_id"
    )
    return Aanmelding.objects.filter(pk__in=addressed, aangemeld_op__range=(van, tot))


def _histograms(rows, prefix: str, group: list[str], day_field: str, date_field: str, tot):
    out: dict = {}
    for row in (
        rows.filter(**{f"{prefix}{date_field}__lte": tot})
        .values(*group, f"{prefix}{day_field}")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = row[group[0]] if group else None
        out.setdefault(key, ([], []))
        out[key][0].append(row[f"{prefix}{day_field}"])
        out[key][1].append(row["n"])
    return {
        k: np.repeat(np.array(v, dtype=int), np.array(n, dtype=int)) for k, (v, n) in out.items()
    }


def _waiting(rows, prefix: str, group: list[str], tot: dt.date) -> dict:
    """Requests whose status on ``tot`` is wachtlijst (their last event up to ``tot``), with the
    date they entered it."""
    outer = f"{prefix}pk" if prefix else "pk"
    if tot >= timezone.localdate():
        # Events are never dated in the future and each one is dated on or after the previous
        # (workflow), so up to today the last event is the one the request's status and
        # status_sinds record: no subquery over the events needed.
        found_rows = rows.filter(**{f"{prefix}status": GebeurtenisType.WACHTLIJST}).values(
            *group, sinds=F(f"{prefix}status_sinds")
        )
    else:
        last = Gebeurtenis.objects.filter(aanmelding=OuterRef(outer), datum__lte=tot).order_by(
            "-datum", "-id"
        )
        ever = Gebeurtenis.objects.filter(
            aanmelding=OuterRef(outer), type=GebeurtenisType.WACHTLIJST, datum__lte=tot
        )
        found_rows = (
            rows.filter(Exists(ever))
            .annotate(
                laatste=Subquery(last.values("type")[:1]),
                sinds=Subquery(last.values("datum")[:1]),
            )
            .filter(laatste=GebeurtenisType.WACHTLIJST)
            .values(*group, "sinds")
        )
    found: dict = {}
    for row in found_rows.order_by():
        found.setdefault(row[group[0]] if group else None, []).append(row["sinds"])
    return found


def _figures(rows, prefix: str, group: list[str], tot: dt.date) -> dict:
    """Figures per group key (None when not grouped) over ``rows``: requests (prefix "") or
    partner rows of the through table (prefix "aanmelding__")."""
    p = prefix
    deadline = tot - dt.timedelta(days=TERM_DAYS)
    talked = Q(**{f"{p}eerste_gesprek_op__lte": tot})
    measures = {
        "aantal": Count("pk"),
        "n30": Count("pk", filter=Q(**{f"{p}aangemeld_op__lte": deadline}) | talked),
        "k30": Count("pk", filter=talked & Q(**{f"{p}dagen_tot_eerste_gesprek__lte": TERM_DAYS})),
        "nt": Count(
            "pk",
            filter=Q(**{f"{p}gewenste_termijn__isnull": False})
            & (Q(**{f"{p}gewenste_termijn__lte": tot}) | talked),
        ),
        "kt": Count(
            "pk", filter=talked & Q(**{f"{p}eerste_gesprek_op__lte": F(f"{p}gewenste_termijn")})
        ),
    }
    if group:
        counts = list(rows.values(*group).annotate(**measures).order_by())
    else:
        counts = [rows.aggregate(**measures)]
    talks = _histograms(rows, p, group, "dagen_tot_eerste_gesprek", "eerste_gesprek_op", tot)
    helps = _histograms(rows, p, group, "dagen_tot_hulp", "hulp_gestart_op", tot)
    waiting = _waiting(rows, p, group, tot)
    empty = np.array([], dtype=int)
    result = {}
    for row in counts:
        key = row[group[0]] if group else None
        talk = talks.get(key, empty)
        result[key] = Figures(
            aantal=row["aantal"],
            aandeel_gesprek_binnen_30_dagen=share(row["k30"], row["n30"]),
            aandeel_binnen_gewenste_termijn=share(row["kt"], row["nt"]),
            mediaan_dagen_tot_eerste_gesprek=median(talk),
            p90_dagen_tot_eerste_gesprek=p90_nearest_rank(talk),
            mediaan_dagen_tot_hulp=median(helps.get(key, empty)),
            open_wachtlijst=len(waiting.get(key, [])),
            teller_30_dagen=row["k30"],
            noemer_30_dagen=row["n30"],
            teller_gewenste_termijn=row["kt"],
            noemer_gewenste_termijn=row["nt"],
            aantal_met_gesprek=int(talk.size),
            aantal_met_hulp=int(helps.get(key, empty).size),
            wachtlijst_sinds=sorted(waiting.get(key, [])),
        )
    return result


@dataclass
class NetworkKpis:
    totaal: Figures
    per_partner: dict[str, Figures]


def network_kpis(
    network: Organisation,
    van: dt.date,
    tot: dt.date,
    partner: Organisation | None = None,
    partners: list[Organisation] | None = None,
) -> NetworkKpis:
    """The KPIs of ``network`` for the requests registered from ``van`` to ``tot`` (inclusive),
    optionally only those addressed to ``partner``; ``partners``: the network's partners when
    the caller has them already."""
    if partners is None:
        partners = list(network_partners(network))
    if partner is not None:
        partners = [p for p in partners if p.pk == partner.pk]
    ids = [p.pk for p in partners]
    requests = requests_of(ids, van, tot)
    total = _figures(requests, "", [], tot).get(None, Figures())
    through = PARTNERS.objects.filter(
        organisation_id__in=ids, aanmelding__aangemeld_op__range=(van, tot)
    )
    grouped = _figures(through, "aanmelding__", ["organisation_id"], tot)
    return NetworkKpis(
        totaal=total, per_partner={p.code: grouped.get(p.pk, Figures()) for p in partners}
    )


def per_municipality(requests: QuerySet[Aanmelding], tot: dt.date) -> dict[str, Figures]:
    """The same figures per municipality of residence (they feed the planning maps)."""
    return _figures(requests, "", ["gemeente"], tot)


def count_per_municipality(requests: QuerySet[Aanmelding]) -> dict[str, int]:
    """Only the number of requests per municipality (one grouped count)."""
    rows = requests.values("gemeente").annotate(n=Count("pk")).order_by()
    return {r["gemeente"]: r["n"] for r in rows}


def per_month(requests: QuerySet[Aanmelding]) -> list[tuple[dt.date, int]]:
    rows = (
        requests.annotate(maand=TruncMonth("aangemeld_op"))
        .values("maand")
        .annotate(n=Count("pk"))
        .order_by("maand")
    )
    return [(r["maand"], r["n"]) for r in rows]


def per_domain(requests: QuerySet[Aanmelding]) -> dict[str, int]:
    rows = (
        AanmeldingDomein.objects.filter(aanmelding__in=requests.values("pk"))
        .values("domein")
        .annotate(n=Count("pk"))
        .order_by("-n")
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
