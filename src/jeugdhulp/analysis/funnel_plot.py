"""The funnel plot's shapes: one pure function for the results web, the web report and the file
report, so the three draw the same thing.

Each area with a published count is a point at its expected count E (x, logarithmic) and its
ratio O/E (y, logarithmic; a count of 0 on a row of its own below the axis). The 95% and 99.8%
limits of :func:`jeugdhulp.analysis.funnel.funnel_limits` are drawn as curves, without and
(when the form is overdispersed) with Spiegelhalter's (2005b) widening, and a line marks O/E = 1.
A point lies outside a curve exactly when its published class says so (both come from the same
exact Poisson tails).

Only published values enter: the count and ``verwacht`` as ``indicatoren.csv`` has them (E
rounded to :data:`EXPECTED_DECIMALS`, so no position is finer than the file), the published
classes and the manifest's φ. Areas whose count is hidden are left out and counted.

References
----------
Spiegelhalter, D.J. (2005a). Funnel plots for comparing institutional performance. Statistics in
Medicine 24(8):1185–1202.
Spiegelhalter, D.J. (2005b). Handling over-dispersion of performance indicators. Quality and
Safety in Health Care 14(5):347–351.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jeugdhulp.analysis.funnel import (
    BINNEN,
    BOVEN_95,
    BOVEN_998,
    ONDER_95,
    ONDER_998,
    funnel_limits,
)
from jeugdhulp.analysis.numbers import dutch_number

# The decimals of ``verwacht`` in indicatoren.csv (analysis.output.DECIMALS; a test keeps
# them equal): a point's x is never more precise than the published file.
EXPECTED_DECIMALS = 2
WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 12, 44
ZERO_ROW = 24  # room below the axis for the points with O = 0
GRID_POINTS = 240  # expected counts at which the limit curves are evaluated
RADIUS = 3.5
LEGEND_COLUMNS = 2
LEGEND_COLUMN = 280
# Point colours per class: ColorBrewer PuOr like the ratio map (orange high, purple low).
CLASS_COLOURS = {
    BOVEN_998: "#b35806",
    BOVEN_95: "#f1a340",
    BINNEN: "#b0b0b0",
    ONDER_95: "#998ec3",
    ONDER_998: "#542788",
}
# Dutch texts of the file report (the web page has its own, translatable, in results.funnel).
CLASS_LABELS = {
    BOVEN_998: "boven de grens van 99,8%",
    BOVEN_95: "boven de grens van 95%",
    BINNEN: "binnen de grenzen",
    ONDER_95: "onder de grens van 95%",
    ONDER_998: "onder de grens van 99,8%",
}
# Curves: key → (limit column, widened, stroke, dash pattern).
CURVES = {
    "95": ("95", False, "#4d4d4d", "6 4"),
    "998": ("998", False, "#4d4d4d", "2 3"),
    "95_od": ("95", True, "#1b7837", "6 4"),
    "998_od": ("998", True, "#1b7837", "2 3"),
}
LINE_LABELS = {
    "95": "grenzen van 95% (Poisson)",
    "998": "grenzen van 99,8% (Poisson)",
    "95_od": "grenzen van 95% met overdispersie",
    "998_od": "grenzen van 99,8% met overdispersie",
    "een": "verhouding 1 (zoals verwacht)",
}
# Outside the limits first, the strongest first: the order of the table below the plot.
CLASS_ORDER = (BOVEN_998, ONDER_998, BOVEN_95, ONDER_95)


@dataclass(frozen=True)
class Point:
    code: str
    naam: str
    cx: float
    cy: float
    fill: str
    aantal: int
    verwacht: str  # Dutch notation
    ratio: str
    klasse: str
    klasse_od: str


@dataclass(frozen=True)
class Curve:
    key: str
    pieces: list[str]  # SVG polyline points, one piece per stretch inside the plot
    stroke: str
    dash: str


@dataclass(frozen=True)
class Tick:
    position: float
    text: str
    text_at: float  # the label's x (y axis) or y (x axis)


@dataclass(frozen=True)
class FunnelPlot:
    """Everything a renderer needs, in SVG user units (``width`` × ``height``)."""

    width: int
    height: int
    left: float
    right: float
    top: float
    base_y: float  # the x axis
    zero_y: float | None  # the row of the points with O = 0 (None: no such point)
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    one_y: float
    curves: list[Curve]
    points: list[Point]
    hidden: int  # areas left out: count hidden (1 … threshold − 1, or derivable)
    no_expected: int  # areas left out: no published expected count (or E = 0)
    phi: float | None
    widened: bool

    @property
    def label_y(self) -> float:
        """The baseline of the x axis' tick labels."""
        return (self.zero_y if self.zero_y is not None else self.base_y) + 16

    @property
    def tick_x(self) -> float:
        return self.left - 6

    @property
    def zero_text_y(self) -> float | None:
        return None if self.zero_y is None else self.zero_y + 4

    @property
    def x_title(self) -> tuple[float, float]:
        """Where the x axis' title is centred."""
        return (self.left + self.right) / 2, self.label_y + 18

    @property
    def y_title_y(self) -> float:
        return (self.top + self.base_y) / 2

    @property
    def bottom(self) -> float:
        """The lowest point used by the axes and their titles."""
        return self.label_y + 26


