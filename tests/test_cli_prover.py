"""The prover's command line and the counterexample search."""

from __future__ import annotations

import json

import pytest

from essl_testbed.cli import main
from proofs_check.prover.counterexamples import find_counterexample, relation_slack
from theory import mutual_information


def test_prove_prints_an_exact_derivation(capsys):
    assert main(["prove", "I(A;Z) = I(A;Z|C) - I(A;C|Z)", "--given", "I(A;C) = 0"]) == 0
    out = capsys.readouterr().out
    assert "Under: I(A;C) = 0" in out and out.rstrip().endswith("∎")


def test_unprovable_statement_comes_with_a_violating_table(capsys):
    assert main(["prove", "I(A;Z) <= I(A;Z|C)"]) == 1
    out = capsys.readouterr().out
    assert "not provable by Shannon-type inequalities" in out
    assert "p(0, 0, 0) = 1/2" in out and "p(1, 1, 1) = 1/2" in out


def test_prove_json_and_syntax_error(capsys):
    assert main(["prove", "I(X;Y|Z) >= 0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["proved"] is True
    assert main(["prove", "I(A;B >= 0"]) == 2
    assert "error" in capsys.readouterr().err


def test_statements_all_as_expected(capsys):
    assert main(["statements"]) == 0
    out = capsys.readouterr().out
    assert "UNEXPECTED" not in out and "t1_identity_without_independence" in out


def test_statements_from_the_full_causal_model(capsys):
    assert main(["statements", "--causal"]) == 0
    assert "UNEXPECTED" not in capsys.readouterr().out


def test_counterexample_to_t1_without_independence_is_small_and_real():
    J = find_counterexample("I(A;Z) = I(A;Z|C) - I(A;C|Z)")
    assert J is not None and max(J.shape) <= 2
    assert relation_slack("I(A;Z) = I(A;Z|C) - I(A;C|Z)", J) != 0
    assert mutual_information(J, "A", "C") > 0  # the dropped assumption is what fails


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_no_counterexample_when_the_assumption_is_kept():
    assert find_counterexample("I(A;Z) <= I(A;Z|C)", ["I(A;C) = 0"], max_examples=300) is None
