"""The pushforward joint equals the dense joint it stands for, without building it."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from proofs_check.strategies import joints
from theory import Joint, PushforwardJoint, entropy, explaining_away, ids_of_outcomes, mutual_information


def dense_equivalent(K: PushforwardJoint) -> Joint:
    """The (latents x functions) table, built the slow way."""
    latent = K.latent
    shape = K.shape
    table = np.zeros(shape, dtype=object if K.is_exact else float)
    for idx in np.ndindex(latent.shape):
        table[idx + tuple(int(K.functions[n][idx]) for n in K.functions)] += latent.probabilities[idx]
    return Joint(table, names=K.names)


@st.composite
def pushforwards(draw, exact=False):
    J = draw(joints(("C", "S", "A"), alphabet_sizes=st.integers(1, 3), exact=exact))
    x = np.array(draw(st.lists(st.integers(0, 4), min_size=J.probabilities.size, max_size=J.probabilities.size)))
    g = np.array(draw(st.lists(st.integers(0, 1), min_size=J.probabilities.size, max_size=J.probabilities.size)))
    return PushforwardJoint(J, {"X": x.reshape(J.shape), "G": g.reshape(J.shape)})


QUERIES = [
    ("A", "X", None),
    ("A", "C", "X"),
    ("C", "X", None),
    (("A", "G"), "C", "X"),
    ("X", "G", "S"),
    ("A", "X", ("C", "S")),
]


@given(pushforwards())
def test_measures_match_dense_table(K):
    D = dense_equivalent(K)
    for x, y, g in QUERIES:
        assert mutual_information(K, x, y, given=g) == pytest.approx(mutual_information(D, x, y, given=g), abs=1e-12)
    assert entropy(K, ("X", "G"), given="C") == pytest.approx(entropy(D, ("X", "G"), given="C"), abs=1e-12)


@given(pushforwards(exact=True))
def test_exact_measures_match_dense_table(K):
    D = dense_equivalent(K)
    for x, y, g in QUERIES[:3]:
        assert sympy.expand(mutual_information(K, x, y, given=g) - mutual_information(D, x, y, given=g)) == 0


@given(pushforwards())
def test_marginal_matches_dense_table(K):
    D = dense_equivalent(K)
    np.testing.assert_allclose(K.marginal("X", "C").probabilities, D.marginal("X", "C").probabilities, atol=1e-15)
    np.testing.assert_allclose(K.marginal("A", "S").probabilities, D.marginal("A", "S").probabilities, atol=1e-15)


def test_coinciding_outcomes_merge():
    """A glyph symmetric under 180-degree rotation: both actions render the same image."""
    latent = Joint([[F(1, 4), F(1, 4)], [F(1, 4), F(1, 4)]], names=("C", "A"))
    bar, corner = np.array([[1, 1], [0, 0]]), np.array([[1, 0], [0, 0]])
    images = np.stack(
        [np.stack([bar, np.rot90(bar, 2)]), np.stack([np.eye(2, dtype=int), np.rot90(np.eye(2, dtype=int), 2)])]
    )
    K = PushforwardJoint.from_outcomes(latent, X=images)
    assert K.shape == (2, 2, 3)  # the diagonal glyph is rot2-symmetric: 3 distinct images
    assert entropy(K, "A", given="X") == sympy.Rational(1, 2)
    # each image belongs to one class, so the class explains nothing away once X is seen
    assert explaining_away(K) == 0
    assert mutual_information(K, "A", "X", given="C") == sympy.Rational(1, 2)
    ids = ids_of_outcomes(np.stack([corner, corner, bar]), (3,))
    assert ids[0] == ids[1] != ids[2] and sorted(set(ids.tolist())) == [0, 1]


def test_large_ids_are_densified():
    latent = Joint([0.5, 0.5], names=("C",))
    K = PushforwardJoint(latent, {"X": np.array([10**12, 7])})
    assert K.shape == (2, 2)
    assert mutual_information(K, "C", "X") == pytest.approx(1.0)


def test_many_variables_do_not_overflow_keys():
    rng = np.random.default_rng(0)
    shape = (4,) * 8
    latent = Joint.from_weights(rng.random(shape), names=tuple("ABCDEFGH"))
    funcs = {f"F{i}": rng.integers(0, 10**6, size=shape) for i in range(4)}
    K = PushforwardJoint(latent, funcs)
    h = entropy(K, tuple(K.names))
    assert h == pytest.approx(entropy(latent, tuple(latent.names)), abs=1e-9)
