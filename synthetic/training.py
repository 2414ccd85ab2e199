"""Pretext training on a world's dataset: configuration, models, the loop, evaluation.

``mode`` is the paper's class-information check, done with a working adversary:
``normal`` trains on CE_A; ``add`` on CE_A + lam * CE_C through the encoder; ``eliminate``
puts the class head behind a gradient-reversal layer, so the head keeps learning to
classify while the encoder is pushed to remove what it uses.

>>> from synthetic import presets
>>> ds = presets.get("six-nine").dataset("rot4")
>>> config = TrainConfig(model="mlp", epochs=2, batch_size=8)
>>> model = build_model(config, ds, seed=0)
>>> history = train(model, ds, config, seed=0)
>>> len(history), sorted(history[0])
(2, ['epoch', 'loss', 'train_pretext_acc'])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from .bottleneck import CategoricalBottleneck
from .encoders import CNNEncoder, MLPEncoder
from .matched_encoders import matched_pair
from .pretext_model import PretextModel
from .torch_runtime import resolve_device, seeded

MODELS = ("cnn", "c4cnn", "mlp", "bottleneck")
MODES = ("normal", "add", "eliminate")


class TrainConfigError(ValueError):
    """A training configuration that cannot run."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run except the seed and the data."""

    model: str = "cnn"
    mode: str = "normal"
    lam: float = 1.0
    epochs: int = 15
    batch_size: int = 128
    lr: float = 1e-3  # 3e-3 left some seeds' networks dead (pretext accuracy at chance throughout)
    feature_dim: int = 64
    width: int = 16
    n_codes: int = 16
    device: str = "cpu"

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise TrainConfigError(f"unknown model {self.model!r}; valid: {', '.join(MODELS)}")
        if self.mode not in MODES:
            raise TrainConfigError(f"unknown mode {self.mode!r}; valid: {', '.join(MODES)}")
        if self.model == "bottleneck" and self.mode != "normal":
            raise TrainConfigError("the categorical bottleneck trains in mode 'normal' only")
        for name in ("epochs", "batch_size", "feature_dim", "width", "n_codes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "epochs" else 1):
                kind = "a non-negative" if name == "epochs" else "a positive"
                raise TrainConfigError(f"{name} must be {kind} int, got {value!r}")
        if not (self.lr > 0) or not np.isfinite(self.lr):
            raise TrainConfigError(f"lr must be a positive number, got {self.lr!r}")
        if not (self.lam >= 0) or not np.isfinite(self.lam):
            raise TrainConfigError(f"lam must be a non-negative number, got {self.lam!r}")

    def as_dict(self) -> dict:
        return asdict(self)


def build_model(config: TrainConfig, dataset, seed: int) -> torch.nn.Module:
    """The model ``config`` names, sized for ``dataset``, with weights drawn from ``seed``."""
    channels, size = dataset.x.shape[1], dataset.x.shape[2]
    with seeded(seed):
        if config.model == "mlp":
            encoder = MLPEncoder(channels, size, feature_dim=config.feature_dim)
        elif config.model == "c4cnn":
            encoder = matched_pair(channels, config.feature_dim, cnn_width=config.width).c4
        else:
            encoder = CNNEncoder(channels, width=config.width, feature_dim=config.feature_dim)
        if config.model == "bottleneck":
            model = CategoricalBottleneck(encoder, config.n_codes, dataset.n_actions)
        elif config.mode == "normal":
            model = PretextModel(encoder, dataset.n_actions)
        else:
            model = PretextModel(encoder, dataset.n_actions, n_classes=dataset.n_classes, class_head=config.mode,
                                 reversal_lambda=config.lam)
    return model.to(resolve_device(config.device))


def _loss(model, config: TrainConfig, x, a, c, w) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, action predictions) for one batch."""
    if isinstance(model, CategoricalBottleneck):
        return model.loss(x, a, weights=w), model.action_probs(x).argmax(1)
    out = model(x)
    # eliminate: the reversal layer already scales the encoder's gradient by lam; the head
    # itself trains on plain CE_C so it keeps being a competent adversary.
    weight = config.lam if config.mode == "add" else 1.0
    classes = c if config.mode != "normal" else None
    return model.loss(out, a, classes, class_weight=weight, weights=w), out.action_logits.argmax(1)


def train(model, dataset, config: TrainConfig, seed: int,
          on_epoch: Callable[[int, torch.nn.Module], dict] | None = None,
          progress: Callable[[int], None] | None = None) -> list[dict]:
    """Adam on the weighted pretext loss; returns one metrics dict per epoch.

    ``on_epoch(epoch, model)`` may return extra metrics for that epoch (it runs at epoch 0,
    before training, too, when given). Mini-batches are a seeded shuffle of the rows, each
    row's loss weighted by its probability.
    """
    device = resolve_device(config.device)
    x, a, c, w = dataset.tensors(device)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    history = []
    if on_epoch is not None:
        history.append({"epoch": 0, **on_epoch(0, model)})
    for epoch in range(1, config.epochs + 1):
        model.train()
        total, correct = 0.0, 0.0
        for batch in torch.randperm(len(dataset), generator=generator).split(config.batch_size):
            batch = batch.to(device)
            loss, predictions = _loss(model, config, x[batch], a[batch], c[batch], w[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            share = float(w[batch].sum())
            total += float(loss.detach()) * share
            correct += float((w[batch] * (predictions == a[batch])).sum())
        row = {"epoch": epoch, "loss": total, "train_pretext_acc": correct}
        if on_epoch is not None:
            row.update(on_epoch(epoch, model))
        history.append(row)
        if progress is not None:
            progress(epoch)
    return history


@torch.no_grad()
def evaluate(model, dataset, device: str = "cpu", batch_size: int = 512) -> dict[str, np.ndarray]:
    """Features, action probabilities and predictions for every row (float64 numpy).

    For the bottleneck the features are the code probabilities q(z|x).
    """
    model.eval()
    dev = resolve_device(device)
    feats, probs = [], []
    for start in range(0, len(dataset), batch_size):
        xb = torch.as_tensor(dataset.x[start:start + batch_size], device=dev)
        if isinstance(model, CategoricalBottleneck):
            f = model.code_probs(xb)
            p = f @ model.decoder_probs()
        else:
            out = model(xb)
            f, p = out.features, F.softmax(out.action_logits, dim=1)
        feats.append(f.double().cpu().numpy())
        probs.append(p.double().cpu().numpy())
    features, action_probs = np.concatenate(feats), np.concatenate(probs)
    return {"features": features, "action_probs": action_probs, "predictions": action_probs.argmax(1)}


def weighted_cross_entropy_bits(probs: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """-sum_i w_i log2 probs[i, labels[i]]."""
    p = probs[np.arange(len(labels)), labels]
    return float(-np.dot(weights, np.log2(np.maximum(p, np.finfo(float).tiny))))
