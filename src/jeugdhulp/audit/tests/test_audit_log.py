"""The audit log is complete (logins, changes, views) and append-only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jeugdhulp.accounts.models import Organisation, OrganisationKind
from jeugdhulp.audit.context import Actor, acting_as
from jeugdhulp.audit.models import AppendOnlyError, AuditAction, AuditEvent
from jeugdhulp.audit.services import record_view

PASSWORD = "een-lang-wachtwoord-123"


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_successful_and_failed_logins_are_recorded(client, make_user):
    user = make_user(username="anna")
    client.post(reverse("login"), {"username": "anna", "password": "fout-wachtwoord"})
    assert events(AuditAction.LOGIN_FAILED).get().username == "anna"
    client.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    login = events(AuditAction.LOGIN).get()
    assert (login.user_id, login.username) == (user.pk, "anna")
    # The password tried never reaches the log.
    assert not AuditEvent.objects.filter(fields__icontains="fout-wachtwoord").exists()


def test_changes_record_who_and_which_fields_not_values(make_user):
    user = make_user(username="bea")
    with acting_as(Actor(user=user, username="bea", ip_address="10.1.2.3")):
        org = Organisation.objects.create(code="X1", naam="Oud", soort=OrganisationKind.CAW)
        org.naam = "Nieuw"
        org.save()
        org.delete()
    created, updated, deleted = (
        events(a).get(object_type="accounts.organisation")
        for a in (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
    )
    assert created.username == "bea" and created.ip_address == "10.1.2.3"
    assert updated.fields == ["naam"]
    assert "Nieuw" not in str(updated.fields)
    assert deleted.object_id == created.object_id


def test_saving_without_changes_records_nothing(make_organisation):
    org = make_organisation()
    before = AuditEvent.objects.count()
    Organisation.objects.get(pk=org.pk).save()
    assert AuditEvent.objects.count() == before


def test_deferred_fields_are_not_loaded_and_their_change_is_recorded(make_organisation):
    org = make_organisation()
    deferred = Organisation.objects.defer("naam").get(pk=org.pk)
    assert "naam" in deferred.get_deferred_fields()
    deferred.naam = "Anders"
    deferred.save()
    assert events(AuditAction.UPDATE).get(object_id=str(org.pk)).fields == ["naam"]


def test_network_membership_changes_are_recorded(make_organisation):
    region = make_organisation(OrganisationKind.IROJ)
    org = make_organisation()
    org.netwerken.add(region)
    assert events(AuditAction.UPDATE).filter(fields=["netwerken"], object_id=str(org.pk)).exists()


def test_views_of_personal_data_are_recorded(make_user, make_organisation):
    user = make_user(username="chris")
    org = make_organisation()
    record_view(org, user=user, fields=["telefoon"])
    event = events(AuditAction.VIEW).get()
    assert (event.username, event.fields) == ("chris", ["telefoon"])


def test_events_cannot_be_changed_or_deleted_through_the_application(make_organisation):
    make_organisation()
    event = AuditEvent.objects.first()
    event.username = "iemand-anders"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(username="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates_of_the_log(make_organisation):
    make_organisation()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET username = 'x'")


def test_the_database_refuses_deletes_of_the_log(make_organisation):
    make_organisation()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")


def test_beheerder_searches_the_log_and_nobody_edits_it(client, make_user, make_organisation):
    from jeugdhulp.accounts.models import Role

    beheer = make_organisation(OrganisationKind.ANDERE)
    admin_user = make_user(Role.BEHEERDER, beheer, username="beheer1")
    client.force_login(admin_user)
    url = reverse("admin:audit_auditevent_changelist")
    response = client.get(url, {"q": "beheer1"})
    assert response.status_code == 200
    event = AuditEvent.objects.first()
    change = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {})
    assert change.status_code in (403, 200)
    assert AuditEvent.objects.get(pk=event.pk).username == event.username
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403


def test_others_cannot_read_the_log(client, make_user, network):
    from jeugdhulp.accounts.models import Role

    client.force_login(make_user(Role.COORDINATOR, network["network"]))
    response = client.get(reverse("admin:audit_auditevent_changelist"), follow=True)
    assert response.status_code == 403
