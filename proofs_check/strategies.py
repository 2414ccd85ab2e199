"""Hypothesis strategies for property-testing information measures and the E-SSL theory.

Tables are drawn as small non-negative *integer* weights and normalised exactly, so failing
examples shrink to uniform or sparse tables on which exact oracles apply.

>>> from hypothesis import given
>>> from theory import mutual_information
>>> @given(joints(("A", "B")))
... def test_mi_non_negative(J):
...     assert mutual_information(J, "A", "B") >= -1e-12
>>> test_mi_non_negative()
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from theory import Joint

from .errors import ProofsCheckError

Sizes = int | Sequence[int] | st.SearchStrategy


def _sizes(draw, alphabet_sizes: Sizes, n: int) -> tuple[int, ...]:
    if isinstance(alphabet_sizes, st.SearchStrategy):
        return tuple(draw(alphabet_sizes) for _ in range(n))
    if isinstance(alphabet_sizes, int):
        return (alphabet_sizes,) * n
    sizes = tuple(alphabet_sizes)
    if len(sizes) != n:
        raise ProofsCheckError(f"{len(sizes)} alphabet sizes for {n} variables")
    return sizes


def weight_tables(shape: tuple[int, ...], max_weight: int = 4) -> st.SearchStrategy[np.ndarray]:
    """Integer weight tables of ``shape`` with entries in ``0..max_weight``, not all zero."""
    n = int(np.prod(shape))
    cells = st.lists(st.integers(0, max_weight), min_size=n, max_size=n).filter(any)
    return cells.map(lambda w: np.array(w, dtype=np.int64).reshape(shape))


def normalise(weights: np.ndarray, exact: bool) -> np.ndarray:
    """Weights -> probabilities: ``Fraction`` cells when ``exact``, else float64."""
    total = int(weights.sum())
    if exact:
        return np.array([Fraction(int(w), total) for w in weights.ravel()], dtype=object).reshape(weights.shape)
    return weights / total


@st.composite
def joints(
    draw,
    names: Sequence[str] = ("A", "B", "C"),
    alphabet_sizes: Sizes = st.integers(1, 3),
    exact: bool = False,
    max_weight: int = 4,
) -> Joint:
    """A :class:`theory.Joint` over ``names``.

    ``alphabet_sizes``: one int for all variables, one int per variable, or a strategy
    drawn once per variable. ``exact=True`` gives ``Fraction`` cells (exact measures).
    """
    shape = _sizes(draw, alphabet_sizes, len(names))
    weights = draw(weight_tables(shape, max_weight))
    return Joint(normalise(weights, exact), names=tuple(names))


@st.composite
def encoders(
    draw, n_inputs: int, n_codes: int | st.SearchStrategy = st.integers(1, 3), exact: bool = False, max_weight: int = 4
) -> np.ndarray:
    """A stochastic encoder q(z|x) as an (n_inputs, n_codes) row-stochastic matrix.

    Rows are drawn as integer weights, so shrinking gives deterministic (one-hot) or
    uniform encoders.
    """
    m = draw(n_codes) if isinstance(n_codes, st.SearchStrategy) else n_codes
    rows = [normalise(draw(weight_tables((m,), max_weight)), exact) for _ in range(n_inputs)]
    return np.stack(rows)


@st.composite
def functions(draw, n_inputs: int, n_outputs: int) -> np.ndarray:
    """A deterministic map ``range(n_inputs) -> range(n_outputs)`` as an integer array."""
    return np.array(draw(st.lists(st.integers(0, n_outputs - 1), min_size=n_inputs, max_size=n_inputs)), dtype=np.int64)


ESSL_NAMES = ("C", "S", "Abar", "A", "X", "Z")


@st.composite
def essl_models(
    draw,
    n_classes: int | st.SearchStrategy = st.integers(1, 3),
    n_styles: int | st.SearchStrategy = st.integers(1, 2),
    n_poses: int | st.SearchStrategy = st.integers(1, 2),
    n_actions: int | st.SearchStrategy = st.integers(2, 4),
    n_inputs: int | st.SearchStrategy = st.integers(2, 6),
    n_codes: int | st.SearchStrategy = st.integers(1, 3),
    exact: bool = False,
) -> Joint:
    """A full causal model of E-SSL as a joint over ``("C", "S", "Abar", "A", "X", "Z")``.

    C, S, Abar come from a random table; A is uniform and independent of them by
    construction; the raw input Xbar is a random deterministic function of (C, S, Abar);
    X is a random deterministic function of (Xbar, A) into ``n_inputs`` values, so
    different scenes may render alike (the source of explaining away); Z comes from a
    random stochastic encoder q(z|x).
    """
    pick = lambda v: draw(v) if isinstance(v, st.SearchStrategy) else v  # noqa: E731
    nc, ns, nb, na, nx, nz = (pick(v) for v in (n_classes, n_styles, n_poses, n_actions, n_inputs, n_codes))
    scene = normalise(draw(weight_tables((nc, ns, nb))), exact=True)
    n_raw = draw(st.integers(1, nc * ns * nb))
    raw = draw(functions(nc * ns * nb, n_raw)).reshape(nc, ns, nb)
    render = draw(functions(n_raw * na, nx)).reshape(n_raw, na)
    q = draw(encoders(nx, nz, exact=True))
    p = np.full((nc, ns, nb, na, nx, nz), Fraction(0), dtype=object)
    for (c, s, b), p_scene in np.ndenumerate(scene):
        for a in range(na):
            x = render[raw[c, s, b], a]
            p[c, s, b, a, x, :] += p_scene * Fraction(1, na) * q[x]
    return Joint(p if exact else p.astype(np.float64), names=ESSL_NAMES)
