"""The client-routes page: children's routes across snapshot rounds (counts, step-ups and
step-downs), families' routes across their requests, disclosure control and who sees them."""

import datetime as dt

import pytest
from django.urls import reverse

from jeugdhulp.aanmeldingen.models import Gebeurtenis, GebeurtenisType
from jeugdhulp.aanmeldingen.tests.conftest import registration
from jeugdhulp.aanmeldingen.workflow import register
from jeugdhulp.results import client_routes
from jeugdhulp.snapshot.synthetic import synthetic_pseudonym, synthetic_snapshot

pytestmark = pytest.mark.django_db

FIRST, SECOND = dt.date(2024, 2, 12), dt.date(2025, 2, 10)
# (children, form in the first round or None, form in the second round or None)
GROUPS = [
    (6, "KP", "VB"),  # step-up RTJH -> NRTJH
    (5, "VB", "KP"),  # step-down
    (5, "KP", "KP"),  # stayed RTJH
    (7, "BI", None),  # left help
    (2, None, "TR"),  # entered: too few to show
]
NRTJH_FORMS = {"VB"}


def deliver(ronde, partner, rows: list[tuple[str, str]], tmp_path) -> None:
    """Import ``(pseudonym, form)`` rows as ``partner``'s file (other columns synthetic)."""
    from jeugdhulp.rounds.services import import_file

    frame = synthetic_snapshot(
        len(rows) * 3, peildatum=ronde.peildatum, sites=["V001"], residences=["3600"], seed=3
    ).head(len(rows))
    frame["client_pseudoniem"] = [pseudonym for pseudonym, _ in rows]
    frame["hulpvorm"] = [form for _, form in rows]
    frame["toegang"] = ["NRTJH" if form in NRTJH_FORMS else "RTJH" for _, form in rows]
    frame["crisis"] = "nee"
    frame["gemandateerd"] = "nee"
    path = tmp_path / f"{ronde.pk}.csv"
    frame.to_csv(path, sep=";", index=False)
    upload, _ = import_file(ronde, partner, path)
    assert upload.rijen == len(rows), upload.rapport


@pytest.fixture
def two_rounds(world, tmp_path):
    from jeugdhulp.reference.models import HulpVorm, Site
    from jeugdhulp.rounds.models import Round

    Site.objects.create(code="V001", naam="V001", organisatie=world["partner"], lon=5.3, lat=50.9)
    rows: dict[dt.date, list] = {FIRST: [], SECOND: []}
    number = 0
    for size, before, after in GROUPS:
        for _ in range(size):
            child = synthetic_pseudonym("routes", number)
            number += 1
            for day, form in ((FIRST, before), (SECOND, after)):
                if form:
                    rows[day].append((child, form))
    # A partner-local code cannot be followed across rounds: never counted.
    for day in rows:
        rows[day] += [("L-0001", "KP")] * 1
    rounds = []
    for day, name in ((FIRST, "Foto 2024"), (SECOND, "Foto 2025")):
        ronde = Round.objects.create(naam=name, peildatum=day, organisatie=world["region"])
        ronde.partners.add(world["partner"])
        ronde.hulpvormen.set(HulpVorm.objects.all())
        deliver(ronde, world["partner"], rows[day], tmp_path)
        rounds.append(ronde)
    return rounds


def test_routes_across_rounds_count_the_children_followed_over_rounds(world, two_rounds):
    across = client_routes.page_context(world["analist"])["across"]
    assert across["rounds"] == two_rounds
    assert (across["children"], across["in_several"]) == (25, 16)
    # Only children in both rounds have a route across rounds (BI and TR are in one round).
    assert [(r["route"], r["aantal"], r["aantal_routes"]) for r in across["round_routes"]] == [
        ("KP → VB", 6, 1),
        ("KP", 5, 1),
        ("VB → KP", 5, 1),
    ]
    assert [(r["route"], r["aantal"]) for r in across["access_routes"]] == [
        ("RTJH → NRTJH", 6),
        ("NRTJH → RTJH", 5),
        ("RTJH", 5),
    ]


