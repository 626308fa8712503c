import numpy as np

from jeugdhulp.data.areas import area_km2
from jeugdhulp.data.demo_region import make_region


def test_same_seed_same_region_and_sizes_as_asked():
    one = make_region(7, n_municipalities=8, n_subareas=120, n_sites=20)
    two = make_region(7, n_municipalities=8, n_subareas=120, n_sites=20)
    assert one.population.equals(two.population)
    assert one.subareas.geometry.equals(two.subareas.geometry)
    assert len(one.municipalities) == 8 and len(one.subareas) == 120
    assert one.sites["vestiging"].nunique() == 20
    assert not one.population.equals(make_region(8, n_municipalities=8, n_subareas=120).population)


def test_default_region_is_realistic():
    region = make_region(1)
    assert len(region.municipalities) == 40 and len(region.subareas) == 1000
    assert region.subareas.geometry.is_valid.all()
    # sub-areas tile the province
    assert np.isclose(area_km2(region.subareas).sum(), area_km2(region.province).sum(), rtol=1e-3)
    youth = region.population["population"].sum()
    assert 200_000 <= youth <= 250_000
    assert set(region.population["age_from"]) == set(range(25))
    per_municipality = region.municipality_population().groupby("area_code")["population"].sum()
    assert per_municipality.max() > 5 * per_municipality.median()  # a town among villages
    corr = region.covariates.drop(columns="area_code").corr()
    assert corr.loc["median_income", "single_parent_share"] < -0.3
    assert corr.loc["median_income", "unemployment_rate"] < -0.3
    assert corr.loc["single_parent_share", "unemployment_rate"] > 0.3
    assert "Demoprovincie — fictief" in region.province["naam"].iloc[0]
