"""Importing into a round: nothing half-imported, every version kept, the round's snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from jeugdhulp.rounds import services
from jeugdhulp.rounds.models import SnapshotRow, Upload
from jeugdhulp.snapshot.reader import FRAME_DTYPES
from jeugdhulp.snapshot.schema import COLUMNS

pytestmark = pytest.mark.django_db


def test_an_accepted_file_becomes_the_active_version(ronde, network, partner_file):
    upload, result = services.import_file(ronde, network["partner"], partner_file(30))
    assert result.ok and upload.status == "aanvaard" and upload.actief
    assert upload.versie == 1 and upload.rijen == len(result.frame) == 30 - 0
    assert SnapshotRow.objects.filter(upload=upload).count() == upload.rijen
    assert upload.unieke_kinderen == result.frame["client_pseudoniem"].nunique()


def test_a_file_with_errors_imports_nothing_and_keeps_its_report(ronde, network, partner_file):
    good, _ = services.import_file(ronde, network["partner"], partner_file(10))
    bad, result = services.import_file(
        ronde, network["partner"], partner_file(10, seed=2, hulpvorm="ZZ")
    )
    assert not result.ok and bad.status == "geweigerd" and not bad.actief
    assert bad.versie == 2 and bad.rijen == 0 and bad.fouten == 1
    assert "rij 2, kolom hulpvorm: waarde 'ZZ'" in bad.rapport
    assert "geweigerd" in bad.samenvatting
    assert not SnapshotRow.objects.filter(upload=bad).exists()
    good.refresh_from_db()
    assert good.actief


def test_a_corrected_upload_replaces_the_active_one_and_keeps_the_old(ronde, network, partner_file):
    first, _ = services.import_file(ronde, network["partner"], partner_file(10))
    second, _ = services.import_file(ronde, network["partner"], partner_file(12, seed=3))
    first.refresh_from_db()
    assert (first.actief, second.actief, second.versie) == (False, True, 2)
    assert SnapshotRow.objects.filter(upload=first).count() == first.rijen  # kept
    frame = services.round_snapshot(ronde)
    assert len(frame) == second.rijen


def test_a_crash_half_way_leaves_the_previous_state(ronde, network, partner_file, monkeypatch):
    first, _ = services.import_file(ronde, network["partner"], partner_file(10))
    rows_before = SnapshotRow.objects.count()
    real = services._insert_rows

    def failing(upload, frame):
        real(upload, frame.iloc[: len(frame) // 2])  # half the rows are written ...
        raise RuntimeError("stroomuitval")  # ... then the process dies

    monkeypatch.setattr(services, "_insert_rows", failing)
    with pytest.raises(RuntimeError):
        services.import_file(ronde, network["partner"], partner_file(40, seed=5))
    assert SnapshotRow.objects.count() == rows_before
    assert list(Upload.objects.values_list("versie", "actief")) == [(1, True)]
    first.refresh_from_db()
    assert first.actief


def test_sites_of_another_partner_are_refused(ronde, network, partner_file):
    _, result = services.import_file(ronde, network["partner"], partner_file(5, vestiging="X1"))
    assert [p.kind for p in result.errors] == ["vestiging_onbekend"]


def test_a_partner_without_registered_sites_gets_a_warning(ronde, network, partner_file):
    upload, result = services.import_file(ronde, network["partner2"], partner_file(5))
    assert result.ok and upload.waarschuwingen == 1
    assert "niet gecontroleerd" in upload.rapport


def test_the_round_snapshot_is_the_shared_frame_over_partners(ronde, network, partner_file):
    services.import_file(ronde, network["partner"], partner_file(10))
    services.import_file(ronde, network["partner2"], partner_file(8, seed=9))
    frame = services.round_snapshot(ronde)
    assert {c: str(t) for c, t in frame.dtypes.items()} == FRAME_DTYPES
    assert set(frame["partner"]) == {"IN-1", "IN-2"}
    assert frame["startdatum"].le(pd.Timestamp(ronde.peildatum)).all()


def test_children_are_counted_once_over_partners_except_local_ids(ronde, network, tmp_path):
    optional = {"geboortemaand", "toeleider", "gemandateerd"}
    header = ";".join(c for c in COLUMNS if c not in optional)
    shared = "a" * 64
    (tmp_path / "a.csv").write_text(
        f"{header}\nV001;{shared};2010;M;3600;CB;RTJH;2022-01-01;nee\nV001;L-1;2011;V;3600;CB;RTJH;2022-01-01;nee\n"
    )
    (tmp_path / "b.csv").write_text(
        f"{header}\nV9;{shared};2010;M;3600;BI;RTJH;2022-01-01;nee\nV9;L-1;2012;V;3600;CB;RTJH;2022-01-01;nee\n"
    )
    services.import_file(ronde, network["partner"], tmp_path / "a.csv")
    services.import_file(ronde, network["partner2"], tmp_path / "b.csv")
    # one shared pseudonym + two different partner-local children
    assert services.unique_children(ronde) == 3


def test_the_response_overview_lists_every_invited_partner(ronde, network, partner_file):
    services.import_file(ronde, network["partner"], partner_file(5, hulpvorm="ZZ"))
    services.import_file(ronde, network["partner"], partner_file(5))
    overview = {r.partner.code: r for r in services.response_overview(ronde)}
    assert set(overview) == {"IN-1", "IN-2"}
    assert overview["IN-1"].delivered and overview["IN-1"].active.versie == 2
    assert overview["IN-1"].uploads == 2
    assert not overview["IN-2"].delivered and overview["IN-2"].latest is None
