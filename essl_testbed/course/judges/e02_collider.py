"""Checkers of exercise 2: the six/nine collider, its explaining-away term and Bayes accuracies."""

from __future__ import annotations

import numpy as np

from theory import Joint, mutual_information

from ..checking import Wrong, judge
from ._common import call, diagnose, number, table

SIX, NINE = 0, 1


def collider_tables() -> list[np.ndarray]:
    """The six/nine table p(c, a, x) and two drawn colliders (X a function of C and A, A independent of C)."""
    six_nine = np.zeros((2, 2, 2))
    for c in range(2):
        for a in range(2):
            six_nine[c, a, c ^ a] = 0.25
    out = [six_nine]
    rng = np.random.default_rng(3)
    for n_c, n_a, n_x in ((3, 2, 3), (2, 3, 4)):
        pc, pa = rng.dirichlet(np.ones(n_c)), rng.dirichlet(np.ones(n_a))
        render = rng.integers(0, n_x, size=(n_c, n_a))
        p = np.zeros((n_c, n_a, n_x))
        for c in range(n_c):
            for a in range(n_a):
                p[c, a, render[c, a]] += pc[c] * pa[a]
        out.append(p)
    return out


@judge("2.1")
def six_nine_table(answer) -> str:
    p = table(call(answer), "the table p(c, a, x)", shape=(2, 2, 2))
    J = Joint(p, names=("C", "A", "X"))
    if not np.allclose(p.sum(axis=(1, 2)), 0.5):
        raise Wrong("the class is not uniform: a six and a nine should be equally likely")
    if not np.allclose(p.sum(axis=(0, 2)), 0.5):
        raise Wrong("the rotation is not uniform: 0 and 180 degrees should be equally likely")
    if float(mutual_information(J, "A", "C")) > 1e-12:
        raise Wrong("A depends on C: the rotation must be drawn independently of the class")
    if ((p > 0).sum(axis=2) != 1).any():
        raise Wrong("some (class, rotation) pair shows two different images: X must be determined by C and A")
    if p[SIX, 0, SIX] == 0 or p[NINE, 0, NINE] == 0:
        raise Wrong("an unrotated glyph should look like itself (x = its class)")
    if p[SIX, 1, NINE] == 0:
        raise Wrong("a six turned by 180 degrees should look like a nine")
    if p[NINE, 1, SIX] == 0:
        raise Wrong("a nine turned by 180 degrees should look like a six")
    return "a collider: C and A independent and uniform, X determined by both"


_TERMS = ("I_A_C", "I_A_C_given_X", "I_A_X", "I_A_X_given_C")


def _dependent_table() -> np.ndarray:
    """Any joint over (C, A, X): here A depends on C."""
    p = np.random.default_rng(5).integers(1, 5, size=(2, 3, 2)).astype(float)
    return p / p.sum()


@judge("2.2")
def collider_terms(answer) -> str:
    for p in [*collider_tables(), _dependent_table()]:
        J = Joint(p, names=("C", "A", "X"))
        got = call(answer, J)
        if not isinstance(got, dict) or set(got) != set(_TERMS):
            raise Wrong(f"return a dict with the keys {', '.join(_TERMS)}")
        values = {k: number(got[k], k) for k in _TERMS}
        ref = {
            "I_A_C": mutual_information(J, "A", "C"),
            "I_A_C_given_X": mutual_information(J, "A", "C", given="X"),
            "I_A_X": mutual_information(J, "A", "X"),
            "I_A_X_given_C": mutual_information(J, "A", "X", given="C"),
        }
        ref = {k: float(v) for k, v in ref.items()}
        for key in _TERMS:
            others = {f"this is the value of {k}: check the variables and the conditioning": ref[k] for k in _TERMS}
            others.pop(f"this is the value of {key}: check the variables and the conditioning")
            diagnose(values[key], ref[key], f"{key} on a {p.shape} collider", others)
    return "all four terms right, on the six/nine table, two drawn colliders and a joint where A depends on C"


def _bayes(p: np.ndarray, names: tuple[str, ...], target: str, given: tuple[str, ...]) -> float:
    J = Joint(p, names=names)
    if not given:
        return float(J.marginal(target).probabilities.max())
    t = J.marginal(*given, target).probabilities
    return float(t.reshape(-1, t.shape[-1]).max(axis=1).sum())


@judge("2.3")
def bayes_accuracy(answer) -> str:
    names = ("C", "A", "X")
    for p in collider_tables():
        J = Joint(p, names=names)
        for target, given in (("A", ("X",)), ("A", ("X", "C")), ("C", ("X",)), ("A", ())):
            value = number(call(answer, J, target, given), f"bayes_accuracy(J, {target!r}, {given!r})")
            if value > 1 + 1e-9:
                raise Wrong(
                    f"bayes_accuracy(J, {target!r}, {given!r}) is above 1: take the max over {target}, do not sum"
                )
            reference = _bayes(p, names, target, given)
            mistakes = {"this ignores every given variable": _bayes(p, names, target, ())}
            if given:
                t = J.marginal(*given, target).probabilities
                rows = t.reshape(-1, t.shape[-1])
                mistakes["this takes the max over the given variables too: sum over them instead"] = float(t.max())
                mistakes["max and sum are swapped: take the max over the target, sum over the given values"] = float(
                    rows.max(axis=0).sum()
                )
            if len(given) == 2:
                mistakes["this uses only the first given variable"] = _bayes(p, names, target, given[:1])
            diagnose(value, reference, f"bayes_accuracy(J, {target!r}, {given!r}) on a {p.shape} collider", mistakes)
    return "right on every (target, given) pair of three colliders"