def _nice(value: float, up: bool) -> float:
    """The nearest 1, 2 or 5 times a power of ten at or above (``up``) or below ``value``."""
    power = 10.0 ** math.floor(math.log10(value))
    steps = [m * power for m in (1, 2, 5, 10)]
    if up:
        return next(s for s in steps if s >= value * (1 - 1e-9))
    return next(s for s in reversed(steps[:3]) if s <= value * (1 + 1e-9))


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks from ``low`` to ``high``, thinned to the powers of ten over many decades."""
    decades = range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
    values = [m * 10.0**k for k in decades for m in (1, 2, 5)]
    inside = [v for v in values if low * (1 - 1e-9) <= v <= high * (1 + 1e-9)]
    if len(inside) > 9:
        inside = [v for v in inside if math.isclose(math.log10(v), round(math.log10(v)))]
    return inside


def _tick_text(value: float) -> str:
    decimals = max(0, -math.floor(math.log10(value) + 1e-9))
    return dutch_number(value, decimals)


def plot_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The published rows that get a point: count known, E > 0 as published (rounded)."""
    expected = frame["verwacht"].astype(float).round(EXPECTED_DECIMALS)
    count = frame["aantal_clienten"].astype(float)
    shown = count.notna() & expected.notna() & (expected > 0)
    rows = pd.DataFrame(frame[shown])
    rows["verwacht"] = expected[shown]
    rows["aantal_clienten"] = count[shown]
    rows["o_e"] = rows["aantal_clienten"] / rows["verwacht"]
    return rows


