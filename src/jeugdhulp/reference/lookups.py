"""Look-ups in the reference data for the screens: municipalities (names, outlines, a network's
own) and forms of help (names, choices), as the request monitor, triage and the client routes
show them."""

from __future__ import annotations

import json

from jeugdhulp.reference.models import Area, AreaLevel, AreaSetKind, HulpVorm


def is_municipality(code: str) -> bool:
    return Area.objects.filter(niveau=AreaLevel.GEMEENTE, code=code).exists()


def municipality_names(codes=None) -> dict[str, str]:
    """code -> name of municipalities (the latest vintage's name wins)."""
    rows = Area.objects.filter(niveau=AreaLevel.GEMEENTE)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return dict(rows.order_by("vintage").values_list("code", "naam"))


def municipality_name(code: str) -> str:
    """The municipality's name, or the code itself when the reference data does not know it."""
    return municipality_names([code]).get(code, code)


def network_municipalities(network) -> set[str]:
    """The municipalities of the network's own area (its 1G1P area sets in the reference
    data), so the dashboard also lists the ones without any request."""
    return set(
        Area.objects.filter(
            niveau=AreaLevel.GEMEENTE,
            area_sets__organisatie=network,
            area_sets__soort=AreaSetKind.NETWORK,
        ).values_list("code", flat=True)
    )


def municipality_shapes(codes) -> dict[str, dict]:
    """code -> simplified outline (GeoJSON geometry, WGS84) of the municipalities that have one
    (the latest vintage's outline wins)."""
    rows = Area.objects.filter(niveau=AreaLevel.GEMEENTE, code__in=list(codes)).order_by("vintage")
    shapes = {}
    for code, simplified, full in rows.values_list("code", "geometry_simplified", "geometry"):
        if simplified or full:
            shapes[code] = json.loads(simplified or full)
    return shapes


def municipality_choices() -> list[tuple[str, str]]:
    return sorted(municipality_names().items(), key=lambda item: item[1])


def is_hulpvorm(code: str) -> bool:
    return HulpVorm.objects.filter(code=code, actief=True).exists()


def hulpvorm_names(codes) -> dict[str, str]:
    """code -> label of forms of help (inactive ones too: old events still name them)."""
    return dict(HulpVorm.objects.filter(code__in=list(codes)).values_list("code", "label"))


def hulpvorm_choices() -> list[tuple[str, str]]:
    """Forms of help by their name (the code is the value, never what the user reads)."""
    return sorted(
        ((h.code, h.label) for h in HulpVorm.objects.filter(actief=True)),
        key=lambda item: item[1].lower(),
    )
