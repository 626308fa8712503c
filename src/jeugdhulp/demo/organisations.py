"""The demo's organisations and its five accounts, one per role (all fictional).

Every demo membership is created active (``Membership``'s default), as if approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jeugdhulp.accounts.models import Membership, Organisation, OrganisationKind, Role, User

REGION_CODE = "DEMO-IROJ"
NETWORK_CODE = "DEMO-1G1P"
OPERATOR_CODE = "DEMO-BEHEER"

# code, name, kind; partners take part in the network and the region.
ORGANISATIONS = [
    (REGION_CODE, "IROJ Demoprovincie (fictief)", OrganisationKind.IROJ),
    (
        NETWORK_CODE,
        "Samenwerkingsverband Demo-Noord (fictief)",
        OrganisationKind.SAMENWERKINGSVERBAND,
    ),
    (OPERATOR_CODE, "Platformbeheer Demoprovincie (fictief)", OrganisationKind.ANDERE),
    ("DEMO-CLB", "CLB Demostad (fictief)", OrganisationKind.CLB),
    ("DEMO-CAW", "CAW Demoprovincie (fictief)", OrganisationKind.CAW),
    ("DEMO-CGG", "CGG De Horizon (fictief)", OrganisationKind.VOORZIENING),
    ("DEMO-KDIENST", "K-dienst Demoziekenhuis (fictief)", OrganisationKind.K_DIENST),
    ("DEMO-GEZIN", "Gezinsondersteuning De Brug (fictief)", OrganisationKind.VOORZIENING),
]

# username, first name, last name, role, organisation code
ACCOUNTS = [
    ("demo-aanmelder", "Anna", "Aanmelder", Role.AANMELDER, "DEMO-CLB"),
    ("demo-voorziening", "Victor", "Voorziening", Role.MEDEWERKER_VOORZIENING, "DEMO-CGG"),
    ("demo-coordinator", "Chris", "Coördinator", Role.COORDINATOR, NETWORK_CODE),
    ("demo-analist", "Ali", "Analist", Role.ANALIST, REGION_CODE),
    ("demo-beheerder", "Bea", "Beheerder", Role.BEHEERDER, OPERATOR_CODE),
]
# The coördinator also coordinates the region, so rounds and maps are theirs too. The provider
# employee also looks after their own organisation's roles (organisatiebeheerder), so the
# approval of a coördinator's invitation can be tried in the demo.
EXTRA_MEMBERSHIPS = [
    ("demo-coordinator", Role.COORDINATOR, REGION_CODE),
    ("demo-voorziening", Role.ORGANISATIEBEHEERDER, "DEMO-CGG"),
]


@dataclass
class AccountResult:
    created: list[str]
    password_set: bool


@transaction.atomic
def build_organisations_and_accounts(password: str | None) -> AccountResult:
    orgs = {}
    for code, name, kind in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            code=code, defaults={"naam": name, "soort": kind, "actief": True}
        )
        orgs[code] = org
    for code, org in orgs.items():
        if not org.is_grouping and code != OPERATOR_CODE:
            org.netwerken.add(orgs[REGION_CODE], orgs[NETWORK_CODE])

    created = []
    for username, first, last, role, org_code in ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.invalid"},
        )
        if is_new:
            created.append(username)
        if password is not None:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organisatie=orgs[org_code], rol=role)
    for username, role, org_code in EXTRA_MEMBERSHIPS:
        Membership.objects.get_or_create(
            user=User.objects.get(username=username), organisatie=orgs[org_code], rol=role
        )
    return AccountResult(created=created, password_set=password is not None)


def set_demo_passwords(password: str) -> None:
    for user in User.objects.filter(username__in=[a[0] for a in ACCOUNTS]):
        user.set_password(password)
        user.save(update_fields=["password"])
