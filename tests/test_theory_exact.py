"""Exact rational tables: exact sympy values, hand-computed examples, exact zeros."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from proofs_check.strategies import joints
from theory import Joint, co_information, entropy, explaining_away, kl_divergence, mutual_information

LOG2_3 = sympy.log(3) / sympy.log(2)


def same(a, b) -> bool:
    return sympy.expand(a - b) == 0


def xor() -> Joint:
    return Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("X", "Y", "Z"))


def test_xor_exact():
    J = xor()
    assert mutual_information(J, "X", "Y") == 0
    assert mutual_information(J, "X", "Y", given="Z") == 1
    assert co_information(J, "X", "Y", "Z") == -1
    assert entropy(J, ("X", "Y", "Z")) == 2


def six_nine() -> Joint:
    """C in {six, nine} with prior (1/3, 2/3); A in {0, 180} uniform; X in {"6"-look, "9"-look}.

    X = "6"-look for (six, 0) and (nine, 180). Hand computation: p(X = "6") = 1/6 + 1/3 = 1/2;
    given X the posterior on A is (1/3, 2/3) or (2/3, 1/3), so
    H(A|X) = h(1/3) = log2(3) - 2/3 = I(A;C|X) (since H(A|X,C) = 0), I(A;X|C) = 1,
    I(C;X) = 0, I(A;X) = 5/3 - log2(3).
    """
    p = np.empty((2, 2, 2), dtype=object)
    prior = [F(1, 3), F(2, 3)]
    for c in range(2):
        for a in range(2):
            for x in range(2):
                looks_like_six = (c == 0) == (a == 0)
                p[c, a, x] = prior[c] * F(1, 2) if (x == 0) == looks_like_six else F(0)
    return Joint(p, names=("C", "A", "X"))


def test_six_nine_hand_computed():
    J = six_nine()
    assert J.is_exact
    assert same(entropy(J, "A", given="X"), LOG2_3 - sympy.Rational(2, 3))
    assert same(explaining_away(J, a="A", c="C", x="X"), LOG2_3 - sympy.Rational(2, 3))
    assert mutual_information(J, "A", "X", given="C") == 1
    assert mutual_information(J, "C", "X") == 0
    assert mutual_information(J, "A", "C") == 0
    assert same(mutual_information(J, "A", "X"), sympy.Rational(5, 3) - LOG2_3)


def test_exact_value_form_has_no_simplify():
    J = Joint([F(1, 4), F(3, 4)], names=("A",))
    value = entropy(J, "A")
    assert value == 2 - sympy.Rational(3, 4) * LOG2_3
    assert entropy(J, "A", base="e") == 2 * sympy.log(2) - sympy.Rational(3, 4) * sympy.log(3)
    assert entropy(J, "A", base=4) == 1 - sympy.Rational(3, 8) * LOG2_3
    assert float(value) == entropy(Joint([0.25, 0.75], names=("A",)), "A")


def test_sympy_rational_and_int_cells_are_exact():
    J = Joint([[sympy.Rational(1, 2), 0], [0, sympy.Rational(1, 2)]], names=("A", "B"))
    assert J.is_exact and mutual_information(J, "A", "B") == 1
    K = Joint([[0, 1], [0, 0]], names=("A", "B"))
    assert K.is_exact and entropy(K, ("A", "B")) == 0


def test_exact_kl():
    P = Joint([F(1, 2), F(1, 2)], names=("A",))
    Q = Joint([F(1, 4), F(3, 4)], names=("A",))
    assert same(kl_divergence(P, Q), 1 - LOG2_3 / 2)
    assert kl_divergence(P, Joint([F(1), F(0)], names=("A",))) == sympy.oo
    assert kl_divergence(P, P) == 0


@given(joints(("A", "B", "C"), alphabet_sizes=st.integers(1, 3), exact=True))
def test_exact_chain_rule_is_exact_zero(J):
    lhs = entropy(J, ("A", "B", "C"))
    rhs = entropy(J, "A") + entropy(J, "B", given="A") + entropy(J, "C", given=("A", "B"))
    assert sympy.expand(lhs - rhs) == 0
    assert (
        mutual_information(J, "A", ("B", "C"))
        - mutual_information(J, "A", "B")
        - mutual_information(J, "A", "C", given="B")
    ).expand() == 0


@given(joints(("A", "B", "C"), alphabet_sizes=st.integers(1, 3), exact=True))
def test_exact_agrees_with_float(J):
    F_ = Joint(J.probabilities.astype(float), names=J.names)
    for args in [("A", "B"), ("A", "C"), (("A", "B"), "C")]:
        assert abs(float(mutual_information(J, *args, given=None)) - mutual_information(F_, *args)) < 1e-10
    assert abs(float(explaining_away(J, "A", "B", "C")) - explaining_away(F_, "A", "B", "C")) < 1e-10
