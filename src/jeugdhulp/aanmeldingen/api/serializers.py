"""Serializers of the request monitor's part of API v1 (FORMATS.md, "REST API of the request
monitor"): requests, their events and the network KPIs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jeugdhulp.aanmeldingen.access import may_see_contact
from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    Domein,
    Gebeurtenis,
    GebeurtenisType,
    Kanaal,
    Status,
    Urgentie,
)


class GezinSerializer(serializers.Serializer):
    naam = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    telefoon = serializers.CharField(max_length=50, allow_blank=True, required=False, default="")
    email = serializers.CharField(max_length=254, allow_blank=True, required=False, default="")


class RegistrationSerializer(serializers.Serializer):
    kanaal = serializers.ChoiceField(choices=Kanaal.choices)
    aangemeld_op = serializers.DateField(required=False)
    gemeente = serializers.CharField(max_length=20)
    geboortejaren = serializers.ListField(
        child=serializers.IntegerField(min_value=1900, max_value=2200),
        allow_empty=False,
        max_length=20,
    )
    domeinen = serializers.ListField(
        child=serializers.ChoiceField(choices=Domein.choices), allow_empty=False, max_length=20
    )
    urgentie = serializers.ChoiceField(choices=Urgentie.choices)
    gewenste_termijn = serializers.DateField(required=False, allow_null=True)
    toestemming = serializers.BooleanField(
        help_text=_("Het gezin gaf toestemming; moet true zijn.")
    )
    partners = serializers.ListField(
        child=serializers.CharField(max_length=40),
        allow_empty=False,
        max_length=50,
        help_text=_("Codes van de organisaties aan wie de vraag gericht is."),
    )
    gezin = GezinSerializer()


class EventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=GebeurtenisType.choices)
    datum = serializers.DateField(required=False, help_text=_("Standaard vandaag."))
    gepland_op = serializers.DateField(required=False, allow_null=True)
    organisatie = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    persoon = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hulpvorm = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    reden = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    versie = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("De versie die u laatst las; een andere huidige versie geeft 409."),
    )


class CodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", read_only=True, **kwargs)


class EventReadSerializer(serializers.ModelSerializer):
    organisatie = CodeField(allow_null=True)

    class Meta:
        model = Gebeurtenis
        fields = ["type", "datum", "gepland_op", "organisatie", "persoon", "hulpvorm", "reden"]


class EventCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    versie = serializers.IntegerField()


class AanmeldingSerializer(serializers.ModelSerializer):
    domeinen = serializers.SerializerMethodField()
    partners = CodeField(many=True)
    aanmelder = serializers.CharField(
        source="aangemeld_door.username", default=None, read_only=True
    )
    eerste_contact_organisatie = CodeField(allow_null=True)
    aanspreekpunt = serializers.SerializerMethodField()
    gezin = serializers.SerializerMethodField()
    gebeurtenissen = EventReadSerializer(many=True, read_only=True)

    class Meta:
        model = Aanmelding
        fields = [
            "id",
            "status",
            "versie",
            "kanaal",
            "aangemeld_op",
            "gemeente",
            "geboortejaren",
            "domeinen",
            "urgentie",
            "gewenste_termijn",
            "toestemming",
            "toestemming_op",
            "partners",
            "aanmelder",
            "eerste_contact_op",
            "eerste_contact_organisatie",
            "eerste_contact_persoon",
            "eerste_gesprek_op",
            "hulp_gestart_op",
            "afgesloten_op",
            "aanspreekpunt",
            "gezin",
            "gebeurtenissen",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_domeinen(self, obj) -> list[str]:
        return sorted(row.domein for row in obj.domein_rijen.all())

    @extend_schema_field(serializers.DictField(child=serializers.CharField(allow_null=True)))
    def get_aanspreekpunt(self, obj) -> dict:
        org = obj.gezin.aanspreekpunt_organisatie
        return {
            "organisatie": org.code if org else None,
            "persoon": obj.gezin.aanspreekpunt_persoon,
        }

    @extend_schema_field(GezinSerializer(allow_null=True))
    def get_gezin(self, obj) -> dict | None:
        """Contact details only for the registrant and the addressed providers."""
        if not may_see_contact(self.context["request"].user, obj):
            return None
        self.context.setdefault("contact_shown", []).append(obj)
        return {"naam": obj.gezin.naam, "telefoon": obj.gezin.telefoon, "email": obj.gezin.email}


class FiguresSerializer(serializers.Serializer):
    # null: hidden by disclosure control (anyone but the network's coordinator).
    aantal = serializers.IntegerField(allow_null=True)
    aandeel_gesprek_binnen_30_dagen = serializers.FloatField(allow_null=True)
    aandeel_binnen_gewenste_termijn = serializers.FloatField(allow_null=True)
    mediaan_dagen_tot_eerste_gesprek = serializers.FloatField(allow_null=True)
    p90_dagen_tot_eerste_gesprek = serializers.IntegerField(allow_null=True)
    mediaan_dagen_tot_hulp = serializers.FloatField(allow_null=True)
    open_wachtlijst = serializers.IntegerField(allow_null=True)


class KpiSerializer(FiguresSerializer):
    netwerk = serializers.CharField()
    van = serializers.DateField()
    tot = serializers.DateField()
    per_partner = serializers.DictField(child=FiguresSerializer())


class KpiQuerySerializer(serializers.Serializer):
    netwerk = serializers.CharField(max_length=40)
    van = serializers.DateField()
    tot = serializers.DateField()
    partner = serializers.CharField(max_length=40, required=False)

    def validate(self, attrs):
        if attrs["van"] > attrs["tot"]:
            raise serializers.ValidationError({"tot": _("'tot' ligt vóór 'van'.")})
        return attrs


class ListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    partner = serializers.CharField(max_length=40, required=False)
    gemeente = serializers.CharField(max_length=20, required=False)
    van = serializers.DateField(required=False)
    tot = serializers.DateField(required=False)
