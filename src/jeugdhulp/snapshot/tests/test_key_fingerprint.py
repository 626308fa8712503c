"""The round key's fingerprint: partners compare their key with the round's without showing it."""

from __future__ import annotations

import re

from jeugdhulp.snapshot import pseudonym

KEY = b"sleutel-van-de-ronde-2023"


def test_the_fingerprint_is_a_short_check_value_of_the_key_and_not_the_key():
    fingerprint = pseudonym.key_fingerprint(KEY)
    # printf 'jeugdhulp rondesleutel vingerafdruk' | openssl dgst -sha256 \
    #     -hmac 'sleutel-van-de-ronde-2023'
    assert fingerprint == "10e3-ad45-6968-cbc4"
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", fingerprint)
    assert pseudonym.key_fingerprint(KEY + b"x") != fingerprint


def test_a_new_key_prints_its_fingerprint(tmp_path, capsys):
    key = tmp_path / "k"
    assert pseudonym.main(["--key-file", str(key), "--new-key"]) == 0
    shown = pseudonym.key_fingerprint(pseudonym.read_key(key))
    out = capsys.readouterr().out
    assert f"Vingerafdruk: {shown}" in out
    assert key.read_text().strip() not in out


def test_the_fingerprint_of_a_key_file_is_shown_on_request(tmp_path, capsys):
    key = tmp_path / "k"
    key.write_bytes(KEY + b"\n")
    assert pseudonym.main(["--key-file", str(key), "--fingerprint"]) == 0
    assert capsys.readouterr().out.strip().endswith(pseudonym.key_fingerprint(KEY))


def test_a_missing_key_file_gets_a_dutch_message_not_a_traceback(tmp_path, capsys):
    assert pseudonym.main(["--key-file", str(tmp_path / "geen"), "--fingerprint"]) == 1
    assert capsys.readouterr().out.startswith("fout: ")


def test_every_pseudonymisation_says_which_key_it_used(tmp_path, capsys):
    key = tmp_path / "k"
    key.write_bytes(KEY)
    (tmp_path / "in.csv").write_text("vestiging;insz\nV001;85073003328\n")
    args = ["--key-file", str(key), str(tmp_path / "in.csv"), str(tmp_path / "uit.csv")]
    assert pseudonym.main(args) == 0
    assert f"vingerafdruk {pseudonym.key_fingerprint(KEY)}" in capsys.readouterr().out
