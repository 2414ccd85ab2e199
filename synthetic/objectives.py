"""Training objectives: what the encoder is trained to do with a world's images.

* ``predict``: cross-entropy for predicting the augmentation A (the E-SSL task; the modes
  normal / add / eliminate change its class head).
* ``vicreg-equivariance``: strict equivariance f(g·x) = ρ(g) f(x) for the transformation's group, with a
  fixed orthogonal ρ (:mod:`synthetic.nets.strict`); VICReg's variance and covariance terms
  keep f from collapsing.
* ``instance``: instance discrimination as an N-way classifier over the training instances.
* ``contrastive``: InfoNCE (SimCLR's NT-Xent) between two views of one instance.
* ``essl`` and ``care``: the published objectives on a contrastive base (InfoNCE between two
  un-augmented views of a row's scene) plus E-SSL's CE(A) or CARE's Gram-matrix equivariance
  (:mod:`synthetic.nets.published`).

An *instance* is a scene before its *views*: the views of a row are its action A and the
world's base-augmentation knobs (shift, flip, colour jitter); everything else (class, pose,
position, colour, stroke, occluder) names the instance (:func:`instance_ids`).

>>> check("vicreg-equivariance", "blur4")
Traceback (most recent call last):
...
synthetic.errors.TrainConfigError: objective 'vicreg-equivariance' needs a group of transformations (every action undone by another); 'blur4' is not one
"""

from __future__ import annotations

import numpy as np

from . import transforms
from .errors import TrainConfigError

__all__ = ["OBJECTIVES", "VIEW_FACTORS", "check", "instance_ids", "relabel_by_instance", "view_ids"]

OBJECTIVES: dict[str, str] = {
    "predict": "cross-entropy for predicting A (modes normal, add, eliminate)",
    "vicreg-equivariance": "strict equivariance f(g x) = rho(g) f(x) plus VICReg variance/covariance against collapse",
    "instance": "instance discrimination: an N-way classifier over the training instances",
    "contrastive": "InfoNCE (SimCLR's NT-Xent) between two views of one instance",
    "essl": "E-SSL: InfoNCE between two un-augmented views + weight * CE(A) through an MLP head (weight 0: its base)",
    "care": "CARE: InfoNCE between two un-augmented views + weight * Gram-matrix equivariance within each action",
}
"""Objective name -> one line (the CLI's help)."""

VIEW_FACTORS: tuple[str, ...] = ("A", "shift", "flip", "jitter")
"""The row groupings that are views of one instance: the action and the base augmentations."""


def check(objective: str, transform: str, target: str = "A") -> None:
    """Raise :class:`TrainConfigError` when ``objective`` means nothing under ``transform``."""
    if objective not in OBJECTIVES:
        raise TrainConfigError(f"unknown objective {objective!r}; valid: {', '.join(OBJECTIVES)}")
    if target != "A" and objective != "predict":
        what = "the supervised ceiling predicts the class" if target == "C" else "the null control predicts a label"
        raise TrainConfigError(f"{what}; objective {objective!r} does not apply")
    t = transforms.get(transform)
    if objective in ("predict", "essl", "care") and target != "C" and t.n_actions < 2:
        raise TrainConfigError(f"objective {objective!r} under {t.name!r}: a single action leaves nothing to learn")
    if objective == "vicreg-equivariance":
        if t.n_actions < 2:
            raise TrainConfigError(
                f"objective 'vicreg-equivariance' under {t.name!r}: a single action constrains nothing"
            )
        if not t.is_group:
            raise TrainConfigError(
                f"objective 'vicreg-equivariance' needs a group of transformations (every action undone by another); "
                f"{t.name!r} is not one"
            )


def instance_ids(dataset) -> tuple[np.ndarray, int]:
    """(instance id per row, number of instances) of a world dataset: rows that differ only in
    :data:`VIEW_FACTORS` share an id.

    >>> from synthetic.worlds import presets
    >>> ids, n = instance_ids(presets.get("six-nine").dataset("rot2"))
    >>> n, len(ids) // n
    (2, 2)
    """
    names = [k for k in dataset.groups if k not in (*VIEW_FACTORS, "S", "X")]
    if not names:
        raise TrainConfigError(f"{dataset.world!r} has no latents that name an instance")
    columns = np.stack([np.asarray(dataset.groups[k]) for k in names], axis=1)
    _, ids = np.unique(columns, axis=0, return_inverse=True)
    ids = ids.ravel()
    return ids.astype(np.int64), int(ids.max()) + 1 if len(ids) else 0


def view_ids(dataset) -> np.ndarray:
    """The id of each row's scene *and* base augmentation: rows that differ only in the action
    A share it (the rows one action apart).

    >>> from synthetic.worlds import presets
    >>> ids = view_ids(presets.get("six-nine").dataset("rot2"))
    >>> len(ids), len(set(ids.tolist()))
    (4, 2)
    """
    names = [k for k in dataset.groups if k not in ("A", "S", "X")]
    if not names:
        raise TrainConfigError(f"{dataset.world!r} has no latents that name a scene")
    columns = np.stack([np.asarray(dataset.groups[k]) for k in names], axis=1)
    return np.unique(columns, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


def relabel_by_instance(dataset):
    """The dataset with each row's instance as its label ``a`` (``n_actions`` the number of
    instances), for the instance and contrastive objectives; an error when every instance has a
    single view (nothing to discriminate the instance from).

    >>> from synthetic.worlds import presets
    >>> presets.get("six-nine").dataset("rot2").n_actions, relabel_by_instance(presets.get("six-nine").dataset("rot2")).n_actions
    (2, 2)
    """
    from dataclasses import replace

    ids, n = instance_ids(dataset)
    if n == len(ids):
        raise TrainConfigError(
            f"every instance of {dataset.world!r} under {dataset.transform!r} has a single view: no base "
            f"augmentation and one action; choose a base augmentation or a transformation with several actions"
        )
    return replace(dataset, a=ids, n_actions=n, labels="instance")
