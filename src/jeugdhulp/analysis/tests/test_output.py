"""Writing the published result: the text of the numbers and the GeoPackage settings."""

import numpy as np
import pandas as pd
import pyogrio

from jeugdhulp.analysis.output import float_text, write_geopackage
from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams, run_analysis
from jeugdhulp.analysis.tests.fixtures import (
    PEILDATUM,
    centroids_of,
    grid_areas,
    population_of,
    random_snapshot,
    sites_for,
)


def test_float_text_writes_the_same_csv_as_pandas():
    rng = np.random.default_rng(3)
    tricky = [0.0, -0.0, 1e-5, 1e-4, 0.1 + 0.2, 1e15, 1e16, 1.2345e17, np.inf, -np.inf, np.nan]
    frame = pd.DataFrame(
        {
            "code": ["a"] * 11,
            "x": tricky,
            "y": np.round(rng.normal(0, 1000, 11), 2),
            "n": pd.array([1, None, 3] + [4] * 8, dtype="Int64"),
        }
    )
    frame.loc[3, "y"] = np.nan
    for sep in (",", ";"):
        expected = frame.to_csv(sep=sep, index=False, lineterminator="\n")
        assert float_text(frame).to_csv(sep=sep, index=False, lineterminator="\n") == expected


def test_geopackage_leaves_gdal_settings_as_they_were(tmp_path):
    areas = grid_areas(3)
    result = run_analysis(
        AnalysisInputs(
            areas,
            population_of(areas["code"]),
            random_snapshot(areas["code"], 200, seed=1),
            AnalysisParams(PEILDATUM, permutations=99),
            centroids=centroids_of(areas),
            sites=sites_for(areas),
        )
    )
    write_geopackage(result, tmp_path / "gebieden.gpkg")
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") is None
    assert len(pyogrio.list_layers(tmp_path / "gebieden.gpkg")) > 1
