"""The posterior statistic T = p(target | given) as a variable: its ids, and a joint that carries it.

T is the minimal sufficient statistic of ``given`` for ``target``: two values of ``given``
share a value of T exactly when their posteriors p(target | given) are equal. A code Z of X
that predicts A optimally in log-loss (I(A;Z) = I(A;X)) determines T, so it carries at
least I(C;T) bits about any C (``theory.essl.needed_class_information``).

>>> from theory import Joint, mutual_information
>>> J = Joint.from_weights([[[1, 0], [1, 0]], [[0, 1], [1, 0]]], names=("C", "X", "A"))
>>> posterior_ids(J, "A", "X")          # p(A|X=0) = (1, 0); p(A|X=1) = (1/2, 1/2)
(array([0, 1]), 2)
>>> mutual_information(with_posterior(J, "A", "X"), "C", "T")
0
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ._errors import InvalidDistribution
from ._joint import Joint
from ._pushforward import PushforwardJoint

__all__ = ["FLOAT_POSTERIOR_DECIMALS", "posterior_ids", "with_posterior"]

FLOAT_POSTERIOR_DECIMALS = 9
"""Float posteriors are compared after rounding to this many decimals (exact ones exactly):
world probabilities are sums of a few float products, equal posteriors agree to about 1e-15."""


def _single(name: object, role: str) -> str:
    if not isinstance(name, str):
        raise InvalidDistribution(f"{role} must be one variable name (a str), got {name!r}")
    return name


def posterior_ids(joint: Joint | PushforwardJoint, target: str, given: str) -> tuple[np.ndarray, int]:
    """(an id per value of ``given``, the number of ids): equal ids iff equal p(target | given).

    Values of ``given`` with probability 0 have no posterior; they share one id of their own.
    """
    target, given = _single(target, "target"), _single(given, "given")
    if target == given:
        raise InvalidDistribution(f"the posterior of {target!r} given itself is not a statistic")
    table = joint.marginal(given, target).probabilities
    keys: dict[object, int] = {}
    out = np.empty(table.shape[0], dtype=np.int64)
    if joint.is_exact:
        for i, row in enumerate(table):
            total = sum(row, Fraction(0))
            key = tuple(Fraction(v) / total for v in row) if total else None
            out[i] = keys.setdefault(key, len(keys))
        return out, len(keys)
    totals = table.sum(axis=1, keepdims=True)
    rounded = np.round(np.divide(table, totals, out=np.zeros_like(table), where=totals > 0), FLOAT_POSTERIOR_DECIMALS)
    rounded[totals[:, 0] == 0] = -1.0  # no posterior: a key no real posterior has
    unique, inverse = np.unique(rounded, axis=0, return_inverse=True)
    return inverse.ravel().astype(np.int64), len(unique)


def with_posterior(
    joint: Joint | PushforwardJoint, target: str = "A", given: str = "X", name: str = "T"
) -> PushforwardJoint:
    """``joint`` with one more variable ``name`` = p(target | given), as ids (a function of ``given``).

    >>> from theory import entropy
    >>> J = Joint.from_weights([[1, 1], [2, 0], [1, 1]], names=("X", "A"))
    >>> entropy(J, "X"), entropy(with_posterior(J), "T")   # X = 0 and 2 share p(A|X)
    (log(3)/log(2), -2/3 + log(3)/log(2))
    """
    ids, _ = posterior_ids(joint, target, given)
    if isinstance(joint, PushforwardJoint):
        latent, functions = joint.latent, joint.functions
        values = functions[given] if given in functions else _axis_values(latent, given)
    else:
        latent, functions, values = joint, {}, _axis_values(joint, given)
    functions[name] = np.broadcast_to(ids[values], latent.shape)
    return PushforwardJoint(latent, functions)


def _axis_values(joint: Joint, name: str) -> np.ndarray:
    axis = joint.axes((name,))[0]
    shape = [-1 if i == axis else 1 for i in range(len(joint.shape))]
    return np.arange(joint.shape[axis]).reshape(shape)
