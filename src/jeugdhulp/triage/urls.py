from django.urls import path

from jeugdhulp.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.index, name="index"),
    path("aanmelding/<int:pk>/taxatie/", views.new, {"kind": "aanmelding"}, name="nieuw"),
    path("gezin/<int:pk>/taxatie/", views.new, {"kind": "gezin"}, name="nieuw_gezin"),
    path("taxatie/<int:pk>/", views.detail, name="detail"),
    path("regelsets/", views.ruleset_list, name="regelsets"),
    path("regelsets/nieuw/", views.ruleset_edit, name="regelset_nieuw"),
    path(
        "regelsets/standaard/bewerken/",
        views.ruleset_edit,
        {"default": True},
        name="regelset_standaard_bewerken",
    ),
    path("regelsets/<int:pk>/", views.ruleset_detail, name="regelset"),
    path("regelsets/<int:pk>/bewerken/", views.ruleset_edit, name="regelset_bewerken"),
    path("rapport/", views.report, name="rapport"),
]
