import datetime as dt

import pytest

from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    AanmeldingDomein,
    Gebeurtenis,
    GebeurtenisType,
    Status,
)
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import (
    RULES,
    Event,
    InvalidInput,
    TransitionNotAllowed,
    VersionConflict,
    add_event,
    register,
    save_plan,
    set_contact_point,
)
from jeugdhulp.audit.models import AuditAction, AuditEvent

TODAY = dt.date.today()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_registration_stores_the_request_with_its_domains_and_partners(world, request_in):
    assert request_in.status == Status.AANGEMELD
    assert request_in.aanmelder_organisatie == world["partner2"]
    assert [p.code for p in request_in.partners.all()] == ["IN-1"]
    assert set(
        AanmeldingDomein.objects.filter(aanmelding=request_in).values_list("domein", flat=True)
    ) == {
        "opvoeding",
        "school",
    }
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="aanmeldingen.aanmelding"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"gemeente": "99999"}, "gemeente"),
        ({"toestemming": False}, "toestemming"),
        ({"partners": ["OUT-1"]}, "partners"),
        ({"partners": []}, "partners"),
        ({"geboortejaren": [1980]}, "geboortejaren"),
        ({"domeinen": ["astrologie"]}, "domeinen"),
        ({"aangemeld_op": TODAY + dt.timedelta(days=1)}, "aangemeld_op"),
        ({"gewenste_termijn": days_ago(30)}, "gewenste_termijn"),
        ({"telefoon": "", "email": ""}, "telefoon"),
        ({"email": "geen-adres"}, "email"),
        ({"urgentie": "dringend"}, "urgentie"),
    ],
)
def test_registration_refuses_bad_input_with_a_dutch_message_per_field(world, changes, field):
    with pytest.raises(InvalidInput) as error:
        register(world["aanmelder"], registration(**changes))
    assert field in error.value.errors
    assert all(isinstance(m, str) and m for m in error.value.errors[field])


def test_only_registrants_and_providers_register(world):
    for role in ("coordinator", "analist", "beheerder"):
        with pytest.raises(PermissionError):
            register(world[role], registration())


def test_request_followed_to_the_start_of_help(world, request_in):
    provider = world["voorziening"]
    a = add_event(
        provider,
        request_in.pk,
        Event(
            "eerste_contact_gepland",
            datum=days_ago(8),
            gepland_op=TODAY + dt.timedelta(days=3),
            organisatie="IN-1",
            persoon="Els",
        ),
        expected_version=request_in.versie,
    )
    assert (a.status, a.eerste_contact_persoon, a.eerste_contact_organisatie.code) == (
        "eerste_contact_gepland",
        "Els",
        "IN-1",
    )
    a = add_event(provider, a.pk, Event("eerste_gesprek", datum=days_ago(4)))
    assert (a.status, a.dagen_tot_eerste_gesprek) == ("eerste_gesprek", 6)
    a = add_event(
        provider, a.pk, Event("hulp_gestart", datum=days_ago(1), organisatie="IN-1", hulpvorm="KP")
    )
    assert (a.status, a.dagen_tot_hulp, a.versie) == ("hulp_gestart", 9, 4)
    assert list(Gebeurtenis.objects.filter(aanmelding=a).values_list("type", flat=True)) == [
        "eerste_contact_gepland",
        "eerste_gesprek",
        "hulp_gestart",
    ]


def test_help_cannot_start_before_a_first_conversation(world, request_in):
    with pytest.raises(TransitionNotAllowed):
        add_event(
            world["voorziening"],
            request_in.pk,
            Event("hulp_gestart", organisatie="IN-1", hulpvorm="KP"),
        )
    add_event(world["voorziening"], request_in.pk, Event("wachtlijst"))
    with pytest.raises(TransitionNotAllowed, match="eerste gesprek"):
        add_event(
            world["voorziening"],
            request_in.pk,
            Event("hulp_gestart", organisatie="IN-1", hulpvorm="KP"),
        )


def test_closed_request_accepts_no_more_events(world, request_in):
    add_event(world["voorziening"], request_in.pk, Event("afgesloten", reden="gezin zag af"))
    with pytest.raises(TransitionNotAllowed):
        add_event(world["voorziening"], request_in.pk, Event("eerste_gesprek"))


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (Event("eerste_gesprek", datum=TODAY + dt.timedelta(days=1)), "datum"),
        (Event("eerste_gesprek", datum=days_ago(11)), "datum"),  # before the registration
        (
            Event("eerste_contact_gepland", gepland_op=None, organisatie="IN-1", persoon="Els"),
            "gepland_op",
        ),
        (
            Event("eerste_contact_gepland", gepland_op=TODAY, organisatie="IN-2", persoon="Els"),
            "organisatie",
        ),
        (
            Event("eerste_contact_gepland", gepland_op=TODAY, organisatie="IN-1", persoon=" "),
            "persoon",
        ),
        (Event("afgesloten", reden=""), "reden"),
        (Event("doorverwezen"), "organisatie"),
        (Event("schaken"), "type"),
    ],
)
def test_invalid_events_are_refused(world, request_in, event, field):
    with pytest.raises(InvalidInput) as error:
        add_event(world["voorziening"], request_in.pk, event)
    assert field in error.value.errors
    assert not Gebeurtenis.objects.exists()


