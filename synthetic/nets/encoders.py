"""Small image encoders: the ``Encoder`` base, a plain CNN and an MLP.

Inputs are float tensors ``(N, channels, H, W)`` with ``H == W`` (8, 12, 16, 24 here) and
values in [0, 1]; an encoder returns features ``(N, feature_dim)``.

Normalisation is GroupNorm, not BatchNorm: its statistics are per sample, so results do not
depend on batch size or composition (batches of 1 work, an enumerated world grid can be fed
in any chunking), train and eval modes compute the same function, and nothing is updated by
a forward pass. The CNN keeps a 2x2 spatial map before its readout: orientation is what a
rotation-prediction head needs, and global average pooling would average it away.

>>> import torch
>>> from synthetic.nets.runtime import seeded
>>> with seeded(0):
...     enc = CNNEncoder(in_channels=1, width=8, feature_dim=32)
>>> enc(torch.rand(5, 1, 8, 8)).shape, enc.feature_dim
(torch.Size([5, 32]), 32)
"""

from __future__ import annotations

import math
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import InputShapeError, NetworkConfigError

__all__ = [
    "CNNEncoder",
    "Encoder",
    "InputShapeError",
    "MLPEncoder",
    "NetworkConfigError",
    "check_images",
    "count_parameters",
    "halve_spatial",
]


def positive_int(value: object, name: str) -> int:
    """Return ``value`` if it is a positive int, else raise :class:`NetworkConfigError`."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise NetworkConfigError(f"{name} must be a positive int, got {value!r}")
    return value


def count_parameters(module: nn.Module) -> int:
    """Number of trainable scalars in ``module``."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def check_images(x: object, in_channels: int, who: str, size: int | None = None) -> None:
    """Raise :class:`InputShapeError` unless ``x`` is a float ``(N, in_channels, H, H)`` tensor."""
    if not isinstance(x, torch.Tensor):
        raise InputShapeError(f"{who} expects a torch.Tensor, got {type(x).__name__}")
    if x.dim() != 4:
        raise InputShapeError(f"{who} expects images (N, C, H, W), got a tensor of shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise InputShapeError(f"{who} expects a floating-point tensor, got dtype {x.dtype}")
    if x.shape[1] != in_channels:
        raise InputShapeError(f"{who} expects {in_channels} channel(s), got {x.shape[1]} (shape {tuple(x.shape)})")
    if x.shape[2] != x.shape[3]:
        raise InputShapeError(f"{who} expects square images, got H={x.shape[2]}, W={x.shape[3]}")
    if size is not None and x.shape[2] != size:
        raise InputShapeError(f"{who} was built for {size}x{size} images, got {x.shape[2]}x{x.shape[3]}")


class _HalveEven(torch.autograd.Function):
    """2x2 average pooling of an even-sized map, each bin summed in adaptive pooling's order
    and divided: the same bits forward and backward (tests/test_networks.py). The backward
    spreads a quarter of each output gradient over its bin with one nearest-neighbour
    upsampling, where the autograd of four strided slices builds four zero-filled maps and
    adds them."""

    generate_vmap_rule = True  # the ensemble maps models over seeds with torch.func.vmap

    @staticmethod
    def forward(x: torch.Tensor) -> torch.Tensor:
        return (((x[..., ::2, ::2] + x[..., ::2, 1::2]) + x[..., 1::2, ::2]) + x[..., 1::2, 1::2]) / 4

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[torch.Tensor], output: torch.Tensor) -> None:
        pass  # the backward needs nothing saved

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        *lead, h, w = grad.shape
        quarter = (grad / 4).reshape(-1, lead[-1] if lead else 1, h, w)
        return F.interpolate(quarter, scale_factor=2, mode="nearest").reshape(*lead, 2 * h, 2 * w)


