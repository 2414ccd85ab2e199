"""Information expressions: canonical forms, arithmetic, parser, errors, numeric evaluation."""

from __future__ import annotations

import doctest
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import proofs_check.prover.expressions as expressions_module
from proofs_check.prover.expressions import (
    ExpressionSyntaxError,
    InfoExpression,
    InfoRelation,
    entropy,
    mutual_information,
    parse_expression,
    parse_relation,
)


def H(*names: str) -> InfoExpression:
    """Joint entropy H(names) as a one-term expression."""
    return InfoExpression({frozenset(names): 1})


# ---------------------------------------------------------------- canonical forms


@pytest.mark.parametrize(
    "text, expected",
    [
        ("H(A)", H("A")),
        ("H(A|Z)", H("A", "Z") - H("Z")),
        ("H(A,C|Z)", H("A", "C", "Z") - H("Z")),
        ("I(A;Z)", H("A") + H("Z") - H("A", "Z")),
        ("I(A;Z|C)", H("A", "C") + H("Z", "C") - H("A", "Z", "C") - H("C")),
        ("I(A1,A2;C|Z)", H("A1", "A2", "Z") + H("C", "Z") - H("A1", "A2", "C", "Z") - H("Z")),
        ("2*I(A;B)", 2 * (H("A") + H("B") - H("A", "B"))),
        ("1/2 H(A)", F(1, 2) * H("A")),
        ("0.25 H(A)", F(1, 4) * H("A")),
        ("-(H(A) - 2 H(B))/3", F(-1, 3) * H("A") + F(2, 3) * H("B")),
        ("(H(A))", H("A")),
        ("3 (H(A) + H(B))", 3 * H("A") + 3 * H("B")),
        ("I(A;A)", H("A")),
        ("H(A|A)", InfoExpression()),
        ("I(A;B|A)", InfoExpression()),
        ("H(A,A)", H("A")),
        ("0", InfoExpression()),
        ("0 + H(Xbar)", H("Xbar")),
        ("H(A) − H(A)", InfoExpression()),
        ("I(H;I)", H("H") + H("I") - H("H", "I")),
    ],
)
def test_parse_gives_the_joint_entropy_expansion(text: str, expected: InfoExpression) -> None:
    assert parse_expression(text) == expected


def test_explaining_away_combination_is_the_marginal_information() -> None:
    # I(A;Z) - I(A;Z|C) + I(A;C|Z) = I(A;C): the chain rule for I(A; C, Z) two ways.
    assert parse_expression("I(A;Z) - I(A;Z|C) + I(A;C|Z)") == parse_expression("I(A;C)")


def test_constructors_match_the_parser() -> None:
    assert entropy(["A", "C"], given="Z") == parse_expression("H(A,C|Z)")
    assert mutual_information(["A1", "A2"], "C", given=["Z"]) == parse_expression("I(A1,A2;C|Z)")
    assert mutual_information("X", "Y", "Z") == mutual_information("Y", "X", "Z")


@pytest.mark.parametrize(
    "text",
    [
        "I(A;Z) - I(A;Z|C) + I(A;C|Z)",
        "H(A|Z)",
        "H(A,C|Z)",
        "I(A1,A2;C|Z)",
        "2*I(A;B)",
        "1/2 H(A)",
        "-1/3 H(A10,A2) + 7 I(Xbar;Abar|C,S)",
        "0",
    ],
)
def test_str_round_trips(text: str) -> None:
    expr = parse_expression(text)
    assert parse_expression(str(expr)) == expr


_NAMES = ["A", "C", "Z", "Abar", "A1", "A10"]
_subsets = st.frozensets(st.sampled_from(_NAMES), min_size=1, max_size=4)
_coefficients = st.builds(F, st.integers(-9, 9), st.integers(1, 7))


@given(st.dictionaries(_subsets, _coefficients, max_size=6))
def test_str_round_trips_on_random_expressions(terms: dict) -> None:
    expr = InfoExpression(terms)
    assert parse_expression(str(expr)) == expr
    assert all(value != 0 for value in expr.terms.values())


def test_str_is_readable_and_canonical() -> None:
    assert str(parse_expression("H(B,A) - 2 H(A) + 1/2 H(C)")) == "-2 H(A) + 1/2 H(C) + H(A,B)"
    assert str(parse_expression("H(A10) + H(A2)")) == "H(A2) + H(A10)"
    assert str(InfoExpression()) == "0"
    assert repr(H("A")) == "InfoExpression('H(A)')"


# ---------------------------------------------------------------- arithmetic


