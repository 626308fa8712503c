"""Pages, data endpoints, downloads and who may see them."""

from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest
from django.urls import reverse

from jeugdhulp.accounts.models import OrganisationKind
from jeugdhulp.analysis.output import rounded
from jeugdhulp.analysis.pipeline import AnalysisInputs
from jeugdhulp.analysis.tests import fixtures
from jeugdhulp.results import services
from jeugdhulp.results.inputs import RoundInputs
from jeugdhulp.results.models import AnalysisRun, RunStatus
from jeugdhulp.results.report import write_report


def store_done_run(analysed, small_inputs, make_organisation, settings, tmp_path) -> dict:
    """A finished run stored from the shared analysed region, with its report."""
    settings.MEDIA_ROOT = tmp_path
    region = make_organisation(OrganisationKind.IROJ, code="IROJ-V")
    partner = make_organisation(code="PARTNER-V", networks=[region])
    run = AnalysisRun.objects.create(
        ronde_id=7,
        ronde_naam="Foto 2025 (test)",
        peildatum=fixtures.PEILDATUM,
        organisatie=region,
        versie=1,
        status=RunStatus.RUNNING,
        parameters={"seed": 1, "permutations": 99, "threshold": 5},
    )
    run.partners.add(partner)
    areas = small_inputs["areas"]
    inputs = RoundInputs(
        analysis=AnalysisInputs(
            areas,
            small_inputs["population"],
            small_inputs["snapshot"],
            analysed.params,
            centroids=small_inputs["centroids"],
            sites=small_inputs["sites"],
        ),
        map_areas=areas,
        vintage="2025",
    )
    services.store_result(run, analysed, inputs)
    write_report(run)
    run.rapport_status = RunStatus.DONE
    run.save()
    return {"run": run, "region": region, "partner": partner}


def _urls(run):
    return {
        "kaart": reverse("results:kaart", args=[run.pk]),
        "geometry": reverse("results:geometry", args=[run.pk]),
        "values": reverse("results:values", args=[run.pk]) + "?hulpvorm=BH",
        "evolutie": reverse("results:evolutie", args=[run.pk]),
        "csv": reverse("results:download", args=[run.pk, "csv"]),
        "pdf": reverse("results:download", args=[run.pk, "rapport-pdf"]),
    }


@pytest.mark.parametrize("who", ["analist", "coordinator"])
def test_region_analists_and_coordinators_see_everything(client, done_run, users, who):
    client.force_login(users[who])
    run = done_run["run"]
    page = client.get(reverse("results:detail", args=[run.pk]))
    assert page.status_code == 200
    assert "een vraag, geen oordeel" in page.content.decode()
    for name, url in _urls(run).items():
        assert client.get(url).status_code == 200, name


