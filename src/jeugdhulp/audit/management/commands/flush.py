"""Django's ``flush``; in the test suite only, it may also empty the append-only audit log."""

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections, transaction

from jeugdhulp.audit.append_only import guard_lifted


class Command(flush.Command):
    help = flush.Command.help + " The audit log refuses, except in the test suite."

    def handle(self, **options):
        if not getattr(settings, "JEUGDHULP_AUDIT_FLUSH_IN_TESTS", False):
            return super().handle(**options)
        alias = options["database"]
        with transaction.atomic(using=alias), guard_lifted(connections[alias]):
            return super().handle(**options)
