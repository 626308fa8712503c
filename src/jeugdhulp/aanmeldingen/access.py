"""Who sees which requests, and who sees a family's contact details.

- the registrant: the requests they registered themselves (not those of colleagues: a family's
  consent is given to the professional who registers, and to the providers asked);
- a provider (medewerker_voorziening): the requests addressed to its organisation;
- a coordinator: every request addressed to a partner of the networks or regions they coordinate,
  without contact details;
- an analist: KPIs of the networks in reach, no requests; a beheerder: no requests.
Contact details: only the registrant and the addressed providers, until they are erased.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin
from jeugdhulp.accounts.models import GROUPING_KIND_VALUES, Organisation, OrganisationKind, Role
from jeugdhulp.accounts.permissions import scope_of

PARTNERS = Aanmelding.partners.through
REGISTERING_ROLES = (Role.AANMELDER, Role.MEDEWERKER_VOORZIENING)


def provider_organisations(user) -> frozenset[int]:
    return scope_of(user).organisations(Role.MEDEWERKER_VOORZIENING)


def coordinated_organisations(user) -> frozenset[int]:
    return scope_of(user).reaches(Role.COORDINATOR)


def addressed_to(org_ids) -> QuerySet:
    return PARTNERS.objects.filter(organisatie_id__in=org_ids).values("aanmelding_id")


def visible_requests(user) -> QuerySet[Aanmelding]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Aanmelding.objects.none()
    reach = provider_organisations(user) | coordinated_organisations(user)
    condition = Q(aangemeld_door=user)
    if reach:
        condition |= Q(pk__in=addressed_to(reach))
    return Aanmelding.objects.filter(condition)


def _partner_ids(aanmelding: Aanmelding) -> set[int]:
    return set(aanmelding.permission_organisation_ids())


def is_addressed_provider(user, aanmelding: Aanmelding) -> bool:
    return bool(_partner_ids(aanmelding) & provider_organisations(user))


def may_view(user, aanmelding: Aanmelding) -> bool:
    if aanmelding.aangemeld_door_id is not None and aanmelding.aangemeld_door_id == user.pk:
        return True
    return bool(
        _partner_ids(aanmelding) & (provider_organisations(user) | coordinated_organisations(user))
    )


def may_see_contact(user, aanmelding: Aanmelding) -> bool:
    if aanmelding.gezin.contact_gewist_op is not None:
        return False
    return aanmelding.aangemeld_door_id == user.pk or is_addressed_provider(user, aanmelding)


def may_see_family_contact(user, gezin: Gezin) -> bool:
    """The contact details of a family: seen by whoever may see them on one of its requests."""
    return any(may_see_contact(user, a) for a in gezin.aanmeldingen.all())


def may_register(user) -> bool:
    return scope_of(user).has(*REGISTERING_ROLES)


def registrant_organisation(user) -> Organisation | None:
    ids = scope_of(user).organisations(*REGISTERING_ROLES)
    return Organisation.objects.filter(pk__in=ids).order_by("pk").first()


def addressable_partners(user) -> QuerySet[Organisation]:
    """Organisations a user may address a request to: the non-grouping partners of the networks
    their organisations take part in, and their own organisations."""
    scope = scope_of(user)
    own = scope.organisations(*REGISTERING_ROLES)
    return (
        Organisation.objects.filter(actief=True)
        .exclude(soort__in=GROUPING_KIND_VALUES)
        .filter(Q(netwerken__in=scope.networks) | Q(pk__in=own))
        .distinct()
        .order_by("naam")
    )


def kpi_networks(user) -> QuerySet[Organisation]:
    """Networks (and regions) whose KPIs a user may see: those they coordinate or analyse, and,
    for an analist of an IROJ region, every network with a partner in that region. Only roles
    held in a network or region count (``scope_of`` ignores a coördinator or analist role at a
    partner), so a partner-level role reaches no KPIs."""
    scope = scope_of(user)
    reached = scope.reaches(Role.COORDINATOR, Role.ANALIST)
    regions = Organisation.objects.filter(
        pk__in=scope.organisations(Role.ANALIST), soort=OrganisationKind.IROJ
    )
    region_partners = Organisation.netwerken.through.objects.filter(
        to_organisation__in=regions
    ).values("from_organisation_id")
    return (
        Organisation.objects.filter(soort__in=GROUPING_KIND_VALUES)
        .filter(Q(pk__in=reached) | Q(deelnemers__in=region_partners))
        .distinct()
        .order_by("naam")
    )
