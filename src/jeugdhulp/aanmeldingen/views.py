"""Screens of the request monitor: register, my requests / inbox / network, a request's page and
one view per form on it (event, contact point, family plan), the network dashboard and its
export. Thin: rules live in ``workflow``, ``access`` and ``kpi``."""

from __future__ import annotations

import csv
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from jeugdhulp.aanmeldingen import access, dashboard, disclosure, kpi, workflow
from jeugdhulp.aanmeldingen.forms import (
    ContactPointForm,
    DashboardForm,
    EventForm,
    PlanForm,
    RegistrationForm,
    apply_errors,
)
from jeugdhulp.aanmeldingen.models import Aanmelding, Gezin, Gezinsplan, Status
from jeugdhulp.accounts.models import Role
from jeugdhulp.accounts.permissions import can, scope_of
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record, record_view
from jeugdhulp.core.params import id_param
from jeugdhulp.data.cells import safe_row
from jeugdhulp.reference import lookups

# list view -> (title, role that has it), in the order of the tabs: a provider's inbox is the
# work waiting for them, so it comes (and opens) first.
LISTS = {
    "inbox": (gettext_lazy("Inbox van mijn voorziening"), (Role.MEDEWERKER_VOORZIENING,)),
    "mijn": (gettext_lazy("Mijn aanmeldingen"), access.REGISTERING_ROLES),
    "netwerk": (gettext_lazy("Alle aanmeldingen van het netwerk"), (Role.COORDINATOR,)),
}


def _list_queryset(user, name: str):
    if name == "mijn":
        return Aanmelding.objects.filter(aangemeld_door=user)
    ids = (
        access.provider_organisations(user)
        if name == "inbox"
        else access.coordinated_organisations(user)
    )
    return access.visible_requests(user).filter(pk__in=access.addressed_to(ids))


def request_list(request):
    if not can(request.user, "aanmeldingen.list_aanmelding"):
        raise PermissionDenied
    scope = scope_of(request.user)
    tabs = [(key, title) for key, (title, roles) in LISTS.items() if scope.has(*roles)]
    current = request.GET.get("weergave") or tabs[0][0]
    if current not in dict(tabs):
        raise Http404
    rows = (
        _list_queryset(request.user, current)
        .select_related("eerste_contact_organisatie")
        .prefetch_related("partners")
        .order_by("-aangemeld_op", "-id")
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("pagina"))
    names = lookups.municipality_names({a.gemeente for a in page})
    for a in page:
        a.gemeente_naam = names.get(a.gemeente, a.gemeente)
    return render(
        request,
        "aanmeldingen/list.html",
        {
            "tabs": tabs,
            "current": current,
            "title": dict(tabs)[current],
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "may_register": can(request.user, "aanmeldingen.add_aanmelding"),
        },
    )


def register(request):
    if not can(request.user, "aanmeldingen.add_aanmelding"):
        raise PermissionDenied
    gezin = None
    gezin_id = id_param(request, "gezin")
    if gezin_id is not None:
        gezin = get_object_or_404(Gezin, pk=gezin_id)
        if not access.may_see_family_contact(request.user, gezin):
            raise Http404
    form = RegistrationForm(request.POST or None, user=request.user, gezin=gezin)
    if request.method == "POST":
        if not form.is_valid():
            # The rules of the service too, so every problem shows after one submit.
            form.add_rule_errors(workflow.registration_problems(request.user, form.registration()))
        else:
            try:
                created = workflow.register(request.user, form.registration())
            except workflow.InvalidInput as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("De aanmelding is geregistreerd."))
                return redirect("aanmeldingen:detail", pk=created.pk)
    return render(request, "aanmeldingen/register.html", {"form": form, "gezin": gezin})


def _visible_or_404(user, pk: int) -> Aanmelding:
    aanmelding = get_object_or_404(
        access.visible_requests(user).select_related(
            "gezin__aanspreekpunt_organisatie", "eerste_contact_organisatie", "aangemeld_door"
        ),
        pk=pk,
    )
    if not can(user, "aanmeldingen.view_aanmelding", aanmelding):
        raise Http404
    return aanmelding


