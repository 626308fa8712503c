"""Screens of the results: the runs of a user's regions, a run's dashboard with its progress,
the map and its data, trends, the report and the exports. What a user may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from jeugdhulp.accounts.permissions import can
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record
from jeugdhulp.core.params import id_param, text_param
from jeugdhulp.results import (
    client_routes,
    dashboard,
    exports,
    funnel,
    indicators,
    inputs,
    map_image,
    services,
    storage,
    tasks,
    trends,
)
from jeugdhulp.results.models import AnalysisRun, RunStatus
from jeugdhulp.results.report import HTML_NAME, PDF_NAME, records
from jeugdhulp.results.responses import delivery_state, visible_responses
from jeugdhulp.rounds.models import Round


def _run(request, pk: int, action: str = "results.view_run") -> AnalysisRun:
    run = get_object_or_404(AnalysisRun.objects.select_related("organisatie"), pk=pk)
    if not can(request.user, action, run):
        raise Http404
    return run


def run_list(request):
    if not can(request.user, "results.list_runs"):
        raise PermissionDenied
    runs = [
        run
        for run in AnalysisRun.objects.select_related("organisatie").order_by(
            "-peildatum", "-versie"
        )
        if can(request.user, "results.view_summary", run)
    ]
    rounds = [
        {"ronde": ronde, "state": delivery_state(ronde)}
        for ronde in Round.objects.select_related("organisatie").order_by("-peildatum")
        if can(request.user, "results.start_run", ronde)
    ]
    return render(request, "results/list.html", {"runs": runs, "rounds": rounds})


@require_POST
def start(request, ronde_id: int):
    """An analist or coördinator of the round's region starts (a new version of) its analysis;
    while partners have not delivered, only with the explicit confirmation of the form."""
    ronde = get_object_or_404(Round, pk=ronde_id)
    if not can(request.user, "results.start_run", ronde):
        raise Http404
    state = delivery_state(ronde)
    if not state.complete and request.POST.get("onvolledig") != "ja":
        messages.error(
            request,
            _(
                "%(round)s: %(n)s van %(total)s partners leverden aan. Vink aan dat u de "
                "analyse toch wilt starten zonder de ontbrekende partners."
            )
            % {"round": ronde.naam, "n": state.delivered, "total": state.invited},
        )
        return redirect("results:lijst")
    run = tasks.start_run(inputs.round_info(ronde), request.user)
    messages.success(request, _("De analyse staat in de wachtrij."))
    return redirect("results:detail", run.pk)


def run_detail(request, pk: int):
    """The round dashboard of one run (region-level figures for partners too)."""
    run = _run(request, pk, "results.view_summary")
    full = can(request.user, "results.view_run", run)
    board = dashboard.board(run) if run.status == RunStatus.DONE else None
    responses = visible_responses(request.user, run)
    if board is not None and not full:
        board["clusters"] = []
    return render(
        request,
        "results/detail.html",
        {
            "run": run,
            "board": board,
            "full": full,
            "exports": exports.EXPORTS,
            "previous": services.previous_run(run) if full else None,
            "responses": responses,
            "delivered": sum(line.delivered for line in responses),
        },
    )


@require_GET
def run_status(request, pk: int):
    """Small JSON polled by the page while the run is queued or running."""
    run = _run(request, pk, "results.view_summary")
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "voortgang": run.voortgang,
            "stap": run.stap,
            "foutmelding": run.foutmelding,
            "rapport": run.rapport_status,
            "klaar": run.is_finished,
        }
    )


def map_page(request, pk: int):
    run = _run(request, pk)
    if run.status != RunStatus.DONE:
        raise Http404
    config = {
        "geometry": reverse("results:geometry", args=[run.pk]),
        "values": reverse("results:values", args=[run.pk]),
        "indicators": [i.as_json() for i in indicators.INDICATORS],
        "hulpvormen": [{"code": c, "label": dashboard.form_label(c)} for c in run.hulpvormen],
        "ratioBreaks": list(indicators.RATIO_BREAKS),
        "ratioColours": list(indicators.RATIO_COLOURS),
        "sequential": list(indicators.SEQUENTIAL),
        "hidden": indicators.HIDDEN_COLOUR,
        "texts": indicators.map_texts(),
        # An area to open at once (a point of the funnel plot links here).
        "gebied": text_param(request, "gebied") or None,
    }
    # The form and indicator to start with, as the funnel plot's links ask; unknown ones fall
    # back to the defaults.
    form = text_param(request, "hulpvorm", "ALLE")
    indicator = text_param(request, "indicator")
    context = {
        "run": run,
        "config": config,
        "form": form if form in run.hulpvormen else "ALLE",
        "indicator": indicator if indicator in indicators.BY_KEY else "",
    }
    return render(request, "results/map.html", context)


def geometry(request, pk: int):
    """The run's compact GeoJSON (written once by the worker, also gzipped; the browser may
    cache it)."""
    run = _run(request, pk)
    path = run.folder / storage.GEOJSON
    packed = run.folder / storage.GEOJSON_GZ
    if not path.is_file():
        raise Http404
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "") and packed.is_file()
    response = FileResponse(
        (packed if gzipped else path).open("rb"),
        content_type="application/geo+json",
        filename=storage.GEOJSON,
    )
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Cache-Control"] = "private, max-age=86400"
    return response


@gzip_page  # no secret and nothing from the request in the body (no BREACH); 1.5 MB → 0.2 MB
def values(request, pk: int):
    """Every map indicator of one form of help, per area: ``{code: [v1, v2, ...]}``."""
    run = _run(request, pk)
    form = request.GET.get("hulpvorm", "ALLE")
    if form not in run.hulpvormen:
        raise Http404
    data = services.map_values(run, form)
    data["trend_url"] = reverse("results:area_trend", args=[run.pk])
    data["group_url"] = reverse("results:vergelijkingsgroep", args=[run.pk])
    return JsonResponse(data)


def area_trend(request, pk: int):
    """One area's reach in every earlier round of the region (for the detail panel)."""
    run = _run(request, pk)
    code = text_param(request, "gebied")
    form = text_param(request, "hulpvorm", "ALLE")
    runs = AnalysisRun.objects.filter(
        organisatie_id=run.organisatie_id, status=RunStatus.DONE, peildatum__lte=run.peildatum
    ).order_by("peildatum", "-versie")
    latest = {}
    for other in runs:
        latest.setdefault(other.peildatum, other)
    points = []
    for peildatum, other in sorted(latest.items()):
        row = other.rows.filter(gebied_code=code, hulpvorm=form).first()
        if row is not None:
            points.append(
                {
                    "peildatum": peildatum.isoformat(),
                    "ronde": other.ronde_naam,
                    "bereik": row.bereik_per_1000,
                    "ratio_eb": row.ratio_eb,
                }
            )
    return JsonResponse({"punten": points})


