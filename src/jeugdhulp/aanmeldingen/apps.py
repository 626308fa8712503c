from django.apps import AppConfig


class AanmeldingenConfig(AppConfig):
    name = "jeugdhulp.aanmeldingen"
    label = "aanmeldingen"
