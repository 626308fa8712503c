"""Serializers of the snapshot-delivery endpoint (FORMATS.md, "REST API")."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from jeugdhulp.rounds.models import Upload


class UploadSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.code")
    rapport = serializers.ListField(source="report_lines", child=serializers.CharField())

    class Meta:
        model = Upload
        fields = [
            "id",
            "partner",
            "versie",
            "status",
            "actief",
            "bestandsnaam",
            "rijen_gelezen",
            "rijen",
            "unieke_kinderen",
            "fouten",
            "waarschuwingen",
            "rapport",
            "samenvatting",
            "geupload_op",
        ]


DELIVERY = inline_serializer(
    "Aanlevering",
    {
        "bestand": serializers.FileField(help_text="CSV or XLSX in the data-request format v1"),
        "partner": serializers.CharField(
            required=False, help_text="organisation code, when delivering for several partners"
        ),
    },
)


CLOSED = inline_serializer("RondeGesloten", {"detail": serializers.CharField()})
