"""The approvals page: pending role requests to approve or refuse, and the history of the grants
of the organisations the user looks after."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jeugdhulp.accounts.grants import decide, may_decide, reviewable_memberships
from jeugdhulp.accounts.models import MembershipStatus
from jeugdhulp.accounts.permissions import can

HISTORY_ROWS = 200


@never_cache
def overview(request):
    if not can(request.user, "accounts.review_memberships"):
        raise PermissionDenied
    rows = reviewable_memberships(request.user)
    pending = [
        {"membership": m, "may_decide": may_decide(request.user, m)}
        for m in rows.filter(status=MembershipStatus.AANGEVRAAGD).order_by("aangevraagd_op", "pk")
    ]
    history = rows.exclude(status=MembershipStatus.AANGEVRAAGD).order_by(
        "-beslist_op", "-aangevraagd_op", "-pk"
    )[:HISTORY_ROWS]
    return render(
        request,
        "accounts/grants.html",
        {"pending": pending, "history": history, "history_rows": HISTORY_ROWS},
    )


@require_POST
def decision(request, pk: int, besluit: str):
    if besluit not in ("goedkeuren", "weigeren"):
        raise Http404
    # Only memberships the user follows exist for them; others answer 404, not 403.
    if not reviewable_memberships(request.user).filter(pk=pk).exists():
        raise Http404
    approve = besluit == "goedkeuren"
    try:
        membership = decide(request.user, pk, approve=approve)
    except PermissionDenied:
        messages.error(
            request,
            _(
                "U mag over deze aanvraag niet beslissen: niet over uw eigen rol of uw eigen "
                "aanvraag, en alleen als ze nog openstaat. Een tweede beheerder of de "
                "organisatiebeheerder beslist."
            ),
        )
        return redirect("rollen")
    values = {
        "user": membership.user.get_full_name() or membership.user.get_username(),
        "rol": membership.get_rol_display(),
        "organisatie": membership.organisatie.naam,
    }
    if approve:
        messages.success(request, _("%(user)s is nu %(rol)s bij %(organisatie)s.") % values)
    else:
        messages.success(
            request,
            _("De aanvraag van %(user)s als %(rol)s bij %(organisatie)s is geweigerd.") % values,
        )
    return redirect("rollen")
