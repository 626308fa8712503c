from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jeugdhulp.core.navigation import Entry, register


class RoundsConfig(AppConfig):
    name = "jeugdhulp.rounds"
    label = "rounds"
    verbose_name = _("Rondes (foto)")

    def ready(self) -> None:

        register(
            Entry(
                title=_("Foto-rondes"),
                description=_("Rondes van de foto: aanleveren, controleren en wie al aanleverde."),
                url_name="rounds:lijst",
                permission="rounds.list_round",
                order=300,
            )
        )