def test_a_round_without_deliveries_shows_no_routes(world):
    from jeugdhulp.rounds.models import Round

    Round.objects.create(naam="Foto leeg", peildatum=FIRST, organisatie=world["region"])
    across = client_routes.page_context(world["analist"])["across"]
    assert across["children"] == 0 and "round_routes" not in across


def test_step_ups_and_step_downs_between_rounds_with_suppression(world, two_rounds):
    across = client_routes.page_context(world["analist"])["across"]
    [step] = across["steps"]
    assert (step["van"], step["naar"]) == ("Foto 2024", "Foto 2025")
    # opschaling, afschaling, bleef RTJH, bleef NRTJH, instroom, uitstroom; the 2 entering
    # children are hidden (primary), and with them one more cell of that column (secondary).
    kinds = dict(zip(client_routes.routes.STEP_KINDS, step["soorten"], strict=True))
    assert kinds["opschaling"] == 6 and kinds["uitstroom"] == 7
    assert kinds["instroom"] is None
    assert kinds["bleef_nrtjh"] == 0
    assert {n.state for n in across["round_nodes"]} >= {"RTJH", "NRTJH"}


def test_only_followers_of_the_region_see_its_rounds(world, two_rounds, client):
    assert client_routes.page_context(world["andere_coordinator"])["across"]["regions"] == []
    client.force_login(world["analist"])
    page = client.get(reverse("client_routes")).content.decode()
    assert "KP → VB" in page and 'id="rondes-diagram"' in page
    assert "Opschaling (RTJH → NRTJH)" in page
    client.force_login(world["aanmelder"])
    assert client.get(reverse("client_routes")).status_code == 403


def test_family_routes_table_and_flow_diagram(world, client):
    provider = world["voorziening"]
    # 6 families KP then CB, 5 only KP, 1 only BI
    sequences = [("KP", "CB")] * 6 + [("KP",)] * 5 + [("BI",)]
    for i, forms in enumerate(sequences):
        a = register(world["aanmelder"], registration(naam=f"R{i}"))
        for step, form in enumerate(forms):
            Gebeurtenis.objects.create(
                aanmelding=a,
                type=GebeurtenisType.HULP_GESTART,
                datum=dt.date(2025, 1, 1) + dt.timedelta(days=40 * step),
                hulpvorm=form,
                door=provider,
            )
    context = client_routes.page_context(world["coordinator"])
    # BI (1) alone would show a small count, so the smallest shown route (KP, 5) joins it
    assert [(r["route"], r["aantal"], r["aantal_routes"]) for r in context["routes"]] == [
        ("KP → CB", 6, 1),
        ("overige routes", 6, 2),
    ]
    # BI → — (1) is hidden, and with it KP → — (secondary); the diagram shows KP → CB only
    assert {(n.state, n.count) for n in context["nodes"]} == {("KP", 6), ("CB", 6)}
    assert client_routes.page_context(world["andere_coordinator"])["routes"] == []
    client.force_login(world["analist"])
    page = client.get(reverse("client_routes")).content.decode()
    assert "KP → CB" in page and "<svg" in page


def test_the_diagram_numbers_stay_numbers_on_a_dutch_page(world, client):
    """A Dutch page writes 880,0 for a float; an SVG attribute needs 880 or 880.0."""
    import re

    test_family_routes_table_and_flow_diagram(world, client)
    client.force_login(world["analist"])
    page = client.get(reverse("client_routes"), HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    boxes = re.findall(r'viewBox="([^"]*)"', page)
    assert boxes and all(re.fullmatch(r"-?[\d.]+( -?[\d.]+){3}", b) for b in boxes)
    for attribute in ("x", "y", "width", "height", "stroke-width"):
        for value in re.findall(rf' {attribute}="([^"]*)"', page):
            assert "," not in value, (attribute, value)
    # the forms of help in the routes are explained by name
    legend = page.split('id="hulpvormen-legende"')[1].split("</details>")[0]
    assert "KP" in legend and "CB" in legend
