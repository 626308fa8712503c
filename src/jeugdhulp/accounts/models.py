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
    ORGANISATIEBEHEERDER = "organisatiebeheerder", _("Organisatiebeheerder")
    BEHEERDER = "beheerder", _("Beheerder")


# Roles that only make sense in a network or region: they reach its partners.
GROUPING_ROLES = (Role.COORDINATOR, Role.ANALIST)


class MembershipStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    ACTIEF = "actief", _("Actief")
    GEWEIGERD = "geweigerd", _("Geweigerd")


class User(AbstractUser):
    """A person using the platform; what they may do comes from their ``Membership`` rows."""

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def roles(self) -> set[str]:
        """The roles the user holds (active memberships only)."""
        active = self.memberships.filter(status=MembershipStatus.ACTIEF)
        return set(active.values_list("rol", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.memberships.filter(rol__in=roles, status=MembershipStatus.ACTIEF).exists()


class Membership(models.Model):
    """A user holds a role in an organisation (a coördinator or analist: in a network or region).

    Only an ``actief`` membership counts (``accounts.permissions.scope_of`` reads no other). A
    grant that the granter may not decide alone is ``aangevraagd`` until the organisation's
    organisatiebeheerder or a (second) platform beheerder approves or refuses it; see
    ``accounts.grants``. Rows made directly in code (the demo, fixtures) are active.
    """

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
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIEF,
        db_index=True,
    )
    aangevraagd_door = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), null=True, blank=True)
    beslist_door = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    beslist_op = models.DateTimeField(_("beslist op"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisatie", "rol"], name="unique_membership")
        ]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        # The status is part of the text, so the audit log's entries say what was decided.
        return (
            f"{self.user} — {self.get_rol_display()} — {self.organisatie.code}"
            f" [{self.get_status_display()}]"
        )

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIEF

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.AANGEVRAAGD

    def clean(self) -> None:
        # A refused row is history: it grants nothing and is kept as it was.
        if self.status == MembershipStatus.GEWEIGERD:
            return
        if self.rol in GROUPING_ROLES and self.organisatie_id and not self.organisatie.is_grouping:
            if self.rol == Role.COORDINATOR:
                message = _("Een coördinator coördineert een samenwerkingsverband of een regio.")
            else:
                message = _(
                    "Een analist werkt voor een samenwerkingsverband of een regio (IROJ), niet "
                    "voor een partnerorganisatie."
                )
            raise ValidationError({"organisatie": message})
