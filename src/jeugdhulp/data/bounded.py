"""Reading an uploaded file where its memory and time are bounded.

The workbook reader (calamine, in Rust) holds a whole sheet in memory as a dense grid: a
workbook of a few kilobytes whose two cells lie far apart (A1 and XFD1048576) asks for hundreds
of gigabytes, and a failed allocation in Rust ends the process. :mod:`jeugdhulp.data.tabular`
bounds rows and unpacked size before calamine opens a file, but not where the cells lie. So the
web application reads every upload with :func:`run_bounded`: in a child process whose address
space (``RLIMIT_AS``) may grow by at most ``Bounds.memory_bytes`` and whose CPU time is capped,
killed when its wall time runs out. Whatever happens in the child, the caller gets the result, the
reader's own :class:`InputError`, or an :class:`InputError` with a Dutch message naming the limit.

Children are forked from a small server process (multiprocessing's ``forkserver``) that has
imported pandas and the readers once, so a child starts in milliseconds and never inherits the
threads or open connections of the web process.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from jeugdhulp.data.errors import InputError, Problem

T = TypeVar("T")
_PRELOAD = ["jeugdhulp.data.tabular"]


@dataclass(frozen=True)
class Bounds:
    """How much a reading child may use: address space on top of what it starts with (the
    interpreter and its libraries, about 400 MB with pandas), and seconds (wall and CPU)."""

    memory_bytes: int
    seconds: float


def run_bounded(function: Callable[..., T], *args, bounds: Bounds, file: str, **kwargs) -> T:
    """``function(*args, **kwargs)`` in a bounded child process; ``file`` names the file in the
    messages. The function, its arguments and its result must pickle (module-level functions,
    paths, frames)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*_PRELOAD, function.__module__])  # used at its first start
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, bounds, function, args, kwargs), name="jeugdhulp-lezer"
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(bounds.seconds):
            raise _over_time(file, bounds)
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):
            # No answer: the child was ended by its limits (calamine aborts when an allocation
            # fails, the kernel stops it at its CPU time).
            raise _over_memory(file, bounds) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "ok":
        return value
    if status == "memory":
        raise _over_memory(file, bounds)
    raise value


def _child(sender, bounds: Bounds, function: Callable, args: tuple, kwargs: dict) -> None:
    try:
        _limit_self(bounds)
        answer = ("ok", function(*args, **kwargs))
    except MemoryError:
        answer = ("memory", None)
    except Exception as error:  # every error goes back to the caller
        answer = ("error", error)
    try:
        sender.send(answer)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as error:  # an error that does not pickle
        sender.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        sender.close()


def _address_space() -> int:
    """The process's current address space in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_self(bounds: Bounds) -> None:
    memory = _address_space() + bounds.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, math.ceil(bounds.seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an aborted reader leaves no core file


def _over_memory(file: str, bounds: Bounds) -> InputError:
    limit = bounds.memory_bytes / 2**20
    return InputError(
        Problem(
            f"het bestand vraagt bij het lezen meer dan {limit:.0f} MB geheugen; dat is de grens. "
            "Een werkmap met verspreide cellen (bv. één waarde ver rechts of ver onderaan) "
            "vraagt veel geheugen: kopieer alleen de gegevens naar een nieuwe werkmap, of lever "
            "een CSV-bestand aan.",
            file=file,
            kind="te_groot",
        ),
        file,
    )


def _over_time(file: str, bounds: Bounds) -> InputError:
    return InputError(
        Problem(
            f"het lezen van het bestand duurde langer dan {bounds.seconds:.0f} seconden; dat is "
            "de grens. Splits het bestand of lever een CSV-bestand aan.",
            file=file,
            kind="te_groot",
        ),
        file,
    )
