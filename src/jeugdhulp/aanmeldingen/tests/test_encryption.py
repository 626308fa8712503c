from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from jeugdhulp.aanmeldingen import crypto
from jeugdhulp.aanmeldingen.checks import field_keys_check
from jeugdhulp.aanmeldingen.models import Gezin


def raw_contact_columns(pk: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT naam, telefoon, email FROM aanmeldingen_gezin WHERE id = %s", [pk])
        return cursor.fetchone()


def test_the_database_holds_no_plaintext_contact_detail(request_in):
    raw = raw_contact_columns(request_in.gezin_id)
    stored = " ".join(raw)
    for secret in (
        "Gezin Fictief",
        "Fictief",
        "089 12 34 56",
        "12 34",
        "gezin.fictief",
        "example.invalid",
    ):
        assert secret not in stored
    assert all(value.startswith("gAAAA") for value in raw)  # Fernet tokens
    gezin = Gezin.objects.get(pk=request_in.gezin_id)
    assert (gezin.naam, gezin.telefoon) == ("Gezin Fictief", "089 12 34 56")


def test_keys_rotate_without_losing_data(request_in, settings):
    old = settings.JEUGDHULP_FIELD_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.JEUGDHULP_FIELD_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "opnieuw versleuteld" in out.getvalue()
    settings.JEUGDHULP_FIELD_KEYS = [new]
    assert Gezin.objects.get(pk=request_in.gezin_id).email == "gezin.fictief@example.invalid"


def test_development_key_is_generated_once_owner_only(tmp_path, settings):
    settings.JEUGDHULP_FIELD_KEYS = []
    settings.VAR_DIR = tmp_path
    first = crypto.configured_keys()
    assert crypto.configured_keys() == first
    assert (tmp_path / "field_keys").stat().st_mode & 0o777 == 0o600
    Fernet(first[0])


def test_production_without_keys_is_refused(settings):
    settings.PRODUCTION = True
    settings.JEUGDHULP_FIELD_KEYS = []
    assert [e.id for e in field_keys_check(None)] == ["aanmeldingen.E001"]
    with pytest.raises(RuntimeError):
        crypto.configured_keys()
    settings.JEUGDHULP_FIELD_KEYS = ["not-a-key"]
    assert [e.id for e in field_keys_check(None)] == ["aanmeldingen.E002"]