def _history(aanmelding: Aanmelding) -> list:
    """The request's events, each with the name of its form of help (never only its code)."""
    events = list(aanmelding.gebeurtenissen.select_related("organisatie", "door"))
    names = lookups.hulpvorm_names({e.hulpvorm for e in events if e.hulpvorm})
    for event in events:
        event.hulpvorm_naam = names.get(event.hulpvorm, event.hulpvorm)
    return events


def _page(request, aanmelding: Aanmelding, **bound) -> HttpResponse:
    """The request's page. Its three forms (event, contact point, family plan) POST to their
    own views; one that came back with errors is passed in ``bound`` and shown as it was."""
    user = request.user
    gezin = aanmelding.gezin
    partners = list(aanmelding.partners.all())
    plan = Gezinsplan.objects.filter(gezin=gezin).prefetch_related("organisaties").first()
    forms = {
        "event_form": EventForm(aanmelding=aanmelding, initial={"versie": aanmelding.versie}),
        "contact_form": ContactPointForm(
            partners=partners,
            initial={
                "versie": gezin.versie,
                "aanspreekpunt_organisatie": gezin.aanspreekpunt_organisatie_id,
                "aanspreekpunt_persoon": gezin.aanspreekpunt_persoon,
            },
        ),
        "plan_form": PlanForm(
            partners=partners,
            initial={
                "doelen": plan.doelen if plan else "",
                "organisaties": [str(o.pk) for o in plan.organisaties.all()] if plan else [],
                "versie": plan.versie if plan else None,
            },
        ),
        **bound,
    }
    show_contact = can(user, "aanmeldingen.view_contact", aanmelding)
    may_view_assessments = can(user, "triage.list_assessment")
    if show_contact:
        record_view(gezin, fields=Gezin.CONTACT_FIELDS)
    return render(
        request,
        "aanmeldingen/detail.html",
        {
            "a": aanmelding,
            "gemeente": lookups.municipality_name(aanmelding.gemeente),
            "gezin": gezin,
            "show_contact": show_contact,
            "partners": partners,
            "domeinen": [r.get_domein_display() for r in aanmelding.domein_rijen.all()],
            "events": _history(aanmelding),
            "family_requests": access.visible_requests(user)
            .filter(gezin=gezin)
            .exclude(pk=aanmelding.pk),
            "plan": plan,
            "may_act": can(user, "aanmeldingen.add_gebeurtenis", aanmelding),
            "may_assess": can(user, "triage.add_assessment", aanmelding),
            "assessments": (
                aanmelding.taxaties.order_by("-aangemaakt_op", "-id")
                if may_view_assessments
                else []
            ),
            "may_register": show_contact and can(user, "aanmeldingen.add_aanmelding"),
            **forms,
        },
    )


@require_safe
def detail(request, pk: int):
    return _page(request, _visible_or_404(request.user, pk))


def _acting(request, pk: int) -> Aanmelding:
    """The request a form acts on: 404 when not visible, 403 for someone who may not act."""
    aanmelding = _visible_or_404(request.user, pk)
    if not can(request.user, "aanmeldingen.add_gebeurtenis", aanmelding):
        raise PermissionDenied
    return aanmelding


