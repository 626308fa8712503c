"""The file report ``rapport.html``: one self-contained page (inline CSS, inline SVG charts).

It shows only published (disclosure-controlled) numbers; hidden ones read "te weinig gegevens".
"""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files
from string import Template
from typing import cast

import numpy as np
import pandas as pd
import shapely

from jeugdhulp.analysis import funnel_plot
from jeugdhulp.analysis.comparison import furthest_from_group
from jeugdhulp.analysis.numbers import dutch_number
from jeugdhulp.analysis.pipeline import AnalysisResult

HIDDEN = "te weinig gegevens"
# Colour-blind-safe diverging scale centred on 1 (ColorBrewer PuOr, 7 classes): low use purple,
# high use orange.
RATIO_BREAKS = (0.67, 0.8, 0.91, 1.1, 1.25, 1.5)
RATIO_COLOURS = ("#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806")
CLUSTER_COLOURS = {"hotspot": "#b35806", "blauwe_zone": "#2166ac", "geen": "#f0f0f0"}
# The legend's classes, written as HTML text (a "<" before a space is text).
RATIO_LABELS = ("< 0,67", "0,67–0,8", "0,8–0,91", "0,91–1,1", "1,1–1,25", "1,25–1,5", "> 1,5")
MAP_WIDTH = 640
# The page around the tables and maps (``string.Template``; ``$$`` for a literal dollar).
PAGE = "report_page.html"


# Dutch names of the covariates the platform knows (others: the name, underscores as spaces).
COVARIATE_LABELS = {
    "(intercept)": "basisniveau (intercept)",
    "median_income": "mediaan inkomen",
    "mediaan_inkomen": "mediaan inkomen",
    "single_parent_share": "aandeel eenoudergezinnen",
    "unemployment_rate": "werkloosheidsgraad",
    "deprivation": "kansarmoede-index",
}
COEFFICIENT_HEADS = {
    "covariaat": "Achtergrondkenmerk",
    "rate_ratio": "Verhouding per standaardafwijking",
    "laag": "95%-interval laag",
    "hoog": "95%-interval hoog",
    "p": "p-waarde",
}


def covariate_label(name: str) -> str:
    """The Dutch name of a covariate.

    Parameters
    ----------
    name : str
        The covariate's column name.

    Returns
    -------
    str
        Its name in :data:`COVARIATE_LABELS`, else the name with underscores as spaces.
    """
    return COVARIATE_LABELS.get(name, str(name).replace("_", " "))


