"""The typed records of a training run: what :func:`~essl_testbed.experiments.run.run_one`
returns for one seed (flat, JSON-ready, as the cache keeps it), the summary of several seeds,
and what :func:`~essl_testbed.experiments.sweep.run_seeds` returns.

Every run has the keys of :class:`RunCore`; the others depend on the objective, the model,
the world and the runner (declared in :class:`RunRecord`). Probe metrics come three times:
on the trained encoder, on the random-init encoder (``_random_init``) and on raw pixels
(``_pixels``). A world with ``label_maps`` adds ``probe_acc_<label>`` (and its two baselines
and ``probe_gain_<label>``) for each of its labels: :func:`undeclared_keys` knows them.

>>> undeclared_keys({"seed": 0, "probe_acc_marker": 0.5, "probe_gain_marker": 0.1, "surprise": 1}, ["marker"])
['surprise']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

__all__ = ["MetricSummary", "RunCore", "RunRecord", "SeedsResult", "declared_keys", "undeclared_keys"]


class RunCore(TypedDict):
    """The keys of every run."""

    seed: int
    model: str  # the registered model trained (its configuration is the experiment's)
    held_out: str  # the held-out styles of the split
    steps: int  # optimiser steps taken
    train_rows: int
    pretext_acc: float
    # the downstream probe on C (unaugmented held-out styles), and the same on the two baselines
    probe_acc: float
    probe_C: float  # the probe's regularisation, chosen on the validation styles
    probe_acc_validation: float
    probe_acc_full: float
    probe_usable_bits: float  # H(C) - CE of the probe, on the full set
    probe_acc_random_init: float
    probe_C_random_init: float
    probe_acc_validation_random_init: float
    probe_acc_full_random_init: float
    probe_usable_bits_random_init: float
    probe_acc_pixels: float
    probe_C_pixels: float
    probe_acc_validation_pixels: float
    probe_acc_full_pixels: float
    probe_usable_bits_pixels: float
    probe_gain: float  # probe_acc - probe_acc_random_init
    test_images: int
    dead: bool  # pretext accuracy never left chance on a learnable task
    # exact limits of the downstream set
    H_C: float
    I_C_X0: float
    bayes_acc_C_given_X0: float
    checks: dict[str, Any]  # each exact bound, checked on the learned numbers
    history: list[dict[str, Any]]  # per-epoch metrics
    seconds: float
    # where they went: "setup" (world, exact analysis, baselines' probes), "train", "finish"
    # (evaluation, the trained probe, the checks)
    phase_seconds: dict[str, float]
    provenance: dict[str, Any]


class RunRecord(RunCore, total=False):
    """A run: :class:`RunCore` and the keys that depend on what was trained."""

    # few-shot probes (not for the supervised ceiling's downstream sets)
    probe_acc_1shot: float
    probe_acc_5shot: float
    probe_acc_10shot: float
    probe_acc_1shot_random_init: float
    probe_acc_5shot_random_init: float
    probe_acc_10shot_random_init: float
    probe_acc_1shot_pixels: float
    probe_acc_5shot_pixels: float
    probe_acc_10shot_pixels: float
    # feature health on the unaugmented training images (and with _random_init, at initialisation)
    feature_dead_units: int  # features that are 0 on every image
    feature_std: float  # the features' standard deviation over images, averaged over features
    feature_effective_rank: float  # exp of the entropy of the normalised singular values
    feature_dead_units_random_init: int
    feature_std_random_init: float
    feature_effective_rank_random_init: float
    # the predict objective
    pretext_ce_bits: float
    pretext_ce_train_bits: float
    # convergence certificate: the exact H(target | X) of the training distribution (training
    # styles, their weights) and the cross-entropy's gap above it, in bits (never below 0)
    pretext_optimum_train_bits: float
    pretext_gap_train_bits: float
    pretext_acc_full: float
    ce_A_bits: float
    ce_bound_bits: float  # H(A) - CE_A on the full distribution
    # the strict objective
    equivariance_error: float
    equivariance_error_full: float
    # exact quantities of the task (predict objective on an enumerated world)
    H_A: float
    I_A_X: float
    bayes_acc_A_given_X: float
    I_C_X: float
    # the bottleneck's code, exact
    I_A_Z: float
    I_C_Z: float
    I_A_Z_given_C: float
    I_A_C_given_Z: float
    H_C_given_Z: float
    H_Z_given_X: float  # the code's sharpness (0: deterministic), part of its convergence certificate
    t1_residual: float
    information_plane: list[dict[str, float]]
    # seeds trained together as one batched model
    ensemble: int
    # set by the runner (essl_testbed.experiments.budget.Runner)
    probe_acc_supervised: float
    normalised_gain: float


class MetricSummary(TypedDict):
    """One metric over seeds: mean, sample standard deviation, number of runs."""

    mean: float
    std: float
    n: int


class SeedsResult(TypedDict):
    """Several seeds of one experiment: its configuration (with its key), the runs, the summary."""

    config: dict[str, Any]
    runs: list[RunRecord]
    summary: dict[str, MetricSummary]


def declared_keys() -> frozenset[str]:
    """Every key :class:`RunRecord` declares."""
    return RunRecord.__required_keys__ | RunRecord.__optional_keys__


def undeclared_keys(run: Mapping[str, Any], labels: Iterable[str] = ()) -> list[str]:
    """The keys of ``run`` that neither :class:`RunRecord` nor a world label in ``labels`` explains."""
    per_label = {
        f"{prefix}_{label}{suffix}"
        for label in labels
        for prefix, suffix in (
            ("probe_acc", ""),
            ("probe_acc", "_random_init"),
            ("probe_acc", "_pixels"),
            ("probe_gain", ""),
        )
    }
    return sorted(set(run) - declared_keys() - per_label)
