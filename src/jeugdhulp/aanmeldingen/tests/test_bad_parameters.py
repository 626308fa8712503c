"""A junk family id on the registration form answered 500; now 400 (#12 finding 10)."""

from __future__ import annotations

from django.urls import reverse


def test_a_junk_family_id_on_the_registration_form_answers_400_not_500(client, world):
    client.force_login(world["aanmelder"])
    client.raise_request_exception = False
    response = client.get(reverse("aanmeldingen:nieuw"), {"gezin": "abc"})
    assert response.status_code == 400
    assert client.get(reverse("aanmeldingen:nieuw"), {"gezin": "999999"}).status_code == 404
