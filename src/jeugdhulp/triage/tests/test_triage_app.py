"""Assessments, rule-set choice and versioning, decisions, permissions, reports and pages."""

import pytest
from django.urls import reverse

from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import register
from jeugdhulp.triage import engine, reports, services
from jeugdhulp.triage.codes import STEP_ITEM_CODES
from jeugdhulp.triage.models import Assessment, RuleSet

pytestmark = pytest.mark.django_db


def scores(default=1, **items):
    values = dict.fromkeys(STEP_ITEM_CODES, default)
    values.update(items)
    return values


URGENT = {"schaal": "UZ", "op": ">=", "waarde": 12}


def network_rules(world, advies=engine.NIET_VRIJ, user=None):
    ruleset = RuleSet.objects.create(naam="Regels NET-T", organisatie=world["network"])
    services.save_version(
        ruleset,
        {
            "regels": [
                {
                    "code": "N1",
                    "omschrijving": "Urgent",
                    "advies": advies,
                    "prioriteit": 1,
                    "als": URGENT,
                }
            ]
        },
        user,
        "eerste versie",
    )
    return ruleset


def test_without_own_rules_the_platform_default_applies(world, request_in):
    assessment = services.create_assessment(world["aanmelder"], request_in, ["D200"], scores(1))
    assert assessment.regelset_versie.regelset.naam == services.DEFAULT_NAME
    assert assessment.advies == engine.VRIJ
    assert assessment.advies_regel == "L1"  # ZZ total 3 <= 9
    assert (assessment.totaal_fj, assessment.totaal_uz) == (5, 3)


def test_the_network_rules_apply_and_the_advice_names_its_rule(world, request_in):
    network_rules(world)
    assessment = services.create_assessment(
        world["aanmelder"], request_in, ["A200"], scores(1, UZ1=4, UZ2=4, UZ3=4)
    )
    assert assessment.regelset_versie.regelset.organisatie == world["network"]
    assert assessment.advies == engine.NIET_VRIJ
    assert assessment.advies_regel == "N1"
    assert assessment.uitleg["voorwaarden"][0]["actual"] == "12"


def test_a_municipality_rule_set_wins_over_the_network(world, request_in):
    network_rules(world)
    local = RuleSet.objects.create(naam="Genk", gemeente="71016")
    services.save_version(local, {"standaardadvies": engine.DIAGNOSTIEK, "regels": []}, None)
    assessment = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(5))
    assert assessment.regelset_versie.regelset == local
    assert assessment.advies == engine.DIAGNOSTIEK and assessment.advies_regel == ""


def test_an_assessment_keeps_the_version_it_was_made_with(world, request_in):
    ruleset = network_rules(world, engine.NIET_VRIJ)
    first = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(4))
    new_rules = {
        "regels": [{"code": "N1", "advies": engine.DIAGNOSTIEK, "prioriteit": 1, "als": URGENT}]
    }
    second_version = services.save_version(ruleset, new_rules, world["beheerder"], "strenger")
    second = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(4))
    first.refresh_from_db()
    assert second_version.versie == 2
    assert (first.regelset_versie.versie, first.advies) == (1, engine.NIET_VRIJ)
    assert (second.regelset_versie.versie, second.advies) == (2, engine.DIAGNOSTIEK)


def test_an_invalid_rule_set_is_not_saved(world):
    ruleset = network_rules(world)
    with pytest.raises(engine.RuleSetError):
        services.save_version(
            ruleset, {"regels": [{"code": "X", "advies": "?", "als": URGENT}]}, None
        )
    assert ruleset.versies.count() == 1


def test_an_assessment_with_bad_codes_or_scores_is_refused(world, request_in):
    with pytest.raises(services.InvalidAssessment) as error:
        services.create_assessment(world["aanmelder"], request_in, ["Q100"], scores(1, FJ1=9))
    assert error.value.problems == [
        "CAP-J-code 'Q100' bestaat niet",
        "item FJ1: waarde '9' ligt niet tussen 1 en 5",
    ]
    assert not Assessment.objects.exists()


def test_a_decision_that_differs_needs_a_reason(world, request_in):
    assessment = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(1))
    with pytest.raises(services.InvalidAssessment):
        services.record_decision(world["aanmelder"], assessment, engine.NIET_VRIJ, "  ")
    services.record_decision(world["aanmelder"], assessment, engine.NIET_VRIJ, "Veiligheid thuis")
    assessment.refresh_from_db()
    assert assessment.differs and assessment.beslissing_reden == "Veiligheid thuis"


def test_a_family_assessment_uses_the_latest_request(world, request_in):
    assessment = services.create_assessment(world["aanmelder"], request_in.gezin, ["D"], scores(2))
    assert assessment.gezin == request_in.gezin and assessment.aanmelding is None
    assert assessment.gemeente == "71016"


