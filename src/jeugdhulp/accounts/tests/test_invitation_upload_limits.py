"""Invitation files are uploads too (issue #12, finding 4): read within the upload limits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jeugdhulp.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_an_invitation_file_over_the_row_setting_is_refused(client, network, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.JEUGDHULP_MAX_UPLOAD_ROWS = 5
    client.force_login(make_user(Role.COORDINATOR, network["network"], username="coord"))
    rows = "".join(f"P{i};Q;p{i}@example.invalid;IN-1;\n" for i in range(50))
    upload = SimpleUploadedFile(
        "mensen.csv", f"voornaam;achternaam;email;organisatie;rol\n{rows}".encode()
    )
    response = client.post(reverse("uitnodigen"), {"bestand": upload})
    assert any("meer dan 5 rijen; dat is de grens" in p for p in response.context["problems"])
    assert not User.objects.filter(email__startswith="p1").exists() and not mail.outbox


def test_an_invitation_file_over_the_byte_setting_is_named_on_the_page(
    client, network, make_user, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.JEUGDHULP_MAX_UPLOAD_BYTES = 1024
    client.force_login(make_user(Role.COORDINATOR, network["network"], username="coord"))
    rows = "".join(f"P{i};Q;p{i}@example.invalid;IN-1;\n" for i in range(200))
    upload = SimpleUploadedFile(
        "mensen.csv", f"voornaam;achternaam;email;organisatie;rol\n{rows}".encode()
    )
    response = client.post(reverse("uitnodigen"), {"bestand": upload})
    assert response.status_code == 200
    assert response.context["problems"] == [
        "mensen.csv is groter dan 1 MB, de grens; er is niemand uitgenodigd."
    ]
    assert not User.objects.filter(email__startswith="p1").exists() and not mail.outbox
