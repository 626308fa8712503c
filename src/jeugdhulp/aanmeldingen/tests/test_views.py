import datetime as dt
import json

import pytest
from django.urls import reverse

from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin
from jeugdhulp.aanmeldingen.workflow import Event, add_event
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
# Who sees a request registered by "aanmelder" and addressed to IN-1, and who sees the family.
SEES = {"aanmelder", "voorziening", "coordinator"}
SEES_CONTACT = {"aanmelder", "voorziening"}


@pytest.mark.parametrize("who", ALL)
def test_request_page_permission_matrix(client, world, request_in, who):
    client.force_login(world[who])
    response = client.get(reverse("aanmeldingen:detail", args=[request_in.pk]))
    if who not in SEES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    text = response.content.decode()
    assert ("089 12 34 56" in text) == (who in SEES_CONTACT)
    views = AuditEvent.objects.filter(
        action=AuditAction.VIEW, username=who, object_type="aanmeldingen.gezin"
    )
    assert views.count() == (1 if who in SEES_CONTACT else 0)


@pytest.mark.parametrize("who", ALL)
def test_lists_show_only_what_the_role_may_see(client, world, request_in, who):
    client.force_login(world[who])
    response = client.get(reverse("aanmeldingen:lijst"))
    if who in {"analist", "beheerder"}:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = [a.pk for a in response.context["page"]] if "page" in response.context else []
    for view in ("mijn", "inbox", "netwerk"):
        r = client.get(reverse("aanmeldingen:lijst"), {"weergave": view})
        if r.status_code == 200:
            shown += [a.pk for a in r.context["page"]]
    assert (request_in.pk in shown) == (who in SEES)


def test_registration_form_registers_a_request(client, world):
    client.force_login(world["aanmelder"])
    form = {
        "naam": "Gezin Voorbeeld",
        "telefoon": "0470 00 00 00",
        "email": "",
        "gemeente": "71072",
        "geboortejaren": "2016, 2019",
        "domeinen": ["gedrag"],
        "urgentie": "hoog",
        "partners": ["IN-1"],
        "kanaal": "hulpverlener_met_gezin",
        "toestemming": "on",
    }
    response = client.post(reverse("aanmeldingen:nieuw"), form)
    created = Aanmelding.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "aanmeldingen:detail", args=[created.pk]
    )
    assert (created.gemeente, created.geboortejaren, created.urgentie) == (
        "71072",
        [2016, 2019],
        "hoog",
    )
    form.pop("toestemming")
    response = client.post(reverse("aanmeldingen:nieuw"), form)
    assert response.status_code == 200 and "toestemming" in response.context["form"].errors


@pytest.mark.parametrize("who", ["coordinator", "analist", "beheerder"])
def test_others_cannot_open_the_registration_form(client, world, who):
    client.force_login(world[who])
    assert client.get(reverse("aanmeldingen:nieuw")).status_code == 403


def test_provider_plans_the_first_contact_and_a_stale_form_gets_a_clear_message(
    client, world, request_in
):
    client.force_login(world["voorziening"])
    url = reverse("aanmeldingen:gebeurtenis", args=[request_in.pk])
    planned = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    form = {
        "type": "eerste_contact_gepland",
        "datum": dt.date.today().isoformat(),
        "gepland_op": planned,
        "organisatie": "IN-1",
        "persoon": "Els",
        "versie": request_in.versie,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, form, follow=True)  # the same, stale version
    assert "intussen gewijzigd" in response.content.decode()
    request_in.refresh_from_db()
    assert (request_in.status, request_in.versie, request_in.eerste_contact_persoon) == (
        "eerste_contact_gepland",
        2,
        "Els",
    )
    client.force_login(world["aanmelder"])
    page = reverse("aanmeldingen:detail", args=[request_in.pk])
    assert "Els" in client.get(page).content.decode()


def test_coordinator_cannot_change_a_request(client, world, request_in):
    client.force_login(world["coordinator"])
    url = reverse("aanmeldingen:gebeurtenis", args=[request_in.pk])
    assert client.post(url, {"type": "wachtlijst", "versie": 1}).status_code == 403


def test_contact_point_and_family_plan_screens(client, world, request_in):
    client.force_login(world["voorziening"])
    partner = world["partner"]
    client.post(
        reverse("aanmeldingen:aanspreekpunt", args=[request_in.pk]),
        {
            "aanspreekpunt_organisatie": partner.pk,
            "aanspreekpunt_persoon": "Els",
            "versie": 1,
        },
    )
    url = reverse("aanmeldingen:gezinsplan", args=[request_in.pk])
    client.post(url, {"doelen": "Rust", "organisaties": [partner.pk]})
    gezin = Gezin.objects.get()
    assert gezin.aanspreekpunt_persoon == "Els" and gezin.plan.doelen == "Rust"


