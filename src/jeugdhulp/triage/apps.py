from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jeugdhulp.core.navigation import Entry, register


class TriageConfig(AppConfig):
    name = "jeugdhulp.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:

        register(
            Entry(
                title=_("Triage"),
                description=_("Taxatie (CAP-J × STEP) met een uitgelegd route-advies."),
                url_name="triage:index",
                permission="triage.list_assessment",
                order=300,
            )
        )
        register(
            Entry(
                title=_("Triageregels"),
                description=_("De versies van de regels die het route-advies geven."),
                url_name="triage:regelsets",
                permission="triage.view_ruleset",
                order=310,
            )
        )
        register(
            Entry(
                title=_("Triagerapport"),
                description=_("Advies tegenover beslissing; routes per domein en gemeente."),
                url_name="triage:rapport",
                permission="triage.view_report",
                order=320,
            )
        )
