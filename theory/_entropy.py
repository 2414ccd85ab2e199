"""Entropy and conditional entropy."""

from __future__ import annotations

from ._combination import Variables, as_variables, combine, evaluate


def entropy(joint, x: Variables, given: Variables = None, base: object = 2):
    """H(x | given) of a :class:`Joint` or :class:`PushforwardJoint`.

    ``x`` and ``given`` are a name or a sequence of names. Float joints give floats, exact
    joints exact sympy values.

    >>> from fractions import Fraction as F
    >>> from theory import Joint
    >>> J = Joint([F(1, 4), F(3, 4)], names=("A",))
    >>> entropy(J, "A")
    -3*log(3)/(4*log(2)) + 2
    >>> entropy(J, "A", base="e")
    -3*log(3)/4 + 2*log(2)
    """
    xs = as_variables(joint, x, "x")
    gs = as_variables(joint, given, "given", allow_empty=True)
    return evaluate(joint, combine((1, xs | gs), (-1, gs)), base)
