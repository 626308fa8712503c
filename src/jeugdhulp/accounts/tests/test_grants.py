"""Grants need the right person; roles only where they make sense (issue #12, findings 1 and 2).

Each attack test mounts the path as an attacker would (through the screens and the admin) and
checks that it no longer reaches a family's contact details or organiser powers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from jeugdhulp.accounts.grants import grant, may_decide, may_grant
from jeugdhulp.accounts.models import (
    GROUPING_KIND_VALUES,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from jeugdhulp.accounts.permissions import can, forget_scope, scope_of
from jeugdhulp.accounts.tests.conftest import PHONE
from jeugdhulp.audit.models import AuditEvent

PASSWORD = "een-heel-goed-wachtwoord-42"


def accept_invitation(client, message) -> None:
    url = re.search(r"http://testserver(/\S+)", message.body).group(1)
    client.logout()
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302


def log_in(client, username: str, password: str = PASSWORD) -> None:
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302


def reads_contact_details(client, aanmelding) -> bool:
    response = client.get(reverse("aanmeldingen:detail", args=[aanmelding.pk]))
    return response.status_code == 200 and PHONE in response.content.decode()


# --- finding 1: a coordinator's invitation for a provider role -------------------------------


def test_a_coordinators_invitee_reads_no_contact_details_until_the_partner_approves(
    client, network, people, family_request
):
    client.force_login(people["coordinator"])
    form = {
        "voornaam": "Mal",
        "achternaam": "Ory",
        "email": "mallory@example.invalid",
        "organisatie": network["partner"].pk,
        "rol": Role.MEDEWERKER_VOORZIENING,
    }
    response = client.post(reverse("uitnodigen"), form, follow=True)
    assert "wacht" in response.content.decode()  # the coordinator is told it needs approval
    accept_invitation(client, mail.outbox[0])
    log_in(client, "mallory@example.invalid")

    # The attack of issue #12: the invited account opens the partner's request and inbox.
    assert not reads_contact_details(client, family_request)
    inbox = client.get(reverse("aanmeldingen:lijst"))
    assert inbox.status_code == 403 or "Gezin Fictief" not in inbox.content.decode()
    membership = Membership.objects.get(user__username="mallory@example.invalid")
    assert membership.status == MembershipStatus.AANGEVRAAGD
    assert membership.aangevraagd_door == people["coordinator"]

    # The coordinator cannot approve their own request.
    client.force_login(people["coordinator"])
    assert client.get(reverse("rollen")).status_code == 403
    client.post(reverse("rollen_beslissen", args=[membership.pk, "goedkeuren"]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.AANGEVRAAGD

    # The partner's organisatiebeheerder approves: now the employee reads their inbox.
    client.force_login(people["orgbeheerder"])
    page = client.get(reverse("rollen")).content.decode()
    assert "mallory@example.invalid" in page
    client.post(reverse("rollen_beslissen", args=[membership.pk, "goedkeuren"]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIEF
    assert membership.beslist_door == people["orgbeheerder"]
    log_in(client, "mallory@example.invalid")
    assert reads_contact_details(client, family_request)


def test_the_partners_organisatiebeheerder_is_asked_by_mail_without_personal_data(
    client, network, people
):
    client.force_login(people["coordinator"])
    form = {
        "voornaam": "Geheim",
        "achternaam": "Persoon",
        "email": "geheim@example.invalid",
        "organisatie": network["partner"].pk,
        "rol": Role.MEDEWERKER_VOORZIENING,
    }
    client.post(reverse("uitnodigen"), form)
    invitation, request_mail = mail.outbox
    assert invitation.to == ["geheim@example.invalid"] and "goedkeurt" in invitation.body
    assert request_mail.to == ["orgbeheer@example.invalid"]
    assert "http://testserver" + reverse("rollen") in request_mail.body
    assert "Geheim" not in request_mail.body and "geheim@" not in request_mail.body


def test_a_refused_invitation_never_reaches_the_partner(client, network, people, family_request):
    client.force_login(people["coordinator"])
    form = {
        "voornaam": "Re",
        "achternaam": "Fused",
        "email": "refused@example.invalid",
        "organisatie": network["partner"].pk,
        "rol": Role.MEDEWERKER_VOORZIENING,
    }
    client.post(reverse("uitnodigen"), form)
    membership = Membership.objects.get(user__username="refused@example.invalid")
    client.force_login(people["orgbeheerder"])
    client.post(reverse("rollen_beslissen", args=[membership.pk, "weigeren"]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.GEWEIGERD
    # A refused request cannot be approved afterwards, not even by a beheerder.
    client.force_login(people["beheerder"])
    client.post(reverse("rollen_beslissen", args=[membership.pk, "goedkeuren"]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.GEWEIGERD
    accept_invitation(client, mail.outbox[0])
    log_in(client, "refused@example.invalid")
    assert not reads_contact_details(client, family_request)
    assert scope_of(membership.user).roles == {}


def test_an_organisatiebeheerder_invites_for_their_own_organisation_at_once(
    client, network, people
):
    client.force_login(people["orgbeheerder"])
    form = {
        "voornaam": "Col",
        "achternaam": "Lega",
        "email": "collega@example.invalid",
        "organisatie": network["partner"].pk,
        "rol": Role.MEDEWERKER_VOORZIENING,
    }
    assert client.post(reverse("uitnodigen"), form).status_code == 302
    assert Membership.objects.get(user__username="collega@example.invalid").is_active
    # ... but not for another organisation, not even one of the same network.
    form = {**form, "email": "ander@example.invalid", "organisatie": network["partner2"].pk}
    response = client.post(reverse("uitnodigen"), form)
    assert response.status_code == 200 and "organisatie" in response.context["form"].errors


def test_grants_approvals_and_refusals_are_in_the_audit_log_with_who_did_it(
    client, network, people
):
    client.force_login(people["coordinator"])
    for email in ("a@example.invalid", "b@example.invalid"):
        form = {
            "voornaam": "X",
            "achternaam": "Y",
            "email": email,
            "organisatie": network["partner"].pk,
            "rol": Role.AANMELDER,
        }
        client.post(reverse("uitnodigen"), form)
    first, second = Membership.objects.filter(
        user__email__in=["a@example.invalid", "b@example.invalid"]
    ).order_by("user__email")
    client.force_login(people["orgbeheerder"])
    client.post(reverse("rollen_beslissen", args=[first.pk, "goedkeuren"]))
    client.post(reverse("rollen_beslissen", args=[second.pk, "weigeren"]))
    events = AuditEvent.objects.filter(object_type="accounts.membership")
    requested = events.filter(object_id=str(first.pk), action="create").get()
    assert requested.username == "coord" and "Aangevraagd" in requested.object_repr
    approved = events.filter(object_id=str(first.pk), action="update").get()
    assert approved.username == "orgbeheer" and "status" in approved.fields
    assert "Actief" in approved.object_repr
    refused = events.filter(object_id=str(second.pk), action="update").get()
    assert refused.username == "orgbeheer" and "Geweigerd" in refused.object_repr
    # The organisation concerned sees the history on its page.
    history = client.get(reverse("rollen")).content.decode()
    assert "a@example.invalid" not in history or "Actief" in history
    assert history.count("Geweigerd") >= 1 and "coord" in history


def test_an_organisatiebeheerder_sees_only_their_own_organisations_requests(
    client, network, people, make_user
):
    other = make_user(Role.ORGANISATIEBEHEERDER, network["partner2"], username="other_admin")
    pending = grant(people["coordinator"], make_user(username="x"), network["partner"], "aanmelder")
    assert pending.is_pending
    client.force_login(other)
    assert "x" not in [
        m["membership"].user.username for m in client.get(reverse("rollen")).context["pending"]
    ]
    response = client.post(reverse("rollen_beslissen", args=[pending.pk, "goedkeuren"]))
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


# --- finding 1: a beheerder gives themselves a provider role in the admin --------------------


def admin_roles_post(client, user, new_roles):
    """Post the admin's change form of ``user`` with its roles plus ``new_roles``."""
    existing = list(user.memberships.order_by("pk"))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(existing) + len(new_roles)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    rows = [(m.pk, m.organisatie_id, m.rol) for m in existing]
    rows += [("", org.pk, rol) for org, rol in new_roles]
    for index, (pk, org, rol) in enumerate(rows):
        data[f"memberships-{index}-id"] = pk
        data[f"memberships-{index}-user"] = user.pk
        data[f"memberships-{index}-organisatie"] = org
        data[f"memberships-{index}-rol"] = rol
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_a_beheerders_own_provider_role_from_the_admin_needs_a_second_beheerder(
    client, network, people, family_request
):
    bea = people["beheerder"]
    client.force_login(bea)
    response = admin_roles_post(client, bea, [(network["partner"], Role.MEDEWERKER_VOORZIENING)])
    assert response.status_code == 302
    # The attack: the beheerder reads the family's contact details. Not without four eyes.
    assert not reads_contact_details(client, family_request)
    membership = bea.memberships.get(rol=Role.MEDEWERKER_VOORZIENING)
    assert membership.status == MembershipStatus.AANGEVRAAGD
    # Nor can they approve it themselves, on the approvals page or by flipping it in the admin.
    client.post(reverse("rollen_beslissen", args=[membership.pk, "goedkeuren"]))
    membership.refresh_from_db()
    assert membership.is_pending
    admin_roles_post(client, bea, [])
    membership.refresh_from_db()
    assert membership.is_pending

    client.force_login(people["beheerder2"])
    client.post(reverse("rollen_beslissen", args=[membership.pk, "goedkeuren"]))
    membership.refresh_from_db()
    assert membership.is_active and membership.beslist_door == people["beheerder2"]
    client.force_login(bea)
    assert reads_contact_details(client, family_request)


