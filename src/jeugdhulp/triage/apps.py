from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "jeugdhulp.triage"
    label = "triage"
