"""The demo's snapshot round: "Foto 2025 Demoprovincie — fictief", delivered by about 30
fictional partners through the same import as a real upload (a few have not delivered yet; one
had its first file refused and delivered a corrected second one)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.db import transaction

from jeugdhulp.accounts.models import Organisation, OrganisationKind
from jeugdhulp.demo.organisations import REGION_CODE
from jeugdhulp.reference.models import HulpVorm, Site
from jeugdhulp.rounds.models import Round
from jeugdhulp.rounds.services import import_file
from jeugdhulp.snapshot.synthetic import synthetic_snapshot

ROUND_NAME = "Foto 2025 Demoprovincie — fictief"
PEILDATUM = dt.date(2025, 2, 10)
PARTNERS = 30
NOT_DELIVERED = 3
CORRECTED_PARTNER = "DEMO-CGG"  # the demo-voorziening account's organisation
KINDS = [OrganisationKind.VOORZIENING, OrganisationKind.CAW, OrganisationKind.CLB]


def _partners() -> list[Organisation]:
    region = Organisation.objects.get(code=REGION_CODE)
    partners = [Organisation.objects.get(code=CORRECTED_PARTNER)]
    for number in range(1, PARTNERS):
        partner, _ = Organisation.objects.get_or_create(
            code=f"DEMO-P{number:02d}",
            defaults={
                "naam": f"Voorziening Demo {number:02d} (fictief)",
                "soort": KINDS[number % len(KINDS)],
            },
        )
        partners.append(partner)
    for partner in partners:
        partner.netwerken.add(region)
    return partners


def _assign_sites(partners: list[Organisation], site_codes: list[str]) -> dict[int, list[str]]:
    """Spread the demo sites over the partners (round-robin, at least one each)."""
    sites: dict[int, list[str]] = {p.pk: [] for p in partners}
    for index, code in enumerate(sorted(site_codes)):
        partner = partners[index % len(partners)]
        sites[partner.pk].append(code)
    for partner in partners:
        Site.objects.filter(code__in=sites[partner.pk]).update(organisatie=partner)
    return sites


def build_round(seed: int, region_area_set, municipality_codes: list[str]) -> list[str]:
    """Create the round and import every partner's synthetic file (idempotent: an existing
    round is left as it is)."""
    if Round.objects.filter(naam=ROUND_NAME).exists():
        return [f"{ROUND_NAME}: bestaat al."]
    with transaction.atomic():
        partners = _partners()
        site_codes = list(Site.objects.filter(fictief=True).values_list("code", flat=True))
        sites = _assign_sites(partners, site_codes)
        ronde = Round.objects.create(
            naam=ROUND_NAME,
            peildatum=PEILDATUM,
            organisatie=Organisation.objects.get(code=REGION_CODE),
            regio=region_area_set,
            fictief=True,
        )
        ronde.partners.set(partners)
        ronde.hulpvormen.set(HulpVorm.objects.filter(active=True))

    delivered = partners[: len(partners) - NOT_DELIVERED]
    rows = 0
    with tempfile.TemporaryDirectory() as folder:
        for number, partner in enumerate(delivered):
            frame = synthetic_snapshot(
                250 + (seed + 97 * number) % 900,
                peildatum=PEILDATUM,
                sites=sites[partner.pk],
                residences=municipality_codes,
                seed=seed + number,
                children=60_000,
                child_seed=f"demo-{seed}",
            )
            path = Path(folder) / f"{partner.code.lower()}.csv"
            if partner.code == CORRECTED_PARTNER:
                wrong = frame.copy()
                wrong.loc[:2, "startdatum"] = "2025-03-01"  # after the peildatum
                wrong.loc[3, "geslacht"] = "F"
                wrong.to_csv(path, sep=";", index=False)
                import_file(ronde, partner, path, filename=f"{partner.code.lower()}-v1.csv")
            frame.to_csv(path, sep=";", index=False)
            upload, _ = import_file(ronde, partner, path)
            rows += upload.rijen
    return [
        f"{ROUND_NAME}: {len(delivered)} van {len(partners)} partners leverden aan, "
        f"{rows} rijen (fictief); {CORRECTED_PARTNER} leverde na een geweigerd bestand een "
        "verbeterde versie."
    ]
