"""The analysis' warnings reach the run page and the report of the web application (#16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role
from jeugdhulp.analysis.pipeline import AnalysisInputs, run_analysis
from jeugdhulp.results.report import render_html
from jeugdhulp.results.tests.test_views import _english, store_done_run


@pytest.fixture
def warned_run(db, analysed, small_inputs, make_organisation, make_user, settings, tmp_path):
    # The first area has clients but no population rows (a reference import that missed it).
    first = small_inputs["areas"]["code"].iloc[0]
    population = small_inputs["population"]
    inputs = {**small_inputs, "population": population[population["area_code"] != first]}
    result = run_analysis(
        AnalysisInputs(
            inputs["areas"],
            inputs["population"],
            inputs["snapshot"],
            analysed.params,
            centroids=inputs["centroids"],
            sites=inputs["sites"],
        )
    )
    stored = store_done_run(result, inputs, make_organisation, settings, tmp_path)
    warning = next(w for w in result.warnings if "zonder inwoners" in w)
    return stored | {
        "warning": warning,
        "analist": make_user(Role.ANALIST, stored["region"]),
        "partner_user": make_user(Role.MEDEWERKER_VOORZIENING, stored["partner"]),
    }


def test_the_run_page_lists_the_analysis_warnings_for_the_region(client, warned_run):
    assert warned_run["warning"] in warned_run["run"].manifest["waarschuwingen"]
    client.force_login(warned_run["analist"])
    page = client.get(reverse("results:detail", args=[warned_run["run"].pk])).content.decode()
    assert "Waarschuwingen bij de analyse" in page
    assert warned_run["warning"] in page
    english = client.get(_english("results:detail", warned_run["run"])).content.decode()
    assert "Warnings from the analysis" in english


def test_partners_do_not_get_the_area_warnings(client, warned_run):
    client.force_login(warned_run["partner_user"])
    page = client.get(reverse("results:detail", args=[warned_run["run"].pk])).content.decode()
    assert "Waarschuwingen bij de analyse" not in page
    assert warned_run["warning"] not in page


def test_the_report_lists_the_analysis_warnings(warned_run):
    html = render_html(warned_run["run"])
    assert "Waarschuwingen bij de analyse" in html and warned_run["warning"] in html
