"""The Dutch report of a round's analysis: HTML (template ``results/report.html``) and PDF.

Maps are static PNG images drawn with matplotlib/geopandas and embedded as data URIs, so the
file needs nothing else (WeasyPrint fetches no URL; the HTML opens offline).
"""

from __future__ import annotations

import base64
import io
import logging
import textwrap

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from django.template.loader import render_to_string
from django.utils import translation

from jeugdhulp.analysis import funnel_plot
from jeugdhulp.analysis.comparison import furthest_from_group
from jeugdhulp.analysis.numbers import dutch_number
from jeugdhulp.analysis.report import FUNNEL_READING, covariate_label
from jeugdhulp.results import dashboard, duiding, services, storage, trends
from jeugdhulp.results.funnel import phi_of
from jeugdhulp.results.indicators import (
    BY_KEY,
    CATEGORY_LABELS,
    HIDDEN_COLOUR,
    TREND_LABELS,
    class_breaks,
    colour_of,
    palette,
)
from jeugdhulp.results.models import AnalysisRun, RunStatus

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

logger = logging.getLogger(__name__)

HTML_NAME = "rapport.html"
PDF_NAME = "rapport.pdf"
OUTLINE = {"hotspot": "#7f3b08", "blauwe_zone": "#08306b"}
SOURCE_WIDTH = 110  # characters a line of the source: 6 pt text as wide as map and legend


