import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role
from jeugdhulp.demo.region import build_region
from jeugdhulp.reference.models import Area, AreaSet, HulpVorm, Site
from jeugdhulp.reference.services import area_set_codes, youth_population


def test_default_catalogue_of_forms_of_help_is_seeded(db):
    assert set(HulpVorm.objects.values_list("code", flat=True)) == {
        "BI",
        "IA",
        "KP",
        "DI",
        "CB",
        "DB",
        "BH",
        "TR",
        "CO",
        "PZ",
        "VB",
        "CR",
        "HA",
    }


@pytest.fixture(scope="module")
def demo_region(django_db_setup, django_db_blocker):
    from jeugdhulp.demo.organisations import build_organisations_and_accounts

    with django_db_blocker.unblock():
        build_organisations_and_accounts(None)
        shared = build_region(seed=3)
        yield shared
        Site.objects.all().delete()
        AreaSet.objects.all().delete()
        Area.objects.all().delete()


def test_demo_region_is_stored_and_idempotent(demo_region, db):
    assert Area.objects.filter(niveau="gemeente", fictief=True).count() == 40
    assert Area.objects.filter(niveau="sector", parent__isnull=False).count() == 1000
    codes = area_set_codes(demo_region["region_area_set"])
    assert codes == demo_region["region_municipality_codes"]
    assert set(area_set_codes(demo_region["network_area_set"])) < set(codes)
    youth = sum(youth_population(codes).values())
    assert youth == demo_region["region"].population["population"].sum()
    assert Area.objects.get(code=codes[0], vintage="2025").centroid_method == "bevolkingsgewogen"
    count = Area.objects.count()
    build_region(seed=3)
    assert Area.objects.count() == count
    assert Site.objects.filter(fictief=True).count() == 150


@pytest.mark.parametrize(
    "model", ["area", "areaset", "populationcount", "covariatevalue", "hulpvorm", "site"]
)
def test_beheerder_sees_the_reference_admin(client, make_user, make_organisation, model):
    user = make_user(Role.BEHEERDER, make_organisation())
    client.force_login(user)
    response = client.get(reverse(f"admin:reference_{model}_changelist"))
    assert response.status_code == 200


def test_other_roles_do_not_reach_the_admin(client, make_user, make_organisation):
    client.force_login(make_user(Role.ANALIST, make_organisation()))
    response = client.get(reverse("admin:reference_area_changelist"))
    assert response.status_code in (302, 403, 404)
