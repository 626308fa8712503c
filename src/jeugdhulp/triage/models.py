"""Assessments (CAP-J nature × STEP severity), versioned rule sets and the route advice.

A rule set belongs to a network/region (``organisatie``) or to one municipality (``gemeente``), or
is the platform default (neither). Its rules live in immutable versions: editing makes a new
version, and an assessment points at the version it was evaluated with, so an advice can always be
explained with the rules of its day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin
from jeugdhulp.accounts.models import Organisation
from jeugdhulp.triage.engine import ADVICES


class Route(models.TextChoices):
    VRIJ = "vrij_toegankelijk", _(ADVICES["vrij_toegankelijk"])
    NIET_VRIJ = "niet_vrij_toegankelijk", _(ADVICES["niet_vrij_toegankelijk"])
    DIAGNOSTIEK = "meer_diagnostiek", _(ADVICES["meer_diagnostiek"])


class RuleSet(models.Model):
    naam = models.CharField(_("naam"), max_length=200)
    organisatie = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="triage_regelsets",
        verbose_name=_("netwerk of regio"),
    )
    gemeente = models.CharField(
        _("gemeente"),
        max_length=20,
        blank=True,
        help_text=_("NIS-code: de regels gelden dan enkel voor deze gemeente."),
    )

    class Meta:
        verbose_name = _("regelset")
        verbose_name_plural = _("regelsets")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "gemeente"],
                name="triage_one_ruleset_per_owner",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.naam

    def current(self) -> RuleSetVersion | None:
        return self.versies.order_by("-versie").first()

    def permission_organisation_ids(self) -> list[int]:
        return [self.organisatie_id] if self.organisatie_id else []


class RuleSetVersion(models.Model):
    """One immutable version of a rule set (written only by ``services.save_version``)."""

    regelset = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="versies", verbose_name=_("regelset")
    )
    versie = models.PositiveIntegerField(_("versie"))
    regels = models.JSONField(_("regels"))
    toelichting = models.TextField(_("wat is er veranderd"), blank=True)
    gemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    aangemaakt_op = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("versie van een regelset")
        verbose_name_plural = _("versies van regelsets")
        ordering = ["regelset", "-versie"]
        constraints = [
            models.UniqueConstraint(fields=["regelset", "versie"], name="triage_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.regelset} v{self.versie}"

    def permission_organisation_ids(self) -> list[int]:
        return self.regelset.permission_organisation_ids()


class Assessment(models.Model):
    """A taxatie: CAP-J codes and STEP item scores of a request or a family, the advice the rules
    gave and the professional's decision."""

    aanmelding = models.ForeignKey(
        Aanmelding,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="taxaties",
        verbose_name=_("aanmelding"),
    )
    gezin = models.ForeignKey(
        Gezin,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="taxaties",
        verbose_name=_("gezin"),
    )
    # Where the statistics put it (the request's municipality; kept after erasure).
    gemeente = models.CharField(_("gemeente"), max_length=20, db_index=True)
    capj = models.JSONField(_("CAP-J-codes"), default=list)
    step = models.JSONField(_("STEP-scores per item"), default=dict)
    totaal_fj = models.PositiveSmallIntegerField(_("functioneren jongere (totaal)"))
    totaal_ko = models.PositiveSmallIntegerField(_("kwaliteit omgeving (totaal)"))
    totaal_zz = models.PositiveSmallIntegerField(_("zwaarte zorg (totaal)"))
    totaal_uz = models.PositiveSmallIntegerField(_("urgentie zorg (totaal)"))
    regelset_versie = models.ForeignKey(
        RuleSetVersion,
        on_delete=models.PROTECT,
        related_name="taxaties",
        verbose_name=_("versie van de regelset"),
    )
    advies = models.CharField(_("advies"), max_length=30, choices=Route.choices)
    advies_regel = models.CharField(_("regel die het advies gaf"), max_length=40, blank=True)
    uitleg = models.JSONField(_("uitleg"), default=dict)
    beslissing = models.CharField(_("beslissing"), max_length=30, choices=Route.choices, blank=True)
    beslissing_reden = models.TextField(_("reden"), blank=True)
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    beslist_op = models.DateTimeField(_("beslist op"), null=True, blank=True)
    gemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgenomen door"),
    )
    organisatie = models.ForeignKey(
        Organisation,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    aangemaakt_op = models.DateTimeField(_("afgenomen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("taxatie")
        verbose_name_plural = _("taxaties")
        ordering = ["-aangemaakt_op", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aanmelding__isnull=False, gezin__isnull=True)
                | Q(aanmelding__isnull=True, gezin__isnull=False),
                name="triage_assessment_request_xor_family",
            ),
            # A decision that differs from the advice says why.
            models.CheckConstraint(
                condition=Q(beslissing="")
                | Q(beslissing=models.F("advies"))
                | ~Q(beslissing_reden=""),
                name="triage_assessment_reason_for_difference",
            ),
        ]

    def __str__(self) -> str:
        return f"taxatie {self.pk}"

    def permission_organisation_ids(self) -> list[int]:
        if self.aanmelding_id:
            return self.aanmelding.permission_organisation_ids()
        return self.gezin.permission_organisation_ids()

    @property
    def differs(self) -> bool:
        return bool(self.beslissing) and self.beslissing != self.advies
