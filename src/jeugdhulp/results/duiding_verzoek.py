"""Asking local professionals for their duiding: a coördinator chooses areas of a run and enters
e-mail addresses; each person gets a personal, expiring link to a short form with only those
areas and their published figures.

Why a link and not an account (``accounts.invitations``): the people asked (a GP, a youth
worker) need no platform account, and an account with a region role would show them every result
of the region, while the link shows only the areas asked. The link's token is 32 random bytes
(``secrets``); only its SHA-256 is stored, so a copy of the database opens no form. A link serves
one person (their own duiding, no one else's), expires with the request and can be revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdhulp.results.duiding import DuidingForm, Target
from jeugdhulp.results.duiding_models import Duiding, DuidingUitnodiging, DuidingVerzoek, Factor
from jeugdhulp.results.models import AnalysisRun, IndicatorRow, RunStatus

MAX_PEOPLE = 50
MAX_AREAS = 30
DEFAULT_DAYS = 30
MAX_DAYS = 90
# Requests to the answer page per client address and hour (a link holder needs a few dozen).
ANSWERS_PER_HOUR = 120


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lines(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\s,;]+", text) if part.strip()]


def suggestions(run: AnalysisRun, limit: int = 40) -> list[tuple[str, str, str]]:
    """The run's hotspots and blue zones over all forms (code, name, cluster): the areas a
    coordinator most often asks about, offered as checkboxes."""
    return list(
        IndicatorRow.objects.filter(
            run=run, hulpvorm="ALLE", cluster__in=["hotspot", "blauwe_zone"]
        )
        .order_by("gebied_naam")
        .values_list("gebied_code", "gebied_naam", "cluster")[:limit]
    )


class RequestForm(forms.Form):
    gekozen = forms.MultipleChoiceField(
        label=gettext_lazy("Hotspots en blauwe zones (alle hulpvormen)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    gebieden = forms.CharField(
        label=gettext_lazy("Andere gebieden (codes)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("De codes van de gebieden, gescheiden door een komma of een regel."),
    )
    emails = forms.CharField(
        label=gettext_lazy("E-mailadressen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Eén per regel. Elke persoon krijgt een eigen link."),
    )
    dagen = forms.IntegerField(
        label=gettext_lazy("Link geldig (dagen)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
    )

    def __init__(self, *args, run: AnalysisRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        labels = {"hotspot": _("hotspot"), "blauwe_zone": _("blauwe zone")}
        choices = [
            (code, f"{naam} ({code}) — {labels[cluster]}")
            for code, naam, cluster in suggestions(run)
        ]
        field = self.fields["gekozen"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        if not choices:
            del self.fields["gekozen"]
            self.fields["gebieden"].label = gettext_lazy("Gebieden (codes)")

    def clean_gebieden(self) -> list[str]:
        codes = list(dict.fromkeys(_lines(self.cleaned_data["gebieden"])))
        if len(codes) > MAX_AREAS:
            raise ValidationError(_("Hoogstens %(n)s gebieden per vraag.") % {"n": MAX_AREAS})
        known = set(
            IndicatorRow.objects.filter(
                run=self.run, hulpvorm="ALLE", gebied_code__in=codes
            ).values_list("gebied_code", flat=True)
        )
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                _("Deze gebieden komen niet voor in deze analyse: %(codes)s")
                % {"codes": ", ".join(unknown[:10])}
            )
        return codes

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if "gebieden" not in cleaned:  # the typed codes are already refused
            return cleaned
        codes = list(dict.fromkeys([*cleaned.get("gekozen", []), *cleaned["gebieden"]]))
        if not codes:
            self.add_error(
                "gebieden",
                _("Kies minstens één gebied: vink een hotspot of blauwe zone aan of typ een code."),
            )
        elif len(codes) > MAX_AREAS:
            self.add_error("gebieden", _("Hoogstens %(n)s gebieden per vraag.") % {"n": MAX_AREAS})
        else:
            cleaned["gebieden"] = codes
        return cleaned

    def clean_emails(self) -> list[str]:
        addresses = list(dict.fromkeys(a.lower() for a in _lines(self.cleaned_data["emails"])))
        if len(addresses) > MAX_PEOPLE:
            raise ValidationError(_("Hoogstens %(n)s adressen per vraag.") % {"n": MAX_PEOPLE})
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(
                _("Geen geldig e-mailadres: %(list)s") % {"list": ", ".join(wrong[:10])}
            )
        return addresses


class AnswerForm(DuidingForm):
    organisatie_tekst = forms.CharField(
        label=gettext_lazy("Uw organisatie of functie (bv. huisartsenpraktijk, jeugdwerk)"),
        max_length=200,
        required=False,
    )


def create_request(
    run: AnalysisRun, user, codes: list[str], emails: list[str], days: int, link: Callable
) -> DuidingVerzoek:
    """The request and one invitation per address, each mailed its own link (``link(token)``
    gives the absolute URL). Mails go after the commit, so a failed request sends nothing."""
    with transaction.atomic():
        verzoek = DuidingVerzoek.objects.create(
            run=run,
            gebieden=codes,
            aangemaakt_door=user,
            vervalt_op=timezone.now() + dt.timedelta(days=days),
        )
        mails = []
        for address in emails:
            token = secrets.token_urlsafe(32)
            DuidingUitnodiging.objects.create(
                verzoek=verzoek, email=address, token_hash=hash_token(token)
            )
            mails.append((address, link(token)))
        transaction.on_commit(lambda: _send(verzoek, mails, user))
    return verzoek


def _send(verzoek: DuidingVerzoek, mails: list[tuple[str, str]], user) -> None:
    asker = user.get_full_name() or user.get_username()
    until = timezone.localtime(verzoek.vervalt_op).strftime("%d/%m/%Y")
    for address, url in mails:
        body = "\n\n".join(
            [
                _(
                    "%(asker)s vraagt uw duiding bij de cijfers over jeugdhulp in %(n)s gebieden "
                    "(%(round)s): herkent u het verschil tussen verwacht en werkelijk gebruik, en "
                    "welke lokale factoren verklaren het?"
                )
                % {"asker": asker, "n": len(verzoek.gebieden), "round": verzoek.run.ronde_naam},
                _("Uw persoonlijke link (geen account nodig, geef hem niet door):") + "\n" + url,
                _("De link werkt tot %(date)s.") % {"date": until},
                _("Verwachtte u deze vraag niet? Dan hoeft u niets te doen."),
            ]
        )
        send_mail(
            _("Vraag om uw duiding: %(round)s") % {"round": verzoek.run.ronde_naam},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )


def invitation_for(token: str) -> DuidingUitnodiging | None:
    """The invitation of a link while it works: not revoked, not expired, its run finished."""
    if not token or len(token) > 100:
        return None
    found = (
        DuidingUitnodiging.objects.select_related("verzoek__run")
        .filter(token_hash=hash_token(token), ingetrokken=False)
        .first()
    )
    if found is None or found.verzoek.vervalt_op <= timezone.now():
        return None
    if found.verzoek.run.status != RunStatus.DONE:
        return None
    return found


def areas(invitation: DuidingUitnodiging) -> list[dict]:
    """The requested areas with their published figures and this person's own duiding."""
    verzoek = invitation.verzoek
    rows = {
        r.gebied_code: r
        for r in IndicatorRow.objects.filter(
            run=verzoek.run, hulpvorm=verzoek.hulpvorm, gebied_code__in=verzoek.gebieden
        )
    }
    own = {
        d.gebied_code: d
        for d in Duiding.objects.filter(
            ronde_id=verzoek.run.ronde_id, hulpvorm=verzoek.hulpvorm, uitnodiging=invitation
        )
    }
    return [
        {"row": rows[code], "eigen": own.get(code)} for code in verzoek.gebieden if code in rows
    ]


