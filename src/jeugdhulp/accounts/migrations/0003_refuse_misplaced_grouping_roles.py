"""Coördinator and analist roles count only in a network or region (samenwerkingsverband, IROJ).

Rows that hold one of them at another organisation (which the admin used to accept) are not
deleted but set to ``geweigerd``: they grant nothing from now on, the history stays visible on
the approvals page, and each change is written to the audit log.
"""

from django.db import migrations
from django.utils import timezone

GROUPING_KINDS = ["samenwerkingsverband", "iroj"]
GROUPING_ROLES = ["coordinator", "analist"]
ACTOR = "migratie accounts.0003"


def refuse_misplaced(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    now = timezone.now()
    misplaced = (
        Membership.objects.filter(rol__in=GROUPING_ROLES)
        .exclude(organisatie__soort__in=GROUPING_KINDS)
        .exclude(status="geweigerd")
        .select_related("user", "organisatie")
    )
    for membership in misplaced:
        membership.status = "geweigerd"
        membership.beslist_op = now
        membership.beslist_door = None
        membership.save(update_fields=["status", "beslist_op", "beslist_door"])
        AuditEvent.objects.create(
            username=ACTOR,
            action="update",
            object_type="accounts.membership",
            object_id=str(membership.pk),
            object_repr=(
                f"{membership.user.username} — {membership.rol} — "
                f"{membership.organisatie.code} [geweigerd: rol past niet bij dit soort organisatie]"
            )[:200],
            fields=["beslist_door", "beslist_op", "status"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_status"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(refuse_misplaced, migrations.RunPython.noop)]
