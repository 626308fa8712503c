"""The file report ``rapport.html``: one self-contained page (inline CSS, inline SVG charts).

It shows only published (disclosure-controlled) numbers; hidden ones read "te weinig gegevens".
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import shapely

from jeugdhulp.analysis.pipeline import AnalysisResult

HIDDEN = "te weinig gegevens"
# Colour-blind-safe diverging scale centred on 1 (ColorBrewer PuOr, 7 classes): low use purple,
# high use orange.
RATIO_BREAKS = (0.67, 0.8, 0.91, 1.1, 1.25, 1.5)
RATIO_COLOURS = ("#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806")
CLUSTER_COLOURS = {"hotspot": "#b35806", "blauwe_zone": "#2166ac", "geen": "#f0f0f0"}
MAP_WIDTH = 640
CSS = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.note{background:#fff8e1;border-left:4px solid #f1a340;padding:.5rem 1rem}
.maps{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-size:.9rem}
.legend span{display:inline-block;width:1rem;height:.8rem;margin:0 .2rem 0 .6rem}
svg path{stroke:#888;stroke-width:.3}
"""


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
    return COVARIATE_LABELS.get(name, str(name).replace("_", " "))


def significant(value: float, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` significant digits, Dutch notation (``0,128``; below
    0,001 as ``< 0,001``)."""
    if value is None or not np.isfinite(value):
        return HIDDEN
    if value == 0:
        return "0"
    if abs(value) < 0.001:
        return "&lt; 0,001"
    places = digits - 1 - int(np.floor(np.log10(abs(value))))
    value = round(float(value), places)
    text = f"{value:,.{max(0, places)}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


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
    for i, row in enumerate(rows.itertuples(index=False)):
        width = 400 * row.bereik_per_1000 / top
        y = 5 + 22 * i
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="12">{html.escape(row.hulpvorm)}</text>'
            f'<rect x="60" y="{y}" width="{width:.1f}" height="16" fill="#5e3c99"/>'
            f'<text x="{66 + width:.1f}" y="{y + 13}" font-size="12">'
            f"{_fmt(float(row.bereik_per_1000), 1)}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="{height}" role="img" '
        f'aria-label="bereik per 1.000 per hulpvorm">{"".join(bars)}</svg>'
    )


def render_report(result: AnalysisResult) -> str:
    params = result.params
    published = result.published
    everything = published[published["hulpvorm"] == "ALLE"].set_index("gebied_code")
    everything = everything.reindex(result.areas["code"])
    paths, viewbox = _paths(result)
    names = result.areas["naam"].astype(str).to_numpy()
    eb = everything["ratio_eb"].to_numpy(float)
    titles = [f"{n}: {_fmt(v)}" for n, v in zip(names, eb, strict=True)]
    cluster = everything["cluster"].fillna("geen").to_numpy()
    maps = (
        "<div class='maps'><figure>"
        + _map(paths, viewbox, _ratio_colour(eb), titles, "gladgestreken ratio, alle hulpvormen")
        + "<figcaption>Gladgestreken verhouding werkelijk/verwacht gebruik (ALLE). "
        + "<span class='legend'>"
        + "".join(
            f"<span style='background:{c}'></span>{lab}"
            for c, lab in zip(
                RATIO_COLOURS,
                ["< 0,67", "0,67–0,8", "0,8–0,91", "0,91–1,1", "1,1–1,25", "1,25–1,5", "> 1,5"],
                strict=True,
            )
        )
        + "<span style='background:#cccccc'></span>"
        + HIDDEN
        + "</span></figcaption></figure><figure>"
        + _map(
            paths,
            viewbox,
            [CLUSTER_COLOURS.get(c, "#f0f0f0") for c in cluster],
            [f"{n}: {CLUSTER_LABELS.get(c, c)}" for n, c in zip(names, cluster, strict=True)],
            "hotspots en blauwe zones, alle hulpvormen",
        )
        + "<figcaption>Hotspots (oranje) en blauwe zones (blauw), alle hulpvormen.</figcaption>"
        + "</figure></div>"
    )
    counts = (
        published.groupby("hulpvorm", sort=False)["cluster"].value_counts().unstack(fill_value=0)
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
    models = "".join(model_parts) or "<p>Geen covariaten gegeven: geen covariatenmodel.</p>"
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Analyse foto {params.peildatum}</title>
<style>{CSS}</style></head><body>
<h1>Jeugdhulp: analyse van de foto met peildatum {params.peildatum.strftime("%d/%m/%Y")}</h1>
<p class="note">Een verschil tussen verwacht en werkelijk gebruik is een vraag, geen oordeel.
Het kan wijzen op een tekort aan aanbod, maar ook op andere noden, andere hulp (buiten deze foto)
of op verschillen in registratie. Aantallen van 1 tot {params.threshold - 1} en alles wat ze zou
verraden staan er niet in ({HIDDEN}).</p>
<h2>Regio</h2>{_table(result.region, {"inwoners": 0, "bereik_per_1000": 2})}
{_bars(result.region)}
<h2>Kaarten</h2>{maps}
<h2>Hotspots en blauwe zones per hulpvorm</h2>
<p>Een <b>hotspot</b> is een gebied waar het gebruik zelf hoger ligt dan verwacht (gladgestreken
ratio boven 1) én dat samen met zijn buren een groep vormt die duidelijk hoger ligt dan in de
rest van de regio. Een <b>blauwe zone</b> is het omgekeerde: zelf lager dan verwacht, in een groep
die duidelijk lager ligt. Een gebied in zo'n groep dat zelf niet hoger (of lager) ligt, krijgt
geen label; dat het in de groep ligt, staat apart in de kolom in_cluster. Getis–Ord Gi* op de
logaritme van de gladgestreken ratio, {_p_method(params)}, Benjamini–Hochberg op
{params.alpha:.0%}. Een label is een vraag, geen oordeel.</p>{_table(counts)}
<h2>Kinderen buiten de gebieden</h2>{
        _table(
            result.outside.pivot(index="categorie", columns="hulpvorm", values="aantal_clienten")
            .reindex(columns=result.hulpvormen)
            .reset_index()
        )
    }
<h2>Covariatenmodel (quasi-Poisson)</h2>{models}
<h2>Werkwijze</h2>
<ul><li>Verwacht gebruik: indirecte standaardisatie op leeftijdsklasse × geslacht met de eigen
regio als referentie; 95%-betrouwbaarheidsinterval exact volgens Poisson.</li>
<li>Gladgestreken ratio: empirische Bayes (Poisson–Gamma, momentenmethode van Marshall 1991);
kans_boven_1 is de kans dat de echte ratio boven 1 ligt.</li>
<li>Afstand: over het aardoppervlak van het zwaartepunt van het woongebied tot de vestiging.</li>
<li>Toegankelijkheid: capaciteit per 1.000 jongeren binnen bereik (E2SFCA, afstandsverval
{html.escape(params.decay)}, straal {_fmt(params.catchment_km, 0)} km).</li>
<li>Bescherming van kleine aantallen: aantallen van 1 tot {params.threshold - 1} zijn
verborgen, en zoveel andere cellen dat elk verborgen aantal nog minstens vier mogelijke waarden
heeft, ook voor wie alles heeft wat gepubliceerd wordt (alle bestanden, versies en rondes) en de
openbare gegevens, weet dat een verborgen cel minstens 1 is en vergelijkingen of
rekenprogramma's op alle cijfers samen loslaat. Verwachte waarden, ratio's, medianen en aandelen
staan er alleen waar het aantal zelf getoond wordt. Het model en het gladstrijken worden
berekend op de getoonde aantallen; de verborgen rest van een hulpvorm wordt daarbij verdeeld
volgens het verwachte gebruik. Aandelen zijn afgerond op veelvouden van {params.threshold}
kinderen. Een mediaan of P90 staat er alleen als er aan elke kant minstens
{params.threshold} kinderen liggen. Niet beschermd: het verschil tussen twee analyses van
dezelfde foto op een andere gebiedsindeling of na een nieuwe aanlevering.</li></ul>
{f"<h2>Waarschuwingen</h2><ul>{warnings}</ul>" if warnings else ""}
</body></html>
"""
