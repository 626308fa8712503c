"""Forms of the request screens; they only parse input, the rules live in ``workflow``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdhulp.aanmeldingen import access
from jeugdhulp.aanmeldingen.models import Domein, GebeurtenisType, Kanaal, Urgentie
from jeugdhulp.aanmeldingen.workflow import Event, InvalidInput, Registration
from jeugdhulp.reference import lookups


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_errors(form: forms.Form, error: InvalidInput, aliases: dict | None = None) -> None:
    """Show the service's Dutch messages next to the matching fields."""
    for name, messages in error.errors.items():
        target = (aliases or {}).get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


class RegistrationForm(forms.Form):
    """The short registration form: a typical request in under a minute."""

    naam = forms.CharField(
        label=_("Naam van het gezin of de ouder"), max_length=200, required=False
    )
    telefoon = forms.CharField(label=_("Telefoon"), max_length=50, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    gemeente = forms.ChoiceField(label=_("Gemeente"))
    geboortejaren = forms.CharField(
        label=_("Geboortejaren van de kinderen"), help_text=_("Bijvoorbeeld: 2014, 2017")
    )
    domeinen = forms.MultipleChoiceField(
        label=_("Waarover gaat de vraag?"),
        choices=Domein.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    urgentie = forms.ChoiceField(
        label=_("Urgentie"),
        choices=Urgentie.choices,
        initial=Urgentie.GEMIDDELD,
        widget=forms.RadioSelect,
    )
    gewenste_termijn = forms.DateField(
        label=_("Gewenste termijn voor een eerste gesprek"), required=False, widget=DateInput()
    )
    partners = forms.MultipleChoiceField(
        label=_("Aan wie is de vraag gericht?"), widget=forms.CheckboxSelectMultiple
    )
    kanaal = forms.ChoiceField(
        label=_("Kanaal"),
        choices=Kanaal.choices,
        initial=Kanaal.HULPVERLENER_MET_GEZIN,
        widget=forms.RadioSelect,
    )
    toestemming = forms.BooleanField(
        label=_("Het gezin geeft toestemming voor deze aanmelding"), required=False
    )

    def __init__(self, *args, user, gezin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.gezin = user, gezin
        self.fields["gemeente"].choices = [("", "—"), *lookups.municipality_choices()]
        self.fields["partners"].choices = [
            (o.code, o.naam) for o in access.addressable_partners(user)
        ]
        if gezin is not None:
            for name in ("naam", "telefoon", "email"):
                del self.fields[name]

    def clean_geboortejaren(self) -> list[int]:
        raw = self.cleaned_data["geboortejaren"].replace(";", ",").replace(" ", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Geef jaartallen gescheiden door komma's, bv. 2014, 2017.")
            ) from None

    def registration(self) -> Registration:
        """The registration as far as the form could parse it (fields in error are empty)."""
        d = self.cleaned_data
        return Registration(
            kanaal=d.get("kanaal", ""),
            gemeente=d.get("gemeente", ""),
            geboortejaren=d.get("geboortejaren", []),
            domeinen=d.get("domeinen", []),
            urgentie=d.get("urgentie", ""),
            toestemming=bool(d.get("toestemming")),
            partners=d.get("partners", []),
            naam=d.get("naam", ""),
            telefoon=d.get("telefoon", ""),
            email=d.get("email", ""),
            gewenste_termijn=d.get("gewenste_termijn"),
            gezin=self.gezin,
        )

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        """Add the service's messages for the fields the form itself found no fault with, so
        one submit shows every problem (a field the form already flagged keeps its message)."""
        for name, messages in errors.items():
            if name in self.fields and name in self.errors:
                continue
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class EventForm(forms.Form):
    type = forms.ChoiceField(label=_("Wat gebeurde er?"), choices=GebeurtenisType.choices)
    datum = forms.DateField(label=_("Datum"), initial=dt.date.today, widget=DateInput())
    gepland_op = forms.DateField(
        label=_("Gepland op (eerste contact)"), required=False, widget=DateInput()
    )
    organisatie = forms.ChoiceField(label=_("Organisatie"), required=False)
    persoon = forms.CharField(label=_("Persoon (bij wie)"), max_length=200, required=False)
    hulpvorm = forms.ChoiceField(label=_("Hulpvorm (bij start hulp)"), required=False)
    reden = forms.CharField(label=_("Reden of toelichting"), max_length=300, required=False)
    versie = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, aanmelding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [("", "—")] + [
            (o.code, o.naam) for o in aanmelding.partners.all()
        ]
        self.fields["hulpvorm"].choices = [("", "—"), *lookups.hulpvorm_choices()]

    def event(self) -> Event:
        d = self.cleaned_data
        return Event(
            type=d["type"],
            datum=d["datum"],
            gepland_op=d["gepland_op"],
            organisatie=d["organisatie"],
            persoon=d["persoon"],
            hulpvorm=d["hulpvorm"],
            reden=d["reden"],
        )


class ContactPointForm(forms.Form):
    aanspreekpunt_organisatie = forms.ChoiceField(label=_("Organisatie van het aanspreekpunt"))
    aanspreekpunt_persoon = forms.CharField(label=_("Aanspreekpunt (persoon)"), max_length=200)
    versie = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = partners
        self.fields["aanspreekpunt_organisatie"].choices = [(o.pk, o.naam) for o in partners]

    def organisation(self):
        """The chosen partner (of a valid form)."""
        chosen = self.cleaned_data["aanspreekpunt_organisatie"]
        return next(p for p in self.partners if str(p.pk) == chosen)


class PlanForm(forms.Form):
    doelen = forms.CharField(
        label=_("Doelen van het gezinsplan"), widget=forms.Textarea(attrs={"rows": 4})
    )
    organisaties = forms.MultipleChoiceField(
        label=_("Betrokken organisaties"), widget=forms.CheckboxSelectMultiple
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = partners
        self.fields["organisaties"].choices = [(str(o.pk), o.naam) for o in partners]

    def chosen(self) -> list:
        """The partners taking part in the plan (of a valid form)."""
        return [p for p in self.partners if str(p.pk) in self.cleaned_data["organisaties"]]


class DashboardForm(forms.Form):
    netwerk = forms.ChoiceField(label=_("Netwerk"))
    van = forms.DateField(label=_("Van"), widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), widget=DateInput())
    partner = forms.ChoiceField(label=_("Partner"), required=False)

    def __init__(self, *args, networks, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["netwerk"].choices = [(n.code, n.naam) for n in networks]
        self.fields["partner"].choices = [("", _("alle partners"))] + [
            (p.code, p.naam) for p in partners
        ]

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("'Tot en met' ligt vóór 'Van'."))
        return data
