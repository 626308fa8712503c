from django.urls import path

from jeugdhulp.results import duiding_verzoek_views, duiding_views, views

app_name = "results"
urlpatterns = [
    path("", views.run_list, name="lijst"),
    path("ronde/<int:ronde_id>/analyseren/", views.start, name="start"),
    path("analyse/<int:pk>/", views.run_detail, name="detail"),
    path("analyse/<int:pk>/status.json", views.run_status, name="status"),
    path("analyse/<int:pk>/kaart/", views.map_page, name="kaart"),
    path("analyse/<int:pk>/kaart/gebieden.geojson", views.geometry, name="geometry"),
    path("analyse/<int:pk>/kaart/waarden.json", views.values, name="values"),
    path("analyse/<int:pk>/kaart/evolutie.json", views.area_trend, name="area_trend"),
    path(
        "analyse/<int:pk>/kaart/vergelijkingsgroep.json",
        views.comparison_group,
        name="vergelijkingsgroep",
    ),
    path(
        "analyse/<int:pk>/kaart/afbeelding.<slug:image_format>",
        views.map_download,
        name="kaart_afbeelding",
    ),
    path("analyse/<int:pk>/evolutie/", views.trends_page, name="evolutie"),
    path("analyse/<int:pk>/funnel/", views.funnel_page, name="funnel"),
    path("analyse/<int:pk>/download/<slug:key>/", views.download, name="download"),
    path("analyse/<int:pk>/duiding/", duiding_views.page, name="duiding"),
    path("analyse/<int:pk>/duiding.json", duiding_views.panel, name="duiding_panel"),
    path("analyse/<int:pk>/duiding/verwijderen/", duiding_views.delete, name="duiding_delete"),
    path(
        "analyse/<int:pk>/duiding/export/<slug:kind>/", duiding_views.export, name="duiding_export"
    ),
    path("analyse/<int:pk>/duiding/vragen/", duiding_verzoek_views.ask, name="duiding_vragen"),
    path(
        "analyse/<int:pk>/duiding/vragen/<int:uitnodiging_id>/intrekken/",
        duiding_verzoek_views.revoke,
        name="duiding_intrekken",
    ),
    path("duiding/<str:token>/", duiding_verzoek_views.answer, name="duiding_answer"),
]
