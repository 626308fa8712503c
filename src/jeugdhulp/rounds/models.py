"""Snapshot rounds (foto's), the partners' deliveries (versioned) and the rows they hold."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeugdhulp.snapshot.schema import FORMAT_VERSION


class Round(models.Model):
    """A snapshot round: who delivers which clients on which peildatum, for which region."""

    naam = models.CharField(_("naam"), max_length=200)
    peildatum = models.DateField(_("peildatum"))
    organisatie = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("regio (IROJ)"),
        help_text=_("Het IROJ of samenwerkingsverband dat de ronde organiseert."),
    )
    regio = models.ForeignKey(
        "reference.AreaSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("gebied"),
        help_text=_("De gemeenten van de regio; hun codes zijn geldige woonplaatsen."),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        related_name="invited_rounds",
        verbose_name=_("uitgenodigde partners"),
    )
    hulpvormen = models.ManyToManyField(
        "reference.HulpVorm", related_name="rounds", verbose_name=_("hulpvormen")
    )
    drempel = models.PositiveSmallIntegerField(
        _("drempel voor kleine aantallen"),
        default=5,
        help_text=_("Aantallen onder deze drempel worden in de resultaten niet getoond."),
    )
    formaat_versie = models.CharField(
        _("versie uitvraagformat"), max_length=10, default=FORMAT_VERSION
    )
    sleutel_vingerafdruk = models.CharField(
        _("vingerafdruk van de rondesleutel"),
        max_length=19,
        blank=True,
        help_text=_(
            "Wat het pseudonimiseringsprogramma toont als vingerafdruk van de sleutel (bv. "
            "3f5a-09c1-7be2-d480). De sleutel zelf komt nooit op het platform."
        ),
    )
    open = models.BooleanField(_("open voor aanlevering"), default=True)
    fictief = models.BooleanField(_("fictief"), default=False)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["-peildatum", "naam"]
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        permissions = [("upload_round", "Aanleveren in een ronde")]

    def __str__(self) -> str:
        return f"{self.naam} ({self.peildatum:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("rounds:detail", args=[self.pk])

    def permission_organisation_ids(self) -> list[int]:
        return [self.organisatie_id]


class UploadStatus(models.TextChoices):
    ACCEPTED = "aanvaard", _("aanvaard")
    REJECTED = "geweigerd", _("geweigerd")


class Upload(models.Model):
    """One file a partner delivered in a round. Every upload is kept: a refused one with its
    report, an accepted one with its rows; the newest accepted one is the active version."""

    ronde = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="uploads")
    partner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="snapshot_uploads"
    )
    versie = models.PositiveIntegerField(_("versie"))
    bestandsnaam = models.CharField(_("bestand"), max_length=255)
    sha256 = models.CharField(max_length=64)
    grootte = models.PositiveBigIntegerField(_("grootte (bytes)"))
    status = models.CharField(_("status"), max_length=20, choices=UploadStatus.choices)
    actief = models.BooleanField(_("actieve versie"), default=False)
    rijen_gelezen = models.PositiveIntegerField(_("rijen gelezen"), default=0)
    rijen = models.PositiveIntegerField(_("rijen ingelezen"), default=0)
    unieke_kinderen = models.PositiveIntegerField(_("unieke kinderen"), default=0)
    fouten = models.PositiveIntegerField(_("fouten"), default=0)
    waarschuwingen = models.PositiveIntegerField(_("waarschuwingen"), default=0)
    rapport = models.TextField(_("rapport"), blank=True)
    samenvatting = models.TextField(_("samenvatting"), blank=True)
    geupload_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    geupload_op = models.DateTimeField(_("aangeleverd op"), auto_now_add=True)

    class Meta:
        ordering = ["ronde", "partner", "-versie"]
        constraints = [
            models.UniqueConstraint(
                fields=["ronde", "partner", "versie"], name="rounds_upload_version"
            ),
            models.UniqueConstraint(
                fields=["ronde", "partner"],
                condition=models.Q(actief=True),
                name="rounds_upload_one_active",
            ),
        ]
        verbose_name = _("aanlevering")
        verbose_name_plural = _("aanleveringen")

    def __str__(self) -> str:
        return f"{self.ronde} — {self.partner.code} v{self.versie} ({self.status})"

    def permission_organisation_ids(self) -> list[int]:
        return [self.partner_id, self.ronde.organisatie_id]

    @property
    def report_lines(self) -> list[str]:
        return self.rapport.splitlines()


class SnapshotRow(models.Model):
    """One client x form of help of an accepted upload (a pseudonym, never an INSZ)."""

    audit_log = False

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="rows")
    bronrij = models.PositiveIntegerField()
    vestiging = models.CharField(max_length=40)
    client_pseudoniem = models.CharField(max_length=64)
    geboortejaar = models.PositiveSmallIntegerField()
    geboortemaand = models.PositiveSmallIntegerField(null=True)
    geslacht = models.CharField(max_length=1)
    woonplaats = models.CharField(max_length=40)
    hulpvorm = models.CharField(max_length=10)
    toegang = models.CharField(max_length=5)
    startdatum = models.DateField()
    crisis = models.BooleanField()
    toeleider = models.CharField(max_length=20, blank=True)
    gemandateerd = models.BooleanField(null=True)

    class Meta:
        ordering = ["upload", "bronrij"]
        indexes = [models.Index(fields=["upload", "hulpvorm"])]

    def __str__(self) -> str:
        return f"{self.upload_id}:{self.bronrij} {self.hulpvorm}"

    def permission_organisation_ids(self) -> list[int]:
        return self.upload.permission_organisation_ids()
