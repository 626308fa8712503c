from django.urls import include, path

from jeugdhulp.accounts import grant_views, invitation_views

urlpatterns = [
    path("uitnodigen/", invitation_views.invite, name="uitnodigen"),
    path(
        "uitnodiging/<uidb64>/<token>/",
        invitation_views.accept,
        name="uitnodiging_aanvaarden",
    ),
    path("rollen/", grant_views.overview, name="rollen"),
    path(
        "rollen/<int:pk>/<str:besluit>/",
        grant_views.decision,
        name="rollen_beslissen",
    ),
    path("", include("django.contrib.auth.urls")),
]
