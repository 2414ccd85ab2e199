"""Shannon's laws as properties of the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs_check.strategies import joints
from theory import (
    Joint,
    PushforwardJoint,
    co_information,
    entropy,
    explaining_away,
    kl_divergence,
    mutual_information,
)

TOL = 1e-10
sizes = st.integers(1, 3)


@given(joints(("A", "B", "C", "D"), alphabet_sizes=sizes))
def test_non_negativity(J):
    assert entropy(J, "A") >= -TOL
    assert entropy(J, ("A", "B"), given=("C",)) >= -TOL
    assert mutual_information(J, "A", "B") >= -TOL
    assert mutual_information(J, ("A", "D"), "B", given="C") >= -TOL


@given(joints(("A", "B", "C"), alphabet_sizes=sizes))
def test_chain_rule_and_symmetry(J):
    h_abc = entropy(J, ("A", "B", "C"))
    assert h_abc == pytest.approx(entropy(J, "A") + entropy(J, "B", "A") + entropy(J, "C", ("A", "B")), abs=TOL)
    assert mutual_information(J, "A", "B", "C") == pytest.approx(mutual_information(J, "B", "A", "C"), abs=TOL)
    assert mutual_information(J, "A", ("B", "C")) == pytest.approx(
        mutual_information(J, "A", "B") + mutual_information(J, "A", "C", given="B"), abs=TOL
    )


@given(joints(("A", "B"), alphabet_sizes=sizes), st.data())
def test_data_processing(J, data):
    """A - B - f(B): I(A; f(B)) <= I(A; B) for any deterministic f."""
    f = np.array(data.draw(st.lists(st.integers(0, 2), min_size=J.shape[1], max_size=J.shape[1])))
    K = PushforwardJoint(J, {"F": np.broadcast_to(f, J.shape).copy()})
    assert mutual_information(K, "A", "F") <= mutual_information(J, "A", "B") + TOL


@given(joints(("A", "B", "C"), alphabet_sizes=sizes), st.randoms(use_true_random=False))
def test_invariance_under_relabelling(J, rnd):
    perms = [rnd.sample(range(k), k) for k in J.shape]
    relabelled = Joint(J.probabilities[np.ix_(*perms)], names=J.names)
    for args in [("A", "B", None), ("A", "B", "C"), (("A", "C"), "B", None)]:
        assert mutual_information(relabelled, *args) == pytest.approx(mutual_information(J, *args), abs=TOL)


@given(joints(("C", "A"), alphabet_sizes=sizes), st.data())
def test_no_explaining_away_when_x_depends_on_c_alone(J, data):
    """X = f(C): I(A;C|X) = I(A;C|f(C)), zero when A is independent of C."""
    pc, pa = J.marginal("C").probabilities, J.marginal("A").probabilities
    independent = Joint(np.outer(pc, pa), names=("C", "A"))
    f = np.array(data.draw(st.lists(st.integers(0, 2), min_size=J.shape[0], max_size=J.shape[0])))
    x = np.broadcast_to(f[:, None], J.shape).copy()
    assert abs(explaining_away(PushforwardJoint(independent, {"X": x}), a="A", c="C", x="X")) < TOL


def test_tiny_cells_lose_nothing():
    # 1 - 2e-300 rounds to 1.0, so only the two tiny cells contribute: 2 * 1e-300 * log2(1e300).
    J = Joint([1 - 2e-300, 1e-300, 1e-300], names=("A",))
    h = entropy(J, "A")
    assert math.isclose(h, 2e-300 * 300 * np.log2(10), rel_tol=1e-12, abs_tol=0.0)


@given(joints(("A", "C", "X", "Y"), alphabet_sizes=sizes))
def test_every_measure_honours_its_base(J):
    """Changing the base divides every measure by log2 of the new base (nats: times ln 2)."""
    marginal = J.marginal("A")
    uniform = Joint(np.full(marginal.shape, 1 / marginal.shape[0]), names=("A",))
    for base, scale in (("e", np.log(2)), (10, np.log10(2)), (4, 0.5)):
        pairs = [
            (entropy(J, "A", given="X", base=base), entropy(J, "A", given="X")),
            (mutual_information(J, "A", "C", given="Y", base=base), mutual_information(J, "A", "C", given="Y")),
            (co_information(J, "A", "C", "X", base=base), co_information(J, "A", "C", "X")),
            (explaining_away(J, "A", "C", "X", base=base), explaining_away(J, "A", "C", "X")),
            (kl_divergence(marginal, uniform, base=base), kl_divergence(marginal, uniform)),
        ]
        for value, bits in pairs:
            assert float(value) == pytest.approx(float(bits) * scale, abs=1e-10), base
