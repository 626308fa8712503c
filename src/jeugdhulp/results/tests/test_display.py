"""How results are shown: SVG charts, missing values, Dutch labels, trend ordering and search
(no database)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from jeugdhulp.analysis import report as file_report
from jeugdhulp.results import trends
from jeugdhulp.results.charts import Series, bar_chart, nice_ticks, render
from jeugdhulp.results.report import records


def test_a_bar_chart_draws_one_bar_per_known_value_and_a_dash_per_missing_one():
    svg = render(
        bar_chart(
            "Bereik",
            ["BI", "IA", "KP"],
            [
                Series("0–2 jaar", [1.5, None, 3.0], "#443a83"),
                Series("3–5", [2.0, 1.0, 0.5], "#000"),
            ],
            missing_note="verborgen (klein aantal)",
        )
    )
    assert svg.count('class="chart__bar"') == 5
    assert svg.count('class="chart__missing"') == 1
    assert "IA · 0–2 jaar: verborgen (klein aantal)" in svg
    # Presentation attributes only: the CSP (style-src 'self') refuses style attributes.
    assert "style=" not in svg and "<style" not in svg
    assert "KP · 0–2 jaar: 3" in svg


def test_a_stacked_percent_chart_reads_in_dutch_percentages():
    svg = render(
        bar_chart(
            "Afstand",
            ["BI", "IA"],
            [Series("0–5 km", [0.25, None], "#111"), Series("> 5 km", [0.75, 0.5], "#222")],
            stacked=True,
            percent=True,
        )
    )
    assert "BI · 0–5 km: 25%" in svg and "BI · &gt; 5 km: 75%" in svg
    # A category with a missing part is one dash, not a partial stack.
    assert svg.count('class="chart__bar"') == 2 and svg.count('class="chart__missing"') == 1
    assert ">100%<" in svg


def test_chart_texts_are_escaped():
    svg = render(bar_chart("<b>titel</b>", ["<img>"], [Series("a&b", [1.0], "#000")]))
    assert "<img>" not in svg and "&lt;img&gt;" in svg and "<b>" not in svg


def test_nice_ticks_cover_the_largest_value_in_round_steps():
    assert nice_ticks(4306) == [0, 1000, 2000, 3000, 4000, 5000]
    assert nice_ticks(0.034) == [0, 0.01, 0.02, 0.03, 0.04]
    assert nice_ticks(0) == [0.0, 1.0]


def test_records_turn_missing_numbers_into_none():
    frame = pd.DataFrame({"a": [1.0, np.nan, np.inf], "b": ["x", None, "z"]})
    assert records(frame) == [
        {"a": 1.0, "b": "x"},
        {"a": None, "b": None},
        {"a": None, "b": "z"},
    ]


def _compared():
    return pd.DataFrame(
        {
            "gebied_code": ["A", "B", "C", "D", "E"],
            "gebied_naam": ["Aalst", "Beveren", "Cuyk", "Diest", "Essen"],
            "hulpvorm": "ALLE",
            "trend": ["geen", "daling", "stijging", "onvoldoende_gegevens", "stijging"],
            "verhouding": [1.0, 0.5, 1.5, np.nan, 2.0],
        }
    )


def test_significant_changes_come_first_largest_first():
    ordered = trends.significant_first(_compared())
    assert list(ordered["gebied_code"]) == ["E", "C", "B", "A", "D"]


def test_trend_rows_are_searched_by_name_or_code_and_trend():
    table = _compared()
    assert list(trends.matching(table, "ESS")["gebied_code"]) == ["E"]
    assert list(trends.matching(table, "b")["gebied_code"]) == ["B"]
    assert list(trends.matching(table, "", "stijging")["gebied_code"]) == ["C", "E"]
    # An unknown trend is no filter; a search with regex characters is plain text.
    assert len(trends.matching(table, "", "onzin")) == 5
    assert len(trends.matching(table, ".*")) == 0


def test_file_report_names_covariates_in_dutch_with_three_significant_digits():
    rows = [
        {"covariaat": "median_income", "rate_ratio": 0.12836563749896573, "p": 0.0002},
        {"covariaat": "eigen_kenmerk", "rate_ratio": 1.0583512, "p": 0.2622},
    ]
    table = file_report._coefficient_table(rows)
    assert "mediaan inkomen" in table and "median_income" not in table
    assert "<td>0,128</td>" in table and "<td>1,06</td>" in table
    assert "eigen kenmerk" in table and "&lt; 0,001" in table
    assert not re.search(r"\d{5,}", table)
    assert file_report.significant(15539.2) == "15.500"
    assert file_report.significant(float("nan")) == file_report.HIDDEN
