"""Writing the audit log. Changes are recorded automatically (signals); views of personal data,
exports and erasures are recorded by the code that does them, with ``record``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from jeugdhulp.audit.context import current_actor
from jeugdhulp.audit.models import AuditAction, AuditEvent


def _describe(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    if isinstance(obj, models.Model):
        meta = obj._meta
        return f"{meta.app_label}.{meta.model_name}", str(obj.pk or ""), str(obj)[:200]
    return type(obj).__name__, "", str(obj)[:200]


def record(
    action: str,
    obj=None,
    *,
    fields: Iterable[str] = (),
    user=None,
    username: str | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    """Append one event. The actor is ``user`` when given, else the current request's user."""
    actor = current_actor()
    if user is not None and getattr(user, "is_authenticated", False):
        who, name = user, user.get_username()
    else:
        who, name = actor.user, actor.username
    kind, object_id, text = _describe(obj)
    return AuditEvent.objects.create(
        user=who,
        username=username if username is not None else name,
        action=action,
        object_type=object_type or kind,
        object_id=object_id,
        object_repr=text,
        fields=sorted(set(fields)),
        ip_address=actor.ip_address,
        path=actor.path,
    )


def record_view(obj, *, user=None, fields: Iterable[str] = ()) -> AuditEvent:
    """A user saw personal data in ``obj`` (a screen, an API answer, an export)."""
    return record(AuditAction.VIEW, obj, user=user, fields=fields)
