"""Lifting the audit log's DELETE/TRUNCATE guard for the test suite's flush, and nothing else.

Django's test cases that commit (``TransactionTestCase``, ``live_server``) empty every table
after each test with the ``flush`` command: ``DELETE`` on SQLite, ``TRUNCATE`` on PostgreSQL,
both refused by the audit log's triggers. The ``flush`` command of this app lifts the guard for
the audit table only when ``JEUGDHULP_AUDIT_FLUSH_IN_TESTS`` is on, a setting that only the test
suite's ``conftest.py`` turns on (it is never read from the environment). The guard is lifted
and restored inside the flush's own transaction, so a failed flush leaves it in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

TABLE = "audit_auditevent"
SQLITE_DELETE_TRIGGER = "audit_event_no_delete"
POSTGRES_TRUNCATE_TRIGGER = "audit_event_no_truncate"


@contextmanager
def guard_lifted(connection) -> Iterator[None]:
    """Inside a transaction on ``connection``: the audit table may be emptied until the end."""
    if not connection.in_atomic_block:
        raise RuntimeError("guard_lifted needs a transaction, so a failure restores the guard.")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [SQLITE_DELETE_TRIGGER],
            )
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(f"DROP TRIGGER {SQLITE_DELETE_TRIGGER}")
            yield
            if row is not None:
                cursor.execute(row[0])
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {POSTGRES_TRUNCATE_TRIGGER}")
            yield
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {POSTGRES_TRUNCATE_TRIGGER}")
        else:
            yield
