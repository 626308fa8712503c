"""Retention: a family's contact details are erased ``JEUGDHULP_RETENTION_MONTHS`` months after
its last request was closed; the requests, their events and so every statistic stay."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from jeugdhulp.aanmeldingen.models import Gezin, Gezinsplan
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_for_erasure(today: dt.date, months: int):
    """Families whose every request is closed, the last one at least ``months`` months ago,
    with contact details still present."""
    cutoff = months_before(today, months)
    return (
        Gezin.objects.filter(contact_gewist_op__isnull=True)
        .annotate(
            open=Count("aanmeldingen", filter=Q(aanmeldingen__afgesloten_op__isnull=True)),
            last_closed=Max("aanmeldingen__afgesloten_op"),
        )
        .filter(open=0, last_closed__lte=cutoff)
    )


def erase_expired(
    today: dt.date | None = None, months: int | None = None, dry_run: bool = False
) -> int:
    """Erase the contact details (and the plan's goals) of every family due; each erasure is
    audited. Returns the number of families."""
    today = today or timezone.localdate()
    months = settings.JEUGDHULP_RETENTION_MONTHS if months is None else months
    ids = list(due_for_erasure(today, months).values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    for pk in ids:
        with transaction.atomic():
            gezin = Gezin.objects.select_for_update().get(pk=pk)
            for name in Gezin.CONTACT_FIELDS:
                setattr(gezin, name, "")
            gezin.contact_gewist_op = timezone.now()
            gezin.save()
            Gezinsplan.objects.filter(gezin=gezin).update(doelen="")
            record(AuditAction.ERASE, gezin, fields=[*Gezin.CONTACT_FIELDS, "gezinsplan.doelen"])
    return len(ids)