def static_map(
    areas: gpd.GeoDataFrame, values: pd.DataFrame, key: str, title: str, *, outline: bool = False
) -> str:
    """A PNG data URI of :func:`map_image` (for the report)."""
    png = map_image(areas, values, key, title, outline=outline)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def map_image(
    areas: gpd.GeoDataFrame,
    values: pd.DataFrame,
    key: str,
    title: str,
    *,
    outline: bool = False,
    source: str = "",
    image_format: str = "png",
    dpi: int = 130,
    extent: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The indicator ``key`` per area as a PNG or SVG: suppressed areas hatched, hotspots and
    blue zones outlined when ``outline``, the legend right of the map, ``source`` below it.

    ``values`` are published rows (one form of help); areas without a row are hatched. In the
    SVG, text stays text (``svg.fonttype: none``): searchable, and the viewer's font draws it.
    ``extent`` (west, south, east, north in degrees, WGS84) shows only that part of the map;
    the legend keeps the classes of all areas, as the web map's does when zoomed in.
    """
    indicator = BY_KEY[key]
    frame = areas.merge(values, left_on="code", right_on="gebied_code", how="left")
    frame = frame.to_crs(3857)
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "jeugdhulp"}):
        fig, ax = plt.subplots(figsize=(6.4, 5.0), dpi=dpi)
        if indicator.scale == "categorical":
            raw = frame[indicator.column].fillna("")
            colours = [indicator.categories.get(v, "#ffffff") for v in raw]
            legend = [
                Patch(facecolor=c, edgecolor="#666", label=str(CATEGORY_LABELS.get(v, v)))
                for v, c in indicator.categories.items()
            ]
        else:
            numbers = frame[indicator.column].astype(float).to_numpy()
            breaks = class_breaks(numbers, indicator)
            shades = palette(indicator, len(breaks))
            colours = colour_of(numbers, breaks, shades)
            legend = [
                Patch(facecolor=c, edgecolor="#666", label=label)
                for c, label in zip(shades, dashboard.class_labels(breaks, indicator), strict=True)
            ]
            if not np.isfinite(numbers).any():
                legend = []  # no area has a value: no classes to explain
        hidden = frame["onvoldoende_gegevens"].fillna(True).astype(bool).to_numpy()
        frame.plot(ax=ax, color=colours, edgecolor="#777777", linewidth=0.2)
        if indicator.scale != "categorical":
            uncomputed = ~np.isfinite(frame[indicator.column].astype(float).to_numpy()) & ~hidden
            if uncomputed.any():
                legend.append(
                    Patch(facecolor=HIDDEN_COLOUR, edgecolor="#666", label="niet berekend")
                )
        if hidden.any():
            frame[hidden].plot(
                ax=ax, facecolor="white", edgecolor="#555555", hatch="////", linewidth=0.2
            )
            legend.append(
                Patch(facecolor="white", edgecolor="#555", hatch="////", label="te weinig gegevens")
            )
        if outline:
            for kind, colour in OUTLINE.items():
                chosen = frame[frame["cluster"] == kind]
                if len(chosen):
                    chosen.boundary.plot(ax=ax, color=colour, linewidth=1.6)
                    legend.append(
                        Patch(
                            facecolor="none",
                            edgecolor=colour,
                            linewidth=1.6,
                            label=f"rand: {CATEGORY_LABELS[kind]}",
                        )
                    )
        if extent is not None:
            west, south, east, north = (
                gpd.GeoSeries([shapely.box(*extent)], crs=4326).to_crs(3857).total_bounds
            )
            ax.set_xlim(west, east)
            ax.set_ylim(south, north)
        ax.set_axis_off()
        ax.set_title(title, fontsize=10)
        ax.legend(
            handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False
        )
        if source:
            ax.annotate(
                textwrap.fill(source, SOURCE_WIDTH),
                xy=(0, 0),
                xycoords="axes fraction",
                xytext=(0, -6),
                textcoords="offset points",
                va="top",
                fontsize=6,
                color="#444444",
            )
        buffer = io.BytesIO()
        fig.savefig(
            buffer, format=image_format, bbox_inches="tight", metadata=_metadata(image_format)
        )
        plt.close(fig)
    return buffer.getvalue()


def _metadata(image_format: str) -> dict:
    # No creation date in the SVG: the same map gives the same file.
    return {"Date": None} if image_format == "svg" else {}


def funnel_images(run: AnalysisRun) -> list[dict]:
    """Per form of help its funnel plot as an SVG data URI (the shapes of
    :func:`jeugdhulp.analysis.funnel_plot.funnel_plot`, as in the file report), with the
    number of areas drawn and left out."""
    figures = []
    for form in run.hulpvormen:
        plot = funnel_plot.funnel_plot(services.published_frame(run, form), phi_of(run, form))
        if not plot.points:
            continue
        markup = funnel_plot.svg(plot, f"funnelplot {form}").encode("utf-8")
        figures.append(
            {
                "form": form,
                "label": dashboard.form_label(form),
                "src": "data:image/svg+xml;base64," + base64.b64encode(markup).decode("ascii"),
                "drawn": len(plot.points),
                "hidden": plot.hidden,
                "phi": dutch_number(plot.phi, 2) if plot.phi is not None else None,
            }
        )
    return figures


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts in which a missing or non-finite number is ``None``: the template shows
    a Dutch phrase or a dash for it (a NaN would print as "nan")."""
    plain = frame.replace([np.inf, -np.inf], np.nan).astype(object)
    plain = plain.where(plain.notna(), None)
    return plain.to_dict(orient="records")


def report_context(run: AnalysisRun) -> dict:
    everything = services.published_frame(run, "ALLE")
    areas = storage.read_outlines(run.folder)
    maps = [
        static_map(
            areas,
            everything,
            "ratio_eb",
            "Gladgestreken verhouding werkelijk / verwacht (alle hulpvormen), "
            "met hotspots en blauwe zones",
            outline=True,
        ),
        static_map(areas, everything, "bereik", "Bereik per 1.000 jongeren (alle hulpvormen)"),
        static_map(
            areas, everything, "afstand", "Mediane afstand tot de hulp in km (alle hulpvormen)"
        ),
    ]
    clusters = everything[everything["cluster"].isin(["hotspot", "blauwe_zone"])]
    previous = services.previous_run(run)
    change = None
    if previous is not None:
        compared = trends.compare(services.published_frame(previous, "ALLE"), everything)
        change = {
            "run": previous,
            "counts": compared["trend"].value_counts().to_dict(),
            "rows": [
                row | {"trend_label": str(TREND_LABELS.get(row["trend"], row["trend"]))}
                for row in records(
                    compared[
                        compared["trend"].isin([trends.INCREASE, trends.DECREASE])
                    ].sort_values("verhouding")
                )
            ],
        }
    return {
        "run": run,
        "vergelijking": comparison_context(run),
        "board": dashboard.board(run),
        "maps": maps,
        "funnels": funnel_images(run),
        "funnel_reading": FUNNEL_READING,
        "clusters": records(clusters.sort_values(["cluster", "gebied_naam"])),
        "trend": change,
        "duiding": duiding.report_rows(run),
        "threshold": run.manifest.get("parameters", {}).get("threshold"),
        "params": run.manifest.get("parameters", {}),
        "software": run.manifest.get("software", {}),
    }


def comparison_context(run: AnalysisRun) -> dict | None:
    """The group size, the covariates and per form the areas furthest above and below their
    comparison group; None when the run made no groups."""
    made = run.manifest.get("vergelijkingsgroepen") or {}
    if not made.get("grootte"):
        return None
    furthest = furthest_from_group(services.published_frame(run))
    return {
        "grootte": made["grootte"],
        "covariaten": ", ".join(covariate_label(c) for c in made["covariaten"]),
        "rows": records(furthest),
    }


def render_html(run: AnalysisRun) -> str:
    with translation.override("nl-be"):
        return render_to_string("results/report.html", report_context(run))


def write_report(run: AnalysisRun) -> None:
    """Write ``rapport.html`` and ``rapport.pdf`` into the run's folder."""
    # Only here: importing weasyprint takes 0.9 s (time.perf_counter, after Django, geopandas
    # and matplotlib), and every web process imports this module; only the worker writes PDFs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(run)
    (run.folder / HTML_NAME).write_text(html, encoding="utf-8")
    # Only the embedded data: URIs may be read; nothing from a network or the disk.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    HTML(string=html, url_fetcher=fetcher).write_pdf(run.folder / PDF_NAME)


def render_report(run_id: int) -> None:
    """The HTML and PDF report of a finished run (worker side)."""
    run = AnalysisRun.objects.get(pk=run_id)
    if run.status != RunStatus.DONE:
        return
    AnalysisRun.objects.filter(pk=run.pk).update(rapport_status=RunStatus.RUNNING, rapport_fout="")
    try:
        write_report(run)
    except Exception:
        logger.exception("report of run %s failed", run_id)
        AnalysisRun.objects.filter(pk=run.pk).update(
            rapport_status=RunStatus.FAILED,
            rapport_fout="Het rapport kon niet gemaakt worden; zie het logboek van de server.",
        )
        return
    AnalysisRun.objects.filter(pk=run.pk).update(rapport_status=RunStatus.DONE)
