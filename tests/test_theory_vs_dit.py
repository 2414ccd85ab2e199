"""Every measure against dit (>= 2.3, built with Distribution.from_array) to 1e-10."""

from __future__ import annotations

import itertools

import dit
import numpy as np
import pytest
from dit.divergences import kullback_leibler_divergence
from dit.multivariate import coinformation
from dit.multivariate import entropy as dit_entropy
from hypothesis import given
from hypothesis import strategies as st

from proofs_check.strategies import essl_models, joints
from theory import Joint, co_information, entropy, explaining_away, kl_divergence, mutual_information

NAMES = ("V", "W", "X", "Y", "Z")


def as_dit(J: Joint) -> dit.Distribution:
    return dit.Distribution.from_array(J.probabilities.astype(float), list(J.names), [list(range(k)) for k in J.shape])


@st.composite
def joint_and_split(draw):
    n = draw(st.integers(2, 5))
    J = draw(joints(NAMES[:n], alphabet_sizes=st.integers(1, 3)))
    roles = draw(st.lists(st.sampled_from("xyg-"), min_size=n, max_size=n))
    pick = lambda r: [name for name, role in zip(J.names, roles) if role == r]  # noqa: E731
    x, y, g = pick("x") or [J.names[0]], pick("y") or [J.names[1]], pick("g")
    y = [v for v in y if v not in x] or [J.names[1] if J.names[1] not in x else J.names[0]]
    g = [v for v in g if v not in x + y]
    return J, x, y, g


@given(joint_and_split())
def test_entropies_match_dit(case):
    J, x, y, g = case
    d = as_dit(J)
    assert entropy(J, x) == pytest.approx(dit_entropy(d, x), abs=1e-10)
    assert entropy(J, x, given=g) == pytest.approx(dit_entropy(d, x, g), abs=1e-10)


@given(joint_and_split())
def test_mutual_information_matches_dit(case):
    J, x, y, g = case
    d = as_dit(J)
    assert mutual_information(J, x, y, given=g) == pytest.approx(coinformation(d, [x, y], g), abs=1e-10)


@given(joints(NAMES[:4], alphabet_sizes=st.integers(1, 3)))
def test_co_information_matches_dit(J):
    d = as_dit(J)
    for k in (2, 3, 4):
        groups = [[n] for n in J.names[:k]]
        assert co_information(J, *J.names[:k]) == pytest.approx(coinformation(d, groups), abs=1e-10)


@given(st.data())
def test_kl_divergence_matches_dit(data):
    shape = data.draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    P = data.draw(joints(("X", "Y"), alphabet_sizes=shape))
    Q = data.draw(joints(("X", "Y"), alphabet_sizes=shape))
    ours = kl_divergence(P, Q)
    support = P.probabilities > 0
    if (Q.probabilities[support] == 0).any():
        assert ours == float("inf")
        return
    # dit needs Q's support to cover P's; drop outcomes where both are zero.
    assert ours == pytest.approx(kullback_leibler_divergence(as_dit(P), as_dit(Q)), abs=1e-10)


@pytest.mark.parametrize("base", [2, "e", 10, 3.5])
def test_bases_match_dit(base):
    rng = np.random.default_rng(0)
    p = rng.random((3, 2, 2))
    J = Joint(p / p.sum(), names=("X", "Y", "Z"))
    d = as_dit(J)
    factor = np.log(2) / (1.0 if base == "e" else np.log(base))
    for x, y, g in itertools.permutations(["X", "Y", "Z"]):
        expected = coinformation(d, [[x], [y]], [g]) * factor
        assert mutual_information(J, x, y, given=g, base=base) == pytest.approx(expected, abs=1e-10)


@given(essl_models(collide=True))
def test_explaining_away_matches_dit_on_drawn_causal_models(J):
    d = as_dit(J)
    for z in ("X", "Z"):
        assert explaining_away(J, a="A", c="C", x=z) == pytest.approx(coinformation(d, [["A"], ["C"]], [z]), abs=1e-10)
