"""Device choice and seeding for the torch code of :mod:`synthetic`.

Same seed, same numbers on CPU: every op the networks here use is deterministic on CPU, so
seeding the global generators (``seed_everything``) or building a model inside
``seeded(seed)`` fixes its weights, its outputs and its training trajectory.

>>> import torch
>>> with seeded(0):
...     a = torch.rand(2)
>>> with seeded(0):
...     b = torch.rand(2)
>>> bool(torch.equal(a, b)), resolve_device("cpu")
(True, device(type='cpu'))
"""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Iterator

import numpy as np
import torch

from ..errors import DeviceError, TrainConfigError

__all__ = ["DeviceError", "resolve_device", "seed_everything", "seeded"]

_CUDA_NAME = re.compile(r"^cuda(:\d+)?$")


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` -> cuda when available, else cpu; ``"cpu"``; ``"cuda"`` / ``"cuda:N"``.

    Asking for cuda on a machine without it raises :class:`DeviceError` instead of quietly
    running on the CPU.
    """
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise DeviceError(f"device must be 'auto', 'cpu' or 'cuda[:N]', got {device!r}")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        return torch.device("cpu")
    if _CUDA_NAME.match(device):
        if not torch.cuda.is_available():
            raise DeviceError(f"device {device!r} requested but torch sees no CUDA device")
        index = int(device.split(":")[1]) if ":" in device else 0
        if index >= torch.cuda.device_count():
            raise DeviceError(f"device {device!r} requested but only {torch.cuda.device_count()} CUDA device(s) exist")
        return torch.device(device)
    raise DeviceError(f"unknown device {device!r}; use 'auto', 'cpu', 'cuda' or 'cuda:N'")


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, numpy's global generator and torch (CPU and CUDA)."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise TrainConfigError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run a block under a seeded CPU torch generator, restoring the previous state after.

    Building a model inside ``seeded(seed)`` gives the same initial weights whatever ran
    before, without disturbing the caller's random stream.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise TrainConfigError(f"seed must be a non-negative int, got {seed!r}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield
