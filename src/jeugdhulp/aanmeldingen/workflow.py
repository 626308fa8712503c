"""Registering a request and moving it through its workflow; the only code that writes them.

aangemeld → eerste_contact_gepland → eerste_gesprek → hulp_gestart | doorverwezen | wachtlijst |
afgesloten. Every write checks the version the user last saw (optimistic locking), so two people
editing the same request never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdhulp.aanmeldingen import access, figures_cache
from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    AanmeldingDomein,
    Domein,
    Gebeurtenis,
    GebeurtenisType,
    Gezin,
    Gezinsplan,
    Kanaal,
    Status,
    Urgentie,
)
from jeugdhulp.accounts.models import GROUPING_KIND_VALUES, Organisation
from jeugdhulp.reference import lookups

S, E = Status, GebeurtenisType
MAX_CHILD_AGE = 25


class InvalidInput(Exception):
    """Input that cannot be accepted: field name -> Dutch messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class TransitionNotAllowed(Exception):
    """The event cannot follow the request's current status (the message says why, in Dutch)."""


class VersionConflict(Exception):
    """Someone else changed the object since the user loaded it."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Iemand anders heeft deze aanmelding intussen gewijzigd. Uw wijziging is niet "
                "bewaard: bekijk de nieuwe toestand en voer ze opnieuw in."
            )
        )


@dataclass
class Registration:
    kanaal: str
    gemeente: str
    geboortejaren: list[int]
    domeinen: list[str]
    urgentie: str
    toestemming: bool
    partners: list[str]
    naam: str
    telefoon: str = ""
    email: str = ""
    aangemeld_op: dt.date | None = None
    gewenste_termijn: dt.date | None = None
    gezin: Gezin | None = None  # another request for a family already known


@dataclass
class Event:
    type: str
    datum: dt.date | None = None
    gepland_op: dt.date | None = None
    organisatie: str = ""  # an organisation code
    persoon: str = ""
    hulpvorm: str = ""
    reden: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def today() -> dt.date:
    return timezone.localdate()


def _registration_errors(
    user, data: Registration
) -> tuple[dict[str, list[str]], list[Organisation]]:
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    day = data.aangemeld_op or today()
    if data.kanaal not in Kanaal.values:
        fail("kanaal", _("Kies 'hulpverlener_met_gezin' of 'voorziening'."))
    if day > today():
        fail("aangemeld_op", _("De aanmelddatum ligt in de toekomst."))
    if not lookups.is_municipality(data.gemeente):
        fail("gemeente", _("'%(code)s' is geen gekende gemeentecode.") % {"code": data.gemeente})
    if not data.geboortejaren:
        fail("geboortejaren", _("Geef het geboortejaar van minstens één kind."))
    for year in data.geboortejaren:
        if not day.year - MAX_CHILD_AGE <= year <= day.year:
            fail(
                "geboortejaren",
                _("Geboortejaar %(year)s: een kind of jongere is 0 tot %(max)s jaar oud.")
                % {"year": year, "max": MAX_CHILD_AGE},
            )
    if not data.domeinen:
        fail("domeinen", _("Kies minstens één domein van de vraag."))
    for code in data.domeinen:
        if code not in Domein.values:
            fail("domeinen", _("'%(code)s' is geen gekend domein.") % {"code": code})
    if data.urgentie not in Urgentie.values:
        fail("urgentie", _("Kies 'laag', 'gemiddeld' of 'hoog'."))
    if data.gewenste_termijn is not None and data.gewenste_termijn < day:
        fail("gewenste_termijn", _("De gewenste termijn ligt vóór de aanmelddatum."))
    if data.toestemming is not True:
        fail("toestemming", _("Zonder toestemming van het gezin kan er niet aangemeld worden."))
    partners = _partners(user, data.partners, fail)
    if data.gezin is None:
        if not data.naam.strip():
            fail("naam", _("Geef de naam van het gezin (of van de ouder) op."))
        if not data.telefoon.strip() and not data.email.strip():
            fail("telefoon", _("Geef een telefoonnummer of een e-mailadres van het gezin."))
        if data.email.strip():
            try:
                validate_email(data.email.strip())
            except ValidationError:
                fail("email", _("'%(value)s' is geen geldig e-mailadres.") % {"value": data.email})
    elif not access.may_see_family_contact(user, data.gezin):
        fail("gezin", _("Dit gezin is niet gekend."))
    return errors, partners


def registration_problems(user, data: Registration) -> dict[str, list[str]]:
    """Everything wrong with ``data`` (field name -> Dutch messages), without writing: the form
    shows all of it at once, also next to the fields it could not parse itself."""
    return _registration_errors(user, data)[0]


def _partners(user, codes: list[str], fail) -> list[Organisation]:
    if not codes:
        fail("partners", _("Kies minstens één partner aan wie de vraag gericht is."))
        return []
    allowed = {o.code: o for o in access.addressable_partners(user).filter(code__in=codes)}
    for code in codes:
        if code not in allowed:
            fail("partners", _("'%(code)s' is geen partner van uw netwerk.") % {"code": code})
    return [allowed[c] for c in dict.fromkeys(codes) if c in allowed]


@transaction.atomic
def register(user, data: Registration) -> Aanmelding:
    """Register a request; raises ``InvalidInput`` (nothing written) or ``PermissionError``."""
    if not access.may_register(user):
        raise PermissionError("not a registrant")
    errors, partners = _registration_errors(user, data)
    if errors:
        raise InvalidInput(errors)
    day = data.aangemeld_op or today()
    gezin = data.gezin or Gezin.objects.create(
        naam=data.naam.strip(), telefoon=data.telefoon.strip(), email=data.email.strip()
    )
    aanmelding = Aanmelding.objects.create(
        gezin=gezin,
        kanaal=data.kanaal,
        aangemeld_op=day,
        gemeente=data.gemeente,
        geboortejaren=sorted(data.geboortejaren),
        urgentie=data.urgentie,
        gewenste_termijn=data.gewenste_termijn,
        toestemming=True,
        toestemming_op=day,
        aangemeld_door=user,
        aanmelder_organisatie=access.registrant_organisation(user),
        status=Status.AANGEMELD,
        status_sinds=day,
    )
    aanmelding.partners.add(*partners, through_defaults={"aangemeld_op": day})
    AanmeldingDomein.objects.bulk_create(
        AanmeldingDomein(aanmelding=aanmelding, domein=d) for d in dict.fromkeys(data.domeinen)
    )
    figures_cache.invalidate([p.pk for p in partners])
    return aanmelding


def _organisation(code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(code=code, actief=True)
        .exclude(soort__in=GROUPING_KIND_VALUES)
        .first()
    )


def _addressed_organisation(aanmelding: Aanmelding, event: Event, org: Organisation | None):
    if not event.organisatie:
        event.fail("organisatie", _("Geef de organisatie."))
    elif org is not None and not aanmelding.partners.filter(pk=org.pk).exists():
        event.fail(
            "organisatie",
            _("'%(code)s' is niet aangesproken in deze aanmelding.") % {"code": org.code},
        )


def _planned_contact(aanmelding: Aanmelding, event: Event, org: Organisation | None):
    if event.gepland_op is None:
        event.fail("gepland_op", _("Geef de datum van het geplande contact."))
    elif event.gepland_op < aanmelding.aangemeld_op:
        event.fail("gepland_op", _("Het geplande contact ligt vóór de aanmelding."))
    if not event.persoon.strip():
        event.fail("persoon", _("Geef de persoon bij wie het gezin terecht kan."))


def _known_hulpvorm(aanmelding: Aanmelding, event: Event, org: Organisation | None):
    if not event.hulpvorm:
        event.fail("hulpvorm", _("Geef de hulpvorm."))
    elif not lookups.is_hulpvorm(event.hulpvorm):
        event.fail("hulpvorm", _("'%(code)s' is geen gekende hulpvorm.") % {"code": event.hulpvorm})


def _referred_to(aanmelding: Aanmelding, event: Event, org: Organisation | None):
    if not (event.organisatie or event.reden.strip()):
        event.fail("organisatie", _("Zeg naar wie doorverwezen werd (organisatie, of in 'reden')."))


def _closing_reason(aanmelding: Aanmelding, event: Event, org: Organisation | None):
    if not event.reden.strip():
        event.fail("reden", _("Geef de reden van afsluiten."))


Check = Callable[[Aanmelding, Event, Organisation | None], None]


@dataclass(frozen=True)
class EventRule:
    """What one type of event asks: the statuses it may follow, whether it needs a first
    conversation before it, and the checks of its fields (each adds its messages to the event).
    Who may record it is the same for every type: the permission ``aanmeldingen.add_gebeurtenis``,
    which the caller checks."""

    after: frozenset[str]
    checks: tuple[Check, ...] = ()
    needs_first_conversation: bool = False


OPEN = frozenset({S.AANGEMELD, S.EERSTE_CONTACT_GEPLAND, S.WACHTLIJST})
# event type -> its rule; the workflow of DESIGN.md: aangemeld → eerste contact gepland → eerste
# gesprek → hulp gestart | doorverwezen | wachtlijst | afgesloten, and nothing after afgesloten.
RULES: dict[str, EventRule] = {
    E.EERSTE_CONTACT_GEPLAND: EventRule(OPEN, (_addressed_organisation, _planned_contact)),
    E.EERSTE_GESPREK: EventRule(OPEN),
    E.HULP_GESTART: EventRule(
        frozenset({S.EERSTE_GESPREK, S.WACHTLIJST}),
        (_addressed_organisation, _known_hulpvorm),
        needs_first_conversation=True,
    ),
    E.DOORVERWEZEN: EventRule(OPEN | {S.EERSTE_GESPREK}, (_referred_to,)),
    E.WACHTLIJST: EventRule(frozenset({S.AANGEMELD, S.EERSTE_CONTACT_GEPLAND, S.EERSTE_GESPREK})),
    E.AFGESLOTEN: EventRule(
        OPEN | {S.EERSTE_GESPREK, S.HULP_GESTART, S.DOORVERWEZEN}, (_closing_reason,)
    ),
}


def _check_date(aanmelding: Aanmelding, event: Event) -> None:
    """Every event: not in the future, not before the request nor before the previous event."""
    day = event.datum
    last = aanmelding.gebeurtenissen.order_by("-datum").values_list("datum", flat=True).first()
    if day > today():
        event.fail("datum", _("De datum ligt in de toekomst; enkel een gepland contact kan dat."))
    if day < aanmelding.aangemeld_op:
        event.fail(
            "datum", _("De datum ligt vóór de aanmelding (%(d)s).") % {"d": aanmelding.aangemeld_op}
        )
    elif last is not None and day < last:
        event.fail("datum", _("De datum ligt vóór de vorige gebeurtenis (%(d)s).") % {"d": last})


def _check_event(aanmelding: Aanmelding, event: Event) -> Organisation | None:
    """Validate ``event`` against the request by the rule of its type; returns the organisation
    it names."""
    rule = RULES.get(event.type)
    if rule is None:
        event.fail("type", _("Onbekende soort gebeurtenis '%(type)s'.") % {"type": event.type})
        raise InvalidInput(event.errors)
    if aanmelding.status not in rule.after:
        raise TransitionNotAllowed(
            _("'%(event)s' kan niet wanneer de aanmelding de status '%(status)s' heeft.")
            % {"event": E(event.type).label, "status": Status(aanmelding.status).label}
        )
    if rule.needs_first_conversation and aanmelding.eerste_gesprek_op is None:
        raise TransitionNotAllowed(_("Hulp kan pas starten na een eerste gesprek."))
    _check_date(aanmelding, event)
    org = _organisation(event.organisatie) if event.organisatie else None
    if event.organisatie and org is None:
        event.fail(
            "organisatie",
            _("'%(code)s' is geen gekende organisatie.") % {"code": event.organisatie},
        )
    for check in rule.checks:
        check(aanmelding, event, org)
    if event.errors:
        raise InvalidInput(event.errors)
    return org


def apply_event(aanmelding: Aanmelding, event: Event, org: Organisation | None) -> None:
    """Update the request's status and KPI dates for a validated event (in memory)."""
    day = event.datum
    if event.type == E.EERSTE_CONTACT_GEPLAND:
        aanmelding.eerste_contact_op = event.gepland_op
        aanmelding.eerste_contact_organisatie = org
        aanmelding.eerste_contact_persoon = event.persoon.strip()
    elif event.type == E.EERSTE_GESPREK and aanmelding.eerste_gesprek_op is None:
        aanmelding.eerste_gesprek_op = day
        aanmelding.dagen_tot_eerste_gesprek = (day - aanmelding.aangemeld_op).days
    elif event.type == E.HULP_GESTART and aanmelding.hulp_gestart_op is None:
        aanmelding.hulp_gestart_op = day
        aanmelding.dagen_tot_hulp = (day - aanmelding.aangemeld_op).days
    elif event.type == E.AFGESLOTEN:
        aanmelding.afgesloten_op = day
    aanmelding.status = event.type
    aanmelding.status_sinds = day


