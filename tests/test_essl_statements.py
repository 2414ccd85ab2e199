"""The E-SSL statements (as formalized in this project) on drawn causal models."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs_check.strategies import essl_models, functions, joints
from theory import Joint, PushforwardJoint
from theory.essl import (
    class_relevance,
    explaining_away_identity,
    fine_grained,
    lossy_transformation,
    multivariate,
    shortcut_pruning,
)

models = st.one_of(essl_models(), essl_models(exact=True))


def action_function(J, values: np.ndarray) -> np.ndarray:
    """A function of the A axis of an essl model, broadcast to the joint's shape."""
    shape = [1] * len(J.shape)
    shape[J.names.index("A")] = -1
    return np.broadcast_to(values.reshape(shape), J.shape).copy()


@given(models)
def test_t1_and_principles_hold_on_every_model(J):
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


@given(essl_models(n_actions=st.sampled_from([2, 4, 6])), st.data())
def test_t2_fine_grained(J, data):
    n = J.shape[J.names.index("A")]
    coarse = data.draw(functions(n, max(1, n // 2)))
    K = PushforwardJoint(J, {"Acoarse": action_function(J, coarse)})
    report = fine_grained(K, fine="A", coarse="Acoarse", c="C", z="Z")
    assert report.holds, str(report)


@given(essl_models(n_actions=st.sampled_from([4, 6])))
def test_t3_multivariate(J):
    n = J.shape[J.names.index("A")]
    a = np.arange(n)
    K = PushforwardJoint(J, {"A1": action_function(J, a // 2), "A2": action_function(J, a % 2)})
    report = multivariate(K, "A1", "A2", "C", "Z")
    assert report.holds, str(report)


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
def test_t1_holds_exactly_when_a_independent_of_c(J):
    report = explaining_away_identity(J)
    assert report.relations[0].holds == (not report.failed_preconditions)


def test_float_tolerance_is_a_parameter():
    p = np.full((2, 2, 2), 0.125)
    p[[0, 1], [0, 1], :] += 1e-4  # a faint dependence of A on C with unchanged marginals
    p[[0, 1], [1, 0], :] -= 1e-4
    J = Joint(p, names=("C", "A", "Z"))
    assert not explaining_away_identity(J, tol=1e-12).holds
    assert explaining_away_identity(J, tol=1e-5).holds
