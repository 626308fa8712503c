"""The rule engine on hand-built assessments: which rule fires, conflicts, ties, validation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jeugdhulp.triage import engine
from jeugdhulp.triage.codes import (
    STEP_ITEM_CODES,
    invalid_capj_codes,
    invalid_scores,
    scale_totals,
)
from jeugdhulp.triage.engine import (
    DIAGNOSTIEK,
    NIET_VRIJ,
    VRIJ,
    RuleSetError,
    describe,
    evaluate,
    parse_ruleset,
)


def scores(default: int = 1, **items: int) -> dict[str, int]:
    values = dict.fromkeys(STEP_ITEM_CODES, default)
    values.update(items)
    return values


def rule(code, advies, prioriteit, als, omschrijving=""):
    return {
        "code": code,
        "advies": advies,
        "prioriteit": prioriteit,
        "als": als,
        "omschrijving": omschrijving,
    }


URGENT = {"schaal": "UZ", "op": ">=", "waarde": 12}
FAMILY = {"alle": [{"capj": "D"}, {"schaal": "KO", "op": ">=", "waarde": 14}]}


def test_scale_totals_add_the_items_of_each_scale():
    values = scores(2, FJ1=5, KO4=4, UZ3=1)
    # FJ: 5 + 2*4 = 13; KO: 2*3 + 4 = 10; ZZ: 3*2 = 6; UZ: 2 + 2 + 1 = 5
    assert scale_totals(values) == {"FJ": 13, "KO": 10, "ZZ": 6, "UZ": 5}


def test_no_rule_fires_gives_the_default_advice_without_a_rule():
    rs = parse_ruleset(
        {"standaardadvies": DIAGNOSTIEK, "regels": [rule("U1", NIET_VRIJ, 1, URGENT)]}
    )
    advice = evaluate(rs, scores(1), [])
    assert advice.advies == DIAGNOSTIEK
    assert advice.rule is None and advice.is_default
    assert advice.explanation()["regel"] is None


def test_the_rule_that_fires_is_named_with_its_conditions_and_values():
    rs = parse_ruleset({"regels": [rule("U1", NIET_VRIJ, 1, URGENT, "Hoge urgentie")]})
    advice = evaluate(rs, scores(1, UZ1=4, UZ2=4, UZ3=4), [])
    assert advice.advies == NIET_VRIJ
    assert advice.rule.code == "U1"
    (outcome,) = advice.explanation()["voorwaarden"]
    assert outcome == {
        "kind": "schaal",
        "subject": "UZ",
        "op": ">=",
        "value": "12",
        "actual": "12",
        "passed": True,
    }
    assert describe(outcome) == "Urgentie van de zorg (totaal): 12, regel vraagt >= 12"


def test_a_family_axis_condition_needs_both_the_axis_and_the_scale():
    rs = parse_ruleset({"regels": [rule("G1", NIET_VRIJ, 1, FAMILY)]})
    weak_environment = scores(1, KO1=4, KO2=4, KO3=3, KO4=3)  # KO total 14
    assert evaluate(rs, weak_environment, ["D201"]).advies == NIET_VRIJ
    assert evaluate(rs, weak_environment, ["A200"]).advies == VRIJ  # no family axis
    assert evaluate(rs, scores(1, KO1=4), ["D"]).advies == VRIJ  # KO total 7


def test_a_conflict_is_won_by_the_higher_priority_and_reports_the_overruled_rule():
    rs = parse_ruleset(
        {
            "regels": [
                rule("L1", VRIJ, 10, {"schaal": "ZZ", "op": "<=", "waarde": 9}),
                rule("U1", NIET_VRIJ, 30, URGENT),
            ]
        }
    )
    advice = evaluate(rs, scores(1, UZ1=5, UZ2=5, UZ3=5), [])
    assert advice.advies == NIET_VRIJ
    assert advice.rule.code == "U1"
    assert advice.conflict and not advice.tie
    assert advice.fired == ("L1", "U1")
    assert advice.overruled == (("L1", VRIJ),)


def test_a_tie_between_equal_priorities_is_won_by_the_tie_order():
    both = [
        rule("V1", VRIJ, 20, {"schaal": "FJ", "op": ">=", "waarde": 5}),
        rule("D1", DIAGNOSTIEK, 20, {"schaal": "FJ", "op": ">=", "waarde": 5}),
    ]
    default_order = evaluate(parse_ruleset({"regels": both}), scores(1), [])
    # default order: NRTJH before meer diagnostiek before RTJH
    assert default_order.advies == DIAGNOSTIEK and default_order.rule.code == "D1"
    assert default_order.tie and default_order.conflict
    own_order = parse_ruleset(
        {"regels": both, "volgorde_bij_gelijkstand": [VRIJ, NIET_VRIJ, DIAGNOSTIEK]}
    )
    assert evaluate(own_order, scores(1), []).rule.code == "V1"


def test_equal_priority_and_equal_advice_names_the_first_rule_in_the_list():
    rs = parse_ruleset(
        {
            "regels": [
                rule("Z1", NIET_VRIJ, 5, {"schaal": "ZZ", "op": ">=", "waarde": 3}),
                rule("Z2", NIET_VRIJ, 5, {"item": "ZZ1", "op": ">=", "waarde": 1}),
            ]
        }
    )
    advice = evaluate(rs, scores(1), [])
    assert advice.rule.code == "Z1"
    assert not advice.tie and not advice.conflict
    assert advice.overruled == (("Z2", NIET_VRIJ),)


def test_combinations_niet_een_van_highest_item_and_axis_count():
    rs = parse_ruleset(
        {
            "regels": [
                rule(
                    "D1",
                    DIAGNOSTIEK,
                    1,
                    {
                        "alle": [
                            {"aantal_assen": "ACDE", "op": ">=", "waarde": 3},
                            {"niet": {"hoogste_item": "UZ", "op": ">=", "waarde": 4}},
                            {
                                "een_van": [
                                    {"capj": ["E400", "C"]},
                                    {"item": "FJ4", "op": "==", "waarde": 5},
                                ]
                            },
                        ]
                    },
                )
            ]
        }
    )
    # axes A, D, E (B does not count): 3; highest UZ item 3; C100 matches the prefix C
    hit = evaluate(rs, scores(1, UZ2=3), ["A201", "B100", "D", "E401", "C100"])
    assert hit.advies == DIAGNOSTIEK
    assert evaluate(rs, scores(1, UZ2=4), ["A201", "D", "C100"]).advies == VRIJ  # UZ item 4
    assert evaluate(rs, scores(1), ["A201", "B100", "D"]).advies == VRIJ  # only 2 counted axes
    assert evaluate(rs, scores(1, FJ4=5), ["A", "D", "E"]).advies == DIAGNOSTIEK


def test_every_leaf_is_explained_even_after_the_outcome_is_known():
    rs = parse_ruleset({"regels": [rule("X", NIET_VRIJ, 1, {"een_van": [URGENT, {"capj": "D"}]})]})
    advice = evaluate(rs, scores(5), [])
    assert [o.kind for o in advice.outcomes] == ["schaal", "capj"]
    assert [o.passed for o in advice.outcomes] == [True, False]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"regels": [rule("A", "thuis", 1, URGENT)]}, "regel A: advies 'thuis' is onbekend"),
        ({"regels": [rule("A", VRIJ, 1, URGENT), rule("A", VRIJ, 1, URGENT)]}, "meer dan eens"),
        (
            {"regels": [rule("A", VRIJ, 1, {"schaal": "UZ", "op": ">=", "waarde": 16})]},
            "regel A: '>= 16' kan nooit waar zijn (de waarde ligt tussen 3 en 15)",
        ),
        (
            {"regels": [rule("A", VRIJ, 1, {"schaal": "XX", "op": ">=", "waarde": 1})]},
            "schaal 'XX' bestaat niet",
        ),
        (
            {"regels": [rule("A", VRIJ, 1, {"item": "UZ9", "op": ">=", "waarde": 1})]},
            "STEP-item 'UZ9' bestaat niet",
        ),
        (
            {"regels": [rule("A", VRIJ, 1, {"schaal": "UZ", "op": "=>", "waarde": 3})]},
            "operator '=>' is onbekend",
        ),
        ({"regels": [rule("A", VRIJ, 1, {"capj": "F100"})]}, "'F100' is geen CAP-J"),
        ({"regels": [rule("A", VRIJ, 1, {"alle": []})]}, "niet-lege lijst"),
        ({"regels": [rule("A", VRIJ, "hoog", URGENT)]}, "prioriteit 'hoog'"),
        ({"volgorde_bij_gelijkstand": [VRIJ], "regels": []}, "volgorde_bij_gelijkstand"),
        ({"regels": [{"code": "A", "advies": VRIJ}]}, "'als' (de voorwaarde) ontbreekt"),
    ],
)
def test_validation_names_the_rule_and_the_problem(data, message):
    with pytest.raises(RuleSetError) as error:
        parse_ruleset(data)
    assert any(message in problem for problem in error.value.problems), error.value.problems


def test_validation_lists_every_problem_at_once():
    data = {
        "regels": [
            rule("A", "x", 1, URGENT),
            rule("B", VRIJ, 1, {"schaal": "ZZ", "op": "<", "waarde": 3}),
        ]
    }
    with pytest.raises(RuleSetError) as error:
        parse_ruleset(data)
    assert len(error.value.problems) == 2


def test_the_starter_rule_set_is_valid():
    assert [r.code for r in parse_ruleset(engine.STARTER_RULESET).rules] == [
        "U1",
        "G1",
        "D1",
        "Z1",
        "L1",
    ]


def test_score_and_code_checks():
    assert invalid_scores(scores(3)) == []
    problems = invalid_scores({**scores(3), "FJ1": 6, "XX": 1} | {"UZ3": None})
    assert problems == [
        "item FJ1: waarde '6' ligt niet tussen 1 en 5",
        "item UZ3: ontbreekt",
        "item XX: onbekend STEP-item",
    ]
    assert invalid_capj_codes(["A", "A200", "A201", "E499", "F", "A900", "A20", "a200"]) == [
        "F",
        "A900",
        "A20",
        "a200",
    ]


leaf = st.one_of(
    st.fixed_dictionaries(
        {
            "schaal": st.sampled_from(["FJ", "KO", "ZZ", "UZ", "XX"]),
            "op": st.sampled_from([">=", "<", "==", "!=", "~"]),
            "waarde": st.integers(-2, 30),
        }
    ),
    st.fixed_dictionaries({"capj": st.sampled_from(["A", "D200", "D201", "Z"])}),
    st.fixed_dictionaries(
        {
            "item": st.sampled_from([*STEP_ITEM_CODES[:3], "NOPE"]),
            "op": st.just(">="),
            "waarde": st.integers(0, 6),
        }
    ),
)
condition = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"alle": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"een_van": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"niet": inner}),
    ),
    max_leaves=6,
)
rule_data = st.fixed_dictionaries(
    {
        "code": st.sampled_from(["R1", "R2", "R3", "R4"]),
        "advies": st.sampled_from([VRIJ, NIET_VRIJ, DIAGNOSTIEK]),
        "prioriteit": st.integers(0, 3),
        "als": condition,
    }
)
score_data = st.fixed_dictionaries({code: st.integers(1, 5) for code in STEP_ITEM_CODES})


@settings(deadline=None)  # the machine is shared; the property, not the speed, is tested
@given(
    st.lists(rule_data, max_size=5), score_data, st.lists(st.sampled_from(["A200", "D", "E401"]))
)
def test_a_valid_rule_set_always_gives_an_advice_from_a_fired_top_rule(rules, values, codes):
    try:
        rs = parse_ruleset({"regels": rules})
    except RuleSetError as error:
        assert error.problems
        return
    advice = evaluate(rs, values, codes)
    assert advice.advies in engine.ADVICES
    if advice.rule is None:
        assert advice.fired == ()
    else:
        fired = [r for r in rs.rules if r.code in advice.fired]
        assert advice.rule in fired
        assert advice.rule.prioriteit == max(r.prioriteit for r in fired)
        assert advice.conflict == any(r.advies != advice.advies for r in fired)
