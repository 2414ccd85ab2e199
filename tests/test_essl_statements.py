"""The E-SSL statements (as formalized in this project) on drawn causal models."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import event, given, settings, target
from hypothesis import strategies as st

from proofs_check.strategies import essl_models, functions, joints, shortcut_models
from theory import Joint, PushforwardJoint, mutual_information
from theory.essl import (
    class_relevance,
    explaining_away_identity,
    fine_grained,
    lossy_transformation,
    multivariate,
    shortcut_pruning,
)

models = st.one_of(essl_models(), essl_models(exact=True), essl_models(collide=True))
collisions = st.one_of(essl_models(collide=True), essl_models(collide=True, exact=True))


def explaining_away_positive(J, z: str = "Z") -> bool:
    """Record (and steer hypothesis toward) a positive explaining-away term I(A;C|z)."""
    value = float(mutual_information(J, "A", "C", given=z))
    target(value, label=f"I(A;C|{z})")
    event(f"I(A;C|{z}) > 0" if value > 1e-9 else f"I(A;C|{z}) = 0")
    return value > 1e-9


def action_function(J, values: np.ndarray) -> np.ndarray:
    """A function of the A axis of an essl model, broadcast to the joint's shape."""
    shape = [1] * len(J.shape)
    shape[J.names.index("A")] = -1
    return np.broadcast_to(values.reshape(shape), J.shape).copy()


@given(models)
def test_t1_and_principles_hold_on_every_model(J):
    explaining_away_positive(J)
    for report in (
        explaining_away_identity(J, "A", "C", "Z"),
        explaining_away_identity(J, "A", "C", "X"),
        lossy_transformation(J, "A", "C", "Z"),
        shortcut_pruning(J, "A", "C", "S", "Z"),
        shortcut_pruning(J, "A", "C", ("S", "Abar"), "X"),
    ):
        assert report.holds, str(report)
    relevance = class_relevance(J, "A", "C", "X")
    assert relevance.relations[1].holds and relevance.relations[2].holds and not relevance.failed_preconditions


@given(essl_models(exact=True))
def test_exact_models_give_exact_zero_slack(J):
    report = explaining_away_identity(J, "A", "C", "Z")
    assert report.slack == 0  # exact: the identity's residual cancels to the integer 0


