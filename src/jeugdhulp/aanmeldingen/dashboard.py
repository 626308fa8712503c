"""The network dashboard's figures (computed once, cached), and the formats of its channels
(map, export) over the figures ``disclosure.publish`` lets a viewer see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from jeugdhulp.aanmeldingen import figures_cache, kpi
from jeugdhulp.aanmeldingen.models import Domein
from jeugdhulp.accounts.models import Organisation
from jeugdhulp.reference import lookups
from jeugdhulp.reference.services import youth_population

PER = 1000


@dataclass
class Dashboard:
    network: Organisation
    van: dt.date
    tot: dt.date
    partner: Organisation | None
    totaal: kpi.Figures
    per_partner: list[tuple[Organisation, kpi.Figures]]
    per_month: list[tuple[dt.date, int]]
    # (code, name, count, youth population, per 1,000 youth)
    per_municipality: list[tuple[str, str, int, float | None, float | None]]
    per_domain: list[tuple[str, str, int]]  # code, label, count
    waiting: dict
    # When the figures were computed: the cache may serve them a little later (figures_cache).
    berekend_op: dt.datetime = field(default_factory=timezone.now, compare=False)
    # Set by ``disclosure.publish``: the figures are protected (hidden values are None), and,
    # with a partner chosen, the breakdowns by month, municipality and domain are withheld.
    beschermd: bool = False
    uitsplitsing_verborgen: bool = False


def build(
    network: Organisation, van: dt.date, tot: dt.date, partner: Organisation | None = None
) -> Dashboard:
    """The dashboard, from the cache while no request of the network changed, or changed less
    than ``JEUGDHULP_DASHBOARD_MAX_LAG`` seconds after it was computed (figures_cache)."""
    return figures_cache.cached(
        network.pk,
        ["dashboard", van, tot, partner.pk if partner else ""],
        lambda: compute(network, van, tot, partner),
    )


def compute(
    network: Organisation, van: dt.date, tot: dt.date, partner: Organisation | None = None
) -> Dashboard:
    partners = list(kpi.network_partners(network))
    chosen = [p for p in partners if partner is None or p.pk == partner.pk]
    figures = kpi.network_kpis(network, van, tot, partner, partners)
    # The network's own municipalities count too when nobody there was registered: where
    # help does not reach is the point of the map.
    municipal = dict.fromkeys(lookups.network_municipalities(network), 0) | figures.per_gemeente
    names = lookups.municipality_names(municipal)
    youth = youth_population(list(municipal)) if municipal else {}
    per_municipality = sorted(
        (
            (
                code,
                names.get(code, code),
                n,
                youth.get(code),
                round(PER * n / youth[code], 2) if youth.get(code) else None,
            )
            for code, n in municipal.items()
        ),
        key=lambda row: (-row[2], row[1], row[0]),
    )
    labels = dict(Domein.choices)
    return Dashboard(
        network=network,
        van=van,
        tot=tot,
        partner=partner,
        totaal=figures.totaal,
        per_partner=[(p, figures.per_partner[p.code]) for p in chosen],
        per_month=figures.per_maand,
        per_municipality=per_municipality,
        per_domain=[
            (code, labels.get(code, code), n)
            for code, n in kpi.per_domain([p.pk for p in chosen], van, tot).items()
        ],
        waiting=kpi.waiting_ages(figures.totaal.wachtlijst_sinds, tot),
    )


def municipality_map(board: Dashboard) -> dict:
    """The requests per municipality of a published board (``disclosure.publish``) as GeoJSON
    for the dashboard's map: ``aantal`` and ``per_1000`` (per 1,000 residents aged 0-24), both
    ``null`` where the count is hidden (``te_weinig``: the same cells as the page, the export
    and the API). Municipalities without an outline in the reference data are counted in
    ``zonder_grens``."""
    rows = board.per_municipality
    shapes = lookups.municipality_shapes(code for code, *_ in rows)
    features = [
        {
            "type": "Feature",
            "geometry": shapes[code],
            "properties": {
                "code": code,
                "naam": name,
                "aantal": n,
                "per_1000": rate,
                "te_weinig": n is None,
            },
        }
        for code, name, n, _youth, rate in rows
        if code in shapes
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "zonder_grens": len(rows) - len(features),
    }


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}".replace(".", ",")
    return str(value)


EXPORT_COLUMNS = [
    "indeling",
    "code",
    "naam",
    "aantal",
    "per_1000_jongeren",
    "aandeel_gesprek_binnen_30_dagen",
    "aandeel_binnen_gewenste_termijn",
    "mediaan_dagen_tot_eerste_gesprek",
    "p90_dagen_tot_eerste_gesprek",
    "mediaan_dagen_tot_hulp",
    "open_wachtlijst",
]


def _figure_cells(f: kpi.Figures) -> list:
    return [
        f.aandeel_gesprek_binnen_30_dagen,
        f.aandeel_binnen_gewenste_termijn,
        f.mediaan_dagen_tot_eerste_gesprek,
        f.p90_dagen_tot_eerste_gesprek,
        f.mediaan_dagen_tot_hulp,
        f.open_wachtlijst,
    ]


def export_rows(board: Dashboard) -> list[list[str]]:
    """A published board (``disclosure.publish``) as one table for export: hidden cells are
    empty, exactly those the page and the API hide."""
    rows = [
        [
            "totaal",
            board.network.code,
            board.network.naam,
            board.totaal.aantal,
            None,
            *_figure_cells(board.totaal),
        ]
    ]
    for org, f in board.per_partner:
        rows.append(["partner", org.code, org.naam, f.aantal, None, *_figure_cells(f)])
    blank = [None] * 6
    for month, n in board.per_month:
        rows.append(["maand", month.strftime("%Y-%m"), "", n, None, *blank])
    for code, name, n, _youth, rate in board.per_municipality:
        rows.append(["gemeente", code, name, n, rate, *blank])
    for code, label, n in board.per_domain:
        rows.append(["domein", code, label, n, None, *blank])
    return [[_fmt(cell) for cell in row] for row in rows]
