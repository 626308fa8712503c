"""Forms of the triage screens: they parse input; checks live in ``services`` and ``engine``."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeugdhulp.accounts.models import GROUPING_KIND_VALUES, Organisation
from jeugdhulp.reference import lookups
from jeugdhulp.triage import engine
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
    gemeente = forms.ChoiceField(
        label=_("Gemeente"),
        required=False,
        help_text=_("Enkel kiezen voor regels die alleen voor één gemeente gelden."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [("", "—"), *lookups.municipality_choices()]

    def clean(self):
        data = super().clean()
        if bool(data.get("organisatie")) == bool(data.get("gemeente")):
            raise forms.ValidationError(_("Kies een netwerk of regio, of een gemeente."))
        return data


# -- the rule set as a form: one row per rule ---------------------------------------------------

CONDITION_SLOTS = 3  # conditions per rule on the form; a rule with more keeps its own
KIND_CHOICES = [
    ("", "—"),
    ("schaal", _("totaal van een STEP-schaal")),
    ("hoogste_item", _("hoogste item van een STEP-schaal")),
    ("item", _("één STEP-item")),
    ("aantal_assen", _("aantal CAP-J-assen")),
    ("capj", _("CAP-J-code aanwezig")),
]
OP_CHOICES = [
    (">=", _("minstens (≥)")),
    (">", _("meer dan (>)")),
    ("<=", _("hoogstens (≤)")),
    ("<", _("minder dan (<)")),
    ("==", _("gelijk aan (=)")),
    ("!=", _("niet gelijk aan (≠)")),
]
COMBINATION_CHOICES = [
    ("alle", _("alle voorwaarden gelden")),
    ("een_van", _("minstens één voorwaarde geldt")),
]


def _leaf_initial(cond: dict) -> dict | None:
    """A simple condition as the fields of one slot, or None when it is not one."""
    if not isinstance(cond, dict):
        return None
    if set(cond) == {"capj"}:
        codes = cond["capj"] if isinstance(cond["capj"], list) else [cond["capj"]]
        return {
            "soort": "capj",
            "onderwerp": ", ".join(map(str, codes)),
            "op": ">=",
            "waarde": None,
        }
    kinds = [k for k in ("schaal", "hoogste_item", "item", "aantal_assen") if k in cond]
    if len(kinds) == 1 and set(cond) == {kinds[0], "op", "waarde"}:
        return {
            "soort": kinds[0],
            "onderwerp": cond[kinds[0]],
            "op": cond["op"],
            "waarde": cond["waarde"],
        }
    return None


def rule_initial(rule: dict) -> dict:
    """A stored rule as the initial data of a ``RuleForm``. A condition the form cannot show as
    up to ``CONDITION_SLOTS`` simple conditions under one 'alle'/'een_van' is kept as it is."""
    initial = {
        "code": rule.get("code", ""),
        "omschrijving": rule.get("omschrijving", ""),
        "advies": rule.get("advies", ""),
        "prioriteit": rule.get("prioriteit", 0),
        "combinatie": "alle",
    }
    als = rule.get("als")
    leaves = None
    if isinstance(als, dict) and len(als) == 1 and next(iter(als)) in ("alle", "een_van"):
        key = next(iter(als))
        parts = als[key] if isinstance(als[key], list) else []
        leaves = [_leaf_initial(p) for p in parts]
        initial["combinatie"] = key
    else:
        leaves = [_leaf_initial(als)]
    if leaves and len(leaves) <= CONDITION_SLOTS and all(leaves):
        for i, leaf in enumerate(leaves, start=1):
            initial.update({f"v{i}_{name}": value for name, value in leaf.items()})
    else:
        initial["bewaard"] = json.dumps(als, ensure_ascii=False)
    return initial


class RuleForm(forms.Form):
    """One rule: what it advises, how strongly, and when (up to three conditions)."""

    code = forms.CharField(label=_("Code"), max_length=20)
    omschrijving = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    advies = forms.ChoiceField(label=_("Advies"), choices=[("", "—"), *Route.choices])
    prioriteit = forms.IntegerField(
        label=_("Prioriteit"),
        initial=10,
        min_value=0,
        max_value=1000,
        help_text=_("Bij meerdere regels wint de hoogste prioriteit."),
    )
    combinatie = forms.ChoiceField(
        label=_("Wanneer"), choices=COMBINATION_CHOICES, initial="alle", required=False
    )
    # A condition too complex for the form (e.g. with 'niet'), kept unchanged.
    bewaard = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, CONDITION_SLOTS + 1):
            self.fields[f"v{i}_soort"] = forms.ChoiceField(
                label=_("Voorwaarde %(n)s: soort") % {"n": i},
                choices=KIND_CHOICES,
                required=False,
            )
            self.fields[f"v{i}_onderwerp"] = forms.CharField(
                label=_("waarover"),
                max_length=40,
                required=False,
            )
            self.fields[f"v{i}_op"] = forms.ChoiceField(
                label=_("vergelijking"), choices=OP_CHOICES, initial=">=", required=False
            )
            self.fields[f"v{i}_waarde"] = forms.IntegerField(label=_("waarde"), required=False)

    def slots(self) -> list[list]:
        """The bound fields of each condition slot, for the template."""
        return [
            [self[f"v{i}_{name}"] for name in ("soort", "onderwerp", "op", "waarde")]
            for i in range(1, CONDITION_SLOTS + 1)
        ]

    def clean(self):
        data = super().clean()
        leaves = []
        for i in range(1, CONDITION_SLOTS + 1):
            kind = data.get(f"v{i}_soort")
            subject = (data.get(f"v{i}_onderwerp") or "").strip()
            if not kind:
                if subject:
                    self.add_error(f"v{i}_soort", _("Kies de soort voorwaarde."))
                continue
            if not subject:
                self.add_error(f"v{i}_onderwerp", _("Zeg waarover de voorwaarde gaat."))
                continue
            if kind == "capj":
                codes = [c.strip().upper() for c in subject.split(",") if c.strip()]
                leaves.append({"capj": codes[0] if len(codes) == 1 else codes})
                continue
            value = data.get(f"v{i}_waarde")
            if value is None:
                self.add_error(f"v{i}_waarde", _("Geef een geheel getal."))
                continue
            subject = subject.upper()
            leaves.append({kind: subject, "op": data.get(f"v{i}_op") or ">=", "waarde": value})
        if leaves:
            combination = data.get("combinatie") or "alle"
            data["als"] = leaves[0] if len(leaves) == 1 else {combination: leaves}
        elif data.get("bewaard"):
            try:
                data["als"] = json.loads(data["bewaard"])
            except json.JSONDecodeError:
                data["als"] = None
        elif not self.errors:
            raise forms.ValidationError(_("Geef minstens één voorwaarde."))
        return data

    def rule(self) -> dict:
        d = self.cleaned_data
        return {
            "code": d["code"].strip(),
            "omschrijving": d["omschrijving"].strip(),
            "advies": d["advies"],
            "prioriteit": d["prioriteit"],
            "als": d.get("als"),
        }


class BaseRuleFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        codes = [
            f.cleaned_data["code"].strip()
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f) and f.cleaned_data.get("code")
        ]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Elke regel heeft een eigen code."))

    def rules(self) -> list[dict]:
        """The kept rules in the order shown (an untouched empty row has no cleaned data)."""
        return [f.rule() for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]


RuleFormSet = forms.formset_factory(
    RuleForm, formset=BaseRuleFormSet, extra=1, can_delete=True, min_num=1, validate_min=True
)


class RuleSetSettingsForm(forms.Form):
    """What applies when no rule fires or rules of equal priority advise differently."""

    standaardadvies = forms.ChoiceField(
        label=_("Standaardadvies (als geen regel van toepassing is)"), choices=Route.choices
    )
    eerste = forms.ChoiceField(label=_("Bij gelijke prioriteit wint eerst"), choices=Route.choices)
    tweede = forms.ChoiceField(label=_("dan"), choices=Route.choices)
    derde = forms.ChoiceField(label=_("dan"), choices=Route.choices)
    toelichting = forms.CharField(
        label=_("Wat is er veranderd?"), widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(regels: dict) -> dict:
        order = list(regels.get("volgorde_bij_gelijkstand") or engine.DEFAULT_TIE_ORDER)
        order += [r for r in Route.values if r not in order]
        return {
            "standaardadvies": regels.get("standaardadvies", engine.VRIJ),
            "eerste": order[0],
            "tweede": order[1],
            "derde": order[2],
        }

    def clean(self):
        data = super().clean()
        order = [data.get(k) for k in ("eerste", "tweede", "derde")]
        if all(order) and len(set(order)) != len(order):
            raise forms.ValidationError(_("Noem elk advies precies één keer in de volgorde."))
        return data

    def settings(self) -> dict:
        d = self.cleaned_data
        return {
            "standaardadvies": d["standaardadvies"],
            "volgorde_bij_gelijkstand": [d["eerste"], d["tweede"], d["derde"]],
        }
