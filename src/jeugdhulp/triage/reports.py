"""The triage reports: advice against decision, and routes by domain and by municipality.

Every table is published with its margins and goes through the analysis' disclosure control
(counts from 1 to threshold − 1 hidden, secondary suppression so the margins do not give them
away); the agreement share is hidden with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext

from jeugdhulp.aanmeldingen.models import AanmeldingDomein, Domein
from jeugdhulp.analysis.disclosure import hide_shares, suppress_table
from jeugdhulp.reference.models import Area
from jeugdhulp.triage.models import Route


@dataclass
class Table:
    """A count table with margins: ``cells[i][j]`` is a count or ``None`` when hidden."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int | None]]

    @property
    def rows(self) -> list[tuple[str, list[int | None]]]:
        return list(zip(self.row_labels, self.cells, strict=True))


def _table(counts: np.ndarray, rows: list[str], columns: list[str], threshold: int) -> Table:
    full = np.zeros((counts.shape[0] + 1, counts.shape[1] + 1), int)
    full[:-1, :-1] = counts
    full[:-1, -1] = counts.sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    hidden = suppress_table(full, threshold) if full[-1, -1] else np.zeros(full.shape, bool)
    cells = [
        [None if hidden[i, j] else int(full[i, j]) for j in range(full.shape[1])]
        for i in range(full.shape[0])
    ]
    total = gettext("Totaal")
    return Table([*rows, total], [*columns, total], cells)


def threshold() -> int:
    return settings.JEUGDHULP_DISCLOSURE_THRESHOLD


def _route_index() -> dict[str, int]:
    return {value: i for i, value in enumerate(Route.values)}


def agreement(assessments: QuerySet) -> tuple[Table, float | None]:
    """Advice (rows) × decision (columns) of the decided assessments, and the share of
    decisions equal to the advice (``None`` when hidden or nothing decided)."""
    index = _route_index()
    counts = np.zeros((len(index), len(index)), int)
    for advies, beslissing in assessments.exclude(beslissing="").values_list(
        "advies", "beslissing"
    ):
        counts[index[advies], index[beslissing]] += 1
    labels = [str(label) for label in Route.labels]
    table = _table(counts, labels, labels, threshold())
    total = counts.sum()
    same = np.trace(counts)
    hidden = hide_shares(np.array([same]), np.array([total]), np.array([False]), threshold())
    if total == 0 or hidden[0]:
        return table, None
    return table, float(same / total)


def _route_counts(pairs, row_keys: list[str]) -> np.ndarray:
    index = _route_index()
    rows = {key: i for i, key in enumerate(row_keys)}
    counts = np.zeros((len(row_keys), len(index)), int)
    for key, route in pairs:
        counts[rows[key], index[route]] += 1
    return counts


def _chosen_route(assessments: QuerySet) -> QuerySet:
    """The route taken: the decision when there is one, else the advice."""
    return assessments.annotate(route=Coalesce(NullIf(F("beslissing"), Value("")), F("advies")))


def by_domain(assessments: QuerySet) -> Table:
    """Domain of the request (rows) × route (columns); an assessment counts once in each of its
    request's domains, so the column totals may exceed the number of assessments."""
    routes = dict(_chosen_route(assessments).values_list("pk", "route"))
    rows = AanmeldingDomein.objects.filter(aanmelding__taxaties__in=list(routes)).values_list(
        "aanmelding__taxaties", "domein"
    )
    pairs = [(domein, routes[pk]) for pk, domein in rows if pk in routes]
    keys = [value for value in Domein.values if any(d == value for d, _ in pairs)]
    labels = [str(Domein(value).label) for value in keys]
    return _table(_route_counts(pairs, keys), labels, [str(x) for x in Route.labels], threshold())


def by_municipality(assessments: QuerySet) -> Table:
    """Municipality of the request (rows, by name) × route (columns)."""
    pairs = list(_chosen_route(assessments).values_list("gemeente", "route"))
    keys = sorted({code for code, _ in pairs})
    names = dict(
        Area.objects.filter(code__in=keys).order_by("code", "vintage").values_list("code", "naam")
    )
    labels = [f"{names.get(code, code)} ({code})" for code in keys]
    return _table(_route_counts(pairs, keys), labels, [str(x) for x in Route.labels], threshold())
