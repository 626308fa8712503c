"""The partner's pseudonymisation tool: INSZ rules, the keyed hash, files in and out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import bis, nn

from jeugdhulp.snapshot import pseudonym

KEY = b"sleutel-van-de-ronde-2023"
# openssl dgst -sha256 -hmac 'sleutel-van-de-ronde-2023' <<< -n '85073003328'
EXPECTED = "c46f3515f21741b58a21ffb79169293246ea25c07a8c819d373eb76b29ead718"
MODULE = Path(pseudonym.__file__)


def test_the_pseudonym_is_hmac_sha256_of_the_compact_number():
    assert pseudonym.pseudonym(KEY, "85.07.30-033.28") == EXPECTED
    assert pseudonym.pseudonym(KEY, "85073003328") == EXPECTED


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("85073003328", True),  # national number, born 1985
        ("17073003384", True),  # born 2017: check over "2" + the nine digits
        ("98472899765", True),  # BIS number, month + 40
        ("01490700185", True),  # BIS number, born 2001
        ("85073003329", False),  # wrong check number
        ("85133003328", False),  # month 13
        ("8507300332", False),  # too short (and no valid number with a leading zero)
        ("abcdefghijk", False),
    ],
)
def test_national_and_bis_numbers(number, valid):
    assert pseudonym.is_insz(number) is valid
    assert pseudonym._is_valid_stdlib(pseudonym.compact_insz(number)) is valid


def test_excel_shortened_numbers_get_their_zero_back():
    # born 2001: Excel stored 01490700185 as the number 1490700185
    assert pseudonym.compact_insz("1490700185") == "01490700185"
    assert pseudonym.compact_insz("85073003328.0") == "85073003328"


@given(st.from_regex(r"\d{11}", fullmatch=True))
def test_the_standard_library_rules_agree_with_python_stdnum(number):
    assert pseudonym._is_valid_stdlib(number) == (nn.is_valid(number) or bis.is_valid(number))


@given(
    st.integers(0, 99),
    st.sampled_from([0, 1, 7, 12, 20, 25, 32, 40, 44, 52]),
    st.integers(0, 31),
    st.integers(1, 998),
    st.booleans(),
)
def test_valid_numbers_built_by_the_rules_agree(year, month, day, counter, born_2000s):
    base = f"{year:02d}{month:02d}{day:02d}{counter:03d}"
    check = 97 - int(("2" if born_2000s else "") + base) % 97
    number = f"{base}{check:02d}"
    assert pseudonym._is_valid_stdlib(number) == (nn.is_valid(number) or bis.is_valid(number))


def run_tool(*args, cwd):
    """The module run as a partner would: a plain Python, no site-packages (-S -I)."""
    return subprocess.run(
        [sys.executable, "-S", "-I", str(MODULE), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def test_the_module_runs_with_only_the_standard_library(tmp_path):
    key = tmp_path / "sleutel.txt"
    key.write_bytes(KEY + b"\n")
    source = tmp_path / "in.csv"
    source.write_text("vestiging;INSZ;geboortejaar\nV001;85.07.30-033.28;2010\n", "cp1252")
    done = run_tool("--key-file", key, source, tmp_path / "uit.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.reader((tmp_path / "uit.csv").open(encoding="utf-8-sig"), delimiter=";"))
    assert rows == [["vestiging", "client_pseudoniem", "geboortejaar"], ["V001", EXPECTED, "2010"]]
    xlsx = run_tool("--key-file", key, tmp_path / "x.xlsx", tmp_path / "y.csv", cwd=tmp_path)
    assert xlsx.returncode == 1


def test_an_invalid_number_writes_nothing(tmp_path):
    key = tmp_path / "k"
    key.write_bytes(KEY)
    source = tmp_path / "in.csv"
    source.write_text("insz;x\n85073003328;1\n85073003329;2\n", "utf-8")
    assert pseudonym.main(["--key-file", str(key), str(source), str(tmp_path / "o.csv")]) == 1
    assert not (tmp_path / "o.csv").exists()


def test_template_columns_are_filled_and_local_ids_kept(tmp_path):
    key = tmp_path / "k"
    key.write_bytes(KEY)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(["vestiging", "client_pseudoniem", "insz"])
    sheet.append(["V001", None, 85073003328])
    sheet.append(["V001", "L-7", None])
    source = tmp_path / "in.xlsx"
    book.save(source)
    target = tmp_path / "uit.xlsx"
    assert pseudonym.main(["--key-file", str(key), str(source), str(target)]) == 0
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows == [("vestiging", "client_pseudoniem"), ("V001", EXPECTED), ("V001", "L-7")]


def test_a_new_key_is_made_once(tmp_path):
    key = tmp_path / "k"
    assert pseudonym.main(["--key-file", str(key), "--new-key"]) == 0
    assert len(key.read_text().strip()) == 64
    assert pseudonym.main(["--key-file", str(key), "--new-key"]) == 1


def test_a_short_key_is_refused(tmp_path):
    key = tmp_path / "k"
    key.write_bytes(b"kort")
    (tmp_path / "in.csv").write_text("insz\n85073003328\n")
    args = ["--key-file", str(key), str(tmp_path / "in.csv"), str(tmp_path / "o.csv")]
    assert pseudonym.main(args) == 1
