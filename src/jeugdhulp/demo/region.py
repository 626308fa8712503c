"""The demo's fictional region in the database: "Demoprovincie — fictief" with its
municipalities, sub-areas, population 0–24, covariates and sites (see
``jeugdhulp.data.demo_region``)."""

from __future__ import annotations

from django.db import transaction

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.data.demo_region import LOCAL_CRS, PROVINCE_NAME, make_region
from jeugdhulp.demo.organisations import NETWORK_CODE, REGION_CODE
from jeugdhulp.reference.loading.areas import store_areas
from jeugdhulp.reference.loading.covariates import store_covariates
from jeugdhulp.reference.loading.population import store_population
from jeugdhulp.reference.loading.sites import store_sites
from jeugdhulp.reference.models import Area, AreaLevel, AreaSet, AreaSetKind

VINTAGE = "2025"
YEAR = 2025
SOURCE = "demo (fictief)"
REGION_SET = "DEMO-REGIO"
NETWORK_SET = "DEMO-NETWERK"


@transaction.atomic
def build_region(seed: int) -> dict:
    """Store the region generated from ``seed``; returns what later demo steps need."""
    region = make_region(seed)
    for frame, niveau in (
        (region.province, AreaLevel.PROVINCIE),
        (region.municipalities, AreaLevel.GEMEENTE),
        (region.subareas, AreaLevel.SECTOR),
    ):
        store_areas(frame, niveau=niveau, vintage=VINTAGE, source=SOURCE, fictief=True)
    store_population(region.population, vintage=VINTAGE, source=SOURCE)
    store_population(region.municipality_population(), vintage=VINTAGE, source=SOURCE)
    store_covariates(region.covariates, year=YEAR, vintage=VINTAGE, source=SOURCE)
    store_covariates(region.subarea_covariates, year=YEAR, vintage=VINTAGE, source=SOURCE)
    store_sites(region.sites, source=SOURCE, fictief=True)

    municipalities = Area.objects.filter(
        vintage=VINTAGE, code__in=list(region.municipalities["code"])
    )
    # The network covers the municipalities north of the region's centre, Demostad among them.
    local = region.municipalities.to_crs(LOCAL_CRS)
    north = set(local.loc[local.geometry.centroid.y >= 0, "code"]) | {
        local.loc[local["naam"] == "Demostad", "code"].iloc[0]
    }
    region_set = area_set(
        REGION_SET, f"IROJ-regio {PROVINCE_NAME}", AreaSetKind.IROJ, REGION_CODE, municipalities
    )
    network_set = area_set(
        NETWORK_SET,
        "Samenwerkingsverband Demo-Noord — fictief",
        AreaSetKind.NETWORK,
        NETWORK_CODE,
        municipalities.filter(code__in=north),
    )
    return {
        "region": region,
        "region_area_set": region_set,
        "network_area_set": network_set,
        "region_municipality_codes": sorted(region.municipalities["code"]),
        "region_subarea_codes": sorted(region.subareas["code"]),
        "region_vintage": VINTAGE,
        "region_population_year": YEAR,
    }


def area_set(code: str, naam: str, kind: str, organisation_code: str, areas) -> AreaSet:
    area_set, _ = AreaSet.objects.update_or_create(
        code=code,
        defaults={
            "naam": naam,
            "soort": kind,
            "organisatie": Organisation.objects.filter(code=organisation_code).first(),
        },
    )
    wanted = set(areas.values_list("id", flat=True))
    if set(area_set.areas.values_list("id", flat=True)) != wanted:
        area_set.areas.set(wanted)
    return area_set