# The workflow as DESIGN.md draws it, written out by hand: status -> the events that may follow.
FOLLOWS = {
    "aangemeld": {
        "eerste_contact_gepland",
        "eerste_gesprek",
        "doorverwezen",
        "wachtlijst",
        "afgesloten",
    },
    "eerste_contact_gepland": {
        "eerste_contact_gepland",
        "eerste_gesprek",
        "doorverwezen",
        "wachtlijst",
        "afgesloten",
    },
    "eerste_gesprek": {"hulp_gestart", "doorverwezen", "wachtlijst", "afgesloten"},
    "wachtlijst": {
        "eerste_contact_gepland",
        "eerste_gesprek",
        "hulp_gestart",
        "doorverwezen",
        "afgesloten",
    },
    "hulp_gestart": {"afgesloten"},
    "doorverwezen": {"afgesloten"},
    "afgesloten": set(),
}
# A complete, valid event of each type (keyword arguments of ``Event``).
VALID = {
    "eerste_contact_gepland": {"gepland_op": TODAY, "organisatie": "IN-1", "persoon": "Els"},
    "eerste_gesprek": {},
    "hulp_gestart": {"organisatie": "IN-1", "hulpvorm": "KP"},
    "doorverwezen": {"reden": "naar het CAW"},
    "wachtlijst": {},
    "afgesloten": {"reden": "gezin zag af"},
}


@pytest.mark.parametrize("event_type", GebeurtenisType.values)
def test_every_event_type_has_a_rule_over_known_statuses(event_type):
    assert set(RULES) == set(GebeurtenisType.values)
    assert RULES[event_type].after <= set(Status.values)


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("event_type", GebeurtenisType.values)
def test_an_event_follows_exactly_the_statuses_the_workflow_allows(
    world, request_in, status, event_type
):
    # a first conversation took place (help may start), the request now has ``status``
    Aanmelding.objects.filter(pk=request_in.pk).update(status=status, eerste_gesprek_op=TODAY)
    event = Event(event_type, **VALID[event_type])
    if event_type in FOLLOWS[status]:
        assert add_event(world["voorziening"], request_in.pk, event).status == event_type
    else:
        with pytest.raises(TransitionNotAllowed, match="kan niet wanneer"):
            add_event(world["voorziening"], request_in.pk, event)


def test_a_planned_contact_may_lie_in_the_future_but_an_event_not_before_the_previous(
    world, request_in
):
    add_event(world["voorziening"], request_in.pk, Event("eerste_gesprek", datum=days_ago(2)))
    with pytest.raises(InvalidInput, match="vorige gebeurtenis"):
        add_event(world["voorziening"], request_in.pk, Event("wachtlijst", datum=days_ago(5)))


def test_two_people_editing_the_same_request_do_not_overwrite_each_other(world, request_in):
    seen = request_in.versie
    add_event(world["voorziening"], request_in.pk, Event("wachtlijst"), expected_version=seen)
    with pytest.raises(VersionConflict, match="intussen gewijzigd"):
        add_event(
            world["voorziening2"],
            request_in.pk,
            Event("afgesloten", reden="x"),
            expected_version=seen,
        )
    request_in.refresh_from_db()
    assert request_in.status == Status.WACHTLIJST


def test_every_workflow_change_is_audited(world, request_in):
    add_event(world["voorziening"], request_in.pk, Event("wachtlijst"))
    changed = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="aanmeldingen.aanmelding"
    )
    assert [e.fields for e in changed if "status" in e.fields] == [
        ["status", "status_sinds", "versie"]
    ]
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="aanmeldingen.gebeurtenis"
        ).count()
        == 1
    )


def test_one_contact_point_and_one_plan_per_family(world, request_in):
    gezin = request_in.gezin
    second = register(world["aanmelder"], registration(partners=["IN-2"], gezin=gezin, naam=""))
    assert second.gezin == gezin
    set_contact_point(gezin, world["partner"], "Els", expected_version=gezin.versie)
    with pytest.raises(VersionConflict):
        set_contact_point(gezin, world["partner2"], "Jan", expected_version=1)
    plan = save_plan(gezin, "Rust in huis", [world["partner"], world["partner2"]], None)
    plan = save_plan(gezin, "Rust in huis; school", [world["partner"]], plan.versie)
    assert plan.versie == 2 and list(plan.organisaties.values_list("code", flat=True)) == ["IN-1"]
    assert set(gezin.aanmeldingen.all()) == {request_in, second}
    gezin.refresh_from_db()
    assert (gezin.aanspreekpunt_organisatie, gezin.aanspreekpunt_persoon) == (
        world["partner"],
        "Els",
    )
