"""Serializers of the accounts' part of API v1: the caller and the organisations they see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class IkSerializer(serializers.Serializer):
    gebruikersnaam = serializers.CharField()
    rollen = serializers.ListField(child=serializers.CharField())
    organisaties = serializers.ListField(child=serializers.CharField())
    netwerken = serializers.ListField(child=serializers.CharField())


class OrganisatieSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()
    soort = serializers.CharField()
    netwerken = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_netwerken(self, obj) -> list[str]:
        return sorted(n.code for n in obj.netwerken.all())
