"""What the round dashboard and the report show, from a run's stored (published) results."""

from __future__ import annotations

import itertools

import numpy as np
from django.utils.translation import gettext as _

from jeugdhulp.analysis.numbers import dutch_number
from jeugdhulp.results.charts import Series, bar_chart, has_missing
from jeugdhulp.results.indicators import SEQUENTIAL, Indicator
from jeugdhulp.results.models import AnalysisRun, IndicatorRow
from jeugdhulp.snapshot.catalogue import HULPVORMEN

ALL_FORMS = "ALLE"


def form_label(code: str) -> str:
    if code == ALL_FORMS:
        return _("alle hulpvormen")
    known = HULPVORMEN.get(code)
    return known.label if known else code


def class_labels(breaks: list[float], indicator: Indicator) -> list[str]:
    """Legend labels of the classes ``(.., b0], (b0, b1], ..., (bn, ..)``."""
    scale = 100.0 if indicator.percent else 1.0

    def fmt(value: float) -> str:
        return dutch_number(value * scale, indicator.decimals if indicator.percent else 2)

    if not breaks:
        return [str(_("alle gebieden met een waarde"))]
    labels = [f"≤ {fmt(breaks[0])}"]
    labels += [f"{fmt(lo)} – {fmt(hi)}" for lo, hi in itertools.pairwise(breaks)]
    labels.append(f"> {fmt(breaks[-1])}")
    return labels


def board(run: AnalysisRun) -> dict:
    """Headline figures, the region table, the profiles and the clusters of a finished run."""
    region = {row["hulpvorm"]: row for row in run.regiotabel}
    profile = run.profiel.get("hulpvormen", {})
    everything = profile.get(ALL_FORMS, {})
    overall = region.get(ALL_FORMS, {})
    forms = [
        {
            "code": code,
            "label": form_label(code),
            "aantal": region.get(code, {}).get("aantal_clienten"),
            "bereik": region.get(code, {}).get("bereik_per_1000"),
            **profile.get(code, {}),
        }
        for code in run.hulpvormen
    ]
    clusters = list(
        IndicatorRow.objects.filter(run=run, cluster__in=["hotspot", "blauwe_zone"])
        .order_by("hulpvorm", "cluster", "gebied_naam")
        .values("gebied_code", "gebied_naam", "hulpvorm", "cluster", "ratio_eb", "kans_boven_1")
    )
    return {
        "headline": {
            "aantal": overall.get("aantal_clienten"),
            "inwoners": overall.get("inwoners"),
            "bereik": overall.get("bereik_per_1000"),
            "aandeel_crisis": everything.get("aandeel_crisis"),
            "aandeel_jongvolwassen": everything.get("aandeel_jongvolwassen"),
            "hotspots": everything.get("hotspots", 0),
            "blauwe_zones": everything.get("blauwe_zones", 0),
            "gebieden": run.manifest.get("gebieden"),
        },
        "forms": forms,
        "bands": run.profiel.get("banden", []),
        "distance_classes": run.profiel.get("afstandsklassen", []),
        "clusters": clusters,
        "charts": charts(run, forms),
    }


def charts(run: AnalysisRun, forms: list[dict]) -> list[dict]:
    """The dashboard's four bar charts (see :mod:`jeugdhulp.results.charts`): ``key``,
    ``title``, ``chart`` (its shapes, drawn by the template ``results/chart.svg``) and ``note``
    (what a dash means, when a value is missing)."""
    bands = run.profiel.get("banden", [])
    distance_classes = run.profiel.get("afstandsklassen", [])
    specific = [f for f in forms if f["code"] != ALL_FORMS]
    everything = next((f for f in forms if f["code"] == ALL_FORMS), {})
    hidden = str(_("verborgen (klein aantal)"))
    years = _("jaar")
    band_colours = _colours(len(bands))
    specs = [
        (
            "leeftijd",
            _("Leeftijdsprofiel op de peildatum (alle hulpvormen)"),
            [f"{b} {years}" for b in bands],
            None,
            [
                Series(
                    str(_("kinderen")),
                    list(everything.get("aantal_per_band") or [None] * len(bands)),
                    "#443a83",
                )
            ],
            {"y_title": str(_("kinderen"))},
        ),
        (
            "bereik_leeftijd",
            _("Bereik per 1.000 jongeren per leeftijdsklasse en hulpvorm"),
            [f["code"] for f in specific],
            [f"{f['code']} ({f['label']})" for f in specific],
            [
                Series(
                    f"{band} {years}",
                    [_at(f.get("bereik_per_band"), i) for f in specific],
                    colour,
                )
                for i, (band, colour) in enumerate(zip(bands, band_colours, strict=True))
            ],
            {"y_title": str(_("per 1.000")), "decimals": 1},
        ),
        (
            "afstand",
            _("Afstand tot de hulp (aandeel van de kinderen per hulpvorm)"),
            [f["code"] for f in forms],
            [f"{f['code']} ({f['label']})" for f in forms],
            [
                Series(label, [_share(f.get("afstand", []), i) for f in forms], colour)
                for i, (label, colour) in enumerate(
                    zip(distance_classes, _colours(len(distance_classes)), strict=True)
                )
            ],
            {"stacked": True, "percent": True, "y_title": str(_("aandeel"))},
        ),
        (
            "crisis",
            _("Aandeel instroom via crisis per hulpvorm"),
            [f["code"] for f in specific],
            [f"{f['code']} ({f['label']})" for f in specific],
            [
                Series(
                    str(_("instroom via crisis")),
                    [f.get("aandeel_crisis") for f in specific],
                    "#b35806",
                )
            ],
            {"percent": True, "y_title": str(_("aandeel"))},
        ),
    ]
    out = []
    for key, title, categories, titles, series, options in specs:
        chart = bar_chart(
            str(title),
            categories,
            series,
            category_titles=titles,
            missing_note=hidden,
            **options,
        )
        note = (
            _("— = verborgen (klein aantal) of niet berekend")
            if has_missing(series, len(categories))
            else ""
        )
        out.append({"key": key, "title": str(title), "chart": chart, "note": note})
    return out


def _colours(n: int) -> list[str]:
    """``n`` viridis colours, light to dark."""
    if n <= 0:
        return []
    scale = SEQUENTIAL[1:]  # without the lightest yellow, which a white page swallows
    picks = np.round(np.linspace(0, len(scale) - 1, n)).astype(int)
    return [scale[i] for i in picks]


def _at(values, i: int):
    return values[i] if values and i < len(values) else None


def _share(counts: list, i: int) -> float | None:
    """Share of class ``i`` among the known distances (None when any class is hidden)."""
    values = np.array([np.nan if c is None else c for c in counts], float)
    if not len(values) or np.isnan(values).any() or values.sum() == 0:
        return None
    return float(values[i] / values.sum())