def significant(value: float, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` significant digits, in Dutch notation, as HTML.

    Parameters
    ----------
    value : float
        Any number; None or non-finite reads as :data:`HIDDEN`.
    digits : int
        Significant digits.

    Returns
    -------
    str
        E.g. ``0,128`` or ``1.250``; below 0,001 ``&lt; 0,001`` (escaped for HTML).
    """
    if value is None or not np.isfinite(value):
        return HIDDEN
    if value == 0:
        return "0"
    if abs(value) < 0.001:
        return "&lt; 0,001"
    places = digits - 1 - int(np.floor(np.log10(abs(value))))
    value = round(float(value), places)
    return dutch_number(value, max(0, places))


def _coefficient_table(rows: list[dict]) -> str:
    """The covariate model's coefficients: Dutch names, 3 significant digits."""
    head = "".join(f"<th>{COEFFICIENT_HEADS.get(c, html.escape(c))}</th>" for c in rows[0])
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(covariate_label(v))}</td>"
            if c == "covariaat"
            else f"<td>{significant(v)}</td>"
            for c, v in row.items()
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value, decimals: int = 2) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA:
        return HIDDEN
    if isinstance(value, int | np.integer):
        return f"{int(value):,}".replace(",", ".")
    if isinstance(value, float | np.floating):
        return f"{float(value):.{decimals}f}".replace(".", ",")
    return html.escape(str(value))


CLUSTER_LABELS = {"hotspot": "hotspot", "blauwe_zone": "blauwe zone", "geen": "geen cluster"}
# Column heads of the report's tables in words (others: the name, underscores as spaces).
HEADS = {
    "hulpvorm": "Hulpvorm",
    "aantal_clienten": "Kinderen",
    "inwoners": "Inwoners 0–24",
    "bereik_per_1000": "Bereik per 1.000",
    "categorie": "Categorie",
    "hotspot": "Hotspots",
    "blauwe_zone": "Blauwe zones",
    "geen": "Geen cluster",
}


def _p_method(params) -> str:
    """How the cluster p-values were computed, in words."""
    if params.cluster_inference == "permutation":
        return f"{params.permutations} permutaties (seed {params.seed})"
    return "p-waarden met de zadelpuntbenadering (hangen niet af van het toeval)"


def _head(column) -> str:
    return html.escape(HEADS.get(str(column), str(column).replace("_", " ")))


def _table(frame: pd.DataFrame, decimals: dict[str, int] | None = None) -> str:
    decimals = decimals or {}
    head = "".join(f"<th>{_head(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{_fmt(v, decimals.get(c, 2))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _paths(result: AnalysisResult) -> tuple[list[str], str]:
    """SVG path data per area (in area order) and the viewBox, in Web Mercator."""
    geometry = result.areas.geometry.to_crs(3857)
    xmin, _, xmax, ymax = geometry.total_bounds
    scale = MAP_WIDTH / max(xmax - xmin, 1.0)
    height = (ymax - geometry.total_bounds[1]) * scale
    simple = shapely.simplify(geometry.to_numpy(), 0.5 / scale)
    # Every ring of every area as one array of points, then one string per ring.
    polygons, owner = shapely.get_parts(simple, return_index=True)
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)
    xy, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    text = np.char.add(
        np.char.add(np.round((xy[:, 0] - xmin) * scale, 1).astype(str), ","),
        np.round((ymax - xy[:, 1]) * scale, 1).astype(str),
    )
    starts = np.r_[0, np.flatnonzero(np.diff(ring_of_point)) + 1]
    ring_text = ["M" + " ".join(chunk) + "Z" for chunk in np.split(text, starts[1:])]
    parts = [""] * len(simple)
    for area, ring in zip(owner[ring_polygon[ring_of_point[starts]]], ring_text, strict=True):
        parts[area] += ring
    return parts, f"0 0 {MAP_WIDTH} {height:.0f}"


def _map(paths: list[str], viewbox: str, colours: list[str], titles: list[str], label: str) -> str:
    shapes = "".join(
        f'<path d="{d}" fill="{c}"><title>{html.escape(t)}</title></path>'
        for d, c, t in zip(paths, colours, titles, strict=True)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}" width="{MAP_WIDTH}" '
        f'role="img" aria-label="{html.escape(label)}">{shapes}</svg>'
    )


def _ratio_colour(values: np.ndarray) -> list[str]:
    classes = np.searchsorted(RATIO_BREAKS, values)
    return [
        "#cccccc" if not np.isfinite(v) else RATIO_COLOURS[k]
        for v, k in zip(values, classes, strict=True)
    ]


def _bars(region: pd.DataFrame) -> str:
    """Horizontal bars: reach per 1,000 per form of help."""
    rows = region.dropna(subset=["bereik_per_1000"])
    if rows.empty:
        return ""
    top = float(rows["bereik_per_1000"].max()) or 1.0
    height = 22 * len(rows) + 10
    bars = []
    pairs = zip(rows["hulpvorm"], rows["bereik_per_1000"], strict=True)
    for i, (form, reach) in enumerate(pairs):
        width = 400 * reach / top
        y = 5 + 22 * i
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="12">{html.escape(form)}</text>'
            f'<rect x="60" y="{y}" width="{width:.1f}" height="16" fill="#5e3c99"/>'
            f'<text x="{66 + width:.1f}" y="{y + 13}" font-size="12">'
            f"{_fmt(float(reach), 1)}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="{height}" role="img" '
        f'aria-label="bereik per 1.000 per hulpvorm">{"".join(bars)}</svg>'
    )


def _legend() -> str:
    """The ratio map's legend: a coloured box and its class per colour."""
    return "".join(
        f"<span style='background:{c}'></span>{label}"
        for c, label in zip(RATIO_COLOURS, RATIO_LABELS, strict=True)
    )


def _comparison(result: AnalysisResult) -> str:
    """Per form the areas furthest above and below their comparison group."""
    made = result.comparison
    if not made or not made.get("grootte"):
        return "<p>Geen covariaten gegeven: geen vergelijkingsgroepen.</p>"
    names = ", ".join(covariate_label(c) for c in made["covariaten"])
    intro = (
        f"<p>Elk gebied wordt vergeleken met de {made['grootte']} gebieden van de regio die er "
        f"het meest op lijken in {html.escape(names)} (euclidische afstand op z-scores). De "
        "verhouding t.o.v. de groep is de eigen verhouding werkelijk/verwacht gedeeld door die "
        "van de groep samen; gebieden met een verborgen aantal tellen in geen enkele groep mee. "
        "Een rangschikking, geen toets: lees ze samen met het aantal kinderen.</p>"
    )
    table = furthest_from_group(result.published)
    if table.empty:
        return intro + "<p>Geen gebied met een getoonde verhouding t.o.v. zijn groep.</p>"
    table = table.assign(
        richting=np.where(table["richting"] == "boven", "boven de groep", "onder de groep"),
        gebied_naam=table["gebied_naam"] + " (" + table["gebied_code"] + ")",
        aantal_clienten=table["aantal_clienten"].astype("Int64"),
    ).drop(columns="gebied_code")
    table.columns = ["Hulpvorm", "Richting", "Gebied", "Kinderen", "Verhouding t.o.v. groep"]
    return intro + _table(table, {"Verhouding t.o.v. groep": 2})


# How to read the funnel plots, in plain Dutch (the web report says the same).
FUNNEL_READING = (
    "Elk punt is een gebied: links de kleine gebieden (weinig verwachte kinderen), rechts de "
    "grote. Buiten de stippellijnen ligt een gebied waarvan het verschil met de verwachting niet "
    "aan toeval te wijten is (99,8%); buiten de streepjeslijnen met 95% zekerheid. Verschillen de "
    "gebieden samen meer dan toeval verklaart (overdispersie φ boven 1), dan verbreden de groene "
    "grenzen de trechter met √φ (Spiegelhalter 2005, φ uit de z-scores met de 10% hoogste en "
    "laagste afgetopt); de kleur van een punt volgt die verbrede grenzen. Gebieden met te weinig "
    "gegevens staan er niet in. Een punt buiten de trechter is een vraag, geen oordeel."
)


def funnel_figures(published: pd.DataFrame, forms: list[str], phis: dict[str, dict]) -> str:
    """One funnel plot per form of help (:mod:`jeugdhulp.analysis.funnel_plot`), each with the
    number of areas left out."""
    figures = []
    for form in forms:
        rows = pd.DataFrame(published[published["hulpvorm"] == form])
        phi = phis.get(form, {}).get("phi")
        plot = funnel_plot.funnel_plot(rows, phi)
        if not plot.points:
            continue
        note = f"{len(plot.points)} gebieden"
        if plot.hidden:
            note += f"; {plot.hidden} niet getekend ({HIDDEN})"
        if plot.phi is not None:
            note += f"; overdispersie φ = {dutch_number(plot.phi, 2)}"
        figures.append(
            f"<figure>{funnel_plot.svg(plot, f'funnelplot {form}')}<figcaption>"
            f"{html.escape(form)}: {html.escape(note)}</figcaption></figure>"
        )
    return "".join(figures)


def render_report(result: AnalysisResult) -> str:
    """The report page of a run, from the template ``report_page.html``.

    Parameters
    ----------
    result : AnalysisResult
        A finished run; only its published tables are shown.

    Returns
    -------
    str
        The whole HTML document (UTF-8 text, ``\\n`` line ends). Plain values are escaped with
        :func:`html.escape` where they enter the page; the tables, maps and charts are built
        here, escaping each value they show.
    """
    params = result.params
    published = result.published
    everything = published[published["hulpvorm"] == "ALLE"].set_index("gebied_code")
    everything = everything.reindex(result.areas["code"])
    paths, viewbox = _paths(result)
    names = result.areas["naam"].astype(str).to_numpy()
    eb = everything["ratio_eb"].to_numpy(float)
    titles = [f"{n}: {_fmt(v)}" for n, v in zip(names, eb, strict=True)]
    cluster = everything["cluster"].fillna("geen").to_numpy()
    # unstacking a Series with a MultiIndex gives a DataFrame
    counts = cast(
        pd.DataFrame,
        published.groupby("hulpvorm", sort=False)["cluster"].value_counts().unstack(fill_value=0),
    )
    counts = counts.reindex(columns=["hotspot", "blauwe_zone", "geen"], fill_value=0)
    counts = counts.reindex(result.hulpvormen).reset_index()
    model_parts = []
    for form, fit in result.models.items():
        rows = fit["coefficienten"]
        model_parts.append(
            f"<h3>{html.escape(form)}</h3><p>{fit['n_gebieden']} gebieden, dispersie "
            f"{significant(fit['dispersie'])}, verklaarde deviantie "
            f"{significant(fit['verklaarde_deviantie'])}</p>"
            + (_coefficient_table(rows) if rows else "")
        )
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
    outside = (
        result.outside.pivot(index="categorie", columns="hulpvorm", values="aantal_clienten")
        .reindex(columns=result.hulpvormen)
        .reset_index()
    )
    text = {
        "peildatum": params.peildatum,
        "peildatum_text": params.peildatum.strftime("%d/%m/%Y"),
        "largest_hidden": params.threshold - 1,
        "threshold": params.threshold,
        "hidden": HIDDEN,
        "p_method": _p_method(params),
        "alpha": f"{params.alpha:.0%}",
        "decay": params.decay,
        "catchment_km": _fmt(params.catchment_km, 0),
    }
    markup = {
        "region_table": _table(result.region, {"inwoners": 0, "bereik_per_1000": 2}),
        "region_bars": _bars(result.region),
        "ratio_map": _map(
            paths, viewbox, _ratio_colour(eb), titles, "gladgestreken ratio, alle hulpvormen"
        ),
        "ratio_legend": _legend(),
        "cluster_map": _map(
            paths,
            viewbox,
            [CLUSTER_COLOURS.get(c, "#f0f0f0") for c in cluster],
            [f"{n}: {CLUSTER_LABELS.get(c, c)}" for n, c in zip(names, cluster, strict=True)],
            "hotspots en blauwe zones, alle hulpvormen",
        ),
        "cluster_table": _table(counts),
        "funnel_reading": html.escape(FUNNEL_READING),
        "funnel_plots": funnel_figures(published, result.hulpvormen, result.funnel),
        "outside_table": _table(outside),
        "comparison": _comparison(result),
        "models": "".join(model_parts) or "<p>Geen covariaten gegeven: geen covariatenmodel.</p>",
        "warnings": f"<h2>Waarschuwingen</h2><ul>{warnings}</ul>" if warnings else "",
    }
    escaped = {key: html.escape(str(value)) for key, value in text.items()}
    return _page().substitute(escaped | markup)


@cache
def _page() -> Template:
    """The page template, shipped beside this module as package data."""
    return Template(files("jeugdhulp.analysis").joinpath(PAGE).read_text(encoding="utf-8"))
