"""The report's figures (matplotlib, Agg backend, imported when a figure is drawn)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["bar_figure", "plane_figure"]


def bar_figure(path: Path, labels, trained, random_init, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(x - 0.2, [t["mean"] for t in trained], 0.4, yerr=[t["std"] for t in trained], label="after pretext")
    ax.bar(x + 0.2, [r["mean"] for r in random_init], 0.4, yerr=[r["std"] for r in random_init], label="random init")
    ax.set_xticks(x, labels)
    ax.set_ylabel("probe accuracy (held out)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def plane_figure(path: Path, runs: Sequence[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    for r in runs:
        plane = r["information_plane"]
        ax.plot([p["I_A_Z"] for p in plane], [p["I_C_Z"] for p in plane], marker=".", label=f"seed {r['seed']}")
    ax.set_xlabel("I(A;Z) bits")
    ax.set_ylabel("I(C;Z) bits")
    ax.set_title("bottleneck code, natural world, rot4", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
