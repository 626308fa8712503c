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
    Role.ORGANISATIEBEHEERDER: "partner",
    Role.BEHEERDER: "beheer",
}

# action -> role -> (allowed on an organisation of their own network, on an outside organisation)
MATRIX = {
    "accounts.see_organisation": {
        Role.AANMELDER: (True, False),
        Role.MEDEWERKER_VOORZIENING: (True, False),
        Role.COORDINATOR: (True, False),
        Role.ANALIST: (True, False),
        Role.ORGANISATIEBEHEERDER: (True, False),
        Role.BEHEERDER: (True, True),
    },
    "accounts.manage_people": {
        Role.AANMELDER: (False, False),
        Role.MEDEWERKER_VOORZIENING: (False, False),
        Role.COORDINATOR: (True, False),
        Role.ANALIST: (False, False),
        Role.ORGANISATIEBEHEERDER: (False, False),
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


# --- who else: users of another network and region, a partner-level analist, an invited account
# before and after approval, a beheerder before and after a four-eyes grant ---------------------

# Actions on the partner IN-1 and what reaches it; each column a different kind of power.
PARTNER_ACTIONS = [
    "see_partner",  # accounts.see_organisation on IN-1
    "provider_of_partner",  # reads IN-1's inbox and contact details
    "organises_rounds",  # rounds.add_round (anywhere)
    "kpis_of_network",  # aanmeldingen.view_dashboard for NET-T
    "reviews_grants",  # accounts.review_memberships
]


def powers(user, network) -> dict[str, bool]:
    from jeugdhulp.aanmeldingen.rules import may_see_kpis

    forget_scope(user)
    return {
        "see_partner": can(user, "accounts.see_organisation", network["partner"]),
        "provider_of_partner": network["partner"].pk
        in scope_of(user).organisations(Role.MEDEWERKER_VOORZIENING),
        "organises_rounds": can(user, "rounds.add_round"),
        "kpis_of_network": may_see_kpis(user, network["network"]),
        "reviews_grants": can(user, "accounts.review_memberships"),
    }


def expect(*true_ones: str) -> dict[str, bool]:
    return {action: action in true_ones for action in PARTNER_ACTIONS}


@pytest.fixture
def others(network, make_organisation, make_user):
    """Users of another network and of another region."""
    other_region = make_organisation(OrganisationKind.IROJ, code="IROJ-X")
    network["outsider"].netwerken.add(other_region)
    return {
        "coordinator_other_network": make_user(Role.COORDINATOR, network["other_network"]),
        "analist_other_region": make_user(Role.ANALIST, other_region),
        "provider_other_network": make_user(Role.MEDEWERKER_VOORZIENING, network["outsider"]),
    }


@pytest.mark.parametrize(
    "who, allowed",
    [
        # They organise rounds of their own network or region, but reach nothing of this one.
        ("coordinator_other_network", expect("organises_rounds")),
        ("analist_other_region", expect("organises_rounds")),
        ("provider_other_network", expect()),
    ],
)
def test_users_of_another_network_or_region_reach_nothing_of_this_one(
    others, network, who, allowed
):
    assert powers(others[who], network) == allowed


def test_a_partner_level_analist_cannot_be_created_and_an_old_one_reaches_nothing(
    network, make_user
):
    from django.core.exceptions import ValidationError

    from jeugdhulp.accounts.models import Membership

    user = make_user()
    membership = Membership(user=user, organisatie=network["partner"], rol=Role.ANALIST)
    with pytest.raises(ValidationError, match="samenwerkingsverband of een regio"):
        membership.full_clean()
    membership.save()  # as the admin used to accept it
    # The row counts nowhere: no organiser or KPI power, not even the partner itself.
    assert powers(user, network) == expect()


def test_an_invited_account_reaches_the_partner_only_after_approval(network, make_user):
    from jeugdhulp.accounts.grants import decide, grant

    coordinator = make_user(Role.COORDINATOR, network["network"])
    orgbeheerder = make_user(Role.ORGANISATIEBEHEERDER, network["partner"])
    invited = make_user()
    membership = grant(coordinator, invited, network["partner"], Role.MEDEWERKER_VOORZIENING)
    assert powers(invited, network) == expect()
    decide(orgbeheerder, membership.pk, approve=True)
    assert powers(invited, network) == expect("see_partner", "provider_of_partner")


def test_a_beheerder_reaches_a_partners_inbox_only_after_a_four_eyes_grant(
    network, make_organisation, make_user
):
    from django.core.exceptions import PermissionDenied

    from jeugdhulp.accounts.grants import decide, grant

    beheer = make_organisation(OrganisationKind.ANDERE, code="BEHEER")
    bea = make_user(Role.BEHEERDER, beheer)
    bert = make_user(Role.BEHEERDER, beheer)
    before = expect("see_partner", "reviews_grants")
    assert powers(bea, network) == before
    membership = grant(bea, bea, network["partner"], Role.MEDEWERKER_VOORZIENING)
    assert membership.is_pending and powers(bea, network) == before
    with pytest.raises(PermissionDenied):
        decide(bea, membership.pk, approve=True)
    decide(bert, membership.pk, approve=True)
    assert powers(bea, network) == expect("see_partner", "provider_of_partner", "reviews_grants")


def test_an_organisatiebeheerder_may_not_grant_the_beheerder_role(network, make_user):
    from jeugdhulp.accounts.grants import grant

    orgbeheerder = make_user(Role.ORGANISATIEBEHEERDER, network["partner"])
    membership = grant(orgbeheerder, make_user(), network["partner"], Role.BEHEERDER)
    assert membership.is_pending
