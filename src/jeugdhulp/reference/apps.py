from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "jeugdhulp.reference"
    label = "reference"
