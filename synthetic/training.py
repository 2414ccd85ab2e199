"""Pretext training on a world's dataset: building a registered model, the loop, evaluation.

``mode`` is the paper's class-information check, done with a working adversary:
``normal`` trains on CE_A; ``add`` on CE_A + lam * CE_C through the encoder; ``eliminate``
puts the class head behind a gradient-reversal layer, so the head keeps learning to
classify while the encoder is pushed to remove what it uses.

>>> from synthetic.worlds import presets
>>> ds = presets.get("six-nine").dataset("rot4")
>>> config = TrainConfig(model="mlp", epochs=2, batch_size=8)
>>> model = build_model(config, ds, seed=0)
>>> history = train(model, ds, config, seed=0)
>>> len(history), sorted(history[0])
(2, ['epoch', 'loss', 'train_pretext_acc'])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from . import models
from .config import TrainConfig
from .errors import TrainConfigError
from .nets.interface import PretextNetwork
from .nets.runtime import resolve_device, seeded
from .worlds.datasets import WorldDataset

__all__ = ["TrainConfig", "as_tensors", "build_model", "evaluate", "train", "weighted_cross_entropy_bits"]


def build_model(config: TrainConfig, dataset: WorldDataset, seed: int) -> PretextNetwork:
    """The registered model ``config.model`` names, sized for ``dataset``, with weights drawn
    from ``seed``; a builder whose network lacks the :class:`PretextNetwork` methods is refused."""
    with seeded(seed):
        model = models.get(config.model).build(config, dataset)
    if not isinstance(model, PretextNetwork):
        raise TrainConfigError(
            f"model {config.model!r}: its builder returned a {type(model).__name__}, which lacks the PretextNetwork "
            "methods (pretext_loss, predict, parameters, train, eval, to)"
        )
    model.to(resolve_device(config.device))
    return model


def as_tensors(dataset: WorldDataset, device: str | torch.device = "cpu") -> tuple[torch.Tensor, ...]:
    """(x, a, c, weights) of a world dataset as torch tensors on ``device`` (float32, long, long, float32)."""
    return (
        torch.as_tensor(dataset.x, device=device),
        torch.as_tensor(dataset.a, dtype=torch.long, device=device),
        torch.as_tensor(dataset.c, dtype=torch.long, device=device),
        torch.as_tensor(dataset.weights, dtype=torch.float32, device=device),
    )


LOSS_WINDOWS = 10
"""The tenths of a run's steps over which ``train`` reports the mean loss."""


