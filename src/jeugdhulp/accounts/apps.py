from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jeugdhulp.accounts"
    label = "accounts"
