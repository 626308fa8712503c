"""The demo's snapshot rounds: "Foto 2024" and "Foto 2025 Demoprovincie" (fictief), a year apart,
delivered by about 30 fictional partners through the same import as a real upload. In 2025 a
few partners have not delivered yet and one had its first file refused and delivered a corrected
second one; 2024 is complete and closed.

Residences are sub-areas, drawn with a chance proportional to their youth population times a
relative risk: deprivation raises use (as in the SCP model of youth care use), and two planted
clusters of neighbouring municipalities have markedly higher and lower use, so the analysis has
hotspots and blue zones to find. Both rounds draw their children from one pool (same pseudonym,
birth date, sex and residence), so some children appear in both and have a route across rounds.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction

from jeugdhulp.accounts.models import Organisation, OrganisationKind
from jeugdhulp.data.demo_region import LOCAL_CRS, DemoRegion
from jeugdhulp.demo.organisations import REGION_CODE
from jeugdhulp.demo.region import VINTAGE, area_set
from jeugdhulp.reference.models import Area, AreaSet, AreaSetKind, HulpVorm, Site
from jeugdhulp.rounds.models import Round, SnapshotRow
from jeugdhulp.rounds.services import import_file
from jeugdhulp.snapshot.synthetic import synthetic_snapshot

ROUND_NAME = "Foto 2025 Demoprovincie"  # the round is marked fictief: its pages say so
PEILDATUM = dt.date(2025, 2, 10)
PARTNERS = 30
NOT_DELIVERED = 3
CORRECTED_PARTNER = "DEMO-CGG"  # the demo-voorziening account's organisation
KINDS = [OrganisationKind.VOORZIENING, OrganisationKind.CAW, OrganisationKind.CLB]
CHILDREN = 60_000  # the pool both rounds draw from
# Relative risk: exp(DEPRIVATION_EFFECT * deprivation z-score), i.e. about x1.4 per standard
# deviation; the planted clusters multiply it further.
DEPRIVATION_EFFECT = 0.35
HIGH_CLUSTER, LOW_CLUSTER = 3.0, 0.35
CLUSTER_SIZE = 3  # municipalities per planted cluster
SUBAREA_SET = "DEMO-REGIO-DEELGEBIEDEN"


@dataclass(frozen=True)
class DemoRound:
    naam: str
    peildatum: dt.date
    growth: float  # rows relative to the latest round
    complete: bool  # every partner delivered (and the round is closed)


ROUNDS = (
    DemoRound("Foto 2024 Demoprovincie", dt.date(2024, 2, 12), 0.94, True),
    DemoRound(ROUND_NAME, PEILDATUM, 1.0, False),
)


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


def _neighbourhood(local, start: str, size: int) -> list[str]:
    """``start`` and its nearest touching municipalities, ``size`` in all (contiguous)."""
    chosen = [start]
    while len(chosen) < size:
        block = local.loc[local["code"].isin(chosen)].union_all()
        touching = local[~local["code"].isin(chosen) & local.intersects(block.buffer(1))]
        if touching.empty:
            break
        nearest = touching.distance(block.centroid).idxmin()
        chosen.append(local.at[nearest, "code"])
    return chosen


def planted_clusters(region: DemoRegion) -> tuple[list[str], list[str]]:
    """Municipalities of the high and the low cluster: the easternmost and the westernmost
    non-urban municipality with their neighbours (away from the towns, so the clusters are not
    just the deprivation effect)."""
    local = region.municipalities.to_crs(LOCAL_CRS).reset_index(drop=True)
    rural = local[~local["urban"]]
    x = rural.geometry.centroid.x
    high = _neighbourhood(local, rural.at[x.idxmax(), "code"], CLUSTER_SIZE)
    low = _neighbourhood(local, rural.at[x.idxmin(), "code"], CLUSTER_SIZE)
    return high, low


def residence_weights(region: DemoRegion) -> tuple[list[str], np.ndarray]:
    """Sub-area codes and their chance of being a child's residence (population x risk)."""
    codes = region.subareas["code"].to_numpy()
    youth = region.population.groupby("area_code")["population"].sum().reindex(codes).to_numpy()
    cov = region.subarea_covariates.set_index("area_code").reindex(codes)
    z = (cov - cov.mean()) / cov.std()
    deprivation = (z["single_parent_share"] + z["unemployment_rate"] - z["median_income"]) / 3
    risk = np.exp(DEPRIVATION_EFFECT * deprivation.to_numpy() / deprivation.std())
    high, low = planted_clusters(region)
    parent = region.subareas["parent"].to_numpy()
    risk = risk * np.where(np.isin(parent, high), HIGH_CLUSTER, 1.0)
    risk = risk * np.where(np.isin(parent, low), LOW_CLUSTER, 1.0)
    weights = youth * risk
    return list(codes), weights / weights.sum()


