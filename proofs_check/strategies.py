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

from fractions import Fraction
from typing import Sequence, Union

import numpy as np
from hypothesis import strategies as st

from theory import Joint

Sizes = Union[int, Sequence[int], st.SearchStrategy]


def _sizes(draw, alphabet_sizes: Sizes, n: int) -> tuple[int, ...]:
    if isinstance(alphabet_sizes, st.SearchStrategy):
        return tuple(draw(alphabet_sizes) for _ in range(n))
    if isinstance(alphabet_sizes, int):
        return (alphabet_sizes,) * n
    sizes = tuple(alphabet_sizes)
    if len(sizes) != n:
        raise ValueError(f"{len(sizes)} alphabet sizes for {n} variables")
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
def joints(draw, names: Sequence[str] = ("A", "B", "C"), alphabet_sizes: Sizes = st.integers(1, 3),
           exact: bool = False, max_weight: int = 4) -> Joint:
    """A :class:`theory.Joint` over ``names``.

    ``alphabet_sizes``: one int for all variables, one int per variable, or a strategy
    drawn once per variable. ``exact=True`` gives ``Fraction`` cells (exact measures).
    """
    shape = _sizes(draw, alphabet_sizes, len(names))
    weights = draw(weight_tables(shape, max_weight))
    return Joint(normalise(weights, exact), names=tuple(names))
