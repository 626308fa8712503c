from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "jeugdhulp.rounds"
    label = "rounds"
