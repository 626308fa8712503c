"""The route-advice rule engine: rules are data, evaluation explains itself. No Django here.

A rule set is a JSON object (see docs/en/triage.md for the full language)::

    {"standaardadvies": "vrij_toegankelijk",
     "volgorde_bij_gelijkstand": ["niet_vrij_toegankelijk", "meer_diagnostiek",
                                  "vrij_toegankelijk"],
     "regels": [
        {"code": "U1", "omschrijving": "Hoge urgentie", "advies": "niet_vrij_toegankelijk",
         "prioriteit": 30, "als": {"schaal": "UZ", "op": ">=", "waarde": 12}},
        {"code": "G1", "omschrijving": "Gezinsproblemen en zwakke omgeving",
         "advies": "niet_vrij_toegankelijk", "prioriteit": 20,
         "als": {"alle": [{"capj": "D"}, {"schaal": "KO", "op": ">=", "waarde": 14}]}}]}

Conditions: ``schaal`` (a scale total), ``hoogste_item`` (the highest item score on a scale),
``item`` (one item score), ``aantal_assen`` (number of distinct CAP-J axes), each with ``op``
(``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``) and an integer ``waarde``; ``capj`` (a code or a
list: true when a recorded code starts with one of them); and the combinations ``alle``,
``een_van`` (lists) and ``niet`` (one condition).

Which rule gives the advice when several fire:
1. the highest ``prioriteit`` wins;
2. among rules of equal priority that advise differently (a tie), the advice that comes first in
   ``volgorde_bij_gelijkstand`` wins (by default the more protective one);
3. among rules of equal priority and equal advice, the first in the list is named as the rule.
Every other firing rule is reported as overruled, and ``conflict`` says whether any firing rule
advised otherwise. When no rule fires, the ``standaardadvies`` applies and no rule is named.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from jeugdhulp.triage.codes import (
    CAPJ_AXES,
    SCORE_MAX,
    SCORE_MIN,
    STEP_ITEMS,
    STEP_ITEMS_SET,
    STEP_SCALES,
    capj_label,
    gettext_noop,
    invalid_capj_codes,
    scale_items,
    scale_totals,
)

VRIJ = "vrij_toegankelijk"
NIET_VRIJ = "niet_vrij_toegankelijk"
DIAGNOSTIEK = "meer_diagnostiek"
ADVICES: dict[str, str] = {
    VRIJ: gettext_noop("Rechtstreeks toegankelijke hulp (RTJH)"),
    NIET_VRIJ: gettext_noop("Niet-rechtstreeks toegankelijke hulp (NRTJH)"),
    DIAGNOSTIEK: gettext_noop("Meer diagnostiek"),
}
DEFAULT_TIE_ORDER: tuple[str, ...] = (NIET_VRIJ, DIAGNOSTIEK, VRIJ)

OPERATORS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
NUMERIC_KINDS = ("schaal", "hoogste_item", "item", "aantal_assen")
COMBINATIONS = ("alle", "een_van", "niet")

# How an outcome reads; the screens translate the template and the subject's label.
TEMPLATES: dict[str, str] = {
    "schaal": gettext_noop("{label} (totaal): {actual}, regel vraagt {op} {value}"),
    "hoogste_item": gettext_noop("{label} (hoogste item): {actual}, regel vraagt {op} {value}"),
    "item": gettext_noop("{label}: {actual}, regel vraagt {op} {value}"),
    "aantal_assen": gettext_noop(
        "Aantal CAP-J-assen onder {label}: {actual}, regel vraagt {op} {value}"
    ),
    "capj": gettext_noop("CAP-J {value} ({label}): {actual}"),
}
PRESENT = gettext_noop("aanwezig")
ABSENT = gettext_noop("niet aanwezig")
STEP_ITEM_LABELS = {item.code: item.label for item in STEP_ITEMS}


class RuleSetError(ValueError):
    """A rule set that cannot be used; ``problems`` lists every problem in Dutch."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rule:
    code: str
    omschrijving: str
    advies: str
    prioriteit: int
    als: Mapping
    position: int


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    standaardadvies: str = VRIJ
    volgorde_bij_gelijkstand: tuple[str, ...] = DEFAULT_TIE_ORDER


