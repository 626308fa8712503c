"""Comparison groups in the results web: the map's values, the stored frame, the report."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role
from jeugdhulp.results import report, services
from jeugdhulp.results.tests.test_views import store_done_run


@pytest.fixture
def compared_run(db, analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path):
    return store_done_run(
        analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path
    )


def test_the_map_values_carry_the_group_and_the_ratio_against_it(
    client, compared_run, make_user, analysed_with_covariates
):
    run = compared_run["run"]
    client.force_login(make_user(Role.ANALIST, compared_run["region"]))
    data = client.get(reverse("results:values", args=[run.pk]) + "?hulpvorm=ALLE").json()
    group = data["columns"].index("vergelijkingsgroep")
    ratio = data["columns"].index("ratio_t_o_v_groep")
    published = analysed_with_covariates.published.set_index(["hulpvorm", "gebied_code"])
    for code, row in data["rows"].items():
        assert row[group] == published.loc[("ALLE", code), "vergelijkingsgroep"]
        assert len(row[group].split(";")) == 10
        expected = published.loc[("ALLE", code), "ratio_t_o_v_groep"]
        assert (row[ratio] is None) == bool(np.isnan(expected))
        if row[ratio] is not None:
            assert row[ratio] == pytest.approx(expected, abs=5e-4)
    frame = services.published_frame(run, "BH")
    assert frame["vergelijkingsgroep"].map(type).eq(str).all()


def test_the_report_lists_the_areas_furthest_from_their_group(compared_run):
    html = report.render_html(compared_run["run"])
    assert "Vergelijking met gelijkaardige gebieden" in html
    assert "vergeleken met de 10 gebieden" in html
    assert "mediaan inkomen, aandeel eenoudergezinnen" in html
    assert "boven de groep" in html and "onder de groep" in html
