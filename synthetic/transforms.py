"""Transformations as finite actions on image batches: the paper's seven pretext tasks and more.

A transformation has a ``name``, ``n_actions`` and ``apply(images, actions)``: ``images`` is a
numpy array or a torch tensor of shape ``(N, channels, H, W)``, ``actions`` an integer array
``(N,)`` with values in ``range(n_actions)``; the result has the input's type, dtype, device
and shape. Action 0 is always the identity. Geometric actions only move pixels (no
interpolation), and the work loops over the distinct action values, never over images.
torch is imported only when a tensor is passed.

=============  =======  ======================================================================
name           actions  action ``a``
=============  =======  ======================================================================
``rot4``       4        rotate by 90°·a counter-clockwise (``np.rot90(x, a)`` on (H, W));
                        needs H == W
``vflip``      2        a = 1: mirror top-bottom
``hflip``      2        a = 1: mirror left-right
``invert``     2        a = 1: x -> 1 - x (float images)
``grayscale``  2        a = 1: ITU-R 601 luminance 0.299 R + 0.587 G + 0.114 B copied to all
                        3 channels (float RGB images only)
``jigsaw``     24       permute the 2×2 quarters; see :class:`Jigsaw` (even H and W)
``blur4``      4        a = 0: none; a = 1, 2, 3: binomial blur of width 3, 5, 7; see
                        :class:`Blur`
``rot2``       2        rotate by 180°·a (rot4's actions 0 and 2); needs H == W
``d4``         8        a = 4·m + r: mirror left-right if m = 1, then rotate by 90°·r;
                        0-3 are rot4's rotations, 4 = hflip, 6 = vflip
``identity``   1        the image itself: no augmentation to predict (the objectives that
                        need none, e.g. contrastive learning over base augmentations)
=============  =======  ======================================================================

Products are written ``"rot4*vflip"``: the first factor is applied first, and the label of
the pair (a1, a2) is ``a1 * n2 + a2`` (row-major, :meth:`Product.join` / :meth:`Product.split`),
so ``d4`` and ``"hflip*rot4"`` are the same action with the same labels.

Algebra, computed from ``apply`` itself: ``compose(first, second)`` is the action equal to
applying ``first`` and then ``second`` (it exists when the action set is closed: the groups
rot4, rot2, d4, flips, invert, jigsaw, and grayscale, which is idempotent); ``inverse`` where
``is_group``. Blur is lossy and not closed. :func:`coarsening` gives the map g with A = g(A')
when a coarse task is a factor of a finer one (d4 -> rot4, rot4 -> rot2, a product -> a factor).

>>> import numpy as np
>>> rot4 = get("rot4")
>>> x = np.arange(4.0).reshape(1, 1, 2, 2)
>>> rot4.apply(x, np.array([1]))[0, 0]
array([[1., 3.],
       [0., 2.]])
>>> int(rot4.compose(1, 3)), int(rot4.inverse(1)), get("rot4*vflip").n_actions
(0, 3, 8)
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import numpy as np

from .errors import TransformError

__all__ = [
    "PAPER_SEVEN",
    "Blur",
    "Dihedral",
    "Flip",
    "Grayscale",
    "Identity",
    "Invert",
    "Jigsaw",
    "Product",
    "Rotation",
    "Transform",
    "TransformError",
    "coarsening",
    "get",
    "names",
    "register",
    "unregister",
]

PAPER_SEVEN: tuple[str, ...] = ("rot4", "vflip", "hflip", "invert", "grayscale", "jigsaw", "blur4")


# --------------------------------------------------------------------------- array backends


class _NumpyOps:
    @staticmethod
    def copy(x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def index(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return idx

    @staticmethod
    def is_float(x: np.ndarray) -> bool:
        return bool(np.issubdtype(x.dtype, np.floating))

    @staticmethod
    def flip(x: np.ndarray, axis: int) -> np.ndarray:
        return np.flip(x, axis=axis)

    @staticmethod
    def rot90(x: np.ndarray, k: int) -> np.ndarray:
        return np.rot90(x, k, axes=(-2, -1))

    @staticmethod
    def take(x: np.ndarray, idx: np.ndarray, axis: int) -> np.ndarray:
        return np.take(x, idx, axis=axis)

    @staticmethod
    def cat(xs: list[np.ndarray], axis: int) -> np.ndarray:
        return np.concatenate(xs, axis=axis)

    @staticmethod
    def repeat_channels(x: np.ndarray, n: int) -> np.ndarray:
        return np.repeat(x[:, None], n, axis=1)


class _TorchOps:
    def __init__(self) -> None:
        import torch

        self.torch = torch

    @staticmethod
    def copy(x: Any) -> Any:
        return x.clone()

    def index(self, x: Any, idx: np.ndarray) -> Any:
        return self.torch.as_tensor(idx, dtype=self.torch.long, device=x.device)

    @staticmethod
    def is_float(x: Any) -> bool:
        return bool(x.is_floating_point())

    def flip(self, x: Any, axis: int) -> Any:
        return self.torch.flip(x, dims=(axis,))

    def rot90(self, x: Any, k: int) -> Any:
        return self.torch.rot90(x, k, dims=(-2, -1))

    def take(self, x: Any, idx: np.ndarray, axis: int) -> Any:
        return self.torch.index_select(x, axis, self.index(x, idx))

    def cat(self, xs: list[Any], axis: int) -> Any:
        return self.torch.cat(xs, dim=axis)

    @staticmethod
    def repeat_channels(x: Any, n: int) -> Any:
        return x[:, None].expand(-1, n, -1, -1)


def _is_torch(x: object) -> bool:
    return type(x).__module__.split(".")[0] == "torch"


def _ops_for(images: object) -> _NumpyOps | _TorchOps:
    if isinstance(images, np.ndarray):
        return _NumpyOps()
    if _is_torch(images):
        return _TorchOps()
    raise TransformError(f"images must be a numpy array or a torch tensor, got {type(images).__name__}")


def _as_int_array(actions: object, what: str) -> np.ndarray:
    if _is_torch(actions):
        actions = actions.detach().cpu().numpy()  # type: ignore[attr-defined]
    arr = np.asarray(actions)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TransformError(f"{what} must be integers, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def _check_range(arr: np.ndarray, n: int, what: str) -> None:
    bad = (arr < 0) | (arr >= n)
    if bad.any():
        raise TransformError(
            f"{what} must lie in range({n}); got {int(arr[bad].flat[0])} ({int(bad.sum())} value(s) out of range)"
        )


# --------------------------------------------------------------------------- transformations


@dataclass(frozen=True)
class Transform:
    """A finite action on image batches; subclasses define ``_apply_one`` for one action value."""

    name: str
    n_actions: int

    _FIXED_N_ACTIONS: ClassVar[int | None] = None

    def __post_init__(self) -> None:
        if isinstance(self.n_actions, bool) or not isinstance(self.n_actions, int) or self.n_actions < 1:
            raise TransformError(f"{self.name}: n_actions must be a positive integer, got {self.n_actions!r}")
        if self._FIXED_N_ACTIONS is not None and self.n_actions != self._FIXED_N_ACTIONS:
            raise TransformError(
                f"{self.name}: a {type(self).__name__} has {self._FIXED_N_ACTIONS} actions, got {self.n_actions}"
            )

    def apply(self, images: Any, actions: Any) -> Any:
        """``images`` transformed image by image by ``actions`` (same type, dtype, shape)."""
        ops = _ops_for(images)
        acts = self._checked(ops, images, actions)
        out = ops.copy(images)
        for a in np.unique(acts):
            if a == 0:
                continue
            idx = ops.index(images, np.flatnonzero(acts == a))
            out[idx] = self._apply_one(ops, images[idx], int(a))
        return out

    def _checked(self, ops: Any, images: Any, actions: Any) -> np.ndarray:
        shape = tuple(images.shape)
        if len(shape) != 4:
            raise TransformError(f"{self.name}: images must have shape (N, channels, H, W), got {shape}")
        self._check_images(ops, images)
        acts = _as_int_array(actions, f"{self.name} actions")
        if acts.shape != (shape[0],):
            raise TransformError(
                f"{self.name}: actions must have shape ({shape[0]},) to match the images, got {acts.shape}"
            )
        _check_range(acts, self.n_actions, f"{self.name} actions")
        return acts

    def _check_images(self, ops: Any, images: Any) -> None:
        """Raise when the batch cannot carry this action (all actions, identity included)."""

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        raise NotImplementedError

    # ---- algebra -------------------------------------------------------------------------

    def cayley_table(self) -> np.ndarray:
        """Read-only ``table[a, b]`` = the action equal to applying ``a`` and then ``b``.

        Found once (then cached) by applying every pair to a probe image whose pixel values
        are all distinct, so it agrees with :meth:`apply` by construction.
        """
        table = _cayley_table(self)
        if table is None:
            raise TransformError(
                f"{self.name} is not closed under composition: composing two of its actions is "
                f"in general none of its actions"
            )
        return table

    @property
    def is_closed(self) -> bool:
        """Composing any two actions gives an action (a monoid: action 0 is the identity)."""
        return _cayley_table(self) is not None

    @property
    def is_group(self) -> bool:
        """Closed, and every action has an inverse."""
        table = _cayley_table(self)
        return table is not None and bool((table == 0).any(axis=1).all())

    def compose(self, first: Any, second: Any) -> Any:
        """The action equal to applying ``first`` and then ``second`` (elementwise on arrays).

        >>> int(get("d4").compose(4, 2))  # hflip then 180° is vflip
        6
        """
        a = _as_int_array(first, f"{self.name} first")
        b = _as_int_array(second, f"{self.name} second")
        _check_range(a, self.n_actions, f"{self.name} first")
        _check_range(b, self.n_actions, f"{self.name} second")
        return self.cayley_table()[a, b]

    def inverse(self, actions: Any) -> Any:
        """The action undoing ``actions`` (elementwise on arrays); only for groups."""
        if not self.is_group:
            raise TransformError(f"{self.name} is not a group: not every action can be undone")
        a = _as_int_array(actions, f"{self.name} actions")
        _check_range(a, self.n_actions, f"{self.name} actions")
        return np.argmin(self.cayley_table(), axis=1)[a]


def _require_square(name: str, images: Any) -> None:
    h, w = images.shape[-2:]
    if h != w:
        raise TransformError(f"{name} needs square images (H == W), got H={h}, W={w}")


def _require_float(name: str, ops: Any, images: Any) -> None:
    if not ops.is_float(images):
        raise TransformError(f"{name} needs floating-point images with values in [0, 1], got dtype {images.dtype}")


@dataclass(frozen=True)
class Flip(Transform):
    """Action 1 mirrors along ``axis``: -1 is left-right (hflip), -2 top-bottom (vflip)."""

    axis: int = -1
    _FIXED_N_ACTIONS: ClassVar[int | None] = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.axis not in (-1, -2):
            raise TransformError(f"{self.name}: axis must be -1 (left-right) or -2 (top-bottom), got {self.axis}")

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        return ops.flip(images, self.axis)


@dataclass(frozen=True)
class Rotation(Transform):
    """Action a rotates by a·(360/n_actions)° counter-clockwise; n_actions is 1, 2 or 4."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_actions not in (1, 2, 4):
            raise TransformError(
                f"{self.name}: rotations by multiples of 90° have 1, 2 or 4 actions, got {self.n_actions}"
            )

    def _check_images(self, ops: Any, images: Any) -> None:
        _require_square(self.name, images)

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        return ops.rot90(images, action * (4 // self.n_actions))


@dataclass(frozen=True)
class Dihedral(Transform):
    """The 8 symmetries of the square: a = 4·m + r mirrors left-right if m = 1, then rotates
    by 90°·r counter-clockwise. Order: identity, rot90, rot180, rot270, hflip,
    rot90∘hflip (transpose: mirror in the main diagonal), rot180∘hflip = vflip, rot270∘hflip
    (mirror in the anti-diagonal)."""

    _FIXED_N_ACTIONS: ClassVar[int | None] = 8

    def _check_images(self, ops: Any, images: Any) -> None:
        _require_square(self.name, images)

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        x = ops.flip(images, -1) if action >= 4 else images
        return ops.rot90(x, action % 4)


@dataclass(frozen=True)
class Identity(Transform):
    """One action, the identity: a world under ``identity`` is its un-augmented images."""

    _FIXED_N_ACTIONS: ClassVar[int | None] = 1


@dataclass(frozen=True)
class Invert(Transform):
    """Action 1 maps x to 1 - x (exact when 1 - x is representable, e.g. multiples of 2**-8)."""

    _FIXED_N_ACTIONS: ClassVar[int | None] = 2

    def _check_images(self, ops: Any, images: Any) -> None:
        _require_float(self.name, ops, images)

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        return 1 - images


@dataclass(frozen=True)
class Grayscale(Transform):
    """Action 1 replaces each RGB pixel by its luminance ``weights · (R, G, B)`` in all 3 channels.

    Idempotent up to float rounding (the weights sum to 1 in decimal, not exactly in binary).
    """

    weights: tuple[float, float, float] = (0.299, 0.587, 0.114)
    _FIXED_N_ACTIONS: ClassVar[int | None] = 2

    def _check_images(self, ops: Any, images: Any) -> None:
        _require_float(self.name, ops, images)
        c = images.shape[1]
        if c != 3:
            plural = "s" * (c != 1)
            raise TransformError(f"{self.name} needs RGB images with 3 channels, got {c} channel{plural}")

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        wr, wg, wb = self.weights
        lum = wr * images[:, 0] + wg * images[:, 1] + wb * images[:, 2]
        return ops.repeat_channels(lum, 3)


_PERMUTATIONS: tuple[tuple[int, ...], ...] = tuple(itertools.permutations(range(4)))


@dataclass(frozen=True)
class Jigsaw(Transform):
    """Permute the 2×2 quarters, numbered 0 top-left, 1 top-right, 2 bottom-left, 3
    bottom-right. Label a is the rank of ``p = permutation(a)`` in the lexicographic order of
    ``itertools.permutations(range(4))`` (0 = identity), and quarter i of the output is
    quarter p[i] of the input. Needs even H and W.

    >>> Jigsaw("jigsaw", 24).permutation(23), Jigsaw("jigsaw", 24).label((1, 0, 3, 2))
    ((3, 2, 1, 0), 7)
    """

    _FIXED_N_ACTIONS: ClassVar[int | None] = 24

    @staticmethod
    def permutation(label: int) -> tuple[int, ...]:
        if not 0 <= int(label) < 24:
            raise TransformError(f"jigsaw labels lie in range(24), got {label}")
        return _PERMUTATIONS[int(label)]

    @staticmethod
    def label(permutation: tuple[int, ...]) -> int:
        try:
            return _PERMUTATIONS.index(tuple(int(i) for i in permutation))
        except ValueError:
            raise TransformError(f"{permutation!r} is not a permutation of (0, 1, 2, 3)") from None

    def _check_images(self, ops: Any, images: Any) -> None:
        h, w = images.shape[-2:]
        if h % 2 or w % 2:
            raise TransformError(f"{self.name} needs even H and W to cut 2x2 quarters, got H={h}, W={w}")

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        h, w = images.shape[-2] // 2, images.shape[-1] // 2
        q = [images[..., :h, :w], images[..., :h, w:], images[..., h:, :w], images[..., h:, w:]]
        p = _PERMUTATIONS[action]
        top = ops.cat([q[p[0]], q[p[1]]], -1)
        bottom = ops.cat([q[p[2]], q[p[3]]], -1)
        return ops.cat([top, bottom], -2)


_BINOMIAL_KERNELS: tuple[tuple[int, ...], ...] = ((1, 2, 1), (1, 4, 6, 4, 1), (1, 6, 15, 20, 15, 6, 1))


@dataclass(frozen=True)
class Blur(Transform):
    """Action a > 0 convolves with the separable kernel ``kernels[a - 1] / sum`` along H, then
    along W, with edge padding (the border pixel repeated: numpy ``mode="edge"``, torch
    ``"replicate"``, scipy ``mode="nearest"``). The default kernels are the binomial rows
    [1,2,1]/4, [1,4,6,4,1]/16, [1,6,15,20,15,6,1]/64 (variances 0.5, 1, 1.5 pixels²).

    Integer weights and power-of-two sums make numpy and torch results bitwise equal.
    """

    kernels: tuple[tuple[int, ...], ...] = _BINOMIAL_KERNELS

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.kernels) + 1 != self.n_actions:
            raise TransformError(
                f"{self.name}: {len(self.kernels)} kernels give {len(self.kernels) + 1} actions, not {self.n_actions}"
            )
        for k in self.kernels:
            if len(k) % 2 == 0 or tuple(k) != tuple(reversed(k)):
                raise TransformError(f"{self.name}: kernel {k} must be symmetric with odd length")

    def _check_images(self, ops: Any, images: Any) -> None:
        _require_float(self.name, ops, images)

    def _apply_one(self, ops: Any, images: Any, action: int) -> Any:
        kernel = self.kernels[action - 1]
        x = images
        for axis in (-2, -1):
            x = _correlate_edge(ops, x, kernel, axis)
        return x


def _correlate_edge(ops: Any, x: Any, kernel: tuple[int, ...], axis: int) -> Any:
    n = x.shape[axis]
    r = len(kernel) // 2
    padded = ops.take(x, np.clip(np.arange(-r, n + r), 0, n - 1), axis)
    window = [slice(None)] * x.ndim
    acc = None
    for j, weight in enumerate(kernel):
        window[axis] = slice(j, j + n)
        term = weight * padded[tuple(window)]
        acc = term if acc is None else acc + term
    assert acc is not None  # kernels have odd length (checked in Blur.__post_init__), so at least one term
    return acc / sum(kernel)


@dataclass(frozen=True)
class Product(Transform):
    """Apply ``factors[0]``, then ``factors[1]``, ...; the label of (a1, ..., ak) is the
    row-major index ``np.ravel_multi_index((a1, ..., ak), sizes)``, e.g. a1 * n2 + a2.

    >>> p = get("rot4*vflip")
    >>> int(p.join(3, 1)), [int(a) for a in p.split(7)]
    (7, [3, 1])
    """

    factors: tuple[Transform, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.factors or self.n_actions != math.prod(self.sizes):
            raise TransformError(f"{self.name}: a product needs factors whose action counts multiply to n_actions")

    @classmethod
    def of(cls, factors: tuple[Transform, ...]) -> Product:
        return cls("*".join(f.name for f in factors), math.prod(f.n_actions for f in factors), tuple(factors))

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(f.n_actions for f in self.factors)

    def split(self, actions: Any) -> tuple[np.ndarray, ...]:
        """Product labels -> one label array per factor."""
        a = _as_int_array(actions, f"{self.name} actions")
        _check_range(a, self.n_actions, f"{self.name} actions")
        return tuple(np.unravel_index(a, self.sizes))

    def join(self, *factor_actions: Any) -> np.ndarray:
        """One label array per factor -> product labels."""
        if len(factor_actions) != len(self.factors):
            raise TransformError(f"{self.name} has {len(self.factors)} factors, got {len(factor_actions)} label arrays")
        parts = []
        for f, a in zip(self.factors, factor_actions):
            arr = _as_int_array(a, f"{f.name} actions")
            _check_range(arr, f.n_actions, f"{f.name} actions")
            parts.append(arr)
        return np.ravel_multi_index(np.broadcast_arrays(*parts), self.sizes)

    def apply(self, images: Any, actions: Any) -> Any:
        acts = self._checked(_ops_for(images), images, actions)
        out = images
        for f, part in zip(self.factors, np.unravel_index(acts, self.sizes)):
            out = f.apply(out, part)
        return out


# --------------------------------------------------------------------------- algebra by probing

# Pixel values k/128, all distinct and below 1/2, so pixel permutations, inversion and
# grayscale are told apart exactly; 4x4 RGB satisfies every transform's shape needs.
_PROBE = ((np.random.default_rng(0).permutation(48) + 1) / 128.0).reshape(1, 3, 4, 4)


@cache
def _cayley_table(t: Transform) -> np.ndarray | None:
    """Cayley table from ``apply`` on a probe image, or None when the set is not closed."""
    n = t.n_actions
    refs = t.apply(np.repeat(_PROBE, n, axis=0), np.arange(n))
    flat = refs.reshape(n, -1)
    match, dist2 = _nearest(flat, flat, exclude_self=True)
    if (dist2 < 1e-12).any():
        a = int(np.argmin(dist2))
        raise TransformError(f"{t.name}: actions {a} and {int(match[a])} coincide on the probe image")
    table = np.empty((n, n), dtype=np.int64)
    for b in range(n):
        composed = t.apply(refs, np.full(n, b)).reshape(n, -1)
        match, _ = _nearest(composed, flat)
        if np.abs(composed - flat[match]).max() > 1e-9:
            return None
        table[:, b] = match
    table.setflags(write=False)
    return table


def _nearest(queries: np.ndarray, refs: np.ndarray, exclude_self: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest row of ``refs`` for each query row, and the squared distance."""
    dist2 = (queries**2).sum(axis=1)[:, None] + (refs**2).sum(axis=1)[None, :] - 2 * queries @ refs.T
    if exclude_self:
        np.fill_diagonal(dist2, np.inf)
    match = np.argmin(dist2, axis=1)
    return match, dist2[np.arange(len(queries)), match]


# --------------------------------------------------------------------------- registry

_REGISTRY: dict[str, Transform] = {
    t.name: t
    for t in (
        Rotation("rot4", 4),
        Flip("vflip", 2, axis=-2),
        Flip("hflip", 2, axis=-1),
        Invert("invert", 2),
        Grayscale("grayscale", 2),
        Jigsaw("jigsaw", 24),
        Blur("blur4", 4),
        Rotation("rot2", 2),
        Dihedral("d4", 8),
        Identity("identity", 1),
    )
}


def register(transform: Transform) -> Transform:
    """Add ``transform`` to the registry under its ``name`` (unique, without ``*``); returns it.

    Registered transformations work everywhere a name is taken: worlds, analysis, training,
    products and the CLI's choices.

    >>> class Transpose(Transform):
    ...     def _apply_one(self, ops, images, action):
    ...         return images.swapaxes(-1, -2) if action else ops.copy(images)
    >>> register(Transpose("transpose", 2)).n_actions, "transpose" in names()
    (2, True)
    >>> unregister("transpose")
    """
    if not isinstance(transform, Transform):
        raise TransformError(f"register takes a Transform, got {type(transform).__name__}")
    name = transform.name
    if not isinstance(name, str) or not name or "*" in name:
        raise TransformError(f"a transformation name must be a non-empty string without '*', got {name!r}")
    if name in _REGISTRY:
        raise TransformError(f"a transformation named {name!r} is already registered")
    _REGISTRY[name] = transform
    return transform


def unregister(name: str) -> None:
    """Remove a registered transformation (for tests and interactive sessions)."""
    if name not in _REGISTRY:
        raise TransformError(f"no transformation named {name!r} is registered")
    del _REGISTRY[name]
    get.cache_clear()


def names() -> tuple[str, ...]:
    """Registered transformation names (products of them are available through :func:`get`)."""
    return tuple(_REGISTRY)


@cache
def get(name: str | Transform) -> Transform:
    """The transformation called ``name``: a registered name or a product ``"rot4*vflip"``
    (a :class:`Transform` passes through, so callers may accept either)."""
    if isinstance(name, Transform):
        return name
    if not isinstance(name, str):
        raise TransformError(f"transformation names are strings, got {type(name).__name__}")
    if name in _REGISTRY:
        return _REGISTRY[name]
    parts = name.split("*")
    unknown = [p for p in parts if p not in _REGISTRY]
    if unknown:
        raise TransformError(
            f"unknown transformation {unknown[0]!r} in {name!r}; valid names: {', '.join(_REGISTRY)} "
            f"and products of them joined by '*' (e.g. 'rot4*vflip')"
        )
    return Product.of(tuple(_REGISTRY[p] for p in parts))


# Direct "coarse is a factor of fine" relations: fine action a' = (coarse action g(a')) combined
# with a residual action that the coarse label does not see.
_FACTOR_MAPS: dict[tuple[str, str], Callable[[np.ndarray], np.ndarray]] = {
    ("d4", "rot4"): lambda a: a % 4,  # d4(a) = rot4(a % 4) after hflip^(a // 4)
    ("d4", "hflip"): lambda a: a // 4,  # ... = rot4(a % 4) after hflip(a // 4)
    ("d4", "vflip"): lambda a: a // 4,  # ... = rot4((a + 2·(a // 4)) % 4) after vflip(a // 4)
    ("rot4", "rot2"): lambda a: a // 2,  # rot by 90a = rot2(a // 2) after rot4(a % 2)
}


def _coarser(t: Transform) -> list[tuple[str, np.ndarray]]:
    acts = np.arange(t.n_actions)
    out = [(coarse, g(acts)) for (fine, coarse), g in _FACTOR_MAPS.items() if fine == t.name]
    if isinstance(t, Product):
        out += [(f.name, part) for f, part in zip(t.factors, t.split(acts))]
    return out


def coarsening(fine_name: str, coarse_name: str) -> np.ndarray:
    """Integer array g with coarse label = g[fine label], when the coarse transformation is a
    factor of the fine one: every fine action is the coarse action g(a') combined (before or
    after) with a fine action that g maps to 0. Known relations: a product to each factor,
    d4 to rot4 (rotation part), d4 to hflip and vflip (mirror bit), rot4 to rot2 (half-turn
    part: 270° = 180° after 90°), and chains of these.

    >>> coarsening("d4", "rot2").tolist()
    [0, 0, 1, 1, 0, 0, 1, 1]
    """
    fine, coarse = get(fine_name), get(coarse_name)
    queue = deque([(fine, np.arange(fine.n_actions))])
    seen = {fine.name}
    while queue:
        t, g = queue.popleft()
        if t.name == coarse.name:
            return g
        for name, step in _coarser(t):
            if name not in seen:
                seen.add(name)
                queue.append((get(name), step[g]))
    raise TransformError(
        f"no known coarsening from {fine.name!r} to {coarse.name!r}: known relations are a "
        f"product to its factors, d4 to rot4, hflip and vflip, rot4 to rot2, and chains of these"
    )