def subarea_set(region: DemoRegion) -> AreaSet:
    """The region as its sub-areas: the rounds' areas, so residences are sub-area codes and the
    analysis runs on the sub-areas (see ``results.inputs.analysis_areas``)."""
    areas = Area.objects.filter(vintage=VINTAGE, code__in=list(region.subareas["code"]))
    naam = "IROJ-regio Demoprovincie, deelgebieden — fictief"
    return area_set(SUBAREA_SET, naam, AreaSetKind.IROJ, REGION_CODE, areas)


def build_rounds(seed: int, region: DemoRegion) -> list[str]:
    """Both demo rounds, oldest first (each left as it is when it exists)."""
    region_area_set = subarea_set(region)
    codes, weights = residence_weights(region)
    high, low = planted_clusters(region)
    lines = [
        build_round(seed, region_area_set, spec, codes, weights, age_reference=ROUNDS[-1].peildatum)
        for spec in ROUNDS
    ]
    first, last = (Round.objects.get(naam=spec.naam) for spec in (ROUNDS[0], ROUNDS[-1]))
    lines.append(
        f"{children_in_both(first, last)} kinderen komen in beide rondes voor (cliëntroutes)."
    )
    names = region.municipalities.set_index("code")["naam"]
    lines.append(
        "Geplante patronen (fictief): meer gebruik in "
        f"{', '.join(names[c] for c in high)}; minder in {', '.join(names[c] for c in low)}."
    )
    return lines


def children_in_both(first: Round, second: Round) -> int:
    """Pseudonyms with active rows in both rounds."""
    rows = SnapshotRow.objects.filter(upload__actief=True)
    earlier = rows.filter(upload__ronde=first).values("client_pseudoniem")
    later = rows.filter(upload__ronde=second, client_pseudoniem__in=earlier)
    return later.values("client_pseudoniem").distinct().count()


def build_round(
    seed: int,
    region_area_set,
    spec: DemoRound,
    residences: list[str],
    weights: np.ndarray,
    *,
    age_reference: dt.date,
) -> str:
    """Create the round and import every partner's synthetic file (idempotent: an existing
    round is left as it is)."""
    if Round.objects.filter(naam=spec.naam).exists():
        return f"{spec.naam}: bestaat al."
    with transaction.atomic():
        partners = _partners()
        site_codes = list(Site.objects.filter(fictief=True).values_list("code", flat=True))
        sites = _assign_sites(partners, site_codes)
        ronde = Round.objects.create(
            naam=spec.naam,
            peildatum=spec.peildatum,
            organisatie=Organisation.objects.get(code=REGION_CODE),
            regio=region_area_set,
            fictief=True,
        )
        ronde.partners.set(partners)
        ronde.hulpvormen.set(HulpVorm.objects.filter(actief=True))

    delivered = partners if spec.complete else partners[: len(partners) - NOT_DELIVERED]
    # Each round its own draws; the child pool (and so residences) is shared by all rounds.
    round_seed = seed + 7919 * spec.peildatum.year
    rows = 0
    with tempfile.TemporaryDirectory() as folder:
        for number, partner in enumerate(delivered):
            frame = synthetic_snapshot(
                int((250 + (seed + 97 * number) % 900) * spec.growth),
                peildatum=spec.peildatum,
                sites=sites[partner.pk],
                residences=residences,
                residence_weights=weights,
                seed=round_seed + number,
                children=CHILDREN,
                child_seed=f"demo-{seed}",
                age_reference=age_reference,
            )
            path = Path(folder) / f"{partner.code.lower()}.csv"
            corrected = partner.code == CORRECTED_PARTNER and not spec.complete
            if corrected:
                wrong = frame.copy()
                wrong.loc[:2, "startdatum"] = (spec.peildatum + dt.timedelta(days=19)).isoformat()
                wrong.loc[3, "geslacht"] = "F"
                wrong.to_csv(path, sep=";", index=False)
                import_file(ronde, partner, path, filename=f"{partner.code.lower()}-v1.csv")
            frame.to_csv(path, sep=";", index=False)
            upload, _ = import_file(ronde, partner, path)
            rows += upload.rijen
    if spec.complete:
        ronde.open = False
        ronde.save(update_fields=["open"])
    line = f"{spec.naam}: {len(delivered)} van {len(partners)} partners leverden aan, {rows} rijen"
    if spec.complete:
        return line + " (fictief); ronde afgesloten."
    return line + (
        f" (fictief); {CORRECTED_PARTNER} leverde na een geweigerd bestand een verbeterde versie."
    )
