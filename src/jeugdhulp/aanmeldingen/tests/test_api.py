"""The request monitor's part of API v1: registering and following a request, the permission
matrix, audited contact details, list filters and the KPI endpoint."""

import datetime as dt

import pytest

from jeugdhulp.aanmeldingen.models import Aanmelding
from jeugdhulp.api.tests.test_api import api
from jeugdhulp.audit.models import AuditAction, AuditEvent

ALL = [
    "aanmelder",
    "collega",
    "voorziening",
    "voorziening2",
    "coordinator",
    "andere_voorziening",
    "andere_coordinator",
    "analist",
    "beheerder",
]
SEES = {"aanmelder", "voorziening", "coordinator"}
SEES_CONTACT = {"aanmelder", "voorziening"}


def body(**changes):
    data = {
        "kanaal": "hulpverlener_met_gezin",
        "gemeente": "71016",
        "geboortejaren": [2014],
        "domeinen": ["psychisch"],
        "urgentie": "hoog",
        "toestemming": True,
        "partners": ["IN-1"],
        "gewenste_termijn": (dt.date.today() + dt.timedelta(days=14)).isoformat(),
        "gezin": {"naam": "Gezin API", "telefoon": "011 22 33 44", "email": ""},
    }
    data.update(changes)
    return data


def test_register_read_and_follow_a_request_through_the_api(world):
    created = api(world["aanmelder"]).post("/api/v1/aanmeldingen/", body(), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "aangemeld" and data["gezin"]["naam"] == "Gezin API"
    pk = data["id"]
    provider = api(world["voorziening"])
    planned = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    event = {
        "type": "eerste_contact_gepland",
        "gepland_op": planned,
        "organisatie": "IN-1",
        "persoon": "Els",
        "versie": 1,
    }
    answer = provider.post(f"/api/v1/aanmeldingen/{pk}/gebeurtenissen/", event, format="json")
    assert (answer.status_code, answer.json()["status"]) == (201, "eerste_contact_gepland")
    stale = provider.post(f"/api/v1/aanmeldingen/{pk}/gebeurtenissen/", event, format="json")
    assert stale.status_code == 409 and "gewijzigd" in stale.json()["detail"]
    too_early = provider.post(
        f"/api/v1/aanmeldingen/{pk}/gebeurtenissen/",
        {"type": "hulp_gestart", "organisatie": "IN-1", "hulpvorm": "KP"},
        format="json",
    )
    assert too_early.status_code == 409 and "kan niet" in too_early.json()["detail"]
    read = api(world["aanmelder"]).get(f"/api/v1/aanmeldingen/{pk}/").json()
    assert (read["eerste_contact_op"], read["eerste_contact_persoon"]) == (planned, "Els")
    assert [e["type"] for e in read["gebeurtenissen"]] == ["eerste_contact_gepland"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"toestemming": False}, "toestemming"),
        ({"gemeente": "00000"}, "gemeente"),
        ({"partners": ["OUT-1"]}, "partners"),
        ({"aangemeld_op": "2999-01-01"}, "aangemeld_op"),
        ({"urgentie": "dringend"}, "urgentie"),
        ({"gezin": {"naam": "X", "telefoon": "", "email": ""}}, "gezin"),
    ],
)
def test_bad_registrations_get_400_with_a_message_per_field(world, changes, field):
    answer = api(world["aanmelder"]).post("/api/v1/aanmeldingen/", body(**changes), format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert not Aanmelding.objects.exists()


@pytest.mark.parametrize("who", ALL)
def test_api_permission_matrix(world, request_in, who):
    client = api(world[who])
    detail = client.get(f"/api/v1/aanmeldingen/{request_in.pk}/")
    listed = [a["id"] for a in client.get("/api/v1/aanmeldingen/").json()["results"]]
    assert (request_in.pk in listed) == (who in SEES)
    if who not in SEES:
        assert detail.status_code == 404
    else:
        assert detail.status_code == 200
        assert (detail.json()["gezin"] is not None) == (who in SEES_CONTACT)
    event = client.post(
        f"/api/v1/aanmeldingen/{request_in.pk}/gebeurtenissen/",
        {"type": "wachtlijst"},
        format="json",
    )
    expected = 201 if who == "voorziening" else (403 if who in SEES else 404)
    assert event.status_code == expected
    register = client.post("/api/v1/aanmeldingen/", body(), format="json")
    assert (register.status_code == 201) == (
        who in {"aanmelder", "collega", "voorziening", "voorziening2"}
    )


def test_reading_contact_details_is_audited(world, request_in):
    api(world["voorziening"]).get("/api/v1/aanmeldingen/")
    api(world["coordinator"]).get(f"/api/v1/aanmeldingen/{request_in.pk}/")
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="aanmeldingen.gezin")
    assert list(views.values_list("username", flat=True)) == ["voorziening"]


def test_list_filters(world, request_in):
    client = api(world["aanmelder"])
    assert client.get("/api/v1/aanmeldingen/", {"gemeente": "71072"}).json()["results"] == []
    assert (
        len(
            client.get("/api/v1/aanmeldingen/", {"status": "aangemeld", "partner": "IN-1"}).json()[
                "results"
            ]
        )
        == 1
    )
    assert client.get("/api/v1/aanmeldingen/", {"van": "gisteren"}).status_code == 400


@pytest.mark.parametrize("who", ALL)
def test_kpi_endpoint_permissions(world, request_in, who):
    today = dt.date.today()
    query = {
        "netwerk": "NET-T",
        "van": (today - dt.timedelta(days=60)).isoformat(),
        "tot": today.isoformat(),
    }
    answer = api(world[who]).get("/api/v1/kpi/", query)
    if who == "coordinator":
        data = answer.json()
        assert answer.status_code == 200 and data["aantal"] == 1
        assert (
            set(data["per_partner"]) == {"IN-1", "IN-2"}
            and data["per_partner"]["IN-1"]["aantal"] == 1
        )
    elif who == "analist":
        # Outside the network: the last ended quarter, protected (aanmeldingen test_disclosure).
        data = answer.json()
        assert answer.status_code == 200 and set(data["per_partner"]) == {"IN-1", "IN-2"}
        assert data["van"][5:] in {"01-01", "04-01", "07-01", "10-01"}
    else:
        assert answer.status_code == 404


def test_kpi_query_errors(world):
    client = api(world["coordinator"])
    assert client.get("/api/v1/kpi/", {"netwerk": "NET-T"}).status_code == 400
    query = {"netwerk": "NET-T", "van": "2025-02-01", "tot": "2025-01-01"}
    assert client.get("/api/v1/kpi/", query).status_code == 400
    assert (
        client.get("/api/v1/kpi/", {**query, "van": "2024-01-01", "partner": "OUT-1"}).status_code
        == 404
    )
