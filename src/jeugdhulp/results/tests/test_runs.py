"""Starting, executing and storing runs; the queue on SQLite and Redis; the report."""

from __future__ import annotations

import json
import uuid

import pytest
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY

from jeugdhulp.accounts.models import OrganisationKind
from jeugdhulp.results import services, tasks
from jeugdhulp.results.models import AnalysisRun, IndicatorRow, RunStatus
from jeugdhulp.results.tests import helpers


@pytest.fixture
def immediate_queue():
    """Jobs run at once, in the test's own transaction."""
    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before


@pytest.fixture
def region_setup(db, small_inputs, make_organisation, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    codes = helpers.store_reference(small_inputs)
    region = make_organisation(OrganisationKind.IROJ, code="IROJ-R")
    partner = make_organisation(code="P-1", networks=[region])
    monkeypatch.setattr(
        services,
        "round_inputs",
        helpers.inputs_from_reference({1: small_inputs["snapshot"]}),
    )
    return {"codes": codes, "region": region, "partner": partner}


def _start(region_setup, capture):
    info = helpers.round_info(
        region_setup["region"], [region_setup["partner"]], codes=region_setup["codes"]
    )
    with capture(execute=True):
        return tasks.start_run(info, permutations=49)


def test_a_run_stores_published_rows_manifest_and_files(
    region_setup, immediate_queue, django_capture_on_commit_callbacks
):
    run = _start(region_setup, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.foutmelding
    assert run.versie == 1 and run.voortgang == 100
    assert run.hulpvormen == ["CB", "BH", "ALLE"]  # catalogue order, ALLE last
    assert IndicatorRow.objects.filter(run=run).count() == 25 * 3
    assert run.manifest["parameters"]["permutations"] == 49
    assert {i["rol"] for i in run.manifest["invoer"]} >= {"gebieden", "bevolking", "foto"}
    population = next(i for i in run.manifest["invoer"] if i["rol"] == "bevolking")
    assert population["jaar"] == 2025  # the fixtures' year: the map images' source line
    for name in ("indicatoren.csv", "indicatoren.xlsx", "gebieden.gpkg", "gebieden.geojson"):
        assert (run.folder / name).is_file()
    geojson = json.loads((run.folder / "gebieden.geojson").read_text())
    assert len(geojson["features"]) == 25
    # The report was rendered right after (immediate queue): HTML and PDF.
    assert run.rapport_status == RunStatus.DONE, run.rapport_fout
    assert (run.folder / "rapport.pdf").read_bytes().startswith(b"%PDF")
    html = (run.folder / "rapport.html").read_text()
    assert "een vraag, geen oordeel" in html and "http://" not in html


def test_published_frame_round_trips_the_stored_rows(
    region_setup, immediate_queue, django_capture_on_commit_callbacks
):
    run = _start(region_setup, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    frame = services.published_frame(run)
    assert list(frame.columns[:4]) == ["gebied_code", "gebied_naam", "hulpvorm", "aantal_clienten"]
    stored = frame[frame["hulpvorm"] == "ALLE"]["aantal_clienten"].sum()
    region = {row["hulpvorm"]: row for row in run.regiotabel}
    assert stored == region["ALLE"]["aantal_clienten"]
    assert "bereik_0_2_per_1000" in frame.columns


def test_a_rerun_makes_a_new_version(
    region_setup, immediate_queue, django_capture_on_commit_callbacks
):
    first = _start(region_setup, django_capture_on_commit_callbacks)
    second = _start(region_setup, django_capture_on_commit_callbacks)
    assert (first.versie, second.versie) == (1, 2)
    assert IndicatorRow.objects.filter(run=first).count() == 75
    assert first.folder != second.folder


def test_a_failing_input_marks_the_run_failed_with_a_dutch_message(
    region_setup, immediate_queue, django_capture_on_commit_callbacks, monkeypatch
):
    from jeugdhulp.analysis.pipeline import AnalysisError

    def broken(run):
        raise AnalysisError("onbekende covariaat: inkomen")

    monkeypatch.setattr(services, "round_inputs", broken)
    run = _start(region_setup, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.foutmelding == "onbekende covariaat: inkomen"


def _through_queue(other_huey, region_setup, capture, monkeypatch):
    """Start a run on ``other_huey``, then take the message from its storage and execute it,
    as a consumer does."""
    for job in (tasks.analysis_job, tasks.report_job):
        monkeypatch.setattr(job, "huey", other_huey)
        other_huey._registry.register(job.task_class)
    run = _start(region_setup, capture)
    assert AnalysisRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    assert other_huey.pending_count() == 1
    other_huey.execute(other_huey.dequeue())  # the analysis, which enqueues the report
    other_huey.execute(other_huey.dequeue())
    run.refresh_from_db()
    return run


# ``immediate_queue`` only keeps djhuey's ``close_db`` from closing the test's connection (it
# looks at the global instance); the jobs themselves go through ``other_huey``'s storage.
def test_the_queue_on_sqlite(
    region_setup, immediate_queue, django_capture_on_commit_callbacks, monkeypatch, tmp_path
):
    queue = SqliteHuey(name="test", filename=str(tmp_path / "queue.sqlite3"))
    run = _through_queue(queue, region_setup, django_capture_on_commit_callbacks, monkeypatch)
    assert run.status == RunStatus.DONE and run.rapport_status == RunStatus.DONE
    assert queue.pending_count() == 0


def test_the_queue_on_redis(
    region_setup, immediate_queue, django_capture_on_commit_callbacks, monkeypatch
):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    queue = RedisHuey(name=f"jeugdhulp-test-{uuid.uuid4().hex}", url="redis://127.0.0.1:6379/0")
    try:
        run = _through_queue(queue, region_setup, django_capture_on_commit_callbacks, monkeypatch)
        assert run.status == RunStatus.DONE and run.rapport_status == RunStatus.DONE
    finally:
        queue.storage.flush_all()
