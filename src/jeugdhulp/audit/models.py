"""The append-only audit log: who saw or changed what, and every login."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Aanmelding op het platform")
    LOGIN_FAILED = "login_failed", _("Mislukte aanmelding")
    LOGOUT = "logout", _("Afmelding")
    VIEW = "view", _("Inzage persoonsgegevens")
    CREATE = "create", _("Aangemaakt")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    ERASE = "erase", _("Gewist (bewaartermijn)")
    EXPORT = "export", _("Export")


class AppendOnlyError(RuntimeError):
    """The audit log is never changed or deleted through the application.

    Four layers refuse it: this queryset (``objects`` and, through ``base_manager_name``, the
    ``_base_manager`` that Django's own deletion and saving use), ``save``/``delete`` below, the
    ``pre_save``/``pre_delete`` receivers in ``signals`` (any other queryset or collector), and
    the database's triggers (raw SQL, and ``update`` on a queryset made by hand).
    """


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    aangemaakt_op = models.DateTimeField(_("wanneer"), auto_now_add=True, db_index=True)
    # The user may be deleted later (the row is never touched); the username stays in the log.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    fields = models.JSONField(_("velden"), default=list, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    path = models.CharField(_("pad"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-aangemaakt_op", "-id"]
        # Django deletes and saves through the base manager: make it the guarded one.
        base_manager_name = "objects"
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.aangemaakt_op:%Y-%m-%d %H:%M:%S} {self.username} {self.action} "
            f"{self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
