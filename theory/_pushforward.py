"""``PushforwardJoint``: a dense latent table plus deterministic functions of the latents.

A world's rendered image X is a deterministic function of its latents. Storing X as an
integer id per latent cell (images that coincide share an id) keeps every measure exact
while never building the dense (latents x X) table: the distribution of any group of
variables is one ``np.bincount`` over combined ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from ._errors import InvalidDistribution
from ._joint import Joint, axes_of, float_entropy_nats
from ._logs import exact_entropy_nats
from ._outcome_ids import outcome_ids

_MAX_KEY = 2**62
_MAX_DENSE_CELLS = 10**8


def dense_ids(keys: np.ndarray) -> tuple[np.ndarray, int]:
    """Relabel arbitrary integer keys as ``0..k-1`` (same shape); returns (ids, k)."""
    uniques, inverse = np.unique(np.ravel(keys), return_inverse=True)
    return inverse.reshape(np.shape(keys)).astype(np.int64), len(uniques)


def ids_of_outcomes(outcomes: np.ndarray, latent_shape: tuple[int, ...]) -> np.ndarray:
    """One id per latent cell for an array of outcomes of shape ``latent_shape + item_shape``.

    Outcomes are compared by their bytes, so two cells with identical arrays (a symmetric
    glyph rotated onto itself) get the same id.

    >>> images = np.array([[[0, 1]], [[1, 0]], [[0, 1]]])   # 3 latent cells, 1x2 images
    >>> ids = ids_of_outcomes(images, (3,))
    >>> bool(ids[0] == ids[2] != ids[1])
    True
    """
    outcomes = np.asarray(outcomes)
    if outcomes.shape[: len(latent_shape)] != tuple(latent_shape):
        raise InvalidDistribution(f"outcomes of shape {outcomes.shape} do not start with latent shape {latent_shape}")
    n = int(np.prod(latent_shape))
    return outcome_ids(outcomes.reshape((n,) + outcomes.shape[len(latent_shape) :]))[0].reshape(latent_shape)


class PushforwardJoint:
    """Latent variables with a dense table, plus named deterministic functions of them.

    ``functions`` maps a name (e.g. ``"X"``) to an integer id array with the latent table's
    shape: the value of that variable in each latent cell. Measures accept any mix of
    latent and function names.

    >>> from theory import Joint, entropy, mutual_information
    >>> latent = Joint.from_weights(np.ones((2, 2)), names=("C", "A"))
    >>> x = np.array([[0, 1], [1, 0]])                  # X = C xor A
    >>> J = PushforwardJoint(latent, {"X": x})
    >>> entropy(J, "X"), mutual_information(J, "A", "C", given="X")
    (1.0, 1.0)
    """

    __slots__ = ("_latent", "_ids", "_cards", "_names", "_cache")

    def __init__(self, latent: Joint, functions: Mapping[str, np.ndarray]):
        if not isinstance(latent, Joint):
            raise InvalidDistribution(f"latent must be a Joint, got {type(latent).__name__}")
        if not functions:
            raise InvalidDistribution("a pushforward joint needs at least one function of the latents")
        ids, cards = {}, {}
        for name, values in functions.items():
            if not isinstance(name, str) or not name:
                raise InvalidDistribution(f"function names must be non-empty strings, got {name!r}")
            if name in latent.names or name in ids:
                raise InvalidDistribution(f"duplicate variable name {name!r}")
            arr = np.asarray(values)
            if arr.shape != latent.shape:
                raise InvalidDistribution(
                    f"function {name!r} has shape {arr.shape}, expected the latent shape {latent.shape}"
                )
            if arr.dtype.kind not in "iu":
                raise InvalidDistribution(f"function {name!r} must hold integer ids, got dtype {arr.dtype}")
            if arr.min() < 0 or arr.max() >= 4 * arr.size:
                arr, card = dense_ids(arr)
            else:
                arr, card = arr.astype(np.int64), int(arr.max()) + 1
            arr.flags.writeable = False
            ids[name], cards[name] = arr, card
        self._latent, self._ids, self._cards = latent, ids, cards
        self._names = latent.names + tuple(ids)
        self._cache: dict = {}

    @classmethod
    def from_outcomes(cls, latent: Joint, **outcomes: np.ndarray) -> PushforwardJoint:
        """Build from raw outcome arrays (``latent.shape + item_shape``), merged by their bytes."""
        return cls(latent, {name: ids_of_outcomes(v, latent.shape) for name, v in outcomes.items()})

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    @property
    def latent(self) -> Joint:
        return self._latent

    @property
    def functions(self) -> dict[str, np.ndarray]:
        """Name -> read-only id array (values ``0..cardinality-1``; unused ids have probability 0)."""
        return dict(self._ids)

    @property
    def shape(self) -> tuple[int, ...]:
        """Cardinality of each variable, latent axes first."""
        return self._latent.shape + tuple(self._cards[n] for n in self._ids)

    @property
    def is_exact(self) -> bool:
        return self._latent.is_exact

    def axes(self, names) -> tuple[int, ...]:
        return axes_of(self._names, names)

    def _values(self, name: str) -> tuple[np.ndarray, int]:
        """(values of ``name`` broadcastable to the latent shape, cardinality)."""
        if name in self._ids:
            return self._ids[name], self._cards[name]
        axis = self._latent.names.index(name)
        card = self._latent.shape[axis]
        shape = [-1 if i == axis else 1 for i in range(len(self._latent.shape))]
        return np.arange(card, dtype=np.int64).reshape(shape), card

    def _group_ids(self, names: Sequence[str], densify: bool = True) -> tuple[np.ndarray, int]:
        """One id per latent cell for the tuple of ``names`` and an upper bound on the ids.

        Without ``densify`` the id is the mixed-radix index into the dense table of ``names``.
        """
        key: np.ndarray | int = 0
        bound = 1
        for name in names:
            values, card = self._values(name)
            if densify and bound * card >= _MAX_KEY:
                key, bound = dense_ids(np.broadcast_to(key, self._latent.shape))
            key = key * card + values
            bound *= card
        key = np.broadcast_to(key, self._latent.shape)
        if densify and bound > max(4 * key.size, 2**20):
            key, bound = dense_ids(key)
        return key, bound

    def _distribution(self, names: Sequence[str], densify: bool = True) -> np.ndarray:
        """Probabilities of the (grouped) values of ``names``: one bincount over the latent cells."""
        key, bound = self._group_ids(names, densify)
        p = self._latent.probabilities
        if not self.is_exact:
            return np.bincount(key.ravel(), weights=p.ravel(), minlength=bound)
        sums = np.full(bound, Fraction(0), dtype=object)
        np.add.at(sums, key.ravel(), p.ravel())
        return sums

    def _entropy_nats(self, variables: frozenset[str]):
        if not variables:
            return {} if self.is_exact else 0.0
        self.axes(variables)
        if variables <= set(self._latent.names):
            return self._latent._entropy_nats(variables)
        hit = self._cache.get(variables)
        if hit is None:
            dist = self._distribution(sorted(variables))
            hit = exact_entropy_nats(dist) if self.is_exact else float_entropy_nats(dist)
            self._cache[variables] = hit
        return hit

    def marginal(self, *names: str) -> Joint:
        """The dense joint of ``names`` (function axes sized by their cardinality).

        >>> latent = Joint.from_weights(np.ones((2, 2)), names=("C", "A"))
        >>> PushforwardJoint(latent, {"X": [[0, 1], [1, 0]]}).marginal("X", "C").shape
        (2, 2)
        """
        if not names:
            raise InvalidDistribution("marginal() needs at least one variable")
        self.axes(names)
        if len(set(names)) != len(names):
            raise InvalidDistribution(f"variable repeated in marginal{names}")
        if set(names) <= set(self._latent.names):
            return self._latent.marginal(*names)
        cards = [self._values(n)[1] for n in names]
        n_cells = int(np.prod(cards, dtype=object))
        if n_cells > _MAX_DENSE_CELLS:
            raise InvalidDistribution(
                f"the dense marginal of {names} would have {n_cells} cells; use the measures, which never build it"
            )
        return Joint._trusted(self._distribution(names, densify=False).reshape(cards), tuple(names), self.is_exact)

    def __repr__(self) -> str:
        kind = "exact" if self.is_exact else "float"
        return (
            f"PushforwardJoint(latent={self._latent.names}, functions={tuple(self._ids)}, shape={self.shape}, {kind})"
        )