def save_answer(invitation: DuidingUitnodiging, gebied_code: str, data: dict) -> Duiding | None:
    """Record or update this person's duiding of one requested area; ``None`` for an area that
    is not in the request."""
    verzoek = invitation.verzoek
    if gebied_code not in verzoek.gebieden:
        return None
    row = IndicatorRow.objects.filter(
        run=verzoek.run, hulpvorm=verzoek.hulpvorm, gebied_code=gebied_code
    ).first()
    if row is None:
        return None
    place = Target(verzoek.run, row)
    duiding = Duiding.objects.filter(
        ronde_id=verzoek.run.ronde_id,
        gebied_code=gebied_code,
        hulpvorm=verzoek.hulpvorm,
        uitnodiging=invitation,
    ).first() or Duiding(
        ronde_id=place.run.ronde_id,
        organisatie_id=place.run.organisatie_id,
        gebied_code=gebied_code,
        hulpvorm=verzoek.hulpvorm,
        uitnodiging=invitation,
    )
    duiding.herkend = data["herkend"]
    duiding.factoren = [code for code in Factor.values if code in set(data["factoren"])]
    duiding.toelichting = data["toelichting"]
    duiding.organisatie_tekst = data["organisatie_tekst"]
    duiding.save()
    return duiding


def requests_of(run: AnalysisRun):
    return (
        DuidingVerzoek.objects.filter(run__ronde_id=run.ronde_id)
        .prefetch_related("uitnodigingen")
        .order_by("-aangemaakt_op")
    )