def test_arithmetic_is_exact_and_immutable() -> None:
    a, b = parse_expression("H(A)"), parse_expression("H(B)")
    assert a + b - b == a
    assert (a * F(1, 3)) * 3 == a
    assert (a + b) / 2 == F(1, 2) * a + F(1, 2) * b
    assert -(-a) == a
    assert a - a == 0 and (a - a).is_zero()
    assert hash(parse_expression("I(A;B)")) == hash(parse_expression("I(B;A)"))
    assert (a + b).coefficient(["A"]) == 1 and (a + b).coefficient("C") == 0
    assert (a + b).variables == frozenset({"A", "B"})
    with pytest.raises(TypeError):
        a.terms[frozenset({"A"})] = F(2)  # type: ignore[index]


@pytest.mark.parametrize("bad", [0.5, "2", None, True])
def test_non_exact_scalars_are_rejected(bad: object) -> None:
    with pytest.raises(TypeError):
        parse_expression("H(A)") * bad


def test_products_and_bad_divisions_are_rejected() -> None:
    with pytest.raises(TypeError, match="not linear"):
        H("A") * H("B")
    with pytest.raises(ZeroDivisionError):
        H("A") / 0


@pytest.mark.parametrize(
    "terms, error",
    [
        ({frozenset(): 1}, ValueError),
        ({frozenset({"1A"}): 1}, ValueError),
        ({("A",): 1}, TypeError),
        ({frozenset({"A"}): 0.5}, TypeError),
    ],
)
def test_constructor_rejects_bad_terms(terms: dict, error: type) -> None:
    with pytest.raises(error):
        InfoExpression(terms)


# ---------------------------------------------------------------- relations


@pytest.mark.parametrize(
    "text, kind, expression",
    [
        ("I(A;Z) <= I(A;Z|C)", ">=", "I(A;Z|C) - I(A;Z)"),
        ("I(A;Z) >= I(A;Z|C) - H(C|Z)", ">=", "I(A;Z) - I(A;Z|C) + H(C|Z)"),
        ("I(A;C) = 0", "=", "I(A;C)"),
        ("I(A;C) == 0", "=", "I(A;C)"),
        ("H(A) ≥ 0", ">=", "H(A)"),
        ("H(A) ≤ H(A,B)", ">=", "H(B|A)"),
        ("0 <= H(X|Xbar,A)", ">=", "H(X|Xbar,A)"),
    ],
)
def test_relations_normalize_to_one_side(text: str, kind: str, expression: str) -> None:
    relation = parse_relation(text)
    assert relation.kind == kind
    assert relation.expression == parse_expression(expression)
    assert str(relation) == text


def test_relation_variables_in_written_order() -> None:
    relation = parse_relation("I(Z;A|C) >= H(Abar|A)")
    assert relation.ordered_variables() == ("Z", "A", "C", "Abar")
    assert relation.variables == frozenset({"Z", "A", "C", "Abar"})
    built = InfoRelation(H("B"), ">=", H("A10") - H("A2"))
    assert built.ordered_variables() == ("A2", "A10", "B")
    with pytest.raises(ValueError, match="operator"):
        InfoRelation(H("A"), ">", H("B"))


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "text, position, fragment",
    [
        ("I(A;Z", 5, "expected ')'"),
        ("H(A)+1", 5, "constant term"),
        ("I(A;B;)", 6, "variable name"),
        ("H(A) H(B)", 5, "operator"),
        ("X + H(A)", 0, "bare name 'X'"),
        ("H(A)*H(B)", 5, "not linear"),
        ("H(A)/H(B)", 5, "divide by a number"),
        ("H(A)/0", 5, "division by zero"),
        ("H()", 2, "variable name"),
        ("H(A;B)", 3, "one variable list"),
        ("I(A)", 3, "separated by ';'"),
        ("H(A,)", 4, "variable name"),
        ("H A", 2, "expected '('"),
        ("H(A) & 2", 5, "unexpected character '&'"),
        ("H(A) >= 0", 5, "relation is not an expression"),
        ("1", 0, "nonzero number"),
        ("", 0, "found end of input"),
        ("H(A))", 4, "unexpected ')'"),
    ],
)
def test_expression_errors_show_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse_expression(text)
    assert info.value.position == position
    assert fragment in str(info.value)
    assert str(info.value).endswith("\n  " + " " * position + "^")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "text, position, fragment",
    [
        ("H(A)", 4, "expected '>=', '<=' or '='"),
        ("H(A) >= 0 >= H(B)", 10, "only one comparison"),
        ("H(A) >= ", 8, "found end of input"),
        ("H(A) >= 2", 8, "nonzero number"),
    ],
)
def test_relation_errors_show_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse_relation(text)
    assert info.value.position == position
    assert fragment in str(info.value)


