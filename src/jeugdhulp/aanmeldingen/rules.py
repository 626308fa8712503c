"""Permissions of the request monitor (see ``access`` for who sees what)."""

import rules

from jeugdhulp.aanmeldingen import access
from jeugdhulp.accounts.permissions import scope_of


@rules.predicate
def may_view(user, aanmelding) -> bool:
    return aanmelding is not None and access.may_view(user, aanmelding)


@rules.predicate
def may_see_contact(user, aanmelding) -> bool:
    return aanmelding is not None and access.may_see_contact(user, aanmelding)


@rules.predicate
def is_addressed_provider(user, aanmelding) -> bool:
    return aanmelding is not None and access.is_addressed_provider(user, aanmelding)


@rules.predicate
def may_register(user) -> bool:
    return access.may_register(user)


@rules.predicate
def may_see_kpis(user, network=None) -> bool:
    networks = access.kpi_networks(user)
    if network is None:
        return networks.exists()
    return networks.filter(pk=network.pk).exists()


@rules.predicate
def follows_requests(user) -> bool:
    """Has a screen with requests: registrant, provider or coordinator."""
    return scope_of(user).has("aanmelder", "medewerker_voorziening", "coordinator")


rules.add_perm("aanmeldingen.list_aanmelding", follows_requests)
rules.add_perm("aanmeldingen.view_aanmelding", may_view)
rules.add_perm("aanmeldingen.add_aanmelding", may_register)
rules.add_perm("aanmeldingen.view_contact", may_see_contact)
# Workflow events, the contact point and the family plan: the providers asked.
rules.add_perm("aanmeldingen.add_gebeurtenis", is_addressed_provider)
rules.add_perm("aanmeldingen.change_gezin", is_addressed_provider)
rules.add_perm("aanmeldingen.view_dashboard", may_see_kpis)
