"""Screens of snapshot rounds: the list, a new round, a round's page (response overview for the
organisers, delivery for the partners) and its templates. Thin: the work is in ``services``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jeugdhulp.accounts.models import Organisation, Role
from jeugdhulp.accounts.permissions import can, scope_of
from jeugdhulp.data.codes import ascii_digits
from jeugdhulp.rounds import services
from jeugdhulp.rounds.forms import KeyFingerprintForm, RoundForm, UploadForm
from jeugdhulp.rounds.models import Round, Upload
from jeugdhulp.rounds.rules import DELIVERING_ROLES, ORGANISING_ROLES, delivering_partner_ids
from jeugdhulp.snapshot import pseudonym
from jeugdhulp.snapshot.template import SiteLine, write_csv, write_xlsx


def visible_rounds(user):
    scope = scope_of(user)
    if scope.has(Role.BEHEERDER):
        return Round.objects.all()
    return Round.objects.filter(
        Q(organisatie__in=scope.reaches(*ORGANISING_ROLES))
        | Q(partners__in=scope.organisations(*DELIVERING_ROLES))
    ).distinct()


def _round_or_404(user, pk: int, action: str = "rounds.view_round") -> Round:
    ronde = get_object_or_404(Round, pk=pk)
    if not can(user, action, ronde):
        raise Http404
    return ronde


def round_list(request):
    if not can(request.user, "rounds.list_round"):
        raise PermissionDenied
    rounds = visible_rounds(request.user).select_related("organisatie")
    return render(
        request,
        "rounds/list.html",
        {"rounds": rounds, "may_add": can(request.user, "rounds.add_round")},
    )


def round_create(request):
    if not can(request.user, "rounds.add_round"):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ronde = form.save(commit=False)
        ronde.aangemaakt_door = request.user
        ronde.save()
        form.save_m2m()
        messages.success(request, _("De ronde is aangemaakt."))
        return redirect("rounds:detail", pk=ronde.pk)
    return render(request, "rounds/form.html", {"form": form})


def _partners(user, ronde: Round):
    return Organisation.objects.filter(pk__in=delivering_partner_ids(user, ronde))


def round_detail(request, pk: int):
    ronde = _round_or_404(request.user, pk)
    context: dict = {
        "ronde": ronde,
        "hulpvormen": ronde.hulpvormen.all(),
        "may_change": can(request.user, "rounds.change_round", ronde),
    }
    if can(request.user, "rounds.follow_round", ronde):
        overview = services.response_overview(ronde)
        context["overview"] = overview
        context["delivered"] = sum(r.delivered for r in overview)
        context["total_rows"] = sum(r.active.rijen for r in overview if r.active)
        context["children"] = services.unique_children(ronde)
    if context["may_change"]:
        context["key_form"] = KeyFingerprintForm(instance=ronde)
    partners = _partners(request.user, ronde)
    if partners.exists():
        context["own_sites"] = services.partner_sites(partners)
        context["own_uploads"] = Upload.objects.filter(ronde=ronde, partner__in=partners)
        if can(request.user, "rounds.upload_round", ronde):
            context["upload_form"] = UploadForm(partners=partners)
        context["closed_for_partner"] = not ronde.open
    shown = request.GET.get("aanlevering")
    if shown and ascii_digits(shown):
        upload = Upload.objects.filter(pk=int(shown), ronde=ronde).first()
        if upload is not None and (
            upload.partner_id in set(partners.values_list("pk", flat=True))
            or can(request.user, "rounds.follow_round", ronde)
        ):
            context["shown_upload"] = upload
    return render(request, "rounds/detail.html", context)


@require_POST
def round_status(request, pk: int):
    """Close a round for delivery (uploads are refused from then on) or open it again."""
    ronde = _round_or_404(request.user, pk)
    if not can(request.user, "rounds.change_round", ronde):
        raise PermissionDenied
    ronde.open = request.POST.get("open") == "1"
    ronde.save(update_fields=["open"])
    if ronde.open:
        messages.success(request, _("De ronde is weer open voor aanlevering."))
    else:
        messages.success(request, _("De ronde is gesloten: partners kunnen niet meer aanleveren."))
    return redirect("rounds:detail", pk=ronde.pk)


@require_POST
def round_key(request, pk: int):
    """The coordinator writes down (or changes) the fingerprint of the round key."""
    ronde = _round_or_404(request.user, pk)
    if not can(request.user, "rounds.change_round", ronde):
        raise PermissionDenied
    form = KeyFingerprintForm(request.POST, instance=ronde)
    if form.is_valid():
        form.save()
        messages.success(request, _("De vingerafdruk van de rondesleutel is bewaard."))
    else:
        messages.error(request, " ".join(form.errors.get("sleutel_vingerafdruk", [])))
    return redirect("rounds:detail", pk=ronde.pk)


def pseudonymisation_tool(request):
    """The partner's pseudonymisation program: one Python file, standard library only."""
    if not can(request.user, "rounds.list_round"):
        raise PermissionDenied
    return FileResponse(
        Path(pseudonym.__file__).open("rb"),
        as_attachment=True,
        filename="pseudonym.py",
        content_type="text/x-python",
    )


def upload(request, pk: int):
    ronde = _round_or_404(request.user, pk)
    if request.method != "POST" or not can(request.user, "rounds.is_invited_round", ronde):
        raise Http404
    if not ronde.open:
        messages.error(request, services.CLOSED_MESSAGE)
        return redirect("rounds:detail", pk=ronde.pk)
    form = UploadForm(request.POST, request.FILES, partners=_partners(request.user, ronde))
    refusal = services.refused_as_too_large(request)
    if refusal:
        messages.error(request, refusal)
        return redirect("rounds:detail", pk=ronde.pk)
    if not form.is_valid():
        messages.error(request, _("Kies een bestand om aan te leveren."))
        return redirect("rounds:detail", pk=ronde.pk)
    received = form.cleaned_data["bestand"]
    refusal = services.too_large(received)
    if refusal:
        messages.error(request, refusal)
        return redirect("rounds:detail", pk=ronde.pk)
    upload = services.import_uploaded(
        ronde, form.cleaned_data["partner"], received, user=request.user
    )
    if upload.status == "aanvaard":
        messages.success(
            request,
            ngettext(
                "Versie %(v)d is aanvaard: %(n)d rij ingelezen.",
                "Versie %(v)d is aanvaard: %(n)d rijen ingelezen.",
                upload.rijen,
            )
            % {"v": upload.versie, "n": upload.rijen},
        )
    else:
        messages.error(
            request, _("Het bestand is geweigerd: er is niets ingelezen. Zie de fouten hieronder.")
        )
    return redirect(f"{ronde.get_absolute_url()}?aanlevering={upload.pk}#rapport")


def template_download(request, pk: int, fmt: str):
    ronde = _round_or_404(request.user, pk)
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    labels = dict(ronde.hulpvormen.values_list("code", "label")) or None
    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}")  # noqa: SIM115 - FileResponse closes it
    path = Path(handle.name)
    if fmt == "xlsx":
        sites = [
            SiteLine(s.code, s.naam, s.postcode, s.gemeente, s.hulpvormen)
            for s in services.partner_sites(_partners(request.user, ronde))
        ]
        write_xlsx(
            path,
            hulpvormen=labels,
            peildatum=ronde.peildatum,
            sites=sites or None,
            key_fingerprint=ronde.sleutel_vingerafdruk or None,
        )
    else:
        write_csv(path)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"sjabloon-foto-{ronde.peildatum}.{fmt}"
    )
