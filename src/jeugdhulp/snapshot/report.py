"""The validation report a partner reads: the same lines in the CLI and in the web app."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from jeugdhulp.data.errors import Problem

LINES_PER_KIND = 10

# Each kind of problem (``Problem.kind``) as the partner reads it in the closing sentence.
KIND_PHRASES: dict[str, str] = {
    # the whole file (jeugdhulp.data.tabular)
    "onleesbaar": "onleesbaar bestand",
    "te_groot": "bestand te groot",
    "leeg": "bestand zonder gegevens",
    "te_veel_waarden": "rij met meer waarden dan kolommen",
    "kolom_dubbel": "kolomnaam twee keer",
    # the snapshot's rules (jeugdhulp.snapshot.reader)
    "kolom_ontbreekt": "verplichte kolom ontbreekt",
    "kolom_onbekend": "onbekende kolom",
    "ontbrekend": "verplicht veld leeg",
    "insz": "rijksregisternummer in het bestand",
    "vestiging_onbekend": "onbekende vestigingscode",
    "niet_gecontroleerd": "vestigingscodes niet gecontroleerd",
    "pseudoniem": "ongeldig pseudoniem",
    "jaar": "ongeldig geboortejaar",
    "maand": "ongeldige geboortemaand",
    "leeftijd": "leeftijd buiten de foto",
    "code_onbekend": "onbekende code",
    "woonplaats": "onbekende woonplaats",
    "datum": "ongeldige datum",
    "na_peildatum": "startdatum na de peildatum",
    "voor_geboorte": "startdatum voor de geboorte",
    "ja_nee": "geen ja of nee",
    "dubbel": "dubbele rij",
}
# Kinds that say little without the column: "onbekende code in kolom geslacht".
_PER_COLUMN = {"code_onbekend", "ontbrekend", "datum", "ja_nee"}


def plural(count: int, singular: str, plural_form: str) -> str:
    """``1 fout``, ``2 fouten``, ``0 fouten``: the count with the Dutch form that fits it."""
    return f"{count} {singular if count == 1 else plural_form}"


def kind_phrase(kind: str, column: str | None = None) -> str:
    """A problem's kind in words (``"na_peildatum"`` -> ``"startdatum na de peildatum"``)."""
    phrase = KIND_PHRASES.get(kind) or "ander probleem"
    if kind in _PER_COLUMN and column:
        phrase = f"{phrase} in kolom {column}"
    return phrase


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
    counted = (
        f"{file}: {plural(rows_read, 'rij', 'rijen')} gelezen, {plural(errors, 'fout', 'fouten')}"
        f", {plural(warnings, 'waarschuwing', 'waarschuwingen')}."
    )
    if errors:
        bad_rows = len({p.row for p in problems if p.is_error and p.row is not None})
        kinds = Counter(kind_phrase(p.kind, p.column) for p in problems if p.is_error)
        main = "; ".join(f"{phrase} ({count}×)" for phrase, count in kinds.most_common(5))
        the_errors = "de fout" if errors == 1 else "de fouten"
        where = f" in {plural(bad_rows, 'rij', 'rijen')}" if bad_rows else ""
        which = "Soort fout" if len(kinds) == 1 else "Soorten fouten"
        return (
            f"{counted} Het bestand wordt geweigerd: er wordt niets ingelezen. Verbeter "
            f"{the_errors}{where} en lever het hele bestand opnieuw aan. {which}: {main}."
        )
    return (
        f"{counted} In orde: {plural(rows_ok, 'rij', 'rijen')}, "
        f"{plural(children, 'uniek kind', 'unieke kinderen')}."
    )