@transaction.atomic
def add_event(
    user, aanmelding_id: int, event: Event, expected_version: int | None = None
) -> Aanmelding:
    """Record ``event`` on a request. Raises ``InvalidInput`` (400), ``TransitionNotAllowed`` or
    ``VersionConflict`` (409). The caller has checked the permission."""
    aanmelding = Aanmelding.objects.select_for_update().get(pk=aanmelding_id)
    if expected_version is not None and expected_version != aanmelding.versie:
        raise VersionConflict()
    event.datum = event.datum or today()
    org = _check_event(aanmelding, event)
    Gebeurtenis.objects.create(
        aanmelding=aanmelding,
        type=event.type,
        datum=event.datum,
        gepland_op=event.gepland_op if event.type == E.EERSTE_CONTACT_GEPLAND else None,
        organisatie=org,
        persoon=event.persoon.strip(),
        hulpvorm=event.hulpvorm if event.type == E.HULP_GESTART else "",
        reden=event.reden.strip(),
        door=user,
    )
    apply_event(aanmelding, event, org)
    aanmelding.versie = F("versie") + 1
    aanmelding.save()
    aanmelding.refresh_from_db()
    figures_cache.invalidate(aanmelding.partners.values("pk"))
    return aanmelding


def _bump(model, pk: int, expected_version: int) -> None:
    """Claim the next version of a row, or raise ``VersionConflict``."""
    updated = model.objects.filter(pk=pk, versie=expected_version).update(versie=F("versie") + 1)
    if not updated:
        raise VersionConflict(
            _("Iemand anders heeft dit gezin intussen gewijzigd. Uw wijziging is niet bewaard.")
        )


@transaction.atomic
def set_contact_point(
    gezin: Gezin, organisatie: Organisation | None, persoon: str, expected_version: int
) -> Gezin:
    """The family's one contact point (aanspreekpunt)."""
    _bump(Gezin, gezin.pk, expected_version)
    gezin.refresh_from_db()
    gezin.aanspreekpunt_organisatie = organisatie
    gezin.aanspreekpunt_persoon = persoon.strip()
    gezin.save()
    return gezin


@transaction.atomic
def save_plan(gezin: Gezin, doelen: str, organisaties, expected_version: int | None) -> Gezinsplan:
    """Create or update the family plan (goals, organisations taking part)."""
    plan, created = Gezinsplan.objects.get_or_create(gezin=gezin)
    if not created:
        if expected_version is None:
            raise VersionConflict()
        _bump(Gezinsplan, plan.pk, expected_version)
        plan.refresh_from_db()
    plan.doelen = doelen.strip()
    plan.save()
    plan.organisaties.set(organisaties)
    return plan
