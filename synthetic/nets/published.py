"""The published objectives on a contrastive base: E-SSL and CARE.

Both train SimCLR's InfoNCE (NT-Xent at τ, default 0.5, through a Linear-ReLU-Linear projector; the
probe reads the encoder's features before it) between two views of a row's *un-augmented*
scene: the row's own image with its action undone (the training row of the same scene and
base augmentation under action 0) and an independently drawn base-augmentation view of the
same scene under action 0 (the two may coincide, as SimCLR's two draws may). On top:

- **E-SSL** (Dangovski et al., ICLR 2022): ``weight`` · CE(A) of the row itself, predicted
  from the encoder's features by an MLP head (published λ = 0.4). ``weight`` 0 is its
  contrastive base.
- **CARE** (Gupta et al., ICLR 2024): ``weight`` · a Gram-matrix equivariance loss. Within
  each chunk of the batch that shares one action g, the Gram matrix of the projected,
  normalised embeddings of the rows g·x₀ must equal that of their un-augmented views x₀:
  equal Gram matrices mean an orthogonal map between the two, never parameterised
  (published w ≈ 0.01-0.03). A constant code makes this term 0; the InfoNCE term is what
  keeps it from collapsing.

The training loop passes each batch's row indices (``takes_rows``), so the views are looked
up in the bank of training rows the model was built with.

>>> import torch
>>> from synthetic.nets.encoders import MLPEncoder
>>> x = torch.rand(8, 1, 4, 4)
>>> actions, scenes = torch.tensor([0, 1] * 4), torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
>>> model = PublishedObjective(MLPEncoder(1, 4, feature_dim=8), "essl", x, actions, scenes, scenes, 2, seed=0)
>>> loss, predicted = model.pretext_loss(x[:4], actions[:4], torch.zeros(4), rows=torch.arange(4))
>>> loss.shape, predicted.shape
(torch.Size([]), torch.Size([4]))
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import TrainConfigError
from .contrastive import TEMPERATURE, nt_xent
from .pretext_model import InputShapeError, feature_dim_of, weighted_mean

__all__ = ["DEFAULT_WEIGHTS", "PublishedObjective", "gram_equivariance", "nt_xent"]

DEFAULT_WEIGHTS = {"essl": 0.4, "care": 0.01}
"""The published weight of each objective's second term (E-SSL's λ on CIFAR-10; CARE's w)."""


