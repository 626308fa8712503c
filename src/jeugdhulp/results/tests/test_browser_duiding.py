"""A coördinator records a duiding in the map's detail panel, by clicking only, in a real browser
without console or CSP errors."""

from __future__ import annotations

import pytest

from jeugdhulp.accounts.models import Role
from jeugdhulp.results.models import Duiding

pytestmark = pytest.mark.browser


def test_the_coordinator_records_a_duiding_in_the_detail_panel(
    page, committed_run, make_user, log_in
):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    coordinator = make_user(Role.COORDINATOR, committed_run["region"])
    log_in(coordinator.username)

    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    page.click("a.button:has-text('Kaart')")
    page.wait_for_selector("#map[data-ready='1']")
    page.click("details.area-list summary")
    page.fill("#area-filter", "A00")
    page.click("button[data-code='A00']")
    panel = page.locator("#detail section.duiding")
    panel.locator("text=Nog geen duiding voor dit gebied.").wait_for()

    panel.get_by_label("niet herkend").check()
    panel.get_by_label("actieve aanbieder").check()
    panel.get_by_label("samenwerking").check()
    panel.get_by_label("Toelichting").fill("Een nieuwe aanbieder opende in 2024.")
    panel.get_by_role("button", name="Duiding bewaren").click()

    panel.locator("text=Uw duiding is bewaard.").wait_for()
    text = panel.inner_text()
    assert "1 persoon gaf een duiding." in text
    assert "niet herkend: 1" in text
    assert "actieve aanbieder (1)" in text and "samenwerking (1)" in text
    assert "Een nieuwe aanbieder opende in 2024." in text
    assert committed_run["region"].naam in text
    # The form keeps one's own answer, ready to change.
    assert panel.get_by_label("niet herkend").is_checked()
    saved = Duiding.objects.get()
    assert saved.auteur == coordinator and saved.factoren == ["actieve_aanbieder", "samenwerking"]

    # Another area: the panel shows that area's duiding, not the previous one's.
    page.fill("#area-filter", "A01")
    page.click("button[data-code='A01']")
    page.locator("#detail section.duiding >> text=Nog geen duiding voor dit gebied.").wait_for()
    assert page.locator("#detail section.duiding").count() == 1
    assert not problems, problems


def test_a_coordinator_asks_a_professional_who_answers_through_the_mailed_link(
    page, committed_run, make_user, log_in, live_server, settings
):
    import re

    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    coordinator = make_user(Role.COORDINATOR, committed_run["region"])
    log_in(coordinator.username)
    page.click("text=Kaarten en rapporten")
    page.locator("main table a", has_text="Foto 2025 (test)").first.click()
    page.click("text=Duiding vragen aan lokale professionals")
    page.get_by_label("Gebieden (codes)").fill("A00, A01")
    page.get_by_label("E-mailadressen").fill("huisarts@example.org")
    page.get_by_role("button", name="Vraag versturen").click()
    assert "1 e-mail verstuurd." in page.inner_text("main")
    assert "huisarts@example.org" in page.inner_text("main")
    page.click("button:has-text('Afmelden')")

    (message,) = mail.outbox
    (link,) = re.findall(r"http://\S+/duiding/\S+/", message.body)
    assert link.startswith(live_server.url)
    page.goto(link)  # the professional opens the link from their mail, without an account
    area = page.locator("#gebied-A01")
    assert "Gebied A02" not in page.inner_text("main")
    area.get_by_label("niet herkend").check()
    area.get_by_label("voorzieningenniveau").check()
    area.get_by_label("Toelichting").fill("Geen aanbod in de buurt.")
    area.get_by_label("Uw organisatie of functie").fill("Jeugdwerk Oost")
    area.get_by_role("button", name="Duiding bewaren").click()
    assert "Uw duiding is bewaard." in page.inner_text("main")
    assert "beantwoord" in page.locator("#gebied-A01 h2").inner_text()
    saved = Duiding.objects.get()
    assert (saved.gebied_code, saved.herkend, saved.organisatie_tekst) == (
        "A01",
        "niet_herkend",
        "Jeugdwerk Oost",
    )
    assert not problems, problems
