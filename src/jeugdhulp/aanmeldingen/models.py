"""The request monitor (1G1P): families, requests (aanmeldingen), their events and family plans.

Events (``Gebeurtenis``) are the record of what happened; the request keeps its current status
and the dates the KPIs need (first contact, first conversation, start of help, closure) so the
network dashboard reads one table. Only ``workflow`` writes either, in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jeugdhulp.aanmeldingen.crypto import EncryptedTextField
from jeugdhulp.accounts.models import Organisation


class Kanaal(models.TextChoices):
    HULPVERLENER_MET_GEZIN = "hulpverlener_met_gezin", _("Hulpverlener samen met het gezin")
    VOORZIENING = "voorziening", _("Rechtstreeks bij de voorziening")


class Urgentie(models.TextChoices):
    LAAG = "laag", _("Laag")
    GEMIDDELD = "gemiddeld", _("Gemiddeld")
    HOOG = "hoog", _("Hoog")


class Domein(models.TextChoices):
    """Life domains a family's question is about."""

    OPVOEDING = "opvoeding", _("Opvoeding en gezin")
    ONTWIKKELING = "ontwikkeling", _("Ontwikkeling")
    PSYCHISCH = "psychisch", _("Psychisch welzijn")
    GEDRAG = "gedrag", _("Gedrag")
    SCHOOL = "school", _("School en leren")
    RELATIES = "relaties", _("Relaties en sociaal netwerk")
    MIDDELEN = "middelen", _("Middelengebruik")
    VEILIGHEID = "veiligheid", _("Veiligheid en geweld")
    MATERIEEL = "materieel", _("Materiële situatie en huisvesting")
    GEZONDHEID = "gezondheid", _("Lichamelijke gezondheid")


