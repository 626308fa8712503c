"""The demo rounds' spatial pattern: planted clusters and residence weights."""

import random

import numpy as np
import pytest
import shapely

from jeugdhulp.data.demo_region import LOCAL_CRS, make_region
from jeugdhulp.demo import rounds


@pytest.fixture(scope="module")
def region():
    return make_region(random.Random("0:region").randrange(2**32))


def test_the_planted_clusters_are_contiguous_disjoint_and_rural(region):
    high, low = rounds.planted_clusters(region)
    assert len(high) == len(low) == rounds.CLUSTER_SIZE
    assert not set(high) & set(low)
    local = region.municipalities.to_crs(LOCAL_CRS).set_index("code")
    for cluster in (high, low):
        union = shapely.union_all(local.loc[cluster].geometry.buffer(1).to_numpy())
        assert union.geom_type == "Polygon"  # one piece: neighbours
    assert not local.loc[[high[0], low[0]], "urban"].any()


def test_residence_weights_raise_use_in_the_high_cluster_and_lower_it_in_the_low(region):
    codes, weights = rounds.residence_weights(region)
    assert np.isclose(weights.sum(), 1.0) and (weights > 0).all()
    youth = region.population.groupby("area_code")["population"].sum().reindex(codes).to_numpy()
    rate = weights / youth
    parent = region.subareas.set_index("code").loc[codes, "parent"].to_numpy()
    high, low = rounds.planted_clusters(region)
    rest = rate[~np.isin(parent, high + low)].mean()
    assert rate[np.isin(parent, high)].mean() > 1.5 * rest
    assert rate[np.isin(parent, low)].mean() < 0.5 * rest
