"""``jeugdhulp erase_expired_contacts``: the retention schedule (run it daily, e.g. from cron)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jeugdhulp.aanmeldingen.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Erase the contact details of families whose last request was closed more than "
        "JEUGDHULP_RETENTION_MONTHS months ago. Statistics are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, help="override JEUGDHULP_RETENTION_MONTHS")
        parser.add_argument("--dry-run", action="store_true", help="only count, erase nothing")

    def handle(self, *args, months=None, dry_run=False, **options):
        if months is not None and months < 0:
            raise CommandError("--months moet 0 of meer zijn.")
        months = settings.JEUGDHULP_RETENTION_MONTHS if months is None else months
        count = erase_expired(months=months, dry_run=dry_run)
        verb = "te wissen" if dry_run else "gewist"
        self.stdout.write(
            f"Contactgegevens van {count} gezin(nen) {verb} (afgesloten vóór {months} maanden)."
        )
