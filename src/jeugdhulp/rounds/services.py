"""Importing a partner's file into a round, the response overview and the round's snapshot.

An import is one transaction: a refused file stores only its report, an accepted file stores
its rows and becomes the active version; a crash half-way leaves the previous state intact.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import shapely
import shapely.geometry
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdhulp.accounts.models import Organisation
from jeugdhulp.core.bulk import insert_rows
from jeugdhulp.data.bounded import Bounds, run_bounded
from jeugdhulp.data.errors import InputError, Problem, Severity
from jeugdhulp.data.postcodes import municipality_for_postcode
from jeugdhulp.reference.models import Area, AreaLevel, Site
from jeugdhulp.reference.services import area_set_codes
from jeugdhulp.rounds.models import Round, SnapshotRow, Upload, UploadStatus
from jeugdhulp.snapshot.reader import FRAME_DTYPES, SnapshotResult, empty_frame, read_snapshot
from jeugdhulp.snapshot.report import report_lines, summary
from jeugdhulp.snapshot.schema import LOCAL_PREFIX
from jeugdhulp.uploads import refused_upload

CLOSED_MESSAGE = gettext_lazy(
    "Deze ronde is gesloten voor aanlevering; er is niets ingelezen. Vraag de coördinator van "
    "de ronde om ze te heropenen als u nog moet aanleveren of verbeteren."
)
ROW_FIELDS = [
    "bronrij",
    "vestiging",
    "client_pseudoniem",
    "geboortejaar",
    "geboortemaand",
    "geslacht",
    "woonplaats",
    "hulpvorm",
    "toegang",
    "startdatum",
    "crisis",
    "toeleider",
    "gemandateerd",
]


def round_area_codes(ronde: Round) -> set[str] | None:
    return None if ronde.regio_id is None else set(area_set_codes(ronde.regio))


def partner_site_codes(partner: Organisation) -> set[str] | None:
    """The partner's sites; ``None`` (unchecked) when none are registered for it."""
    codes = set(Site.objects.filter(organisatie=partner).values_list("code", flat=True))
    return codes or None


def round_hulpvormen(ronde: Round) -> set[str] | None:
    codes = set(ronde.hulpvormen.values_list("code", flat=True))
    return codes or None


def upload_bounds() -> Bounds:
    """What reading one upload may use (``JEUGDHULP_UPLOAD_MEMORY_MB``, ``_SECONDS``)."""
    return Bounds(
        memory_bytes=settings.JEUGDHULP_UPLOAD_MEMORY_MB * 2**20,
        seconds=settings.JEUGDHULP_UPLOAD_SECONDS,
    )


def check_file(
    ronde: Round, partner: Organisation, path: Path, filename: str | None = None
) -> SnapshotResult:
    """Validate a file with the round's peildatum, areas, forms of help and the partner's sites.

    The file is read and checked in a child process with bounded memory and time
    (:func:`jeugdhulp.data.bounded.run_bounded`), within the upload limits of the settings."""
    site_codes = partner_site_codes(partner)
    name = filename or path.name
    try:
        result = run_bounded(
            read_snapshot,
            path,
            bounds=upload_bounds(),
            file=name,
            partner=partner.code,
            peildatum=ronde.peildatum,
            area_codes=round_area_codes(ronde),
            site_codes=site_codes,
            hulpvormen=round_hulpvormen(ronde),
            max_bytes=settings.JEUGDHULP_MAX_UPLOAD_BYTES,
            max_rows=settings.JEUGDHULP_MAX_UPLOAD_ROWS,
        )
    except InputError as error:
        return SnapshotResult(empty_frame(), _named(error.problems, path.name, name), 0)
    # The child reads a stored copy; messages name the file as the partner sent it.
    result.problems[:] = _named(result.problems, path.name, name)
    if site_codes is None and result.rows_read:
        result.problems.append(
            Problem(
                "er zijn geen vestigingen van uw organisatie geregistreerd; de vestigingscodes "
                "zijn niet gecontroleerd. Vraag de coördinator ze toe te voegen.",
                column="vestiging",
                severity=Severity.WARNING,
                file=name,
                kind="niet_gecontroleerd",
            )
        )
    return result


def _insert_rows(upload: Upload, frame: pd.DataFrame) -> None:
    """Insert the rows from plain tuples (:func:`jeugdhulp.core.bulk.insert_rows`): building
    250,000 model instances for ``bulk_create`` cost more than the inserts themselves."""
    values = [
        [upload.pk] * len(frame),
        frame["bronrij"].tolist(),
        frame["vestiging"].tolist(),
        frame["client_pseudoniem"].tolist(),
        frame["geboortejaar"].tolist(),
        [None if pd.isna(m) else int(m) for m in frame["geboortemaand"]],
        frame["geslacht"].tolist(),
        frame["woonplaats"].tolist(),
        frame["hulpvorm"].tolist(),
        frame["toegang"].tolist(),
        frame["startdatum"].dt.date.tolist(),
        frame["crisis"].tolist(),
        frame["toeleider"].fillna("").tolist(),
        [None if pd.isna(m) else bool(m) for m in frame["gemandateerd"]],
    ]
    insert_rows(SnapshotRow, ["upload_id", *ROW_FIELDS], list(zip(*values, strict=True)))


