from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jeugdhulp.demo"
    label = "demo"