@dataclass(frozen=True)
class Outcome:
    """One leaf condition of a rule, checked against the assessment."""

    kind: str
    subject: str
    op: str
    value: str
    actual: str
    passed: bool


@dataclass(frozen=True)
class Advice:
    advies: str
    rule: Rule | None
    outcomes: tuple[Outcome, ...]
    fired: tuple[str, ...]
    overruled: tuple[tuple[str, str], ...] = ()
    conflict: bool = False
    tie: bool = False

    @property
    def is_default(self) -> bool:
        return self.rule is None

    def explanation(self) -> dict:
        """A JSON-ready record of the advice, stored with the assessment."""
        return {
            "advies": self.advies,
            "regel": self.rule.code if self.rule else None,
            "omschrijving": self.rule.omschrijving if self.rule else "",
            "voorwaarden": [asdict(o) for o in self.outcomes],
            "regels_van_toepassing": list(self.fired),
            "overstemd": [list(pair) for pair in self.overruled],
            "conflict": self.conflict,
            "gelijkstand": self.tie,
        }


def describe(outcome: Mapping, translate: Callable[[str], str] = str) -> str:
    """One line of explanation for an outcome (as stored by ``Advice.explanation``)."""
    kind, subject = outcome["kind"], outcome["subject"]
    if kind in ("schaal", "hoogste_item"):
        label = translate(STEP_SCALES.get(subject, subject))
    elif kind == "item":
        label = f"{subject} {translate(STEP_ITEM_LABELS.get(subject, ''))}"
    elif kind == "capj":
        label = translate(capj_label(subject))
    else:
        label = subject
    actual = outcome["actual"]
    if kind == "capj":
        actual = translate(PRESENT if outcome["passed"] else ABSENT)
    return translate(TEMPLATES[kind]).format(
        label=label, actual=actual, op=outcome["op"], value=outcome["value"]
    )


# -- parsing and validation -------------------------------------------------------------------


def _bounds(kind: str, subject: str) -> tuple[int, int]:
    """The lowest and highest value a numeric subject can take."""
    if kind == "schaal":
        n = len(scale_items(subject))
        return n * SCORE_MIN, n * SCORE_MAX
    if kind in ("hoogste_item", "item"):
        return SCORE_MIN, SCORE_MAX
    return 0, len(set(subject))


def _can_be_true(op: str, value: int, low: int, high: int) -> bool:
    return any(OPERATORS[op](x, value) for x in range(low, high + 1))


def _check_condition(cond, where: str, problems: list[str]) -> None:
    if not isinstance(cond, Mapping) or len(cond) == 0:
        problems.append(f'{where}: een voorwaarde is een object, bv. {{"schaal": "UZ", ...}}')
        return
    combos = [key for key in COMBINATIONS if key in cond]
    if combos:
        if len(cond) != 1:
            problems.append(f"{where}: '{combos[0]}' staat alleen in zijn voorwaarde")
        key = combos[0]
        parts = cond[key]
        if key == "niet":
            _check_condition(parts, f"{where} > niet", problems)
        elif not isinstance(parts, list) or not parts:
            problems.append(f"{where}: '{key}' vraagt een niet-lege lijst van voorwaarden")
        else:
            for i, part in enumerate(parts, start=1):
                _check_condition(part, f"{where} > {key} {i}", problems)
        return
    if "capj" in cond:
        codes = cond["capj"] if isinstance(cond["capj"], list) else [cond["capj"]]
        if set(cond) != {"capj"} or not codes or not all(isinstance(c, str) for c in codes):
            problems.append(f"{where}: 'capj' vraagt een code of een lijst van codes, niets meer")
            return
        for code in invalid_capj_codes(codes):
            problems.append(f"{where}: '{code}' is geen CAP-J-as, -groep of -rubriek uit de lijst")
        return
    kinds = [kind for kind in NUMERIC_KINDS if kind in cond]
    if len(kinds) != 1 or set(cond) != {kinds[0], "op", "waarde"}:
        known = ", ".join((*NUMERIC_KINDS, "capj", *COMBINATIONS))
        problems.append(f"{where}: verwacht precies één van {known} (met 'op' en 'waarde')")
        return
    kind = kinds[0]
    subject = cond[kind]
    if kind in ("schaal", "hoogste_item") and subject not in STEP_SCALES:
        problems.append(f"{where}: schaal '{subject}' bestaat niet ({', '.join(STEP_SCALES)})")
        return
    if kind == "item" and subject not in STEP_ITEMS_SET:
        problems.append(f"{where}: STEP-item '{subject}' bestaat niet")
        return
    if kind == "aantal_assen" and (
        not isinstance(subject, str) or not subject or not set(subject) <= set(CAPJ_AXES)
    ):
        problems.append(f"{where}: 'aantal_assen' noemt de assen die tellen, bv. \"ACDE\"")
        return
    op, value = cond["op"], cond["waarde"]
    if op not in OPERATORS:
        problems.append(f"{where}: operator '{op}' is onbekend ({' '.join(OPERATORS)})")
        return
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{where}: waarde '{value}' is geen geheel getal")
        return
    low, high = _bounds(kind, subject)
    if not _can_be_true(op, value, low, high):
        problems.append(
            f"{where}: '{op} {value}' kan nooit waar zijn (de waarde ligt tussen {low} en {high})"
        )


