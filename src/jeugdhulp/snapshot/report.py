"""The validation report a partner reads: the same lines in the CLI and in the web app."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from jeugdhulp.data.errors import Problem

LINES_PER_KIND = 10


def report_lines(problems: Iterable[Problem], *, per_kind: int = LINES_PER_KIND) -> list[str]:
    """One line per problem, errors first, at most ``per_kind`` per (kind, column), each group
    closed by a count of the lines left out."""
    groups: dict[tuple[bool, str, str | None], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((not problem.is_error, problem.kind, problem.column), []).append(problem)
    lines: list[str] = []
    for (is_warning, _, column), members in sorted(groups.items(), key=lambda kv: kv[0][0]):
        label = "waarschuwing: " if is_warning else ""
        lines += [f"{label}{problem}" for problem in members[:per_kind]]
        rest = len(members) - per_kind
        if rest > 0:
            where = f" in kolom {column}" if column else ""
            lines.append(f"  ... en nog {rest} keer hetzelfde probleem{where}.")
    return lines


def summary(
    file: str, rows_read: int, problems: list[Problem], *, rows_ok: int, children: int
) -> str:
    """The closing sentence: how many rows, errors and warnings, and what happens now."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    counted = f"{file}: {rows_read} rijen gelezen, {errors} fouten, {warnings} waarschuwingen."
    if errors:
        bad_rows = len({p.row for p in problems if p.is_error and p.row is not None})
        kinds = Counter(p.kind for p in problems if p.is_error)
        main = ", ".join(f"{kind} ({count})" for kind, count in kinds.most_common(5))
        where = f" in {bad_rows} rijen" if bad_rows else ""
        return (
            f"{counted} Het bestand wordt geweigerd: er wordt niets ingelezen. Verbeter de fouten"
            f"{where} (soorten: {main}) en lever het hele bestand opnieuw aan."
        )
    return f"{counted} In orde: {rows_ok} rijen, {children} unieke kinderen."
