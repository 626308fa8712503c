from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jeugdhulp.api"
    label = "api"

    def ready(self):
        # Receivers that revoke API tokens (password change, deactivation, last role removed).
        # Django: signals import models, which may be imported only once the apps are loaded.
        from jeugdhulp.api import signals  # noqa: F401