def funnel_plot(
    frame: pd.DataFrame, phi: float | None, *, colour_by: str = "funnel_klasse_od"
) -> FunnelPlot:
    """The shapes of the funnel plot of one form of help.

    Parameters
    ----------
    frame : pandas.DataFrame
        Published indicators of one form: ``gebied_code``, ``gebied_naam``, ``aantal_clienten``
        (children; empty where hidden), ``verwacht`` (children), ``funnel_klasse``,
        ``funnel_klasse_od``; ``ratio`` when present is shown as the area's ratio.
    phi : float or None
        The form's overdispersion factor from the manifest; the widened curves are drawn only
        when it is above 1 (as the classes were widened).
    colour_by : {"funnel_klasse_od", "funnel_klasse"}
        Which class colours the points.

    Returns
    -------
    FunnelPlot
        Axes, curves and points in SVG user units; areas left out, counted by reason.
    """
    rows = plot_frame(frame)
    hidden = int(frame["aantal_clienten"].isna().sum())
    no_expected = len(frame) - hidden - len(rows)
    widened = phi is not None and math.isfinite(phi) and phi > 1
    zero = rows["o_e"] <= 0
    positive = rows.loc[~zero, "o_e"]
    e_low = float(rows["verwacht"].min()) if len(rows) else 1.0
    e_high = float(rows["verwacht"].max()) if len(rows) else 10.0
    x_min, x_max = _nice(e_low, up=False), _nice(e_high, up=True)
    if x_max <= x_min:
        x_max = _nice(x_min * 1.01, up=True)
    y_min = _nice(min(float(positive.min()) if len(positive) else 1.0, 0.5), up=False)
    y_max = _nice(max(float(positive.max()) if len(positive) else 1.0, 2.0), up=True)
    plot_w = WIDTH - LEFT - RIGHT
    has_zero = bool(zero.any())
    height = HEIGHT + (ZERO_ROW if has_zero else 0)
    base_y = float(HEIGHT - BOTTOM)
    plot_h = base_y - TOP
    lx_min, lx_span = math.log10(x_min), math.log10(x_max) - math.log10(x_min)
    ly_min, ly_span = math.log10(y_min), math.log10(y_max) - math.log10(y_min)

    def x_of(e):
        return LEFT + plot_w * (np.log10(e) - lx_min) / lx_span

    def y_of(r):
        return base_y - plot_h * (np.log10(r) - ly_min) / ly_span

    grid = np.geomspace(x_min, x_max, GRID_POINTS)
    curves = []
    for key, (level, wide, stroke, dash) in CURVES.items():
        if wide and not widened:
            continue
        limits = funnel_limits(grid, phi=phi if wide and phi is not None else 1.0)
        for side in ("onder", "boven"):
            values = limits[f"{side}_{level}"].to_numpy(float)
            pieces = _pieces(x_of(grid), values, y_min, y_max, y_of)
            curves.append(Curve(key, pieces, stroke, dash))
    zero_y = base_y + ZERO_ROW - 4 if has_zero else None
    label_y = (zero_y if zero_y is not None else base_y) + 16
    # Points outside the limits are drawn last, over the crowd inside them.
    rank = {BINNEN: 0, ONDER_95: 1, BOVEN_95: 1, ONDER_998: 2, BOVEN_998: 2}
    order = np.argsort([rank.get(k, 0) for k in rows[colour_by]], kind="stable")
    # Column arrays, not row records: 9,000 areas × 6 forms made to_dict the plot's main cost.
    ordered = rows.iloc[order]
    e = ordered["verwacht"].to_numpy(float)
    o_e = ordered["o_e"].to_numpy(float)
    ratio = (
        ordered["ratio"].to_numpy(float) if "ratio" in ordered else np.full(len(ordered), np.nan)
    )
    ratio = np.where(np.isfinite(ratio), ratio, o_e)
    cx = x_of(e)
    with np.errstate(divide="ignore"):
        cy = np.where(o_e > 0, y_of(o_e), np.nan)
    points = [
        Point(
            code=str(code),
            naam=str(naam),
            cx=round(float(x), 1),
            cy=round(float(y), 1) if o > 0 else float(zero_y or base_y),
            fill=CLASS_COLOURS.get(colour, CLASS_COLOURS[BINNEN]),
            aantal=int(aantal),
            verwacht=dutch_number(float(expected), 1 if expected >= 10 else 2),
            ratio=dutch_number(float(r), 2),
            klasse=str(klasse),
            klasse_od=str(klasse_od),
        )
        for code, naam, x, y, o, colour, aantal, expected, r, klasse, klasse_od in zip(
            ordered["gebied_code"],
            ordered["gebied_naam"],
            cx,
            cy,
            o_e,
            ordered[colour_by],
            ordered["aantal_clienten"],
            e,
            ratio,
            ordered["funnel_klasse"],
            ordered["funnel_klasse_od"],
            strict=True,
        )
    ]
    return FunnelPlot(
        width=WIDTH,
        height=height,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        base_y=base_y,
        zero_y=zero_y,
        x_ticks=[
            Tick(round(float(x_of(v)), 1), _tick_text(v), label_y) for v in _log_ticks(x_min, x_max)
        ],
        y_ticks=[
            Tick(y, _tick_text(v), y + 4)
            for v in _log_ticks(y_min, y_max)
            for y in [round(float(y_of(v)), 1)]
        ],
        one_y=round(float(y_of(1.0)), 1),
        curves=curves,
        points=points,
        hidden=hidden,
        no_expected=no_expected,
        phi=phi if phi is not None and math.isfinite(phi) else None,
        widened=widened,
    )


def _pieces(xs: np.ndarray, values: np.ndarray, low: float, high: float, y_of) -> list[str]:
    """The stretches of a curve inside [low, high] as polyline points: a new piece wherever it
    re-enters, the point where it leaves pinned to the edge (at the next grid point: within
    one grid step, 2.4 units, of where it crosses)."""
    pieces, current = [], []
    for x, value in zip(xs, values, strict=True):
        if np.isfinite(value) and low <= value <= high:
            current.append((x, float(y_of(value))))
            continue
        if current:
            edge = high if np.isfinite(value) and value > high else low
            current.append((x, float(y_of(edge))))
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [" ".join(f"{x:.1f},{y:.1f}" for x, y in piece) for piece in pieces if len(piece) > 1]


def outside_rows(frame: pd.DataFrame, by: str = "funnel_klasse_od") -> pd.DataFrame:
    """The areas outside the 95% or 99.8% limits of class column ``by`` (not ``binnen``),
    strongest first (99.8% before 95%, above before below), then by how far the ratio lies from
    1; the rows of :func:`plot_frame` with its ``o_e``."""
    rows = plot_frame(frame)
    rows = pd.DataFrame(rows[rows[by].isin(CLASS_ORDER)])
    strength = np.array([CLASS_ORDER.index(k) for k in rows[by]], dtype=float)
    distance = -np.abs(np.log(np.maximum(rows["o_e"].to_numpy(float), 1e-9)))
    return rows.iloc[np.lexsort((distance, strength))]


