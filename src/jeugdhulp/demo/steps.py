"""The steps ``jeugdhulp demo`` runs, in order. Each app that has demo data adds one step here.

A step is ``build(ctx: DemoContext) -> list[str]``: it creates its part of the fictional region
(idempotently: running the demo again changes nothing), and returns lines to print.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from jeugdhulp.demo.duiding import build_duiding
from jeugdhulp.demo.organisations import build_organisations_and_accounts
from jeugdhulp.demo.region import build_region
from jeugdhulp.demo.requests import build_requests
from jeugdhulp.demo.results import build_results
from jeugdhulp.demo.rounds import build_rounds
from jeugdhulp.demo.triage import build_triage


@dataclass
class DemoContext:
    seed: int
    password: str | None
    # Values one step hands to the next (e.g. the region's area set, the demo rounds).
    shared: dict = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """A random generator per step, so one step's draws never shift another's."""
        return random.Random(f"{self.seed}:{step}")


def _organisations(ctx: DemoContext) -> list[str]:
    result = build_organisations_and_accounts(ctx.password)
    ctx.shared["new_accounts"] = result.created
    return []


def _region(ctx: DemoContext) -> list[str]:
    # numpy wants an integer seed; derive it from the step's own generator.
    shared = build_region(ctx.rng("region").randrange(2**32))
    ctx.shared.update(shared)
    region = shared["region"]
    youth = f"{region.population['population'].sum():,.0f}".replace(",", ".")
    return [
        f"Demoprovincie — fictief: {len(region.municipalities)} gemeenten, "
        f"{len(region.subareas)} deelgebieden, {youth} jongeren 0-24, "
        f"{region.sites['vestiging'].nunique()} vestigingen."
    ]


def _requests(ctx: DemoContext) -> list[str]:

    network = ctx.shared["network_area_set"]
    codes = sorted(network.areas.values_list("code", flat=True))
    return build_requests(ctx.rng("requests").randrange(2**32), codes, timezone.localdate())


def _triage(ctx: DemoContext) -> list[str]:
    return build_triage(ctx.rng("triage"))


def _round(ctx: DemoContext) -> list[str]:
    return build_rounds(ctx.rng("round").randrange(2**31), ctx.shared["region"])


def _results(ctx: DemoContext) -> list[str]:
    return build_results(ctx.rng("results").randrange(2**31))


def _duiding(ctx: DemoContext) -> list[str]:
    return build_duiding()


# (label, step) in the order they run.
STEPS: list[tuple[str, Callable[[DemoContext], list[str]]]] = [
    ("organisaties en accounts", _organisations),
    ("fictieve regio (referentiegegevens)", _region),
    ("foto-rondes 2024 en 2025 (aanleveringen van partners)", _round),
    ("analyses van de foto's (kaarten en rapporten)", _results),
    ("duiding bij enkele gebieden", _duiding),
    ("aanmeldingen 1G1P", _requests),
    ("triage (taxaties en regels)", _triage),
]
