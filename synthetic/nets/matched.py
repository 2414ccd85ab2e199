"""A plain CNN and a C4 CNN with the same feature size, for a fair comparison.

Comparing a 512-feature CNN with a 4096-feature equivariant one confounds equivariance with
feature size; ``matched_pair`` fixes ``feature_dim`` for both and, unless told otherwise,
picks the C4 width whose parameter count is closest to the CNN's. (A C4 layer with w
channels per orientation has 4 w activation channels and ~4 w^2 9 weights per layer, so
equal parameters means roughly half the CNN's width and about four times its FLOPs.)

>>> pair = matched_pair(3, feature_dim=64, cnn_width=16)
>>> pair.cnn.feature_dim == pair.c4.feature_dim == 64, pair.c4.width
(True, 10)
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .c4 import C4Encoder
from .encoders import CNNEncoder, count_parameters, positive_int

__all__ = ["MatchedPair", "matched_pair"]


@dataclass(frozen=True)
class MatchedPair:
    """A ``CNNEncoder`` and a ``C4Encoder`` with identical ``feature_dim``."""

    cnn: CNNEncoder
    c4: C4Encoder

    @property
    def feature_dim(self) -> int:
        return self.cnn.feature_dim

    @property
    def cnn_parameters(self) -> int:
        return self.cnn.n_parameters

    @property
    def c4_parameters(self) -> int:
        return self.c4.n_parameters

    def describe(self) -> str:
        return f"matched at feature_dim={self.feature_dim}:\n  {self.cnn.describe()}\n  {self.c4.describe()}"


def _c4_parameters(in_channels: int, width: int, feature_dim: int, readout_grid: int) -> int:
    # Built on the meta device: exact count, no memory, and the caller's RNG is untouched.
    with torch.device("meta"):
        return count_parameters(C4Encoder(in_channels, width, feature_dim, readout_grid))


def matched_pair(
    in_channels: int,
    feature_dim: int = 64,
    *,
    cnn_width: int = 16,
    c4_width: int | None = None,
    readout_grid: int = 1,
    cnn_readout_grid: int = 2,
) -> MatchedPair:
    """Build a CNN (``cnn_width``) and a C4 CNN with the same ``feature_dim``.

    ``c4_width=None`` picks the width in ``1..4 * cnn_width`` whose parameter count is
    closest to the CNN's (the smaller width on ties). (The CNN's dense readout grows as
    ``8 * cnn_width * feature_dim``, the C4 readout as ``2 * c4_width * feature_dim``, so at
    large ``feature_dim`` the matched C4 width exceeds the CNN's.) Build inside
    :func:`synthetic.nets.runtime.seeded` for reproducible weights. ``readout_grid`` and
    ``cnn_readout_grid``: the cells per side each readout keeps (the same value for both makes
    equivariance the only difference between the two).
    """
    positive_int(cnn_width, "cnn_width")
    cnn = CNNEncoder(in_channels, width=cnn_width, feature_dim=feature_dim, readout_grid=cnn_readout_grid)
    if c4_width is None:
        target = cnn.n_parameters
        c4_width = min(
            range(1, 4 * cnn_width + 1),
            key=lambda w: abs(_c4_parameters(in_channels, w, feature_dim, readout_grid) - target),
        )
    c4 = C4Encoder(in_channels, width=c4_width, feature_dim=feature_dim, readout_grid=readout_grid)
    return MatchedPair(cnn=cnn, c4=c4)
