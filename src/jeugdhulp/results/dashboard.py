"""What the round dashboard and the report show, from a run's stored (published) results."""

from __future__ import annotations

import itertools

import numpy as np
from django.utils.translation import gettext as _

from jeugdhulp.results.indicators import Indicator
from jeugdhulp.results.models import AnalysisRun, IndicatorRow
from jeugdhulp.snapshot.catalogue import HULPVORMEN

ALL_FORMS = "ALLE"


def form_label(code: str) -> str:
    if code == ALL_FORMS:
        return _("alle hulpvormen")
    known = HULPVORMEN.get(code)
    return known.label if known else code


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def class_labels(breaks: list[float], indicator: Indicator) -> list[str]:
    """Legend labels of the classes ``(.., b0], (b0, b1], ..., (bn, ..)``."""
    scale = 100.0 if indicator.percent else 1.0

    def fmt(value: float) -> str:
        return _number(value * scale, indicator.decimals if indicator.percent else 2)

    if not breaks:
        return ["alle waarden"]
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


def charts(run: AnalysisRun, forms: list[dict]) -> dict:
    """Plotly figure specifications (data + layout), drawn by the bundled plotly.js."""
    bands = run.profiel.get("banden", [])
    distance_classes = run.profiel.get("afstandsklassen", [])
    specific = [f for f in forms if f["code"] != ALL_FORMS]
    everything = next((f for f in forms if f["code"] == ALL_FORMS), {})
    axis = {"automargin": True}
    return {
        "leeftijd": {
            "data": [
                {
                    "type": "bar",
                    "x": bands,
                    "y": everything.get("aantal_per_band", []),
                    "name": _("kinderen"),
                    "marker": {"color": "#443a83"},
                }
            ],
            "layout": {
                "title": {"text": _("Leeftijdsprofiel op de peildatum (alle hulpvormen)")},
                "xaxis": axis | {"title": {"text": _("leeftijd")}},
                "yaxis": axis | {"title": {"text": _("kinderen")}},
            },
        },
        "bereik_leeftijd": {
            "data": [
                {"type": "bar", "name": f["code"], "x": bands, "y": f.get("bereik_per_band", [])}
                for f in forms
            ],
            "layout": {
                "title": {"text": _("Bereik per 1.000 jongeren per leeftijdsklasse")},
                "barmode": "group",
                "xaxis": axis,
                "yaxis": axis | {"title": {"text": _("per 1.000")}},
            },
        },
        "afstand": {
            "data": [
                {
                    "type": "bar",
                    "name": label,
                    "x": [f["code"] for f in forms],
                    "y": [_share(f.get("afstand", []), i) for f in forms],
                }
                for i, label in enumerate(distance_classes)
            ],
            "layout": {
                "title": {"text": _("Afstand tot de hulp (aandeel van de kinderen)")},
                "barmode": "stack",
                "xaxis": axis,
                "yaxis": axis | {"tickformat": ".0%"},
            },
        },
        "crisis": {
            "data": [
                {
                    "type": "bar",
                    "x": [f["code"] for f in specific],
                    "y": [f.get("aandeel_crisis") for f in specific],
                    "marker": {"color": "#b35806"},
                }
            ],
            "layout": {
                "title": {"text": _("Aandeel instroom via crisis per hulpvorm")},
                "xaxis": axis,
                "yaxis": axis | {"tickformat": ".0%"},
            },
        },
    }


def _share(counts: list, i: int) -> float | None:
    """Share of class ``i`` among the known distances (None when any class is hidden)."""
    values = np.array([np.nan if c is None else c for c in counts], float)
    if not len(values) or np.isnan(values).any() or values.sum() == 0:
        return None
    return float(values[i] / values.sum())
