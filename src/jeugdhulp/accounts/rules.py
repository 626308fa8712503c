"""Permissions of organisations, users and the admin."""

import rules

from jeugdhulp.accounts import grants  # noqa: F401 - registers the permissions of grants
from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import (
    add_model_perms,
    in_reach,
    is_beheerder,
    scope_of,
    visible_organisations,
)


@rules.predicate
def can_see_organisation(user, organisation) -> bool:
    if organisation is None:
        return bool(scope_of(user).roles)
    return visible_organisations(user).filter(pk=organisation.pk).exists()


# Organisations: seen by their members and network partners; changed by a beheerder.
rules.add_perm("accounts.see_organisation", is_beheerder | can_see_organisation)
# People: a beheerder manages everyone; a coördinator invites people for the partners of the
# networks and regions they coordinate.
rules.add_perm("accounts.manage_people", is_beheerder | in_reach(Role.COORDINATOR))
rules.add_perm("core.access_admin", is_beheerder)
add_model_perms("accounts", ["organisation", "user", "membership"], is_beheerder)
