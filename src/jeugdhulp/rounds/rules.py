"""Permissions of snapshot rounds.

A coördinator or analist of the organising region creates and follows a round; a beheerder sees
every round; the users of an invited partner see the round and deliver their own file.
"""

import rules

from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import has_role, in_reach, is_beheerder, scope_of
from jeugdhulp.rounds.models import Round

ORGANISING_ROLES = (Role.COORDINATOR, Role.ANALIST)
DELIVERING_ROLES = (Role.MEDEWERKER_VOORZIENING, Role.COORDINATOR, Role.ANALIST)


def delivering_partner_ids(user, ronde) -> set[int]:
    """The invited partners of ``ronde`` for which ``user`` may deliver."""
    own = scope_of(user).organisations(*DELIVERING_ROLES)
    return set(ronde.partners.filter(pk__in=own).values_list("pk", flat=True))


@rules.predicate
def is_invited_partner(user, ronde) -> bool:
    return ronde is not None and bool(delivering_partner_ids(user, ronde))


@rules.predicate
def is_open(user, ronde) -> bool:
    return ronde is not None and ronde.open


@rules.predicate
def delivers_somewhere(user) -> bool:
    own = scope_of(user).organisations(*DELIVERING_ROLES)
    return bool(own) and Round.objects.filter(partners__in=own).exists()


organises = in_reach(*ORGANISING_ROLES)

rules.add_perm("rounds.list_round", is_beheerder | has_role(*ORGANISING_ROLES) | delivers_somewhere)
rules.add_perm("rounds.add_round", has_role(*ORGANISING_ROLES))
rules.add_perm("rounds.view_round", is_beheerder | organises | is_invited_partner)
rules.add_perm("rounds.follow_round", is_beheerder | organises)
rules.add_perm("rounds.change_round", organises)
rules.add_perm("rounds.is_invited_round", is_invited_partner)
rules.add_perm("rounds.upload_round", is_invited_partner & is_open)
