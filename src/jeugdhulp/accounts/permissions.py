"""The one permission layer: "may this user do this action on this object?".

Every view, export and API endpoint asks ``can(user, "app.action", obj)`` (which is Django's
``user.has_perm``); the answers come from rule predicates registered with django-rules in each
app's ``rules.py``. This module holds the building blocks those rules share: who holds which role
in which organisation, and which organisations a role reaches (its scope).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import rules
from django.db import models

from jeugdhulp.accounts.models import (
    GROUPING_KINDS,
    GROUPING_ROLES,
    Membership,
    MembershipStatus,
    Organisation,
    Role,
)


@dataclass(frozen=True)
class Scope:
    """What one user's memberships reach, computed once per user object."""

    # role -> ids of the organisations where the user holds that role
    roles: dict[str, frozenset[int]] = field(default_factory=dict)
    # role -> ids reached through that role: the organisations themselves and, for a network or
    # region, every organisation taking part in it
    reach: dict[str, frozenset[int]] = field(default_factory=dict)
    # ids of the networks/regions the user's organisations take part in (or are)
    networks: frozenset[int] = frozenset()

    def has(self, *roles: str) -> bool:
        return any(self.roles.get(role) for role in roles)

    def organisations(self, *roles: str) -> frozenset[int]:
        """Ids of the organisations where the user holds one of ``roles`` (all roles if none)."""
        wanted = roles or tuple(self.roles)
        return frozenset().union(*(self.roles.get(r, frozenset()) for r in wanted))

    def reaches(self, *roles: str) -> frozenset[int]:
        wanted = roles or tuple(self.reach)
        return frozenset().union(*(self.reach.get(r, frozenset()) for r in wanted))


_CACHE_ATTRIBUTE = "_jeugdhulp_scope"


def scope_of(user) -> Scope:
    """The user's ``Scope``, cached on the user object for the length of a request.

    The one place that reads memberships: only active ones (approved, see ``accounts.grants``)
    in active organisations count, and a coördinator or analist role counts only where it makes
    sense, in a network or region (a row elsewhere, which validation refuses, reaches nothing).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    rows = [
        (role, org, kind)
        for role, org, kind in Membership.objects.filter(
            user=user, status=MembershipStatus.ACTIEF, organisatie__actief=True
        ).values_list("rol", "organisatie_id", "organisatie__soort")
        if role not in GROUPING_ROLES or kind in GROUPING_KINDS
    ]
    own = {org for _, org, _ in rows}
    groupings = {org for _, org, kind in rows if kind in GROUPING_KINDS}
    parents = set(
        Organisation.netwerken.through.objects.filter(from_organisation_id__in=own).values_list(
            "to_organisation_id", flat=True
        )
    )
    networks = frozenset(groupings | parents)
    members_of: dict[int, set[int]] = {}
    for parent, child in Organisation.netwerken.through.objects.filter(
        to_organisation_id__in=groupings
    ).values_list("to_organisation_id", "from_organisation_id"):
        members_of.setdefault(parent, set()).add(child)

    by_role: dict[str, set[int]] = {}
    for role, org, _ in rows:
        by_role.setdefault(role, set()).add(org)
    reach = {
        role: frozenset(orgs.union(*(members_of.get(o, set()) for o in orgs)))
        for role, orgs in by_role.items()
    }
    scope = Scope(
        roles={role: frozenset(orgs) for role, orgs in by_role.items()},
        reach=reach,
        networks=networks,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's memberships changed)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (a permission name such as ``"accounts.change_organisation"``)
    on ``obj``? The single question every view, export and API endpoint asks."""
    return bool(user and user.has_perm(action, obj))


def has_role(*roles: str):
    """A rules predicate: the user holds one of ``roles`` somewhere."""

    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user) -> bool:
        return scope_of(user).has(*roles)

    return predicate


is_beheerder = has_role(Role.BEHEERDER)
is_coordinator = has_role(Role.COORDINATOR)
is_analist = has_role(Role.ANALIST)
is_organisatiebeheerder = has_role(Role.ORGANISATIEBEHEERDER)


def organisation_ids(obj) -> Iterable[int]:
    """The organisation ids an object belongs to, for scope checks.

    An organisation belongs to itself; any other model says so with a
    ``permission_organisation_ids()`` method.
    """
    if isinstance(obj, Organisation):
        return [obj.pk]
    getter = getattr(obj, "permission_organisation_ids", None)
    if getter is None:
        raise TypeError(f"{type(obj).__name__} has no permission_organisation_ids()")
    return getter()


def in_reach(*roles: str):
    """A rules predicate over an object with organisations: one of them is reached by ``roles``."""

    @rules.predicate(name=f"in_reach({', '.join(roles)})")
    def predicate(user, obj) -> bool:
        if obj is None:
            return False
        reached = scope_of(user).reaches(*roles)
        return any(org in reached for org in organisation_ids(obj))

    return predicate


def add_model_perms(app_label: str, model_names: Iterable[str], predicate, actions=None) -> None:
    """Register Django's model permissions (used by the admin) for ``model_names``, and the
    admin's module permission of ``app_label`` for the same predicate (``add_admin_module``)."""
    for model in model_names:
        for action in actions or ("view", "add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model}", predicate)
    add_admin_module(app_label, predicate)


def add_admin_module(app_label: str, predicate) -> None:
    """Let the holders of ``predicate`` see ``app_label``'s section of the admin.

    The admin lists an app, and answers its pages, only when ``user.has_module_perms(app_label)``;
    django-rules answers that with the rule named after the bare app label. Without it the
    model permissions above are never asked and the admin shows no module at all. Registering
    twice widens the rule (either predicate suffices)."""
    if rules.perm_exists(app_label):
        rules.set_perm(app_label, rules.permissions.permissions[app_label] | predicate)
    else:
        rules.add_perm(app_label, predicate)


def visible_organisations(user):
    """The organisations ``user`` may see: everything for a beheerder; else the user's own,
    the networks and regions they take part in, and the partners in those networks."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    scope = scope_of(user)
    if scope.has(Role.BEHEERDER):
        return Organisation.objects.all()
    ids = set(scope.organisations()) | set(scope.networks)
    partners = Organisation.netwerken.through.objects.filter(
        to_organisation_id__in=scope.networks
    ).values_list("from_organisation_id", flat=True)
    return Organisation.objects.filter(models.Q(pk__in=ids) | models.Q(pk__in=partners))