def test_who_may_assess_view_and_decide(world, request_in):
    assessment = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(1))
    for name in ("aanmelder", "voorziening"):
        assert world[name].has_perm("triage.add_assessment", request_in)
        assert world[name].has_perm("triage.decide_assessment", assessment)
    assert world["coordinator"].has_perm("triage.view_assessment", assessment)
    assert not world["coordinator"].has_perm("triage.decide_assessment", assessment)
    for name in ("collega", "andere_voorziening", "andere_coordinator", "analist", "beheerder"):
        assert not world[name].has_perm("triage.view_assessment", assessment), name
        assert not world[name].has_perm("triage.add_assessment", request_in), name
    assert world["beheerder"].has_perm("triage.change_ruleset")
    assert not world["coordinator"].has_perm("triage.change_ruleset")
    assert world["analist"].has_perm("results.view_client_routes")
    assert not world["aanmelder"].has_perm("triage.view_report")


def step_form(**overrides):
    data = {f"step_{code}": "1" for code in STEP_ITEM_CODES}
    data.update({"capj": ["D", "A200"], "rubrieken": "d201"})
    data.update(overrides)
    return data


def test_a_registrant_records_an_assessment_and_sees_the_explained_advice(
    client, world, request_in
):
    network_rules(world)
    client.force_login(world["aanmelder"])
    url = reverse("triage:nieuw", args=[request_in.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, step_form(step_UZ1="5", step_UZ2="4", step_UZ3="3"), follow=True)
    assessment = Assessment.objects.get()
    assert assessment.capj == ["A200", "D", "D201"]
    page = response.content.decode()
    assert "Gegeven door regel N1: Urgent" in page
    assert "Urgentie van de zorg (totaal): 12, regel vraagt &gt;= 12" in page
    assert "versie 1" in page
    response = client.post(
        reverse("triage:detail", args=[assessment.pk]),
        {"beslissing": engine.VRIJ, "reden": ""},
    )
    assert "geef een reden" in response.content.decode()
    client.post(
        reverse("triage:detail", args=[assessment.pk]),
        {"beslissing": engine.VRIJ, "reden": "Gezin wil eerst CAW"},
    )
    assessment.refresh_from_db()
    assert assessment.beslissing == engine.VRIJ


def test_what_a_user_may_not_see_answers_404(client, world, request_in):
    assessment = services.create_assessment(world["aanmelder"], request_in, ["A"], scores(1))
    client.force_login(world["andere_voorziening"])
    assert client.get(reverse("triage:detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("triage:nieuw", args=[request_in.pk])).status_code == 404
    client.force_login(world["coordinator"])
    assert client.get(reverse("triage:nieuw", args=[request_in.pk])).status_code == 403
    response = client.post(
        reverse("triage:detail", args=[assessment.pk]), {"beslissing": engine.VRIJ}
    )
    assert response.status_code == 403


def many_assessments(world, n_agree, n_differ):
    made = []
    for i in range(n_agree + n_differ):
        a = register(world["aanmelder"], registration(domeinen=["opvoeding"], naam=f"G{i}"))
        assessment = services.create_assessment(world["aanmelder"], a, ["A"], scores(1))
        if i < n_agree:
            services.record_decision(world["aanmelder"], assessment, engine.VRIJ, "")
        else:
            services.record_decision(world["aanmelder"], assessment, engine.DIAGNOSTIEK, "twijfel")
        made.append(assessment)
    return made


def test_report_agreement_with_disclosure_control(world):
    many_assessments(world, 8, 2)
    table, share = reports.agreement(services.reported_assessments(world["coordinator"]))
    cells = dict(table.rows)
    vrij = str(engine.ADVICES[engine.VRIJ])
    # 8 agreed, 2 differed (hidden, with secondary suppression), total 10 shown.
    assert cells[vrij][0] is None and cells[vrij][2] is None
    assert cells["Totaal"][-1] == 10
    assert share is None  # the 2 that differ are too few to show 80%
    assert reports.agreement(services.reported_assessments(world["andere_coordinator"]))[1] is None


def test_report_shares_and_routes_by_domain_and_municipality(world, client):
    many_assessments(world, 10, 5)
    assessments = services.reported_assessments(world["analist"])
    assert reports.agreement(assessments)[1] == pytest.approx(10 / 15)
    domain = dict(reports.by_domain(assessments).rows)
    assert domain["Opvoeding en gezin"][:3] == [10, 0, 5]
    municipality = dict(reports.by_municipality(assessments).rows)
    assert municipality["Genk (71016)"][-1] == 15
    client.force_login(world["analist"])
    page = client.get(reverse("triage:rapport")).content.decode()
    assert "67%" in page
    client.force_login(world["aanmelder"])
    assert client.get(reverse("triage:rapport")).status_code == 403


def test_the_report_names_the_highest_hidden_count(world, client, settings):
    settings.JEUGDHULP_DISCLOSURE_THRESHOLD = 5
    client.force_login(world["analist"])
    page = client.get(reverse("triage:rapport")).content.decode()
    # counts 1..4 are hidden, a 5 is shown: the text must say so
    assert "Aantallen van 1 tot en met 4 (en wat ze zou verraden)" in page


def test_a_rule_set_for_one_municipality_is_listed_by_its_name(world, client):
    ruleset = RuleSet.objects.create(naam="Genk apart", gemeente="71016")
    services.save_version(ruleset, engine.STARTER_RULESET, None, "eigen regels")
    client.force_login(world["beheerder"])
    page = client.get(reverse("triage:regelsets")).content.decode()
    assert "gemeente Genk" in page and "71016" not in page
