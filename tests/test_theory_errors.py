"""Every bad input raises InvalidDistribution with a message that names the problem."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from theory import (
    InvalidDistribution,
    Joint,
    PushforwardJoint,
    co_information,
    entropy,
    kl_divergence,
    mutual_information,
)

GOOD = [[0.25, 0.25], [0.25, 0.25]]


@pytest.mark.parametrize(
    "table, names, match",
    [
        ([[0.5, np.nan], [0.25, 0.25]], ("A", "B"), r"non-finite probability nan at cell \(0, 1\)"),
        ([[0.5, np.inf], [0.25, 0.25]], ("A", "B"), r"non-finite probability inf at cell \(0, 1\)"),
        ([[0.75, -0.25], [0.25, 0.25]], ("A", "B"), r"negative probability -0.25 at cell \(0, 1\)"),
        ([[0.5, 0.25], [0.25, 0.25]], ("A", "B"), r"sum to 1.25, not 1"),
        ([0.5, 0.5 + 2e-9], ("A",), r"off by 2.0e-09"),
        ([F(1, 2), F(1, 3)], ("A",), r"exact probabilities sum to 5/6, not exactly 1"),
        ([F(3, 2), F(-1, 2)], ("A",), r"negative probability -1/2 at cell \(1,\)"),
        (GOOD, ("A",), r"1 names \('A',\) for a table with 2 axes"),
        (GOOD, ("A", "A"), r"duplicate variable names: A"),
        (GOOD, ("A", ""), r"non-empty strings"),
        ([], ("A",), r"empty table"),
        (np.zeros((2, 0)), ("A", "B"), r"empty table"),
        (["a", "b"], ("A",), r"non-numeric cells: dtype <U1"),
        (np.array([0.5, "x"], dtype=object), ("A",), r"non-numeric cell \(1,\): 'x'"),
        (np.array([F(1, 2), 0.5], dtype=object), ("A",), r"mixes exact cells"),
        ([[0.5, 0.5], [0.5]], ("A", "B"), r"not a rectangular table"),
    ],
)
def test_bad_tables(table, names, match):
    with pytest.raises(InvalidDistribution, match=match):
        Joint(table, names=names)


def test_float_sum_within_tolerance_is_accepted_not_renormalised():
    J = Joint([0.5, 0.5 + 5e-10], names=("A",))
    assert J.probabilities[1] == 0.5 + 5e-10


def test_invalid_distribution_is_a_value_error():
    assert issubclass(InvalidDistribution, ValueError)


def test_bad_weights():
    with pytest.raises(InvalidDistribution, match="weights sum to 0"):
        Joint.from_weights([0, 0], names=("A",))
    with pytest.raises(InvalidDistribution, match=r"negative weight -1 at cell \(1,\)"):
        Joint.from_weights([1, -1, 2], names=("A",))
    with pytest.raises(InvalidDistribution, match="non-finite weight"):
        Joint.from_weights([1.0, np.nan], names=("A",))


def test_unknown_variable_in_query():
    J = Joint(GOOD, names=("A", "B"))
    with pytest.raises(InvalidDistribution, match=r"unknown variable 'Q'; this joint has A, B"):
        entropy(J, "Q")
    with pytest.raises(InvalidDistribution, match=r"unknown variable 'Q'"):
        mutual_information(J, "A", "B", given=("Q",))
    with pytest.raises(InvalidDistribution, match=r"unknown variable 'Q'"):
        J.marginal("Q")
    with pytest.raises(InvalidDistribution, match="variable names must be strings"):
        entropy(J, [0])
    with pytest.raises(InvalidDistribution, match="x: no variable given"):
        entropy(J, ())
    with pytest.raises(InvalidDistribution, match="y: no variable given"):
        mutual_information(J, "A", [])


@pytest.mark.parametrize("base", [0, -2, 1, 1.0, "two", None, True, float("inf")])
def test_bad_base(base):
    J = Joint(GOOD, names=("A", "B"))
    with pytest.raises(InvalidDistribution, match="base must be"):
        entropy(J, "A", base=base)


def test_kl_mismatches_and_infinity():
    P = Joint(GOOD, names=("A", "B"))
    with pytest.raises(InvalidDistribution, match=r"P has variables \('A', 'B'\) but Q has \('A', 'C'\)"):
        kl_divergence(P, Joint(GOOD, names=("A", "C")))
    with pytest.raises(InvalidDistribution, match="P has shape"):
        kl_divergence(P, Joint(np.full((2, 3), 1 / 6), names=("A", "B")))
    assert kl_divergence(P, Joint([[0.5, 0.5], [0, 0]], names=("A", "B"))) == float("inf")
    # the same variables in another order are matched by name
    Q = Joint([[0.1, 0.2], [0.3, 0.4]], names=("A", "B"))
    assert kl_divergence(P, Q.marginal("B", "A")) == pytest.approx(kl_divergence(P, Q), abs=1e-15)


def test_pushforward_bad_functions():
    latent = Joint(GOOD, names=("C", "A"))
    with pytest.raises(InvalidDistribution, match=r"function 'X' has shape \(3,\), expected the latent shape \(2, 2\)"):
        PushforwardJoint(latent, {"X": np.zeros(3, dtype=int)})
    with pytest.raises(InvalidDistribution, match="must hold integer ids"):
        PushforwardJoint(latent, {"X": np.zeros((2, 2))})
    with pytest.raises(InvalidDistribution, match="duplicate variable name 'A'"):
        PushforwardJoint(latent, {"A": np.zeros((2, 2), dtype=int)})
    with pytest.raises(InvalidDistribution, match="at least one function"):
        PushforwardJoint(latent, {})


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda J: entropy(J, []), r"^x: no variable given"),
        (lambda J: entropy(J, "A", given=[1]), r"^given: variable names must be strings, got 1"),
        (lambda J: mutual_information(J, [], "B"), r"^x: no variable given"),
        (lambda J: mutual_information(J, "A", []), r"^y: no variable given"),
        (lambda J: mutual_information(J, "A", "B", given=[2]), r"^given: variable names must be strings, got 2"),
        (lambda J: co_information(J, "A"), r"^co_information needs at least two variables, got 1"),
        (lambda J: co_information(J, "A", []), r"^variable 1: no variable given"),
    ],
)
def test_a_bad_variable_argument_is_named_in_the_message(call, match):
    with pytest.raises(InvalidDistribution, match=match):
        call(Joint(GOOD, names=("A", "B")))


def test_kl_of_an_exact_and_a_float_joint_is_a_float():
    exact = Joint([F(1, 2), F(1, 2)], names=("A",))
    floats = Joint([0.25, 0.75], names=("A",))
    value = kl_divergence(exact, floats)
    assert isinstance(value, float) and value == pytest.approx(0.5 * np.log2(2) + 0.5 * np.log2(2 / 3))
