"""Local state is private (issue #12, finding 11): a fresh ``var/`` is 0700 and everything the
platform writes into it (SQLite database and journal, job queue, secret key, field key, uploads,
mail files) is readable by its own account only, even when started with a permissive umask."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from jeugdhulp.private_files import private_dir, private_file, private_sqlite_database

pytestmark = pytest.mark.slow


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def jeugdhulp(var: Path, *args: str) -> subprocess.CompletedProcess:
    """``jeugdhulp ARGS`` as an administrator starts it from a shell whose umask is 022."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        JEUGDHULP_VAR_DIR=str(var),
        JEUGDHULP_QUEUE="sqlite",
        JEUGDHULP_CACHE="file",
        JEUGDHULP_EMAIL_BACKEND="file",
    )
    command = shlex.join([sys.executable, "-m", "jeugdhulp", *args])
    return subprocess.run(
        ["/bin/sh", "-c", f"umask 022; exec {command}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_a_fresh_var_dir_and_everything_in_it_is_private(tmp_path):
    var = tmp_path / "nieuw" / "var"
    assert jeugdhulp(var, "migrate", "-v0").returncode == 0
    sent = jeugdhulp(var, "sendtestemail", "beheer@example.invalid")
    assert sent.returncode == 0, sent.stderr
    stored = jeugdhulp(
        var,
        "shell",
        "-c",
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "from jeugdhulp.aanmeldingen.crypto import configured_keys\n"
        "configured_keys()\n"
        "default_storage.save('opgeladen/bestand.csv', ContentFile(b'a;b'))\n",
    )
    assert stored.returncode == 0, stored.stderr

    assert mode(var) == 0o700
    expected = [
        var / "jeugdhulp.sqlite3",
        var / "queue.sqlite3",
        var / "secret_key",
        var / "field_keys",
        var / "media" / "opgeladen" / "bestand.csv",
    ]
    for path in expected:
        assert path.is_file(), path
    assert list((var / "mail").iterdir())
    readable = [
        f"{path.relative_to(var)} {mode(path):o}"
        for path in [var, *var.rglob("*")]
        if mode(path) & 0o077
    ]
    assert readable == []


def test_an_existing_world_readable_install_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    database = var / "jeugdhulp.sqlite3"
    database.touch()
    database.chmod(0o644)
    assert jeugdhulp(var, "check").returncode == 0
    assert (mode(var), mode(database)) == (0o700, 0o600)


def test_private_dir_creates_missing_parents(tmp_path):
    made = private_dir(tmp_path / "a" / "b")
    assert made.is_dir() and mode(made) == 0o700


def test_private_file_keeps_existing_content(tmp_path):
    path = tmp_path / "gegevens"
    path.write_text("inhoud")
    path.chmod(0o664)
    private_file(path)
    assert (path.read_text(), mode(path)) == ("inhoud", 0o600)


@pytest.mark.parametrize("name", [":memory:", "", "file:x?mode=memory"])
def test_no_file_for_databases_that_are_not_sqlite_files(name):
    before = set(Path.cwd().iterdir())
    private_sqlite_database({"ENGINE": "django.db.backends.sqlite3", "NAME": name})
    private_sqlite_database({"ENGINE": "django.db.backends.postgresql", "NAME": "jeugdhulp"})
    assert set(Path.cwd().iterdir()) == before


def test_a_sqlite_file_in_a_missing_folder_is_left_to_sqlite(tmp_path):
    name = tmp_path / "bestaat-niet" / "db.sqlite3"
    private_sqlite_database({"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)})
    assert not name.parent.exists()
