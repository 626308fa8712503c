from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from jeugdhulp.api import views
from jeugdhulp.rounds.api import UploadApiView

app_name = "api"

router = SimpleRouter()
router.register("organisaties", views.OrganisatieViewSet, basename="organisatie")
router.register("aanmeldingen", views.AanmeldingViewSet, basename="aanmelding")

urlpatterns = [
    path("v1/ik/", views.IkView.as_view(), name="ik"),
    path("v1/kpi/", views.KpiView.as_view(), name="kpi"),
    path("v1/rondes/<int:pk>/aanleveringen/", UploadApiView.as_view(), name="aanleveringen"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
