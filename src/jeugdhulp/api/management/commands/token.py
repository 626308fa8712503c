"""``jeugdhulp token USERNAME``: print the API key of a user, creating one if needed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record


class Command(BaseCommand):
    help = "Print the API token of USERNAME (created when the user has none)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet of is niet actief.")
        token, created = Token.objects.get_or_create(user=user)
        if created:
            record(AuditAction.CREATE, user, fields=["api_token"], username="jeugdhulp token")
        self.stdout.write(token.key)
