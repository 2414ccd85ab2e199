"""Train on a world, probe the features, and check everything against exact information.

For every trained model, on the world's exact enumerated distribution (all latent cells
with their probabilities):

* pretext accuracy <= Bayes accuracy of A given X; H(A) - CE_A <= I(A;X) (Barber-Agakov);
* probe: H(C) - CE_probe (usable information) <= I(C;X); probe accuracy <= Bayes accuracy;
* bottleneck: the exact joint of the latents with the learned code Z, every epoch; T1's
  identity on it to 1e-9; the information-plane trajectory (I(A;Z), I(C;Z)).

A violated inequality is a bug and raises :class:`BoundViolation`. Generalisation numbers
(``pretext_acc``, ``probe_acc``) are on held-out styles (images, for digits).

>>> from synthetic.training import TrainConfig
>>> run = run_one("six-nine", "rot2", TrainConfig(model="mlp", epochs=3), seed=0)
>>> run["pretext_acc_full"] <= run["bayes_acc_A_given_X"]
True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

BOUND_TOL = 1e-6  # float32 networks: probabilities sum to 1 within ~1e-7
CACHE_VERSION = 2  # bump when a change to training or evaluation makes cached runs stale


class BoundViolation(AssertionError):
    """A learned quantity beat its exact information-theoretic limit: a bug somewhere."""


def _check(name: str, value: float, limit: float, tol: float = BOUND_TOL) -> dict:
    """``{"value", "limit"}`` when ``value <= limit + tol``; raises :class:`BoundViolation` otherwise."""
    if value > limit + tol:
        raise BoundViolation(f"{name}: learned {value:.9g} exceeds its exact limit {limit:.9g} by {value - limit:.3g}")
    return {"value": value, "limit": limit}


def make_world(world: str, base_aug: str = "none", **overrides):
    """A preset, with a base augmentation for worlds that take one."""
    from synthetic import presets

    base = {"simclr": "simclr-like"}.get(base_aug, base_aug)
    if base != "none":
        overrides["base"] = base
    return presets.get(world, **overrides)


def train_test_split(full, seed: int, test_fraction: float = 0.25):
    """(train, test, held-out grouping): a seeded quarter of the styles (images, for real
    data) is held out; a world with a single style trains and tests on its full grid."""
    by = "image" if "image" in full.groups else "S"
    if len(np.unique(full.groups[by])) > 1:
        train, test = full.split(test_fraction, seed=seed, by=by)
        return train, test, by
    return full, full, "none"


def bottleneck_information(world, transform: str, dataset, model) -> dict:
    """Exact information of the learned categorical code Z with the world's latents."""
    from synthetic.bottleneck import joint_with_codes_from_ids
    from theory import Joint, entropy, mutual_information
    from theory.essl import explaining_away_identity

    import torch

    ids = dataset.latents["X"]
    unique, first = np.unique(ids, return_index=True)
    x = torch.as_tensor(dataset.x[first], device=next(model.parameters()).device)
    # chunks: one batch of thousands of images is ~2.5x slower on CPU (cache thrashing)
    q_rows = np.concatenate([model.code_table(part) for part in x.split(512)])
    x_ids = world.x_ids(transform)[0]
    q = np.zeros((int(x_ids.max()) + 1, q_rows.shape[1]))
    q[:, 0] = 1.0  # ids of zero-probability cells only; their rows never carry mass
    q[unique] = q_rows
    table = joint_with_codes_from_ids(world.latent_table(transform).astype(np.float64), x_ids, q)
    J = Joint(table, names=("C", "S", "Abar", "A", "Z"))
    report = explaining_away_identity(J, a="A", c="C", z="Z", tol=1e-9)
    if not report.holds:
        raise BoundViolation(f"T1 fails on the learned code:\n{report}")
    return {"I_A_Z": mutual_information(J, "A", "Z"), "I_C_Z": mutual_information(J, "C", "Z"),
            "I_A_Z_given_C": mutual_information(J, "A", "Z", given="C"),
            "I_A_C_given_Z": mutual_information(J, "A", "C", given="Z"),
            "H_C_given_Z": entropy(J, "C", given="Z"), "t1_residual": float(report.slack)}


