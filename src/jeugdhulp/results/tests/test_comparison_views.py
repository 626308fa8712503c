"""Comparison groups in the results web: the map's values, the stored frame, the report."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import OrganisationKind, Role
from jeugdhulp.results import report, services
from jeugdhulp.results.tests.test_views import store_done_run


@pytest.fixture
def compared_run(db, analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path):
    return store_done_run(
        analysed_with_covariates, small_inputs, make_organisation, settings, tmp_path
    )


def test_the_map_gets_the_ratio_with_its_values_and_the_group_per_area(
    client, compared_run, make_user, make_organisation, analysed_with_covariates
):
    run = compared_run["run"]
    client.force_login(make_user(Role.ANALIST, compared_run["region"]))
    data = client.get(reverse("results:values", args=[run.pk]) + "?hulpvorm=ALLE").json()
    ratio = data["columns"].index("ratio_t_o_v_groep")
    assert "vergelijkingsgroep" not in data["columns"]  # per area, on demand
    published = analysed_with_covariates.published.set_index(["hulpvorm", "gebied_code"])
    for code, row in data["rows"].items():
        expected = published.loc[("ALLE", code), "ratio_t_o_v_groep"]
        assert (row[ratio] is None) == bool(np.isnan(expected))
        if row[ratio] is not None:
            assert row[ratio] == pytest.approx(expected, abs=5e-4)
    group = client.get(data["group_url"], {"gebied": "A12"}).json()["leden"]
    assert ";".join(group) == published.loc[("BH", "A12"), "vergelijkingsgroep"]
    assert len(group) == 10 and "A12" not in group
    assert client.get(data["group_url"], {"gebied": "GEEN"}).json() == {"leden": []}
    frame = services.published_frame(run, "BH")
    assert frame["vergelijkingsgroep"].map(type).eq(str).all()
    # Another region's analist sees nothing of it.
    other = make_organisation(OrganisationKind.IROJ, code="IROJ-ANDER")
    client.force_login(make_user(Role.ANALIST, other))
    assert client.get(data["group_url"], {"gebied": "A12"}).status_code == 404


def test_the_report_lists_the_areas_furthest_from_their_group(compared_run):
    html = report.render_html(compared_run["run"])
    assert "Vergelijking met gelijkaardige gebieden" in html
    assert "vergeleken met de 10 gebieden" in html
    assert "mediaan inkomen, aandeel eenoudergezinnen" in html
    assert "boven de groep" in html and "onder de groep" in html
