"""The demo's duiding: the demo coördinator and analist have already read a few areas of the
latest demo round (the strongest hotspots and blue zones), so the detail panel, the report and
the export show something on first login. Texts are fictional and name no family."""

from __future__ import annotations

from jeugdhulp.accounts.models import User
from jeugdhulp.results import duiding, report
from jeugdhulp.results.models import AnalysisRun, Duiding, IndicatorRow, RunStatus
from jeugdhulp.rounds.models import Round

# Per kind of area: (username, herkend, factors, text) of each person who read it.
READINGS = {
    "hotspot": [
        (
            "demo-coordinator",
            "herkend",
            ["actieve_aanbieder", "samenwerking"],
            "Het CAW heeft hier sinds twee jaar een spreekuur in de school; scholen verwijzen "
            "vlot door. Meer bereik is hier eerder een goed teken.",
        ),
        ("demo-analist", "herkend", ["registratie", "actieve_aanbieder"], ""),
    ],
    "blauwe_zone": [
        (
            "demo-coordinator",
            "niet_herkend",
            ["voorzieningenniveau"],
            "Geen vestiging in de buurt en weinig openbaar vervoer; we bekijken dit met het "
            "lokaal bestuur.",
        ),
        (
            "demo-analist",
            "weet_niet",
            ["sociale_cohesie", "andere"],
            "Mogelijk hulp over de provinciegrens, buiten deze foto.",
        ),
    ],
}
AREAS_PER_KIND = 2


def build_duiding() -> list[str]:
    ronde = Round.objects.filter(fictief=True).order_by("-peildatum").first()
    if ronde is None:
        return []
    run = (
        AnalysisRun.objects.filter(ronde_id=ronde.pk, status=RunStatus.DONE)
        .order_by("-versie")
        .first()
    )
    if run is None:
        return []
    before = Duiding.objects.filter(ronde_id=run.ronde_id).count()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["demo-coordinator", "demo-analist"])
    }
    areas = []
    for kind, readings in READINGS.items():
        # The strongest of each kind: highest smoothed ratio for hotspots, lowest for blue zones.
        order = "-ratio_eb" if kind == "hotspot" else "ratio_eb"
        rows = IndicatorRow.objects.filter(
            run=run, hulpvorm="ALLE", cluster=kind, ratio_eb__isnull=False
        ).order_by(order)[:AREAS_PER_KIND]
        for row in rows:
            areas.append(row.gebied_naam)
            for username, herkend, factors, text in readings:
                if username in people:
                    duiding.save(
                        duiding.Target(run, row),
                        people[username],
                        {"herkend": herkend, "factoren": factors, "toelichting": text},
                    )
    if Duiding.objects.filter(ronde_id=run.ronde_id).count() != before:
        report.render_report(run.pk)  # the report shows the duiding beside the figures
    if not areas:
        return [f"{ronde.naam}: geen hotspots of blauwe zones om te duiden."]
    return [f"{ronde.naam}: duiding bij {len(areas)} gebieden ({', '.join(areas)})."]