def comparison_group(request, pk: int):
    """One area's comparison group, its members' codes nearest first (for the detail panel;
    the same for every form, so not sent with each form's map values)."""
    run = _run(request, pk)
    return JsonResponse({"leden": services.comparison_group(run, text_param(request, "gebied"))})


TREND_PAGE_SIZE = 25
SIGNIFICANT_SHOWN = 50


def trends_page(request, pk: int):
    """This run against the latest run of an earlier round of the same region: the significant
    changes first, then every area, searchable by name and trend, a page at a time."""
    run = _run(request, pk)
    earlier = AnalysisRun.objects.filter(
        organisatie_id=run.organisatie_id, status=RunStatus.DONE, peildatum__lt=run.peildatum
    ).order_by("-peildatum", "-versie")
    chosen = id_param(request, "vorige")
    previous = earlier.filter(pk=chosen).first() if chosen else earlier.first()
    form = text_param(request, "hulpvorm", "ALLE")
    if form not in run.hulpvormen:
        raise Http404
    query = text_param(request, "zoek")
    wanted = text_param(request, "trend")
    table = None
    if previous is not None:
        table = trends.significant_first(
            trends.compare(
                services.published_frame(previous, form), services.published_frame(run, form)
            )
        )
    labels = indicators.map_texts()["trends"]
    config = {
        "geometry": reverse("results:geometry", args=[run.pk]),
        "trend": {
            r.gebied_code: [r.trend, r.verhouding if r.verhouding == r.verhouding else None]
            for r in (table.itertuples() if table is not None else [])
        },
        "ratioBreaks": list(indicators.RATIO_BREAKS),
        "ratioColours": list(indicators.RATIO_COLOURS),
        "hidden": indicators.HIDDEN_COLOUR,
        "texts": indicators.map_texts(),
    }
    counts, significant, page = {}, [], None
    if table is not None:
        counts = {key: int((table["trend"] == key).sum()) for key in trends.TREND_ORDER}
        significant = _trend_rows(
            table[table["trend"].isin(trends.SIGNIFICANT)].head(SIGNIFICANT_SHOWN), labels
        )
        found = trends.matching(table, query, wanted)
        page = Paginator(range(len(found)), TREND_PAGE_SIZE).get_page(request.GET.get("pagina"))
        page.rows = _trend_rows(found.iloc[page.start_index() - 1 : page.end_index()], labels)
        page.found = len(found)
    keep = request.GET.copy()
    keep.pop("pagina", None)
    return render(
        request,
        "results/trends.html",
        {
            "run": run,
            "previous": previous,
            "earlier": earlier,
            "form": form,
            "forms": [(c, dashboard.form_label(c)) for c in run.hulpvormen],
            "counts": counts,
            "significant": significant,
            "significant_more": counts.get(trends.INCREASE, 0)
            + counts.get(trends.DECREASE, 0)
            - len(significant),
            "page": page,
            "query": query,
            "wanted": wanted,
            "trend_choices": list(labels.items()),
            "keep": keep.urlencode(),
            "config": config,
        },
    )


