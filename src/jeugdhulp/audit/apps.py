from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jeugdhulp.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Django: signals import models, which may be imported only once the apps are loaded.
        from jeugdhulp.audit import signals

        signals.connect()
