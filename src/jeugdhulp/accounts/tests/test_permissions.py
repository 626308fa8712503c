"""The permission matrix: role × action × own/other organisation."""

import pytest

from jeugdhulp.accounts.models import OrganisationKind, Role
from jeugdhulp.accounts.permissions import can, forget_scope, scope_of, visible_organisations

# Where each role sits in the ``network`` fixture.
SEATS = {
    Role.AANMELDER: "partner",
    Role.MEDEWERKER_VOORZIENING: "partner",
    Role.COORDINATOR: "network",
    Role.ANALIST: "region",
    Role.BEHEERDER: "beheer",
}

# action -> role -> (allowed on an organisation of their own network, on an outside organisation)
MATRIX = {
    "accounts.see_organisation": {
        Role.AANMELDER: (True, False),
        Role.MEDEWERKER_VOORZIENING: (True, False),
        Role.COORDINATOR: (True, False),
        Role.ANALIST: (True, False),
        Role.BEHEERDER: (True, True),
    },
    "accounts.manage_people": {
        Role.AANMELDER: (False, False),
        Role.MEDEWERKER_VOORZIENING: (False, False),
        Role.COORDINATOR: (True, False),
        Role.ANALIST: (False, False),
        Role.BEHEERDER: (True, True),
    },
}

# Actions without an object: only a beheerder.
GLOBAL_ACTIONS = [
    "core.access_admin",
    "audit.view_auditevent",
    "accounts.change_organisation",
    "accounts.add_user",
    "accounts.change_membership",
]


@pytest.fixture
def seated(network, make_organisation, make_user):
    beheer = make_organisation(OrganisationKind.ANDERE, code="BEHEER")
    seats = {**network, "beheer": beheer}
    return {role: make_user(role, seats[SEATS[role]]) for role in SEATS}


@pytest.mark.parametrize("action", sorted(MATRIX))
@pytest.mark.parametrize("role", list(SEATS))
def test_object_permission_matrix(seated, network, action, role):
    own, other = MATRIX[action][role]
    user = seated[role]
    assert can(user, action, network["partner"]) is own
    assert can(user, action, network["outsider"]) is other


@pytest.mark.parametrize("action", GLOBAL_ACTIONS)
@pytest.mark.parametrize("role", list(SEATS))
def test_global_actions_are_for_the_beheerder_only(seated, action, role):
    assert can(seated[role], action) is (role == Role.BEHEERDER)


def test_anonymous_and_inactive_users_may_do_nothing(seated, network):
    from django.contrib.auth.models import AnonymousUser

    inactive = seated[Role.BEHEERDER]
    inactive.is_active = False
    forget_scope(inactive)
    for user in (AnonymousUser(), inactive):
        assert not can(user, "core.access_admin")
        assert not can(user, "accounts.see_organisation", network["partner"])


def test_a_user_without_any_role_sees_no_organisation(make_user, network):
    user = make_user()
    assert not can(user, "accounts.see_organisation", network["partner"])
    assert list(visible_organisations(user)) == []


def test_coordinator_reach_is_the_network_and_its_partners(seated, network):
    reach = scope_of(seated[Role.COORDINATOR]).reaches(Role.COORDINATOR)
    assert reach == {network["network"].pk, network["partner"].pk, network["partner2"].pk}


def test_partner_sees_its_network_partners_but_not_other_networks(seated, network):
    codes = set(visible_organisations(seated[Role.AANMELDER]).values_list("code", flat=True))
    assert codes == {"IN-1", "IN-2", "NET-T", "IROJ-T"}


def test_scope_is_recomputed_after_forget(seated, network, make_organisation):
    from jeugdhulp.accounts.models import Membership

    user = seated[Role.AANMELDER]
    assert not can(user, "accounts.see_organisation", network["outsider"])
    Membership.objects.create(user=user, organisatie=network["outsider"], rol=Role.AANMELDER)
    forget_scope(user)
    assert can(user, "accounts.see_organisation", network["outsider"])


def test_coordinator_membership_must_be_in_a_network_or_region(make_user, network):
    from django.core.exceptions import ValidationError

    from jeugdhulp.accounts.models import Membership

    user = make_user()
    membership = Membership(user=user, organisatie=network["partner"], rol=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        membership.full_clean()
