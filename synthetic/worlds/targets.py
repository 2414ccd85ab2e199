"""Prediction targets finer than the augmentation, up to the instance, and their exact quantities.

T2 reads instance discrimination as the finest augmentation to predict. On a glyph world
under a transformation whose coarsenings are known (d4 → rot4 → rot2), :func:`target_chain`
computes, for each target t of the chain

    rot2 → rot4 → d4 → d4 × style → scene  (the whole latent cell: d4, style, class, pose)

and for ``instance`` (the scene without its views: class, pose and the style knobs that
no base augmentation moves; the label of instance discrimination), the quantities of T1/T2:
H(t), I(t;X), H(t|X), I(t;C) (0 when t ⊥ C, the premise of T1; positive once t contains
the class), the explaining-away term I(t;C|X) and I(C;T) with T = p(t|X).

>>> from synthetic.worlds import presets
>>> rows = target_chain(presets.get("six-nine"), "rot2")
>>> [r["target"] for r in rows], float(rows[-1]["I_t_C"]) == float(rows[-1]["H_C"])
(['rot2', 'rot2 × style', 'scene', 'instance'], True)
"""

from __future__ import annotations

import numpy as np

from .. import transforms
from ..errors import WorldError

__all__ = ["TARGET_KEYS", "target_chain"]

TARGET_KEYS: dict[str, str] = {
    "H_t": "H(t): entropy of the target",
    "I_t_X": "I(t;X): what the input tells about the target",
    "H_t_given_X": "H(t|X): the target left ambiguous by the input",
    "I_t_C": "I(t;C): 0 when the target is independent of the class (T1's premise)",
    "I_t_C_given_X": "I(t;C|X): the explaining-away term",
    "I_C_T": "I(C;T), T = p(t|X): class bits every code predicting t optimally in log-loss carries",
    "H_C": "H(C)",
}


def _coarser(transform: str) -> list[str]:
    """rot2 and rot4, where they are coarsenings of ``transform``, coarsest first."""
    out = []
    for name in ("rot2", "rot4"):
        try:
            if name != transform:
                transforms.coarsening(transform, name)
                out.append(name)
        except transforms.TransformError:
            pass
    return out


def target_chain(world, transform: str = "d4", view_knobs: tuple[str, ...] = ("shift", "flip", "jitter")) -> list[dict]:
    """One dict per target (``target``, ``nested``: whether it refines the row before, and
    :data:`TARGET_KEYS`), from the coarsenings of ``transform`` to the scene, then ``instance``.

    ``view_knobs`` are the style knobs that count as views of one instance (the base
    augmentations), left out of the instance label.
    """
    from theory import PushforwardJoint, entropy, mutual_information, with_posterior

    from .knobs import KNOBS

    t = transforms.get(transform)
    J = world.joint(t)
    shape = J.latent.shape
    if J.latent.names != ("C", "S", "Abar", "A"):
        raise WorldError(f"target_chain needs a glyph world's latents (C, S, Abar, A), got {J.latent.names}")
    n_c, n_s, n_abar, n_a = shape
    c, s, abar, a = np.meshgrid(*(np.arange(n) for n in shape), indexing="ij")
    knobs = world.style_indices(s)
    kept = [i for i, k in enumerate(KNOBS) if k not in view_knobs]
    instance_key = np.stack([c, abar, *(knobs[..., i] for i in kept)], axis=-1).reshape(-1, 2 + len(kept))
    _, instance = np.unique(instance_key, axis=0, return_inverse=True)
    functions = {name: transforms.coarsening(t.name, name)[a] for name in _coarser(t.name)}
    functions[t.name] = a
    functions[f"{t.name} × style"] = a + n_a * s
    functions["scene"] = ((c * n_s + s) * n_abar + abar) * n_a + a
    functions["instance"] = instance.reshape(shape)
    functions["X"] = J.functions["X"]
    joint = PushforwardJoint(J.latent, functions)
    h_c = entropy(joint, "C")
    rows = []
    for i, name in enumerate(n for n in functions if n != "X"):
        with_t = with_posterior(PushforwardJoint(J.latent, dict(functions)), name, "X", name="T")
        rows.append(
            {
                "target": name,
                "nested": 0 < i < len(functions) - 2,
                "H_t": entropy(joint, name),
                "I_t_X": mutual_information(joint, name, "X"),
                "H_t_given_X": entropy(joint, name, given="X"),
                "I_t_C": mutual_information(joint, name, "C"),
                "I_t_C_given_X": mutual_information(joint, name, "C", given="X"),
                "I_C_T": mutual_information(with_t, "C", "T"),
                "H_C": h_c,
            }
        )
    return rows
