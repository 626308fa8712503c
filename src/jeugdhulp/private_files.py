"""Local state readable by the platform's own account only.

``var/`` holds the SQLite database, the job queue, generated keys, uploads and mail files: folders
are made 0700 and files 0600, whatever the umask of the process that starts first. Pure functions
(no Django import): ``settings`` calls them, the CLI and the WSGI entry point call
:func:`restrict_umask` before anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

PRIVATE_UMASK = 0o077
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def restrict_umask() -> int:
    """Make every file this process creates from now on private; returns the previous umask."""
    return os.umask(PRIVATE_UMASK)


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions away from ``path`` when this process owns it (an older
    install made it world-readable); a path owned by someone else is left as it is."""
    info = path.stat()
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(mode)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700, or tighten it when it exists."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(path, DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty as 0600 when it does not exist, or tighten it when it does.

    An empty file is a valid SQLite database, and SQLite gives its ``-wal`` and ``-shm`` files the
    permissions of the database file, so they are private too.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _tighten(path, FILE_MODE)
    else:
        os.close(fd)
    return path


def private_sqlite_database(config: Mapping) -> None:
    """The file of a SQLite entry of Django's ``DATABASES``, created or tightened as 0600 before
    SQLite opens it. Another engine, an in-memory database or a missing folder: nothing to do."""
    name = str(config.get("NAME") or "")
    if not config.get("ENGINE", "").endswith("sqlite3") or name in {"", ":memory:"}:
        return
    path = Path(name)
    if name.startswith("file:") or not path.parent.is_dir():
        return
    private_file(path)
