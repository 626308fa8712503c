"""The REST API's routing: version 1 under /api/v1/ and its OpenAPI document. Each app keeps
its own endpoints in its ``api`` package; this module only puts them under one prefix."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from jeugdhulp.aanmeldingen.api.views import AanmeldingViewSet, KpiView
from jeugdhulp.accounts.api.views import IkView, OrganisatieViewSet
from jeugdhulp.rounds.api.views import UploadApiView

app_name = "api"

router = SimpleRouter()
router.register("organisaties", OrganisatieViewSet, basename="organisatie")
router.register("aanmeldingen", AanmeldingViewSet, basename="aanmelding")

urlpatterns = [
    path("v1/ik/", IkView.as_view(), name="ik"),
    path("v1/kpi/", KpiView.as_view(), name="kpi"),
    path("v1/rondes/<int:pk>/aanleveringen/", UploadApiView.as_view(), name="aanleveringen"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
