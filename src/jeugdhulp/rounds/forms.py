"""Forms of the rounds screens."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.accounts.permissions import scope_of, visible_organisations
from jeugdhulp.reference.models import AreaSet, HulpVorm
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.rules import ORGANISING_ROLES


class _FingerprintMixin:
    """Cleans ``sleutel_vingerafdruk``; a refused value is not shown again (it may be the key)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any length reaches clean_fingerprint, so pasting the key gets its own message.
        field = self.fields["sleutel_vingerafdruk"]
        field.max_length = None
        field.validators = []
        field.widget.attrs.pop("maxlength", None)

    def clean_sleutel_vingerafdruk(self) -> str:
        try:
            return clean_fingerprint(self.cleaned_data.get("sleutel_vingerafdruk", ""))
        except forms.ValidationError:
            self.data = self.data.copy()
            self.data[self.add_prefix("sleutel_vingerafdruk")] = ""
            raise


class RoundForm(_FingerprintMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "naam",
            "peildatum",
            "organisatie",
            "regio",
            "partners",
            "hulpvormen",
            "drempel",
            "sleutel_vingerafdruk",
        ]
        widgets = {
            "peildatum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "partners": forms.CheckboxSelectMultiple,
            "hulpvormen": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope_of(user).organisations(*ORGANISING_ROLES)
        self.fields["organisatie"].queryset = Organisation.objects.filter(pk__in=own)
        self.fields["partners"].queryset = visible_organisations(user).exclude(
            soort__in=["iroj", "samenwerkingsverband"]
        )
        self.fields["regio"].queryset = AreaSet.objects.all()
        self.fields["hulpvormen"].queryset = HulpVorm.objects.filter(actief=True)
        if not self.is_bound:
            self.initial.setdefault("hulpvormen", list(self.fields["hulpvormen"].queryset))


_HEX16 = re.compile(r"[0-9a-f]{16}")


def clean_fingerprint(text: str) -> str:
    """``3F5A 09C1-7be2.d480`` -> ``3f5a-09c1-7be2-d480``; empty stays empty; anything else is
    refused with a Dutch message."""
    compact = "".join(ch for ch in (text or "").lower() if ch not in " -.:\t")
    if not compact:
        return ""
    if not _HEX16.fullmatch(compact):
        raise forms.ValidationError(
            _(
                "Dit is geen vingerafdruk: verwacht 16 tekens 0-9 en a-f, zoals het "
                "pseudonimiseringsprogramma ze toont (bv. 3f5a-09c1-7be2-d480). Vul nooit de "
                "sleutel zelf in."
            )
        )
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


class KeyFingerprintForm(_FingerprintMixin, forms.ModelForm):
    """The coordinator writes down the round key's fingerprint (never the key)."""

    class Meta:
        model = Round
        fields = ["sleutel_vingerafdruk"]


class UploadForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Partner"))
    bestand = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_("Het ingevulde sjabloon, na pseudonimisering."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.only_partner = partners.first() if partners.count() == 1 else None
        if self.only_partner is not None:
            self.fields["partner"].required = False
            self.fields["partner"].widget = forms.HiddenInput()

    def clean_partner(self):
        return self.cleaned_data.get("partner") or self.only_partner
