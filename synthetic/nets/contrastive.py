"""Contrastive instance discrimination: InfoNCE (SimCLR's NT-Xent) between two views of an instance.

The training rows are labelled with their instance (:func:`synthetic.objectives.instance_ids`);
the model holds the training rows as a bank of views. For each row of a batch it draws a
second view of the same instance from the bank (uniformly, with a generator seeded when the
model is built, so the same seed gives the same pairs; like SimCLR's two independent
augmentations, the two views may coincide), passes both through the encoder and a projection
head (Linear-ReLU-Linear, as in SimCLR; the probe reads the encoder's features before it)
and scores each view against the 2B − 1 others at temperature τ (default 0.5).

>>> import torch
>>> from synthetic.nets.encoders import MLPEncoder
>>> x, ids = torch.rand(8, 1, 4, 4), torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
>>> model = ContrastiveModel(MLPEncoder(1, 4, feature_dim=8), x, ids, seed=0)
>>> loss, found = model.pretext_loss(x[:4], ids[:4], torch.zeros(4))
>>> loss.shape, found.shape
(torch.Size([]), torch.Size([4]))
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .pretext_model import InputShapeError, feature_dim_of, weighted_mean

__all__ = ["TEMPERATURE", "ContrastiveModel", "nt_xent"]

TEMPERATURE = 0.5
"""SimCLR's temperature for small batches (its CIFAR-10 setting)."""


def nt_xent(h1: torch.Tensor, h2: torch.Tensor, temperature: float = TEMPERATURE) -> torch.Tensor:
    """Per-view NT-Xent losses (2B,) of normalised embeddings: view i of ``h1`` is positive
    with view i of ``h2`` against the 2B − 2 others, at ``temperature``."""
    n = len(h1)
    h = torch.cat([h1, h2])
    logits = (h @ h.T) / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=h.device), float("-inf"))
    positive = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(h.device)
    return F.cross_entropy(logits, positive, reduction="none")


class ContrastiveModel(nn.Module):
    """``encoder`` -> features -> projection head, trained with NT-Xent on pairs of views."""

    # buffers, registered in __init__
    views: torch.Tensor
    order: torch.Tensor
    starts: torch.Tensor
    counts: torch.Tensor

    def __init__(
        self,
        encoder: nn.Module,
        views: torch.Tensor,
        instances: torch.Tensor,
        seed: int,
        temperature: float | None = None,
    ):
        super().__init__()
        self.temperature = TEMPERATURE if temperature is None else float(temperature)
        dim = feature_dim_of(encoder)
        instances = torch.as_tensor(instances, dtype=torch.long)
        if len(views) != len(instances) or len(views) == 0:
            raise InputShapeError(f"{len(views)} views for {len(instances)} instance labels")
        self.encoder = encoder
        self.projection = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        order = torch.argsort(instances, stable=True)
        counts = torch.bincount(instances)
        self.register_buffer("views", torch.as_tensor(views), persistent=False)
        self.register_buffer("order", order, persistent=False)
        self.register_buffer("starts", torch.cumsum(counts, 0) - counts, persistent=False)
        self.register_buffer("counts", counts, persistent=False)
        self.generator = torch.Generator().manual_seed(int(seed))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def partners(self, instances: torch.Tensor) -> torch.Tensor:
        """A uniformly drawn view (from the bank) of each instance."""
        u = torch.rand(len(instances), generator=self.generator).to(instances.device)
        pick = self.starts[instances] + (u * self.counts[instances]).long().clamp(max=self.counts[instances] - 1)
        return self.views[self.order[pick]]

    def pretext_loss(
        self, x: torch.Tensor, instances: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(NT-Xent loss, the instance of each row's nearest other view in the batch)."""
        n = len(x)
        h = F.normalize(self.projection(self.encoder(torch.cat([x, self.partners(instances)]))), dim=1)
        losses = nt_xent(h[:n], h[n:], self.temperature)
        with torch.no_grad():
            similarity = h[:n] @ h.T
            similarity[torch.arange(n), torch.arange(n)] = float("-inf")
        w = None if weights is None else torch.cat([weights, weights])
        labels = torch.cat([instances, instances])
        return weighted_mean(losses, w), labels[similarity.argmax(1)]

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, None]:
        """(features before the projection head, None): no head predicts A."""
        return self.encoder(x), None
