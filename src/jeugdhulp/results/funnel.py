"""The funnel-plot page of a run: the shapes of :func:`jeugdhulp.analysis.funnel_plot.funnel_plot`
on the published rows of one form of help, with translatable labels, links to the map and the
table of the areas outside the limits."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeugdhulp.analysis.funnel import BINNEN, BOVEN_95, BOVEN_998, ONDER_95, ONDER_998
from jeugdhulp.analysis.funnel_plot import (
    CLASS_COLOURS,
    CURVES,
    Point,
    funnel_plot,
    legend_keys,
    outside_rows,
)
from jeugdhulp.analysis.numbers import dutch_number
from jeugdhulp.results import services
from jeugdhulp.results.models import AnalysisRun

CLASS_LABELS = {
    BOVEN_998: _("boven de grens van 99,8%"),
    BOVEN_95: _("boven de grens van 95%"),
    BINNEN: _("binnen de grenzen"),
    ONDER_95: _("onder de grens van 95%"),
    ONDER_998: _("onder de grens van 99,8%"),
}
LINE_LABELS = {
    "95": _("grenzen van 95% (Poisson)"),
    "998": _("grenzen van 99,8% (Poisson)"),
    "95_od": _("grenzen van 95% met overdispersie"),
    "998_od": _("grenzen van 99,8% met overdispersie"),
    "een": _("verhouding 1 (zoals verwacht)"),
}
# Which class colours the points (and fills the table): the query parameter ``grenzen``.
LIMIT_CHOICES = {
    "od": ("funnel_klasse_od", _("met overdispersie")),
    "poisson": ("funnel_klasse", _("zonder overdispersie (Poisson)")),
}


def point_text(point: Point) -> str:
    """A point's name and figures, for its tooltip and accessible label."""
    return gettext(
        "%(naam)s (%(code)s): %(aantal)s kinderen, verwacht %(verwacht)s, verhouding "
        "%(ratio)s; %(klasse)s, met overdispersie %(klasse_od)s"
    ) % {
        "naam": point.naam,
        "code": point.code,
        "aantal": point.aantal,
        "verwacht": point.verwacht,
        "ratio": point.ratio,
        "klasse": CLASS_LABELS.get(point.klasse, point.klasse),
        "klasse_od": CLASS_LABELS.get(point.klasse_od, point.klasse_od),
    }


def area_link(map_url: str, form: str, code: str) -> str:
    """The map showing the ratio of ``form`` with the area ``code`` opened."""
    return f"{map_url}?{urlencode({'hulpvorm': form, 'indicator': 'ratio', 'gebied': code})}"


def phi_of(run: AnalysisRun, form: str) -> float | None:
    """The form's overdispersion φ from the run's manifest (None when not estimated)."""
    value = run.manifest.get("funnel", {}).get(form, {}).get("phi")
    return float(value) if value is not None and math.isfinite(float(value)) else None


def page_context(run: AnalysisRun, form: str, limits: str) -> dict:
    """The plot, its legend, the areas outside the chosen limits and what was left out."""
    column = LIMIT_CHOICES[limits][0]
    frame = services.published_frame(run, form)
    phi = phi_of(run, form)
    plot = funnel_plot(frame, phi, colour_by=column)
    map_url = reverse("results:kaart", args=[run.pk])
    points = [
        {
            "p": p,
            "href": area_link(map_url, form, p.code),
            "text": point_text(p),
        }
        for p in plot.points
    ]
    outside = [
        {
            "code": row.gebied_code,
            "naam": row.gebied_naam,
            "aantal": int(row.aantal_clienten),
            "verwacht": dutch_number(row.verwacht, 2),
            "ratio": dutch_number(row.o_e, 2),
            "klasse": CLASS_LABELS.get(row.funnel_klasse, ""),
            "klasse_od": CLASS_LABELS.get(row.funnel_klasse_od, ""),
            "href": area_link(map_url, form, row.gebied_code),
        }
        for row in outside_rows(frame, by=column).itertuples(index=False)
    ]
    legend = [
        {
            "label": LINE_LABELS[key],
            "stroke": CURVES[key][2] if key in CURVES else "#222",
            "dash": CURVES[key][3] if key in CURVES else "",
        }
        for key in legend_keys(plot)
    ]
    classes = [
        {"key": key, "label": CLASS_LABELS[key], "colour": colour}
        for key, colour in CLASS_COLOURS.items()
    ]
    return {
        "axis_x": _("verwacht aantal kinderen (logaritmische schaal)"),
        "axis_y": _("werkelijk / verwacht"),
        "plot": plot,
        "points": points,
        "legend": legend,
        "classes": classes,
        "outside": outside,
        "phi": dutch_number(phi, 2) if phi is not None else None,
        "limits": limits,
        "limit_choices": [(key, label) for key, (_c, label) in LIMIT_CHOICES.items()],
    }
