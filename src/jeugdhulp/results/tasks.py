"""The one place that queues the results app's jobs, on the configured huey queue (SQLite or
Redis: the same code path; see settings.HUEY). Tasks take ids, never objects, so a message is a
few bytes. The work itself is in :mod:`~jeugdhulp.results.services` and
:mod:`~jeugdhulp.results.report`, which queue nothing."""

from __future__ import annotations

from django.db import transaction
from huey.contrib.djhuey import db_task

from jeugdhulp.results import report, services
from jeugdhulp.results.inputs import RoundInfo
from jeugdhulp.results.models import AnalysisRun


def start_run(
    info: RoundInfo, user=None, *, seed: int = 0, permutations: int = services.DEFAULT_PERMUTATIONS
) -> AnalysisRun:
    """A new version of the round's analysis, queued once the transaction commits."""
    with transaction.atomic():
        run = services.create_run(info, user, seed=seed, permutations=permutations)
        transaction.on_commit(lambda: analysis_job(run.pk))
    return run


@db_task(name="results.analysis")
def analysis_job(run_id: int) -> None:
    """The analysis of the run, then its report queued when the result is stored."""
    if services.execute_run(run_id):
        report_job(run_id)


@db_task(name="results.report")
def report_job(run_id: int) -> None:
    report.render_report(run_id)
