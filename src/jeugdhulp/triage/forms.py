"""Forms of the triage screens: they parse input; checks live in ``services`` and ``engine``."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeugdhulp.accounts.models import GROUPING_KIND_VALUES, Organisation
from jeugdhulp.triage.codes import CAPJ_AXES, CAPJ_GROUPS, STEP_ITEMS, STEP_SCALES
from jeugdhulp.triage.models import Route

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def capj_choices() -> list:
    """Axes with their groups, as grouped choices (labels translated when shown)."""
    return [
        (
            f"{axis} — {gettext(label)}",
            [(axis, f"{axis} {gettext(label)}")]
            + [
                (code, f"{code} {gettext(group)}")
                for code, group in CAPJ_GROUPS.items()
                if code.startswith(axis)
            ],
        )
        for axis, label in CAPJ_AXES.items()
    ]


class AssessmentForm(forms.Form):
    capj = forms.MultipleChoiceField(
        label=_("Aard van het probleem (CAP-J)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kies een as of een groep; meerdere zijn mogelijk."),
    )
    rubrieken = forms.CharField(
        label=_("Rubrieken (optioneel)"),
        required=False,
        help_text=_("CAP-J-rubriekcodes gescheiden door komma's, bv. A201, D203."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capj"].choices = capj_choices()
        for item in STEP_ITEMS:
            self.fields[f"step_{item.code}"] = forms.TypedChoiceField(
                label=f"{item.code} {gettext(item.label)}",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score"}),
            )

    def scale_fields(self) -> list[tuple[str, list]]:
        return [
            (gettext(label), [self[f"step_{i.code}"] for i in STEP_ITEMS if i.scale == scale])
            for scale, label in STEP_SCALES.items()
        ]

    def codes(self) -> list[str]:
        extra = [c.strip().upper() for c in self.cleaned_data["rubrieken"].split(",")]
        return [*self.cleaned_data["capj"], *(c for c in extra if c)]

    def scores(self) -> dict[str, int]:
        return {item.code: self.cleaned_data[f"step_{item.code}"] for item in STEP_ITEMS}


class DecisionForm(forms.Form):
    beslissing = forms.ChoiceField(
        label=_("Beslissing"), choices=Route.choices, widget=forms.RadioSelect
    )
    reden = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht wanneer de beslissing afwijkt van het advies."),
    )


class RuleSetForm(forms.Form):
    naam = forms.CharField(label=_("Naam"), max_length=200)
    organisatie = forms.ModelChoiceField(
        label=_("Netwerk of regio"),
        queryset=Organisation.objects.filter(soort__in=GROUPING_KIND_VALUES),
        required=False,
    )
    gemeente = forms.CharField(
        label=_("Gemeente (NIS-code)"),
        max_length=20,
        required=False,
        help_text=_("Enkel invullen voor regels die alleen voor één gemeente gelden."),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisatie")) == bool(data.get("gemeente")):
            raise forms.ValidationError(_("Kies een netwerk of regio, of een gemeente."))
        return data


class VersionForm(forms.Form):
    regels = forms.CharField(
        label=_("Regels (JSON)"), widget=forms.Textarea(attrs={"rows": 24, "class": "code"})
    )
    toelichting = forms.CharField(
        label=_("Wat is er veranderd?"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_regels(self):
        text = self.cleaned_data["regels"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Geen geldige JSON: regel %(line)s, kolom %(col)s: %(msg)s"),
                params={"line": error.lineno, "col": error.colno, "msg": error.msg},
            ) from error
