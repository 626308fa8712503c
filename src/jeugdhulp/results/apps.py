from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jeugdhulp.core.navigation import Entry, register


class ResultsConfig(AppConfig):
    name = "jeugdhulp.results"
    label = "results"
    verbose_name = _("Resultaten")

    def ready(self) -> None:

        register(
            Entry(
                title=_("Kaarten en rapporten"),
                description=_(
                    "Resultaten van de foto's: kaarten, hotspots en blauwe zones, evolutie, "
                    "rapport en exports."
                ),
                url_name="results:lijst",
                permission="results.list_runs",
                order=300,
            )
        )
        register(
            Entry(
                title=_("Cliëntroutes"),
                description=_("De meest voorkomende opeenvolgingen van hulpvormen."),
                url_name="client_routes",
                permission="results.view_client_routes",
                order=330,
            )
        )