def test_a_beheerder_moving_their_own_role_to_another_organisation_asks_again(
    client, network, people
):
    bea = people["beheerder"]
    own = grant(people["beheerder2"], bea, network["partner2"], Role.MEDEWERKER_VOORZIENING)
    assert own.is_active
    client.force_login(bea)
    data_rows = list(bea.memberships.order_by("pk"))
    response = admin_roles_post(client, bea, [])
    assert response.status_code == 302
    # Change the organisation of the active role to IN-1 in the admin.
    existing = list(bea.memberships.order_by("pk"))
    data = {
        "username": bea.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(existing)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, m in enumerate(existing):
        org = network["partner"].pk if m.pk == own.pk else m.organisatie_id
        data.update(
            {
                f"memberships-{index}-id": m.pk,
                f"memberships-{index}-user": bea.pk,
                f"memberships-{index}-organisatie": org,
                f"memberships-{index}-rol": m.rol,
            }
        )
    assert len(data_rows) == len(existing)
    assert (
        client.post(reverse("admin:accounts_user_change", args=[bea.pk]), data).status_code == 302
    )
    own.refresh_from_db()
    assert own.organisatie == network["partner"] and own.is_pending


def test_a_beheerder_grants_someone_else_a_role_at_once(client, network, people, make_user):
    someone = make_user(username="someone")
    client.force_login(people["beheerder"])
    admin_roles_post(client, someone, [(network["partner"], Role.MEDEWERKER_VOORZIENING)])
    membership = someone.memberships.get()
    assert membership.is_active and membership.beslist_door == people["beheerder"]


# --- finding 2: organiser powers from a partner-level analist ---------------------------------


@pytest.mark.parametrize("role", [Role.ANALIST, Role.COORDINATOR])
def test_the_admin_refuses_an_analist_or_coordinator_at_a_partner_organisation(
    client, network, people, make_user, role
):
    target = make_user(username="target")
    client.force_login(people["beheerder"])
    response = admin_roles_post(client, target, [(network["partner"], role)])
    assert response.status_code == 200  # the form comes back with the error
    assert "samenwerkingsverband of een regio" in response.content.decode()
    assert not target.memberships.exists()


def test_an_analist_at_a_partner_is_refused_by_validation(make_user, network):
    from django.core.exceptions import ValidationError

    membership = Membership(user=make_user(), organisatie=network["partner"], rol=Role.ANALIST)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "organisatie" in error.value.message_dict


@pytest.fixture
def partner_analist(network, make_user):
    """A partner-level analist as the admin used to accept it (validation bypassed)."""
    return make_user(Role.ANALIST, network["partner"], username="partner_analist")


def test_a_partner_level_analist_gets_no_organiser_powers(client, network, partner_analist):
    client.force_login(partner_analist)
    # The attack of issue #12: create a round inviting every partner, read KPIs.
    assert client.get(reverse("rounds:nieuw")).status_code in (403, 404)
    dashboard = client.get(reverse("aanmeldingen:dashboard"), {"netwerk": "NET-T"})
    assert dashboard.status_code in (403, 404)
    assert not can(partner_analist, "rounds.add_round")
    assert not can(partner_analist, "aanmeldingen.view_dashboard")
    assert not can(partner_analist, "results.list_runs")
    assert scope_of(partner_analist).reaches() == frozenset()


def test_a_partner_level_analist_sees_no_round_it_organised(network, partner_analist):
    from jeugdhulp.reference.models import AreaSet
    from jeugdhulp.rounds.models import Round

    area_set = AreaSet.objects.create(code="SET", naam="Set")
    ronde = Round.objects.create(
        naam="Foto X",
        peildatum=dt.date(2025, 2, 10),
        organisatie=network["partner"],
        regio=area_set,
    )
    ronde.partners.add(network["partner2"], network["outsider"])
    for action in ("rounds.view_round", "rounds.follow_round", "rounds.change_round"):
        assert not can(partner_analist, action, ronde)


def test_the_migration_refuses_misplaced_roles_and_audits_it(network, partner_analist, make_user):
    from django.apps import apps

    good = make_user(Role.ANALIST, network["region"], username="region_analist")
    migration = importlib.import_module(
        "jeugdhulp.accounts.migrations.0003_refuse_misplaced_grouping_roles"
    )
    migration.refuse_misplaced(apps, None)
    bad = partner_analist.memberships.get()
    assert bad.status == MembershipStatus.GEWEIGERD and bad.beslist_op is not None
    assert good.memberships.get().is_active
    by_migration = AuditEvent.objects.filter(username=migration.ACTOR)
    event = by_migration.get(object_type="accounts.membership", object_id=str(bad.pk))
    assert event.action == "update" and "geweigerd" in event.object_repr
    migration.refuse_misplaced(apps, None)  # idempotent
    assert by_migration.count() == 1


def test_a_network_analist_does_not_reach_the_regions_kpis(network, make_user):
    from jeugdhulp.aanmeldingen.access import kpi_networks

    net_analist = make_user(Role.ANALIST, network["network"])
    region_analist = make_user(Role.ANALIST, network["region"])
    assert set(kpi_networks(net_analist).values_list("code", flat=True)) == {"NET-T"}
    assert set(kpi_networks(region_analist).values_list("code", flat=True)) == {
        "IROJ-T",
        "NET-T",
    }


# --- the grant rule, over every role, organisation kind and granter ---------------------------


class GrantRuleProperties(HypothesisTestCase):
    """Whoever grants whatever to whomever: active only when granted by a platform beheerder or
    the organisation's own organisatiebeheerder (not beheerder), and never to oneself."""

    @hypothesis_settings(max_examples=60, deadline=None)
    @given(
        granter_role=st.sampled_from([r.value for r in Role]),
        granter_at_target=st.booleans(),
        role=st.sampled_from([r.value for r in Role]),
        kind=st.sampled_from([k.value for k in OrganisationKind]),
        to_self=st.booleans(),
    )
    def test_only_the_right_person_grants_at_once(
        self, granter_role, granter_at_target, role, kind, to_self
    ):
        target = Organisation.objects.create(code="T", naam="T", soort=kind)
        elsewhere = Organisation.objects.create(
            code="E", naam="E", soort=OrganisationKind.SAMENWERKINGSVERBAND
        )
        granter = User.objects.create(username="granter")
        seat = target if granter_at_target else elsewhere
        if granter_role in ("coordinator", "analist"):
            seat = target if kind in GROUPING_KIND_VALUES and granter_at_target else elsewhere
        Membership.objects.create(user=granter, organisatie=seat, rol=granter_role)
        forget_scope(granter)
        user = granter if to_self else User.objects.create(username="user")
        expected = not to_self and (
            granter_role == Role.BEHEERDER
            or (
                granter_role == Role.ORGANISATIEBEHEERDER
                and seat == target
                and role != Role.BEHEERDER
            )
        )
        assert may_grant(granter, user, target, role) is expected
        pending = Membership(
            user=user,
            organisatie=target,
            rol=role,
            status=MembershipStatus.AANGEVRAAGD,
            aangevraagd_door=user,
        )
        # Nobody decides on their own request, whoever asked.
        assert may_decide(granter, pending) is expected
