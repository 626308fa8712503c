"""Background jobs of the results app, on the configured huey queue (SQLite or Redis: the same
code path; see settings.HUEY). Tasks take ids, never objects, so a message is a few bytes."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from jeugdhulp.results import services


@db_task(name="results.analysis")
def analysis_job(run_id: int) -> None:
    services.execute_run(run_id)


@db_task(name="results.report")
def report_job(run_id: int) -> None:
    services.render_report(run_id)
