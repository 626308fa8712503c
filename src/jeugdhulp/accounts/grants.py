"""Who may grant a role, and the approval of grants that need a second person.

A role is granted at once only by someone who may decide it: a platform beheerder, or the
organisatiebeheerder of that organisation (for any role but beheerder) — and never by the person
who receives it. Every other grant is a request (``aangevraagd``): a coördinator's invitation
for a partner, a beheerder giving themselves a role (four eyes). The organisation's
organisatiebeheerder or a platform beheerder approves or refuses it; the requester and the
person concerned never decide. A pending or refused membership counts nowhere
(``accounts.permissions.scope_of`` reads active ones only).

Every grant, approval and refusal is a change of a ``Membership`` row and so lands in the audit
log (``audit.signals`` records it through ``audit.services.record``, with the acting user and
the new status in the entry's text); the organisation's own history is on the approvals page.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jeugdhulp.accounts.models import Membership, MembershipStatus, Organisation, Role
from jeugdhulp.accounts.permissions import forget_scope, has_role, scope_of

# Roles whose holders approve or refuse grants.
DECIDING_ROLES = (Role.BEHEERDER, Role.ORGANISATIEBEHEERDER)


def may_grant(granter, user, organisation: Organisation, rol: str) -> bool:
    """May ``granter`` give ``user`` the role ``rol`` in ``organisation`` on their own?"""
    if not getattr(granter, "is_authenticated", False) or user is None:
        return False
    if granter.pk == user.pk:  # four eyes: nobody grants themselves a role
        return False
    scope = scope_of(granter)
    if scope.has(Role.BEHEERDER):
        return True
    return rol != Role.BEHEERDER and organisation.pk in scope.organisations(
        Role.ORGANISATIEBEHEERDER
    )


def may_decide(decider, membership: Membership) -> bool:
    """May ``decider`` approve or refuse the pending ``membership``? Not its requester, not the
    person concerned; the organisation's organisatiebeheerder or a platform beheerder."""
    return (
        membership is not None
        and membership.status == MembershipStatus.AANGEVRAAGD
        and getattr(decider, "pk", None) is not None
        and decider.pk != membership.aangevraagd_door_id
        and may_grant(decider, membership.user, membership.organisatie, membership.rol)
    )


@transaction.atomic
def grant(granter, user, organisation: Organisation, rol: str, membership=None) -> Membership:
    """Give ``user`` the role, or ask for it: active when ``granter`` may decide it alone,
    else ``aangevraagd``. ``membership`` is an unsaved or changed row (the admin's inline)."""
    item = membership or Membership(user=user, organisatie=organisation, rol=rol)
    now = timezone.now()
    item.aangevraagd_door = granter
    item.aangevraagd_op = now
    if may_grant(granter, user, organisation, rol):
        item.status, item.beslist_door, item.beslist_op = MembershipStatus.ACTIEF, granter, now
    else:
        item.status, item.beslist_door, item.beslist_op = MembershipStatus.AANGEVRAAGD, None, None
    item.clean()
    item.save()
    forget_scope(user)
    return item


@transaction.atomic
def decide(decider, membership_id: int, approve: bool) -> Membership:
    """Approve or refuse a pending membership; raises ``PermissionDenied`` when ``decider`` may
    not (also when someone else decided it in the meantime)."""
    item = (
        Membership.objects.select_for_update()
        .select_related("user", "organisatie")
        .get(pk=membership_id)
    )
    if not may_decide(decider, item):
        raise PermissionDenied
    item.status = MembershipStatus.ACTIEF if approve else MembershipStatus.GEWEIGERD
    item.beslist_door = decider
    item.beslist_op = timezone.now()
    item.save(update_fields=["status", "beslist_door", "beslist_op"])
    forget_scope(item.user)
    return item


def reviewable_memberships(user) -> QuerySet[Membership]:
    """The memberships whose grants ``user`` follows: every one for a platform beheerder, those
    of their own organisations for an organisatiebeheerder."""
    scope = scope_of(user)
    rows = Membership.objects.select_related(
        "user", "organisatie", "aangevraagd_door", "beslist_door"
    )
    if scope.has(Role.BEHEERDER):
        return rows
    own = scope.organisations(Role.ORGANISATIEBEHEERDER)
    if not own:
        return rows.none()
    return rows.filter(Q(organisatie_id__in=own))


@rules.predicate
def decides_membership(user, membership) -> bool:
    return may_decide(user, membership)


rules.add_perm("accounts.review_memberships", has_role(*DECIDING_ROLES))
rules.add_perm("accounts.decide_membership", decides_membership)