def parse_ruleset(data) -> RuleSet:
    """Check a rule set and return it; raises ``RuleSetError`` listing every problem."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise RuleSetError(["de regelset is een JSON-object met 'regels'"])
    unknown = set(data) - {"standaardadvies", "volgorde_bij_gelijkstand", "regels"}
    problems += [f"onbekende sleutel '{key}'" for key in sorted(unknown)]
    default = data.get("standaardadvies", VRIJ)
    if default not in ADVICES:
        problems.append(f"standaardadvies '{default}' is onbekend ({', '.join(ADVICES)})")
    order = data.get("volgorde_bij_gelijkstand", list(DEFAULT_TIE_ORDER))
    if not isinstance(order, list) or sorted(order) != sorted(ADVICES):
        problems.append(
            "volgorde_bij_gelijkstand noemt elk advies precies één keer: " + ", ".join(ADVICES)
        )
    raw_rules = data.get("regels", [])
    if not isinstance(raw_rules, list):
        raise RuleSetError([*problems, "'regels' is een lijst"])
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_rules):
        where = f"regel {position + 1}"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: een regel is een object")
            continue
        code = raw.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{where}: 'code' ontbreekt")
            continue
        where = f"regel {code}"
        if code in seen:
            problems.append(f"{where}: code komt meer dan eens voor")
        seen.add(code)
        extra = set(raw) - {"code", "omschrijving", "advies", "prioriteit", "als"}
        problems += [f"{where}: onbekende sleutel '{key}'" for key in sorted(extra)]
        if raw.get("advies") not in ADVICES:
            problems.append(f"{where}: advies '{raw.get('advies')}' is onbekend")
        priority = raw.get("prioriteit", 0)
        if not isinstance(priority, int) or isinstance(priority, bool):
            problems.append(f"{where}: prioriteit '{priority}' is geen geheel getal")
        if "als" not in raw:
            problems.append(f"{where}: 'als' (de voorwaarde) ontbreekt")
        else:
            _check_condition(raw["als"], where, problems)
        rules.append(
            Rule(
                code=code,
                omschrijving=str(raw.get("omschrijving", "")),
                advies=raw.get("advies"),
                prioriteit=priority,
                als=raw.get("als"),
                position=position,
            )
        )
    if problems:
        raise RuleSetError(problems)
    return RuleSet(
        rules=tuple(rules), standaardadvies=default, volgorde_bij_gelijkstand=tuple(order)
    )


# -- evaluation -------------------------------------------------------------------------------


@dataclass
class _Facts:
    scores: Mapping[str, int]
    capj: Sequence[str]
    totals: dict[str, int] = field(init=False)
    axes: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.totals = scale_totals(dict(self.scores))
        self.axes = {code[0] for code in self.capj}

    def value(self, kind: str, subject: str) -> int:
        if kind == "schaal":
            return self.totals[subject]
        if kind == "hoogste_item":
            return max(self.scores[code] for code in scale_items(subject))
        if kind == "item":
            return self.scores[subject]
        return len(self.axes & set(subject))


def _check(cond: Mapping, facts: _Facts, outcomes: list[Outcome]) -> bool:
    """Whether ``cond`` holds; every leaf is checked (no short cut) so the explanation is full."""
    if "alle" in cond:
        return all([_check(part, facts, outcomes) for part in cond["alle"]])
    if "een_van" in cond:
        return any([_check(part, facts, outcomes) for part in cond["een_van"]])
    if "niet" in cond:
        return not _check(cond["niet"], facts, outcomes)
    if "capj" in cond:
        wanted = cond["capj"] if isinstance(cond["capj"], list) else [cond["capj"]]
        for prefix in wanted:
            hit = any(code.startswith(prefix) for code in facts.capj)
            outcomes.append(Outcome("capj", prefix, "", prefix, str(hit).lower(), hit))
        return any(o.passed for o in outcomes[len(outcomes) - len(wanted) :])
    kind = next(k for k in NUMERIC_KINDS if k in cond)
    subject = cond[kind]
    actual = facts.value(kind, subject)
    passed = OPERATORS[cond["op"]](actual, cond["waarde"])
    outcomes.append(Outcome(kind, subject, cond["op"], str(cond["waarde"]), str(actual), passed))
    return passed


def evaluate(ruleset: RuleSet, scores: Mapping[str, int], capj: Sequence[str]) -> Advice:
    """The advice for an assessment (complete STEP item scores and CAP-J codes)."""
    facts = _Facts(scores, capj)
    fired: list[tuple[Rule, tuple[Outcome, ...]]] = []
    for rule in ruleset.rules:
        outcomes: list[Outcome] = []
        if _check(rule.als, facts, outcomes):
            fired.append((rule, tuple(outcomes)))
    if not fired:
        return Advice(advies=ruleset.standaardadvies, rule=None, outcomes=(), fired=())
    tie_rank = {advice: i for i, advice in enumerate(ruleset.volgorde_bij_gelijkstand)}
    top = max(rule.prioriteit for rule, _ in fired)
    best_rule, best_outcomes = min(
        ((r, o) for r, o in fired if r.prioriteit == top),
        key=lambda pair: (tie_rank[pair[0].advies], pair[0].position),
    )
    tie = len({r.advies for r, _ in fired if r.prioriteit == top}) > 1
    return Advice(
        advies=best_rule.advies,
        rule=best_rule,
        outcomes=best_outcomes,
        fired=tuple(r.code for r, _ in fired),
        overruled=tuple((r.code, r.advies) for r, _ in fired if r is not best_rule),
        conflict=any(r.advies != best_rule.advies for r, _ in fired),
        tie=tie,
    )


# The rule set a new network starts from (a beheerder adapts it); deliberately simple.
STARTER_RULESET: dict = {
    "standaardadvies": VRIJ,
    "volgorde_bij_gelijkstand": list(DEFAULT_TIE_ORDER),
    "regels": [
        {
            "code": "U1",
            "omschrijving": "Hoge urgentie: veiligheid of escalatie",
            "advies": NIET_VRIJ,
            "prioriteit": 30,
            "als": {
                "een_van": [
                    {"schaal": "UZ", "op": ">=", "waarde": 12},
                    {"item": "UZ1", "op": "==", "waarde": 5},
                ]
            },
        },
        {
            "code": "G1",
            "omschrijving": "Gezinsproblemen in een zwakke opvoedingsomgeving",
            "advies": NIET_VRIJ,
            "prioriteit": 20,
            "als": {"alle": [{"capj": "D"}, {"schaal": "KO", "op": ">=", "waarde": 15}]},
        },
        {
            "code": "D1",
            "omschrijving": "Problemen op veel levensgebieden: eerst beter in kaart brengen",
            "advies": DIAGNOSTIEK,
            "prioriteit": 20,
            "als": {
                "alle": [
                    {"aantal_assen": "ACDE", "op": ">=", "waarde": 3},
                    {"schaal": "FJ", "op": ">=", "waarde": 15},
                ]
            },
        },
        {
            "code": "Z1",
            "omschrijving": "Zware zorg nodig",
            "advies": NIET_VRIJ,
            "prioriteit": 10,
            "als": {"schaal": "ZZ", "op": ">=", "waarde": 12},
        },
        {
            "code": "L1",
            "omschrijving": "Lichte tot matige ernst",
            "advies": VRIJ,
            "prioriteit": 10,
            "als": {"schaal": "ZZ", "op": "<=", "waarde": 9},
        },
    ],
}
