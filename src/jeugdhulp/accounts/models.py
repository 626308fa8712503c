"""Organisations, users and the roles they hold."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    VOORZIENING = "voorziening", _("Voorziening")
    K_DIENST = "k_dienst", _("K-dienst")
    CLB = "clb", _("CLB")
    CAW = "caw", _("CAW")
    GEMEENTE = "gemeente", _("Gemeente")
    IROJ = "iroj", _("IROJ")
    SAMENWERKINGSVERBAND = "samenwerkingsverband", _("Samenwerkingsverband")
    ANDERE = "andere", _("Andere")


# Kinds that other organisations take part in (networks and regions).
GROUPING_KINDS = (OrganisationKind.SAMENWERKINGSVERBAND, OrganisationKind.IROJ)
# Their stored values, for queries (``soort__in=GROUPING_KIND_VALUES``).
GROUPING_KIND_VALUES = [kind.value for kind in GROUPING_KINDS]


class Organisation(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=30, choices=OrganisationKind.choices)
    netwerken = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="deelnemers",
        limit_choices_to={"soort__in": GROUPING_KIND_VALUES},
        verbose_name=_("netwerken en regio's"),
        help_text=_(
            "De 1G1P-samenwerkingsverbanden en IROJ-regio's waaraan deze organisatie deelneemt."
        ),
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["naam"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"

    @property
    def is_grouping(self) -> bool:
        return self.soort in GROUPING_KINDS


class Role(models.TextChoices):
    AANMELDER = "aanmelder", _("Aanmelder")
    MEDEWERKER_VOORZIENING = "medewerker_voorziening", _("Medewerker voorziening")
    COORDINATOR = "coordinator", _("Coördinator")
    ANALIST = "analist", _("Analist")
    BEHEERDER = "beheerder", _("Beheerder")


class User(AbstractUser):
    """A person using the platform; what they may do comes from their ``Membership`` rows."""

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def roles(self) -> set[str]:
        return set(self.memberships.values_list("rol", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.memberships.filter(rol__in=roles).exists()


class Membership(models.Model):
    """A user holds a role in an organisation (a coördinator: in a network or region)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker")
    )
    organisatie = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisatie"),
    )
    rol = models.CharField(_("rol"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisatie", "rol"], name="unique_membership")
        ]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_rol_display()} — {self.organisatie.code}"

    def clean(self) -> None:
        if (
            self.rol == Role.COORDINATOR
            and self.organisatie_id
            and not self.organisatie.is_grouping
        ):
            raise ValidationError(
                {
                    "organisatie": _(
                        "Een coördinator coördineert een samenwerkingsverband of een regio."
                    )
                }
            )
