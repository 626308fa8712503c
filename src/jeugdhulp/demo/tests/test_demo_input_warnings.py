"""The demo's inputs fit together: the analysis' input checks stay silent on them (#16)."""

import random

import numpy as np

from jeugdhulp.analysis.pipeline import AnalysisInputs, AnalysisParams, run_analysis
from jeugdhulp.data.areas import centroids
from jeugdhulp.data.demo_region import make_region
from jeugdhulp.demo import rounds
from jeugdhulp.snapshot.reader import read_snapshot
from jeugdhulp.snapshot.synthetic import synthetic_snapshot

INPUT_WARNINGS = ("horen bij geen gebied", "zonder inwoners", "kinderen in hulp")


def test_the_demo_round_gives_no_input_warning(tmp_path):
    # The demo's region, residences (population x risk, with the planted clusters) and volume:
    # about 18,000 rows from the 60,000-children pool, as its 27 delivering partners send.
    region = make_region(random.Random("0:region").randrange(2**32))
    codes, weights = rounds.residence_weights(region)
    sites = sorted(region.sites["vestiging"].unique())
    path = tmp_path / "foto.csv"
    synthetic_snapshot(
        18_000,
        peildatum=rounds.PEILDATUM,
        sites=sites,
        residences=codes,
        residence_weights=weights,
        children=rounds.CHILDREN,
        child_seed="demo-0",
    ).to_csv(path, sep=";", index=False)
    snapshot = read_snapshot(path, peildatum=rounds.PEILDATUM, site_codes=set(sites))
    assert snapshot.ok
    areas = region.subareas[["code", "naam", "geometry"]]
    result = run_analysis(
        AnalysisInputs.flemish(
            areas,
            region.population,
            snapshot.frame,
            AnalysisParams(rounds.PEILDATUM),
            centroids=centroids(areas),
            sites=region.sites,
        )
    )
    everyone = result.published[result.published["hulpvorm"] == "ALLE"]
    # The planted high cluster reaches several hundred per 1,000 in small sectors: the checks
    # must leave that alone.
    assert np.nanmax(everyone["bereik_per_1000"]) > 300
    assert [w for w in result.warnings if any(m in w for m in INPUT_WARNINGS)] == []
