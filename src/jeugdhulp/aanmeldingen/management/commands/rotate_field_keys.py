"""``jeugdhulp rotate_field_keys``: re-encrypt every contact detail with the first key of
JEUGDHULP_FIELD_KEYS, after which older keys can be removed."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from jeugdhulp.aanmeldingen import crypto
from jeugdhulp.aanmeldingen.models import Gezin, Gezinsplan
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record

# table -> encrypted columns
ENCRYPTED = {
    Gezin._meta.db_table: Gezin.CONTACT_FIELDS,
    Gezinsplan._meta.db_table: ("doelen",),
}


class Command(BaseCommand):
    help = "Re-encrypt the contact details with the first key of JEUGDHULP_FIELD_KEYS."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns in ENCRYPTED.items():
                names = ", ".join(columns)
                cursor.execute(f"SELECT id, {names} FROM {table}")  # noqa: S608 - fixed names
                for pk, *values in cursor.fetchall():
                    rotated = [crypto.rotate(v) if v else v for v in values]
                    sets = ", ".join(f"{c} = %s" for c in columns)
                    cursor.execute(f"UPDATE {table} SET {sets} WHERE id = %s", [*rotated, pk])  # noqa: S608
                    count += 1
            record(AuditAction.UPDATE, object_type="aanmeldingen.gezin", fields=["sleutelrotatie"])
        self.stdout.write(f"{count} rijen opnieuw versleuteld met de eerste sleutel.")