def _trend_rows(frame, labels: dict[str, str]) -> list[dict]:
    rows = records(frame)
    for row in rows:
        row["trend_label"] = labels[row["trend"]]
    return rows


def funnel_page(request, pk: int):
    """The funnel plot of one form of help: every area with a published count against the
    limits, a point links to the area on the map; the areas outside the limits below."""
    run = _run(request, pk)
    if run.status != RunStatus.DONE:
        raise Http404
    form = text_param(request, "hulpvorm", "ALLE")
    limits = text_param(request, "grenzen", "od")
    if form not in run.hulpvormen or limits not in funnel.LIMIT_CHOICES:
        raise Http404
    context = funnel.page_context(run, form, limits)
    context |= {
        "run": run,
        "form": form,
        "form_label": dashboard.form_label(form),
        "forms": [(c, dashboard.form_label(c)) for c in run.hulpvormen],
    }
    return render(request, "results/funnel.html", context)


def download(request, pk: int, key: str):
    """An export file or the report: always the disclosure-controlled files of the run."""
    run = _run(request, pk)
    if key in exports.BY_KEY:
        export = exports.BY_KEY[key]
        name, content_type = export.filename, export.content_type
    elif key in ("rapport-pdf", "rapport-html"):
        name = PDF_NAME if key == "rapport-pdf" else HTML_NAME
        content_type = "application/pdf" if key == "rapport-pdf" else "text/html; charset=utf-8"
    else:
        raise Http404
    path = run.folder / name
    if run.status != RunStatus.DONE or not path.is_file():
        raise Http404
    record(AuditAction.EXPORT, run, fields=[name])
    stem = f"jeugdhulp-{run.peildatum.isoformat()}-v{run.versie}-{name}"
    return FileResponse(
        path.open("rb"), content_type=content_type, as_attachment=True, filename=stem
    )


@require_GET
def map_download(request, pk: int, image_format: str):
    """The map of one form of help and indicator as PNG or SVG, with title, legend and source
    (audited as ``export``, as the other downloads)."""
    run = _run(request, pk)
    form = text_param(request, "hulpvorm", "ALLE")
    key = text_param(request, "indicator") or indicators.INDICATORS[0].key
    if (
        run.status != RunStatus.DONE
        or image_format not in map_image.FORMATS
        or form not in run.hulpvormen
        or key not in indicators.BY_KEY
    ):
        raise Http404
    extent = map_image.extent_param(text_param(request, "kader"))
    name = map_image.filename(run, form, key, image_format)
    content = map_image.render(run, form, key, image_format, extent)
    record(AuditAction.EXPORT, run, fields=[name])
    response = HttpResponse(content, content_type=map_image.FORMATS[image_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def client_routes_page(request):
    """The client routes across rounds and requests (served under /triage/routes/)."""
    if not can(request.user, "results.view_client_routes"):
        raise PermissionDenied
    context = client_routes.page_context(request.user, request.GET.get("regio"))
    return render(request, "results/client_routes.html", context)
