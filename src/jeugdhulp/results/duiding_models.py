"""Duiding: whether the people who know an area recognise its difference between expected and
actual use, and which local factors explain it (DESIGN.md part C; issue #16).

A duiding belongs to a **round** (``ronde_id``), not to one analysis run. A re-run of the same
round (a new version after a corrected upload, another seed) publishes nearly the same figures
for the same areas, and the professionals' knowledge of an area does not change with it: tying
the duiding to a run would throw it away at every re-run and ask people twice. The region
(``organisatie``) is copied from the run it was recorded on, like ``AnalysisRun`` copies it from
the round, so permissions stay stable when the round changes later.

Several people may record a duiding for the same area; each person has one per area and form of
help (they edit it). The counts of "herkend" and of factors are counts of opinions, not of
children: they reveal nothing about a hidden count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TOELICHTING = 1000


class Herkenning(models.TextChoices):
    HERKEND = "herkend", _("herkend")
    NIET_HERKEND = "niet_herkend", _("niet herkend")
    WEET_NIET = "weet_niet", _("weet niet")


class Factor(models.TextChoices):
    SOCIALE_COHESIE = "sociale_cohesie", _("sociale cohesie")
    VEILIGHEID = "veiligheid", _("veiligheid")
    VOORZIENINGENNIVEAU = "voorzieningenniveau", _("voorzieningenniveau")
    ACTIEVE_HUISARTS = "actieve_huisarts", _("actieve huisarts")
    ACTIEVE_AANBIEDER = "actieve_aanbieder", _("actieve aanbieder")
    SAMENWERKING = "samenwerking", _("samenwerking")
    REGISTRATIE = "registratie", _("registratie")
    ANDERE = "andere", _("andere")


class Duiding(models.Model):
    """One person's reading of one area (and form of help) in one round."""

    ronde_id = models.PositiveIntegerField(_("ronde (id)"), db_index=True)
    organisatie = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio (organisatie)"),
    )
    gebied_code = models.CharField(_("gebied"), max_length=40)
    hulpvorm = models.CharField(_("hulpvorm"), max_length=10, default="ALLE")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    # The author's own organisation, shown beside the text (never the person's name).
    auteur_organisatie = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisatie van de auteur"),
    )
    # A local professional who answered a request (no account): their link, and the
    # organisation they named themselves.
    uitnodiging = models.ForeignKey(
        "results.DuidingUitnodiging",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uitnodiging"),
    )
    organisatie_tekst = models.CharField(
        _("organisatie (zelf ingevuld)"), max_length=200, blank=True
    )
    herkend = models.CharField(_("herkend"), max_length=20, choices=Herkenning.choices)
    factoren = models.JSONField(_("lokale factoren"), default=list, blank=True)
    toelichting = models.TextField(_("toelichting"), max_length=MAX_TOELICHTING, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["ronde_id", "gebied_code", "hulpvorm", "-gewijzigd_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["ronde_id", "gebied_code", "hulpvorm", "auteur"],
                name="results_duiding_one_per_author",
            ),
            models.UniqueConstraint(
                fields=["ronde_id", "gebied_code", "hulpvorm", "uitnodiging"],
                name="results_duiding_one_per_invitation",
            ),
        ]
        verbose_name = _("duiding")
        verbose_name_plural = _("duidingen")

    def __str__(self) -> str:
        return f"{self.gebied_code} {self.hulpvorm} ({self.ronde_id})"

    def permission_organisation_ids(self) -> list[int]:
        """The region of the round, like the run's."""
        return [self.organisatie_id]

    @property
    def organisatie_naam(self) -> str:
        """The author's organisation as shown beside the text."""
        if self.auteur_organisatie_id:
            return self.auteur_organisatie.naam
        return self.organisatie_tekst or str(_("lokale professional"))


class DuidingVerzoek(models.Model):
    """A coördinator asks local professionals for their duiding of chosen areas of a run.

    Each person gets an :class:`DuidingUitnodiging` with a personal link instead of an account:
    an account with a region role would show them every result of the region, while the link
    shows only the areas asked, with the figures the map shows, and nothing else."""

    run = models.ForeignKey(
        "results.AnalysisRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("analyse")
    )
    gebieden = models.JSONField(_("gebieden"), default=list)
    hulpvorm = models.CharField(_("hulpvorm"), max_length=10, default="ALLE")
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    vervalt_op = models.DateTimeField(_("vervalt op"))

    class Meta:
        ordering = ["-aangemaakt_op"]
        verbose_name = _("vraag om duiding")
        verbose_name_plural = _("vragen om duiding")

    def __str__(self) -> str:
        return f"{self.run_id}: {len(self.gebieden)} gebieden"

    def permission_organisation_ids(self) -> list[int]:
        return [self.run.organisatie_id]


class DuidingUitnodiging(models.Model):
    """One person's link: only the SHA-256 of the token is stored; revocable; expires with the
    request."""

    verzoek = models.ForeignKey(
        DuidingVerzoek, on_delete=models.CASCADE, related_name="uitnodigingen"
    )
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True)
    ingetrokken = models.BooleanField(_("ingetrokken"), default=False)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("uitnodiging tot duiding")
        verbose_name_plural = _("uitnodigingen tot duiding")

    def __str__(self) -> str:
        return f"{self.verzoek_id}: {self.email}"

    def permission_organisation_ids(self) -> list[int]:
        return self.verzoek.permission_organisation_ids()
