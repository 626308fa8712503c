"""The ``jeugdhulp`` command: Django's commands with our settings, plus the file commands."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from jeugdhulp.cli import FILE_COMMANDS


def run(*args, env=None):
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "jeugdhulp", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=120,
    )


def test_help_lists_django_and_file_commands():
    result = run("help")
    assert result.returncode == 0
    for name in ["migrate", "createsuperuser", "demo", "serve", *FILE_COMMANDS]:
        assert name in result.stdout


def test_bad_configuration_is_a_message_not_a_traceback():
    result = run("check", env={"JEUGDHULP_ENV": "staging"})
    assert result.returncode == 2
    assert "JEUGDHULP_ENV" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_file_commands_resolve_to_a_function(command):
    from jeugdhulp.cli import _load

    target, _ = FILE_COMMANDS[command]
    assert callable(_load(target))


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "JEUGDHULP_ENV": "production",
            "JEUGDHULP_SECRET_KEY": "k" * 20 + "-production-key-for-the-deploy-check-0123456789",
            "JEUGDHULP_ALLOWED_HOSTS": "jeugdhulp.example.be",
            "JEUGDHULP_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "JEUGDHULP_FIELD_KEYS": Fernet.generate_key().decode(),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
