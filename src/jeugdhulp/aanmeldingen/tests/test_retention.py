import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jeugdhulp.aanmeldingen.kpi import network_kpis
from jeugdhulp.aanmeldingen.models import Gezin
from jeugdhulp.aanmeldingen.retention import erase_expired, months_before
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import Event, add_event, register
from jeugdhulp.audit.models import AuditAction, AuditEvent


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 24, dt.date(2024, 1, 15)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
        (dt.date(2026, 1, 1), 0, dt.date(2026, 1, 1)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_contact_details_are_erased_after_closure_plus_the_period_and_statistics_stay(world):
    closed = register(world["aanmelder"], registration(aangemeld_op=dt.date(2023, 1, 2)))
    add_event(world["voorziening"], closed.pk, Event("eerste_gesprek", datum=dt.date(2023, 1, 9)))
    add_event(
        world["voorziening"],
        closed.pk,
        Event("afgesloten", datum=dt.date(2023, 2, 1), reden="klaar"),
    )
    still_open = register(world["aanmelder"], registration(aangemeld_op=dt.date(2023, 1, 3)))
    recent = register(world["aanmelder"], registration())
    add_event(world["voorziening"], recent.pk, Event("afgesloten", reden="klaar"))

    assert erase_expired(today=dt.date(2025, 2, 1), months=24) == 1
    gezin = Gezin.objects.get(pk=closed.gezin_id)
    assert (gezin.naam, gezin.telefoon, gezin.email) == ("", "", "")
    assert gezin.contact_gewist_op is not None
    assert Gezin.objects.get(pk=still_open.gezin_id).naam == "Gezin Fictief"
    assert Gezin.objects.get(pk=recent.gezin_id).naam == "Gezin Fictief"
    erased = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert erased.object_id == str(gezin.pk) and "telefoon" in erased.fields
    figures = network_kpis(world["network"], dt.date(2023, 1, 1), dt.date(2023, 1, 31)).totaal
    assert (figures.aantal, figures.mediaan_dagen_tot_eerste_gesprek) == (2, 7)
    assert erase_expired(today=dt.date(2025, 2, 1), months=24) == 0  # once


def test_erase_command_dry_run_and_wrong_usage(world, request_in):
    add_event(world["voorziening"], request_in.pk, Event("afgesloten", reden="klaar"))
    out = StringIO()
    call_command("erase_expired_contacts", "--months", "0", "--dry-run", stdout=out)
    assert "1 gezin(nen) te wissen" in out.getvalue()
    assert Gezin.objects.get(pk=request_in.gezin_id).naam == "Gezin Fictief"
    call_command("erase_expired_contacts", "--months", "0", stdout=out)
    assert Gezin.objects.get(pk=request_in.gezin_id).naam == ""
    with pytest.raises(CommandError):
        call_command("erase_expired_contacts", "--months", "-1")
