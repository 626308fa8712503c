"""The issue's example: a non-numeric ``vorige`` answered 500; now 400 with a Dutch page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Role
from jeugdhulp.results.tests.test_views import store_done_run


@pytest.mark.parametrize("junk", ["abc", "1.5", "99999999999999999999", "\x00", "-1"])
def test_a_junk_previous_run_answers_400_not_500(
    client, analysed, small_inputs, make_organisation, make_user, settings, tmp_path, junk
):
    done = store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path)
    client.force_login(make_user(Role.ANALIST, done["region"]))
    client.raise_request_exception = False
    url = reverse("results:evolutie", args=[done["run"].pk])
    response = client.get(url, {"vorige": junk})
    assert response.status_code == 400
    assert "Ongeldige vraag" in response.content.decode()
    assert client.get(url).status_code == 200
