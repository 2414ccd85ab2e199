"""A C4 (90-degree rotation) group-equivariant CNN, written with ``torch.rot90``.

Maps carry an orientation axis: ``(N, C, 4, H, W)``. The group acts on images by
``torch.rot90(x, k, dims=(-2, -1))`` and on maps by rotating spatially *and* rolling the
orientation axis by ``k`` (:func:`rotate_group_map`). Every layer here commutes exactly with
that action (float rounding aside):

* :class:`LiftingConv` correlates the input with the 4 rotated copies of each filter;
* :class:`GroupConv` rotates each filter spatially and cyclically shifts its orientation axis;
* :class:`C4GroupNorm` shares statistics and affine parameters across the 4 orientations;
* ReLU is pointwise; :func:`synthetic.nets.encoders.halve_spatial` and adaptive pooling commute
  with rotations (strided convolutions on even maps would not).

The readout keeps the orientation axis: it adaptive-pools space to ``readout_grid`` x
``readout_grid``, applies a 1x1 group convolution and flattens. The features are therefore
themselves equivariant: rotating the input by ``k`` permutes them by
:meth:`C4Encoder.rotate_features`. That is what keeps the rotation *predictable* from the
features. A rotation-invariant readout (pooling over orientations as well as space) would
map all four rotations of an image to the same features and make four-fold rotation
prediction impossible.

>>> import torch
>>> from synthetic.nets.runtime import seeded
>>> with seeded(0):
...     enc = C4Encoder(1, width=4, feature_dim=16).double()
>>> x = torch.rand(2, 1, 8, 8, dtype=torch.float64)
>>> z, z_rot = enc(x), enc(rotate_images(x, 1))
>>> bool(torch.allclose(z_rot, enc.rotate_features(z, 1), atol=1e-12))
True
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .encoders import (
    Encoder,
    InputShapeError,
    NetworkConfigError,
    check_images,
    halve_spatial,
    norm_groups,
    positive_int,
)

__all__ = [
    "C4Encoder",
    "C4GroupNorm",
    "GroupConv",
    "LiftingConv",
    "ORDER",
    "rotate_group_map",
    "rotate_images",
]

ORDER = 4  # |C4|: the length of the orientation axis


def rotate_images(x: torch.Tensor, k: int) -> torch.Tensor:
    """Rotate the last two axes by ``k`` quarter turns (``torch.rot90`` convention)."""
    return torch.rot90(x, k, dims=(-2, -1))


def rotate_group_map(x: torch.Tensor, k: int) -> torch.Tensor:
    """The C4 action on a map ``(..., 4, H, W)``: rotate space by ``k``, roll orientations by ``k``."""
    if x.dim() < 3 or x.shape[-3] != ORDER:
        raise InputShapeError(
            f"a C4 map needs an orientation axis of length {ORDER} at dim -3, got shape {tuple(x.shape)}"
        )
    return torch.roll(rotate_images(x, k), shifts=k, dims=-3)


def _check_group_map(x: object, channels: int, who: str) -> None:
    if not isinstance(x, torch.Tensor) or x.dim() != 5 or x.shape[2] != ORDER:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise InputShapeError(f"{who} expects a C4 map (N, C, {ORDER}, H, W), got {shape}")
    if x.shape[1] != channels:
        raise InputShapeError(f"{who} expects {channels} channel(s), got {x.shape[1]} (shape {tuple(x.shape)})")
    if x.shape[3] != x.shape[4]:
        raise InputShapeError(f"{who} expects square maps, got H={x.shape[3]}, W={x.shape[4]}")


def _odd_kernel(kernel_size: object) -> int:
    positive_int(kernel_size, "kernel_size")
    if kernel_size % 2 == 0:  # type: ignore[operator]
        raise NetworkConfigError(f"kernel_size must be odd so 'same' padding is symmetric, got {kernel_size}")
    return kernel_size  # type: ignore[return-value]


def _init_conv_weight(weight: torch.Tensor) -> None:
    # nn.Conv2d's default init; fan-in counts the orientation axis of group filters.
    nn.init.kaiming_uniform_(weight, a=math.sqrt(5))


class LiftingConv(nn.Module):
    """``(N, C_in, H, W) -> (N, C_out, 4, H, W)``: orientation r uses the filters rotated by r.

    >>> LiftingConv(3, 8)(torch.rand(2, 3, 12, 12)).shape
    torch.Size([2, 8, 4, 12, 12])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, bias: bool = False):
        super().__init__()
        self.in_channels = positive_int(in_channels, "in_channels")
        self.out_channels = positive_int(out_channels, "out_channels")
        self.kernel_size = _odd_kernel(kernel_size)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        _init_conv_weight(self.weight)

    def filter_bank(self) -> torch.Tensor:
        """The ``(C_out * 4, C_in, k, k)`` bank, output channel ``o * 4 + r`` = filter o rotated by r."""
        bank = torch.stack([rotate_images(self.weight, r) for r in range(ORDER)], dim=1)
        return bank.reshape(self.out_channels * ORDER, self.in_channels, self.kernel_size, self.kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x, self.in_channels, type(self).__name__)
        y = F.conv2d(x, self.filter_bank(), padding=self.kernel_size // 2)
        y = y.reshape(x.shape[0], self.out_channels, ORDER, *y.shape[-2:])
        return y if self.bias is None else y + self.bias.view(-1, 1, 1, 1)


class GroupConv(nn.Module):
    """``(N, C_in, 4, H, W) -> (N, C_out, 4, H, W)``: a convolution on the group C4 x Z^2.

    Output orientation r uses each filter rotated by r with its orientation axis rolled by r.

    >>> GroupConv(8, 16)(torch.rand(2, 8, 4, 6, 6)).shape
    torch.Size([2, 16, 4, 6, 6])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, bias: bool = False):
        super().__init__()
        self.in_channels = positive_int(in_channels, "in_channels")
        self.out_channels = positive_int(out_channels, "out_channels")
        self.kernel_size = _odd_kernel(kernel_size)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, ORDER, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        _init_conv_weight(self.weight)

    def filter_bank(self) -> torch.Tensor:
        """The ``(C_out * 4, C_in * 4, k, k)`` bank acting on maps flattened to ``C * 4`` channels."""
        bank = torch.stack([rotate_group_map(self.weight, r) for r in range(ORDER)], dim=1)
        k = self.kernel_size
        return bank.reshape(self.out_channels * ORDER, self.in_channels * ORDER, k, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_group_map(x, self.in_channels, type(self).__name__)
        n, _, _, h, w = x.shape
        y = F.conv2d(x.reshape(n, self.in_channels * ORDER, h, w), self.filter_bank(), padding=self.kernel_size // 2)
        y = y.reshape(n, self.out_channels, ORDER, *y.shape[-2:])
        return y if self.bias is None else y + self.bias.view(-1, 1, 1, 1)


class C4GroupNorm(nn.Module):
    """GroupNorm whose groups hold whole orientation fibres and whose affine parameters are
    shared across the 4 orientations, so it commutes with :func:`rotate_group_map`."""

    def __init__(self, channels: int, groups: int | None = None, eps: float = 1e-5):
        super().__init__()
        self.channels = positive_int(channels, "channels")
        self.groups = norm_groups(channels) if groups is None else positive_int(groups, "groups")
        if channels % self.groups:
            raise NetworkConfigError(f"groups={self.groups} does not divide channels={channels}")
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_group_map(x, self.channels, type(self).__name__)
        n, c, o, h, w = x.shape
        # Channel layout c * 4 + r: a contiguous group spans whole fibres (all 4 orientations).
        y = F.group_norm(x.reshape(n, c * o, h, w), self.groups, eps=self.eps).reshape(x.shape)
        return y * self.weight.view(-1, 1, 1, 1) + self.bias.view(-1, 1, 1, 1)


class C4Encoder(Encoder):
    """Lifting conv (width w) and two group convs (2w, 2w), each with C4GroupNorm and ReLU,
    two halvings, then the equivariant readout (pool to ``readout_grid``^2, 1x1 group conv
    with ReLU, flatten). ``feature_dim`` must be a multiple of ``4 * readout_grid**2``: the
    features are ``feature_dim / (4 * readout_grid**2)`` channels x 4 orientations x grid cells.

    ``width`` counts channels per orientation, so activations have ``4 * width`` channels.

    >>> C4Encoder(3, width=8, feature_dim=64).n_parameters
    15160
    """

    def __init__(self, in_channels: int, width: int = 8, feature_dim: int = 64, readout_grid: int = 1):
        super().__init__(in_channels, feature_dim)
        self.width = positive_int(width, "width")
        self.readout_grid = positive_int(readout_grid, "readout_grid")
        cell = ORDER * readout_grid**2
        if feature_dim % cell:
            raise NetworkConfigError(
                f"C4Encoder feature_dim must be a multiple of 4 * readout_grid**2 = {cell}, got {feature_dim}"
            )
        self.readout_channels = feature_dim // cell
        self.lift = LiftingConv(in_channels, width)
        self.group_convs = nn.ModuleList([GroupConv(width, 2 * width), GroupConv(2 * width, 2 * width)])
        self.norms = nn.ModuleList([C4GroupNorm(width), C4GroupNorm(2 * width), C4GroupNorm(2 * width)])
        self.readout = GroupConv(2 * width, self.readout_channels, kernel_size=1, bias=True)

    def hyperparameters(self) -> dict[str, object]:
        return {
            "in_channels": self.in_channels,
            "width": self.width,
            "feature_dim": self.feature_dim,
            "readout_grid": self.readout_grid,
        }

    def feature_map(self, x: torch.Tensor) -> torch.Tensor:
        """The last group conv's map ``(N, 2 * width, 4, ceil(H / 4), ceil(H / 4))``, equivariant."""
        y = F.relu(self.norms[0](self.lift(x)))
        for conv, norm in zip(self.group_convs, self.norms[1:]):
            y = F.relu(norm(conv(halve_spatial(y))))
        return y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.feature_map(x)
        n, c, o, h, w = y.shape
        g = self.readout_grid
        pooled = F.adaptive_avg_pool2d(y.reshape(n, c * o, h, w), g).reshape(n, c, o, g, g)
        return F.relu(self.readout(pooled)).flatten(1)

    def rotate_features(self, z: torch.Tensor, k: int) -> torch.Tensor:
        """How rotating the input by ``k`` acts on the features: a fixed permutation.

        Features are laid out ``(channel, orientation, row, col)``; rotation rolls the
        orientation axis and rotates the ``readout_grid`` x ``readout_grid`` cells.
        """
        if z.dim() != 2 or z.shape[1] != self.feature_dim:
            raise InputShapeError(f"expected features (N, {self.feature_dim}), got shape {tuple(z.shape)}")
        g = self.readout_grid
        grid = z.reshape(z.shape[0], self.readout_channels, ORDER, g, g)
        return rotate_group_map(grid, k).reshape(z.shape)
