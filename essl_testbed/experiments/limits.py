"""Exact limits of the pretext task on a seed's *training* styles, where the networks are fit.

The theory speaks of the distribution a code is optimised on. The pretext networks train on
the enumerated cells of the training styles of a seed's :class:`~synthetic.worlds.splits.StyleSplit`
(weights renormalised), so cross-entropies measured there are compared with that
distribution's exact quantities: H(A|X) (the best any predictor reaches), I(C;T) and the
class-blind limits (the best a predictor that carries nothing about the class reaches).

>>> from essl_testbed.experiments.spec import Experiment
>>> limits = training_style_limits(Experiment("six-nine", "rot2"), seed=0)
>>> limits["H_A_given_X"], limits["H_A_given_Z_class_blind"], limits["H_A_given_Z_class_blind_lower"], limits["I_C_T"]
(1.0, 1.0, 1.0, 0.0)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .spec import Experiment

__all__ = ["CONVERGED_BITS", "training_style_joint", "training_style_limits"]

CONVERGED_BITS = 0.05
"""ε: the default optimality gap (bits) under which a trained arm counts as converged."""


@lru_cache(maxsize=64)
def training_style_joint(experiment: Experiment, seed: int):
    """The joint p(C, A, X) of the experiment's pretext task on the training styles of
    ``seed``'s split: the enumerated cells the networks are fit on, weights renormalised, X
    the distinct images (a :class:`theory.Joint` named C, A, X)."""
    from theory import Joint

    from .downstream import downstream_sets

    split, _ = downstream_sets(experiment, seed)
    world = experiment.make_world()
    train = split.apply(world.dataset(experiment.transform), merge_validation=True)["train"]
    x = np.unique(train.latents["X"], return_inverse=True)[1].ravel()
    table = np.zeros((train.n_classes, train.n_actions, int(x.max()) + 1))
    np.add.at(table, (train.c, train.a, x), train.weights)
    return Joint(table / table.sum(), names=("C", "A", "X"))


@lru_cache(maxsize=64)
def training_style_limits(experiment: Experiment, seed: int) -> dict[str, float]:
    """``H_A``, ``H_A_given_X``, ``I_C_T``, ``H_A_given_Z_class_blind`` (bits) and
    ``bayes_acc_A_class_blind`` of the experiment's pretext task on the training styles of
    ``seed``'s split (floats). The class-blind log-loss is bracketed
    (:func:`theory.class_blind_limit`): ``H_A_given_Z_class_blind`` is achieved by a
    class-blind code, ``H_A_given_Z_class_blind_lower`` certified: no class-blind code goes below."""
    from theory import (
        class_blind_accuracy,
        class_blind_limit,
        entropy,
        mutual_information,
        with_posterior,
    )

    J = training_style_joint(experiment, seed)
    limit = class_blind_limit(J)
    return {
        "H_A": float(entropy(J, "A")),
        "H_A_given_X": float(entropy(J, "A", given="X")),
        "I_C_T": max(0.0, float(mutual_information(with_posterior(J), "C", "T"))),
        "H_A_given_Z_class_blind": limit.upper,
        "H_A_given_Z_class_blind_lower": limit.lower,
        "bayes_acc_A_class_blind": class_blind_accuracy(J),
    }
