"""Who sees which results.

- ``results.view_run`` (map, area details, trends, report, exports): analists and coördinators
  whose role reaches the round's region organisation (e.g. the IROJ they work for).
- ``results.view_summary`` (region-level figures of the dashboard and the own delivery):
  the above, and a medewerker_voorziening of an organisation invited to the round.
- ``results.start_run``: analists and coördinators of the round's region.
- ``results.view_client_routes`` (aggregated, disclosure-controlled client routes across rounds
  and requests): coördinators and analists; the page counts what their roles reach.
- ``results.add_duiding`` (record one's duiding of an area, on the run): analists and
  coördinators of the round's region; reading it goes with ``results.view_run``.
- ``results.change_duiding`` (edit or delete a duiding): its author, while still of the region.
- ``results.ask_duiding`` (ask people by e-mail, revoke their links): coördinators of the region.
Nobody else; the views answer 404.
"""

import rules

from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import has_role, in_reach, scope_of

REGION_ROLES = (Role.ANALIST, Role.COORDINATOR)


@rules.predicate
def is_invited_partner(user, run) -> bool:
    if run is None:
        return False
    own = scope_of(user).organisations(Role.MEDEWERKER_VOORZIENING)
    return run.partners.filter(pk__in=own).exists()


of_region = in_reach(*REGION_ROLES)

rules.add_perm("results.list_runs", has_role(*REGION_ROLES, Role.MEDEWERKER_VOORZIENING))
rules.add_perm("results.view_run", of_region)
rules.add_perm("results.start_run", of_region)
rules.add_perm("results.view_summary", of_region | is_invited_partner)
rules.add_perm("results.view_client_routes", has_role(*REGION_ROLES))

# Duiding (see duiding_models): read with the results; recorded by the region's analists and
# coördinators; a person changes or deletes only their own.
rules.add_perm("results.add_duiding", of_region)


@rules.predicate
def is_author(user, duiding) -> bool:
    return duiding is not None and duiding.auteur_id == user.pk


rules.add_perm("results.change_duiding", of_region & is_author)
# A coördinator of the region asks local professionals (e-mail links) for their duiding.
rules.add_perm("results.ask_duiding", in_reach(Role.COORDINATOR))
