from django.urls import path

from jeugdhulp.aanmeldingen import views

app_name = "aanmeldingen"
urlpatterns = [
    path("", views.request_list, name="lijst"),
    path("nieuw/", views.register, name="nieuw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/gebeurtenis/", views.add_event, name="gebeurtenis"),
    path("<int:pk>/aanspreekpunt/", views.set_contact_point, name="aanspreekpunt"),
    path("<int:pk>/gezinsplan/", views.save_plan, name="gezinsplan"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/export.csv", views.dashboard_export, name="export"),
    path("dashboard/kaart.json", views.dashboard_map, name="kaart"),
]
