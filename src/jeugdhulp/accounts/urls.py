from django.urls import include, path

from jeugdhulp.accounts import invitation_views

urlpatterns = [
    path("uitnodigen/", invitation_views.invite, name="uitnodigen"),
    path(
        "uitnodiging/<uidb64>/<token>/",
        invitation_views.accept,
        name="uitnodiging_aanvaarden",
    ),
    path("", include("django.contrib.auth.urls")),
]
