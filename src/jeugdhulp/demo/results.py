"""The demo's analyses: every demo round is analysed once (in this process, not on the queue),
so the map, the dashboard and the report are there on first login. All data are fictional."""

from __future__ import annotations

from django.urls import reverse

from jeugdhulp.results import report, services
from jeugdhulp.results.inputs import round_info
from jeugdhulp.results.models import AnalysisRun, RunStatus
from jeugdhulp.rounds.models import Round


def build_results(seed: int) -> list[str]:
    lines = []
    for ronde in Round.objects.filter(fictief=True).order_by("peildatum"):
        run = (
            AnalysisRun.objects.filter(ronde_id=ronde.pk, status=RunStatus.DONE)
            .order_by("-versie")
            .first()
        )
        if run is None:
            run = services.create_run(round_info(ronde), seed=seed)
            services.execute_run(run.pk)
            report.render_report(run.pk)
            run.refresh_from_db()
        if run.status != RunStatus.DONE:
            lines.append(f"{ronde.naam}: analyse mislukt: {run.foutmelding}")
            continue
        board = services.published_frame(run, "ALLE")["cluster"].value_counts()
        lines.append(
            f"{ronde.naam}: analyse versie {run.versie} — {board.get('hotspot', 0)} hotspots, "
            f"{board.get('blauwe_zone', 0)} blauwe zones; kaart op "
            f"{reverse('results:kaart', args=[run.pk])}"
        )
    return lines