def legend_keys(plot: FunnelPlot) -> list[str]:
    """The curves drawn, in legend order (the line at 1 last)."""
    return [*dict.fromkeys(c.key for c in plot.curves), "een"]


def svg(plot: FunnelPlot, title: str) -> str:
    """The plot as standalone SVG markup for the reports (no links; every text escaped): a
    ``<title>`` per point with its name and figures, a legend of the curves and classes."""
    items = len(legend_keys(plot)) + len(CLASS_COLOURS)
    height = plot.bottom + 6 + math.ceil(items / LEGEND_COLUMNS) * 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {plot.width} {height:.0f}" '
        f'width="{plot.width}" role="img" aria-label="{html.escape(title)}" '
        f'font-family="DejaVu Sans, system-ui, sans-serif"><title>{html.escape(title)}</title>'
    ]
    for tick in plot.y_ticks:
        parts.append(
            f'<line x1="{plot.left}" x2="{plot.right}" y1="{tick.position}" '
            f'y2="{tick.position}" stroke="#ececec"/><text x="{plot.tick_x}" '
            f'y="{tick.text_at}" font-size="11" text-anchor="end" fill="#444">'
            f"{tick.text}</text>"
        )
    for tick in plot.x_ticks:
        parts.append(
            f'<line x1="{tick.position}" x2="{tick.position}" y1="{plot.top}" '
            f'y2="{plot.base_y}" stroke="#ececec"/><text x="{tick.position}" '
            f'y="{tick.text_at}" font-size="11" text-anchor="middle" fill="#444">'
            f"{tick.text}</text>"
        )
    if plot.zero_y is not None:
        parts.append(
            f'<text x="{plot.tick_x}" y="{plot.zero_text_y}" font-size="11" text-anchor="end" '
            f'fill="#444">0</text>'
        )
    parts.append(
        f'<line x1="{plot.left}" x2="{plot.right}" y1="{plot.one_y}" y2="{plot.one_y}" '
        f'stroke="#222" stroke-width="1"/>'
    )
    for curve in plot.curves:
        for piece in curve.pieces:
            parts.append(
                f'<polyline points="{piece}" fill="none" stroke="{curve.stroke}" '
                f'stroke-width="1.4" stroke-dasharray="{curve.dash}"/>'
            )
    for p in plot.points:
        tip = point_text(p)
        parts.append(
            f'<circle cx="{p.cx}" cy="{p.cy}" r="{RADIUS}" fill="{p.fill}" stroke="#333" '
            f'stroke-width="0.5"><title>{html.escape(tip)}</title></circle>'
        )
    x, y = plot.x_title
    parts.append(
        f'<text x="{x}" y="{y}" font-size="11" text-anchor="middle" fill="#222">'
        f"verwacht aantal kinderen (logaritmische schaal)</text>"
    )
    middle = plot.y_title_y
    parts.append(
        f'<text x="12" y="{middle}" font-size="11" text-anchor="middle" fill="#222" '
        f'transform="rotate(-90 12 {middle})">werkelijk / verwacht</text>'
    )
    items = [(key, LINE_LABELS[key]) for key in legend_keys(plot)]
    items += [(klasse, CLASS_LABELS[klasse]) for klasse in CLASS_COLOURS]
    for k, (key, label) in enumerate(items):
        x = plot.left + (k % LEGEND_COLUMNS) * LEGEND_COLUMN
        row_y = plot.bottom + 14 + (k // LEGEND_COLUMNS) * 16
        if key in CLASS_COLOURS:
            parts.append(
                f'<circle cx="{x + 11}" cy="{row_y - 4}" r="{RADIUS}" fill="{CLASS_COLOURS[key]}" '
                f'stroke="#333" stroke-width="0.5"/>'
            )
        else:
            stroke, dash = ("#222", "") if key == "een" else CURVES[key][2:]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" x2="{x + 22}" y1="{row_y - 4}" y2="{row_y - 4}" '
                f'stroke="{stroke}" stroke-width="1.6"{dash_attr}/>'
            )
        parts.append(
            f'<text x="{x + 28}" y="{row_y}" font-size="10" fill="#222">{html.escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def point_text(point: Point) -> str:
    """A point's name and figures in Dutch (the reports' tooltip)."""
    return (
        f"{point.naam} ({point.code}): {point.aantal} kinderen, verwacht {point.verwacht}, "
        f"verhouding {point.ratio}; {CLASS_LABELS.get(point.klasse, point.klasse)}, met "
        f"overdispersie {CLASS_LABELS.get(point.klasse_od, point.klasse_od)}"
    )