def run_one(world_name: str, transform: str, config, seed: int, base_aug: str = "none",
            world_overrides: dict | None = None, progress: Callable[[int], None] | None = None,
            info_every: int = 1) -> dict:
    """One seed: random-init probe, pretext training, probe, exact checks. Returns flat metrics.

    For the bottleneck, the exact information of the code is computed at epoch 0, every
    ``info_every`` epochs and after the last one (each costs a forward pass over every
    distinct image, about a third of a training epoch).
    """
    if isinstance(info_every, bool) or not isinstance(info_every, int) or info_every < 1:
        raise ValueError(f"info_every must be a positive int, got {info_every!r}")
    from synthetic.probe import LinearProbe, entropy_bits
    from synthetic.training import build_model, evaluate, train, weighted_cross_entropy_bits
    from synthetic.world_errors import ExactAnalysisUnavailable

    t0 = time.perf_counter()
    world = make_world(world_name, base_aug, **(world_overrides or {}))
    full = world.dataset(transform)
    train_ds, test_ds, by = train_test_split(full, seed)
    try:
        exact = world.analyze(transform)
    except ExactAnalysisUnavailable:
        exact = None

    def probe_metrics(model) -> tuple[dict, dict, dict]:
        """Probe metrics, and the evaluations of the test split and the full grid."""
        tr, te, fu = (evaluate(model, d, config.device) for d in (train_ds, test_ds, full))
        probe = LinearProbe().fit(tr["features"], train_ds.c, train_ds.weights)
        out = {"probe_acc": probe.score(te["features"], test_ds.c, test_ds.weights),
               "probe_acc_full": probe.score(fu["features"], full.c, full.weights),
               "usable_bits_C": probe.usable_bits(fu["features"], full.c, full.weights)}
        return out, te, fu

    model = build_model(config, full, seed)
    random_init, _, _ = probe_metrics(model)
    on_epoch = None
    if config.model == "bottleneck" and exact is not None:
        def on_epoch(epoch, m):
            due = epoch % info_every == 0 or epoch == config.epochs
            return bottleneck_information(world, transform, full, m) if due else {}
    history = train(model, train_ds, config, seed, on_epoch=on_epoch, progress=progress)
    trained, test_eval, full_eval = probe_metrics(model)

    run = {"seed": seed, "held_out": by, "pretext_acc": test_ds.weighted_accuracy(test_eval["predictions"]),
           "pretext_acc_full": full.weighted_accuracy(full_eval["predictions"]),
           "ce_A_bits": weighted_cross_entropy_bits(full_eval["action_probs"], full.a, full.weights),
           **trained,
           "probe_acc_random_init": random_init["probe_acc"],
           "usable_bits_C_random_init": random_init["usable_bits_C"]}
    run["ce_bound_bits"] = entropy_bits(full.a, full.weights) - run["ce_A_bits"]
    if exact is not None:
        refs = {k: float(exact[k]) for k in ("H_A", "I_A_X", "bayes_acc_A_given_X", "H_C", "I_C_X",
                                              "bayes_acc_C_given_X")}
        run.update(refs)
        run["checks"] = {
            "pretext_acc <= bayes_acc_A_given_X": _check("pretext accuracy", run["pretext_acc_full"],
                                                         refs["bayes_acc_A_given_X"]),
            "H(A) - CE_A <= I(A;X)": _check("Barber-Agakov bound", run["ce_bound_bits"], refs["I_A_X"]),
            "H(C) - CE_probe <= I(C;X)": _check("usable information", run["usable_bits_C"], refs["I_C_X"]),
            "probe_acc <= bayes_acc_C_given_X": _check("probe accuracy", run["probe_acc_full"],
                                                       refs["bayes_acc_C_given_X"]),
            "random-init H(C) - CE_probe <= I(C;X)": _check("usable information (random init)",
                                                            random_init["usable_bits_C"], refs["I_C_X"]),
        }
    if on_epoch is not None:
        run.update({k: v for k, v in history[-1].items() if k.startswith(("I_", "H_", "t1_"))})
        run["information_plane"] = [{"epoch": h["epoch"], "I_A_Z": h["I_A_Z"], "I_C_Z": h["I_C_Z"]}
                                    for h in history if "I_A_Z" in h]
    run["history"] = history
    run["seconds"] = time.perf_counter() - t0
    return run


SUMMARY_SKIP = {"seed", "checks", "history", "information_plane"}


def summarise(runs: Sequence[dict]) -> dict:
    """Mean, sample standard deviation and n of every numeric metric over the runs."""
    out = {}
    for key in runs[0]:
        if key in SUMMARY_SKIP or not isinstance(runs[0][key], (int, float)):
            continue
        values = np.array([r[key] for r in runs], dtype=float)
        out[key] = {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                    "n": len(values)}
    return out


def atomic_write_json(path: Path, obj) -> None:
    """Write JSON to ``path`` via a temporary file and ``os.replace``: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(obj, fh, indent=1, default=float)
    os.replace(tmp, path)


def world_fingerprint(world) -> str:
    """A hash of what a world renders and how it is described: a changed preset gets a new cache key."""
    digest = hashlib.sha256(world.describe().encode())
    if hasattr(world, "raw_images"):
        digest.update(np.ascontiguousarray(world.raw_images()).tobytes())
    return digest.hexdigest()[:16]


def experiment_key(**parts) -> str:
    """A short stable hash of an experiment's definition (used to name its result files)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


def run_seeds(world: str, transform: str, config, seeds: Sequence[int], base_aug: str = "none",
              world_overrides: dict | None = None, cache_dir: str | Path | None = None,
              show_progress: bool = True, info_every: int = 1) -> dict:
    """Several seeds of :func:`run_one`: ``{"config", "runs", "summary"}``.

    With ``cache_dir`` each finished seed is written atomically and reused on the next
    call, so an interrupted experiment resumes where it stopped.
    """
    from tqdm import tqdm

    definition = {"version": CACHE_VERSION, "world": world,
                  "world_fingerprint": world_fingerprint(make_world(world, base_aug, **(world_overrides or {}))),
                  "transform": transform, "base_aug": base_aug, "world_overrides": world_overrides or {},
                  "train": config.as_dict()}
    if info_every != 1:
        definition["info_every"] = info_every
    key = experiment_key(**definition)
    runs = []
    bar = tqdm(total=len(seeds) * config.epochs, disable=not show_progress, leave=False,
               desc=f"{world}/{transform}/{config.model}/{config.mode}")
    for seed in seeds:
        path = Path(cache_dir) / key / f"seed{seed}.json" if cache_dir is not None else None
        if path is not None and path.exists():
            runs.append(json.loads(path.read_text()))
            bar.update(config.epochs)
            continue
        run = run_one(world, transform, config, seed, base_aug, world_overrides, progress=lambda _: bar.update(1),
                      info_every=info_every)
        if path is not None:
            atomic_write_json(path, run)
        runs.append(run)
    bar.close()
    return {"config": {**definition, "seeds": list(seeds), "key": key}, "runs": runs, "summary": summarise(runs)}

