"""System checks: the platform does not start in production without valid field keys."""

from __future__ import annotations

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def field_keys_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    keys = settings.JEUGDHULP_FIELD_KEYS
    if settings.PRODUCTION and not keys:
        errors.append(
            Error(
                "JEUGDHULP_FIELD_KEYS is not set: contact details cannot be encrypted.",
                hint="Generate a key with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' and set JEUGDHULP_FIELD_KEYS.",
                id="aanmeldingen.E001",
            )
        )
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            errors.append(
                Error(
                    f"JEUGDHULP_FIELD_KEYS: key {number} is not a Fernet key "
                    "(32 bytes, url-safe base64).",
                    id="aanmeldingen.E002",
                )
            )
    return errors
