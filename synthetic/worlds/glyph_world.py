"""``GlyphWorld``: a finite world with known latents C, S, Ā, A and an exact renderer.

The causal model (paper, Figure 2) as formalized in this project::

    C (class)  --+
    S (style)  --+--> X̄ (raw image) --+--> X = T_A(X̄)
    Ā (pose)   --+                     |
    A (augmentation, uniform, drawn independently)

p(c, s, ā, a) = p(c) · p(s) · p(ā | c) · 1/|A|. Every knob is a finite set, so the latent
grid can be enumerated and every information quantity is an exact finite sum.

Rendering of one latent cell, in order:

1. glyph of class ``c`` (a 2-D mask, or a (3, h, w) colour image);
2. stroke variant: dilation by a diamond of radius ``stroke`` (inside the glyph's box);
3. intrinsic pose ``ā``: an element of the ``pose`` group acting on the glyph's box;
4. placement at ``position`` (row, col of the box's top-left corner; a box partly off the
   canvas is cropped) on a canvas, then the ``occluder`` window (in box coordinates) hidden;
5. colours: a mask becomes ``bg + (fg - bg) · mask`` for the (fg, bg) pair ``colour``;
6. the shortcut ``cue`` (a lit top-left corner that moves with A and reveals it);
7. base augmentations: ``shift`` (translation, background filled in), ``flip``
   (left-right mirror), ``jitter`` (a :class:`ColourJitter`);
8. the augmentation A (a transform of :mod:`synthetic.transforms`).

Steps 2 and 4–7 are the style S: one axis whose values index the product of the knob sets
(``world.style(s)`` gives the tuple). Images are float32 on a grid of multiples of
``2**-16`` (rounded after steps 7 and 8), so float rounding never tells apart images that
are equal in exact arithmetic, and X ids compare images by their bytes.

>>> import numpy as np
>>> w = GlyphWorld({"bar": np.array([[1.0, 0.0], [1.0, 0.0]]), "dot": np.array([[0.0, 0.0], [0.0, 1.0]])})
>>> w.image_shape, w.n_styles, w.n_poses
((1, 2, 2), 1, 1)
>>> w.images("hflip")[0, 0, 0, 1, 0].tolist()    # the bar mirrored
[[0.0, 1.0], [0.0, 1.0]]
>>> from theory import entropy
>>> float(entropy(w.joint("hflip"), "A", given="X"))
0.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

import numpy as np

from theory import outcome_ids

from .. import transforms
from ..errors import WorldError
from .knobs import KNOBS, POSE_GROUPS, ColourJitter, Style, build_spec, uniform
from .render import ERASURES, apply_all_actions, erased_glyph, render_raw
from .views import STATISTICS, statistics_ids

__all__ = ["ERASURES", "KNOBS", "POSE_GROUPS", "VIEWS", "ColourJitter", "GlyphWorld", "Style", "apply_all_actions"]

VIEWS: tuple[str, ...] = ("Xerased",) + tuple(STATISTICS) + ("g",)
"""Extra deterministic functions a joint can carry besides X (see :meth:`GlyphWorld.joint`)."""


def _label_maps(label_maps: object, class_names: tuple[str, ...]) -> dict[str, np.ndarray]:
    if label_maps is None:
        return {}
    if not isinstance(label_maps, Mapping):
        raise WorldError(f"label_maps must map label names to one int per class, got {type(label_maps).__name__}")
    out = {}
    for name, values in label_maps.items():
        if not isinstance(name, str) or not name or name == "C":
            raise WorldError(f"label names must be non-empty strings other than 'C', got {name!r}")
        seq = list(values) if isinstance(values, (Sequence, np.ndarray)) and not isinstance(values, str) else None
        if (
            seq is None
            or len(seq) != len(class_names)
            or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 for v in seq)
        ):
            raise WorldError(
                f"label_maps[{name!r}] must give a non-negative int for each of the {len(class_names)} classes"
            )
        out[name] = np.asarray(seq, dtype=np.int64)
    return out


class GlyphWorld:
    """A finite world of glyph images with known latents (C, S, Ā, A); see the module docs.

    Parameters (every set is finite; probabilities default to uniform):

    * ``glyphs``: class name -> (H, W) mask or (3, H, W) colour image, values in [0, 1].
    * ``class_prior``: p(c) as a sequence in class order or a mapping name -> p.
    * ``canvas``: (H, W) or an int side; default the glyph's size.
    * ``positions``: (row, col) of the glyph's top-left corner; default centred.
    * ``colours``: (fg, bg) pairs of grey levels (1 channel) or RGB triples (3 channels),
      masks only; default white on black, one channel (the glyph's own values).
    * ``strokes``: dilation radii (0 = as drawn).
    * ``occluders``: ``None`` or (top, left, height, width) windows in glyph-box coordinates,
      hidden (set to the background) after the pose.
    * ``pose``: a group of :data:`POSE_GROUPS` for Ā (default: Ā = identity); ``pose_probs``:
      p(ā | c) as one sequence for all classes, a mapping class -> sequence, or an
      (n_classes, n_poses) table; default uniform on the group.
    * ``cue``: ``None`` or ``"corner"``: the top-left ``cue_size`` square set to
      ``cue_colour`` before the base augmentations and A.
    * ``shifts``, ``flips``, ``jitters``: base augmentations (part of S).
    * ``style_probs``: knob name -> probabilities over that knob's values.
    * ``exact``: Fraction probabilities (exact joints). ``None`` infers: exact when some
      probability is given and all given ones are int/Fraction.
    * ``label_maps``: other labels read off the class, name -> the label of each class (a
      sequence of ints in class order), e.g. the two parts of a class that pairs a glyph
      with a marker; the downstream probe scores each beside the class.
    * ``variants``: names of several drawings of every class (e.g. fonts); each glyph is then
      a sequence of that many drawings, and the ``variant`` style knob picks one.
    * ``name``: a label for reports.
    """

    def __init__(
        self,
        glyphs: Mapping[str, object],
        class_prior: Sequence[object] | Mapping[str, object] | None = None,
        *,
        canvas: int | tuple[int, int] | None = None,
        positions: Sequence[tuple[int, int]] | None = None,
        colours: Sequence[tuple[object, object]] | None = None,
        strokes: Sequence[int] = (0,),
        occluders: Sequence[tuple[int, int, int, int] | None] = (None,),
        pose: str | None = None,
        pose_probs: object = None,
        cue: str | None = None,
        cue_size: int = 1,
        cue_colour: object = 1.0,
        shifts: Sequence[tuple[int, int]] = ((0, 0),),
        flips: Sequence[bool] = (False,),
        jitters: Sequence[ColourJitter] = (ColourJitter(),),
        style_probs: Mapping[str, Sequence[object]] | None = None,
        exact: bool | None = None,
        label_maps: Mapping[str, Sequence[int]] | None = None,
        variants: Sequence[str] | None = None,
        name: str = "glyphs",
    ):
        spec = build_spec(
            glyphs,
            class_prior,
            canvas=canvas,
            positions=positions,
            colours=colours,
            strokes=strokes,
            occluders=occluders,
            pose=pose,
            pose_probs=pose_probs,
            cue=cue,
            cue_size=cue_size,
            cue_colour=cue_colour,
            shifts=shifts,
            flips=flips,
            jitters=jitters,
            style_probs=style_probs,
            exact=exact,
            variants=variants,
        )
        self.spec = spec
        self.name = str(name)
        self.class_names: tuple[str, ...] = spec.class_names
        self.glyph_bank: np.ndarray = spec.bank
        self.glyph_shape: tuple[int, int] = tuple(spec.bank.shape[-2:])
        self.canvas: tuple[int, int] = spec.canvas
        self.n_channels: int = spec.n_channels
        self.knob_values: dict[str, tuple] = spec.knob_values
        self.knob_probs: dict[str, np.ndarray] = spec.knob_probs
        self.class_prior: np.ndarray = spec.class_prior
        self.pose: str | None = spec.pose
        self.n_poses: int = spec.n_poses
        self.pose_probs: np.ndarray = spec.pose_probs
        self.cue: str | None = spec.cue
        self.cue_size: int = spec.cue_size
        self.exact: bool = spec.exact
        self.label_maps: dict[str, np.ndarray] = _label_maps(label_maps, self.class_names)
        self._cache: dict = {}

    # ------------------------------------------------------------------ sizes and labels

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @cached_property
    def knob_sizes(self) -> tuple[int, ...]:
        return tuple(len(self.knob_values[k]) for k in KNOBS)

    @property
    def n_styles(self) -> int:
        return int(np.prod(self.knob_sizes))

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(channels, H, W) of a raw image."""
        return (self.n_channels,) + self.canvas

    def n_latent_cells(self, transform: str | transforms.Transform) -> int:
        return self.n_classes * self.n_styles * self.n_poses * transforms.get(transform).n_actions

    def style_indices(self, s: object = None) -> np.ndarray:
        """Knob indices of style(s) ``s`` (all styles when None): shape (..., len(KNOBS))."""
        idx = np.arange(self.n_styles) if s is None else np.asarray(s)
        if idx.size and (idx.min() < 0 or idx.max() >= self.n_styles):
            raise WorldError(f"style index out of range(0, {self.n_styles})")
        return np.stack(np.unravel_index(idx, self.knob_sizes), axis=-1)

    def style(self, s: int) -> Style:
        """The knob values of style ``s``.

        >>> GlyphWorld({"a": [[1.0]]}, canvas=3, positions=[(0, 0), (2, 2)]).style(1).position
        (2, 2)
        """
        return Style(*(self.knob_values[k][int(i)] for k, i in zip(KNOBS, self.style_indices(int(s)))))

    @property
    def styles(self) -> tuple[Style, ...]:
        return tuple(self.style(s) for s in range(self.n_styles))

    def pose_label(self, abar: int) -> str:
        """A short name of pose element ``abar`` (its label in the pose group)."""
        return "id" if self.spec.pose_transform is None else f"{self.pose}:{int(abar)}"

    def describe(self) -> str:
        sizes = ", ".join(f"{k} {n}" for k, n in zip(KNOBS, self.knob_sizes) if n > 1)
        return (
            f"{self.name}: {self.n_classes} classes, image {self.image_shape}, {self.n_styles} styles"
            f"{' (' + sizes + ')' if sizes else ''}, pose {self.pose or 'identity'} ({self.n_poses})"
            f"{', cue ' + self.cue if self.cue else ''}, {'exact' if self.exact else 'float'} probabilities"
            f"{', labels ' + ', '.join(self.label_maps) if self.label_maps else ''}"
        )

    def __repr__(self) -> str:
        return f"GlyphWorld({self.describe()})"

    # ------------------------------------------------------------------ probabilities

    def style_prior(self) -> np.ndarray:
        """p(s) over the style axis (product of the knob probabilities, knob order :data:`KNOBS`)."""
        p = np.ones(1, dtype=object) if self.exact else np.ones(1)
        for knob in KNOBS:
            p = np.multiply.outer(p, self.knob_probs[knob]).ravel()
        return p

    def latent_table(self, transform: str | transforms.Transform) -> np.ndarray:
        """p(c, s, ā, a) as a dense (C, S, Abar, A) array (Fraction objects or float64)."""
        n_actions = transforms.get(transform).n_actions
        p_a = uniform(n_actions, self.exact)
        p_cs = np.multiply.outer(self.class_prior, self.style_prior())
        p_csa = p_cs[:, :, None] * self.pose_probs[:, None, :]
        return np.multiply.outer(p_csa, p_a)

    def latent_joint(self, transform: str | transforms.Transform):
        """The latent joint as a :class:`theory.Joint` over ("C", "S", "Abar", "A")."""
        from theory import Joint

        return Joint(self.latent_table(transform), names=("C", "S", "Abar", "A"))

    # ------------------------------------------------------------------ rendering

    def raw_images(self) -> np.ndarray:
        """X̄ for every (c, s, ā): float32 (C, S, Abar, channels, H, W)."""
        if "raw" not in self._cache:
            self._cache["raw"] = render_raw(self.spec, self.glyph_bank)
        return self._cache["raw"]

    def erased_glyph(self, erase: str = "box") -> np.ndarray:
        """The class-agnostic glyph of the erased view; see :func:`synthetic.worlds.render.erased_glyph`."""
        return erased_glyph(self.glyph_bank, erase)

    def _transformed(self, raw: np.ndarray, transform: transforms.Transform) -> np.ndarray:
        return apply_all_actions(raw.reshape((-1,) + raw.shape[3:]), transform).reshape(
            raw.shape[:3] + (transform.n_actions,) + raw.shape[3:]
        )

    def images(self, transform: str | transforms.Transform) -> np.ndarray:
        """X for every latent cell: float32 (C, S, Abar, A, channels, H, W); cached."""
        t = transforms.get(transform)
        key = ("X", t)
        if key not in self._cache:
            self._cache[key] = self._transformed(self.raw_images(), t)
        return self._cache[key]

    def render(
        self, c: object, s: object, abar: object, a: object, transform: str | transforms.Transform
    ) -> np.ndarray:
        """Images of the given latent index arrays (broadcast together): (..., channels, H, W)."""
        X = self.images(transform)
        idx = np.broadcast_arrays(*(np.asarray(v) for v in (c, s, abar, a)))
        for i, (name, n) in enumerate(zip(("C", "S", "Abar", "A"), X.shape[:4])):
            if idx[i].size and (idx[i].min() < 0 or idx[i].max() >= n):
                raise WorldError(f"{name} index out of range(0, {n})")
        return X[tuple(idx)]

    def x_ids(self, transform: str | transforms.Transform) -> tuple[np.ndarray, np.ndarray]:
        """(ids of X per latent cell (C, S, Abar, A), flat index of one cell per id); cached."""
        t = transforms.get(transform)
        key = ("ids", t)
        if key not in self._cache:
            X = self.images(t)
            ids, first = outcome_ids(X.reshape(int(np.prod(X.shape[:4])), -1))
            self._cache[key] = (ids.reshape(X.shape[:4]), first)
        return self._cache[key]

    def view_ids(self, transform: str | transforms.Transform, view: str, erase: str = "box") -> np.ndarray:
        """Ids per latent cell of an extra view (see :data:`VIEWS`)."""
        t = transforms.get(transform)
        if view not in VIEWS:
            raise WorldError(f"unknown view {view!r}; valid views: {', '.join(VIEWS)}")
        shape = (self.n_classes, self.n_styles, self.n_poses, t.n_actions)
        if view == "Xerased":
            one_per_variant = np.repeat(self.erased_glyph(erase)[None], len(self.knob_values["variant"]), axis=0)
            erased = self._transformed(render_raw(self.spec, one_per_variant), t)
            ids, _ = outcome_ids(erased.reshape(int(np.prod(erased.shape[:4])), -1))
            return np.broadcast_to(ids.reshape((1,) + shape[1:]), shape)
        key = ("stats", t)
        if key not in self._cache:
            ids, first = self.x_ids(t)
            X = self.images(t)
            self._cache[key] = statistics_ids(X.reshape((-1,) + X.shape[4:])[first])
        return self._cache[key][view][self.x_ids(t)[0]]

    def joint(self, transform: str | transforms.Transform, views: Sequence[str] = (), erase: str = "box"):
        """The exact pushforward joint over C, S, Abar, A, X (and any extra ``views``).

        X is an id per distinct rendered image: images that coincide (a symmetric glyph
        rotated onto itself, a "6" turned into a "9") share an id.
        """
        from theory import PushforwardJoint

        functions = {"X": self.x_ids(transform)[0]}
        for view in views:
            functions[view] = self.view_ids(transform, view, erase=erase)
        return PushforwardJoint(self.latent_joint(transform), functions)

    def analyze(self, transform: str | transforms.Transform, erase: str = "box", class_blind: bool = True) -> dict:
        """Exact information analysis; see :func:`synthetic.worlds.analysis.analyze`."""
        from .analysis import analyze

        return analyze(self, transform, erase=erase, class_blind=class_blind)

    def dataset(self, transform: str | transforms.Transform, drop_zero: bool = True):
        """The enumerated latent grid with exact weights; see :class:`synthetic.worlds.datasets.WorldDataset`."""
        from .datasets import WorldDataset

        t = transforms.get(transform)
        X = self.images(t)
        ids, _ = self.x_ids(t)
        table = self.latent_table(t)
        weights = table.astype(np.float64)
        grids = np.meshgrid(*(np.arange(n) for n in X.shape[:4]), indexing="ij")
        latents = {name: g.ravel() for name, g in zip(("C", "S", "Abar", "A"), grids)}
        latents["X"] = ids.ravel()
        knobs = self.style_indices(latents["S"])
        groups = {**latents, **{k: knobs[:, i] for i, k in enumerate(KNOBS)}}
        keep = weights.ravel() > 0 if drop_zero else np.ones(weights.size, dtype=bool)
        return WorldDataset(
            x=X.reshape((-1,) + X.shape[4:])[keep],
            a=latents["A"][keep],
            c=latents["C"][keep],
            weights=weights.ravel()[keep],
            latents={k: v[keep] for k, v in latents.items()},
            groups={k: v[keep] for k, v in groups.items()},
            n_actions=t.n_actions,
            n_classes=self.n_classes,
            transform=t.name,
            world=self.name,
        )
