"""Screens under /triage/: record an assessment and its decision, rule sets, reports. Thin: the
rules live in ``engine``, ``services`` and ``reports``. (The client routes under /triage/routes/
are reporting over rounds and requests: ``results.client_routes``.)"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jeugdhulp.aanmeldingen import access
from jeugdhulp.aanmeldingen.models import Gezin
from jeugdhulp.accounts.permissions import can
from jeugdhulp.audit.services import record_view
from jeugdhulp.reference import lookups
from jeugdhulp.triage import engine, reports, services
from jeugdhulp.triage.codes import STEP_ITEMS, STEP_SCALES, capj_label
from jeugdhulp.triage.forms import (
    AssessmentForm,
    DecisionForm,
    RuleFormSet,
    RuleSetForm,
    RuleSetSettingsForm,
    rule_initial,
)
from jeugdhulp.triage.models import Assessment, Route, RuleSet


def _require(user, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied


def index(request):
    _require(request.user, "triage.list_assessment")
    assessments = (
        services.visible_assessments(request.user)
        .select_related("regelset_versie__regelset")
        .order_by("-aangemaakt_op", "-id")[:200]
    )
    return render(request, "triage/index.html", {"assessments": assessments})


def _target(request, kind: str, pk: int):
    """The request or family to assess; 404 for one the user may not see."""
    visible = access.visible_requests(request.user)
    if kind == "gezin":
        target = get_object_or_404(Gezin, pk=pk, aanmeldingen__in=visible)
        return Gezin.objects.get(pk=target.pk)
    return get_object_or_404(visible, pk=pk)


def new(request, kind: str, pk: int):
    target = _target(request, kind, pk)
    _require(request.user, "triage.add_assessment", target)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(
                request.user, target, form.codes(), form.scores()
            )
        except services.InvalidAssessment as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            return redirect("triage:detail", pk=assessment.pk)
    gemeente, orgs = services.request_context(target)
    ruleset = services.applicable_ruleset(gemeente, orgs, create=False)
    return render(
        request,
        "triage/new.html",
        {
            "form": form,
            "target": target,
            "kind": kind,
            "ruleset": ruleset,
            "gemeente": lookups.municipality_name(gemeente),
        },
    )


def _explanation(assessment: Assessment) -> list[str]:
    return [engine.describe(o, _) for o in assessment.uitleg.get("voorwaarden", [])]


def detail(request, pk: int):
    assessment = get_object_or_404(
        Assessment.objects.select_related("regelset_versie__regelset"), pk=pk
    )
    if not can(request.user, "triage.view_assessment", assessment):
        raise Http404
    may_decide = can(request.user, "triage.decide_assessment", assessment)
    form = DecisionForm(
        request.POST or None,
        initial={"beslissing": assessment.beslissing or assessment.advies},
    )
    if request.method == "POST":
        _require(request.user, "triage.decide_assessment", assessment)
        if form.is_valid():
            try:
                services.record_decision(
                    request.user,
                    assessment,
                    form.cleaned_data["beslissing"],
                    form.cleaned_data["reden"],
                )
            except services.InvalidAssessment as error:
                for problem in error.problems:
                    form.add_error("reden", problem)
            else:
                messages.success(request, _("De beslissing is bewaard."))
                return redirect("triage:detail", pk=assessment.pk)
    record_view(assessment, user=request.user, fields=["capj", "step", "advies"])
    scores = [
        (
            _(label),
            getattr(assessment, f"totaal_{scale.lower()}"),
            [
                (item.code, _(item.label), assessment.step.get(item.code))
                for item in STEP_ITEMS
                if item.scale == scale
            ],
        )
        for scale, label in STEP_SCALES.items()
    ]
    overruled = [
        (code, Route(advies).label) for code, advies in assessment.uitleg.get("overstemd", [])
    ]
    return render(
        request,
        "triage/detail.html",
        {
            "a": assessment,
            "codes": [(code, _(capj_label(code))) for code in assessment.capj],
            "scores": scores,
            "explanation": _explanation(assessment),
            "overruled": overruled,
            "form": form if may_decide else None,
            "may_view_rules": can(request.user, "triage.view_ruleset"),
        },
    )


def ruleset_list(request):
    _require(request.user, "triage.view_ruleset")
    rulesets = list(RuleSet.objects.select_related("organisatie").prefetch_related("versies"))
    names = lookups.municipality_names({r.gemeente for r in rulesets if r.gemeente})
    for ruleset in rulesets:
        ruleset.gemeente_naam = names.get(ruleset.gemeente, ruleset.gemeente)
    return render(
        request,
        "triage/rulesets.html",
        {
            "rulesets": rulesets,
            # Until a beheerder saves them, the platform's rules are the starter rules (reading
            # this page stores nothing).
            "starter": services.existing_default_ruleset() is None,
            "starter_name": services.DEFAULT_NAME,
            "may_change": can(request.user, "triage.change_ruleset"),
        },
    )


def ruleset_detail(request, pk: int):
    _require(request.user, "triage.view_ruleset")
    ruleset = get_object_or_404(RuleSet, pk=pk)
    versions = list(ruleset.versies.select_related("gemaakt_door"))
    if not versions:
        raise Http404
    wanted = request.GET.get("versie")
    shown = next((v for v in versions if str(v.versie) == wanted), versions[0])
    rules = engine.parse_ruleset(shown.regels)
    return render(
        request,
        "triage/ruleset.html",
        {
            "ruleset": ruleset,
            "versions": versions,
            "shown": shown,
            "rules": rules,
            "advice_labels": dict(Route.choices),
            "json": json.dumps(shown.regels, indent=2, ensure_ascii=False),
            "may_change": can(request.user, "triage.change_ruleset"),
        },
    )


def _place_problems(problems: list[str], rules, settings_form) -> None:
    """Put each problem of the rule engine next to the rule it names ("regel U1: ...", or
    "regel 3: ..." by position), the others above the form."""
    shown = [f for f in rules.forms if f.cleaned_data and not rules._should_delete_form(f)]
    by_code = {f.cleaned_data.get("code", "").strip(): f for f in shown}
    for problem in problems:
        where = problem.partition(": ")[0]
        name = where.removeprefix("regel ").split(" > ")[0] if where.startswith("regel ") else None
        form = by_code.get(name) if name else None
        if form is None and name and name.isdigit() and 0 < int(name) <= len(shown):
            form = shown[int(name) - 1]
        if form is not None:
            form.add_error(None, problem)
        else:
            settings_form.add_error(None, problem)


def ruleset_edit(request, pk: int | None = None, default: bool = False):
    """A new version of a rule set, through a form with a row per rule (GET writes nothing)."""
    _require(request.user, "triage.change_ruleset")
    if pk:
        ruleset = get_object_or_404(RuleSet, pk=pk)
    else:
        ruleset = services.existing_default_ruleset() if default else None
    current = ruleset.current() if ruleset else None
    start = current.regels if current else engine.STARTER_RULESET
    data = request.POST if request.method == "POST" else None
    meta = RuleSetForm(data) if ruleset is None and not default else None
    settings_form = RuleSetSettingsForm(data, initial=RuleSetSettingsForm.initial_for(start))
    rules = RuleFormSet(
        data, initial=[rule_initial(r) for r in start.get("regels", [])], prefix="regel"
    )
    forms_valid = [f.is_valid() for f in (settings_form, rules, meta) if f is not None]
    if data is not None and all(forms_valid):
        regels = {**settings_form.settings(), "regels": rules.rules()}
        try:
            engine.parse_ruleset(regels)
        except engine.RuleSetError as error:
            _place_problems(error.problems, rules, settings_form)
        else:
            if ruleset is None and default:
                ruleset = services.default_ruleset()
            elif ruleset is None:
                ruleset = RuleSet.objects.create(
                    naam=meta.cleaned_data["naam"],
                    organisatie=meta.cleaned_data["organisatie"],
                    gemeente=meta.cleaned_data["gemeente"],
                )
            version = services.save_version(
                ruleset, regels, request.user, settings_form.cleaned_data["toelichting"]
            )
            messages.success(
                request, _("Versie %(n)s van de regelset is bewaard.") % {"n": version.versie}
            )
            return redirect("triage:regelset", pk=ruleset.pk)
    return render(
        request,
        "triage/ruleset_edit.html",
        {
            "ruleset": ruleset,
            "default": default,
            "default_name": services.DEFAULT_NAME,
            "meta": meta,
            "settings_form": settings_form,
            "rules": rules,
            "current": current,
        },
    )


def report(request):
    _require(request.user, "triage.view_report")
    assessments = services.reported_assessments(request.user)
    table, share = reports.agreement(assessments)
    return render(
        request,
        "triage/report.html",
        {
            "agreement": table,
            "share": share,
            "by_domain": reports.by_domain(assessments),
            "by_municipality": reports.by_municipality(assessments),
            # counts from 1 to threshold − 1 are hidden (``analysis.disclosure``): the page
            # names the highest hidden count, so a shown 5 never contradicts the text
            "hidden_up_to": reports.threshold() - 1,
        },
    )
