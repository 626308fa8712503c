"""Reference data: areas and their groupings, population, covariates, forms of help, supply.

Geometry is stored as GeoJSON text in WGS84 (EPSG:4326): GeoDjango needs GDAL, which the
platform does not require. The analysis reads it back through ``reference.services``.
"""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AreaLevel(models.TextChoices):
    SECTOR = "sector", _("Statistische sector")
    DEELGEMEENTE = "deelgemeente", _("Deelgemeente")
    GEMEENTE = "gemeente", _("Gemeente")
    ARRONDISSEMENT = "arrondissement", _("Arrondissement")
    PROVINCIE = "provincie", _("Provincie")
    GEWEST = "gewest", _("Gewest")
    ANDERE = "andere", _("Andere")


class CentroidMethod(models.TextChoices):
    POPULATION = "bevolkingsgewogen", _("Bevolkingsgewogen")
    GEOMETRIC = "geometrisch", _("Geometrisch (gelijkoppervlakteprojectie)")


class Area(models.Model):
    """One area of one vintage (boundaries valid from that year); a new vintage sits beside
    the old one, so older rounds keep their geography."""

    code = models.CharField(_("code"), max_length=40)
    naam = models.CharField(_("naam"), max_length=200)
    niveau = models.CharField(_("niveau"), max_length=20, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("ligt in"),
    )
    vintage = models.CharField(
        pgettext_lazy("gebiedsindeling", "versie"),
        max_length=20,
        help_text=_("Jaar vanaf wanneer deze grenzen gelden, bv. 2025."),
    )
    geometry = models.TextField(_("geometrie (GeoJSON, WGS84)"), blank=True)
    geometry_simplified = models.TextField(
        _("vereenvoudigde geometrie (GeoJSON, WGS84)"), blank=True
    )
    area_km2 = models.FloatField(_("oppervlakte (km²)"), null=True, blank=True)
    centroid_lon = models.FloatField(_("zwaartepunt lengtegraad"), null=True, blank=True)
    centroid_lat = models.FloatField(_("zwaartepunt breedtegraad"), null=True, blank=True)
    centroid_method = models.CharField(
        _("methode zwaartepunt"), max_length=20, choices=CentroidMethod.choices, blank=True
    )
    fictief = models.BooleanField(
        _("fictief"), default=False, help_text=_("Verzonnen gebied (demo), geen echte geografie.")
    )
    bron = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        ordering = ["vintage", "niveau", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="reference_area_code_vintage")
        ]
        indexes = [models.Index(fields=["niveau", "vintage"])]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        label = f"{self.naam} ({self.code}, {self.vintage})"
        return f"{label} — {_('fictief')}" if self.fictief else label

    def geojson(self) -> dict | None:
        return json.loads(self.geometry) if self.geometry else None


class AreaSetKind(models.TextChoices):
    IROJ = "iroj_regio", _("IROJ-regio")
    NETWORK = "netwerk_1g1p", _("1G1P-samenwerkingsverband")
    ELZ = "eerstelijnszone", _("Eerstelijnszone")
    OTHER = "andere", _("Andere")


