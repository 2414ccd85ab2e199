"""The field's notation (ITIP, Xitip, Citip, PSITIP habits) from the Python API and the CLI."""

from __future__ import annotations

import pytest

from essl_testbed.cli import main
from proofs_check.prover import ProverInputError, parse_relation, prove
from proofs_check.prover.notation import parse_statements


def relations(text: str) -> list[str]:
    return [str(r) for r in parse_statements(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("X -> Y -> Z", ["I(X;Z|Y) = 0"]),
        ("X → Y → Z", ["I(X;Z|Y) = 0"]),
        ("X/Y/Z", ["I(X;Z|Y) = 0"]),
        ("A -> B -> C -> D", ["I(A;C,D|B) = 0", "I(A,B;D|C) = 0"]),
        ("X,Y -> Z -> W", ["I(X,Y;W|Z) = 0"]),
        ("X _|_ Y", ["I(X;Y) = 0"]),
        ("X ⊥ Y | Z", ["I(X;Y|Z) = 0"]),
        ("X ⊥⊥ Y,W | Z", ["I(X;Y,W|Z) = 0"]),
        ("X.Y", ["I(X;Y) = 0"]),
        ("X.Y|Z", ["I(X;Y|Z) = 0"]),
        ("Y = f(X)", ["H(Y|X) = 0"]),
        ("Y = g(X1, X2)", ["H(Y|X1,X2) = 0"]),
        ("X:Y", ["H(Y|X) = 0"]),
        ("0 <= I(X;Y) <= H(X)", ["0 <= I(X;Y)", "I(X;Y) <= H(X)"]),
        ("I(A;B) >= 0", ["I(A;B) >= 0"]),
    ],
)
def test_each_notation_means_its_relations(text, expected):
    assert relations(text) == expected


def test_the_expanded_relations_are_the_right_quantities():
    (chain,) = parse_statements("X -> Y -> Z")
    assert chain.expression == parse_relation("I(X;Z|Y) = 0").expression
    (function,) = parse_statements("Y = f(X)")
    assert function.expression == parse_relation("H(X,Y) - H(X) = 0").expression


@pytest.mark.parametrize(
    "statement, given",
    [
        ("I(X;Z) <= I(X;Y)", ["X -> Y -> Z"]),  # data processing
        ("I(X;Z) <= I(Y;Z)", ["X/Y/Z"]),
        ("H(Y) <= H(X)", ["Y = f(X)"]),
        ("H(Y) <= H(X)", ["X:Y"]),
        ("I(X;Y|Z) = 0", ["X _|_ Y,Z"]),
        ("I(A;D) <= I(B;C)", ["A -> B -> C -> D"]),
    ],
)
def test_constraints_in_the_fields_notation_prove_the_textbook_consequences(statement, given):
    assert prove(statement, given).proved
    assert not prove(statement).proved  # the constraint is what makes it hold


def test_a_statement_meaning_several_relations_is_proved_one_by_one(capsys):
    with pytest.raises(ProverInputError, match="means 2 relations"):
        prove("0 <= I(X;Y) <= H(X)")
    assert main(["prove", "0 <= I(X;Y) <= H(X)"]) == 0
    out = capsys.readouterr().out
    assert "[1 of 2] 0 <= I(X;Y)" in out and "[2 of 2] I(X;Y) <= H(X)" in out


def test_the_cli_takes_markov_chains_as_given(capsys):
    assert main(["prove", "I(X;Z) <= I(X;Y)", "--given", "X -> Y -> Z"]) == 0
    assert "∎" in capsys.readouterr().out
    assert main(["prove", "I(X;Z) <= I(X;Y)", "--no-counterexample"]) == 1


def test_itip_concatenation_is_refused_with_both_readings_or_read_as_a_joint(capsys):
    with pytest.raises(ProverInputError, match="'XY' is read as one new variable, but X, Y are variables"):
        prove("H(XY) <= H(X) + H(Y)")
    assert prove("H(XY) <= H(X) + H(Y)", itip=True).proved
    assert prove("I(X;Z) <= I(X;Y)", ["X/Y/Z"], itip=True).proved
    assert prove("H(XY) >= 0").proved  # no X or Y alone: XY is simply a variable
    assert main(["prove", "H(XY) <= H(X) + H(Y)"]) == 2
    assert "--itip" in capsys.readouterr().err
    assert main(["prove", "H(XY) <= H(X) + H(Y)", "--itip"]) == 0


# ---------------------------------------------------------------- counterexamples


@pytest.mark.parametrize(
    "family, statement",
    [
        ("xor: A, B, C fair bits, D = A xor B xor C", "I(A,B,C;D) <= I(A;D) + I(B;D) + I(C;D)"),
        ("copies: X = Y = Z, W constant", "I(X;Y;Z) <= H(W)"),
        ("parities: Z = W = X xor Y", "I(X;Y) >= I(Z;W|X)"),
        ("xor, three-way", "I(X;Y;Z) >= 0"),
    ],
)
def test_structured_counterexamples_are_found_in_seconds(family, statement):
    from proofs_check.prover.counterexamples import relation_slack, search_counterexample

    search = search_counterexample(statement, seconds=5)
    assert search.joint is not None, family
    assert search.seconds < 3 and search.method.startswith("linear over GF(")
    assert float(relation_slack(statement, search.joint)) < -1e-9  # checked again on the exact table
    assert search.describe().startswith("False: a distribution where it fails")


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_a_true_non_shannon_inequality_ends_with_the_honest_message_within_the_bound(capsys):
    zhang_yeung = "2*I(C;D) <= I(A;B) + I(A;C,D) + 3*I(C;D|A) + I(C;D|B)"
    assert main(["prove", zhang_yeung, "--search-seconds", "1"]) == 1
    out = capsys.readouterr().out
    assert "Not Shannon-type, and no counterexample among" in out and "it may still hold" in out
    from proofs_check.prover.counterexamples import search_counterexample

    search = search_counterexample(zhang_yeung, seconds=1)
    assert search.joint is None and search.seconds < 1.5 and search.candidates > 1000
