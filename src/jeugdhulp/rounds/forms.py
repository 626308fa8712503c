"""Forms of the rounds screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.accounts.permissions import scope_of, visible_organisations
from jeugdhulp.reference.models import AreaSet, HulpVorm
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.rules import ORGANISING_ROLES


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["naam", "peildatum", "organisatie", "regio", "partners", "hulpvormen", "drempel"]
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
        self.fields["hulpvormen"].queryset = HulpVorm.objects.filter(active=True)
        if not self.is_bound:
            self.initial.setdefault("hulpvormen", list(self.fields["hulpvormen"].queryset))


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
