"""``jeugdhulp demo``: builds the fictional demo region on the configured database."""

from __future__ import annotations

import secrets
import time

from django.contrib.auth.password_validation import ValidationError, validate_password
from django.core.management.base import BaseCommand, CommandError

from jeugdhulp.demo import steps
from jeugdhulp.demo.organisations import ACCOUNTS, set_demo_passwords
from jeugdhulp.demo.steps import DemoContext


class Command(BaseCommand):
    help = "Build the fictional demo region and one account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo account")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the demo data")

    def handle(self, *args, **options):
        password = options["password"]
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(
                    "Wachtwoord niet bruikbaar: " + " ".join(error.messages)
                ) from None
        ctx = DemoContext(seed=options["seed"], password=password)
        lines = []
        for label, step in steps.STEPS:
            started = time.monotonic()
            self.stdout.write(f"Demo: {label} …", ending="")
            self.stdout.flush()
            lines += step(ctx)
            self.stdout.write(f" klaar ({time.monotonic() - started:.1f} s)")
        created = ctx.shared.get("new_accounts", [])
        if password is None and created:
            # New accounts without a given password get a random one, printed once.
            password = secrets.token_urlsafe(12)
            set_demo_passwords(password)
        self._report(password, created, lines)

    def _report(self, password: str | None, created: list[str], lines: list[str]) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS("Demo klaar: fictieve Demoprovincie (alle gegevens zijn verzonnen).")
        )
        for line in lines:
            out.write(line)
        out.write("Meld aan op http://127.0.0.1:8000/ met een van deze accounts:")
        for username, *_rest, role, org in ACCOUNTS:
            out.write(f"  {username:<18} rol: {role.label:<24} organisatie: {org}")
        if password is not None:
            out.write(f"Wachtwoord (alle demo-accounts): {password}")
        else:
            out.write(
                "Wachtwoorden ongewijzigd; kies er een met: jeugdhulp demo --password WACHTWOORD"
            )
        if created:
            out.write(f"Nieuwe accounts: {', '.join(created)}")
