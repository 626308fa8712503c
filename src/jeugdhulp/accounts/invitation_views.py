"""Screens to invite people and to accept an invitation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from jeugdhulp.accounts.invitations import (
    INVITABLE_ROLES,
    Invitation,
    check_email,
    invitable_organisations,
    invitation_tokens,
    invite_many,
    read_uploaded_invitations,
)
from jeugdhulp.accounts.models import Role, User
from jeugdhulp.accounts.permissions import can
from jeugdhulp.data.errors import InputError
from jeugdhulp.uploads import refused_upload


class InviteForm(forms.Form):
    voornaam = forms.CharField(label=_lazy("Voornaam"), max_length=150)
    achternaam = forms.CharField(label=_lazy("Achternaam"), max_length=150)
    email = forms.EmailField(label=_lazy("E-mailadres"))
    organisatie = forms.ModelChoiceField(label=_lazy("Organisatie"), queryset=None)
    rol = forms.ChoiceField(
        label=_lazy("Rol"), choices=[(r.value, r.label) for r in Role if r in INVITABLE_ROLES]
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].queryset = invitable_organisations(inviter)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        reason = check_email(email)
        if reason:
            raise forms.ValidationError(reason)
        return email


class BulkForm(forms.Form):
    bestand = forms.FileField(
        label=_lazy("Bestand (CSV of XLSX)"),
        help_text=_lazy(
            "Kolommen: voornaam, achternaam, email, organisatie (code), rol (optioneel)."
        ),
    )


@never_cache
def invite(request):
    if not can(request.user, "accounts.invite_people"):
        raise PermissionDenied
    form = InviteForm(inviter=request.user)
    bulk = BulkForm()
    problems = []
    base_url = request.build_absolute_uri("/")
    # Reading request.FILES runs the upload handlers, which note a file stopped at the limit.
    refused = (
        refused_upload(request, "bestand")
        if request.method == "POST" and not request.FILES
        else None
    )
    if refused is not None:
        # Stopped at JEUGDHULP_MAX_UPLOAD_BYTES while the request was read: nothing to read.
        problems = [
            _("%(name)s is groter dan %(limit)d MB, de grens; er is niemand uitgenodigd.")
            % {"name": refused, "limit": max(1, settings.JEUGDHULP_MAX_UPLOAD_BYTES // 2**20)}
        ]
    elif request.method == "POST" and "bestand" in request.FILES:
        bulk = BulkForm(request.POST, request.FILES)
        if bulk.is_valid():
            try:
                rows = read_uploaded_invitations(request.user, bulk.cleaned_data["bestand"])
            except InputError as error:
                problems = [str(p) for p in error.problems]
            else:
                memberships = invite_many(request.user, rows, base_url)
                messages.success(
                    request, _("%(n)d uitnodigingen verstuurd.") % {"n": len(memberships)}
                )
                _tell_pending(request, memberships)
                return redirect("uitnodigen")
    elif request.method == "POST":
        form = InviteForm(request.POST, inviter=request.user)
        if form.is_valid():
            data = form.cleaned_data
            memberships = invite_many(
                request.user,
                [
                    Invitation(
                        data["voornaam"],
                        data["achternaam"],
                        data["email"],
                        data["organisatie"],
                        data["rol"],
                    )
                ],
                base_url,
            )
            messages.success(
                request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": data["email"]}
            )
            _tell_pending(request, memberships)
            return redirect("uitnodigen")
    return render(
        request, "accounts/invite.html", {"form": form, "bulk": bulk, "problems": problems}
    )


def _tell_pending(request, memberships) -> None:
    pending = [m for m in memberships if m.is_pending]
    if pending:
        messages.info(
            request,
            ngettext(
                "%(n)d rol wacht op goedkeuring door de organisatie zelf "
                "(haar organisatiebeheerder) of een beheerder. Tot dan ziet de uitgenodigde "
                "niets van die organisatie.",
                "%(n)d rollen wachten op goedkeuring door de organisatie zelf "
                "(haar organisatiebeheerder) of een beheerder. Tot dan ziet de uitgenodigde "
                "niets van die organisatie.",
                len(pending),
            )
            % {"n": len(pending)},
        )


def _invited_user(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


@login_not_required
@never_cache
def accept(request, uidb64: str, token: str):
    user = _invited_user(uidb64)
    if user is None or not invitation_tokens.check_token(user, token):
        return render(request, "accounts/accept.html", {"validlink": False}, status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw wachtwoord is ingesteld. Meld u nu aan."))
        return redirect("login")
    return render(
        request, "accounts/accept.html", {"validlink": True, "form": form, "invited": user}
    )
