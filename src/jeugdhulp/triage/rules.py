"""Permissions of the triage framework (see ``services`` for who sees which assessment).

- an assessment is recorded, and its decision made, by a registrant or provider who may see the
  request; it is seen by whoever may see the request (a coordinator too: it holds no contact
  details);
- rule sets are read by coordinators, analists and beheerders, changed by a beheerder;
- the reports (aggregated, disclosure-controlled) are for coordinators and analists.
"""

import rules

from jeugdhulp.aanmeldingen import access
from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import has_role, is_beheerder, scope_of
from jeugdhulp.triage import services


@rules.predicate
def may_assess(user, target) -> bool:
    if target is None:
        return scope_of(user).has(*access.REGISTERING_ROLES)
    return services.may_assess(user, target)


@rules.predicate
def may_view_assessment(user, assessment) -> bool:
    return assessment is not None and services.may_view_assessment(user, assessment)


@rules.predicate
def may_decide(user, assessment) -> bool:
    if assessment is None:
        return False
    target = assessment.aanmelding or assessment.gezin
    return services.may_assess(user, target)


reads_aggregates = has_role(Role.COORDINATOR, Role.ANALIST)
follows_triage = has_role(Role.AANMELDER, Role.MEDEWERKER_VOORZIENING, Role.COORDINATOR)

rules.add_perm("triage.list_assessment", follows_triage)
rules.add_perm("triage.add_assessment", may_assess)
rules.add_perm("triage.view_assessment", may_view_assessment)
rules.add_perm("triage.decide_assessment", may_decide)
rules.add_perm("triage.view_ruleset", is_beheerder | reads_aggregates)
rules.add_perm("triage.change_ruleset", is_beheerder)
rules.add_perm("triage.view_report", reads_aggregates)
