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
from hypothesis import assume
from hypothesis import strategies as st

from theory import Joint, PushforwardJoint

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
    n_classes: int | st.SearchStrategy = st.integers(2, 3),
    n_styles: int | st.SearchStrategy = st.integers(1, 2),
    n_poses: int | st.SearchStrategy = st.integers(1, 2),
    n_actions: int | st.SearchStrategy = st.integers(2, 4),
    n_inputs: int | st.SearchStrategy = st.integers(2, 6),
    n_codes: int | st.SearchStrategy = st.integers(1, 3),
    exact: bool = False,
    collide: bool = False,
) -> Joint:
    """A full causal model of E-SSL as a joint over ``("C", "S", "Abar", "A", "X", "Z")``.

    C, S, Abar come from a random table; A is uniform and independent of them by
    construction; the raw input Xbar is a random deterministic function of (C, S, Abar);
    X is a random deterministic function of (Xbar, A) into ``n_inputs`` values, so
    different scenes may render alike (the source of explaining away); Z comes from a
    random stochastic encoder q(z|x). At least two classes by default.

    ``collide=True`` makes two scenes of different classes, both of positive probability,
    render alike under two different actions (a six turned into a nine), so that the
    explaining-away term I(A;C|X) is positive unless other collisions cancel it.
    """
    pick = lambda v: draw(v) if isinstance(v, st.SearchStrategy) else v  # noqa: E731
    nc, ns, nb, na, nx, nz = (pick(v) for v in (n_classes, n_styles, n_poses, n_actions, n_inputs, n_codes))
    if collide and nc < 2:
        raise ProofsCheckError("collide needs at least two classes")
    weights = draw(weight_tables((nc, ns, nb)))
    n_raw = draw(st.integers(2 if collide else 1, max(2, nc * ns * nb) if collide else nc * ns * nb))
    raw = draw(functions(nc * ns * nb, n_raw)).reshape(nc, ns, nb)
    render = draw(functions(n_raw * na, nx)).reshape(n_raw, na)
    if collide:
        (c1, c2), (a1, a2) = draw(_two_distinct(nc)), draw(_two_distinct(na))
        weights[c1, 0, 0] = max(weights[c1, 0, 0], 1)
        weights[c2, 0, 0] = max(weights[c2, 0, 0], 1)
        if raw[c2, 0, 0] == raw[c1, 0, 0]:
            raw[c2, 0, 0] = (raw[c1, 0, 0] + 1) % n_raw
        render[raw[c2, 0, 0], a2] = render[raw[c1, 0, 0], a1]
    scene = normalise(weights, exact=True)
    q = draw(encoders(nx, nz, exact=True))
    p = np.full((nc, ns, nb, na, nx, nz), Fraction(0), dtype=object)
    for (c, s, b), p_scene in np.ndenumerate(scene):
        for a in range(na):
            x = render[raw[c, s, b], a]
            p[c, s, b, a, x, :] += p_scene * Fraction(1, na) * q[x]
    return Joint(p if exact else p.astype(np.float64), names=ESSL_NAMES)


def _two_distinct(n: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1])


@st.composite
def shortcut_models(
    draw,
    n_classes: int | st.SearchStrategy = st.integers(2, 3),
    n_styles: int | st.SearchStrategy = st.integers(1, 2),
    n_actions: int | st.SearchStrategy = st.integers(2, 4),
    exact: bool = False,
) -> PushforwardJoint:
    """An E-SSL model whose input carries a cheap statistic G = g(X) that reveals A for any
    class (a lit corner that moves with the rotation), as a joint over
    ``("C", "S", "Abar", "A", "X", "Z", "G")``.

    X pairs a random rendering of the scene with A itself, so G (the second part) is a
    function of X with I(A;G) = H(A) and I(A;C|G) = 0: no class information is needed.
    """
    pick = lambda v: draw(v) if isinstance(v, st.SearchStrategy) else v  # noqa: E731
    nc, ns, na = pick(n_classes), pick(n_styles), pick(n_actions)
    n_scene = draw(st.integers(1, 3))
    base = draw(
        essl_models(n_classes=nc, n_styles=ns, n_poses=1, n_actions=na, n_inputs=n_scene, n_codes=1, exact=True)
    )
    # Re-render: X = scene_x * na + a keeps what the scene showed and adds A.
    table = base.probabilities.sum(axis=(4, 5))  # (C, S, Abar, A)
    scene_x = np.argmax(base.probabilities.sum(axis=5) > 0, axis=4)  # the X each (C, S, Abar, A) rendered to
    nx = n_scene * na
    q = draw(encoders(nx, st.integers(1, 3), exact=True))
    p = np.full(table.shape + (nx, q.shape[1]), Fraction(0), dtype=object)
    for (c, s, b, a), weight in np.ndenumerate(table):
        x = int(scene_x[c, s, b, a]) * na + a
        p[c, s, b, a, x, :] += weight * q[x]
    joint = Joint(p if exact else p.astype(np.float64), names=ESSL_NAMES)
    g = np.broadcast_to(np.arange(nx)[None, None, None, None, :, None] % na, joint.shape).copy()
    return PushforwardJoint(joint, {"G": g})


@st.composite
def worlds(draw, max_classes: int = 4, max_side: int = 5):
    """Random glyph worlds (:class:`synthetic.worlds.random_worlds.RandomWorldSpec`), the same
    kinds :func:`~synthetic.worlds.random_worlds.draw` makes, drawn so that a failing example
    shrinks toward a small world: two classes, small asymmetric glyphs, canonical poses, one
    grey colour pair, no occlusion, no cue. Build one with ``spec.build()``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(worlds())
    ... def test_builds(spec):
    ...     assert spec.build().n_classes == spec.n_classes
    >>> test_builds()
    """
    from synthetic.worlds.random_worlds import BRIGHT, DARK, GREY, POSES, SYMMETRIES, RandomWorldSpec, art, symmetrised

    n_classes = draw(st.integers(2, max_classes))
    side = draw(st.integers(3, max_side))
    masks: list[np.ndarray] = []
    made: list[str] = []
    for _ in range(n_classes):
        symmetry = draw(st.sampled_from(list(SYMMETRIES)))
        ink = np.array(draw(st.lists(st.booleans(), min_size=side * side, max_size=side * side))).reshape(side, side)
        mask = symmetrised(ink, symmetry)
        assume(mask.any() and not any(np.array_equal(mask, m) for m in masks))
        masks.append(mask)
        made.append(symmetry)
    poses = tuple(draw(st.sampled_from(list(POSES))) for _ in masks)
    channels = draw(st.sampled_from([1, 3]))
    n_colours = draw(st.integers(1, 3))
    colours: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]
    if channels == 1:
        colours = tuple(((GREY[i][0],), (GREY[i][1],)) for i in range(n_colours))
    else:
        colours = tuple((BRIGHT[i], DARK[0]) for i in range(n_colours))
    return RandomWorldSpec(
        seed=None,
        glyphs=tuple(art(m) for m in masks),
        symmetries=tuple(made),
        poses=poses,
        channels=channels,
        colours=colours,
        corners=draw(st.booleans()),
        occlusion=draw(st.booleans()),
        cue=draw(st.booleans()),
    )
