"""Analysis runs of a round and their stored, disclosure-controlled results.

A run is one version of a round's analysis: started from the web or the demo, executed by the
background worker, never changed afterwards (a re-run makes a new version). Only published
numbers (after disclosure control) are stored.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jeugdhulp.results.duiding_models import (  # noqa: F401 - registers the models
    Duiding,
    DuidingUitnodiging,
    DuidingVerzoek,
)


class RunStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class AnalysisRun(models.Model):
    """What was analysed is copied from the round when the run starts (id, name, peildatum,
    region, invited partners), so a run stays readable and its permissions stable even when the
    round changes later."""

    ronde_id = models.PositiveIntegerField(_("ronde (id)"), db_index=True)
    ronde_naam = models.CharField(_("ronde"), max_length=200)
    peildatum = models.DateField(_("peildatum"))
    organisatie = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio (organisatie)"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("partners")
    )
    versie = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    voortgang = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    stap = models.CharField(_("huidige stap"), max_length=200, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    hulpvormen = models.JSONField(_("hulpvormen"), default=list, blank=True)
    # Region-level published tables (lists of row dicts): totals per form, profiles per form.
    regiotabel = models.JSONField(_("cijfers van de regio"), default=list, blank=True)
    profiel = models.JSONField(_("profiel"), default=dict, blank=True)
    buiten = models.JSONField(_("buiten de gebieden"), default=list, blank=True)
    gebied_versie = models.CharField(_("versie van de gebieden"), max_length=20, blank=True)
    foutmelding = models.TextField(_("foutmelding"), blank=True)
    rapport_status = models.CharField(
        _("status rapport"), max_length=10, choices=RunStatus.choices, blank=True
    )
    rapport_fout = models.TextField(_("fout bij het rapport"), blank=True)
    gestart_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gestart_op = models.DateTimeField(_("gestart op"), null=True, blank=True)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-peildatum", "ronde_id", "-versie"]
        constraints = [
            models.UniqueConstraint(fields=["ronde_id", "versie"], name="results_run_round_version")
        ]
        verbose_name = _("analyse")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"{self.ronde_naam} — {_('versie')} {self.versie}"

    def permission_organisation_ids(self) -> list[int]:
        """The organisation of the round's region (its analists and coördinators)."""
        return [self.organisatie_id]

    @property
    def folder(self) -> Path:
        """Where the run's files (exports, report) are kept."""
        return Path(settings.MEDIA_ROOT) / "results" / f"analyse-{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class IndicatorRow(models.Model):
    """One published row of ``indicatoren.csv``: an area × form of help of a run."""

    audit_log = False

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="rows")
    gebied_code = models.CharField(max_length=40)
    gebied_naam = models.CharField(max_length=200)
    hulpvorm = models.CharField(max_length=10)
    aantal_clienten = models.IntegerField(null=True)
    inwoners = models.FloatField(null=True)
    bereik_per_1000 = models.FloatField(null=True)
    verwacht = models.FloatField(null=True)
    ratio = models.FloatField(null=True)
    ratio_laag = models.FloatField(null=True)
    ratio_hoog = models.FloatField(null=True)
    ratio_eb = models.FloatField(null=True)
    kans_boven_1 = models.FloatField(null=True)
    cluster = models.CharField(max_length=20, blank=True)
    mediaan_afstand_km = models.FloatField(null=True)
    aandeel_crisis = models.FloatField(null=True)
    aandeel_jongvolwassen = models.FloatField(null=True)
    toegankelijkheid = models.FloatField(null=True)
    onvervulde_nood_per_1000 = models.FloatField(null=True)
    nood_klasse = models.CharField(max_length=30, blank=True)
    onvoldoende_gegevens = models.BooleanField(default=False)
    # Every other published column (age-band reach, shares, model expectation, ...).
    extra = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "hulpvorm", "gebied_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "hulpvorm", "gebied_code"], name="results_row_unique"
            )
        ]
        verbose_name = _("indicatorrij")
        verbose_name_plural = _("indicatorrijen")

    def __str__(self) -> str:
        return f"{self.run_id} {self.gebied_code} {self.hulpvorm}"
