"""The knobs of a :class:`synthetic.worlds.glyph_world.GlyphWorld`: validation and normalisation.

``build_spec(glyphs, class_prior, **knobs)`` checks every knob (raising
:class:`WorldError` with the knob's name) and returns a :class:`WorldSpec`: the glyph bank,
the canvas, the finite value set of each style knob, and the probability tables p(c),
p(knob value) and p(ā | c) as Fraction object arrays (exact worlds) or float64 arrays.

>>> spec = build_spec({"a": [[1.0, 0.0]], "b": [[0.0, 1.0]]}, canvas=(1, 3), positions=[(0, 0), (0, 1)])
>>> spec.knob_values["position"], spec.n_channels, spec.exact
(((0, 0), (0, 1)), 1, False)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple, cast

import numpy as np

from theory import exact_value

from .. import transforms
from ..errors import WorldError

__all__ = ["KNOBS", "POSE_GROUPS", "ColourJitter", "Style", "WorldSpec", "build_spec", "overlap", "uniform"]

KNOBS: tuple[str, ...] = ("position", "colour", "stroke", "occluder", "shift", "flip", "jitter", "variant")
"""The style knobs, in the order their product is enumerated along S (``variant``: which of a
class's glyph drawings, e.g. the font; one unnamed variant unless ``variants`` are given)."""

POSE_GROUPS: tuple[str, ...] = ("hflip", "vflip", "rot2", "rot4", "d4")
"""Transformations a pose Ā may be drawn from (products of them too, e.g. ``"rot4*vflip"``)."""

_FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ColourJitter:
    """A finite colour change: permute channels, multiply by ``scale``, optionally make grey.

    ``grey`` uses the luminance weights of the ``grayscale`` transform. On 1-channel worlds
    only ``scale`` may differ from the identity.

    >>> ColourJitter((2, 1, 0), 0.5).describe()
    'perm(2, 1, 0)·0.5'
    """

    permutation: tuple[int, ...] = (0, 1, 2)
    scale: float = 1.0
    grey: bool = False

    def __post_init__(self) -> None:
        if sorted(self.permutation) != [0, 1, 2]:
            raise WorldError(f"ColourJitter permutation must order (0, 1, 2), got {self.permutation!r}")
        if not isinstance(self.scale, numbers.Real) or not 0 < float(self.scale) <= 1:
            raise WorldError(f"ColourJitter scale must lie in (0, 1] so values stay in [0, 1], got {self.scale!r}")

    @property
    def is_identity(self) -> bool:
        return tuple(self.permutation) == (0, 1, 2) and float(self.scale) == 1.0 and not self.grey

    def describe(self) -> str:
        parts = []
        if tuple(self.permutation) != (0, 1, 2):
            parts.append(f"perm{tuple(self.permutation)}")
        if float(self.scale) != 1.0:
            parts.append(f"{float(self.scale):g}")
        if self.grey:
            parts.append("grey")
        return "·".join(parts) if parts else "none"

    def apply(self, images: np.ndarray) -> np.ndarray:
        """Apply to images (..., channels, H, W)."""
        out = images
        if images.shape[-3] == 3:
            if tuple(self.permutation) != (0, 1, 2):
                out = out[..., list(self.permutation), :, :]
            if self.grey:
                wr, wg, wb = transforms.Grayscale("grayscale", 2).weights
                lum = wr * out[..., 0, :, :] + wg * out[..., 1, :, :] + wb * out[..., 2, :, :]
                out = np.repeat(lum[..., None, :, :], 3, axis=-3)
        if float(self.scale) != 1.0:
            out = out * np.float32(self.scale)
        return out


class Style(NamedTuple):
    """The value of each style knob for one value s of S."""

    position: tuple[int, int]
    colour: tuple[Any, Any]
    stroke: int
    occluder: tuple[int, int, int, int] | None
    shift: tuple[int, int]
    flip: bool
    jitter: ColourJitter
    variant: str


# ---------------------------------------------------------------------------- validation


def _is_exact_sequence(values: Sequence[object]) -> bool:
    return all(exact_value(v) is not None for v in values)


def _probabilities(values: object, n: int, what: str, exact: bool) -> np.ndarray:
    """Validate a probability vector of length ``n``; Fraction object array or float64."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise WorldError(f"{what} must be a sequence of {n} probabilities, got {type(values).__name__}")
    seq = list(np.asarray(values, dtype=object).ravel()) if isinstance(values, np.ndarray) else list(values)
    if len(seq) != n:
        raise WorldError(f"{what} has {len(seq)} entries, expected {n}")
    for i, v in enumerate(seq):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) and exact_value(v) is None:
            raise WorldError(f"{what}[{i}] = {v!r} is not a number")
        if not (float(v) >= 0):
            raise WorldError(f"{what}[{i}] = {v} is negative or not a number")
    if exact:
        fr = [exact_value(v) for v in seq]
        bad = [i for i, f in enumerate(fr) if f is None]
        if bad:
            raise WorldError(
                f"{what}[{bad[0]}] = {seq[bad[0]]!r} is a float in an exact world; give int/Fraction "
                "probabilities or build the world with exact=False"
            )
        total = sum(cast(list[Fraction], fr), Fraction(0))  # no None left: checked just above
        if total != 1:
            raise WorldError(f"{what} sums to {total}, not 1; nothing is renormalised")
        return np.array(fr, dtype=object)
    arr = np.array([float(v) for v in seq], dtype=np.float64)
    if not np.isfinite(arr).all():
        raise WorldError(f"{what} holds a non-finite value: {arr.tolist()}")
    float_total = float(arr.sum())
    if abs(float_total - 1.0) > _FLOAT_TOLERANCE:
        raise WorldError(f"{what} sums to {float_total:g}, not 1; nothing is renormalised")
    return arr


def uniform(n: int, exact: bool) -> np.ndarray:
    return np.array([Fraction(1, n)] * n, dtype=object) if exact else np.full(n, 1.0 / n)


def _one_glyph(name: str, value: object) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorldError(f"glyph {name!r} is not a numeric array") from None
    if arr.ndim == 2:
        arr = arr[None]
    elif not (arr.ndim == 3 and arr.shape[0] in (1, 3)):
        raise WorldError(f"glyph {name!r} has shape {arr.shape}; expected (H, W) or (3, H, W)")
    if arr.shape[-1] < 1 or arr.shape[-2] < 1:
        raise WorldError(f"glyph {name!r} is empty: shape {arr.shape}")
    if not np.isfinite(arr).all() or arr.min() < 0 or arr.max() > 1:
        raise WorldError(f"glyph {name!r} has values outside [0, 1] (min {arr.min():g}, max {arr.max():g})")
    return arr


def _glyph_bank(glyphs: Mapping[str, object], n_variants: int = 1) -> tuple[tuple[str, ...], np.ndarray, bool]:
    """Class names, the glyphs as (n · n_variants, channels, h, w) float64 (class-major), and
    whether they are masks. With several variants each class gives one glyph per variant
    along a leading axis."""
    if not isinstance(glyphs, Mapping) or not glyphs:
        raise WorldError("glyphs must be a non-empty mapping from class name to a 2-D or (3, H, W) array")
    names, arrays = [], []
    for name, value in glyphs.items():
        if not isinstance(name, str) or not name:
            raise WorldError(f"class names must be non-empty strings, got {name!r}")
        if n_variants == 1:
            arrays.append(_one_glyph(name, value))
        else:
            drawings = list(value)  # type: ignore[call-overload]
            if len(drawings) != n_variants:
                raise WorldError(f"glyph {name!r} has {len(drawings)} variants, expected {n_variants}")
            arrays.extend(_one_glyph(f"{name}[{i}]", d) for i, d in enumerate(drawings))
        names.append(name)
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        listing = ", ".join(sorted({str(a.shape) for a in arrays}))
        raise WorldError(f"glyph shapes differ ({listing}); every class and variant needs the same shape")
    bank = np.stack(arrays)
    return tuple(names), bank, bank.shape[1] == 1


def _variants(variants: object) -> tuple[str, ...]:
    if variants is None:
        return ("",)
    if isinstance(variants, str) or not isinstance(variants, Sequence) or not variants:
        raise WorldError(f"variants must be a non-empty sequence of names, got {variants!r}")
    names = tuple(str(v) for v in variants)
    if len(set(names)) != len(names):
        raise WorldError(f"variant names repeat: {names}")
    return names


def _int_pair(value: object, what: str) -> tuple[int, int]:
    try:
        a, b = cast(Any, value)  # anything that unpacks into two; checked below
    except (TypeError, ValueError):
        raise WorldError(f"{what} must be a pair of ints, got {value!r}") from None
    for v in (a, b):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise WorldError(f"{what} must be a pair of ints, got {value!r}")
    return int(a), int(b)


def _colour(value: object, what: str) -> tuple[float, ...]:
    out: tuple[float, ...]
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        out = (float(value),)
    else:
        try:
            out = tuple(float(v) for v in cast(Iterable[Any], value))  # a non-iterable raises TypeError
        except (TypeError, ValueError):
            raise WorldError(f"{what} must be a grey level or an (R, G, B) triple, got {value!r}") from None
        if len(out) != 3:
            raise WorldError(f"{what} must be a grey level or an (R, G, B) triple, got {value!r}")
    if not all(0 <= v <= 1 for v in out):
        raise WorldError(f"{what} = {value!r} has values outside [0, 1]")
    return out


def _non_empty(values: object, what: str) -> list:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise WorldError(f"{what} must be a non-empty sequence, got {values!r}")
    out = list(values)
    if not out:
        raise WorldError(f"{what} must be a non-empty sequence")
    return out


def _check_pose(pose: object) -> transforms.Transform | None:
    if pose is None:
        return None
    if not isinstance(pose, str) or any(p not in POSE_GROUPS for p in pose.split("*")):
        raise WorldError(
            f"unknown pose group {pose!r}; a pose is drawn from {', '.join(POSE_GROUPS)} or a product "
            "of them (e.g. 'rot4*vflip')"
        )
    return transforms.get(pose)


def overlap(offset: int, size: int, canvas: int) -> tuple[slice, slice] | None:
    """(canvas slice, source slice) of a length-``size`` segment placed at ``offset``."""
    lo, hi = max(offset, 0), min(offset + size, canvas)
    if lo >= hi:
        return None
    return slice(lo, hi), slice(lo - offset, hi - offset)


@dataclass(frozen=True)
class WorldSpec:
    """Validated, normalised knobs of a world (see :class:`synthetic.worlds.glyph_world.GlyphWorld`)."""

    class_names: tuple[str, ...]
    bank: np.ndarray  # (n_classes · n_variants, glyph channels, h, w) float64 in [0, 1], class-major
    is_mask: bool
    canvas: tuple[int, int]
    n_channels: int
    knob_values: dict[str, tuple]
    knob_probs: dict[str, np.ndarray]
    class_prior: np.ndarray
    pose: str | None
    pose_transform: transforms.Transform | None
    pose_probs: np.ndarray  # (n_classes, n_poses)
    cue: str | None
    cue_size: int
    cue_colour: np.ndarray | None  # (n_channels,) float32
    exact: bool

    @property
    def n_poses(self) -> int:
        return 1 if self.pose_transform is None else self.pose_transform.n_actions


def _canvas_and_positions(canvas: object, positions: object, glyph: tuple[int, int]):
    gh, gw = glyph
    if canvas is None:
        canvas = (gh, gw)
    elif isinstance(canvas, (int, np.integer)) and not isinstance(canvas, bool):
        canvas = (int(canvas), int(canvas))
    H, W = _int_pair(canvas, "canvas")
    if H < 1 or W < 1:
        raise WorldError(f"canvas must be positive, got {canvas!r}")
    if positions is None:
        positions = [((H - gh) // 2, (W - gw) // 2)]
    pos = [_int_pair(p, f"positions[{i}]") for i, p in enumerate(_non_empty(positions, "positions"))]
    for i, (r, c) in enumerate(pos):
        if overlap(r, gh, H) is None or overlap(c, gw, W) is None:
            raise WorldError(f"positions[{i}] = {(r, c)} puts the {gh}x{gw} glyph entirely off the {H}x{W} canvas")
    return (H, W), tuple(pos)


def _colour_pairs(colours: object, is_mask: bool) -> tuple:
    if colours is None:
        return (((1.0,), (0.0,)),) if is_mask else (((1.0,) * 3, (0.0,) * 3),)
    if not is_mask:
        raise WorldError("colours recolour mask glyphs; these glyphs are (3, H, W) colour images")
    pairs = []
    for i, pair in enumerate(_non_empty(colours, "colours")):
        try:
            fg, bg = pair
        except (TypeError, ValueError):
            raise WorldError(f"colours[{i}] must be an (fg, bg) pair, got {pair!r}") from None
        pairs.append((_colour(fg, f"colours[{i}] fg"), _colour(bg, f"colours[{i}] bg")))
    if len({len(c) for pair in pairs for c in pair}) > 1:
        raise WorldError("colours mix grey levels and RGB triples; use one kind for every fg and bg")
    return tuple(pairs)


def _strokes(strokes: object) -> tuple[int, ...]:
    out = _non_empty(strokes, "strokes")
    for i, k in enumerate(out):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
            raise WorldError(f"strokes[{i}] must be a non-negative int (a dilation radius), got {k!r}")
    return tuple(int(k) for k in out)


def _occluders(occluders: object, glyph: tuple[int, int]) -> tuple:
    gh, gw = glyph
    out: list[tuple[int, int, int, int] | None] = []
    for i, occ in enumerate(_non_empty(occluders, "occluders")):
        if occ is None:
            out.append(None)
            continue
        try:
            t, l, h, w = (int(v) for v in occ)
        except (TypeError, ValueError):
            raise WorldError(f"occluders[{i}] must be None or (top, left, height, width), got {occ!r}") from None
        if h < 1 or w < 1 or t < 0 or l < 0 or t + h > gh or l + w > gw:
            raise WorldError(f"occluders[{i}] = {occ!r} must be a non-empty window inside the {gh}x{gw} glyph box")
        out.append((t, l, h, w))
    return tuple(out)


def _pose(pose: object, bank: np.ndarray) -> transforms.Transform | None:
    t = _check_pose(pose)
    if t is None:
        return None
    gh, gw = bank.shape[-2:]
    try:
        probe = t.apply(bank[:1].repeat(t.n_actions, axis=0), np.arange(t.n_actions))
    except transforms.TransformError as err:
        raise WorldError(f"pose {pose!r} cannot act on the {gh}x{gw} glyphs: {err}") from None
    if probe.shape[-2:] != (gh, gw):
        raise WorldError(f"pose {pose!r} changes the glyph's shape {gh}x{gw}")
    return t


def _cue(cue: object, cue_size: object, cue_colour: object, canvas: tuple[int, int], n_channels: int):
    if cue not in (None, "corner"):
        raise WorldError(f"unknown cue {cue!r}; use None or 'corner'")
    if cue is None:
        return None
    if isinstance(cue_size, bool) or not isinstance(cue_size, (int, np.integer)) or not 1 <= cue_size <= min(canvas):
        raise WorldError(f"cue_size must be an int in 1..{min(canvas)}, got {cue_size!r}")
    colour = _colour(cue_colour, "cue_colour")
    if len(colour) not in (1, n_channels):
        raise WorldError(f"cue_colour {cue_colour!r} does not match the {n_channels}-channel images")
    return np.array(colour * (n_channels // len(colour)), dtype=np.float32)


def _base_augmentations(shifts: object, flips: object, jitters: object, canvas: tuple[int, int], n_channels: int):
    H, W = canvas
    shift_list = tuple(_int_pair(s, f"shifts[{i}]") for i, s in enumerate(_non_empty(shifts, "shifts")))
    for i, (dy, dx) in enumerate(shift_list):
        if abs(dy) >= H or abs(dx) >= W:
            raise WorldError(f"shifts[{i}] = {(dy, dx)} moves the whole {H}x{W} canvas out of view")
    flip_list = _non_empty(flips, "flips")
    if any(not isinstance(f, (bool, np.bool_)) for f in flip_list):
        raise WorldError(f"flips must be booleans, got {flip_list!r}")
    jitter_list = _non_empty(jitters, "jitters")
    for i, j in enumerate(jitter_list):
        if not isinstance(j, ColourJitter):
            raise WorldError(f"jitters[{i}] must be a ColourJitter, got {j!r}")
        if n_channels == 1 and (tuple(j.permutation) != (0, 1, 2) or j.grey):
            raise WorldError(f"jitters[{i}] = {j} permutes or greys channels of 1-channel images")
    return shift_list, tuple(bool(f) for f in flip_list), tuple(jitter_list)


def _infer_exact(exact: bool | None, class_prior: object, pose_probs: object, style_probs: object) -> bool:
    """``exact`` if given; else True when some probability is given and all given are exact."""
    if style_probs is not None and not isinstance(style_probs, Mapping):
        raise WorldError("style_probs must map knob names to probability sequences")
    if exact is not None:
        return bool(exact)
    given: list[list] = []
    if class_prior is not None:
        given.append(
            list(class_prior.values())
            if isinstance(class_prior, Mapping)
            else list(np.ravel(np.asarray(class_prior, dtype=object)))
        )
    if pose_probs is not None:
        if isinstance(pose_probs, Mapping):
            given.extend(list(v) for v in pose_probs.values())
        else:
            given.append(list(np.ravel(np.asarray(pose_probs, dtype=object))))
    given.extend(list(v) for v in (style_probs or {}).values())
    if given and all(_is_exact_sequence(g) for g in given):
        return True
    if any(exact_value(v) is not None and not isinstance(v, (int, np.integer)) for g in given for v in g):
        raise WorldError("probabilities mix exact (Fraction) and float values; use one kind, or pass exact=True/False")
    return False


def _class_prior(class_prior: object, names: tuple[str, ...], exact: bool) -> np.ndarray:
    n = len(names)
    if class_prior is None:
        return uniform(n, exact)
    if isinstance(class_prior, Mapping):
        if set(class_prior) != set(names):
            raise WorldError(f"class_prior keys {sorted(map(str, class_prior))} must be the classes {list(names)}")
        return _probabilities([class_prior[c] for c in names], n, "class_prior", exact)
    return _probabilities(class_prior, n, "class_prior", exact)


def _pose_table(
    pose_probs: object, pose_t: transforms.Transform | None, names: tuple[str, ...], exact: bool
) -> np.ndarray:
    n_classes = len(names)
    n_poses = 1 if pose_t is None else pose_t.n_actions
    if pose_probs is None:
        return np.stack([uniform(n_poses, exact)] * n_classes)
    if pose_t is None:
        raise WorldError("pose_probs given without a pose group; pass pose='hflip', 'rot4', 'd4', ...")
    if isinstance(pose_probs, Mapping):
        if set(pose_probs) != set(names):
            raise WorldError(f"pose_probs keys must be the classes {list(names)}")
        rows = [pose_probs[c] for c in names]
    else:
        arr = np.asarray(pose_probs, dtype=object)
        rows = [list(r) for r in arr] if arr.ndim == 2 else [list(arr.ravel())] * n_classes
        if len(rows) != n_classes:
            raise WorldError(f"pose_probs table has {len(rows)} rows, expected one per class ({n_classes})")
    return np.stack([_probabilities(r, n_poses, f"pose_probs[{c!r}]", exact) for c, r in zip(names, rows)])


def _knob_probs(style_probs: object, knob_values: dict[str, tuple], exact: bool) -> dict[str, np.ndarray]:
    given = dict(style_probs or {})  # type: ignore[call-overload]
    unknown = set(given) - set(KNOBS)
    if unknown:
        raise WorldError(f"unknown style knob(s) {sorted(unknown)} in style_probs; knobs are {', '.join(KNOBS)}")
    out = {}
    for knob in KNOBS:
        n = len(knob_values[knob])
        out[knob] = (
            uniform(n, exact) if knob not in given else _probabilities(given[knob], n, f"style_probs[{knob!r}]", exact)
        )
    return out


def build_spec(
    glyphs: Mapping[str, object],
    class_prior: object = None,
    *,
    canvas: object = None,
    positions: object = None,
    colours: object = None,
    strokes: object = (0,),
    occluders: object = (None,),
    pose: object = None,
    pose_probs: object = None,
    cue: object = None,
    cue_size: object = 1,
    cue_colour: object = 1.0,
    shifts: object = ((0, 0),),
    flips: object = (False,),
    jitters: object = (ColourJitter(),),
    style_probs: object = None,
    exact: bool | None = None,
    variants: object = None,
) -> WorldSpec:
    """Validate every knob (see :class:`synthetic.worlds.glyph_world.GlyphWorld`) and normalise it."""
    variant_names = _variants(variants)
    names, bank, is_mask = _glyph_bank(glyphs, len(variant_names))
    glyph = bank.shape[-2:]
    canvas_hw, pos = _canvas_and_positions(canvas, positions, glyph)
    pairs = _colour_pairs(colours, is_mask)
    n_channels = len(pairs[0][0])
    pose_t = _pose(pose, bank)
    cue_rgb = _cue(cue, cue_size, cue_colour, canvas_hw, n_channels)
    shift_list, flip_list, jitter_list = _base_augmentations(shifts, flips, jitters, canvas_hw, n_channels)
    knob_values = {
        "position": pos,
        "colour": pairs,
        "stroke": _strokes(strokes),
        "occluder": _occluders(occluders, glyph),
        "shift": shift_list,
        "flip": flip_list,
        "jitter": jitter_list,
        "variant": variant_names,
    }
    is_exact = _infer_exact(exact, class_prior, pose_probs, style_probs)
    knob_probs = _knob_probs(style_probs, knob_values, is_exact)
    prior = _class_prior(class_prior, names, is_exact)
    pose_table = _pose_table(pose_probs, pose_t, names, is_exact)
    for arr in (bank, prior, pose_table, *knob_probs.values()):
        arr.flags.writeable = False  # worlds cache renders and joints: their inputs never change
    return WorldSpec(
        class_names=names,
        bank=bank,
        is_mask=is_mask,
        canvas=canvas_hw,
        n_channels=n_channels,
        knob_values=knob_values,
        knob_probs=knob_probs,
        class_prior=prior,
        pose=None if pose_t is None else str(pose),
        pose_transform=pose_t,
        pose_probs=pose_table,
        cue=None if cue_rgb is None else str(cue),
        cue_size=int(cue_size),  # type: ignore[call-overload]
        cue_colour=cue_rgb,
        exact=is_exact,
    )
