"""The downstream protocol: one probe problem per world, the same for every pretext task.

The linear probe reads *unaugmented* images (A = identity) of the world without its base
augmentation, split by :class:`~synthetic.worlds.splits.StyleSplit` into training styles, a
validation part of them (which chooses the probe's regularisation) and held-out test styles.
At a given seed this set is identical for every pretext task, model and mode, so the probe of
a random-init encoder scores the same for every task of a world.

:func:`probe_scores` fits the probe at each regularisation of :data:`PROBE_C_GRID` on the
training part, keeps the best on validation, and scores it on the test part; few-shot probes
(:data:`FEW_SHOT` labelled images per class, :data:`FEW_SHOT_DRAWS` draws) use the same
regularisation. :func:`exact_limits` gives the limits any probe obeys on the full set.

>>> from essl_testbed.experiments.spec import Experiment
>>> split, parts = downstream_sets(Experiment("six-nine", "rot2"), seed=0)
>>> split.describe(), len(parts["test"])
('no held-out styles (one style): train and test on the full grid', 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synthetic.worlds.datasets import WorldDataset
from synthetic.worlds.splits import StyleSplit

from .spec import Experiment

__all__ = [
    "DOWNSTREAM_TRANSFORM",
    "FEW_SHOT",
    "PROBE_C_GRID",
    "downstream_sets",
    "entropy_given_images",
    "exact_limits",
    "feature_health",
    "label_scores",
    "pixel_scores",
    "probe_scores",
    "scores_once",
    "relabel_by_class",
    "with_aux_label",
    "with_class_label",
]

PROBE_C_GRID: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0)
"""Inverse regularisation strengths tried on the validation part."""
FEW_SHOT: tuple[int, ...] = (1, 5, 10)
FEW_SHOT_DRAWS = 3


DOWNSTREAM_TRANSFORM = "rot4"
"""The unaugmented rows (A = identity) are taken from this one transformation's dataset for
every task: taken from each task's own dataset, their weights carry the task's 1/|A| and
differ after renormalisation in the last bits, enough to move a weakly regularised probe by
an image (natural with 10 classes, seed 0: 0.1750 after jigsaw, 0.1778 after the others)."""


def downstream_sets(experiment: Experiment, seed: int) -> tuple[StyleSplit, dict[str, WorldDataset]]:
    """(the seed's style split, ``{"train", "validation", "test", "full"}`` unaugmented sets)
    of the experiment's world without its base augmentation: the same arrays, bit for bit, for
    every transformation of the experiment."""
    from synthetic.worlds import presets

    world = presets.get(experiment.world, **experiment.world_overrides)
    full = world.dataset(DOWNSTREAM_TRANSFORM)
    full = full.subset(full.a == 0)
    split = StyleSplit.draw(full, seed)
    return split, {**split.apply(full), "full": full}


_SCORES: dict[tuple[str, int], dict[str, float]] = {}


def scores_once(features: dict[str, np.ndarray], parts: dict[str, WorldDataset], seed: int, world: Any = None) -> dict:
    """:func:`probe_scores` (and with ``world`` its :func:`label_scores`), computed once per
    process for equal features, labels and seed: raw pixels, and an encoder at its initial
    weights, are the same for every task of a world, and the probes cost more than a short
    training run.

    >>> from essl_testbed.experiments.spec import Experiment
    >>> _, parts = downstream_sets(Experiment("six-nine", "rot2"), seed=0)
    >>> pixels = {k: d.x.reshape(len(d), -1) for k, d in parts.items()}
    >>> scores_once(pixels, parts, 0) == probe_scores(pixels, parts, 0)
    True
    """
    import hashlib

    digest = hashlib.sha256()
    for name in ("train", "validation", "test", "full"):
        for array in (features[name], parts[name].c, parts[name].weights):
            digest.update(np.ascontiguousarray(array).tobytes())
    for name, labels in sorted(getattr(world, "label_maps", {}).items()):
        digest.update(name.encode() + np.ascontiguousarray(labels).tobytes())
    key = (digest.hexdigest(), seed)
    if key not in _SCORES:
        _SCORES[key] = probe_scores(features, parts, seed)
        if world is not None:
            _SCORES[key].update(label_scores(features, parts, world, seed))
    return dict(_SCORES[key])


def pixel_scores(parts: dict[str, WorldDataset], seed: int) -> dict[str, float]:
    """:func:`probe_scores` on raw pixels, once per process (:func:`scores_once`)."""
    return scores_once({k: d.x.reshape(len(d), -1).astype(np.float64) for k, d in parts.items()}, parts, seed)


def relabel_by_class(dataset: WorldDataset) -> WorldDataset:
    """The dataset with C as the label to predict (for the supervised ceiling)."""
    return WorldDataset(**{**dataset.__dict__, "a": dataset.c, "n_actions": dataset.n_classes, "labels": "C"})


def pretext_rows(experiment: Experiment, world: Any) -> WorldDataset:
    """The rows a pretext run trains on, every style: the world's dataset under the transform,
    with add/eliminate's head label, the null control's independent labels, or the instance
    labels of the instance objectives."""
    from synthetic.objectives import relabel_by_instance

    rows = with_aux_label(world.dataset(experiment.transform), experiment.train.aux)
    if experiment.target == "null":
        rows = independent_labels(rows)
    if experiment.train.objective in ("instance", "contrastive"):
        rows = relabel_by_instance(rows)
    return rows


def independent_labels(dataset: WorldDataset) -> WorldDataset:
    """The null control's dataset: the same images, each with every label value at the
    label's marginal probability, so that the label is exactly independent of X (I = 0) and
    its optimum H(label | X) is H(label). Training on it is training on a task with nothing to
    learn, whatever the world.

    >>> from synthetic.worlds import presets
    >>> null = independent_labels(presets.get("six-nine").dataset("rot4"))
    >>> round(entropy_given_images(null), 6), null.labels
    (2.0, 'null')
    """
    k = dataset.n_actions
    marginal = np.bincount(dataset.a, weights=dataset.weights, minlength=k)
    index = np.repeat(np.arange(len(dataset)), k)
    labels = np.tile(np.arange(k), len(dataset))
    weights = dataset.weights[index] * marginal[labels]
    return WorldDataset(**{**dataset.subset(index).__dict__, "a": labels, "weights": weights, "labels": "null"})


def _with_c(dataset: WorldDataset, labels: np.ndarray) -> WorldDataset:
    return WorldDataset(**{**dataset.__dict__, "c": labels, "n_classes": int(labels.max()) + 1})


def with_class_label(dataset: WorldDataset, label_of_class: np.ndarray) -> WorldDataset:
    """The dataset with C replaced by another label read off the class (a world's ``label_maps``)."""
    return _with_c(dataset, label_of_class[dataset.c])


def with_aux_label(dataset: WorldDataset, aux: str) -> WorldDataset:
    """The pretext dataset with the label of add/eliminate's head (``TrainConfig.aux``) as C."""
    from ..errors import ExperimentError

    if aux == "class":
        return dataset
    if aux not in dataset.groups:
        raise ExperimentError(f"aux label {aux!r} needs a world with a {aux!r} style knob; {dataset.world} has none")
    return _with_c(dataset, dataset.groups[aux])


def label_scores(features: dict[str, np.ndarray], parts: dict[str, WorldDataset], world: Any, seed: int) -> dict:
    """``probe_acc_<label>`` (test) for each of the world's ``label_maps``: the same probe
    protocol with that label in place of the class (no few-shot probes). A label with one
    value (``marked`` with one carrier) has nothing to probe and gets no key."""
    out = {}
    for name, label_of_class in getattr(world, "label_maps", {}).items():
        if len(set(np.asarray(label_of_class).tolist())) < 2:
            continue
        relabelled = {k: with_class_label(d, label_of_class) for k, d in parts.items()}
        out[f"probe_acc_{name}"] = probe_scores(features, relabelled, seed, few_shot=False)["probe_acc"]
    return out


def _fit(features: np.ndarray, part: WorldDataset, C: float) -> Any:
    from synthetic.probe import LinearProbe

    return LinearProbe(C=C).fit(features, part.c, part.weights)


def _few_shot_rows(part: WorldDataset, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` rows of each class, drawn without replacement in proportion to their weights."""
    rows = []
    for c in np.unique(part.c):
        idx = np.flatnonzero(part.c == c)
        p = part.weights[idx] / part.weights[idx].sum()
        rows.append(rng.choice(idx, size=min(k, len(idx)), replace=False, p=p))
    return np.concatenate(rows)


def probe_scores(
    features: dict[str, np.ndarray], parts: dict[str, WorldDataset], seed: int, few_shot: bool = True
) -> dict[str, float]:
    """Probe metrics from features of each part (keys as ``parts``): ``probe_acc`` (test),
    ``probe_C`` (chosen on validation), ``probe_acc_validation``, ``probe_usable_bits``
    (H(C) - CE on the full set), ``probe_acc_full`` and, with ``few_shot``, ``probe_acc_{k}shot`` (test)."""
    train, val, test = parts["train"], parts["validation"], parts["test"]
    fits = {C: _fit(features["train"], train, C) for C in PROBE_C_GRID}
    val_acc = {C: p.score(features["validation"], val.c, val.weights) for C, p in fits.items()}
    best = max(val_acc.values())
    C = min(C for C, acc in val_acc.items() if acc >= best - 1e-12)  # ties go to the stronger penalty
    probe = fits[C]
    full = parts["full"]
    out = {
        "probe_acc": probe.score(features["test"], test.c, test.weights),
        "probe_C": C,
        "probe_acc_validation": val_acc[C],
        "probe_acc_full": probe.score(features["full"], full.c, full.weights),
        "probe_usable_bits": probe.usable_bits(features["full"], full.c, full.weights),
    }
    rng = np.random.default_rng([seed, 9])
    for k in FEW_SHOT if few_shot else ():
        scores = []
        for _ in range(FEW_SHOT_DRAWS):
            rows = _few_shot_rows(train, k, rng)
            if len(np.unique(train.c[rows])) < 2:
                continue
            shot = _fit(features["train"][rows], train.subset(rows), C)
            scores.append(shot.score(features["test"], test.c, test.weights))
        out[f"probe_acc_{k}shot"] = float(np.mean(scores)) if scores else float("nan")
    return out


def entropy_given_images(dataset: WorldDataset, labels: np.ndarray | None = None) -> float:
    """H(label | X) in bits on a weighted set of images, X the distinct images (``labels``
    defaults to the dataset's target ``a``): the least cross-entropy any predictor of the
    label from X reaches on that set, its exact optimum.

    >>> from synthetic.worlds import presets
    >>> ds = presets.get("six-nine").dataset("rot2")
    >>> round(entropy_given_images(ds), 6)   # a 6 turned half-way is a 9: A is unreadable
    1.0
    """
    labels = dataset.a if labels is None else labels
    return _given_images_bits(_image_label_table(dataset, labels, dataset.weights / dataset.weights.sum()))


def _image_label_table(dataset: WorldDataset, labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weights summed per (distinct image, label)."""
    from theory import outcome_ids

    x_ids, _ = outcome_ids(dataset.x.reshape(len(dataset), -1))
    table = np.zeros((x_ids.max() + 1, int(labels.max()) + 1))
    np.add.at(table, (x_ids, labels), weights)
    return table


def _given_images_bits(table: np.ndarray) -> float:
    """H(label | image) of an (image, label) table of probabilities."""
    return _entropy_bits(table.ravel()) - _entropy_bits(table.sum(1))


def _entropy_bits(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def exact_limits(full: WorldDataset) -> dict[str, float]:
    """H(C), I(C;X) and the Bayes accuracy of C given X on a weighted set of images (X = the
    distinct images): no probe of any features of X does better on that set."""
    table = _image_label_table(full, full.c, full.weights)
    h_c = _entropy_bits(table.sum(0))
    return {
        "H_C": h_c,
        "I_C_X0": h_c - _given_images_bits(table),
        "bayes_acc_C_given_X0": float(table.max(1).sum()),
    }


def feature_health(features: np.ndarray) -> dict[str, float]:
    """Dead units (0 on every image), the mean over features of their standard deviation over
    images, and the effective rank (Roy and Vetterli 2007: exp of the entropy of the centred
    features' normalised singular values) of an encoder's features.

    >>> health = feature_health(np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 6.0]]))
    >>> health["feature_dead_units"], health["feature_std"], round(health["feature_effective_rank"], 9)
    (1, 1.0, 1.0)
    >>> round(feature_health(np.eye(4))["feature_effective_rank"], 9)   # centred: three equal directions
    3.0
    """
    singular = np.linalg.svd(features - features.mean(0), compute_uv=False)
    spread = float(features.std(0).mean())
    rank = 2.0 ** _entropy_bits(singular / singular.sum()) if singular.sum() > 0 else 0.0
    return {
        "feature_dead_units": int((np.abs(features).max(0) == 0).sum()),
        "feature_std": spread,
        "feature_effective_rank": rank,
    }