def _act(request, aanmelding: Aanmelding, name: str, form, save, done: str) -> HttpResponse:
    """Save a valid ``form`` with ``save(cleaned_data)`` and go back to the request's page with
    ``done``; the service's field errors come back on the page next to the fields, a refused
    transition or a version conflict as a message above it."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except workflow.InvalidInput as error:
            apply_errors(form, error)
        except (workflow.TransitionNotAllowed, workflow.VersionConflict) as error:
            messages.error(request, str(error))
            return redirect("aanmeldingen:detail", pk=aanmelding.pk)
        else:
            messages.success(request, done)
            return redirect("aanmeldingen:detail", pk=aanmelding.pk)
    return _page(request, aanmelding, **{name: form})


@require_POST
def add_event(request, pk: int):
    aanmelding = _acting(request, pk)
    form = EventForm(request.POST, aanmelding=aanmelding)
    return _act(
        request,
        aanmelding,
        "event_form",
        form,
        lambda d: workflow.add_event(request.user, aanmelding.pk, form.event(), d["versie"]),
        _("Gebeurtenis geregistreerd."),
    )


@require_POST
def set_contact_point(request, pk: int):
    aanmelding = _acting(request, pk)
    form = ContactPointForm(request.POST, partners=list(aanmelding.partners.all()))
    return _act(
        request,
        aanmelding,
        "contact_form",
        form,
        lambda d: workflow.set_contact_point(
            aanmelding.gezin, form.organisation(), d["aanspreekpunt_persoon"], d["versie"]
        ),
        _("Aanspreekpunt bewaard."),
    )


@require_POST
def save_plan(request, pk: int):
    aanmelding = _acting(request, pk)
    form = PlanForm(request.POST, partners=list(aanmelding.partners.all()))
    return _act(
        request,
        aanmelding,
        "plan_form",
        form,
        lambda d: workflow.save_plan(aanmelding.gezin, d["doelen"], form.chosen(), d["versie"]),
        _("Gezinsplan bewaard."),
    )


def _board(request):
    networks = list(access.kpi_networks(request.user))
    if not networks:
        raise PermissionDenied
    today = timezone.localdate()
    code = request.GET.get("netwerk") or networks[0].code
    network = next((n for n in networks if n.code == code), None)
    if network is None:
        raise Http404
    partners = list(kpi.network_partners(network))
    initial = {
        "netwerk": network.code,
        "van": today.replace(year=today.year - 1) + dt.timedelta(days=1),
        "tot": today,
    }
    form = DashboardForm({**initial, **request.GET.dict()}, networks=networks, partners=partners)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    partner = next((p for p in partners if p.code == d["partner"]), None)
    # Outside the network: whole ended quarters, and only the figures the one disclosure rule
    # publishes (the same for the page, the map, the export and the API).
    van, tot = disclosure.period_for(request.user, network, d["van"], d["tot"], today)
    board = dashboard.build(network, van, tot, partner)
    return form, disclosure.publish(board, request.user)


def split_idle_partners(per_partner: list) -> tuple[list, list]:
    """The partners with requests (or a waiting list) in the period, and those without any:
    the page lists the first and sums the second up in one line. A hidden count (``None``) is
    never taken for zero."""
    busy, idle = [], []
    for org, figures in per_partner:
        empty = figures.aantal == 0 and not figures.open_wachtlijst
        (idle if empty else busy).append((org, figures))
    return busy, idle


def dashboard_view(request):
    form, board = _board(request)
    busy, idle = split_idle_partners(board.per_partner) if board else ([], [])
    shown = [n for _, n in board.per_month if n is not None] if board else []
    month_max = max(shown, default=0)
    return render(
        request,
        "aanmeldingen/dashboard.html",
        {
            "form": form,
            "board": board,
            "month_max": month_max,
            "busy_partners": busy,
            "idle_partners": [org for org, _f in idle],
            "query": request.GET.urlencode(),
            "max_lag": settings.JEUGDHULP_DASHBOARD_MAX_LAG,
            "hidden": _("te weinig gegevens"),
            "threshold": settings.JEUGDHULP_DISCLOSURE_THRESHOLD - 1,
        },
    )


def dashboard_map(request):
    """The dashboard's requests per municipality as GeoJSON (the same filters as the page)."""
    _form, board = _board(request)
    if board is None:
        raise Http404
    return JsonResponse(dashboard.municipality_map(board))


def dashboard_export(request):
    _form, board = _board(request)
    if board is None:
        raise Http404
    record(AuditAction.EXPORT, board.network, fields=["dashboard"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"aanmeldingen_{board.network.code}_{board.van:%Y%m%d}_{board.tot:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(safe_row(dashboard.EXPORT_COLUMNS))
    writer.writerows(safe_row(row) for row in dashboard.export_rows(board))
    return response
