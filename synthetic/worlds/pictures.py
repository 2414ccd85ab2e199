"""``save_grid``: a PNG of a world's raw and transformed images with their latents labelled.

One row per example (a class with a seeded style and pose, or a real digit), one column
per action; column ``A=0`` is the raw image X̄ (action 0 is the identity). matplotlib is
imported inside the function with the Agg backend, so nothing needs a display.

>>> import tempfile, pathlib
>>> from synthetic.worlds import presets
>>> path = pathlib.Path(tempfile.mkdtemp()) / "six-nine.png"
>>> save_grid(presets.get("six-nine"), "rot4", path).exists()
True
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from .. import transforms
from ..errors import WorldError
from .interface import ExactWorld, World

__all__ = ["save_grid", "style_caption"]


def _colour_text(colour: tuple[float, ...]) -> str:
    if len(colour) == 1:
        return f"{colour[0]:.2g}"
    return "#" + "".join(f"{min(255, int(round(v * 255))):02x}" for v in colour)


def style_caption(style) -> str:
    """A short multi-line description of a :class:`synthetic.worlds.glyph_world.Style` (defaults left out)."""
    fg, bg = style.colour
    parts = [f"pos {style.position[0]},{style.position[1]}", f"fg {_colour_text(fg)} bg {_colour_text(bg)}"]
    extra = []
    if style.stroke:
        extra.append(f"stroke {style.stroke}")
    if style.occluder is not None:
        extra.append("occl {},{},{},{}".format(*style.occluder))
    if tuple(style.shift) != (0, 0):
        extra.append(f"shift {style.shift[0]},{style.shift[1]}")
    if style.flip:
        extra.append("flipped")
    if not style.jitter.is_identity:
        extra.append(f"jit {style.jitter.describe()}")
    if extra:
        parts.append(" ".join(extra))
    return "\n".join(parts)


def _pick_actions(n_actions: int, max_actions: int) -> np.ndarray:
    if n_actions <= max_actions:
        return np.arange(n_actions)
    return np.unique(np.linspace(0, n_actions - 1, max_actions).round().astype(int))


def _glyph_rows(world, t: transforms.Transform, actions: np.ndarray, n_rows: int, rng: np.random.Generator):
    rows = []
    p_s = np.asarray(world.style_prior(), dtype=np.float64)
    for i in range(n_rows):
        c = i % world.n_classes
        s = int(rng.choice(world.n_styles, p=p_s))
        p_abar = np.asarray(world.pose_probs[c], dtype=np.float64)
        abar = int(rng.choice(world.n_poses, p=p_abar))
        images = world.render(c, s, abar, actions, t)
        label = f"C={world.class_names[c]}  s={s}\nĀ={world.pose_label(abar)}\n{style_caption(world.style(s))}"
        rows.append((label, images))
    return rows


def _digit_rows(world, t: transforms.Transform, actions: np.ndarray, n_rows: int, rng: np.random.Generator):
    X = world.images(t)
    rows = []
    for i in range(n_rows):
        candidates = np.flatnonzero(world.labels == i % world.n_classes)
        if not len(candidates):
            candidates = np.arange(world.n_images)
        k = int(rng.choice(candidates))
        rows.append((f"C={world.labels[k]}\nimage {k}", X[k, actions]))
    return rows


def save_grid(
    world: World,
    transform: str | transforms.Transform,
    path: str | Path,
    n_rows: int | None = None,
    max_actions: int = 8,
    seed: int = 0,
    dpi: int = 110,
) -> Path:
    """Save a labelled grid (rows: examples; columns: actions, A=0 raw) as a PNG at ``path``.

    ``n_rows`` defaults to one row per class (at most 10); transformations with more than
    ``max_actions`` actions show evenly spaced action labels. Returns the path.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    t = transforms.get(transform)
    if n_rows is None:
        n_rows = min(world.n_classes, 10)
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)) or n_rows < 1:
        raise WorldError(f"n_rows must be a positive int, got {n_rows!r}")
    if isinstance(max_actions, bool) or not isinstance(max_actions, (int, np.integer)) or max_actions < 1:
        raise WorldError(f"max_actions must be a positive int, got {max_actions!r}")
    rng = np.random.default_rng(seed)
    actions = _pick_actions(t.n_actions, int(max_actions))
    if isinstance(world, ExactWorld):
        rows = _glyph_rows(world, t, actions, int(n_rows), rng)
    else:
        rows = _digit_rows(world, t, actions, int(n_rows), rng)

    n_cols = len(actions)
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(1.15 * n_cols + 1.9, 1.3 * n_rows + 1.0),
        squeeze=False,
        gridspec_kw={"wspace": 0.08, "hspace": 0.15},
    )
    for r, (label, images) in enumerate(rows):
        for j, a in enumerate(actions):
            ax = axes[r, j]
            img = np.asarray(images[j])
            if img.shape[0] == 1:
                ax.imshow(img[0], cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
            else:
                ax.imshow(np.clip(img.transpose(1, 2, 0), 0.0, 1.0), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"A={a}" + (" (raw)" if a == 0 else ""), fontsize=8)
        axes[r, 0].set_ylabel(label, fontsize=6.5, rotation=0, ha="right", va="center", labelpad=4)
    width, height = fig.get_size_inches()
    title = textwrap.fill(f"{world.describe()}; A: {t.name} ({t.n_actions} actions)", width=int(width * 13))
    n_lines = title.count("\n") + 1
    fig.suptitle(title, fontsize=8, y=1 - 0.08 / height)
    fig.subplots_adjust(left=1.8 / width, right=0.99, top=1 - (0.35 + 0.15 * n_lines) / height, bottom=0.02)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path
