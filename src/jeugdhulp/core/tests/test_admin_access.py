"""The admin for the beheerder: reached from the menu, every section there (organisations, people,
roles, reference data, audit log), in Dutch; no other role gets in."""

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Membership, MembershipStatus, OrganisationKind, Role
from jeugdhulp.audit.labels import object_type_label
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record

PASSWORD = "een-lang-wachtwoord-123"

ADMIN_LISTS = [
    "admin:accounts_organisation_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_membership_changelist",
    "admin:audit_auditevent_changelist",
    "admin:reference_area_changelist",
    "admin:reference_hulpvorm_changelist",
    "admin:reference_site_changelist",
]


@pytest.fixture
def beheerder(make_user, make_organisation):
    return make_user(
        Role.BEHEERDER, make_organisation(OrganisationKind.ANDERE, code="BEHEER"), username="bea"
    )


def test_the_admin_index_lists_every_section_for_the_beheerder(client, beheerder):
    client.force_login(beheerder)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    sections = {app["app_label"]: app for app in response.context["app_list"]}
    assert {"accounts", "audit", "reference"} <= set(sections)
    models = {m["object_name"] for m in sections["accounts"]["models"]}
    assert {"Organisation", "User", "Membership"} <= models
    body = response.content.decode()
    assert "U hebt geen rechten" not in body


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_the_beheerder_opens_each_admin_list(client, beheerder, name):
    client.force_login(beheerder)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("app_label", ["accounts", "audit", "reference"])
def test_the_breadcrumb_of_each_section_opens(client, beheerder, app_label):
    client.force_login(beheerder)
    response = client.get(reverse("admin:app_list", args=[app_label]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.BEHEERDER])
def test_no_other_role_reaches_any_admin_section(client, make_user, network, role):
    seat = network["network"] if role in (Role.COORDINATOR, Role.ANALIST) else network["partner"]
    user = make_user(role, seat)
    for app_label in ("accounts", "audit", "reference", "triage"):
        assert not user.has_module_perms(app_label)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code in (302, 403)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code in (302, 403)


def test_opening_the_admin_logged_out_returns_there_after_logging_in(client, beheerder):
    response = client.get("/beheer/", follow=True)
    login_url, _ = response.redirect_chain[-1]
    assert login_url.startswith(reverse("login"))
    response = client.post(login_url, {"username": "bea", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("admin:index")
    assert "Organisaties" in response.content.decode()


def test_the_admin_login_goes_on_only_to_pages_of_this_site(client, beheerder):
    client.force_login(beheerder)
    url = reverse("admin:login")
    assert client.get(url + "?next=/beheer/audit/")["Location"] == "/beheer/audit/"
    assert client.get(url + "?next=https://example.invalid/")["Location"] == reverse("admin:index")


def test_the_admin_login_refuses_a_signed_in_user_without_access(client, make_user, network):
    client.force_login(make_user(Role.AANMELDER, network["partner"]))
    response = client.get(reverse("admin:login") + "?next=/beheer/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_the_audit_log_names_object_types(client, beheerder):
    record(AuditAction.UPDATE, object_type="triage.rulesetversion")
    record(AuditAction.UPDATE, object_type="reference.load_gebieden")
    client.force_login(beheerder)
    body = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert '<td class="field-object_type_name">Versie van een regelset</td>' in body
    assert "Referentiegegevens: gebieden geladen" in body
    assert ">triage.rulesetversion<" not in body


def test_object_type_labels_follow_the_language():
    from django.utils import translation

    assert object_type_label("accounts.membership") == "Lidmaatschap"
    assert object_type_label("iets.onbekends") == "iets.onbekends"
    assert object_type_label("") == ""
    with translation.override("en"):
        assert object_type_label("accounts.organisation") == "Organisation"


def test_the_admin_speaks_dutch(client, beheerder):
    client.force_login(beheerder)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Referentiegegevens" in body and "Organisaties en gebruikers" in body
    assert ">Reference<" not in body and "Model name" not in body
    catalog = client.get(reverse("admin:jsi18n")).content.decode()
    # Django's Dutch lacks the texts of the two-box selector (filter_horizontal); core adds them.
    assert "Alle %s kiezen" in catalog and "Kies %s door ze te selecteren" in catalog


def test_a_role_added_in_the_admin_list_goes_through_the_grant_rules(
    client, beheerder, make_user, network
):
    other = make_user(username="olga")
    client.force_login(beheerder)
    url = reverse("admin:accounts_membership_add")
    fields = {"organisatie": network["partner"].pk, "rol": Role.AANMELDER}
    response = client.post(url, {"user": other.pk, **fields})
    assert response.status_code == 302
    assert Membership.objects.get(user=other).status == MembershipStatus.ACTIEF
    # The beheerder's own new role waits for a second beheerder (four eyes).
    client.post(url, {"user": beheerder.pk, **fields})
    own = Membership.objects.get(user=beheerder, rol=Role.AANMELDER)
    assert own.status == MembershipStatus.AANGEVRAAGD
