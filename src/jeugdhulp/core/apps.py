from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jeugdhulp.core.navigation import Entry, register


class CoreConfig(AppConfig):
    name = "jeugdhulp.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:

        register(
            Entry(
                title=_("Rollen en goedkeuringen"),
                description=_(
                    "Rolaanvragen voor uw organisatie goedkeuren of weigeren, en wie welke rol "
                    "kreeg."
                ),
                url_name="rollen",
                permission="accounts.review_memberships",
                order=880,
            )
        )
        register(
            Entry(
                title=_("Beheer"),
                description=_("Organisaties, gebruikers, rollen en referentiegegevens."),
                url_name="admin:index",
                permission="core.access_admin",
                order=900,
            )
        )
        register(
            Entry(
                title=_("Auditlog"),
                description=_("Wie zag of wijzigde wat, en elke aanmelding op het platform."),
                url_name="admin:audit_auditevent_changelist",
                permission="audit.view_auditevent",
                order=910,
            )
        )
