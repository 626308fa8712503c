"""Permissions of the reference data: a beheerder manages it; every user with a role may read
it (areas, population and supply are public statistics, not personal data)."""

import rules

from jeugdhulp.accounts.permissions import add_model_perms, is_beheerder, scope_of


@rules.predicate
def has_any_role(user) -> bool:
    return bool(scope_of(user).roles)


rules.add_perm("reference.see_reference", has_any_role)
add_model_perms(
    "reference",
    ["area", "areaset", "populationcount", "covariatevalue", "hulpvorm", "site", "siteoffer"],
    is_beheerder,
)
