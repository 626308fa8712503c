"""The audit log is append-only on SQLite and PostgreSQL, against SQL and every ORM path.

Each attack runs in its own transaction (a refused statement breaks a PostgreSQL transaction)
and must leave every row as it was.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.db.models.deletion import Collector

from jeugdhulp.audit.models import AppendOnlyError, AuditEvent

REFUSED = (AppendOnlyError, DatabaseError)


def _sql(statement):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    return run


def _bulk_update(manager):
    def run():
        rows = list(manager.all())
        for row in rows:
            row.username = "iemand-anders"
        manager.bulk_update(rows, ["username"])

    return run


def _save_base():
    row = AuditEvent.objects.first()
    row.username = "iemand-anders"
    row.save_base()


def _collector():
    collector = Collector(using="default")
    collector.collect(list(AuditEvent.objects.all()))
    collector.delete()


def _plain_queryset():
    return models.QuerySet(model=AuditEvent)


ATTACKS = {
    "sql-delete": _sql("DELETE FROM audit_auditevent"),
    "sql-update": _sql("UPDATE audit_auditevent SET username = 'x'"),
    "objects-delete": lambda: AuditEvent.objects.all().delete(),
    "objects-update": lambda: AuditEvent.objects.filter(action="create").update(username="x"),
    "base-manager-delete": lambda: AuditEvent._base_manager.all().delete(),
    "base-manager-update": lambda: AuditEvent._base_manager.filter(pk__gt=0).update(username="x"),
    "default-manager-delete": lambda: AuditEvent._default_manager.all().delete(),
    "plain-queryset-delete": lambda: _plain_queryset().delete(),
    "plain-queryset-update": lambda: _plain_queryset().update(username="x"),
    "model-delete": lambda: AuditEvent.objects.first().delete(),
    "model-save-base": _save_base,
    "collector-delete": _collector,
    "bulk-update-objects": _bulk_update(AuditEvent.objects),
    "bulk-update-base-manager": _bulk_update(AuditEvent._base_manager),
}


@pytest.fixture
def logged(make_organisation):
    for _ in range(3):
        make_organisation()  # each creation writes an audit row
    return list(AuditEvent.objects.order_by("id").values())


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_audit_log_refuses_to_change_or_lose_rows(logged, attack):
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        ATTACKS[attack]()
    assert list(AuditEvent.objects.order_by("id").values()) == logged


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(logged):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("TRUNCATE audit_auditevent")()
    assert list(AuditEvent.objects.order_by("id").values()) == logged


def test_flush_cannot_empty_the_log_outside_the_test_suite(logged, settings):
    settings.JEUGDHULP_AUDIT_FLUSH_IN_TESTS = False
    with pytest.raises(CommandError), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
    assert list(AuditEvent.objects.order_by("id").values()) == logged


def test_the_test_suites_flush_empties_the_log_and_leaves_the_guard_in_place(logged, settings):
    settings.JEUGDHULP_AUDIT_FLUSH_IN_TESTS = True
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)
    assert list(AuditEvent.objects.order_by("id").values()) == logged
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        ATTACKS["sql-delete"]()
    assert AuditEvent.objects.count() == len(logged)


def test_new_events_are_still_written(logged, make_organisation):
    make_organisation()
    assert AuditEvent.objects.count() == len(logged) + 1


@pytest.mark.django_db(transaction=True)
def test_tests_that_commit_are_still_flushed_afterwards(make_organisation):
    # The flush after this test must empty the committed audit rows (else teardown errors).
    make_organisation()
    assert AuditEvent.objects.exists()
