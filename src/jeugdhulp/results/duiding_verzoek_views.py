"""Screens of the duiding request: the coördinator's form and list of requests (with revoking a
link), and the professional's form behind a personal link (no account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jeugdhulp.accounts.permissions import can
from jeugdhulp.audit.client_ip import client_ip
from jeugdhulp.audit.context import Actor, acting_as
from jeugdhulp.core.password_reset import count_request
from jeugdhulp.results import duiding, duiding_verzoek
from jeugdhulp.results.duiding_models import DuidingUitnodiging
from jeugdhulp.results.models import AnalysisRun, RunStatus


def _run(request, pk: int) -> AnalysisRun:
    run = get_object_or_404(AnalysisRun.objects.select_related("organisatie"), pk=pk)
    if run.status != RunStatus.DONE or not can(request.user, "results.ask_duiding", run):
        raise Http404
    return run


def ask(request, pk: int):
    """Choose areas and addresses; each address gets its own link by e-mail."""
    run = _run(request, pk)
    form = duiding_verzoek.RequestForm(
        request.POST or None,
        run=run,
        initial={"dagen": duiding_verzoek.DEFAULT_DAYS, "gebieden": request.GET.get("gebied", "")},
    )
    if request.method == "POST" and form.is_valid():

        def link(token: str) -> str:
            return request.build_absolute_uri(reverse("results:duiding_answer", args=[token]))

        verzoek = duiding_verzoek.create_request(
            run,
            request.user,
            form.cleaned_data["gebieden"],
            form.cleaned_data["emails"],
            form.cleaned_data["dagen"],
            link,
        )
        n = verzoek.uitnodigingen.count()
        messages.success(
            request, ngettext("%(n)s e-mail verstuurd.", "%(n)s e-mails verstuurd.", n) % {"n": n}
        )
        return redirect("results:duiding_vragen", run.pk)
    return render(
        request,
        "results/duiding_vragen.html",
        {"run": run, "form": form, "requests": duiding_verzoek.requests_of(run)},
    )


@require_POST
def revoke(request, pk: int, uitnodiging_id: int):
    run = _run(request, pk)
    invitation = get_object_or_404(
        DuidingUitnodiging, pk=uitnodiging_id, verzoek__run__ronde_id=run.ronde_id
    )
    invitation.ingetrokken = True
    invitation.save(update_fields=["ingetrokken"])
    messages.success(
        request, _("De link van %(email)s werkt niet meer.") % {"email": invitation.email}
    )
    return redirect("results:duiding_vragen", run.pk)


@login_not_required
@never_cache
def answer(request, token: str):
    """The professional's form: the requested areas with the map's figures and, per area, the
    three choices, the factors and a text. Nothing else of the region is reachable from here."""
    ip = client_ip(request) or "?"
    if count_request("duiding-ip", ip, 3600) > duiding_verzoek.ANSWERS_PER_HOUR:
        return render(request, "results/duiding_link.html", {"reason": "limit"}, status=429)
    invitation = duiding_verzoek.invitation_for(token)
    if invitation is None:
        return render(request, "results/duiding_link.html", {"reason": "invalid"}, status=404)
    # The audit log names the invitation, never the token (the request path holds it).
    actor = Actor(username=f"duiding-uitnodiging-{invitation.pk}", ip_address=ip, path="")
    codes = invitation.verzoek.gebieden
    posted_area = None
    if request.method == "POST":
        posted_area = request.POST.get("gebied", "")
        if posted_area not in codes:
            raise Http404
        # One form per area on the page: a prefix per area keeps their fields and ids apart.
        form = duiding_verzoek.AnswerForm(request.POST, prefix=f"g{codes.index(posted_area)}")
        if form.is_valid():
            with acting_as(actor):
                duiding_verzoek.save_answer(invitation, posted_area, form.cleaned_data)
            messages.success(request, _("Uw duiding is bewaard."))
            return redirect(
                reverse("results:duiding_answer", args=[token]) + f"#gebied-{posted_area}"
            )
    items = []
    for item in duiding_verzoek.areas(invitation):
        code = item["row"].gebied_code
        mine = item["eigen"]
        if posted_area == code:
            area_form = form
        else:
            initial = (
                {
                    "herkend": mine.herkend,
                    "factoren": mine.factoren,
                    "toelichting": mine.toelichting,
                    "organisatie_tekst": mine.organisatie_tekst,
                }
                if mine
                else {}
            )
            area_form = duiding_verzoek.AnswerForm(initial=initial, prefix=f"g{codes.index(code)}")
        items.append(
            {
                "row": item["row"],
                "figures": duiding.figures(item["row"]),
                "form": area_form,
                "saved": mine is not None,
            }
        )
    return render(
        request,
        "results/duiding_antwoord.html",
        {"invitation": invitation, "run": invitation.verzoek.run, "items": items},
        status=400 if posted_area else 200,
    )
