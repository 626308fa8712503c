"""Invitations: a coordinator, an organisatiebeheerder or a beheerder invites people by e-mail
with a single-use, expiring link where they choose their password; many at once from a CSV.

The role comes through ``accounts.grants.grant``: an invitation by the organisation's own
organisatiebeheerder or by a beheerder gives it at once; an invitation by a coördinator is a
request that the partner organisation approves (until then the account sees nothing of it).

The link is a token like Django's password-reset token but with its own salt: it is bound to the
account's password hash and last login, so it stops working once used (single use), and after
``settings.PASSWORD_RESET_TIMEOUT`` seconds (expiry).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import rules
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from jeugdhulp.accounts.grants import grant
from jeugdhulp.accounts.models import (
    GROUPING_KIND_VALUES,
    Membership,
    MembershipStatus,
    Organisation,
    Role,
    User,
)
from jeugdhulp.accounts.permissions import scope_of
from jeugdhulp.data.bounded import Bounds, run_bounded
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.tabular import read_table

INVITABLE_ROLES = (Role.AANMELDER, Role.MEDEWERKER_VOORZIENING)
CSV_COLUMNS = ("voornaam", "achternaam", "email", "organisatie")  # plus optional "rol"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "jeugdhulp.accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitable_organisations(user):
    """Organisations ``user`` may invite people for: every one for a beheerder, the partners of
    the networks and regions a coördinator coordinates (as a request the partner approves), and
    their own organisation for an organisatiebeheerder."""
    scope = scope_of(user)
    orgs = Organisation.objects.filter(actief=True).exclude(soort__in=GROUPING_KIND_VALUES)
    if not scope.has(Role.BEHEERDER):
        orgs = orgs.filter(
            pk__in=scope.reaches(Role.COORDINATOR) | scope.organisations(Role.ORGANISATIEBEHEERDER)
        )
    return orgs.order_by("naam")


@rules.predicate
def may_invite(user) -> bool:
    return (
        scope_of(user).has(Role.BEHEERDER, Role.COORDINATOR, Role.ORGANISATIEBEHEERDER)
        and invitable_organisations(user).exists()
    )


rules.add_perm("accounts.invite_people", may_invite)


@dataclass
class Invitation:
    voornaam: str
    achternaam: str
    email: str
    organisatie: Organisation
    rol: str = Role.AANMELDER


def check_email(email: str) -> str | None:
    """A Dutch reason why ``email`` cannot be invited, or None."""
    try:
        validate_email(email)
    except ValidationError:
        return _("'%(value)s' is geen geldig e-mailadres.") % {"value": email}
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        return _("Er bestaat al een account met e-mailadres %(value)s.") % {"value": email}
    return None


def accept_url(base_url: str, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    return base_url.rstrip("/") + reverse("uitnodiging_aanvaarden", args=[uid, token])


def _send(inviter: User, membership: Membership, base_url: str) -> None:
    user, organisation = membership.user, membership.organisatie
    context = {
        "user": user,
        "pending": membership.is_pending,
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "organisation": organisation.naam,
        "url": accept_url(base_url, user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_mail(
        subject=_("Uitnodiging voor jeugdhulp"),
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def invite_many(inviter: User, invitations: list[Invitation], base_url: str) -> list[Membership]:
    """Create the accounts (without a usable password) and their roles (active, or requested:
    see ``accounts.grants``), then mail the links. All or nothing: the caller has validated
    every invitation. Returns the memberships."""
    allowed = set(invitable_organisations(inviter).values_list("pk", flat=True))
    users = []
    for item in invitations:
        if item.organisatie.pk not in allowed or item.rol not in INVITABLE_ROLES:
            raise PermissionError(f"{inviter} may not invite for {item.organisatie.code}")
        email = item.email.strip().lower()
        user = User(
            username=email, email=email, first_name=item.voornaam, last_name=item.achternaam
        )
        user.set_unusable_password()
        user.save()
        users.append(grant(inviter, user, item.organisatie, item.rol))
    # Mails leave only once every row is in; a failing mail server rolls everything back.
    for membership in users:
        _send(inviter, membership, base_url)
    _ask_for_approval([m for m in users if m.is_pending], base_url)
    return users


def _ask_for_approval(pending: list[Membership], base_url: str) -> None:
    """Tell each organisation's organisatiebeheerders that a role request waits for them (one
    mail per person and organisation, without personal data: the page shows who it is)."""
    organisations = {m.organisatie_id: m.organisatie for m in pending}
    deciders = Membership.objects.filter(
        organisatie_id__in=organisations,
        rol=Role.ORGANISATIEBEHEERDER,
        status=MembershipStatus.ACTIEF,
        user__is_active=True,
    ).exclude(user__email="")
    url = base_url.rstrip("/") + reverse("rollen")
    for decider in deciders.select_related("user"):
        context = {"organisation": organisations[decider.organisatie_id].naam, "url": url}
        send_mail(
            subject=_("Rolaanvraag wacht op uw goedkeuring"),
            message=render_to_string("accounts/approval_needed_email.txt", context),
            from_email=None,
            recipient_list=[decider.user.email],
        )


def read_invitations(inviter: User, path: Path, file_name: str) -> list[Invitation]:
    """Parse a CSV/XLSX of people to invite; raises ``InputError`` listing every problem."""
    # Read like every upload: within the upload limits, in a child with bounded memory and time.
    table = run_bounded(
        read_table,
        path,
        bounds=Bounds(
            settings.JEUGDHULP_UPLOAD_MEMORY_MB * 2**20, settings.JEUGDHULP_UPLOAD_SECONDS
        ),
        file=file_name,
        max_bytes=settings.JEUGDHULP_MAX_UPLOAD_BYTES,
        max_rows=settings.JEUGDHULP_MAX_UPLOAD_ROWS,
    )
    missing = [c for c in CSV_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(
            Problem(
                _(
                    "Kolom(men) ontbreken: %(cols)s. Verwacht: voornaam, achternaam, email, "
                    "organisatie (code) en eventueel rol."
                )
                % {"cols": ", ".join(missing)},
                file=file_name,
            ),
            file=file_name,
        )
    orgs = {o.code.lower(): o for o in invitable_organisations(inviter)}
    problems, result, seen = [], [], set()
    for index, row in enumerate(table.to_dict("records"), start=2):

        def fail(column: str, value: str, message: str, index: int = index) -> None:
            problems.append(Problem(message, row=index, column=column, value=value, file=file_name))

        email = row["email"].strip().lower()
        reason = check_email(email)
        if reason:
            fail("email", email, reason)
        elif email in seen:
            fail("email", email, _("Dit e-mailadres staat al hoger in het bestand."))
        seen.add(email)
        if not row["voornaam"] and not row["achternaam"]:
            fail("voornaam", "", _("Geef een voornaam of achternaam."))
        org = orgs.get(row["organisatie"].strip().lower())
        if org is None:
            fail(
                "organisatie",
                row["organisatie"],
                _("Onbekende organisatiecode, of u mag voor deze organisatie niemand uitnodigen."),
            )
        rol = (row.get("rol") or Role.AANMELDER).strip().lower()
        if rol not in INVITABLE_ROLES:
            fail("rol", rol, _("Gebruik 'aanmelder' of 'medewerker_voorziening'."))
        if org is not None:
            result.append(Invitation(row["voornaam"], row["achternaam"], email, org, rol))
    if problems:
        raise InputError(problems, file=file_name)
    if not result:
        raise InputError(
            Problem(_("Het bestand bevat geen rijen."), file=file_name), file=file_name
        )
    return result


def read_uploaded_invitations(inviter: User, upload) -> list[Invitation]:
    """``read_invitations`` over an uploaded file (written to a private temporary file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return read_invitations(inviter, path, upload.name)
