"""``jeugdhulp worker``: runs background jobs (analysis, reports, imports) from the queue."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background-job worker (huey consumer) for the configured queue."

    def handle(self, *args, **options):
        call_command("run_huey")
