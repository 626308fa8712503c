"""Automatic audit of every change to the platform's own models.

A model opts out with ``audit_log = False`` (bulk reference data such as population rows, where
the import itself is audited). Only field names are recorded, never values: encrypted contact
details never reach the log.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)

from jeugdhulp.audit.models import AppendOnlyError, AuditAction, AuditEvent
from jeugdhulp.audit.services import record

_SNAPSHOT = "_audit_initial"
# Bookkeeping fields whose change alone is not worth an event.
_IGNORED_FIELDS = {"last_login", "updated_at", "gewijzigd_op"}


def _audited(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return bool(
        meta
        and meta.app_config
        and meta.app_config.name.startswith("jeugdhulp.")
        and sender is not AuditEvent
        and getattr(sender, "audit_log", True)
        and not meta.auto_created
    )


def _values(instance) -> dict:
    # Deferred fields are read from __dict__ only: getattr would load them from the database,
    # which would create another instance (and post_init) for every row of a deferred query.
    loaded = instance.__dict__
    return {f.attname: loaded.get(f.attname) for f in instance._meta.concrete_fields}


def _remember(sender, instance, **kwargs):
    if _audited(sender):
        instance.__dict__[_SNAPSHOT] = _values(instance)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    now = _values(instance)
    if created:
        record(
            AuditAction.CREATE, instance, fields=[f.name for f in instance._meta.concrete_fields]
        )
    else:
        before = instance.__dict__.get(_SNAPSHOT, {})
        changed = [
            f.name
            for f in instance._meta.concrete_fields
            if f.attname in instance.__dict__
            and before.get(f.attname) != now[f.attname]
            and f.name not in _IGNORED_FIELDS
        ]
        if changed:
            record(AuditAction.UPDATE, instance, fields=changed)
    instance.__dict__[_SNAPSHOT] = now


def _deleted(sender, instance, **kwargs):
    if _audited(sender):
        record(AuditAction.DELETE, instance)


def _m2m(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _audited(type(instance)):
        names = [
            f.name
            for f in instance._meta.many_to_many
            if getattr(instance, f.name).through is sender
        ]
        record(AuditAction.UPDATE, instance, fields=names)


def _logged_in(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, user, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, user, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username tried, never the password.
    record(
        AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        object_type=apps.get_model("accounts", "User")._meta.label_lower,
    )


def _refuse_change(sender, instance, raw=False, **kwargs):
    # A row that came from the database is never saved again (save_base, or any path that
    # skips AuditEvent.save). Loading fixtures (raw) is left to the database's triggers.
    if not raw and not instance._state.adding:
        raise AppendOnlyError("The audit log is append-only.")


def _refuse_delete(sender, instance, **kwargs):
    # Having a receiver also stops Django's fast delete (which sends no signals) for this model:
    # every ORM deletion, by any queryset or collector, passes here.
    raise AppendOnlyError("The audit log is append-only.")


def connect() -> None:
    pre_save.connect(_refuse_change, sender=AuditEvent, dispatch_uid="audit_append_only_save")
    pre_delete.connect(_refuse_delete, sender=AuditEvent, dispatch_uid="audit_append_only_del")
    post_init.connect(_remember, dispatch_uid="audit_post_init")
    post_save.connect(_saved, dispatch_uid="audit_post_save")
    post_delete.connect(_deleted, dispatch_uid="audit_post_delete")
    m2m_changed.connect(_m2m, dispatch_uid="audit_m2m")
    user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
