"""Creating, executing and reading analysis runs. The views and the demo call these; the queue
(:mod:`jeugdhulp.results.tasks`, the one module that queues jobs) calls :func:`execute_run`.
This module queues nothing."""

from __future__ import annotations

import hashlib
import logging

import numpy as np
import pandas as pd
import shapely
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from jeugdhulp.analysis.comparison import SEPARATOR
from jeugdhulp.analysis.output import manifest as analysis_manifest
from jeugdhulp.analysis.output import rounded
from jeugdhulp.analysis.pipeline import AnalysisError, AnalysisResult, run_analysis
from jeugdhulp.analysis.profile import region_profile
from jeugdhulp.analysis.standardisation import PopulationError
from jeugdhulp.core.bulk import insert_rows
from jeugdhulp.data.errors import InputError
from jeugdhulp.results import exports, indicators, storage
from jeugdhulp.results.geometry import compact_geojson
from jeugdhulp.results.inputs import RoundInfo, RoundInputs, round_inputs
from jeugdhulp.results.models import AnalysisRun, IndicatorRow, RunStatus

logger = logging.getLogger(__name__)

DEFAULT_PERMUTATIONS = 999
# Model fields that hold a published column of the same name.
ROW_FIELDS = [
    f.name
    for f in IndicatorRow._meta.get_fields()
    if f.concrete and f.name not in ("id", "run", "extra")
]


def create_run(
    info: RoundInfo, user=None, *, seed: int = 0, permutations: int = DEFAULT_PERMUTATIONS
) -> AnalysisRun:
    """The next version of the round's run, not yet queued."""
    with transaction.atomic():
        latest = AnalysisRun.objects.filter(ronde_id=info.ronde_id).aggregate(v=Max("versie"))
        run = AnalysisRun.objects.create(
            ronde_id=info.ronde_id,
            ronde_naam=info.naam,
            peildatum=info.peildatum,
            organisatie=info.organisatie,
            versie=(latest["v"] or 0) + 1,
            gestart_door=user if getattr(user, "is_authenticated", False) else None,
            parameters={
                "seed": seed,
                "permutations": permutations,
                "threshold": info.threshold,
                "gemeenten": sorted(info.municipality_codes),
                "gebiedsversie": info.vintage,
            },
        )
        run.partners.set(info.partners)
    return run


def _progress(run: AnalysisRun, expected_steps: int):
    done = {"n": 0}

    def step(label: str) -> None:
        done["n"] += 1
        percent = min(95, 5 + int(90 * done["n"] / expected_steps))
        AnalysisRun.objects.filter(pk=run.pk).update(voortgang=percent, stap=label[:200])

    return step


