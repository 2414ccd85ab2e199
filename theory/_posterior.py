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


SPARSE_POSTERIOR_CELLS = 2**20
"""Above this many (given, target) cells the posterior is found from the pairs of positive
probability (sorting many long rows of a mostly-zero table is slower than a pass over them)."""


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
    if isinstance(joint, PushforwardJoint):
        joint.axes((target, given))
        n_cells = joint._values(given)[1] * joint._values(target)[1]
        if n_cells > SPARSE_POSTERIOR_CELLS:
            return _sparse_posterior_ids(joint, target, given)
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


def _sparse_posterior_ids(joint: PushforwardJoint, target: str, given: str) -> tuple[np.ndarray, int]:
    """:func:`posterior_ids` from the (given, target) pairs of positive probability only, for
    targets too fine for the dense table (e.g. one value per latent cell)."""
    shape = joint.latent.shape
    (g, n_g), (t, n_t) = joint._values(given), joint._values(target)
    p = joint.latent.probabilities.ravel()
    keep = np.flatnonzero(p != 0)
    pair = np.broadcast_to(g, shape).ravel()[keep].astype(np.int64) * n_t + np.broadcast_to(t, shape).ravel()[keep]
    pairs, inverse = np.unique(pair, return_inverse=True)
    if joint.is_exact:
        mass = np.full(len(pairs), Fraction(0), dtype=object)
        np.add.at(mass, inverse.ravel(), p[keep])
    else:
        mass = np.bincount(inverse.ravel(), weights=p[keep], minlength=len(pairs))
    given_of, target_of = pairs // n_t, pairs % n_t
    bounds = np.flatnonzero(np.diff(given_of)) + 1
    keys: dict[object, int] = {None: 0}  # id 0: values of ``given`` with no posterior
    out = np.zeros(n_g, dtype=np.int64)
    for rows in np.split(np.arange(len(pairs)), bounds):
        total = sum(mass[rows], Fraction(0)) if joint.is_exact else float(mass[rows].sum())
        if not total:
            continue
        if joint.is_exact:
            key = tuple((int(target_of[r]), Fraction(mass[r]) / total) for r in rows if mass[r])
        else:
            share = np.round(mass[rows] / total, FLOAT_POSTERIOR_DECIMALS)
            key = tuple((int(target_of[r]), float(v)) for r, v in zip(rows, share) if v)
        out[given_of[rows[0]]] = keys.setdefault(key, len(keys))
    return out, len(keys)


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
