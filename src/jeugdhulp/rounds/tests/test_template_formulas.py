"""Formula injection through the round's template: a form of help's label stays text."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse


def test_a_form_of_help_labelled_like_a_formula_is_text_in_the_template(client, ronde, people):
    from jeugdhulp.reference.models import HulpVorm

    HulpVorm.objects.filter(pk=ronde.hulpvormen.first().pk).update(
        label='=HYPERLINK("http://aanvaller.example","Klik")'
    )
    client.force_login(people["partner_user"])
    response = client.get(reverse("rounds:sjabloon", args=[ronde.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    labels = [c.value for c in cells if isinstance(c.value, str) and "aanvaller" in c.value]
    assert labels == ['\'=HYPERLINK("http://aanvaller.example","Klik")']