def test_each_form_posts_to_its_own_view_and_the_page_itself_only_reads(client, world, request_in):
    client.force_login(world["voorziening"])
    page = reverse("aanmeldingen:detail", args=[request_in.pk])
    text = client.get(page).content.decode()
    for name in ("gebeurtenis", "aanspreekpunt", "gezinsplan"):
        assert f'action="{reverse(f"aanmeldingen:{name}", args=[request_in.pk])}"' in text
        assert client.get(reverse(f"aanmeldingen:{name}", args=[request_in.pk])).status_code == 405
    assert client.post(page, {"type": "wachtlijst", "versie": 1}).status_code == 405
    # an event the service refuses comes back on the page, the message next to its field
    refused = client.post(
        reverse("aanmeldingen:gebeurtenis", args=[request_in.pk]),
        {"type": "afgesloten", "datum": dt.date.today().isoformat(), "versie": 1},
    )
    assert refused.status_code == 200
    assert "reden" in refused.context["event_form"].errors
    request_in.refresh_from_db()
    assert request_in.status == "aangemeld"


@pytest.fixture
def busy_network(world, request_in):
    from jeugdhulp.aanmeldingen.tests.conftest import registration
    from jeugdhulp.aanmeldingen.workflow import register

    for _ in range(6):
        register(world["aanmelder"], registration(partners=["IN-2"], gemeente="71072"))
    add_event(world["voorziening"], request_in.pk, Event("eerste_gesprek"))
    return world


@pytest.mark.parametrize("who", ALL)
def test_dashboard_permission_matrix(client, busy_network, who):
    client.force_login(busy_network[who])
    response = client.get(reverse("aanmeldingen:dashboard"), {"netwerk": "NET-T"})
    if who in {"coordinator", "analist"}:
        assert response.status_code == 200
        board = response.context["board"]
        # The coordinator: exact figures of the asked period; the analist (outside the
        # network): protected figures of the last ended quarter (test_disclosure).
        assert board.beschermd == (who == "analist")
        if who == "coordinator":
            assert board.totaal.aantal == 7
        assert "tellen mee na hoogstens 60 seconden" in response.content.decode()
    elif who == "andere_coordinator":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def _outline(x: float) -> str:
    ring = [[x, 50.9], [x + 0.1, 50.9], [x + 0.1, 51.0], [x, 51.0], [x, 50.9]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_dashboard_map_gives_the_municipalities_to_the_coordinator_exactly(client, busy_network):
    from jeugdhulp.reference.models import Area

    Area.objects.filter(code="71016").update(geometry_simplified=_outline(5.4))
    Area.objects.filter(code="71072").update(geometry=_outline(5.3))
    client.force_login(busy_network["coordinator"])
    url = reverse("aanmeldingen:kaart")
    data = client.get(url, {"netwerk": "NET-T"}).json()
    by_code = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert set(by_code) == {"71016", "71072"} and data["zonder_grens"] == 0
    # The network's coordinator sees the requests themselves: exact counts (outsiders get
    # them protected, test_disclosure).
    assert (by_code["71016"]["aantal"], by_code["71016"]["te_weinig"]) == (1, False)
    assert (by_code["71072"]["aantal"], by_code["71072"]["te_weinig"]) == (6, False)
    assert data["features"][0]["geometry"]["type"] == "Polygon"

    client.force_login(busy_network["aanmelder"])
    assert client.get(url, {"netwerk": "NET-T"}).status_code == 403


def test_the_networks_municipalities_without_requests_are_on_the_map(client, busy_network):
    from jeugdhulp.reference.models import Area, AreaSet, AreaSetKind

    network = busy_network["network"]
    area_set = AreaSet.objects.create(
        code="WG-T", naam="Werkgebied", soort=AreaSetKind.NETWORK, organisatie=network
    )
    area_set.areas.set(Area.objects.filter(code__in=["71072", "73111"]))
    Area.objects.filter(code="73111").update(geometry=_outline(5.6))
    client.force_login(busy_network["coordinator"])
    query = {"netwerk": "NET-T"}
    board = client.get(reverse("aanmeldingen:dashboard"), query).context["board"]
    assert [(code, n) for code, _name, n, *_ in board.per_municipality] == [
        ("71072", 6),
        ("71016", 1),
        ("73111", 0),
    ]
    features = client.get(reverse("aanmeldingen:kaart"), query).json()["features"]
    zero = next(f["properties"] for f in features if f["properties"]["code"] == "73111")
    assert (zero["aantal"], zero["te_weinig"]) == (0, False)


def test_dashboard_page_loads_its_map(client, busy_network):
    client.force_login(busy_network["coordinator"])
    page = client.get(reverse("aanmeldingen:dashboard"), {"netwerk": "NET-T"}).content.decode()
    assert 'id="kaart"' in page and "aanmeldingen/kaart.js" in page and "leaflet.js" in page


def test_dashboard_export_gives_the_coordinator_the_exact_figures(client, busy_network):
    client.force_login(busy_network["coordinator"])
    response = client.get(reverse("aanmeldingen:export"), {"netwerk": "NET-T"})
    assert response.status_code == 200
    rows = [line.split(";") for line in response.content.decode("utf-8-sig").splitlines()]
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("totaal", "NET-T")][3] == "7"
    assert by_key[("gemeente", "71016")][3] == "1"
    assert by_key[("gemeente", "71072")][3] == "6"
    assert by_key[("domein", "opvoeding")][3] == "7"
    assert by_key[("partner", "IN-1")][3] == "1"
    assert by_key[("partner", "IN-2")][3] == "6"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
