"""Recording assessments, choosing and versioning rule sets, who sees which assessments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from jeugdhulp.aanmeldingen import access
from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin
from jeugdhulp.accounts.models import Organisation, OrganisationKind, Role
from jeugdhulp.accounts.permissions import scope_of
from jeugdhulp.triage import engine
from jeugdhulp.triage.codes import invalid_capj_codes, invalid_scores, scale_totals
from jeugdhulp.triage.models import Assessment, Route, RuleSet, RuleSetVersion

DEFAULT_NAME = "Standaardregels van het platform"


class InvalidAssessment(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def default_ruleset() -> RuleSet:
    """The platform's rule set (no network, no municipality), started from the starter rules."""
    ruleset, created = RuleSet.objects.get_or_create(
        organisatie=None, gemeente="", defaults={"naam": DEFAULT_NAME}
    )
    if created or not ruleset.versies.exists():
        save_version(ruleset, engine.STARTER_RULESET, None, "Startregels van het platform.")
    return ruleset


def existing_default_ruleset() -> RuleSet | None:
    """The platform's rule set if it was stored already (reading never creates it)."""
    return (
        RuleSet.objects.filter(organisatie=None, gemeente="", versies__isnull=False)
        .order_by("pk")
        .first()
    )


def applicable_ruleset(
    gemeente: str, organisation_ids: Iterable[int], create: bool = True
) -> RuleSet:
    """The rules for a request: its municipality's own set, else the set of a network (then a
    region) its organisations take part in, else the platform default. Only sets with at
    least one version count. ``create=False`` (for a GET) never stores the platform default."""
    with_rules = RuleSet.objects.filter(versies__isnull=False).distinct()
    local = with_rules.filter(gemeente=gemeente).exclude(gemeente="").order_by("pk").first()
    if local:
        return local
    ids = set(organisation_ids)
    groupings = (
        set(
            Organisation.netwerken.through.objects.filter(from_organisation_id__in=ids).values_list(
                "to_organisation_id", flat=True
            )
        )
        | ids
    )
    for kind in (OrganisationKind.SAMENWERKINGSVERBAND, OrganisationKind.IROJ):
        found = (
            with_rules.filter(organisatie_id__in=groupings, organisatie__soort=kind, gemeente="")
            .order_by("pk")
            .first()
        )
        if found:
            return found
    if not create:
        # A page only shows which rules will apply: it names the platform's rules unsaved.
        return existing_default_ruleset() or RuleSet(naam=DEFAULT_NAME)
    return default_ruleset()


@transaction.atomic
def save_version(ruleset: RuleSet, regels, user, toelichting: str = "") -> RuleSetVersion:
    """Validate ``regels`` and store them as the next version; raises ``engine.RuleSetError``."""
    engine.parse_ruleset(regels)
    RuleSet.objects.select_for_update().filter(pk=ruleset.pk).first()
    last = ruleset.versies.aggregate(last=Max("versie"))["last"] or 0
    return RuleSetVersion.objects.create(
        regelset=ruleset,
        versie=last + 1,
        regels=regels,
        toelichting=toelichting,
        gemaakt_door=user if getattr(user, "is_authenticated", False) else None,
    )


def request_context(target: Aanmelding | Gezin) -> tuple[str, set[int]]:
    """Municipality and organisations deciding which rules apply to a request or family."""
    requests = [target] if isinstance(target, Aanmelding) else list(target.aanmeldingen.all())
    if not requests:
        raise InvalidAssessment(["dit gezin heeft nog geen aanmelding"])
    latest = max(requests, key=lambda a: (a.aangemeld_op, a.pk))
    orgs = {p.pk for a in requests for p in a.partners.all()}
    orgs |= {a.aanmelder_organisatie_id for a in requests if a.aanmelder_organisatie_id}
    return latest.gemeente, orgs


@transaction.atomic
def create_assessment(
    user, target: Aanmelding | Gezin, capj: list[str], step: dict[str, int]
) -> Assessment:
    """Record an assessment and its advice under the current rules for the request."""
    problems = [f"CAP-J-code '{code}' bestaat niet" for code in invalid_capj_codes(capj)]
    problems += invalid_scores(step)
    if not capj:
        problems.append("kies minstens één CAP-J-code")
    if problems:
        raise InvalidAssessment(problems)
    gemeente, orgs = request_context(target)
    version = applicable_ruleset(gemeente, orgs).current()
    advice = engine.evaluate(engine.parse_ruleset(version.regels), step, capj)
    totals = scale_totals(step)
    own = scope_of(user).organisations(*access.REGISTERING_ROLES)
    return Assessment.objects.create(
        aanmelding=target if isinstance(target, Aanmelding) else None,
        gezin=target if isinstance(target, Gezin) else None,
        gemeente=gemeente,
        capj=sorted(set(capj)),
        step=step,
        totaal_fj=totals["FJ"],
        totaal_ko=totals["KO"],
        totaal_zz=totals["ZZ"],
        totaal_uz=totals["UZ"],
        regelset_versie=version,
        advies=advice.advies,
        advies_regel=advice.rule.code if advice.rule else "",
        uitleg=advice.explanation(),
        gemaakt_door=user,
        organisatie=Organisation.objects.filter(pk__in=own).order_by("pk").first(),
    )


@transaction.atomic
def record_decision(user, assessment: Assessment, beslissing: str, reden: str) -> Assessment:
    """The professional's decision; one that differs from the advice needs a reason."""
    reden = reden.strip()
    if beslissing not in Route.values:
        raise InvalidAssessment([f"beslissing '{beslissing}' is onbekend"])
    if beslissing != assessment.advies and not reden:
        raise InvalidAssessment(["geef een reden wanneer de beslissing afwijkt van het advies"])
    assessment.beslissing = beslissing
    assessment.beslissing_reden = reden
    assessment.beslist_door = user
    assessment.beslist_op = timezone.now()
    assessment.save(update_fields=["beslissing", "beslissing_reden", "beslist_door", "beslist_op"])
    return assessment


def _on_requests(requests: QuerySet) -> Q:
    """Assessments of those requests, or of the families of those requests."""
    return Q(aanmelding__in=requests) | Q(gezin__aanmeldingen__in=requests)


def visible_assessments(user) -> QuerySet[Assessment]:
    """What a registrant, provider or coordinator sees: the assessments of the requests (and
    families of the requests) they may see."""
    return Assessment.objects.filter(_on_requests(access.visible_requests(user))).distinct()


def reported_assessments(user) -> QuerySet[Assessment]:
    """What the reports count: assessments of requests addressed to an organisation that the
    user's coordinator or analist role reaches."""
    reach = scope_of(user).reaches(Role.COORDINATOR, Role.ANALIST)
    requests = Aanmelding.objects.filter(pk__in=access.addressed_to(reach))
    return Assessment.objects.filter(_on_requests(requests)).distinct()


def may_assess(user, target: Aanmelding | Gezin) -> bool:
    """A registrant or provider who may see the request (or one of the family's requests)."""
    if not scope_of(user).has(*access.REGISTERING_ROLES):
        return False
    requests = [target] if isinstance(target, Aanmelding) else target.aanmeldingen.all()
    return any(access.may_view(user, a) for a in requests)


def may_view_assessment(user, assessment: Assessment) -> bool:
    target = assessment.aanmelding or assessment.gezin
    requests = [target] if isinstance(target, Aanmelding) else target.aanmeldingen.all()
    return any(access.may_view(user, a) for a in requests)
