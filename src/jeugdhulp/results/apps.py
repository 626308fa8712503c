from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "jeugdhulp.results"
    label = "results"
