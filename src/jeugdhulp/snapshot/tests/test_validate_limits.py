"""``jeugdhulp validate`` reads within bounded memory (issue #12, finding 4)."""

from __future__ import annotations

import subprocess
import sys

from jeugdhulp.data.tests.test_upload_limits import crafted_workbook


def test_validate_answers_in_dutch_for_a_workbook_with_cells_far_apart(tmp_path):
    # Before, calamine's failed allocation of 512 GB ended the command with a Rust message.
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    path = crafted_workbook(tmp_path / "verspreid.xlsx", sheet)
    done = subprocess.run(
        [sys.executable, "-m", "jeugdhulp.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "verspreid.xlsx: het bestand vraagt bij het lezen meer dan" in done.stdout
    assert "MB geheugen; dat is de grens" in done.stdout
