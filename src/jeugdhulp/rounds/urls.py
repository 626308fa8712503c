from django.urls import path

from jeugdhulp.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="lijst"),
    path("nieuw/", views.round_create, name="nieuw"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/status/", views.round_status, name="status"),
    path("<int:pk>/sleutel/", views.round_key, name="sleutel"),
    path("pseudonym.py", views.pseudonymisation_tool, name="programma"),
    path("<int:pk>/aanleveren/", views.upload, name="aanleveren"),
    path("<int:pk>/sjabloon.<str:fmt>", views.template_download, name="sjabloon"),
]
