"""The response overview of a run's round, as far as a user may see it.

Analists and coördinators of the region see every invited partner; a partner sees only its own
line (whether other partners delivered is none of its business).
"""

from __future__ import annotations

from dataclasses import dataclass

from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import can, scope_of
from jeugdhulp.results.models import AnalysisRun
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.services import response_overview


def visible_responses(user, run: AnalysisRun) -> list:
    """``rounds.services.PartnerResponse`` lines of the run's round that ``user`` may see
    (empty when the round no longer exists)."""
    ronde = Round.objects.filter(pk=run.ronde_id).first()
    if ronde is None:
        return []
    overview = response_overview(ronde)
    if can(user, "results.view_run", run):
        return overview
    own = scope_of(user).organisations(Role.MEDEWERKER_VOORZIENING)
    return [line for line in overview if line.partner.pk in own]


@dataclass(frozen=True)
class DeliveryState:
    """How far a round's partners delivered, as the page that starts an analysis shows it."""

    delivered: int
    invited: int
    missing: list[str]  # names of the invited partners without an accepted delivery

    @property
    def complete(self) -> bool:
        return self.invited > 0 and self.delivered == self.invited


def delivery_state(ronde) -> DeliveryState:
    overview = response_overview(ronde)
    return DeliveryState(
        delivered=sum(line.delivered for line in overview),
        invited=len(overview),
        missing=[line.partner.naam for line in overview if not line.delivered],
    )