class Status(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    EERSTE_CONTACT_GEPLAND = "eerste_contact_gepland", _("Eerste contact gepland")
    EERSTE_GESPREK = "eerste_gesprek", _("Eerste gesprek gehad")
    HULP_GESTART = "hulp_gestart", _("Hulp gestart")
    DOORVERWEZEN = "doorverwezen", _("Doorverwezen")
    WACHTLIJST = "wachtlijst", _("Wachtlijst")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class Gezin(models.Model):
    """A family: contact details (encrypted) and its one contact point (aanspreekpunt)."""

    naam = EncryptedTextField(_("naam"), blank=True)
    telefoon = EncryptedTextField(_("telefoon"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    aanspreekpunt_organisatie = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aanspreekpunt: organisatie"),
    )
    aanspreekpunt_persoon = models.CharField(
        _("aanspreekpunt: persoon"), max_length=200, blank=True
    )
    contact_gewist_op = models.DateTimeField(_("contactgegevens gewist op"), null=True, blank=True)
    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    CONTACT_FIELDS = ("naam", "telefoon", "email")

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")

    def __str__(self) -> str:
        # Never the name: this text reaches the audit log.
        return f"gezin {self.pk}"

    def permission_organisation_ids(self) -> list[int]:
        ids = set(
            Aanmelding.partners.through.objects.filter(aanmelding__gezin=self).values_list(
                "organisatie_id", flat=True
            )
        )
        return sorted(ids)


class Gezinsplan(models.Model):
    """One plan per family: goals and the organisations that take part; its requests are the
    family's requests."""

    gezin = models.OneToOneField(
        Gezin, on_delete=models.CASCADE, related_name="plan", verbose_name=_("gezin")
    )
    doelen = EncryptedTextField(_("doelen"), blank=True)
    organisaties = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("betrokken organisaties")
    )
    versie = models.PositiveIntegerField(_("versie"), default=1)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("gezinsplan")
        verbose_name_plural = _("gezinsplannen")

    def __str__(self) -> str:
        return f"gezinsplan {self.pk}"

    def permission_organisation_ids(self) -> list[int]:
        return self.gezin.permission_organisation_ids()


class Aanmelding(models.Model):
    gezin = models.ForeignKey(
        Gezin, on_delete=models.PROTECT, related_name="aanmeldingen", verbose_name=_("gezin")
    )
    kanaal = models.CharField(_("kanaal"), max_length=30, choices=Kanaal.choices)
    aangemeld_op = models.DateField(_("aangemeld op"), db_index=True)
    # An area code of level gemeente (reference data); kept after erasure, for the statistics.
    gemeente = models.CharField(_("gemeente"), max_length=20, db_index=True)
    geboortejaren = models.JSONField(_("geboortejaren van de kinderen"), default=list)
    urgentie = models.CharField(_("urgentie"), max_length=10, choices=Urgentie.choices)
    gewenste_termijn = models.DateField(_("gewenste termijn"), null=True, blank=True)
    toestemming = models.BooleanField(_("toestemming van het gezin"), default=False)
    toestemming_op = models.DateField(_("toestemming gegeven op"), null=True, blank=True)
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="aanmeldingen",
        verbose_name=_("aanmelder"),
    )
    aanmelder_organisatie = models.ForeignKey(
        Organisation,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisatie van de aanmelder"),
    )
    partners = models.ManyToManyField(
        Organisation,
        through="AanmeldingPartner",
        related_name="aanmeldingen",
        verbose_name=_("aangesproken partners"),
    )

    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AANGEMELD
    )
    status_sinds = models.DateField(_("status sinds"))
    versie = models.PositiveIntegerField(_("versie"), default=1)
    eerste_contact_op = models.DateField(_("eerste contact gepland op"), null=True, blank=True)
    eerste_contact_organisatie = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eerste contact: organisatie"),
    )
    eerste_contact_persoon = models.CharField(
        _("eerste contact: persoon"), max_length=200, blank=True
    )
    eerste_gesprek_op = models.DateField(_("eerste gesprek op"), null=True, blank=True)
    dagen_tot_eerste_gesprek = models.IntegerField(null=True, blank=True)
    hulp_gestart_op = models.DateField(_("hulp gestart op"), null=True, blank=True)
    dagen_tot_hulp = models.IntegerField(null=True, blank=True)
    afgesloten_op = models.DateField(_("afgesloten op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["-aangemeld_op", "-id"]
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        indexes = [models.Index(fields=["status", "aangemeld_op"], name="aanmelding_status_datum")]

    def __str__(self) -> str:
        return f"aanmelding {self.pk}"

    def permission_organisation_ids(self) -> list[int]:
        return [p.pk for p in self.partners.all()]


class AanmeldingPartner(models.Model):
    """A partner a request is addressed to. The registration date is repeated here (it never
    changes), so the requests of a network's partners in a period are one index range: the
    dashboard's figures read only those rows, not every request of the period."""

    aanmelding = models.ForeignKey(Aanmelding, on_delete=models.CASCADE)
    organisatie = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    aangemeld_op = models.DateField()

    # Written together with its request, whose creation is audited.
    audit_log = False

    class Meta:
        db_table = "aanmeldingen_aanmelding_partners"
        unique_together = [("aanmelding", "organisatie")]
        indexes = [
            models.Index(
                fields=["organisatie", "aangemeld_op", "aanmelding"],
                name="aanmelding_partner_periode",
            )
        ]

    def __str__(self) -> str:
        return f"partner {self.organisatie_id} (aanmelding {self.aanmelding_id})"


class AanmeldingDomein(models.Model):
    """The domains of a request, one row each (the dashboard counts per domain in SQL)."""

    aanmelding = models.ForeignKey(
        Aanmelding, on_delete=models.CASCADE, related_name="domein_rijen"
    )
    domein = models.CharField(max_length=20, choices=Domein.choices)

    # Written together with its request, whose creation is audited.
    audit_log = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["aanmelding", "domein"], name="unique_aanmelding_domein"
            )
        ]
        indexes = [models.Index(fields=["domein", "aanmelding"], name="aanmelding_domein_idx")]

    def __str__(self) -> str:
        return f"{self.domein} (aanmelding {self.aanmelding_id})"


class GebeurtenisType(models.TextChoices):
    EERSTE_CONTACT_GEPLAND = "eerste_contact_gepland", _("Eerste contact gepland")
    EERSTE_GESPREK = "eerste_gesprek", _("Eerste gesprek gehad")
    HULP_GESTART = "hulp_gestart", _("Hulp gestart")
    DOORVERWEZEN = "doorverwezen", _("Doorverwezen")
    WACHTLIJST = "wachtlijst", _("Wachtlijst")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class Gebeurtenis(models.Model):
    aanmelding = models.ForeignKey(
        Aanmelding, on_delete=models.CASCADE, related_name="gebeurtenissen"
    )
    type = models.CharField(_("soort"), max_length=30, choices=GebeurtenisType.choices)
    datum = models.DateField(_("datum"))
    gepland_op = models.DateField(_("gepland op"), null=True, blank=True)
    organisatie = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    persoon = models.CharField(_("persoon"), max_length=200, blank=True)
    hulpvorm = models.CharField(_("hulpvorm"), max_length=10, blank=True)
    reden = models.CharField(_("reden"), max_length=300, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    aangemaakt_op = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        ordering = ["datum", "id"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        indexes = [
            models.Index(fields=["aanmelding", "datum"], name="gebeurtenis_aanmelding_datum")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.datum:%Y-%m-%d} (aanmelding {self.aanmelding_id})"

    def permission_organisation_ids(self) -> list[int]:
        return self.aanmelding.permission_organisation_ids()
