"""Delivering a snapshot file through the REST API (partners' own systems).

``POST`` a multipart form with ``bestand`` (and ``partner``, an organisation code, when the user
delivers for more than one invited partner). The answer carries the same report lines as the
screen and the CLI: 201 when the file was accepted, 422 when it was refused (nothing imported),
409 when the round is closed for delivery.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.accounts.permissions import can
from jeugdhulp.rounds import services
from jeugdhulp.rounds.api.serializers import CLOSED, DELIVERY, UploadSerializer
from jeugdhulp.rounds.models import Round, Upload, UploadStatus
from jeugdhulp.rounds.rules import delivering_partner_ids


class UploadApiView(APIView):
    parser_classes = [MultiPartParser]
    serializer_class = UploadSerializer

    def _round(self, request, pk: int) -> Round:
        ronde = get_object_or_404(Round, pk=pk)
        if not can(request.user, "rounds.view_round", ronde):
            raise NotFound
        return ronde

    def _partners(self, request, ronde: Round):
        return Organisation.objects.filter(pk__in=delivering_partner_ids(request.user, ronde))

    def get(self, request, pk: int):
        """The uploads of the caller's partners in this round, newest first."""
        ronde = self._round(request, pk)
        uploads = Upload.objects.filter(ronde=ronde, partner__in=self._partners(request, ronde))
        return Response(UploadSerializer(uploads.select_related("partner"), many=True).data)

    @extend_schema(
        request=DELIVERY, responses={201: UploadSerializer, 422: UploadSerializer, 409: CLOSED}
    )
    def post(self, request, pk: int):
        ronde = self._round(request, pk)
        if not can(request.user, "rounds.is_invited_round", ronde):
            raise NotFound
        if not ronde.open:
            return Response({"detail": services.CLOSED_MESSAGE}, status=status.HTTP_409_CONFLICT)
        partners = self._partners(request, ronde)
        code = request.data.get("partner")
        partner = partners.filter(code=code).first() if code else None
        if partner is None and not code and partners.count() == 1:
            partner = partners.first()
        if partner is None:
            raise ValidationError({"partner": "geef de code van een uitgenodigde partner op."})
        received = request.FILES.get("bestand")
        refusal = services.refused_as_too_large(request)
        if refusal:
            raise ValidationError({"bestand": refusal})
        if received is None:
            raise ValidationError({"bestand": "voeg het bestand toe (veld 'bestand')."})
        refusal = services.too_large(received)
        if refusal:
            raise ValidationError({"bestand": refusal})
        upload = services.import_uploaded(ronde, partner, received, user=request.user)
        accepted = upload.status == UploadStatus.ACCEPTED
        return Response(
            UploadSerializer(upload).data,
            status=status.HTTP_201_CREATED if accepted else status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
