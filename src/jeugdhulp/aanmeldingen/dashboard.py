"""The network dashboard's tables, and their export with disclosure control."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone

from jeugdhulp.aanmeldingen import areas, figures_cache, kpi
from jeugdhulp.aanmeldingen.models import Domein
from jeugdhulp.accounts.models import Organisation
from jeugdhulp.analysis.disclosure import hide_shares, small, suppress_table
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
    municipal = dict.fromkeys(areas.network_municipalities(network), 0) | figures.per_gemeente
    names = areas.municipality_names(municipal)
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


def municipality_map(board: Dashboard, threshold: int | None = None) -> dict:
    """The requests per municipality as GeoJSON for the dashboard's map: ``aantal`` and
    ``per_1000`` (per 1,000 residents aged 0-24), both ``null`` where disclosure control hides
    the count (``te_weinig``: as in the export, so the map reveals nothing the export hides).
    Municipalities without an outline in the reference data are counted in ``zonder_grens``."""
    threshold = settings.JEUGDHULP_DISCLOSURE_THRESHOLD if threshold is None else threshold
    rows = board.per_municipality
    hidden = _hidden_counts([n for _, _, n, _, _ in rows], board.totaal.aantal, threshold)
    shapes = areas.municipality_shapes(code for code, *_ in rows)
    features = [
        {
            "type": "Feature",
            "geometry": shapes[code],
            "properties": {
                "code": code,
                "naam": name,
                "aantal": None if hide else n,
                "per_1000": None if hide else rate,
                "te_weinig": bool(hide),
            },
        }
        for (code, name, n, _youth, rate), hide in zip(rows, hidden, strict=True)
        if code in shapes
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "zonder_grens": len(rows) - len(features),
    }


def _hidden_counts(counts: list[int], total: int, threshold: int) -> np.ndarray:
    """Primary and secondary suppression of a one-way breakdown with its total, as the table
    [categories + total] × [count, total] that ``analysis.disclosure`` protects."""
    if not counts:
        return np.zeros(0, bool)
    column = np.array([*counts, max(total, sum(counts))], float)
    table = np.column_stack([column, column])
    return suppress_table(table, threshold)[:-1, 0]


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


def _figure_cells(f: kpi.Figures, hidden: bool, threshold: int) -> list:
    """KPI cells of one row; derived figures hidden with their count, shares with their
    denominator or a small numerator or complement, medians over fewer than ``threshold``."""
    shares = [
        (f.aandeel_gesprek_binnen_30_dagen, f.teller_30_dagen, f.noemer_30_dagen),
        (f.aandeel_binnen_gewenste_termijn, f.teller_gewenste_termijn, f.noemer_gewenste_termijn),
    ]
    cells = []
    for value, numerator, denominator in shares:
        hide = hidden or bool(
            hide_shares(
                np.array([numerator]),
                np.array([denominator]),
                small(np.array([denominator]), threshold),
                threshold,
            )[0]
        )
        cells.append(None if hide else value)
    few_talks = hidden or f.aantal_met_gesprek < threshold
    cells += [
        None if few_talks else f.mediaan_dagen_tot_eerste_gesprek,
        None if few_talks else f.p90_dagen_tot_eerste_gesprek,
        None if hidden or f.aantal_met_hulp < threshold else f.mediaan_dagen_tot_hulp,
        None if hidden or small(np.array([f.open_wachtlijst]), threshold)[0] else f.open_wachtlijst,
    ]
    return cells


def export_rows(board: Dashboard, threshold: int | None = None) -> list[list[str]]:
    """The dashboard as one table for export, with disclosure control (counts from 1 to
    threshold − 1 hidden, secondary suppression so totals do not reveal them)."""
    threshold = settings.JEUGDHULP_DISCLOSURE_THRESHOLD if threshold is None else threshold
    total = board.totaal.aantal
    total_hidden = bool(small(np.array([total]), threshold)[0])
    rows = [
        [
            "totaal",
            board.network.code,
            board.network.naam,
            None if total_hidden else total,
            None,
            *_figure_cells(board.totaal, total_hidden, threshold),
        ]
    ]
    partner_hidden = _hidden_counts([f.aantal for _, f in board.per_partner], total, threshold)
    for (org, f), hide in zip(board.per_partner, partner_hidden, strict=True):
        rows.append(
            [
                "partner",
                org.code,
                org.naam,
                None if hide else f.aantal,
                None,
                *_figure_cells(f, hide, threshold),
            ]
        )
    blank = [None] * 6
    months_hidden = _hidden_counts([n for _, n in board.per_month], total, threshold)
    for (month, n), hide in zip(board.per_month, months_hidden, strict=True):
        rows.append(["maand", month.strftime("%Y-%m"), "", None if hide else n, None, *blank])
    muni_hidden = _hidden_counts([row[2] for row in board.per_municipality], total, threshold)
    for (code, name, n, _youth, rate), hide in zip(
        board.per_municipality, muni_hidden, strict=True
    ):
        rows.append(["gemeente", code, name, None if hide else n, None if hide else rate, *blank])
    domain_hidden = _hidden_counts([n for *_, n in board.per_domain], total, threshold)
    for (code, label, n), hide in zip(board.per_domain, domain_hidden, strict=True):
        rows.append(["domein", code, label, None if hide else n, None, *blank])
    return [[_fmt(cell) for cell in row] for row in rows]
