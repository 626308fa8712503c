"""Problems found in a user's input, reported in Dutch with file, row, column and value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Problem:
    """One problem in an input file.

    ``row`` is the row number as the user sees it in a spreadsheet (the header is row 1), or a
    feature number for vector files; ``None`` when the problem concerns the whole file.
    """

    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: Severity = Severity.ERROR
    file: str | None = None
    kind: str = ""  # a stable key for grouping ("ontbrekend", "code_onbekend", ...)

    def __str__(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column is not None:
            parts.append(f"kolom {self.column}")
        if self.value is not None:
            parts.append(f"waarde '{self.value}'")
        prefix = ", ".join(parts[:2])
        if len(parts) == 3:
            prefix = f"{prefix}: {parts[2]}"
        elif parts[2:]:
            prefix = parts[-1]
        where = f"{self.file}: " if self.file and not prefix else ""
        return f"{where}{prefix}: {self.message}" if prefix else f"{where}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


class InputError(Exception):
    """The input cannot be used; ``problems`` says why (at least one is an error)."""

    def __init__(self, problems: list[Problem] | Problem, file: str | None = None):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.file = file
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Rebuilt from problems and file when it crosses processes (``analyze`` reads files
        # in parallel); the default would pass the joined message as ``problems``.
        return type(self), (self.problems, self.file)
