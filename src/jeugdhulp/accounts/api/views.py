"""The accounts' part of API v1: who the caller is, and the organisations they may see."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from jeugdhulp.accounts.api import serializers as s
from jeugdhulp.accounts.models import Organisation
from jeugdhulp.accounts.permissions import scope_of, visible_organisations


class IkView(APIView):
    @extend_schema(responses=s.IkSerializer, summary="De aangemelde gebruiker")
    def get(self, request):
        scope = scope_of(request.user)
        orgs = Organisation.objects.filter(pk__in=scope.organisations())
        networks = Organisation.objects.filter(pk__in=scope.networks)
        return Response(
            s.IkSerializer(
                {
                    "gebruikersnaam": request.user.get_username(),
                    "rollen": sorted(scope.roles),
                    "organisaties": sorted(orgs.values_list("code", flat=True)),
                    "netwerken": sorted(networks.values_list("code", flat=True)),
                }
            ).data
        )


class OrganisatieViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.OrganisatieSerializer
    pagination_class = None

    def get_queryset(self):
        return (
            visible_organisations(self.request.user).prefetch_related("netwerken").order_by("code")
        )
