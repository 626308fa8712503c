"""Bar charts of the round dashboard as server-side SVG.

The page's Content-Security-Policy allows styles only from files ('self'): plotly.js injects
``<style>`` elements and style attributes, so the charts came out empty or broken. These
charts are plain SVG markup with presentation attributes (``fill``, ``font-size``), which the
policy does not concern, drawn the same in the browser, in the HTML report and in the PDF, and
readable without JavaScript. Each bar carries a ``<title>`` (its value, as a tooltip and for
screen readers); a missing (suppressed) value draws no bar but a dash, explained below the
chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

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


def number(value: float, decimals: int) -> str:
    """Dutch (Belgian) notation: ``1.234,5``."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def value_text(value: float | None, percent: bool, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    if percent:
        return number(100 * value, 0) + "%"
    return number(value, decimals)


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
) -> str:
    """SVG markup (already escaped) of a grouped or stacked bar chart.

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
            parts = [s.values[i] if i < len(s.values) else None for s in series]
            totals.append(sum(parts) if all(_finite(p) for p in parts) else None)
        top = max((t for t in totals if t is not None), default=0.0)
    else:
        top = max(
            (v for s in series for v in s.values if _finite(v)),
            default=0.0,
        )
    if percent:
        top = min(max(top, 0.01), 1.0)
    ticks = nice_ticks(top)
    y_max = ticks[-1] or 1.0

    def y_of(value: float) -> float:
        return base_y - plot_h * value / y_max

    parts: list[str] = []
    tick_decimals = decimals if ticks[1] < 1 and not percent else 0
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e0e0e0" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#444">{escape(value_text(tick, percent, tick_decimals))}</text>'
        )
    if y_title:
        parts.append(
            f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-size="11" fill="#444" '
            f'text-anchor="middle" transform="rotate(-90 12 {TOP + plot_h / 2:.1f})">'
            f"{escape(y_title)}</text>"
        )
    slot = plot_w / n_cat
    group_w = slot * 0.8
    bar_w = group_w if stacked or not series else group_w / len(series)
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + (slot - group_w) / 2
        label = escape(category_titles[i] if i < len(category_titles) else category)
        values = [s.values[i] if i < len(s.values) else None for s in series]
        if stacked and not all(_finite(v) for v in values):
            values = [None] * len(values)
        level = 0.0
        for k, (one, value) in enumerate(zip(series, values, strict=True)):
            x = x0 if stacked else x0 + k * bar_w
            tip = f"{label} · {escape(one.name)}: " if len(series) > 1 else f"{label}: "
            if not _finite(value):
                if stacked and k:
                    continue
                width = group_w if stacked else bar_w
                parts.append(
                    f'<text class="chart__missing" x="{x + width / 2:.1f}" y="{base_y - 4:.1f}" '
                    f'font-size="11" text-anchor="middle" fill="#666">{MISSING}'
                    f"<title>{tip}{escape(missing_note or MISSING)}</title></text>"
                )
                continue
            y_top = y_of(level + value)
            y_bottom = y_of(level)
            parts.append(
                f'<rect class="chart__bar" x="{x:.1f}" y="{y_top:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{max(y_bottom - y_top, 0):.1f}" '
                f'fill="{escape(one.colour)}"><title>{tip}'
                f"{escape(value_text(value, percent, decimals))}</title></rect>"
            )
            if stacked:
                level += value
        parts.append(
            f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{base_y + 16:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#222">{escape(category)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base_y}" y2="{base_y}" '
        f'stroke="#777" stroke-width="1"/>'
    )
    if legend_rows:
        for k, one in enumerate(series):
            row, column = divmod(k, legend_columns)
            x = LEFT + column * LEGEND_ITEM
            y = HEIGHT - 10 + row * LEGEND_ROW
            parts.append(
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{escape(one.colour)}"/>'
                f'<text x="{x + 16}" y="{y}" font-size="11" fill="#222">{escape(one.name)}</text>'
            )
    return (
        f'<svg class="chart__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def has_missing(series: list[Series], n: int) -> bool:
    return any(
        not _finite(s.values[i] if i < len(s.values) else None) for s in series for i in range(n)
    )
