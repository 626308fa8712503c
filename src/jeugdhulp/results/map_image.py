"""The map of a run as a file: one form of help and indicator, drawn by
:func:`jeugdhulp.results.report.map_image` (the report's maps) with a title and a source line.

Only published values: the same rows as the web map (:func:`services.published_frame`).
"""

from __future__ import annotations

import math

from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify

from jeugdhulp.results import dashboard, services, storage
from jeugdhulp.results.indicators import BY_KEY
from jeugdhulp.results.models import AnalysisRun
from jeugdhulp.results.report import map_image

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
DPI = 150


def title(run: AnalysisRun, form: str, key: str) -> str:
    """Two lines: indicator (unit), then form of help, round and region."""
    indicator = BY_KEY[key]
    unit = f" ({indicator.unit})" if str(indicator.unit) else ""
    form_text = str(dashboard.form_label(form))
    if form not in (form_text, dashboard.ALL_FORMS):
        form_text = f"{form_text} ({form})"
    return f"{indicator.label}{unit}\n{form_text} — {run.ronde_naam}, {run.organisatie.naam}"


def source_line(run: AnalysisRun) -> str:
    """Where the figures come from: round and peildatum, the analysis version and date, the
    population year and the areas' version, as far as the run and its manifest hold them."""
    parts = [f"Bron: jeugdhulp, {run.ronde_naam} (peildatum {date_format(run.peildatum)})"]
    analysed = f"analyse versie {run.versie}"
    if run.klaar_op is not None:
        analysed += f" van {date_format(run.klaar_op.date())}"
    parts.append(analysed)
    population = next(
        (i for i in run.manifest.get("invoer", []) if i.get("rol") == "bevolking"), None
    )
    if population is not None and population.get("jaar"):
        parts.append(f"bevolking {population['jaar']}")
    if run.gebied_versie:
        parts.append(f"gebieden versie {run.gebied_versie}")
    text = "; ".join(parts) + "."
    threshold = run.manifest.get("parameters", {}).get("threshold")
    if threshold:
        text += f" Aantallen van 1 tot {int(threshold) - 1} zijn verborgen (te weinig gegevens)."
    return text


def filename(run: AnalysisRun, form: str, key: str, image_format: str) -> str:
    return f"kaart-{slugify(run.ronde_naam)}-{slugify(form)}-{key}.{image_format}"


def extent_param(text: str) -> tuple[float, float, float, float] | None:
    """The map's zoom as sent by the page (``west,south,east,north`` in degrees); None when
    absent. Anything else answers 400 with a Dutch message."""
    if not text:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        west = south = east = north = math.nan
    if not (-180 <= west < east <= 180 and -85 <= south < north <= 85):
        raise BadRequest(
            "De parameter 'kader' moet vier getallen zijn: west, zuid, oost, noord (in graden)."
        )
    return west, south, east, north


def render(
    run: AnalysisRun,
    form: str,
    key: str,
    image_format: str,
    extent: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The PNG or SVG of one form's indicator, in Dutch (as the report), of the whole region
    or of ``extent``."""
    with translation.override("nl-be"):
        return map_image(
            storage.read_outlines(run.folder),
            services.published_frame(run, form),
            key,
            title(run, form, key),
            outline=True,  # as the web map: hotspots and blue zones on every indicator
            source=source_line(run),
            image_format=image_format,
            dpi=DPI,
            extent=extent,
        )
