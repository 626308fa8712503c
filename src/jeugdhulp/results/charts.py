"""Bar charts of the round dashboard as server-side SVG.

The page's Content-Security-Policy allows styles only from files ('self'): plotly.js injects
``<style>`` elements and style attributes, so the charts came out empty or broken. These
charts are plain SVG with presentation attributes (``fill``, ``font-size``), which the policy
does not concern, drawn the same in every browser and readable without JavaScript. The shapes
are computed here and drawn by the template ``results/chart.svg``, which escapes every text.
Each bar carries a ``<title>`` (its value, as a tooltip and for screen readers); a missing
(suppressed) value draws no bar but a dash, explained below the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.template.loader import render_to_string

from jeugdhulp.analysis.numbers import dutch_number

WIDTH = 560
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 44
LEGEND_ROW = 18
LEGEND_ITEM = 128
MISSING = "—"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str


def value_text(value: float | None, percent: bool, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    if percent:
        return dutch_number(100 * value, 0) + "%"
    return dutch_number(value, decimals)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten)."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def bar_chart(
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    stacked: bool = False,
    percent: bool = False,
    decimals: int = 0,
    y_title: str = "",
    category_titles: list[str] | None = None,
    missing_note: str = "",
) -> dict:
    """The shapes of a grouped or stacked bar chart, drawn by the auto-escaping template
    ``results/chart.svg`` (:func:`render`): ``width``, ``height``, ``title``, ``grid`` (lines
    with a tick label), ``bars``, ``missing`` (dashes), ``labels`` (x axis), ``legend``.

    ``categories`` are the x-axis labels, ``category_titles`` their longer names for the
    tooltips. A stacked chart stacks the series of a category; a category with a missing
    value is drawn as a dash (its parts cannot be shown without the missing one).
    """
    category_titles = category_titles or categories
    n_cat = max(len(categories), 1)
    legend_columns = max(1, (WIDTH - LEFT) // LEGEND_ITEM)
    legend_rows = math.ceil(len(series) / legend_columns) if len(series) > 1 else 0
    height = HEIGHT + legend_rows * LEGEND_ROW
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h

    if stacked:
        totals = []
        for i in range(len(categories)):
            parts = [_at(s.values, i) for s in series]
            totals.append(sum(parts) if all(_finite(p) for p in parts) else None)
        top = max((t for t in totals if t is not None), default=0.0)
    else:
        top = max((v for s in series for v in s.values if _finite(v)), default=0.0)
    if percent:
        top = min(max(top, 0.01), 1.0)
    ticks = nice_ticks(top)
    y_max = ticks[-1] or 1.0

    def y_of(value: float) -> float:
        return round(base_y - plot_h * value / y_max, 1)

    tick_decimals = decimals if ticks[1] < 1 and not percent else 0
    grid = [
        {
            "y": y_of(t),
            "text_y": round(y_of(t) + 4, 1),
            "text": value_text(t, percent, tick_decimals),
        }
        for t in ticks
    ]
    slot = plot_w / n_cat
    group_w = slot * 0.8
    bar_w = group_w if stacked or not series else group_w / len(series)
    bars, missing, labels = [], [], []
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + (slot - group_w) / 2
        label = category_titles[i] if i < len(category_titles) else category
        values = [_at(s.values, i) for s in series]
        if stacked and not all(_finite(v) for v in values):
            values = [None] * len(values)
        level = 0.0
        for k, (one, value) in enumerate(zip(series, values, strict=True)):
            x = x0 if stacked else x0 + k * bar_w
            tip = f"{label} · {one.name}: " if len(series) > 1 else f"{label}: "
            if not _finite(value):
                if stacked and k:
                    continue
                width = group_w if stacked else bar_w
                missing.append(
                    {
                        "x": round(x + width / 2, 1),
                        "y": base_y - 4,
                        "tip": tip + (missing_note or MISSING),
                    }
                )
                continue
            y_top, y_bottom = y_of(level + value), y_of(level)
            bars.append(
                {
                    "x": round(x, 1),
                    "y": y_top,
                    "width": round(max(bar_w - 1, 1), 1),
                    "height": round(max(y_bottom - y_top, 0), 1),
                    "fill": one.colour,
                    "tip": tip + value_text(value, percent, decimals),
                }
            )
            if stacked:
                level += value
        labels.append({"x": round(LEFT + slot * (i + 0.5), 1), "text": category})
    legend = []
    if legend_rows:
        for k, one in enumerate(series):
            row, column = divmod(k, legend_columns)
            x, y = LEFT + column * LEGEND_ITEM, HEIGHT - 10 + row * LEGEND_ROW
            legend.append(
                {
                    "x": x,
                    "y": y,
                    "box_y": y - 10,
                    "text_x": x + 16,
                    "fill": one.colour,
                    "text": one.name,
                }
            )
    return {
        "title": title,
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base_y": base_y,
        "label_y": base_y + 16,
        "y_title": y_title,
        "y_title_x": 12,
        "y_title_y": round(TOP + plot_h / 2, 1),
        "tick_x": LEFT - 6,
        "grid": grid,
        "bars": bars,
        "missing": missing,
        "missing_text": MISSING,
        "labels": labels,
        "legend": legend,
    }


def render(chart: dict) -> str:
    """The chart as SVG markup, through Django's template engine: every text is escaped."""
    return render_to_string("results/chart.svg", {"chart": chart})


def _at(values, i: int):
    return values[i] if values and i < len(values) else None


def has_missing(series: list[Series], n: int) -> bool:
    return any(
        not _finite(s.values[i] if i < len(s.values) else None) for s in series for i in range(n)
    )
