"""Issuing, listing and revoking API tokens (django-rest-knox's ``AuthToken``).

A token is shown once, when it is issued; the database keeps only its digest, its ``kenmerk`` (the
first characters, to tell tokens apart) and its expiry.
"""

from __future__ import annotations

from django.utils import timezone
from knox.models import AuthToken

from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record

AUDIT_FIELDS = ("api_token",)


def issue(user, *, by: str = "") -> tuple[AuthToken, str]:
    """A new token for ``user`` valid ``JEUGDHULP_API_TOKEN_DAYS``: (stored row, the token)."""
    row, key = AuthToken.objects.create(user=user)
    record(AuditAction.CREATE, user, fields=AUDIT_FIELDS, username=by or None)
    return row, key


def tokens_of(user):
    """The user's tokens, newest first (expired ones included until they are used or revoked)."""
    return AuthToken.objects.filter(user=user).order_by("-created")


def is_expired(row: AuthToken) -> bool:
    return row.expiry is not None and row.expiry <= timezone.now()


def revoke(user, kenmerk: str = "", *, by: str = "") -> int:
    """Delete the user's token with this ``kenmerk`` (all of them when empty); returns how many.
    Audited when any were deleted."""
    rows = AuthToken.objects.filter(user=user)
    if kenmerk:
        rows = rows.filter(token_key=kenmerk)
    count, _ = rows.delete()
    if count:
        record(AuditAction.DELETE, user, fields=AUDIT_FIELDS, username=by or None)
    return count
