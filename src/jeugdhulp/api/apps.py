from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jeugdhulp.api"
    label = "api"
