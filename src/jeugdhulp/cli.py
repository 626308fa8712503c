"""The ``jeugdhulp`` command.

File commands (template, validate, pseudonymize, analyze) run without Django or a database, so
partners and analysts can use them anywhere; every other word is a Django management command run
with the project's settings (``jeugdhulp migrate``, ``jeugdhulp demo``, ``jeugdhulp serve``, ...).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

from jeugdhulp.envconfig import ConfigurationError
from jeugdhulp.private_files import restrict_umask

# name -> (module:function, one-line help). Each function takes argv and returns an exit status.
FILE_COMMANDS: dict[str, tuple[str, str]] = {
    "template": ("jeugdhulp.snapshot.cli:template_main", "the data-request template (XLSX/CSV)"),
    "validate": ("jeugdhulp.snapshot.cli:validate_main", "check a snapshot file"),
    "pseudonymize": (
        "jeugdhulp.snapshot.pseudonym:main",
        "replace national numbers by pseudonyms (at the partner)",
    ),
    "analyze": ("jeugdhulp.analysis.cli:main", "the whole analysis from files"),
}


def _load(target: str) -> Callable[[Sequence[str]], int]:
    module_name, _, function = target.partition(":")
    return getattr(importlib.import_module(module_name), function)


def _file_commands_help() -> str:
    lines = ["", "[jeugdhulp: file commands, no database needed]"]
    lines += [f"    {name:<14}{text}" for name, (_, text) in FILE_COMMANDS.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in FILE_COMMANDS:
        target, _ = FILE_COMMANDS[args[0]]
        return int(_load(target)(args[1:]) or 0)

    # The platform's own state (database, queue, keys, uploads, mail) is private: files this
    # process and its children (gunicorn workers, the job worker) create are 0600, folders 0700.
    restrict_umask()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdhulp.settings")
    try:
        # Only here: the file commands above need no Django (importing django.core.management
        # takes 0.6 s, time.perf_counter), and django.setup() needs the settings module set.
        import django

        django.setup()
    except ConfigurationError as error:
        print(f"Configuratiefout: {error}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    execute_from_command_line(["jeugdhulp", *args])
    if not args or (args[0] in {"help", "--help", "-h"} and len(args) == 1):
        print(_file_commands_help())
    return 0


if __name__ == "__main__":
    sys.exit(main())