def halve_spatial(x: torch.Tensor) -> torch.Tensor:
    """Average-pool the last two (square) axes to ``ceil(H / 2)``.

    For even H this is 2x2 average pooling with stride 2; for odd H the adaptive bins
    overlap symmetrically. Either way the pooling commutes exactly with 90-degree rotations,
    which strided convolutions on even-sized maps do not.
    """
    lead, (h, w) = x.shape[:-2], x.shape[-2:]
    if h % 2 == 0 and w % 2 == 0 and x.device.type == "cpu":
        # adaptive pooling's CPU kernel is several times slower here, for the same bits; on a
        # GPU its one kernel is faster than the sums' several (benchmarks/bench_training.py)
        return cast(torch.Tensor, _HalveEven.apply(x))
    pooled = F.adaptive_avg_pool2d(x.reshape(-1, 1, h, w), (h + 1) // 2)
    return pooled.reshape(*lead, *pooled.shape[-2:])


def norm_groups(channels: int) -> int:
    """GroupNorm group count: up to 4 groups, always a divisor of ``channels``."""
    return math.gcd(channels, 4)


class Encoder(nn.Module):
    """Base of the encoders: ``forward(x) -> (N, feature_dim)`` features.

    Heads (:class:`synthetic.nets.pretext_model.PretextModel`,
    :class:`synthetic.nets.bottleneck.CategoricalBottleneck`) accept any ``nn.Module`` with a
    positive int ``feature_dim``; subclassing this adds input checks and ``describe()``.
    """

    in_channels: int
    feature_dim: int

    def __init__(self, in_channels: int, feature_dim: int):
        super().__init__()
        self.in_channels = positive_int(in_channels, "in_channels")
        self.feature_dim = positive_int(feature_dim, "feature_dim")

    @property
    def n_parameters(self) -> int:
        return count_parameters(self)

    def hyperparameters(self) -> dict[str, object]:
        """The constructor arguments, for ``describe()``."""
        return {"in_channels": self.in_channels, "feature_dim": self.feature_dim}

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args}) with {self.n_parameters:,} parameters"

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError


class CNNEncoder(Encoder):
    """Three 3x3 conv layers (widths w, 2w, 2w), GroupNorm, ReLU, two halvings, then an
    adaptive pool to ``readout_grid`` x ``readout_grid`` cells (2 keeps orientation; 1 is
    global average pooling), flatten and a linear readout with ReLU to ``feature_dim``.

    >>> CNNEncoder(3, width=16, feature_dim=64).n_parameters
    22672
    >>> CNNEncoder(3, width=16, feature_dim=64, readout_grid=1).n_parameters
    16528
    """

    def __init__(self, in_channels: int, width: int = 16, feature_dim: int = 64, readout_grid: int = 2):
        super().__init__(in_channels, feature_dim)
        self.width = positive_int(width, "width")
        self.readout_grid = positive_int(readout_grid, "readout_grid")
        channels = [in_channels, width, 2 * width, 2 * width]
        self.convs = nn.ModuleList(
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False) for c_in, c_out in zip(channels, channels[1:])
        )
        self.norms = nn.ModuleList(nn.GroupNorm(norm_groups(c), c) for c in channels[1:])
        self.readout = nn.Linear(channels[-1] * readout_grid**2, feature_dim)

    def hyperparameters(self) -> dict[str, object]:
        out: dict[str, object] = {"in_channels": self.in_channels, "width": self.width, "feature_dim": self.feature_dim}
        if self.readout_grid != 2:
            out["readout_grid"] = self.readout_grid
        return out

    def feature_map(self, x: torch.Tensor) -> torch.Tensor:
        """The last conv layer's map ``(N, 2 * width, ceil(H / 4), ceil(H / 4))``."""
        check_images(x, self.in_channels, type(self).__name__)
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(norm(conv(x)))
            if i < len(self.convs) - 1:
                x = halve_spatial(x)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.feature_map(x)
        # where halving gives 2x2 it makes adaptive pooling's bins, through its faster path
        halves_to_grid = self.readout_grid == 2 and (features.shape[-1] + 1) // 2 == 2
        pooled = halve_spatial(features) if halves_to_grid else F.adaptive_avg_pool2d(features, self.readout_grid)
        return F.relu(self.readout(pooled.flatten(1)))


class MLPEncoder(Encoder):
    """Flatten, ``Linear -> ReLU -> Linear -> ReLU``; built for one image ``size``.

    >>> MLPEncoder(1, size=8, hidden=32, feature_dim=16).n_parameters
    2608
    """

    def __init__(self, in_channels: int, size: int, hidden: int = 128, feature_dim: int = 64):
        super().__init__(in_channels, feature_dim)
        self.size = positive_int(size, "size")
        self.hidden = positive_int(hidden, "hidden")
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_channels * size * size, hidden),
            nn.ReLU(),
            nn.Linear(hidden, feature_dim),
            nn.ReLU(),
        )

    def hyperparameters(self) -> dict[str, object]:
        return {
            "in_channels": self.in_channels,
            "size": self.size,
            "hidden": self.hidden,
            "feature_dim": self.feature_dim,
        }

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x, self.in_channels, type(self).__name__, size=self.size)
        return self.layers(x)
