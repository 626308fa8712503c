"""A small analysed region shared by the results tests (run once per test process)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jeugdhulp.aanmeldingen.tests.conftest import (  # noqa: F401 - the client-routes tests' world
    field_keys,
    municipalities,
    request_in,
    world,
)
from jeugdhulp.accounts.models import OrganisationKind, Role
from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams, run_analysis
from jeugdhulp.analysis.tests import fixtures


@pytest.fixture(scope="session")
def small_inputs():
    areas = fixtures.grid_areas(5)
    population = fixtures.population_of(areas["code"])
    # Higher use in the first row of areas, so a hotspot can show up.
    rates = [3.0 if code.startswith("A0") else 1.0 for code in areas["code"]]
    snapshot = fixtures.random_snapshot(areas["code"], 700, seed=3, rates=rates)
    return {
        "areas": areas,
        "population": population,
        "snapshot": snapshot,
        "centroids": fixtures.centroids_of(areas),
        "sites": fixtures.sites_for(fixtures.grid_areas(6)),
    }


@pytest.fixture(scope="session")
def analysed(small_inputs):
    params = AnalysisParams(peildatum=fixtures.PEILDATUM, permutations=99, seed=1)
    return run_analysis(
        AnalysisInputs(
            small_inputs["areas"],
            small_inputs["population"],
            small_inputs["snapshot"],
            params,
            centroids=small_inputs["centroids"],
            sites=small_inputs["sites"],
        )
    )


@pytest.fixture(scope="session")
def analysed_with_covariates(small_inputs):
    """The same region with two covariates: a covariate model and comparison groups."""
    codes = small_inputs["areas"]["code"]
    rng = np.random.default_rng(5)
    covariates = pd.DataFrame(
        {
            "area_code": codes,
            "median_income": rng.normal(30, 5, len(codes)).round(2),
            "single_parent_share": rng.uniform(0.05, 0.3, len(codes)).round(3),
        }
    )
    return run_analysis(
        AnalysisInputs(
            small_inputs["areas"],
            small_inputs["population"],
            small_inputs["snapshot"],
            AnalysisParams(peildatum=fixtures.PEILDATUM, permutations=99, seed=1),
            centroids=small_inputs["centroids"],
            sites=small_inputs["sites"],
            covariates=covariates,
        )
    )


# The stored, finished run of the small region that the page tests use, and people around it.
@pytest.fixture
def done_run(db, analysed, small_inputs, make_organisation, settings, tmp_path):
    from jeugdhulp.results.tests.test_views import store_done_run

    return store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path)


@pytest.fixture
def committed_run(transactional_db, analysed, small_inputs, make_organisation, settings, tmp_path):
    """The same run committed, for browser tests (a live server sees only committed rows)."""
    from jeugdhulp.results.tests.test_views import store_done_run

    return store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path)


@pytest.fixture
def users(done_run, make_user, make_organisation):
    other_region = make_organisation(OrganisationKind.IROJ, code="IROJ-ANDER")
    return {
        "analist": make_user(Role.ANALIST, done_run["region"]),
        "coordinator": make_user(Role.COORDINATOR, done_run["region"]),
        "partner": make_user(Role.MEDEWERKER_VOORZIENING, done_run["partner"]),
        "outsider": make_user(Role.ANALIST, other_region),
        "aanmelder": make_user(Role.AANMELDER, done_run["partner"]),
    }
