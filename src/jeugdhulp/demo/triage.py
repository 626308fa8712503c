"""Demo triage (fictional): the network's own rule set and assessments on part of the demo
requests, with the professional's decision (mostly following the advice, sometimes not)."""

from __future__ import annotations

import random

from django.db import transaction

from jeugdhulp.aanmeldingen.models import Aanmelding
from jeugdhulp.accounts.models import Organisation, User
from jeugdhulp.demo.organisations import NETWORK_CODE
from jeugdhulp.triage import engine, services
from jeugdhulp.triage.codes import CAPJ_GROUPS, STEP_ITEM_CODES
from jeugdhulp.triage.models import RuleSet

SHARE_ASSESSED = 0.6
SHARE_DECIDED = 0.8
SHARE_DIFFERENT = 0.15
REASONS = [
    "Het gezin kiest eerst voor hulp dichtbij (fictief).",
    "Bijkomende informatie van school na de taxatie (fictief).",
    "Wachttijd bij de aangewezen voorziening te lang (fictief).",
]


@transaction.atomic
def build_triage(rng: random.Random) -> list[str]:
    network = Organisation.objects.get(code=NETWORK_CODE)
    ruleset, _ = RuleSet.objects.get_or_create(
        organisatie=network, gemeente="", defaults={"naam": "Triageregels Demo-Noord (fictief)"}
    )
    if not ruleset.versies.exists():
        services.save_version(ruleset, engine.STARTER_RULESET, None, "Startregels (fictief).")
    requests = list(
        Aanmelding.objects.filter(partners__netwerken=network)
        .distinct()
        .order_by("pk")
        .select_related("aangemeld_door")
    )
    registrant = User.objects.get(username="demo-aanmelder")
    made = 0
    for aanmelding in requests:
        # Draw for every request, assessed or not, so a re-run makes the same choices.
        draws = [rng.random() for _ in range(3)]
        codes = rng.sample(sorted(CAPJ_GROUPS), k=rng.randint(1, 3))
        severity = rng.choice([1, 2, 2, 3, 3, 4])
        step = {
            code: min(5, max(1, severity + rng.choice([-1, 0, 0, 1]))) for code in STEP_ITEM_CODES
        }
        reason = rng.choice(REASONS)
        other_pick = rng.randrange(len(engine.ADVICES) - 1)
        if draws[0] > SHARE_ASSESSED or aanmelding.taxaties.exists():
            continue
        user = aanmelding.aangemeld_door or registrant
        assessment = services.create_assessment(user, aanmelding, codes, step)
        made += 1
        if draws[1] < SHARE_DECIDED:
            other = [r for r in engine.ADVICES if r != assessment.advies]
            if draws[2] < SHARE_DIFFERENT:
                services.record_decision(user, assessment, other[other_pick], reason)
            else:
                services.record_decision(user, assessment, assessment.advies, "")
    total = sum(1 for a in requests if a.taxaties.exists())
    return [f"Triage (fictief): {total} taxaties op {len(requests)} aanmeldingen ({made} nieuw)."]