class AreaSet(models.Model):
    """A named grouping of areas (usually municipalities): an IROJ region, a 1G1P network, ..."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=30, choices=AreaSetKind.choices)
    areas = models.ManyToManyField(Area, related_name="area_sets", verbose_name=_("gebieden"))
    organisatie = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="area_sets",
        verbose_name=_("organisatie"),
        help_text=_("Het IROJ of samenwerkingsverband waartoe deze gebiedsindeling hoort."),
    )

    class Meta:
        ordering = ["naam"]
        verbose_name = _("gebiedsindeling")
        verbose_name_plural = _("gebiedsindelingen")

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"

    def permission_organisation_ids(self) -> list[int]:
        return [self.organisatie_id] if self.organisatie_id else []


class Sex(models.TextChoices):
    MALE = "M", _("Man")
    FEMALE = "V", _("Vrouw")
    TOTAL = "T", _("Totaal")


class PopulationCount(models.Model):
    """Residents of an area on 1 January of ``year``, by sex and age band (inclusive ages;
    ``age_to`` empty for an open top band)."""

    audit_log = False

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="population", verbose_name=_("gebied")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    sex = models.CharField(_("geslacht"), max_length=1, choices=Sex.choices)
    age_from = models.PositiveSmallIntegerField(_("leeftijd vanaf"))
    age_to = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    population = models.FloatField(_("inwoners"))

    class Meta:
        ordering = ["area", "year", "sex", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sex", "age_from", "age_to"],
                name="reference_population_unique",
            )
        ]
        verbose_name = _("bevolkingsaantal")
        verbose_name_plural = _("bevolkingsaantallen")

    def __str__(self) -> str:
        top = self.age_to if self.age_to is not None else "+"
        return f"{self.area.code} {self.year} {self.sex} {self.age_from}-{top}: {self.population:g}"


class CovariateValue(models.Model):
    """A socio-economic indicator of an area in a year. ``approximate`` marks values derived
    rather than published (e.g. a median of a merged municipality, as a weighted mean)."""

    audit_log = False

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="covariates", verbose_name=_("gebied")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    name = models.CharField(_("naam"), max_length=80)
    value = models.FloatField(_("waarde"))
    approximate = models.BooleanField(_("benadering"), default=False)

    class Meta:
        ordering = ["area", "year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "name"], name="reference_covariate_unique"
            )
        ]
        verbose_name = _("achtergrondkenmerk")
        verbose_name_plural = _("achtergrondkenmerken")

    def __str__(self) -> str:
        return f"{self.area.code} {self.year} {self.name} = {self.value:g}"


class Access(models.TextChoices):
    RTJH = "RTJH", _("Rechtstreeks toegankelijk (RTJH)")
    NRTJH = "NRTJH", _("Niet-rechtstreeks toegankelijk (NRTJH)")
    BOTH = "beide", _("Beide")
    CRISIS = "crisis", _("Crisisroute")


class HulpVorm(models.Model):
    """A form of help in the catalogue (codes stable, labels editable)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    usual_access = models.CharField(
        _("gebruikelijke toegang"), max_length=10, choices=Access.choices
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hulpvorm")
        verbose_name_plural = _("hulpvormen")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Site(models.Model):
    """A site (vestiging) of an organisation, where forms of help are offered."""

    code = models.CharField(_("vestigingscode"), max_length=40, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    organisatie = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sites",
        verbose_name=_("organisatie"),
    )
    organisatie_naam = models.CharField(_("naam organisatie"), max_length=200, blank=True)
    lon = models.FloatField(_("lengtegraad"))
    lat = models.FloatField(_("breedtegraad"))
    approximate = models.BooleanField(
        _("locatie benaderd"),
        default=False,
        help_text=_("Geplaatst op het zwaartepunt van de gemeente van de postcode."),
    )
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    fictief = models.BooleanField(_("fictief"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"

    def permission_organisation_ids(self) -> list[int]:
        return [self.organisatie_id] if self.organisatie_id else []


class SiteOffer(models.Model):
    """A form of help offered at a site, with its capacity (places, or cases per year)."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="offers", verbose_name=_("vestiging")
    )
    hulpvorm = models.ForeignKey(
        HulpVorm, on_delete=models.PROTECT, related_name="offers", verbose_name=_("hulpvorm")
    )
    capaciteit = models.FloatField(_("capaciteit"))

    class Meta:
        ordering = ["site", "hulpvorm"]
        constraints = [
            models.UniqueConstraint(fields=["site", "hulpvorm"], name="reference_siteoffer_unique")
        ]
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")

    def __str__(self) -> str:
        return f"{self.site.code} {self.hulpvorm.code}: {self.capaciteit:g}"

    def permission_organisation_ids(self) -> list[int]:
        return self.site.permission_organisation_ids()
