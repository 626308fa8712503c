"""``jeugdhulp token USERNAME``: a new API token for a user, shown once; ``--list`` shows the
user's tokens (kenmerk, created, expiry), ``--revoke KENMERK`` and ``--revoke-all`` revoke them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdhulp.api import tokens

BY = "jeugdhulp token"


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it (shown only this once); "
        "or list or revoke the user's tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--list", action="store_true", help="list the user's tokens")
        what.add_argument("--revoke", metavar="KENMERK", help="revoke the token with this kenmerk")
        what.add_argument("--revoke-all", action="store_true", help="revoke all the user's tokens")

    def handle(self, *args, username: str, **options):
        users = get_user_model().objects.filter(username=username)
        if options["list"]:
            return self._list(self._user(users, username))
        if options["revoke"] is not None or options["revoke_all"]:
            # Revoking also works for a deactivated user (whose tokens are revoked already).
            return self._revoke(self._user(users, username), options["revoke"] or "")
        user = self._user(users.filter(is_active=True), username)
        row, key = tokens.issue(user, by=BY)
        self.stdout.write(key)
        expiry = timezone.localtime(row.expiry).strftime("%Y-%m-%d %H:%M")
        self.stderr.write(
            _(
                "Kenmerk %(kenmerk)s, geldig tot %(expiry)s. Bewaar de token nu: hij wordt niet "
                "opnieuw getoond."
            )
            % {"kenmerk": row.token_key, "expiry": expiry}
        )

    @staticmethod
    def _user(users, username: str):
        user = users.first()
        if user is None:
            raise CommandError(
                _("Gebruiker '%(username)s' bestaat niet of is niet actief.")
                % {"username": username}
            )
        return user

    def _list(self, user) -> None:
        rows = list(tokens.tokens_of(user))
        if not rows:
            self.stdout.write(_("Geen tokens."))
            return
        kenmerk, created, expiry = _("kenmerk"), _("aangemaakt"), _("geldig tot")
        self.stdout.write(f"{kenmerk:<16} {created:<17} {expiry}")
        for row in rows:
            created = timezone.localtime(row.created).strftime("%Y-%m-%d %H:%M")
            expiry = timezone.localtime(row.expiry).strftime("%Y-%m-%d %H:%M")
            state = _("verlopen") if tokens.is_expired(row) else ""
            self.stdout.write(f"{row.token_key:<16} {created:<17} {expiry:<17} {state}".rstrip())

    def _revoke(self, user, kenmerk: str) -> None:
        count = tokens.revoke(user, kenmerk, by=BY)
        if kenmerk and not count:
            raise CommandError(
                _("Gebruiker '%(username)s' heeft geen token met kenmerk '%(kenmerk)s'.")
                % {"username": user.get_username(), "kenmerk": kenmerk}
            )
        self.stdout.write(_("%(count)d token(s) ingetrokken.") % {"count": count})
