"""Formula injection through the request monitor's CSV export."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from jeugdhulp.data.cells import FORMULA_STARTS

FORMULA = "=cmd|' /C calc'!A0"


def test_a_partner_named_like_a_formula_is_text_in_the_dashboard_export(client, world, request_in):
    world["partner"].naam = FORMULA
    world["partner"].save()
    client.force_login(world["coordinator"])
    response = client.get(reverse("aanmeldingen:export"), {"netwerk": "NET-T"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
