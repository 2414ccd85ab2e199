"""Checkers of exercise 1: entropy, mutual and conditional mutual information from tables."""

from __future__ import annotations

import numpy as np

from theory import Joint, entropy, mutual_information

from ..checking import Wrong, judge
from ._common import call, diagnose, number, raises

_DISTRIBUTIONS = ([0.5, 0.5], [1.0, 0.0], [0.25] * 4, [0.1, 0.2, 0.7], [0.0, 0.3, 0.0, 0.7])


def _tables(shape: tuple[int, ...], n: int = 4) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    out = []
    for _ in range(n):
        w = rng.integers(0, 4, size=shape).astype(float)
        w.flat[0] += 1
        out.append(w / w.sum())
    return out


def _H(p: np.ndarray, axes: tuple[int, ...]) -> float:
    names = tuple("XYZ"[: p.ndim])
    return float(entropy(Joint(p, names=names), tuple(names[a] for a in axes))) if axes else 0.0


@judge("1.1")
def entropy_bits(answer) -> str:
    for p in _DISTRIBUTIONS:
        value = number(call(answer, np.array(p)), f"entropy_bits({p})")
        reference = _H(np.array(p), (0,))
        log10 = reference * np.log10(2) if reference else reference
        diagnose(value, reference, f"on p = {p}", {"this is in log base 10; use base 2": log10})
    for bad in ([0.5, 0.6], [1.2, -0.2]):
        if not raises(lambda bad=bad: call(answer, np.array(bad)), ValueError):
            raise Wrong(
                f"p = {bad} is not a distribution (it does not sum to 1, or has a negative entry): raise ValueError"
            )
    return f"right on {len(_DISTRIBUTIONS)} distributions, and it refuses tables that are not distributions"


@judge("1.2")
def exact_entropy(answer) -> str:
    import sympy

    value = call(answer)
    if not isinstance(value, sympy.Basic):
        raise Wrong(f"the answer should be a sympy expression, got a {type(value).__name__}")
    if value.atoms(sympy.Float):
        raise Wrong("the expression contains floating-point numbers: write 1/4 as Rational(1, 4), not 0.25")
    if not isinstance(value, sympy.Expr) or value.free_symbols or not value.is_finite:
        raise Wrong("the answer should be a finite number: no free symbols, equations or nan")
    reference = entropy(Joint.from_weights([1, 3], names=("A",)), "A")
    diff = sympy.N(value - reference, 40)
    if abs(diff) < 1e-30:
        return "exact and equal to H(1/4, 3/4) in bits"
    diagnose(float(sympy.N(value, 30)), float(sympy.N(reference, 30)), "H(1/4, 3/4)")
    raise Wrong("H(1/4, 3/4): agrees in double precision but not exactly")


@judge("1.3")
def mutual_information_bits(answer) -> str:
    for p in _tables((2, 3)) + [np.array([[0.5, 0.0], [0.0, 0.5]])]:
        value = number(call(answer, p.copy()), "mutual_information_bits")
        hx, hy, hxy = _H(p, (0,)), _H(p, (1,)), _H(p, (0, 1))
        reference = float(mutual_information(Joint(p, names=("X", "Y")), "X", "Y"))
        mistakes = {
            "this is H(X), an entropy, not an information": hx,
            "this is H(Y), an entropy, not an information": hy,
            "this is the joint entropy H(X,Y)": hxy,
            "this is H(X|Y), a conditional entropy: subtract it from H(X)": hxy - hy,
            "this is H(Y|X), a conditional entropy: subtract it from H(Y)": hxy - hx,
            "the -H(X,Y) term is missing": hx + hy,
        }
        diagnose(value, reference, f"on the table {p.round(3).tolist()}", mistakes)
    return "right on 5 tables, including a copy (I = H)"


@judge("1.4")
def conditional_mi_bits(answer) -> str:
    six_nine = np.zeros((2, 2, 2))  # X (image), Y = C, Z = A: the image is C xor A
    for c in range(2):
        for a in range(2):
            six_nine[c ^ a, c, a] = 0.25
    for p in _tables((2, 2, 3)) + [six_nine]:
        value = number(call(answer, p.copy()), "conditional_mi_bits")
        H = lambda *axes, p=p: _H(p, axes)  # noqa: E731
        reference = H(0, 2) + H(1, 2) - H(0, 1, 2) - H(2)
        mistakes = {
            "this is I(X;Y): the conditioning on Z is missing": H(0) + H(1) - H(0, 1),
            "this is I(X;Z|Y): wrong conditioning set (condition on the third axis, Z)": H(0, 1)
            + H(1, 2)
            - H(0, 1, 2)
            - H(1),
            "this is I(Y;Z|X): wrong conditioning set (condition on the third axis, Z)": H(0, 1)
            + H(0, 2)
            - H(0, 1, 2)
            - H(0),
            "this is I(X;Y,Z), the information X shares with Y and Z together": H(0) + H(1, 2) - H(0, 1, 2),
            "the -H(Z) term is missing": H(0, 2) + H(1, 2) - H(0, 1, 2),
            "the last term should be -H(Z), the conditioning variable's entropy": H(0, 2) + H(1, 2) - H(0, 1, 2) - H(0),
        }
        diagnose(value, reference, f"on the table of shape {p.shape}", mistakes)
    return "right on 5 tables, including an XOR, where I(X;Y) = 0 but I(X;Y|Z) = 1"