def gram_equivariance(h: torch.Tensor, h0: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    """Per row i: the mean over rows j of its chunk (the rows with i's action) of
    (⟨h_i, h_j⟩ − ⟨h0_i, h0_j⟩)², the Gram matrices of the transformed embeddings ``h`` and
    of their un-augmented views ``h0``. Zero when h = h0 R_g with one orthogonal R_g per action.

    >>> h0 = F.normalize(torch.randn(6, 4), dim=1)
    >>> rotations = torch.linalg.qr(torch.randn(2, 4, 4)).Q
    >>> actions = torch.tensor([0, 0, 0, 1, 1, 1])
    >>> h = torch.einsum("bd,bde->be", h0, rotations[actions])
    >>> float(gram_equivariance(h, h0, actions).max()) < 1e-10
    True
    """
    same = actions[:, None] == actions[None, :]
    difference = (h @ h.T - h0 @ h0.T) ** 2
    return (difference * same).sum(1) / same.sum(1)


class PublishedObjective(nn.Module):
    """``encoder`` trained with InfoNCE between two un-augmented views plus ``weight`` times
    E-SSL's CE(A) (``kind`` "essl") or CARE's Gram equivariance (``kind`` "care").

    The bank: the training rows' images ``x``, their ``actions``, ``scenes`` (the instance:
    everything but the action and the base augmentation) and ``views`` (the scene and its
    base augmentation: the rows one action apart)."""

    takes_rows = True
    # buffers, registered in __init__
    bank: torch.Tensor
    canonical: torch.Tensor
    order: torch.Tensor
    starts: torch.Tensor
    counts: torch.Tensor

    def __init__(
        self,
        encoder: nn.Module,
        kind: str,
        x: torch.Tensor | np.ndarray,
        actions: torch.Tensor | np.ndarray,
        scenes: torch.Tensor | np.ndarray,
        views: torch.Tensor | np.ndarray,
        n_actions: int,
        seed: int,
        weight: float | None = None,
        temperature: float | None = None,
    ):
        super().__init__()
        if kind not in DEFAULT_WEIGHTS:
            raise TrainConfigError(f"unknown published objective {kind!r}; valid: {', '.join(DEFAULT_WEIGHTS)}")
        a, s, v = (np.asarray(t, dtype=np.int64).ravel() for t in (actions, scenes, views))
        if not len(x) == len(a) == len(s) == len(v) or len(x) == 0:
            raise InputShapeError(f"{len(x)} rows for {len(a)} actions, {len(s)} scenes and {len(v)} views")
        identity = np.flatnonzero(a == 0)
        row_of_view = np.full(int(v.max()) + 1, -1)
        row_of_view[v[identity]] = identity
        canonical = row_of_view[v]
        if (canonical < 0).any():
            raise TrainConfigError(
                f"{int((canonical < 0).sum())} training rows have no un-augmented row (action 0, same scene and "
                "base augmentation) to contrast"
            )
        by_scene = identity[np.argsort(s[identity], kind="stable")]
        counts = np.bincount(s[identity], minlength=int(s.max()) + 1)
        self.kind, self.n_actions = kind, int(n_actions)
        self.weight = DEFAULT_WEIGHTS[kind] if weight is None else float(weight)
        self.temperature = TEMPERATURE if temperature is None else float(temperature)
        self.encoder = encoder
        dim = feature_dim_of(encoder)
        self.projection = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.action_head = (
            nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, n_actions)) if kind == "essl" else None
        )
        self.register_buffer("bank", torch.as_tensor(x), persistent=False)
        self.register_buffer("canonical", torch.as_tensor(canonical), persistent=False)
        self.register_buffer("order", torch.as_tensor(by_scene), persistent=False)
        self.register_buffer("starts", torch.as_tensor(np.cumsum(counts) - counts), persistent=False)
        self.register_buffer("counts", torch.as_tensor(counts), persistent=False)
        self.scenes = torch.as_tensor(s)
        self.generator = torch.Generator().manual_seed(int(seed))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def view_rows(self, rows: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(the un-augmented row of each row, an independently drawn un-augmented view of its scene)."""
        scene = self.scenes[rows.cpu()].to(self.counts.device)
        u = torch.rand(len(rows), generator=self.generator).to(self.counts.device)
        pick = self.starts[scene] + (u * self.counts[scene]).long().clamp(max=self.counts[scene] - 1)
        return self.canonical[rows], self.order[pick]

    def pretext_loss(
        self,
        x: torch.Tensor,
        actions: torch.Tensor,
        classes: torch.Tensor,
        weights: torch.Tensor | None = None,
        rows: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(loss, predictions) for a batch of training rows; ``rows`` are their indices in the
        bank. E-SSL predicts each row's action; CARE has no action head, so its prediction is the
        row's action where the nearest other view of its first view is its positive, else -1
        (its accuracy is the contrastive task's)."""
        if rows is None:
            raise InputShapeError("the published objectives need the batch's row indices (rows=...)")
        n = len(x)
        first, second = self.view_rows(rows)
        features = self.encoder(torch.cat([x, self.bank[first], self.bank[second]]))
        h = F.normalize(self.projection(features), dim=1)
        pair_weights = None if weights is None else torch.cat([weights, weights])
        loss = weighted_mean(nt_xent(h[n : 2 * n], h[2 * n :], self.temperature), pair_weights)
        if self.action_head is not None:
            logits = self.action_head(features[:n])
            loss = loss + self.weight * weighted_mean(F.cross_entropy(logits, actions, reduction="none"), weights)
            return loss, logits.argmax(1)
        loss = loss + self.weight * weighted_mean(gram_equivariance(h[:n], h[n : 2 * n], actions), weights)
        with torch.no_grad():
            similarity = h[n : 2 * n] @ h[n:].T
            similarity[torch.arange(n), torch.arange(n)] = float("-inf")
            hit = similarity.argmax(1) == torch.arange(n, 2 * n, device=x.device)
        return loss, torch.where(hit, actions, torch.full_like(actions, -1))

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(the encoder's features, E-SSL's action probabilities; None for CARE)."""
        features = self.encoder(x)
        if self.action_head is None:
            return features, None
        return features, F.softmax(self.action_head(features), dim=1)
