"""Task functions for the executor tests; a module of its own so that spawned worker
processes can import them by name."""

from __future__ import annotations

import os
from pathlib import Path


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def die_once(marker: str) -> str:
    """Kill this worker process the first time it sees ``marker``; succeed on the retry."""
    path = Path(marker)
    if not path.exists():
        path.write_text("died once")
        os._exit(1)
    return path.name


def die_on_zero(x: int) -> int:
    """Kill this worker process whenever the task is 0."""
    if x == 0:
        os._exit(1)
    return x