def test_non_strings_are_rejected() -> None:
    with pytest.raises(TypeError):
        parse_expression(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_relation(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- numeric evaluation


def _entropy_of_table(table: np.ndarray, names: tuple[str, ...]):
    """entropy_of(subset) in bits for a dense joint table with one axis per name."""

    def entropy_of(subset: frozenset[str]) -> float:
        other = tuple(i for i, n in enumerate(names) if n not in subset)
        p = table.sum(axis=other).ravel()
        p = p[p > 0]
        return float(-(p * np.log2(p)).sum())

    return entropy_of


def test_evaluate_on_a_collider() -> None:
    # A, C independent fair bits, X = A xor C: I(A;C) = 0 but I(A;C|X) = 1 bit.
    table = np.zeros((2, 2, 2))
    for a in range(2):
        for c in range(2):
            table[a, c, a ^ c] = 0.25
    entropy_of = _entropy_of_table(table, ("A", "C", "X"))
    assert parse_expression("I(A;C)").evaluate(entropy_of) == pytest.approx(0, abs=1e-12)
    assert parse_expression("I(A;C|X)").evaluate(entropy_of) == pytest.approx(1)
    assert parse_expression("H(A,C,X)").evaluate(entropy_of) == pytest.approx(2)
    assert parse_relation("I(A;X) <= I(A;X|C)").holds_on(entropy_of)
    assert not parse_relation("I(A;C|X) <= I(A;C)").holds_on(entropy_of)
    assert parse_relation("I(A;C|X) = 1/2 H(A,C)").slack(entropy_of) == pytest.approx(0)


def test_evaluate_matches_a_direct_formula_on_random_tables() -> None:
    rng = np.random.default_rng(0)
    for _ in range(5):
        table = rng.dirichlet(np.ones(24)).reshape(2, 3, 4)
        entropy_of = _entropy_of_table(table, ("A", "B", "C"))
        p_ab, p_a, p_b = table.sum(2), table.sum((1, 2)), table.sum((0, 2))
        direct = float((p_ab * np.log2(p_ab / np.outer(p_a, p_b))).sum())
        assert parse_expression("I(A;B)").evaluate(entropy_of) == pytest.approx(direct, abs=1e-12)


def test_evaluate_is_exact_on_fractions() -> None:
    h = {frozenset("A"): F(1, 2), frozenset("B"): F(1, 3), frozenset("AB"): F(2, 3)}
    assert parse_expression("I(A;B)").evaluate(h.__getitem__) == F(1, 6)


def test_docstring_examples() -> None:
    assert doctest.testmod(expressions_module).failed == 0


# ---------------------------------------------------------------- co-information and primes


def test_co_information_has_mcgills_sign_and_any_number_of_arguments() -> None:
    assert parse_expression("I(X;Y;Z)") == parse_expression("I(X;Y) - I(X;Y|Z)")
    assert parse_expression("I(X;Y;Z)") == parse_expression("I(Z;X;Y)")  # symmetric
    assert parse_expression("I(A;B;C;D|E)") == parse_expression("I(A;B;C|E) - I(A;B;C|D,E)")
    assert parse_expression("I(A,B;C;D)") == parse_expression("I(A,B;C) - I(A,B;C|D)")


def test_co_information_matches_the_engine_on_xor() -> None:
    from theory import Joint, co_information, entropy

    # X, Y fair bits, Z = X xor Y: McGill's co-information is -1 bit
    table = [[[0.25, 0.0], [0.0, 0.25]], [[0.0, 0.25], [0.25, 0.0]]]
    J = Joint(table, names=("X", "Y", "Z"))
    value = parse_expression("I(X;Y;Z)").evaluate(lambda names: entropy(J, sorted(names)))
    assert value == pytest.approx(-1.0) == co_information(J, "X", "Y", "Z")


def test_primed_names_are_variables() -> None:
    e = parse_expression("I(X;X') + H(Z1''|X)")
    assert e.variables == frozenset({"X", "X'", "Z1''"})
    assert str(parse_relation("I(X';Y) <= H(X')").expression)


def test_the_prover_takes_primed_and_co_information_statements() -> None:
    from proofs_check.prover import prove

    assert prove("I(X;X') >= 0").proved
    assert prove("I(X;Y;Z) = I(X;Y) - I(X;Y|Z)").proved
    assert not prove("I(X;Y;Z) >= 0").proved  # XOR makes it -1
