"""Screens of duiding: the JSON the map's detail panel reads, the plain page with the form (which
the panel's form also posts to), deleting one's own, and the export of a run's duiding.

What a user may not see answers 404, like the other results screens.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from jeugdhulp.accounts.permissions import can
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record
from jeugdhulp.core.params import text_param
from jeugdhulp.data.cells import safe_frame
from jeugdhulp.data.xlsx_writer import write_workbook
from jeugdhulp.results import dashboard, duiding, tasks
from jeugdhulp.results.duiding_models import MAX_TOELICHTING, Factor, Herkenning
from jeugdhulp.results.models import AnalysisRun, RunStatus

EXPORT_TYPES = {
    "csv": ("duiding.csv", "text/csv; charset=utf-8"),
    "xlsx": ("duiding.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _run(request, pk: int) -> AnalysisRun:
    run = get_object_or_404(AnalysisRun.objects.select_related("organisatie"), pk=pk)
    if run.status != RunStatus.DONE or not can(request.user, "results.view_run", run):
        raise Http404
    return run


def _target(request, run: AnalysisRun, source) -> duiding.Target:
    code = source.get("gebied", "")
    form = source.get("hulpvorm", "ALLE")
    place = None
    if len(code) <= 40 and "\x00" not in code + form:
        place = duiding.target(run, code, form)
    if place is None:
        raise Http404
    return place


def _panel(request, place: duiding.Target) -> dict:
    run = place.run
    mine = duiding.own(run, request.user, place.gebied_code, place.hulpvorm)
    query = urlencode({"gebied": place.gebied_code, "hulpvorm": place.hulpvorm})
    summary = duiding.summary(duiding.of_area(run, place.gebied_code, place.hulpvorm))
    people = summary["aantal"]
    return {
        "gebied": place.gebied_code,
        "hulpvorm": place.hulpvorm,
        "samenvatting": summary,
        "mag_schrijven": can(request.user, "results.add_duiding", run),
        "eigen": None
        if mine is None
        else {"herkend": mine.herkend, "factoren": mine.factoren, "toelichting": mine.toelichting},
        "formulier": reverse("results:duiding", args=[run.pk]) + "?" + query,
        "keuzes": [[code, str(label)] for code, label in Herkenning.choices],
        "factorkeuzes": [[code, str(label)] for code, label in Factor.choices],
        "max_lengte": MAX_TOELICHTING,
        "teksten": {
            "titel": _("Duiding door wie het gebied kent"),
            "geen": _("Nog geen duiding voor dit gebied."),
            "personen": ngettext(
                "%(n)s persoon gaf een duiding.", "%(n)s personen gaven hun duiding.", people
            )
            % {"n": people},
            "factoren": _("Genoemde lokale factoren"),
            "vraag": str(duiding.DuidingForm.base_fields["herkend"].label),
            "factorvraag": str(duiding.DuidingForm.base_fields["factoren"].label),
            "toelichting": _("Toelichting"),
            "waarschuwing": str(duiding.PRIVACY_WARNING),
            "bewaren": _("Duiding bewaren"),
            "bewaard": _("Uw duiding is bewaard."),
            "eigen": _("Uw duiding"),
            "pagina": _("Open als pagina"),
            "fout": _("Uw duiding kon niet bewaard worden."),
        },
    }


def _refresh_report(run: AnalysisRun) -> None:
    # The report shows the duiding beside the figures: the latest version of the round gets a
    # fresh report once the change is committed (the worker renders it).
    latest = (
        AnalysisRun.objects.filter(ronde_id=run.ronde_id, status=RunStatus.DONE)
        .order_by("-versie")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is not None:
        transaction.on_commit(lambda: tasks.report_job(latest))


@require_GET
def panel(request, pk: int):
    """The duiding of one area and form, for the map's detail panel."""
    run = _run(request, pk)
    place = duiding.target(
        run, text_param(request, "gebied", max_length=40), text_param(request, "hulpvorm", "ALLE")
    )
    if place is None:
        raise Http404
    return JsonResponse(_panel(request, place))


def page(request, pk: int):
    """The plain page of one area: its figures, everyone's duiding and one's own form. The
    panel's form posts here too (``Accept: application/json``: the answer is the panel's JSON)."""
    run = _run(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    place = _target(request, run, request.POST if request.method == "POST" else request.GET)
    mine = duiding.own(run, request.user, place.gebied_code, place.hulpvorm)
    may_write = can(request.user, "results.add_duiding", run)
    if request.method == "POST":
        if not may_write:
            raise Http404
        form = duiding.DuidingForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                duiding.save(place, request.user, form.cleaned_data)
                _refresh_report(run)
            if wants_json:
                return JsonResponse(_panel(request, place))
            messages.success(request, _("Uw duiding is bewaard."))
            return redirect(_panel(request, place)["formulier"])
        if wants_json:
            return JsonResponse({"fouten": form.errors.get_json_data()}, status=400)
    elif request.method == "GET":
        initial = (
            {"herkend": mine.herkend, "factoren": mine.factoren, "toelichting": mine.toelichting}
            if mine
            else {}
        )
        form = duiding.DuidingForm(initial=initial)
    else:
        return HttpResponse(status=405)
    return render(
        request,
        "results/duiding.html",
        {
            "run": run,
            "place": place,
            "form_label": dashboard.form_label(place.hulpvorm),
            "figures": duiding.figures(place.row),
            "summary": duiding.summary(duiding.of_area(run, place.gebied_code, place.hulpvorm)),
            "form": form if may_write else None,
            "mine": mine,
        },
    )


@require_POST
def delete(request, pk: int):
    """Delete one's own duiding of an area (the audit log keeps that it existed)."""
    run = _run(request, pk)
    place = _target(request, run, request.POST)
    mine = duiding.own(run, request.user, place.gebied_code, place.hulpvorm)
    if mine is None or not can(request.user, "results.change_duiding", mine):
        raise Http404
    with transaction.atomic():
        mine.delete()
        _refresh_report(run)
    messages.success(request, _("Uw duiding is verwijderd."))
    query = urlencode({"gebied": place.gebied_code, "hulpvorm": place.hulpvorm})
    return redirect(reverse("results:duiding", args=[run.pk]) + "?" + query)


@require_GET
def export(request, pk: int, kind: str):
    """Every duiding of the run's round as CSV (``;``, for Belgian Excel) or XLSX; text cells
    formula-safe."""
    run = _run(request, pk)
    if kind not in EXPORT_TYPES:
        raise Http404
    name, content_type = EXPORT_TYPES[kind]
    frame = duiding.export_frame(run)
    buffer = io.BytesIO()
    if kind == "csv":
        text = safe_frame(frame).to_csv(sep=";", index=False, lineterminator="\r\n")
        buffer.write(text.encode("utf-8-sig"))
    else:
        write_workbook(buffer, [("duiding", frame)])
    buffer.seek(0)
    record(AuditAction.EXPORT, run, fields=[name])
    stem = f"jeugdhulp-{run.peildatum.isoformat()}-v{run.versie}-{name}"
    return FileResponse(buffer, content_type=content_type, as_attachment=True, filename=stem)