def test_partners_see_region_figures_but_not_the_map(client, done_run, users):
    client.force_login(users["partner"])
    run = done_run["run"]
    page = client.get(reverse("results:detail", args=[run.pk]))
    assert page.status_code == 200
    assert reverse("results:kaart", args=[run.pk]) not in page.content.decode()
    for name, url in _urls(run).items():
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("who", ["outsider", "aanmelder"])
def test_nobody_else_sees_the_run(client, done_run, users, who):
    client.force_login(users[who])
    run = done_run["run"]
    assert client.get(reverse("results:detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("results:status", args=[run.pk])).status_code == 404
    for url in _urls(run).values():
        assert client.get(url).status_code == 404


def test_the_run_list_shows_only_visible_runs(client, done_run, users):
    client.force_login(users["outsider"])
    assert "Foto 2025 (test)" not in client.get(reverse("results:lijst")).content.decode()
    client.force_login(users["partner"])
    assert "Foto 2025 (test)" in client.get(reverse("results:lijst")).content.decode()
    client.force_login(users["aanmelder"])
    assert client.get(reverse("results:lijst")).status_code == 403


def test_values_endpoint_sends_every_map_indicator_per_area(client, done_run, users):
    client.force_login(users["analist"])
    data = client.get(_urls(done_run["run"])["values"]).json()
    assert len(data["rows"]) == 25
    assert {"bereik_per_1000", "ratio_eb", "cluster", "ratio_laag"} <= set(data["columns"])
    row = data["rows"]["A00"]
    assert row[data["columns"].index("gebied_naam")] == "Gebied A00"


def test_stored_rows_give_back_the_published_table(done_run, analysed):
    published = rounded(analysed.published).sort_values(["hulpvorm", "gebied_code"])
    stored = services.published_frame(done_run["run"])
    assert list(stored.columns) == list(published.columns)
    for column in published.columns:
        expected = published[column].astype(object).where(published[column].notna(), None)
        got = stored[column].astype(object).where(stored[column].notna(), None)
        assert got.tolist() == expected.tolist(), column


def test_map_values_are_the_published_values_of_the_map_columns(done_run):
    run = done_run["run"]
    frame = services.published_frame(run, "BH").set_index("gebied_code")
    data = services.map_values(run, "BH")
    assert list(data["rows"]) == list(frame.index)
    for i, column in enumerate(data["columns"]):
        expected = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        assert [row[i] for row in data["rows"].values()] == expected, column
    assert "mediaan_leeftijd" in data["columns"]


def test_map_data_is_sent_gzipped_to_a_browser_that_accepts_it(client, done_run, users):
    client.force_login(users["analist"])
    urls = _urls(done_run["run"])
    plain = b"".join(client.get(urls["geometry"]).streaming_content)
    packed = client.get(urls["geometry"], headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(b"".join(packed.streaming_content)) == plain
    values = client.get(urls["values"], headers={"accept-encoding": "gzip"})
    assert values["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(values.content)) == client.get(urls["values"]).json()


def test_status_endpoint_reports_progress(client, done_run, users):
    client.force_login(users["partner"])
    status = client.get(reverse("results:status", args=[done_run["run"].pk])).json()
    assert status["status"] == "klaar" and status["voortgang"] == 100 and status["klaar"]


def test_downloads_are_audited_and_named(client, done_run, users):
    from jeugdhulp.audit.models import AuditEvent

    client.force_login(users["analist"])
    response = client.get(_urls(done_run["run"])["pdf"])
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "jeugdhulp-2025-02-10-v1-rapport.pdf" in response["Content-Disposition"]
    exported = AuditEvent.objects.filter(action="export").values_list("fields", flat=True)
    assert ["rapport.pdf"] in list(exported)


def test_trends_without_an_earlier_round_say_so(client, done_run, users):
    client.force_login(users["analist"])
    page = client.get(_urls(done_run["run"])["evolutie"]).content.decode()
    assert "nog geen analyse van een eerdere foto" in page


def test_trends_compare_with_the_earlier_round(client, done_run, users):
    run = done_run["run"]
    earlier = AnalysisRun.objects.get(pk=run.pk)
    earlier.pk = None
    earlier.peildatum = run.peildatum.replace(year=run.peildatum.year - 1)
    earlier.ronde_id, earlier.ronde_naam = 6, "Foto 2024 (test)"
    earlier.save()
    rows = [r for r in run.rows.all()]
    for row in rows:
        row.pk, row.run = None, earlier
    earlier.rows.model.objects.bulk_create(rows)
    client.force_login(users["analist"])
    page = client.get(_urls(run)["evolutie"]).content.decode()
    assert "Foto 2024 (test)" in page
    config = json.loads(page.split('id="trend-config" type="application/json">')[1].split("<")[0])
    # Identical numbers in both rounds: nothing changed significantly anywhere.
    assert {t for t, _ in config["trend"].values()} <= {"geen", "onvoldoende_gegevens"}
    assert "geen significante verandering" in page  # the trend label, not its code
    trend = client.get(
        reverse("results:area_trend", args=[run.pk]) + "?gebied=A00&hulpvorm=ALLE"
    ).json()
    assert [p["ronde"] for p in trend["punten"]] == ["Foto 2024 (test)", "Foto 2025 (test)"]


def test_an_analist_starts_a_new_version_from_the_round(client, done_run, users):
    import datetime as dt

    from jeugdhulp.rounds.models import Round

    ronde = Round.objects.create(
        naam="Foto 2026 (test)", peildatum=dt.date(2026, 2, 10), organisatie=done_run["region"]
    )
    ronde.partners.add(done_run["partner"])
    url = reverse("results:start", args=[ronde.pk])
    client.force_login(users["partner"])
    assert client.post(url).status_code == 404
    client.force_login(users["analist"])
    page = client.get(reverse("results:lijst")).content.decode()
    assert "Foto 2026 (test)" in page
    # Nobody delivered yet: the page says so, and starting needs the explicit confirmation.
    assert "0 van 1 partners leverden aan." in page and 'name="onvolledig"' in page
    refused = client.post(url, follow=True).content.decode()
    assert "0 van 1 partners leverden aan. Vink aan" in refused
    assert not AnalysisRun.objects.filter(ronde_id=ronde.pk).exists()
    response = client.post(url, {"onvolledig": "ja"})
    run = AnalysisRun.objects.get(ronde_id=ronde.pk)
    assert response.status_code == 302 and response["Location"].endswith(f"/analyse/{run.pk}/")
    assert (run.versie, run.status, run.organisatie) == (1, RunStatus.QUEUED, done_run["region"])
    assert list(run.partners.all()) == [done_run["partner"]]
    page = client.get(reverse("results:detail", args=[run.pk])).content.decode()
    assert "De analyse loopt op de achtergrond." in page


@pytest.fixture
def responded(done_run, make_organisation):
    """The run's round with two invited partners: the run's partner delivered (v2 after a
    refused v1), the other did not."""
    from jeugdhulp.rounds.models import Round, Upload, UploadStatus

    run, partner = done_run["run"], done_run["partner"]
    silent = make_organisation(code="PARTNER-STIL", networks=[done_run["region"]])
    ronde = Round.objects.create(
        naam=run.ronde_naam, peildatum=run.peildatum, organisatie=done_run["region"]
    )
    ronde.partners.add(partner, silent)
    run.ronde_id = ronde.pk
    run.save()
    for versie, status in ((1, UploadStatus.REJECTED), (2, UploadStatus.ACCEPTED)):
        accepted = status == UploadStatus.ACCEPTED
        Upload.objects.create(
            ronde=ronde,
            partner=partner,
            versie=versie,
            bestandsnaam=f"v{versie}.csv",
            sha256="0" * 64,
            grootte=100,
            status=status,
            actief=accepted,
            rijen=431 if accepted else 0,
            unieke_kinderen=389 if accepted else 0,
            waarschuwingen=3 if accepted else 0,
        )
    return {"partner": partner, "silent": silent}


def _response_rows(page) -> dict[str, list[str]]:
    """Partner code -> the cell texts of its line in the response table."""
    import re

    html = page.content.decode()
    table = html[html.index('<table class="response">') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr class=\"(?:delivered|missing)\">(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        code = re.search(r"\((.+?)\)", cells[0]).group(1)
        rows[code] = cells[1:]
    return rows


def test_region_users_see_the_response_of_every_invited_partner(client, users, responded, done_run):
    client.force_login(users["coordinator"])
    page = client.get(reverse("results:detail", args=[done_run["run"].pk]))
    rows = _response_rows(page)
    assert rows["PARTNER-V"] == ["ja", "2", "431", "389", "3", rows["PARTNER-V"][-1]]
    assert rows["PARTNER-V"][-1]  # when it was delivered
    assert rows["PARTNER-STIL"] == ["nee", "geen aanvaarde aanlevering"]
    assert "1 van 2 uitgenodigde partners leverden aan." in page.content.decode()


def test_a_partner_sees_only_its_own_response_line(client, users, responded, done_run):
    client.force_login(users["partner"])
    page = client.get(reverse("results:detail", args=[done_run["run"].pk]))
    assert set(_response_rows(page)) == {"PARTNER-V"}
    assert "PARTNER-STIL" not in page.content.decode()
    assert "uitgenodigde partners leverden aan" not in page.content.decode()


def test_a_refused_delivery_is_not_counted_as_delivered(client, users, responded, done_run):
    from jeugdhulp.rounds.models import Upload

    Upload.objects.filter(partner=responded["partner"]).update(actief=False)
    client.force_login(users["analist"])
    rows = _response_rows(client.get(reverse("results:detail", args=[done_run["run"].pk])))
    assert rows["PARTNER-V"] == ["nee (geweigerd)", "geen aanvaarde aanlevering"]


def _english(name: str, run) -> str:
    """The English URL (``/en/...``) of a results page of ``run``."""
    from django.utils import translation

    with translation.override("en"):
        url = reverse(name, args=[run.pk])
    assert url.startswith("/en/")
    return url


def test_the_map_page_in_english_shows_english_labels(client, done_run, users):
    client.force_login(users["analist"])
    page = client.get(_english("results:kaart", done_run["run"])).content.decode()
    config = json.loads(
        page.split('id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert '<label for="indicator">Indicator</label>' in page
    assert '<label for="hulpvorm">Form of help</label>' in page
    assert "Reach per 1,000 young people" in page and "Bereik per 1.000 jongeren" not in page
    assert config["texts"]["hidden"] == "too little data"
    assert config["texts"]["outlineBlue"] == "outline: blue zone"
    clusters = next(i for i in config["indicators"] if i["key"] == "cluster")
    assert {c["label"] for c in clusters["categories"]} == {"hotspot", "blue zone", "no cluster"}


def test_the_dashboard_in_english_names_its_charts_in_english(client, done_run, users):
    client.force_login(users["analist"])
    page = client.get(_english("results:detail", done_run["run"]))
    html = page.content.decode()
    assert "A difference between expected and actual use is a question, not a judgement." in html
    assert "Age profile on the reference date (all forms of help)" in html


def test_the_dashboard_draws_its_four_charts_as_svg_without_plotly(client, done_run, users):
    client.force_login(users["analist"])
    html = client.get(reverse("results:detail", args=[done_run["run"].pk])).content.decode()
    for key in ("leeftijd", "bereik_leeftijd", "afstand", "crisis"):
        figure = html.split(f'id="chart-{key}"')[1].split("</figure>")[0]
        assert "<svg" in figure and 'class="chart__bar"' in figure, key
    assert "plotly" not in html and "chart-data" not in html
    # Numbers and words apart in the headline cards; no raw NaN anywhere.
    assert re.search(r"</span> kinderen en jongeren in hulp", html)
    assert "nan" not in re.sub(r"[a-z]nan|nan[a-z]", "", html.lower())


def _earlier_run_with_less_use(run, factor: float = 3.0):
    """A finished run a year before ``run`` whose counts are ``factor`` times lower in the
    first row of areas (A0x): those areas rose significantly since."""
    earlier = AnalysisRun.objects.get(pk=run.pk)
    earlier.pk = None
    earlier.peildatum = run.peildatum.replace(year=run.peildatum.year - 1)
    earlier.ronde_id, earlier.ronde_naam = 6, "Foto 2024 (test)"
    earlier.save()
    rows = list(run.rows.all())
    for row in rows:
        row.pk, row.run = None, earlier
        if row.gebied_code.startswith("A0") and row.aantal_clienten:
            row.aantal_clienten = round(row.aantal_clienten / factor)
            row.bereik_per_1000 = (row.bereik_per_1000 or 0) / factor
    earlier.rows.model.objects.bulk_create(rows)
    return earlier


def test_trends_lead_with_the_significant_changes_and_page_the_rest(client, done_run, users):
    run = done_run["run"]
    _earlier_run_with_less_use(run)
    client.force_login(users["analist"])
    url = _urls(run)["evolutie"]
    html = client.get(url).content.decode()
    significant = html.split('id="trend-significant"')[1].split("</table>")[0]
    assert "significante stijging" in significant and "A00" in significant
    assert "geen significante verandering" not in significant
    assert html.index('id="trend-significant"') < html.index('id="trend-table"')
    # 25 areas: one page; the search narrows it by name or code and by trend.
    assert "25 gebieden gevonden." in html
    found = client.get(url + "?zoek=a01").content.decode()
    assert "1 gebied gevonden." in found
    only = client.get(url + "?trend=stijging").content.decode()
    table = only.split('id="trend-table"')[1].split("</table>")[0]
    assert "geen significante verandering" not in table
    assert "nan" not in html.lower().replace("naam", "")


def test_trend_areas_come_a_page_at_a_time(client, done_run, users, monkeypatch):
    from jeugdhulp.results import views

    monkeypatch.setattr(views, "TREND_PAGE_SIZE", 10)
    run = done_run["run"]
    _earlier_run_with_less_use(run)
    client.force_login(users["analist"])
    url = _urls(run)["evolutie"]
    first = client.get(url).content.decode()
    rows = first.split('id="trend-table"')[1].split("</table>")[0].count("<tr>")
    assert rows == 1 + 10 and "pagina 1 van 3" in first
    last = client.get(url + "?pagina=3").content.decode()
    assert "pagina 3 van 3" in last
    assert last.split('id="trend-table"')[1].split("</table>")[0].count("<tr>") == 1 + 5
    # A page number that is no number gives the first page, not an error.
    assert client.get(url + "?pagina=x").status_code == 200


def test_the_report_shows_no_raw_values(done_run, monkeypatch):
    """A blue zone whose ratio is hidden reads "verborgen (klein aantal)", never "nan"."""
    from jeugdhulp.results import report

    run = done_run["run"]
    _earlier_run_with_less_use(run)
    real = services.published_frame

    def with_hidden_cluster(r, form=None):
        frame = real(r, form)
        frame.loc[frame.index[:2], "cluster"] = "blauwe_zone"
        frame.loc[frame.index[:2], ["ratio_eb", "kans_boven_1"]] = np.nan
        return frame

    monkeypatch.setattr(services, "published_frame", with_hidden_cluster)
    html = report.render_html(run)
    text = re.sub(r"data:image/png;base64,[^\"]+", "", html)
    assert "verborgen (klein aantal)" in text
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    assert "significante stijging" in text and ">stijging<" not in text


def test_the_map_offers_accessibility_and_unmet_need_per_form_only(client, done_run, users):
    client.force_login(users["analist"])
    page = client.get(_urls(done_run["run"])["kaart"]).content.decode()
    config = json.loads(
        page.split('id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    per_form = {i["key"] for i in config["indicators"] if not i["allForms"]}
    assert per_form == {"toegankelijkheid", "nood"}
    assert "niet op te tellen" in config["texts"]["perFormNote"]


def test_a_round_where_every_partner_delivered_starts_without_confirmation(
    client, done_run, users, responded
):
    from jeugdhulp.rounds.models import Round, Upload

    ronde = Round.objects.get(pk=done_run["run"].ronde_id)
    ronde.partners.remove(*[p for p in ronde.partners.all() if p != responded["partner"]])
    assert Upload.objects.filter(ronde=ronde, actief=True).exists()
    client.force_login(users["analist"])
    page = client.get(reverse("results:lijst")).content.decode()
    assert "1 van 1 partners leverden aan." in page and 'name="onvolledig"' not in page
    response = client.post(reverse("results:start", args=[ronde.pk]))
    assert response.status_code == 302
    assert AnalysisRun.objects.filter(ronde_id=ronde.pk).count() == 2


def test_an_incomplete_round_names_the_missing_partners(client, done_run, users, responded):
    client.force_login(users["analist"])
    page = client.get(reverse("results:lijst")).content.decode()
    assert "1 van 2 partners leverden aan." in page
    assert "Nog niet aangeleverd:" in page and responded["silent"].naam in page
    assert 'name="onvolledig" value="ja" required' in page