def frame_sha256(frame: pd.DataFrame) -> str:
    """A checksum of a table's content (geometry as WKB), for the manifest."""
    plain = pd.DataFrame(frame)
    if "geometry" in plain:
        plain["geometry"] = shapely.to_wkb(plain["geometry"].to_numpy(), hex=True)
    digest = hashlib.sha256(pd.util.hash_pandas_object(plain, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def execute_run(run_id: int) -> bool:
    """Run the analysis of ``run_id`` and store its published result (worker side); whether it
    was stored (a run that is not queued, or that fails, is not)."""
    run = AnalysisRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return False
    run.status, run.gestart_op, run.stap = RunStatus.RUNNING, timezone.now(), ""
    run.save(update_fields=["status", "gestart_op", "stap"])
    try:
        inputs = round_inputs(run)
        n_forms = inputs.analysis.snapshot["hulpvorm"].nunique() + 1
        result = run_analysis(
            inputs.analysis, progress=_progress(run, expected_steps=6 + 4 * n_forms)
        )
        AnalysisRun.objects.filter(pk=run.pk).update(stap="resultaten bewaren")
        store_result(run, result, inputs)
    except (AnalysisError, InputError, PopulationError) as error:
        _fail(run, str(error))
        return False
    except Exception:
        logger.exception("analysis run %s failed", run_id)
        _fail(run, "Onverwachte fout in de analyse; de beheerder vindt de details in het logboek.")
        return False
    return True


def _fail(run: AnalysisRun, message: str) -> None:
    run.status, run.foutmelding, run.klaar_op = RunStatus.FAILED, message, timezone.now()
    run.save(update_fields=["status", "foutmelding", "klaar_op"])


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts of plain Python values: missing and non-finite numbers as
    ``None`` (``astype(object)`` turns numpy scalars into Python ones, column by column)."""
    plain = frame.replace([np.inf, -np.inf], np.nan).astype(object)
    plain = plain.where(plain.notna(), None)
    columns = list(plain.columns)
    return [dict(zip(columns, row, strict=True)) for row in plain.itertuples(False, None)]


def _insert_rows(run: AnalysisRun, published: pd.DataFrame) -> None:
    """The ``IndicatorRow`` s of ``published``, from plain tuples (a 10,000-area run has
    140,000; see :mod:`jeugdhulp.core.bulk`)."""
    fields = [IndicatorRow._meta.get_field(name) for name in ("run", *ROW_FIELDS, "extra")]
    own = [c for c in ROW_FIELDS if c in published.columns]
    extra_columns = [c for c in published.columns if c not in ROW_FIELDS]
    defaults = {f.name: f.get_default() for f in fields}
    extra_field = fields[-1]
    values = []
    for record, extra in zip(
        _records(published[own]), _records(published[extra_columns]), strict=True
    ):
        record["cluster"] = record.get("cluster") or ""
        record["nood_klasse"] = record.get("nood_klasse") or ""
        values.append(
            (
                run.pk,
                *(record.get(name, defaults[name]) for name in ROW_FIELDS),
                extra_field.get_db_prep_save(extra, connection),
            )
        )
    insert_rows(IndicatorRow, [f.column for f in fields], values)


@transaction.atomic
def store_result(run: AnalysisRun, result: AnalysisResult, inputs: RoundInputs) -> None:
    """The published rows, region tables, manifest, export files and map outlines of a run."""
    published = rounded(result.published)
    IndicatorRow.objects.filter(run=run).delete()
    _insert_rows(run, published)

    data = analysis_manifest(result, [], options={"ronde": run.ronde_id, "versie": run.versie})
    data["invoer"] = inputs.describe(frame_sha256)
    data["uitvoer"] = [export.filename for export in exports.EXPORTS]
    data["kolommen"] = list(published.columns)
    storage.clear_folder(run.folder)
    exports.write_exports(result, run.folder, data)
    storage.write_outlines(run.folder, compact_geojson(inputs.map_areas))

    run.manifest = data
    run.hulpvormen = result.hulpvormen
    run.regiotabel = _records(result.region)
    run.buiten = _records(result.outside)
    run.profiel = region_profile(result, inputs.analysis.population)
    run.gebied_versie = inputs.vintage
    run.status, run.voortgang, run.stap = RunStatus.DONE, 100, ""
    run.klaar_op = timezone.now()
    run.save()


def published_frame(run: AnalysisRun, hulpvorm: str | None = None) -> pd.DataFrame:
    """The run's stored published indicators, columns in the order of ``indicatoren.csv``."""
    rows = IndicatorRow.objects.filter(run=run)
    if hulpvorm is not None:
        rows = rows.filter(hulpvorm=hulpvorm)
    values = list(rows.values_list(*ROW_FIELDS, "extra"))
    frame = pd.DataFrame([v[:-1] for v in values], columns=ROW_FIELDS)
    extra = pd.DataFrame([v[-1] for v in values], index=frame.index)
    frame = pd.concat([frame, extra], axis=1)
    classes = {"cluster", "nood_klasse", "in_cluster", "funnel_klasse", "funnel_klasse_od"}
    text = {"gebied_code", "gebied_naam", "hulpvorm", "vergelijkingsgroep"} | classes
    for column in frame.columns:
        if column in classes:
            frame[column] = frame[column].replace("", None)
        elif column not in text and column != "onvoldoende_gegevens":
            frame[column] = pd.to_numeric(frame[column]).astype(float)
    columns = [c for c in run.manifest.get("kolommen", []) if c in frame.columns]
    return frame[columns or list(frame.columns)]


# Published columns beside the map indicators that the map's detail panel shows when present.
MAP_EXTRAS = ("mediaan_leeftijd", "p90_afstand_km", "ratio_t_o_v_groep")
_MAP_TEXT = {"gebied_naam", "cluster", "nood_klasse"}


def map_values(run: AnalysisRun, hulpvorm: str) -> dict:
    """The map's values of one form of help: ``columns`` (name, the indicators, the extras the
    run has) and ``rows`` (area code → values in that order; numbers as floats, empty as
    ``None``), as :func:`published_frame` gives them but read from only these columns: 10,000
    areas' full rows with their JSON took longer than the browser needs to draw them."""
    published = run.manifest.get("kolommen", [])
    extras = [c for c in MAP_EXTRAS if c in published]
    columns = ["gebied_naam", *indicators.MAP_COLUMNS, *extras]
    fields = ["gebied_code", *columns[: len(columns) - len(extras)]]
    fields += [f"extra__{c}" for c in extras]
    rows = IndicatorRow.objects.filter(run=run, hulpvorm=hulpvorm).values_list(*fields)
    plain = [_map_value(c) for c in columns]
    return {
        "columns": columns,
        "rows": {
            row[0]: [convert(v) for convert, v in zip(plain, row[1:], strict=True)] for row in rows
        },
    }


def comparison_group(run: AnalysisRun, code: str) -> list[str]:
    """The codes of an area's comparison group, nearest first (empty when it has none).

    Fetched per area: with every form's map values, 9,000 areas' groups added 260 kB (gzip)."""
    group = (
        IndicatorRow.objects.filter(run=run, gebied_code=code)
        .values_list("extra__vergelijkingsgroep", flat=True)
        .first()
    )
    return group.split(SEPARATOR) if group else []


def _map_value(column: str):
    if column == "gebied_naam":
        return lambda v: v
    if column in _MAP_TEXT:
        return lambda v: v or None
    return lambda v: None if v is None else float(v)


def previous_run(run: AnalysisRun) -> AnalysisRun | None:
    """The latest finished run of the most recent earlier round of the same region."""
    return (
        AnalysisRun.objects.filter(
            organisatie_id=run.organisatie_id, status=RunStatus.DONE, peildatum__lt=run.peildatum
        )
        .order_by("-peildatum", "-versie")
        .first()
    )
