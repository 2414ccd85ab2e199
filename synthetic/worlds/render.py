"""The vectorised renderer of :class:`synthetic.worlds.glyph_world.GlyphWorld`: latents to float32 images.

Loops run over the small knob sets only (strokes, positions, occluders, shifts, flips,
jitters, actions); every step is batched over all glyphs, poses and colours at once.
Images are rounded to multiples of ``2**-GRID_BITS`` so that float rounding never tells
apart images that are equal in exact arithmetic (a grey pixel turned grey again).

>>> import numpy as np
>>> from synthetic.worlds.knobs import build_spec
>>> spec = build_spec({"a": [[1.0, 0.0]]}, canvas=(1, 3), positions=[(0, 0), (0, 1)], colours=[(0.5, 0.25)])
>>> render_raw(spec, spec.bank)[0, :, 0, 0, 0].tolist()    # (C, S, Abar, channels, H, W)
[[0.5, 0.25, 0.25], [0.25, 0.5, 0.25]]
"""

from __future__ import annotations

import numpy as np

from .. import transforms
from ..errors import WorldError
from .knobs import KNOBS, WorldSpec, overlap
from .views import GRID_BITS

__all__ = ["ERASURES", "apply_all_actions", "dilate", "erased_glyph", "quantise", "render_raw"]

ERASURES: tuple[str, ...] = ("box", "union", "mean")
"""Ways to replace every class's glyph by one class-agnostic glyph (see :func:`erased_glyph`)."""

_GRID = float(2**GRID_BITS)


def dilate(x: np.ndarray, radius: int) -> np.ndarray:
    """Max filter over the diamond |dy| + |dx| <= radius (last two axes), zero outside the box.

    The diamond is invariant under D4, so thickening commutes with every pose and rotation;
    a square would round some glyphs into symmetric blobs on small boxes.
    """
    if radius == 0:
        return x
    h, w = x.shape[-2:]
    padded = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(radius, radius), (radius, radius)])
    out = np.zeros_like(x)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius + abs(dy), radius - abs(dy) + 1):
            np.maximum(out, padded[..., radius + dy : radius + dy + h, radius + dx : radius + dx + w], out=out)
    return out


