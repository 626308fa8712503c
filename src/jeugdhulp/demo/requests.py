"""Demo requests (1G1P): about 2,000 fictional requests over 18 months in realistic states.

Every family is fictional ("Gezin Fictief-0001", phone numbers in the unassigned 0000 range).
Waiting times differ per partner; some requests wait, are referred or closed; events never lie
after today except a planned first contact. Also used by the load benchmark to make volume.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from jeugdhulp.aanmeldingen.models import (
    Aanmelding,
    AanmeldingDomein,
    Domein,
    Gebeurtenis,
    GebeurtenisType,
    Gezin,
    Kanaal,
    Status,
    Urgentie,
)
from jeugdhulp.aanmeldingen.workflow import Event, apply_event
from jeugdhulp.accounts.models import Organisation, User
from jeugdhulp.audit.models import AuditAction
from jeugdhulp.audit.services import record

DEMO_REQUESTS = 2000
MONTHS = 18
# partner code -> (share of requests, median days to a first conversation, first-contact person)
PARTNERS = {
    "DEMO-CLB": (0.30, 12, "Sara (fictief)"),
    "DEMO-CAW": (0.25, 20, "Tom (fictief)"),
    "DEMO-CGG": (0.20, 35, "Els (fictief)"),
    "DEMO-GEZIN": (0.15, 15, "Jan (fictief)"),
    "DEMO-KDIENST": (0.10, 45, "Lien (fictief)"),
}
HULPVORMEN = ["BI", "KP", "CB", "BH", "TR", "DI"]
E = GebeurtenisType
# Looked up once, not per simulated request (the load benchmark simulates a million).
_CODES = list(PARTNERS)
_WEIGHTS = np.array([PARTNERS[c][0] for c in _CODES])
_URGENCIES = Urgentie.values
_DOMAINS = Domein.values


@dataclass
class Simulated:
    aanmelding: Aanmelding
    partners: list[Organisation]
    domeinen: list[str]
    events: list[tuple[Event, Organisation | None]] = field(default_factory=list)


def simulate(
    rng: np.random.Generator,
    n: int,
    today: dt.date,
    partners: dict[str, Organisation],
    municipalities: list[str],
    days: int = MONTHS * 30,
) -> list[Simulated]:
    """``n`` requests registered over the ``days`` before ``today``, each followed through the
    workflow as far as today allows (in memory; ``store`` writes them)."""
    codes, weights = _CODES, _WEIGHTS
    out = []
    for _ in range(n):
        day = today - dt.timedelta(days=int(rng.integers(0, days)))
        chosen = [codes[rng.choice(len(codes), p=weights)]]
        if rng.random() < 0.15:
            chosen.append(codes[rng.choice(len(codes), p=weights)])
        chosen = list(dict.fromkeys(chosen))
        a = Aanmelding(
            kanaal=Kanaal.HULPVERLENER_MET_GEZIN if rng.random() < 0.7 else Kanaal.VOORZIENING,
            aangemeld_op=day,
            gemeente=municipalities[int(rng.integers(len(municipalities)))],
            geboortejaren=sorted(
                int(day.year - rng.integers(0, 18)) for _ in range(1 + int(rng.random() < 0.3))
            ),
            urgentie=str(rng.choice(_URGENCIES, p=[0.3, 0.5, 0.2])),
            gewenste_termijn=day + dt.timedelta(days=int(rng.choice([7, 14, 30, 60])))
            if rng.random() < 0.6
            else None,
            toestemming=True,
            toestemming_op=day,
            status=Status.AANGEMELD,
            status_sinds=day,
        )
        sim = Simulated(
            a,
            [partners[c] for c in chosen],
            list(dict.fromkeys(rng.choice(_DOMAINS, size=1 + int(rng.random() < 0.4)))),
        )
        _follow(rng, sim, today, partners[chosen[0]], PARTNERS[chosen[0]])
        out.append(sim)
    return out


def _follow(rng, sim: Simulated, today: dt.date, org: Organisation, profile) -> None:
    """Walk one request through the workflow with plausible delays, up to ``today``."""
    _share, median_days, person = profile
    a = sim.aanmelding

    def add(event: Event, organisation=None) -> bool:
        if event.datum > today:
            return False
        apply_event(a, event, organisation)
        sim.events.append((event, organisation))
        return True

    # gamma(2, θ) has its median near 1.68·θ
    wait = int(rng.gamma(2.0, median_days / 1.68))
    plan_day = a.aangemeld_op + dt.timedelta(days=min(int(rng.integers(0, 5)), wait))
    if rng.random() < 0.2:
        if not add(Event(E.WACHTLIJST, datum=plan_day)):
            return
        wait += int(rng.gamma(2.0, 30))
        # The first contact is planned only when a place frees up, shortly before it.
        plan_day = max(
            plan_day, a.aangemeld_op + dt.timedelta(days=wait - int(rng.integers(1, 10)))
        )
    talk = a.aangemeld_op + dt.timedelta(days=wait)
    if rng.random() < 0.08:
        add(Event(E.DOORVERWEZEN, datum=plan_day, reden="naar een andere dienst (fictief)"))
        return
    if not add(
        Event(E.EERSTE_CONTACT_GEPLAND, datum=plan_day, gepland_op=talk, persoon=person), org
    ):
        return
    if not add(Event(E.EERSTE_GESPREK, datum=talk)):
        return
    if rng.random() < 0.1:
        add(Event(E.AFGESLOTEN, datum=talk, reden="vraag beantwoord in het eerste gesprek"))
        return
    start = talk + dt.timedelta(days=int(rng.gamma(2.0, 12)))
    if not add(Event(E.HULP_GESTART, datum=start, hulpvorm=str(rng.choice(HULPVORMEN))), org):
        return
    add(
        Event(
            E.AFGESLOTEN,
            datum=start + dt.timedelta(days=int(rng.integers(60, 300))),
            reden="hulp afgerond",
        )
    )


def store(
    simulated: list[Simulated],
    registrant: User | None,
    registrant_org: Organisation | None,
    offset: int = 0,
) -> None:
    """Write simulated requests in bulk (families fictional and encrypted like any other)."""
    gezinnen = Gezin.objects.bulk_create(
        Gezin(
            naam=f"Gezin Fictief-{offset + i + 1:04d}", telefoon=f"0000 {offset + i:06d}", email=""
        )
        for i in range(len(simulated))
    )
    for sim, gezin in zip(simulated, gezinnen, strict=True):
        sim.aanmelding.gezin = gezin
        sim.aanmelding.aangemeld_door = registrant
        sim.aanmelding.aanmelder_organisatie = registrant_org
        sim.aanmelding.versie = 1 + len(sim.events)
    rows = Aanmelding.objects.bulk_create(s.aanmelding for s in simulated)
    Aanmelding.partners.through.objects.bulk_create(
        Aanmelding.partners.through(
            aanmelding_id=a.pk, organisatie_id=p.pk, aangemeld_op=a.aangemeld_op
        )
        for a, s in zip(rows, simulated, strict=True)
        for p in s.partners
    )
    AanmeldingDomein.objects.bulk_create(
        AanmeldingDomein(aanmelding=a, domein=d)
        for a, s in zip(rows, simulated, strict=True)
        for d in s.domeinen
    )
    Gebeurtenis.objects.bulk_create(
        Gebeurtenis(
            aanmelding=a,
            type=e.type,
            datum=e.datum,
            gepland_op=e.gepland_op,
            organisatie=org,
            persoon=e.persoon,
            hulpvorm=e.hulpvorm,
            reden=e.reden,
        )
        for a, s in zip(rows, simulated, strict=True)
        for e, org in s.events
    )


@transaction.atomic
def build_requests(seed: int, municipalities: list[str], today: dt.date) -> list[str]:
    partners = {o.code: o for o in Organisation.objects.filter(code__in=list(PARTNERS))}
    if Aanmelding.objects.filter(partners__code__in=list(PARTNERS)).exists():
        return [f"Aanmeldingen: de demo-aanmeldingen bestaan al ({Aanmelding.objects.count()})."]
    registrant = User.objects.filter(username="demo-aanmelder").first()
    simulated = simulate(
        np.random.default_rng(seed), DEMO_REQUESTS, today, partners, municipalities
    )
    store(simulated, registrant, partners.get("DEMO-CLB"))
    record(
        AuditAction.CREATE,
        object_type="aanmeldingen.aanmelding",
        fields=["demo"],
        username="jeugdhulp demo",
    )
    open_list = sum(1 for s in simulated if s.aanmelding.status == Status.WACHTLIJST)
    return [
        f"Aanmeldingen (fictief): {len(simulated)} over {MONTHS} maanden, "
        f"{open_list} op de wachtlijst; dashboard: /aanmeldingen/dashboard/"
    ]
