"""``Joint``: a dense joint distribution, one named axis per random variable."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from ._errors import InvalidDistribution
from ._logs import exact_entropy_nats, exact_value

FLOAT_TOLERANCE = 1e-9


def _cell_index(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat_index, shape))


def _as_table(p: object) -> tuple[np.ndarray, bool]:
    """Validate cell types; return (float64 array, False) or (Fraction object array, True)."""
    try:
        arr = np.asarray(p)
    except ValueError as err:  # ragged nested lists
        raise InvalidDistribution(f"probabilities are not a rectangular table: {err}") from None
    if arr.size == 0 or arr.ndim == 0:
        raise InvalidDistribution(f"empty table: shape {arr.shape}; a joint needs at least one axis and one cell")
    kind = arr.dtype.kind
    if kind == "f":
        return arr.astype(np.float64, copy=True), False
    if kind in "iu":
        flat = np.array([Fraction(int(v)) for v in arr.ravel()], dtype=object)
        return flat.reshape(arr.shape), True
    if kind != "O":
        raise InvalidDistribution(f"non-numeric cells: dtype {arr.dtype} is not a probability table")
    flat = arr.ravel()
    exact = [exact_value(v) for v in flat]
    if all(e is not None for e in exact):
        return np.array(exact, dtype=object).reshape(arr.shape), True
    for i, (value, e) in enumerate(zip(flat, exact)):
        if e is None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            if not (type(value).__module__.startswith("sympy") and getattr(value, "is_Float", False)):
                raise InvalidDistribution(
                    f"non-numeric cell {_cell_index(i, arr.shape)}: {value!r} ({type(value).__name__})"
                )
    if any(e is not None and not isinstance(v, (int, np.integer)) for v, e in zip(flat, exact)):
        raise InvalidDistribution(
            "table mixes exact cells (Fraction / sympy Rational) with float cells; "
            "convert all cells to one kind so exactness is not lost silently"
        )
    return np.array([float(v) for v in flat], dtype=np.float64).reshape(arr.shape), False


def _check_names(names: Sequence[str], ndim: int) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    if len(names) != ndim:
        raise InvalidDistribution(f"{len(names)} names {names} for a table with {ndim} axes")
    for name in names:
        if not isinstance(name, str) or not name:
            raise InvalidDistribution(f"variable names must be non-empty strings, got {name!r}")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InvalidDistribution(f"duplicate variable names: {', '.join(dupes)}")
    return names


def _check_cells(table: np.ndarray, exact: bool, what: str) -> None:
    """Every cell finite and non-negative; ``what`` ("probability", "weight") names them in errors."""
    if exact:
        for i, v in enumerate(table.ravel()):
            if v < 0:
                raise InvalidDistribution(f"negative {what} {v} at cell {_cell_index(i, table.shape)}")
        return
    bad = ~np.isfinite(table)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidDistribution(f"non-finite {what} {table.flat[i]} at cell {_cell_index(i, table.shape)}")
    if (table < 0).any():
        i = int(np.flatnonzero(table < 0)[0])
        raise InvalidDistribution(f"negative {what} {table.flat[i]} at cell {_cell_index(i, table.shape)}")


def _check_values(table: np.ndarray, exact: bool) -> None:
    _check_cells(table, exact, "probability")
    if exact:
        total = sum(table.ravel(), Fraction(0))
        if total != 1:
            raise InvalidDistribution(
                f"exact probabilities sum to {total}, not exactly 1; nothing is renormalised: "
                "use Joint.from_weights for unnormalised weights"
            )
        return
    total = math.fsum(table.ravel()) if table.size < 4096 else float(table.sum())
    if abs(total - 1.0) > FLOAT_TOLERANCE:
        raise InvalidDistribution(
            f"probabilities sum to {total:.17g}, not 1 (off by {abs(total - 1.0):.1e} > {FLOAT_TOLERANCE:g}); "
            "nothing is renormalised: use Joint.from_weights for unnormalised weights"
        )


def axes_of(known: tuple[str, ...], names: Iterable[str]) -> tuple[int, ...]:
    """Positions of ``names`` in ``known``; an unknown name raises :class:`InvalidDistribution`."""
    out = []
    for name in names:
        if name not in known:
            raise InvalidDistribution(f"unknown variable {name!r}; this joint has {', '.join(known)}")
        out.append(known.index(name))
    return tuple(out)


def float_entropy_nats(p: np.ndarray) -> float:
    """``-sum p ln p`` over the positive cells of a float array (0 log 0 = 0)."""
    q = p[p > 0]
    return float(-np.dot(q, np.log(q)))


class Joint:
    """A joint distribution as a dense table with one named axis per variable.

    Float cells give float measures; exact cells (int, ``Fraction``, sympy ``Rational``)
    give exact sympy values. Invalid tables raise :class:`InvalidDistribution`; nothing is
    renormalised.

    >>> from theory import Joint, mutual_information
    >>> xor = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("X", "Y", "Z"))
    >>> xor.shape, xor.is_exact
    ((2, 2, 2), True)
    >>> mutual_information(xor, "X", "Y"), mutual_information(xor, "X", "Y", given="Z")
    (0, 1)
    """

    __slots__ = ("_p", "_names", "_exact", "_cache")

    def __init__(self, p: object, names: Sequence[str]):
        table, exact = _as_table(p)
        self._names = _check_names(names, table.ndim)
        _check_values(table, exact)
        table.flags.writeable = False
        self._p, self._exact = table, exact
        self._cache: dict = {}

    @classmethod
    def from_weights(cls, weights: object, names: Sequence[str]) -> Joint:
        """Normalise non-negative weights: exactly for int/Fraction weights, in floats otherwise.

        >>> Joint.from_weights([1, 3], names=("A",)).probabilities.tolist()
        [Fraction(1, 4), Fraction(3, 4)]
        """
        table, exact = _as_table(weights)
        names = _check_names(names, table.ndim)
        _check_cells(table, exact, "weight")
        if exact:
            total = sum(table.ravel(), Fraction(0))
            if total == 0:
                raise InvalidDistribution("weights sum to 0: nothing to normalise")
            return cls(np.array([v / total for v in table.ravel()], dtype=object).reshape(table.shape), names)
        total = float(table.sum())
        if total <= 0:
            raise InvalidDistribution("weights sum to 0: nothing to normalise")
        return cls(table / total, names)

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    @property
    def shape(self) -> tuple[int, ...]:
        return self._p.shape

    @property
    def probabilities(self) -> np.ndarray:
        """The table itself (read-only): float64, or an object array of ``Fraction``."""
        return self._p

    @property
    def is_exact(self) -> bool:
        return self._exact

    @classmethod
    def _trusted(cls, table: np.ndarray, names: tuple[str, ...], exact: bool) -> Joint:
        """A joint from a table already known to be valid (a marginal of a valid joint)."""
        out = cls.__new__(cls)
        out._p, out._names, out._exact, out._cache = np.array(table), names, exact, {}
        out._p.flags.writeable = False
        return out

    def axes(self, names: Iterable[str]) -> tuple[int, ...]:
        """Axis indices of ``names``; unknown names raise :class:`InvalidDistribution`."""
        return axes_of(self._names, names)

    def marginal(self, *names: str) -> Joint:
        """The joint of ``names``, axes in the order given.

        >>> Joint([[0.1, 0.2], [0.3, 0.4]], names=("A", "B")).marginal("B").probabilities
        array([0.4, 0.6])
        """
        if not names:
            raise InvalidDistribution("marginal() needs at least one variable")
        keep = self.axes(names)
        if len(set(keep)) != len(keep):
            raise InvalidDistribution(f"variable repeated in marginal{names}")
        drop = tuple(i for i in range(self._p.ndim) if i not in keep)
        summed = self._p.sum(axis=drop) if drop else self._p
        order = sorted(keep)
        table = np.transpose(summed, [order.index(k) for k in keep]) if len(keep) > 1 else summed
        return Joint._trusted(table, tuple(names), self._exact)

    def _entropy_nats(self, variables: frozenset[str]):
        """H(variables) in nats: a float, or an exact {prime: coefficient} map. Cached."""
        if not variables:
            return {} if self._exact else 0.0
        hit = self._cache.get(variables)
        if hit is None:
            keep = set(self.axes(variables))
            drop = tuple(i for i in range(self._p.ndim) if i not in keep)
            marginal = self._p.sum(axis=drop) if drop else self._p
            if self._exact:
                hit = exact_entropy_nats(np.ravel(marginal))
            else:
                hit = float_entropy_nats(np.ravel(marginal))
            self._cache[variables] = hit
        return hit

    def __repr__(self) -> str:
        kind = "exact" if self._exact else "float"
        return f"Joint(names={self._names}, shape={self.shape}, {kind})"