def quantise(x: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Round to the 2**-16 grid in float32 and turn -0.0 into 0.0.

    ``in_place=True`` overwrites ``x`` when it is a writeable float32 array (the renderer's
    own intermediate arrays); otherwise a new array is returned.

    >>> quantise(np.array([0.1, -0.0, 1 / 3])).tolist()
    [0.100006103515625, 0.0, 0.3333282470703125]
    """
    out = np.asarray(x, dtype=np.float32)
    if out is x and not (in_place and out.flags.writeable):
        out = out.copy()
    out *= np.float32(_GRID)
    np.rint(out, out=out)
    out /= np.float32(_GRID)
    out += np.float32(0.0)
    return out


def render_raw(spec: WorldSpec, bank: np.ndarray) -> np.ndarray:
    """Raw images X̄ for a glyph bank (n · variants, gc, h, w): shape (n, S, Abar, channels, H, W)."""
    n, gc, gh, gw = bank.shape
    H, W = spec.canvas
    kv = spec.knob_values
    n_abar = spec.n_poses
    # strokes -> (n, K, gc, gh, gw)
    stroked = np.stack([dilate(bank, k) for k in kv["stroke"]], axis=1).astype(np.float32)
    n_k = stroked.shape[1]
    # pose -> (n, K, Abar, gc, gh, gw)
    if spec.pose_transform is None:
        posed = stroked[:, :, None]
    else:
        flat = np.repeat(stroked.reshape(n * n_k, gc, gh, gw), n_abar, axis=0)
        acts = np.tile(np.arange(n_abar), n * n_k)
        posed = spec.pose_transform.apply(flat, acts).reshape(n, n_k, n_abar, gc, gh, gw)
    # placement and occlusion -> (P, O, n, K, Abar, gc, H, W), 0 outside the glyph
    placed = np.zeros((len(kv["position"]), len(kv["occluder"]), n, n_k, n_abar, gc, H, W), dtype=np.float32)
    for pi, (r, c) in enumerate(kv["position"]):
        rows, cols = overlap(r, gh, H), overlap(c, gw, W)
        assert rows is not None and cols is not None
        for oi, occ in enumerate(kv["occluder"]):
            target = placed[pi, oi]
            target[..., rows[0], cols[0]] = posed[..., rows[1], cols[1]]
            if occ is not None:
                t, l, h, w = occ
                occ_rows, occ_cols = overlap(r + t, h, H), overlap(c + l, w, W)
                if occ_rows is not None and occ_cols is not None:
                    target[..., occ_rows[0], occ_cols[0]] = 0.0
    # colours -> (P, O, n, K, Abar, Col, ch, H, W)
    fg = np.array([p[0] for p in kv["colour"]], dtype=np.float32)[:, :, None, None]
    bg = np.array([p[1] for p in kv["colour"]], dtype=np.float32)[:, :, None, None]
    if spec.is_mask:
        img = bg + (fg - bg) * placed[..., None, :, :, :]
    else:
        img = np.broadcast_to(placed[..., None, :, :, :], placed.shape[:-3] + (1, 3, H, W)).copy()
    if spec.cue == "corner":
        img[..., : spec.cue_size, : spec.cue_size] = spec.cue_colour[:, None, None]  # type: ignore[index]
    # base shift -> (Sh, ...)
    shifted = []
    for dy, dx in kv["shift"]:
        out = np.empty_like(img)
        out[...] = bg
        rows, cols = overlap(dy, H, H), overlap(dx, W, W)
        assert rows is not None and cols is not None
        out[..., rows[0], cols[0]] = img[..., rows[1], cols[1]]
        shifted.append(out)
    img = np.stack(shifted)
    # base flip -> (F, Sh, ...)
    img = np.stack([np.flip(img, axis=-1) if f else img for f in kv["flip"]])
    # jitter -> (J, F, Sh, P, O, n, K, Abar, Col, ch, H, W)
    img = np.stack([j.apply(img) for j in kv["jitter"]])
    # reorder to (n, P, Col, K, O, Sh, F, J, Abar, ch, H, W) = knob order along S
    img = img.transpose(5, 3, 8, 6, 4, 2, 1, 0, 7, 9, 10, 11)
    # variants: the bank's glyphs are (class, variant) pairs, class-major; the variant is the last knob
    n_variants = len(kv["variant"])
    if n % n_variants:
        raise WorldError(f"a bank of {n} glyphs cannot hold {n_variants} variants of each class")
    img = img.reshape((n // n_variants, n_variants, -1, n_abar, spec.n_channels, H, W)).swapaxes(1, 2)
    n_styles = int(np.prod([len(kv[k]) for k in KNOBS]))
    return quantise(img.reshape((n // n_variants, n_styles, n_abar, spec.n_channels, H, W)), in_place=True)


def erased_glyph(bank: np.ndarray, erase: str = "box") -> np.ndarray:
    """The class-agnostic glyph that replaces every class in the erased view.

    ``"box"``: the filled bounding box of all classes' ink (its value: the per-channel
    maximum); ``"union"``: the pixel-wise maximum over classes; ``"mean"``: the mean.
    """
    if erase not in ERASURES:
        raise WorldError(f"unknown erasure {erase!r}; use one of {', '.join(ERASURES)}")
    if erase == "mean":
        return bank.mean(axis=0)
    union = bank.max(axis=0)
    if erase == "union":
        return union
    ink = union.max(axis=0) > 0
    box = np.zeros_like(union)
    if ink.any():
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        peak = union.reshape(union.shape[0], -1).max(axis=1)
        box[:, rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] = peak[:, None, None]
    return box


def apply_all_actions(images: np.ndarray, transform: transforms.Transform) -> np.ndarray:
    """Every action on every image: (N, k, channels, H, W), quantised to the 2**-16 grid.

    One batched ``apply`` per action value into a preallocated array: about four times
    faster than one call on the images repeated k times (fewer copies of a large array).
    """
    n, k = images.shape[0], transform.n_actions
    out = np.empty((n, k) + images.shape[1:], dtype=np.float32)
    for a in range(k):
        out[:, a] = transform.apply(images, np.full(n, a))
    return quantise(out, in_place=True)