def train(
    model: PretextNetwork,
    dataset: WorldDataset,
    config: TrainConfig,
    seed: int,
    on_epoch: Callable[[int, PretextNetwork], dict] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[dict]:
    """Adam on the weighted pretext loss; returns one metrics dict per epoch.

    The budget is ``config.steps`` optimiser steps when set (the last epoch may be partial;
    its loss and accuracy are over the rows it saw), else ``config.epochs`` passes.

    ``on_epoch(epoch, model)`` may return extra metrics for that epoch (it runs at epoch 0,
    before training, too, when given). Mini-batches are a seeded shuffle of the rows, each
    row's loss weighted by its probability. The last row also holds ``loss_windows``: the
    mean loss over each tenth of the run's steps (runs of a few epochs still show whether
    the loss has levelled off).
    """
    device = resolve_device(config.device)
    x, a, c, w = as_tensors(dataset, device)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    history = []
    if on_epoch is not None:
        history.append({"epoch": 0, **on_epoch(0, model)})
    schedule = config.batches_per_epoch(len(dataset))
    ramp = reversal_ramp(model, config, sum(schedule))
    sharpen = sharpening(model, config, sum(schedule))
    step, n_steps = 0, sum(schedule)
    n_windows = min(LOSS_WINDOWS, n_steps)
    window_total, window_seen = (torch.zeros(n_windows, dtype=torch.float64, device=device) for _ in range(2))
    for epoch, n_batches in enumerate(schedule, 1):
        model.train()
        # float64 sums on the device: no step waits for a value to reach the host
        total, correct, seen = (torch.zeros((), dtype=torch.float64, device=device) for _ in range(3))
        order = torch.randperm(len(dataset), generator=generator).to(device)
        for batch in order.split(config.batch_size)[:n_batches]:
            ramp(step)
            sharpen(step)
            window = step * n_windows // n_steps
            step += 1
            weights = w[batch]
            rows = {"rows": batch} if getattr(model, "takes_rows", False) else {}
            loss, predictions = model.pretext_loss(x[batch], a[batch], c[batch], weights, **rows)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            share = weights.sum().double()
            seen += share
            total += loss.detach().double() * share
            window_total[window] += loss.detach().double() * share
            window_seen[window] += share
            correct += (weights * (predictions == a[batch])).sum().double()
        row = {"epoch": epoch, "loss": float(total / seen), "train_pretext_acc": float(correct / seen)}
        if on_epoch is not None:
            row.update(on_epoch(epoch, model))
        history.append(row)
        if progress is not None:
            progress(epoch)
    if n_steps:
        history[-1]["loss_windows"] = (window_total / window_seen).tolist()
    return history


def reversal_ramp(model: PretextNetwork, config: TrainConfig, total_steps: int) -> Callable[[int], None]:
    """``ramp(step)`` sets the model's gradient-reversal strength before that step: ``lam``
    throughout, or with ``config.warmup`` rising linearly from 0 over that share of the steps
    (an adversary at full strength from step 0 can collapse the encoder before it learns A).

    >>> from synthetic.nets.gradient_reversal import GradientReversal
    >>> net = torch.nn.Sequential(GradientReversal())
    >>> ramp = reversal_ramp(net, TrainConfig(mode="eliminate", lam=2.0, warmup=0.5), total_steps=4)
    >>> [(ramp(s), net[0].lambda_)[1] for s in range(4)]
    [1.0, 2.0, 2.0, 2.0]
    """
    from .nets.gradient_reversal import GradientReversal

    if not config.warmup:
        return lambda step: None
    modules = model.modules() if isinstance(model, torch.nn.Module) else ()
    layers = [m for m in modules if isinstance(m, GradientReversal)]
    if not layers:
        raise TrainConfigError(f"warmup {config.warmup:g}: model {config.model!r} has no gradient-reversal layer")
    ramp_steps = config.warmup * total_steps

    def ramp(step: int) -> None:
        for layer in layers:
            layer.lambda_ = config.lam * min(1.0, (step + 1) / ramp_steps)

    return ramp


def sharpening(model: PretextNetwork, config: TrainConfig, total_steps: int) -> Callable[[int], None]:
    """``sharpen(step)`` switches the bottleneck to the expected loss for the last
    ``config.sharpen`` share of the steps. The mixture loss trains from a near-uniform code but
    is met by soft codes whose I(A;Z) stays below I(A;X); the expected loss bounds the code's
    own H(A|Z), so driving it to H(A|X) makes the code sharp.

    >>> from synthetic.nets import CategoricalBottleneck
    >>> net = CategoricalBottleneck(4, n_codes=2, n_actions=2)
    >>> sharpen = sharpening(net, TrainConfig(model="bottleneck", sharpen=0.5), total_steps=4)
    >>> [(sharpen(s), net.objective)[1] for s in range(4)]
    ['mixture', 'mixture', 'expected', 'expected']
    """
    if not config.sharpen:
        return lambda step: None
    start = (1 - config.sharpen) * total_steps

    def sharpen(step: int) -> None:
        model.objective = "expected" if step >= start else "mixture"  # type: ignore[attr-defined]

    return sharpen


@torch.no_grad()
def evaluate(
    model: PretextNetwork, dataset: WorldDataset, device: str = "cpu", batch_size: int = 512
) -> dict[str, np.ndarray | None]:
    """Features, action probabilities and predictions for every row (float64 numpy).

    For the bottleneck the features are the code probabilities q(z|x); a model without an
    action head (strict equivariance, contrastive) gives None for the other two.
    """
    model.eval()
    dev = resolve_device(device)
    feats, probs = [], []
    for start in range(0, len(dataset), batch_size):
        xb = torch.as_tensor(dataset.x[start : start + batch_size], device=dev)
        f, p = model.predict(xb)
        feats.append(f.double().cpu().numpy())
        if p is not None:
            probs.append(p.double().cpu().numpy())
    features = np.concatenate(feats)
    if not probs:  # strict and contrastive models have no head that reads A from one view
        return {"features": features, "action_probs": None, "predictions": None}
    action_probs = np.concatenate(probs)
    return {"features": features, "action_probs": action_probs, "predictions": action_probs.argmax(1)}


def weighted_cross_entropy_bits(probs: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """-sum_i w_i log2 probs[i, labels[i]]."""
    p = probs[np.arange(len(labels)), labels]
    return float(-np.dot(weights, np.log2(np.maximum(p, np.finfo(float).tiny))))
