"""Encryption at rest of contact details (Fernet; several keys so they can be rotated).

``settings.JEUGDHULP_FIELD_KEYS``: the first key encrypts, every key decrypts (``MultiFernet``).
Without configured keys a development install generates one into ``VAR_DIR/field_keys`` once;
production refuses to start (system check ``aanmeldingen.E001``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _development_key(var_dir: Path) -> str:
    path = var_dir / "field_keys"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode("ascii")
    # Owner-only and created once: losing it makes the stored contact details unreadable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def configured_keys() -> list[str]:
    """The keys in use: the configured ones, or in development the generated one."""
    keys = list(settings.JEUGDHULP_FIELD_KEYS)
    if keys:
        return keys
    if settings.PRODUCTION:
        raise RuntimeError("JEUGDHULP_FIELD_KEYS is required in production.")
    return [_development_key(Path(settings.VAR_DIR))]


@functools.cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(configured_keys()))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the first key (it may have been made with an older one)."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; the empty string (no detail, or erased) stays empty."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            raise InvalidToken(
                f"{self.model.__name__}.{self.name}: cannot be decrypted with the configured "
                "JEUGDHULP_FIELD_KEYS (was a key removed before rotating?)"
            ) from None
