"""The indicators the map, the dashboard and the report show: column, Dutch label, unit, scale.

Colour scales are colour-blind safe: sequential scales from viridis (Nuñez, Anderton & Renslow
2018, "Optimizing colormaps with consideration for color vision deficiency", *PLoS ONE*
13:e0199239), ratios on ColorBrewer's diverging PuOr centred on 1 (Brewer 2003, *Cartography and
GIS Research*; the same classes as the file report of ``jeugdhulp.analysis.report``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from jeugdhulp.analysis.report import RATIO_BREAKS, RATIO_COLOURS

# viridis in 7 classes, light (low) to dark (high) so "more" reads darker.
SEQUENTIAL = ("#fde725", "#8fd744", "#35b779", "#21908d", "#31688e", "#443a83", "#440154")
CLUSTER_COLOURS = {"hotspot": "#b35806", "blauwe_zone": "#2166ac", "geen": "#f0f0f0"}
NEED_COLOURS = {
    "onvervulde_nood": "#b35806",
    "lage_toegankelijkheid": "#f1a340",
    "laag_gebruik": "#998ec3",
    "gedekt": "#f0f0f0",
}
HIDDEN_COLOUR = "#bdbdbd"


@dataclass(frozen=True)
class Indicator:
    key: str  # URL/JS name
    column: str  # column of the published indicators
    label: str
    unit: str = ""
    decimals: int = 2
    scale: str = "sequential"  # sequential | diverging | categorical
    interval: tuple[str, str] | None = None  # columns of the 95% interval
    categories: dict[str, str] = field(default_factory=dict)  # value -> colour (categorical)
    percent: bool = False
    # False: computed per form of help only, never for ALLE (see pipeline._accessibility:
    # capacities of different forms, places or cases per year, do not add up).
    all_forms: bool = True

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "column": self.column,
            "label": str(self.label),
            "unit": str(self.unit),
            "decimals": self.decimals,
            "scale": self.scale,
            "interval": list(self.interval) if self.interval else None,
            "percent": self.percent,
            "allForms": self.all_forms,
            "categories": [
                {"value": v, "label": str(CATEGORY_LABELS[v]), "colour": c}
                for v, c in self.categories.items()
            ],
        }


CATEGORY_LABELS = {
    "hotspot": _("hotspot"),
    "blauwe_zone": _("blauwe zone"),
    "geen": _("geen cluster"),
    "onvervulde_nood": _("onvervulde nood"),
    "lage_toegankelijkheid": _("lage toegankelijkheid"),
    "laag_gebruik": _("laag gebruik"),
    "gedekt": _("gedekt"),
}

TREND_LABELS = {
    "stijging": _("significante stijging"),
    "daling": _("significante daling"),
    "geen": _("geen significante verandering"),
    "onvoldoende_gegevens": _("te weinig gegevens"),
}

# Texts the map scripts write; sent with the page so they follow the UI language.
MAP_TEXTS = {
    "hidden": _("te weinig gegevens"),
    "allValues": _("alle gebieden met een waarde"),
    "outlineHotspot": _("rand: hotspot"),
    "outlineBlue": _("rand: blauwe zone"),
    "outlineIncrease": _("rand: significante stijging"),
    "outlineDecrease": _("rand: significante daling"),
    "children": _("Kinderen in hulp"),
    "inhabitants": _("Inwoners 0–24"),
    "trend": _("Evolutie"),
    "noEarlier": _("Nog geen eerdere foto om mee te vergelijken."),
    "round": _("Foto"),
    "reach": _("Bereik per 1.000"),
    "smoothed": _("Gladgestreken verhouding"),
    "more": _("{n} meer: verfijn de zoekopdracht"),
    "perForm": _("kies een hulpvorm"),
    "perFormNote": _(
        "Toegankelijkheid en onvervulde nood bestaan alleen per hulpvorm: het aanbod van "
        "verschillende hulpvormen (plaatsen, begeleidingen per jaar) is niet op te tellen. "
        "Kies een hulpvorm om ze te zien."
    ),
    "comparedWith": _("Vergeleken met {n} gelijkaardige gebieden"),
    "ratioToGroup": _("ratio {ratio} t.o.v. de groep"),
    "groupMembers": _("De gelijkaardige gebieden"),
    "noGroup": _("Geen vergelijkingsgroep (geen covariaten voor dit gebied)."),
    "notComputed": _("niet berekend voor deze hulpvorm"),
    "notComputedNote": _(
        "Deze indicator is voor deze hulpvorm niet berekend (bijvoorbeeld: geen aanbod met "
        "een gekende capaciteit in de regio)."
    ),
}


def map_texts() -> dict[str, str]:
    """``MAP_TEXTS`` and the trend labels in the active language."""
    texts = {key: str(text) for key, text in MAP_TEXTS.items()}
    texts["trends"] = {key: str(text) for key, text in TREND_LABELS.items()}
    return texts


INDICATORS: tuple[Indicator, ...] = (
    Indicator("bereik", "bereik_per_1000", _("Bereik per 1.000 jongeren"), _("per 1.000"), 1),
    Indicator("verwacht", "verwacht", _("Verwacht aantal kinderen"), "", 1),
    Indicator(
        "ratio",
        "ratio",
        _("Verhouding werkelijk / verwacht"),
        decimals=2,
        scale="diverging",
        interval=("ratio_laag", "ratio_hoog"),
    ),
    Indicator(
        "ratio_eb",
        "ratio_eb",
        _("Gladgestreken verhouding"),
        decimals=2,
        scale="diverging",
    ),
    Indicator(
        "kans", "kans_boven_1", _("Kans dat de verhouding boven 1 ligt"), "%", 0, percent=True
    ),
    Indicator(
        "cluster",
        "cluster",
        _("Hotspots en blauwe zones"),
        scale="categorical",
        categories=CLUSTER_COLOURS,
    ),
    Indicator("afstand", "mediaan_afstand_km", _("Mediane afstand tot de hulp"), "km", 1),
    Indicator("crisis", "aandeel_crisis", _("Aandeel instroom via crisis"), "%", 0, percent=True),
    Indicator(
        "jongvolwassen",
        "aandeel_jongvolwassen",
        _("Aandeel jongvolwassenen (18–24)"),
        "%",
        0,
        percent=True,
    ),
    Indicator(
        "toegankelijkheid",
        "toegankelijkheid",
        _("Toegankelijkheid van het aanbod (E2SFCA)"),
        _("per 1.000"),
        2,
        all_forms=False,
    ),
    Indicator(
        "nood",
        "onvervulde_nood_per_1000",
        _("Onvervulde nood per 1.000 jongeren"),
        _("per 1.000"),
        1,
        all_forms=False,
    ),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
# Columns the map's value endpoint sends per area (the indicators and their intervals).
MAP_COLUMNS = tuple(
    dict.fromkeys(
        [i.column for i in INDICATORS]
        + [c for i in INDICATORS if i.interval for c in i.interval]
        + ["aantal_clienten", "inwoners", "nood_klasse"]
    )
)


def class_breaks(values: np.ndarray, indicator: Indicator, classes: int = 7) -> list[float]:
    """Upper class limits (``classes − 1`` of them) for a numeric indicator.

    Ratios use fixed breaks symmetric on a log scale around 1, so the same colour means the same
    ratio on every map; other indicators use quantiles of the shown values (Fisher–Jenks would
    be costlier on 10,000 areas and gains little for a 7-class legend). Returns fewer breaks when
    values repeat.
    """
    if indicator.scale == "diverging":
        return list(RATIO_BREAKS)
    finite = np.asarray(values, float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return []
    quantiles = np.quantile(finite, np.linspace(0, 1, classes + 1)[1:-1])
    return [float(q) for q in np.unique(np.round(quantiles, indicator.decimals + 2))]


def palette(indicator: Indicator, n_breaks: int) -> list[str]:
    """Colours for ``n_breaks + 1`` classes."""
    if indicator.scale == "diverging":
        return list(RATIO_COLOURS)
    n = n_breaks + 1
    picks = np.round(np.linspace(0, len(SEQUENTIAL) - 1, n)).astype(int)
    return [SEQUENTIAL[i] for i in picks]


def colour_of(values: np.ndarray, breaks: list[float], colours: list[str]) -> list[str]:
    """Class colour per value (``HIDDEN_COLOUR`` where a value is missing)."""
    values = np.asarray(values, float)
    classes = np.searchsorted(np.asarray(breaks, float), values, side="left")
    return [
        colours[k] if np.isfinite(v) else HIDDEN_COLOUR
        for v, k in zip(values, classes, strict=True)
    ]
