"""The audit log is append-only on both databases, against SQL as well as the ORM.

SQLite now refuses DELETE too (0002 refused UPDATE), PostgreSQL also TRUNCATE (0002 refused
UPDATE and DELETE). The base manager becomes the guarded queryset, so Django's own deletion and
saving paths refuse as well. Only the test suite's flush lifts the DELETE/TRUNCATE guard, inside
its transaction (see ``audit.append_only``).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES = [
    # The function of 0002 raises for any row or statement.
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "verbose_name": "auditgebeurtenis",
                "verbose_name_plural": "auditlog",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