def import_file(
    ronde: Round, partner: Organisation, path: Path, *, user=None, filename: str | None = None
) -> tuple[Upload, SnapshotResult]:
    """Validate ``path`` and store it as the partner's next version in ``ronde``.

    A file with errors is stored as a refused upload (its report, no rows) and changes nothing
    else. An accepted file's rows are stored and it becomes the active version; the previous
    version stays, inactive. All of it happens in one transaction.
    """
    name = filename or path.name
    result = check_file(ronde, partner, path, name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    lines = report_lines(result.problems)
    closing = summary(
        name,
        result.rows_read,
        result.problems,
        rows_ok=len(result.frame) if result.ok else 0,
        children=result.unique_children if result.ok else 0,
    )
    with transaction.atomic():
        # Lock the round so two uploads of one partner cannot take the same version number.
        Round.objects.select_for_update().filter(pk=ronde.pk).first()
        latest = Upload.objects.filter(ronde=ronde, partner=partner).aggregate(v=Max("versie"))
        upload = Upload.objects.create(
            ronde=ronde,
            partner=partner,
            versie=(latest["v"] or 0) + 1,
            bestandsnaam=name[:255],
            sha256=digest,
            grootte=path.stat().st_size,
            status=UploadStatus.ACCEPTED if result.ok else UploadStatus.REJECTED,
            rijen_gelezen=result.rows_read,
            rijen=len(result.frame) if result.ok else 0,
            unieke_kinderen=result.unique_children if result.ok else 0,
            fouten=len(result.errors),
            waarschuwingen=len(result.warnings),
            rapport="\n".join(lines),
            samenvatting=closing,
            geupload_door=user if getattr(user, "is_authenticated", False) else None,
        )
        if result.ok:
            _insert_rows(upload, result.frame)
            # Saved one by one (not .update()) so the audit log records the switch.
            for previous in Upload.objects.filter(ronde=ronde, partner=partner, actief=True):
                previous.actief = False
                previous.save(update_fields=["actief"])
            upload.actief = True
            upload.save(update_fields=["actief"])
    return upload, result


def _named(problems: list[Problem], stored: str, shown: str) -> list[Problem]:
    return [replace(p, file=shown) if p.file == stored else p for p in problems]


def refused_as_too_large(request, field: str = "bestand") -> str | None:
    """The Dutch message when the request's file was stopped at the size limit while it was
    read (:mod:`jeugdhulp.uploads`), else ``None``."""
    name = refused_upload(request, field)
    if name is None:
        return None
    return _("%(name)s is groter dan %(limit)s, de grens; er is niets ingelezen.") % {
        "name": name,
        "limit": _size(settings.JEUGDHULP_MAX_UPLOAD_BYTES),
    }


def _size(size: int) -> str:
    """``2 KB``, ``1 MB``, ``1.5 MB``."""
    if size < 2**20:
        return f"{-(-size // 1024)} KB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def too_large(received) -> str | None:
    """The Dutch message when an uploaded file exceeds ``JEUGDHULP_MAX_UPLOAD_BYTES``, else
    ``None``."""
    limit = settings.JEUGDHULP_MAX_UPLOAD_BYTES
    if received.size <= limit:
        return None
    return _("%(name)s is te groot (%(size)s); de grens is %(limit)s.") % {
        "name": received.name,
        "size": _size(received.size),
        "limit": _size(limit),
    }


def import_uploaded(ronde: Round, partner: Organisation, received, *, user=None) -> Upload:
    """:func:`import_file` for a file uploaded through the web app or the API (a Django
    ``UploadedFile``), written to a private temporary folder that is removed afterwards."""
    suffix = Path(received.name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"aanlevering{suffix}"
        with path.open("wb") as target:
            for chunk in received.chunks():
                target.write(chunk)
        upload, _ = import_file(ronde, partner, path, user=user, filename=received.name)
    return upload


DELIVERY_STATES = {
    "aangeleverd": gettext_lazy("aangeleverd"),
    "later_geweigerd": gettext_lazy("aangeleverd; een latere versie is geweigerd"),
    "geweigerd": gettext_lazy("geweigerd; wacht op een verbeterd bestand"),
    "niet_aangeleverd": gettext_lazy("nog niet aangeleverd"),
}


@dataclass(frozen=True)
class PartnerResponse:
    partner: Organisation
    active: Upload | None
    latest: Upload | None
    uploads: int

    @property
    def delivered(self) -> bool:
        return self.active is not None

    @property
    def state(self) -> str:
        """``aangeleverd``, ``later_geweigerd``, ``geweigerd`` or ``niet_aangeleverd``."""
        if self.active is not None:
            return "aangeleverd" if self.latest == self.active else "later_geweigerd"
        return "geweigerd" if self.latest is not None else "niet_aangeleverd"

    @property
    def state_label(self) -> str:
        return str(DELIVERY_STATES[self.state])


def response_overview(ronde: Round) -> list[PartnerResponse]:
    """Per invited partner: its active version (if any), its latest upload and how many."""
    uploads: dict[int, list[Upload]] = {}
    for upload in Upload.objects.filter(ronde=ronde).order_by("-versie"):
        uploads.setdefault(upload.partner_id, []).append(upload)
    overview = []
    for partner in ronde.partners.order_by("naam"):
        own = uploads.get(partner.pk, [])
        active = next((u for u in own if u.actief), None)
        overview.append(PartnerResponse(partner, active, own[0] if own else None, len(own)))
    return overview


def round_snapshot(ronde: Round) -> pd.DataFrame:
    """The active delivered rows of every partner as one snapshot DataFrame (the shared
    interface of ``jeugdhulp.snapshot``), ``partner`` being the organisation code."""
    rows = SnapshotRow.objects.filter(upload__ronde=ronde, upload__actief=True)
    values = list(rows.values_list(*ROW_FIELDS, "upload__partner__code"))
    if not values:
        return empty_frame()
    frame = pd.DataFrame(values, columns=[*ROW_FIELDS, "partner"])
    frame["toeleider"] = frame["toeleider"].where(frame["toeleider"] != "", None)
    frame["startdatum"] = pd.to_datetime(frame["startdatum"])
    frame["geboortemaand"] = frame["geboortemaand"].astype("float").astype("Int64")
    frame["gemandateerd"] = frame["gemandateerd"].astype("boolean")
    frame = frame[list(FRAME_DTYPES)].astype(FRAME_DTYPES)
    frame["toeleider"] = frame["toeleider"].astype(object).where(frame["toeleider"].notna(), None)
    return frame.sort_values(["partner", "bronrij"], kind="stable").reset_index(drop=True)


def unique_children(ronde: Round) -> int:
    """Children over all partners: the same pseudonym from two partners is one child, except
    partner-local ids (``L-``), which are unique only within their partner."""
    rows = SnapshotRow.objects.filter(upload__ronde=ronde, upload__actief=True)
    local = rows.filter(client_pseudoniem__startswith=LOCAL_PREFIX)
    shared = rows.exclude(client_pseudoniem__startswith=LOCAL_PREFIX)
    return (
        shared.values("client_pseudoniem").distinct().count()
        + local.values("upload__partner", "client_pseudoniem").distinct().count()
    )


@dataclass(frozen=True)
class PartnerSite:
    """A site as a partner needs it to fill in the template."""

    code: str
    naam: str
    postcode: str
    gemeente: str
    hulpvormen: tuple[str, ...]  # the forms of help offered there (codes)


def partner_sites(partners) -> list[PartnerSite]:
    """The sites of ``partners`` (organisations) with their municipality and offered forms."""
    sites = list(Site.objects.filter(organisatie__in=partners).prefetch_related("offers__hulpvorm"))
    places = site_municipalities(sites)
    return [
        PartnerSite(
            site.code,
            site.naam,
            site.postcode,
            places.get(site.pk, ""),
            tuple(sorted(offer.hulpvorm.code for offer in site.offers.all())),
        )
        for site in sites
    ]


def site_municipalities(sites: list[Site]) -> dict[int, str]:
    """Site pk -> name of its municipality: from its postcode, else the municipality whose
    outline holds its location (sites without either are left out)."""
    by_postcode = {s.pk: municipality_for_postcode(s.postcode) for s in sites if s.postcode}
    names = dict(
        Area.objects.filter(niveau=AreaLevel.GEMEENTE, code__in=set(by_postcode.values()))
        .order_by("vintage")
        .values_list("code", "naam")
    )
    found = {pk: names[code] for pk, code in by_postcode.items() if code in names}
    for site in sites:
        if site.pk not in found:
            name = _municipality_at(site.lon, site.lat)
            if name:
                found[site.pk] = name
    return found


def _municipality_at(lon: float, lat: float, window: float = 0.3) -> str | None:
    """The municipality (latest vintage) whose outline holds the point; only those whose
    centroid lies within ``window`` degrees are tried."""
    candidates = Area.objects.filter(
        niveau=AreaLevel.GEMEENTE,
        centroid_lon__range=(lon - window, lon + window),
        centroid_lat__range=(lat - window, lat + window),
    ).order_by("-vintage")
    point = shapely.Point(lon, lat)
    for name, geometry in candidates.values_list("naam", "geometry").iterator():
        if geometry and shapely.geometry.shape(json.loads(geometry)).covers(point):
            return name
    return None
