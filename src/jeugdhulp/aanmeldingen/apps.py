from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jeugdhulp.core.navigation import Entry, register


class AanmeldingenConfig(AppConfig):
    name = "jeugdhulp.aanmeldingen"
    label = "aanmeldingen"
    verbose_name = _("Aanmeldingen (1G1P)")

    def ready(self) -> None:
        # Django: these import models, which may be imported only once the apps are loaded.
        from jeugdhulp.aanmeldingen import checks  # noqa: F401 - registers the system checks
        from jeugdhulp.accounts import invitations  # noqa: F401 - registers its permission

        register(
            Entry(
                title=_("Aanmeldingen"),
                description=_("Aanmelden, opvolgen en de eerste afspraak plannen (1G1P)."),
                url_name="aanmeldingen:lijst",
                permission="aanmeldingen.list_aanmelding",
                order=200,
            )
        )
        register(
            Entry(
                title=_("Dashboard netwerk"),
                description=_("Aanmeldingen, wachttijden en wachtlijst van het netwerk."),
                url_name="aanmeldingen:dashboard",
                permission="aanmeldingen.view_dashboard",
                order=210,
            )
        )
        register(
            Entry(
                title=_("Mensen uitnodigen"),
                description=_("Nodig aanmelders en medewerkers uit met een e-mail."),
                url_name="uitnodigen",
                permission="accounts.invite_people",
                order=800,
            )
        )