@given(essl_models(n_actions=st.sampled_from([2, 4, 6]), collide=True), st.data())
def test_t2_fine_grained(J, data):
    n = J.shape[J.names.index("A")]
    coarse = data.draw(functions(n, max(1, n // 2)))
    K = PushforwardJoint(J, {"Acoarse": action_function(J, coarse)})
    explaining_away_positive(K, "Z")
    report = fine_grained(K, fine="A", coarse="Acoarse", c="C", z="Z")
    event("T2 strict" if report.slack > 1e-9 else "T2 tight")
    assert report.holds, str(report)


@given(essl_models(n_actions=st.sampled_from([4, 6]), collide=True))
def test_t3_multivariate(J):
    n = J.shape[J.names.index("A")]
    a = np.arange(n)
    K = PushforwardJoint(J, {"A1": action_function(J, a // 2), "A2": action_function(J, a % 2)})
    explaining_away_positive(K, "Z")
    report = multivariate(K, "A1", "A2", "C", "Z")
    assert report.holds, str(report)


def test_the_drawn_models_exercise_the_explaining_away_term():
    """Most drawn collision models have a positive I(A;C|Z), so T1-T3 are tested where they
    say something (a fixed seed: counts vary between runs)."""
    counts = {"models": 0, "I(A;C|X) > 0": 0, "I(A;C|Z) > 0": 0, "two classes or more": 0}

    @settings(max_examples=60, derandomize=True, database=None)
    @given(collisions)
    def count(J):
        counts["models"] += 1
        counts["two classes or more"] += J.shape[0] >= 2
        counts["I(A;C|X) > 0"] += float(mutual_information(J, "A", "C", given="X")) > 1e-9
        counts["I(A;C|Z) > 0"] += float(mutual_information(J, "A", "C", given="Z")) > 1e-9

    count()
    assert counts["models"] == 60 and counts["two classes or more"] == 60, counts
    assert counts["I(A;C|X) > 0"] >= 50 and counts["I(A;C|Z) > 0"] >= 30, counts


@given(shortcut_models())
def test_a_cheap_statistic_that_reveals_a_leaves_nothing_for_the_class(J):
    relevance = class_relevance(J, "A", "C", "G")
    assert relevance.terms["I(A;C|G)"] == pytest.approx(0, abs=1e-12) and not relevance.relations[0].holds
    assert relevance.relations[1].holds and relevance.relations[2].holds and not relevance.failed_preconditions
    assert mutual_information(J, "A", "G") == pytest.approx(float(mutual_information(J, "A", "A")), abs=1e-12)
    assert explaining_away_identity(J, "A", "C", "Z").holds


def test_precondition_violation_is_reported_not_hidden():
    """A copies C: T1's identity is off by exactly I(A;C) and the report names the assumption."""
    J = Joint.from_weights([[[1, 0], [0, 0]], [[0, 0], [0, 1]]], names=("C", "A", "Z"))
    report = explaining_away_identity(J, "A", "C", "Z")
    assert report.failed_preconditions == ("A independent of C: I(A;C) = 0",)
    assert not report.holds
    identity = report.relations[0]
    assert not identity.holds and identity.slack == 1  # I(A;Z) - (I(A;Z|C) - I(A;C|Z)) = I(A;C) = 1 bit
    assert "VIOLATED" in str(report)


def test_t2_flags_a_coarse_variable_that_is_not_a_function():
    J = Joint.from_weights(np.ones((2, 2, 2, 2)), names=("C", "Afine", "A", "Z"))
    report = fine_grained(J)
    assert "A is a function of Afine: H(A|Afine) = 0" in report.failed_preconditions
    assert not report.holds


def test_t3_flags_dependent_actions():
    J = Joint.from_weights(np.einsum("ab,c,z->abcz", np.eye(2), np.ones(2), np.ones(2)), names=("A1", "A2", "C", "Z"))
    report = multivariate(J)
    assert report.failed_preconditions == ("A1 independent of A2: I(A1;A2) = 0",)


def test_class_relevance_six_nine_vs_class_blind_view():
    six_nine = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))
    assert class_relevance(six_nine, "A", "C", "X").holds
    blind = Joint.from_weights(np.einsum("c,ax->cax", np.ones(2, int), np.eye(2, dtype=int)), names=("C", "A", "X"))
    report = class_relevance(blind, "A", "C", "X")
    assert not report.holds and report.terms["I(A;C|X)"] == 0


def test_lossy_principle_is_tight_for_six_nine():
    J = Joint([[[F(1, 4), 0], [0, F(1, 4)]], [[0, F(1, 4)], [F(1, 4), 0]]], names=("C", "A", "Z"))
    report = lossy_transformation(J)
    assert report.holds and report.slack == 0  # I(A;C|Z) = H(A|Z) = 1 bit


@given(joints(("A", "C", "Z"), alphabet_sizes=st.integers(1, 3)))
def test_t1s_residual_is_exactly_the_dependence_of_a_on_c(J):
    """Without A ⊥ C the identity is off by I(A;C) (the chain rule), no more and no less."""
    report = explaining_away_identity(J)
    residual = report.relations[0].lhs - report.relations[0].rhs
    assert float(residual) == pytest.approx(float(mutual_information(J, "A", "C")), abs=1e-10)
    assert report.relations[0].holds == (not report.failed_preconditions)


def test_float_tolerance_is_a_parameter():
    p = np.full((2, 2, 2), 0.125)
    p[[0, 1], [0, 1], :] += 1e-4  # a faint dependence of A on C with unchanged marginals
    p[[0, 1], [1, 0], :] -= 1e-4
    J = Joint(p, names=("C", "A", "Z"))
    assert not explaining_away_identity(J, tol=1e-12).holds
    assert explaining_away_identity(J, tol=1e-5).holds


def test_difference_sign_is_exact_for_sympy_and_within_tol_for_floats():
    import sympy

    from theory.essl import _difference_sign

    assert [_difference_sign(v, 1e-9) for v in (0.5, -0.5, 1e-9, -1e-9, 2e-9, -2e-9)] == [1, -1, 0, 0, 1, -1]
    tiny = sympy.log(3) / sympy.log(2) - sympy.Rational(1584962500721156, 10**15)  # log2(3) just above
    assert _difference_sign(tiny, 1e-3) == 1 and _difference_sign(-tiny, 1e-3) == -1
    assert _difference_sign(sympy.log(4) - 2 * sympy.log(2), 1e-3) == 0


def test_a_relation_that_fails_by_a_margin_fails_and_one_that_holds_holds():
    from theory.essl import Relation

    assert Relation("x <= y", 1.0, "<=", 2.0, 1e-9).holds and not Relation("x <= y", 2.0, "<=", 1.0, 1e-9).holds
    assert Relation("x >= y", 2.0, ">=", 1.0, 1e-9).holds and not Relation("x >= y", 1.0, ">=", 2.0, 1e-9).holds
    assert not Relation("x > y", 1.0, ">", 1.0, 1e-9).holds and Relation("x = y", 1.0, "=", 1.0 + 1e-12, 1e-9).holds


@given(collisions)
def test_every_statements_terms_are_the_measures_they_name(J):
    """Each report's terms are recomputed from their definitions (the right conditioning set,
    the right variables), and every statement honours its base."""
    from theory import entropy

    t1 = explaining_away_identity(J, "A", "C", "Z")
    expected = {
        "I(A;Z)": mutual_information(J, "A", "Z"),
        "I(A;Z|C)": mutual_information(J, "A", "Z", given="C"),
        "I(A;C|Z)": mutual_information(J, "A", "C", given="Z"),
        "H(C|Z)": entropy(J, "C", given="Z"),
        "I(C;Z)": mutual_information(J, "C", "Z"),
    }
    lossy = lossy_transformation(J, "A", "C", "Z")
    expected_lossy = {"I(A;C|Z)": expected["I(A;C|Z)"], "H(A|Z)": entropy(J, "A", given="Z")}
    relevance = class_relevance(J, "A", "C", "X")
    expected_relevance = {
        "I(A;C|X)": mutual_information(J, "A", "C", given="X"),
        "I(A;X)": mutual_information(J, "A", "X"),
        "I(A;X|C)": mutual_information(J, "A", "X", given="C"),
        "I(X;C|A)": mutual_information(J, "X", "C", given="A"),
    }
    for report, wanted in ((t1, expected), (lossy, expected_lossy), (relevance, expected_relevance)):
        for name, value in wanted.items():
            assert float(report.terms[name]) == pytest.approx(float(value), abs=1e-10), (report.statement, name)
    for statement in (explaining_away_identity, lossy_transformation):
        bits, nats = statement(J, "A", "C", "Z"), statement(J, "A", "C", "Z", base="e")
        for name in bits.terms:
            assert float(nats.terms[name]) == pytest.approx(float(bits.terms[name]) * np.log(2), abs=1e-10)
    assert explaining_away_identity(J).statement == "T1 explaining-away identity"
    assert lossy.relations[0].text == "I(A;C|Z) <= H(A|Z)" and relevance.relations[0].text == "I(A;C|X) > 0"
