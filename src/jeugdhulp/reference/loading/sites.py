"""Sites (vestigingen) and the forms of help each offers, with their capacity."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from django.db import transaction

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.data.errors import InputError, Problem
from jeugdhulp.data.sites import read_sites
from jeugdhulp.reference.loading.common import WGS84, LoadReport
from jeugdhulp.reference.models import AreaLevel, HulpVorm, Site, SiteOffer
from jeugdhulp.reference.services import centroids_frame, latest_vintage


def load_sites(path: str | Path, *, crs: str | None = None) -> LoadReport:
    vintage = latest_vintage(AreaLevel.GEMEENTE)
    municipal = centroids_frame(niveau=AreaLevel.GEMEENTE, vintage=vintage) if vintage else None
    frame = read_sites(
        path,
        crs=crs,
        municipality_centroids=municipal,
        hulpvormen=list(HulpVorm.objects.filter(actief=True).values_list("code", flat=True)),
    )
    return store_sites(frame, source=Path(path).name)


@transaction.atomic
def store_sites(frame: gpd.GeoDataFrame, *, source: str, fictief: bool = False) -> LoadReport:
    """Store sites and their offer. The forms of help listed for a site replace its offer."""
    report = LoadReport()
    forms = {h.code: h for h in HulpVorm.objects.all()}
    unknown = sorted(set(frame["hulpvorm"]) - set(forms))
    if unknown:
        raise InputError(
            Problem(
                f"onbekende hulpvormen: {', '.join(unknown)}.", file=source, kind="code_onbekend"
            ),
            source,
        )
    organisations = {o.code.lower(): o for o in Organisation.objects.all()} | {
        o.naam.lower(): o for o in Organisation.objects.all()
    }
    points = frame.to_crs(WGS84)
    for code, group in points.groupby("vestiging", sort=True):
        first = group.iloc[0]
        organisation = organisations.get(str(first["organisatie"]).lower())
        values = {
            "naam": first["naam"] or code,
            "organisatie": organisation,
            "organisatie_naam": organisation.naam if organisation else first["organisatie"],
            "lon": round(float(first.geometry.x), 6),
            "lat": round(float(first.geometry.y), 6),
            "approximate": bool(first["approximate"]),
            "postcode": first.get("postcode", "") or "",
            "fictief": fictief,
        }
        site = Site.objects.filter(code=code).first()
        if site is None:
            site = Site.objects.create(code=code, **values)
            report.created += 1
        elif any(getattr(site, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(site, key, value)
            site.save()
            report.updated += 1
        else:
            report.unchanged += 1
        offers = {o.hulpvorm.code: o for o in site.offers.select_related("hulpvorm")}
        for form, capacity in zip(group["hulpvorm"], group["capaciteit"], strict=True):
            offer = offers.pop(form, None)
            if offer is None:
                SiteOffer.objects.create(site=site, hulpvorm=forms[form], capaciteit=capacity)
            elif offer.capaciteit != capacity:
                offer.capaciteit = capacity
                offer.save()
        for stale in offers.values():
            stale.delete()
    return report
