"""``jeugdhulp analyze --out``: a folder that cannot be made or written is a Dutch message and
exit status 1 before the analysis runs, never a traceback (#16)."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jeugdhulp.analysis import cli
from jeugdhulp.analysis.cli import main
from jeugdhulp.analysis.tests.test_cli import arguments, round_files  # noqa: F401 - fixture


@pytest.fixture
def no_analysis(monkeypatch):
    """Fail the test if the analysis runs: the path is checked first."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the analysis ran before the output folder was checked")

    monkeypatch.setattr(cli, "run_analysis", refuse)


@pytest.mark.parametrize("out", ["/proc/jeugdhulp-uit", "/sys/jeugdhulp-uit/diep"])
def test_a_folder_that_cannot_be_made_is_found_before_the_run(
    round_files,  # noqa: F811
    capsys,
    no_analysis,
    out,
):
    # Root may write anywhere by its rights, yet nothing can be made in /proc or /sys; the
    # reason depends on the mount (not permitted, read-only, no such entry), always in Dutch.
    assert main(arguments(round_files, out)) == 1
    err = capsys.readouterr().err
    prefix = f"{out}: de map kan niet gemaakt worden: "
    assert err.startswith(prefix) and err.endswith("\n")
    top = "/" + out.split("/")[1]
    assert err[len(prefix) : -1] in {*cli.OS_ERRORS.values(), f"geen schrijfrechten in {top}"}


def test_the_check_leaves_no_folder_behind(round_files, capsys, monkeypatch):  # noqa: F811
    # The folder is made for the check, then refused for writing: both levels are removed again.
    out = round_files / "nieuw" / "uit"
    real = cli.tempfile.TemporaryFile

    def read_only(*args, **kwargs):
        if Path(kwargs["dir"]) == out:
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(cli.tempfile, "TemporaryFile", read_only)
    assert main(arguments(round_files, out)) == 1
    assert (
        capsys.readouterr().err
        == f"{out}: de map kan niet beschreven worden: alleen-lezen bestandssysteem\n"
    )
    assert not (round_files / "nieuw").exists()


def test_a_write_that_fails_after_the_run_is_a_dutch_message(round_files, capsys, monkeypatch):  # noqa: F811
    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli, "write_all", full_disk)
    out = round_files / "uit"
    assert main(arguments(round_files, out)) == 1
    assert capsys.readouterr().err == f"{out}: kan niet schrijven (de schijf is vol)\n"


def test_an_unknown_system_error_is_named_by_its_code():
    assert cli.os_error_text(OSError(errno.EIO, "I/O error")) == "systeemfout EIO"


def test_the_jeugdhulp_command_answers_an_out_file_with_exit_1_and_no_traceback(round_files):  # noqa: F811
    # The installed entry point, as a person types it.
    out = round_files / "partner1.csv"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    done = subprocess.run(
        [sys.executable, "-m", "jeugdhulp", "analyze", *arguments(round_files, out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == f"{out}: bestaat al en is geen map: geef bij --out een map\n"
    assert "Traceback" not in done.stderr + done.stdout


def test_the_analysis_warnings_are_printed_as_well_as_written(round_files, capsys):  # noqa: F811
    # A population code of another area version: the run succeeds and says so on stderr.
    population = round_files / "bevolking.csv"
    lines = population.read_text().splitlines()
    extra = [line.replace("A00", "B99", 1) for line in lines[1:] if line.startswith("A00,")]
    population.write_text("\n".join([*lines, *extra]) + "\n")
    out = round_files / "uit"
    assert main(arguments(round_files, out)) == 0
    warning = "bevolking: 1 gebiedscode(s) horen bij geen gebied (B99); controleer de gebiedsversie"
    assert f"waarschuwing: {warning}\n" in capsys.readouterr().err
    assert warning in json.loads((out / "manifest.json").read_text())["waarschuwingen"]
