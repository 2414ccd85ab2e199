"""Where a number was computed: commit, library versions, machine, threads and device.

Float sums depend on the BLAS build and the thread count, so a trained number means little
without them; every run and every report records :func:`provenance`.

>>> sorted(provenance("cpu"))
['commit', 'device', 'essl_testbed', 'machine', 'matplotlib', 'numpy', 'python', 'threads', 'torch']
"""

from __future__ import annotations

import functools
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["provenance"]


@functools.cache
def _commit() -> str:
    """The git commit of the source tree (with ``+dirty`` for uncommitted changes), or "unknown"."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return "unknown"
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def provenance(device: str) -> dict[str, object]:
    """Commit, versions of essl-testbed, torch, numpy, matplotlib and Python, the machine
    (system, architecture, cores), torch's thread count and the device a run used."""
    import torch

    return {
        "commit": _commit(),
        "essl_testbed": _version("essl-testbed"),
        "torch": torch.__version__,
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "threads": torch.get_num_threads(),
        "device": device,
    }
