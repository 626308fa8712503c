"""Junk in the query string answers 400 or 404, never a server error (#12 finding 10).

Every URL pattern of the project is requested with GET by a signed-in user of each role, its
path filled with existing ids, and every query parameter that its app reads set to junk. The
parameter names are collected from the source: ``request.GET.get("x")``, ``request.GET["x"]``,
``query_params.get("x")``, and the fields of every form or serializer built from the query
string, so a new parameter is fuzzed without touching this test.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
import time

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from jeugdhulp.accounts.models import Role
from jeugdhulp.api.tokens import issue

JUNK = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "\x00",
    "'",
    "",
    "2023-02-30",
    "x" * 3000,
]
JUNK_FOR_EVERY_ROLE = ["abc", "99999999999999999999", "\x00", "'"]
# Django admin's own query parameters of a change list.
ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_changelist_filters"]
ROLES = ["aanmelder", "voorziening", "coordinator", "analist", "beheerder", "organisatiebeheerder"]
_READS = re.compile(
    r"""(?:request\.GET\.get|request\.GET\[|query_params\.get|query_params\[|_param\(request,)"""
    r"""\(?\s*["'](\w+)["']"""
)
_BOUND = re.compile(r"([\w.]+)\((?:data=)?[^()]*?request\.(?:GET|query_params)\b")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def _module_of(callback):
    target = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    target = inspect.unwrap(target)
    return inspect.getmodule(target)


def parameters_read_by(module) -> set[str]:
    """The query parameters a view module reads, by name or through a form or serializer."""
    source = inspect.getsource(module)
    names = set(_READS.findall(source))
    for dotted in _BOUND.findall(source):
        owner = module
        for part in dotted.split("."):
            owner = getattr(owner, part, None)
        if inspect.isclass(owner):
            fields = getattr(owner, "base_fields", None)
            if fields is None and hasattr(owner, "_declared_fields"):
                fields = owner._declared_fields
            names |= set(fields or ())
    return names


def test_the_collector_finds_the_parameters_the_views_read():
    results = importlib.import_module("jeugdhulp.results.views")
    monitor = importlib.import_module("jeugdhulp.aanmeldingen.views")
    api = importlib.import_module("jeugdhulp.aanmeldingen.api.views")
    assert {"vorige", "hulpvorm", "gebied"} <= parameters_read_by(results)
    assert {"weergave", "status", "pagina", "gezin", "van", "tot", "partner"} <= (
        parameters_read_by(monitor)
    )
    assert {"netwerk", "van", "tot", "status", "gemeente"} <= parameters_read_by(api)


@pytest.fixture
def places(world, request_in, analysed, small_inputs, make_organisation, settings, tmp_path):
    """One existing object behind every path parameter."""
    from jeugdhulp.results.tests.test_views import store_done_run
    from jeugdhulp.rounds.models import Round
    from jeugdhulp.triage import services as triage_services
    from jeugdhulp.triage.models import RuleSet
    from jeugdhulp.triage.tests.test_triage_app import scores

    ronde = Round.objects.create(
        naam="Foto fuzz", peildatum=dt.date(2023, 2, 10), organisatie=world["region"]
    )
    ronde.partners.add(world["partner"])
    done = store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path)
    run = done["run"]
    run.organisatie = world["region"]
    run.ronde_id = ronde.pk
    run.save()
    assessment = triage_services.create_assessment(
        world["aanmelder"], request_in, ["D200"], scores(1)
    )
    ruleset = RuleSet.objects.create(naam="Regels fuzz", organisatie=world["network"])
    triage_services.save_version(ruleset, {"regels": []}, None)
    values = {
        "results:start": {"ronde_id": ronde.pk},
        "results:download": {"pk": run.pk, "key": "csv"},
        "rounds:sjabloon": {"pk": ronde.pk, "fmt": "xlsx"},
        "triage:nieuw": {"pk": request_in.pk},
        "triage:nieuw_gezin": {"pk": request_in.gezin_id},
        "triage:detail": {"pk": assessment.pk},
        "triage:regelset": {"pk": ruleset.pk},
        "triage:regelset_bewerken": {"pk": ruleset.pk},
        "api:aanleveringen": {"pk": ronde.pk},
        "api:aanmelding-detail": {"pk": request_in.pk},
        "api:aanmelding-gebeurtenissen": {"pk": request_in.pk},
        "api:organisatie-detail": {"pk": world["partner"].pk},
        "rollen_beslissen": {
            "pk": world["voorziening"].memberships.first().pk,
            "besluit": "goedkeuren",
        },
    }
    for name in (
        "detail",
        "status",
        "kaart",
        "geometry",
        "values",
        "area_trend",
        "evolutie",
        "funnel",
        "vergelijkingsgroep",
    ):
        values[f"results:{name}"] = {"pk": run.pk}
    values["results:kaart_afbeelding"] = {"pk": run.pk, "image_format": "png"}
    for name in ("duiding", "duiding_panel", "duiding_delete"):
        values[f"results:{name}"] = {"pk": run.pk}
    values["results:duiding_export"] = {"pk": run.pk, "kind": "csv"}
    values["results:duiding_vragen"] = {"pk": run.pk}
    values["results:duiding_intrekken"] = {"pk": run.pk, "uitnodiging_id": 1}
    values["results:duiding_answer"] = {"token": "onbekend"}
    for name in ("detail", "status", "aanleveren", "sleutel"):
        values[f"rounds:{name}"] = {"pk": ronde.pk}
    for name in ("detail", "gebeurtenis", "aanspreekpunt", "gezinsplan"):
        values[f"aanmeldingen:{name}"] = {"pk": request_in.pk}
    return values


def _admin_kwargs(name: str, pattern: URLPattern):
    """Path values of an admin URL: the first object of its model, or ``None`` to skip it."""
    for model, _model_admin in admin.site._registry.items():
        stem = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(stem):
            first = model._base_manager.order_by("pk").first()
            if "object_id" in pattern.pattern.regex.groupindex:
                return None if first is None else {"object_id": first.pk}
            return {}
    if name == "admin:app_list":
        return {"app_label": "accounts"}
    return {} if not pattern.pattern.regex.groupindex else None


def _urls(places):
    """``(url, parameters)`` for every GET-able pattern of the project."""
    out = []
    missing = []
    for name, pattern in _walk(get_resolver().url_patterns):
        kwargs_needed = set(pattern.pattern.regex.groupindex)
        if name.startswith("admin:"):
            kwargs = _admin_kwargs(name, pattern)
            # The change lists read the query string; the forms do not.
            if kwargs is None or not name.endswith(("_changelist", "index")):
                continue
            names = set(ADMIN_PARAMETERS)
        else:
            if name in {"set_language", "logout", "uitnodiging_aanvaarden"}:
                continue  # POST only, or a signed link (fuzzed in the accounts tests)
            if name.startswith("password_reset_confirm"):
                continue
            kwargs = places.get(name, {})
            if set(kwargs) != kwargs_needed:
                missing.append(name)
                continue
            names = parameters_read_by(_module_of(pattern.callback))
        out.append((reverse(name, kwargs=kwargs), sorted(names)))
    assert not missing, f"add path values for these URL patterns to places(): {missing}"
    return out


def _clients(world):
    """A signed-in browser client and a token API client per role."""
    from django.test import Client

    clients = {}
    for role in ROLES:
        user = world[role]
        web = Client(raise_request_exception=False)
        web.force_login(user)
        api = APIClient(raise_request_exception=False)
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue(user)[1]}")
        clients[role] = (web, api)
    return clients


def test_every_view_answers_junk_query_parameters_without_a_server_error(
    places, world, settings, make_user
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    world["organisatiebeheerder"] = make_user(Role.ORGANISATIEBEHEERDER, world["partner"])
    from jeugdhulp.accounts.models import Membership

    held = set(
        Membership.objects.filter(user__in=[world[r] for r in ROLES]).values_list("rol", flat=True)
    )
    assert held == set(Role.values)
    clients = _clients(world)
    failures = []
    sent = 0
    started = time.monotonic()
    for url, names in _urls(places):
        admin_url = url.startswith("/beheer/")
        reaches = []
        for role, (web, api) in clients.items():
            if admin_url and role != "beheerder":
                continue  # the admin answers everyone else with its login page
            client = api if url.startswith("/api/") else web
            # Every parameter junk at once (a few kinds of junk for every role).
            for junk in JUNK_FOR_EVERY_ROLE if names else [None]:
                response = client.get(url, dict.fromkeys(names, junk) if names else {})
                sent += 1
                if response.status_code >= 500:
                    failures.append((role, url, junk, response.status_code))
            if client.get(url).status_code == 200:
                reaches.append(client)
        # Then each parameter alone, by a role that reaches the page, so that one parameter's
        # 404 does not hide another's error.
        for client in reaches[:1] if not admin_url else []:
            for name in names:
                for junk in JUNK:
                    response = client.get(url, {name: junk})
                    sent += 1
                    if response.status_code >= 500:
                        failures.append(("alone", url, {name: junk}, response.status_code))
    elapsed = time.monotonic() - started
    shown = [(role, url, str(q)[:40], code) for role, url, q, code in failures]
    assert not shown, f"{len(failures)} server errors of {sent} requests: {shown[:20]}"
    assert sent > 1000, sent
    print(f"{sent} requests in {elapsed:.1f} s")
