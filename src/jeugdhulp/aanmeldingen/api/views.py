"""The request monitor's part of API v1: requests, their events and a network's KPIs. Every
endpoint asks the same permission layer as the screens (``permissions``); what a user may not
see answers 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from jeugdhulp.aanmeldingen import access, dashboard, disclosure, kpi, workflow
from jeugdhulp.aanmeldingen.api import serializers as s
from jeugdhulp.aanmeldingen.api.permissions import MayAddEvent, MayRegister
from jeugdhulp.aanmeldingen.models import Gebeurtenis
from jeugdhulp.audit.services import record_view

CONFLICT = OpenApiResponse(
    description="Niet toegelaten vanuit de huidige status, of versieconflict."
)

GEZIN_FIELDS = ("naam", "telefoon", "email")


def _field_errors(error: workflow.InvalidInput) -> dict:
    """Service errors keyed like the request body (contact details under ``gezin``)."""
    out: dict = {}
    for name, messages in error.errors.items():
        if name in GEZIN_FIELDS:
            out.setdefault("gezin", {})[name] = messages
        else:
            out[name] = messages
    return out


@extend_schema(tags=["aanmeldingen"])
class AanmeldingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.AanmeldingSerializer

    def get_permissions(self):
        extra = {"create": [MayRegister()], "gebeurtenissen": [MayAddEvent()]}
        return [*super().get_permissions(), *extra.get(self.action, [])]

    def get_queryset(self):
        return (
            access.visible_requests(self.request.user)
            .select_related(
                "gezin__aanspreekpunt_organisatie", "aangemeld_door", "eerste_contact_organisatie"
            )
            .prefetch_related(
                "partners",
                "domein_rijen",
                Prefetch("gebeurtenissen", Gebeurtenis.objects.select_related("organisatie")),
            )
            .order_by("-aangemeld_op", "-id")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        query = s.ListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        if "status" in f:
            queryset = queryset.filter(status=f["status"])
        if "partner" in f:
            queryset = queryset.filter(partners__code=f["partner"])
        if "gemeente" in f:
            queryset = queryset.filter(gemeente=f["gemeente"])
        if "van" in f:
            queryset = queryset.filter(aangemeld_op__gte=f["van"])
        if "tot" in f:
            queryset = queryset.filter(aangemeld_op__lte=f["tot"])
        return queryset

    def _audited(self, response_data, serializer_context):
        """Record that the contact details in this answer were seen."""
        for obj in serializer_context.get("contact_shown", []):
            record_view(obj.gezin, fields=GEZIN_FIELDS)
        return response_data

    @extend_schema(parameters=[s.ListQuerySerializer], summary="Aanmeldingen die u mag zien")
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context()
        data = s.AanmeldingSerializer(page, many=True, context=context).data
        self._audited(data, context)
        return self.get_paginated_response(data)

    @extend_schema(summary="Eén aanmelding met haar gebeurtenissen")
    def retrieve(self, request, *args, **kwargs):
        context = self.get_serializer_context()
        data = s.AanmeldingSerializer(self.get_object(), context=context).data
        return Response(self._audited(data, context))

    @extend_schema(
        request=s.RegistrationSerializer,
        responses={201: s.AanmeldingSerializer, 400: OpenApiResponse(description="Foute invoer")},
        summary="Een aanmelding registreren",
    )
    def create(self, request, *args, **kwargs):
        body = s.RegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        gezin = data.pop("gezin")
        try:
            created = workflow.register(request.user, workflow.Registration(**data, **gezin))
        except workflow.InvalidInput as error:
            raise ValidationError(_field_errors(error)) from None
        context = self.get_serializer_context()
        out = s.AanmeldingSerializer(self.get_queryset().get(pk=created.pk), context=context).data
        return Response(self._audited(out, context), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EventSerializer,
        responses={
            201: s.EventCreatedSerializer,
            400: OpenApiResponse(description="Foute invoer"),
            409: CONFLICT,
        },
        summary="Een gebeurtenis toevoegen (de workflow)",
    )
    @action(detail=True, methods=["post"], url_path="gebeurtenissen")
    def gebeurtenissen(self, request, pk=None):
        aanmelding = self.get_object()  # 404 when not visible, 403 when not addressed
        body = s.EventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("versie", None)
        try:
            updated = workflow.add_event(
                request.user, aanmelding.pk, workflow.Event(**data), version
            )
        except workflow.InvalidInput as error:
            raise ValidationError(error.errors) from None
        except (workflow.TransitionNotAllowed, workflow.VersionConflict) as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(
            {"id": updated.pk, "status": updated.status, "versie": updated.versie},
            status=status.HTTP_201_CREATED,
        )


class KpiView(APIView):
    @extend_schema(
        parameters=[s.KpiQuerySerializer],
        responses={
            200: s.KpiSerializer,
            404: OpenApiResponse(description="Netwerk niet zichtbaar"),
        },
        summary="Indicatoren van een netwerk",
    )
    def get(self, request):
        query = s.KpiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        network = get_object_or_404(access.kpi_networks(request.user), code=q["netwerk"])
        partner = None
        if "partner" in q:
            partner = get_object_or_404(kpi.network_partners(network), code=q["partner"])
        # The dashboard's figures under the one disclosure rule of every channel: outside the
        # network, whole ended quarters (``van``/``tot`` in the answer) and hidden cells null.
        van, tot = disclosure.period_for(
            request.user, network, q["van"], q["tot"], timezone.localdate()
        )
        board = disclosure.publish(dashboard.build(network, van, tot, partner), request.user)
        body = {
            "netwerk": network.code,
            "van": van,
            "tot": tot,
            **board.totaal.as_api(),
            "per_partner": {org.code: f.as_api() for org, f in board.per_partner},
        }
        return Response(s.KpiSerializer(body).data)
