"""The report's figures (matplotlib, Agg backend, imported when a figure is drawn)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

__all__ = ["plane_figure", "seeds_figure"]


def seeds_figure(
    path: Path,
    conditions: Mapping[str, Mapping[int, float]],
    ylabel: str,
    title: str,
    baseline: Mapping[int, float] | None = None,
) -> str:
    """Every seed as one line across the conditions (paired values, not bars of means), the
    per-condition mean as a black bar, and an optional per-seed baseline as a dotted line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(conditions)
    seeds = sorted(set.intersection(*(set(v) for v in conditions.values())))
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(max(4.0, 1.0 + 0.9 * len(labels)), 3.4))
    colours = plt.get_cmap("tab10")
    for i, seed in enumerate(seeds):
        ax.plot(x, [conditions[k][seed] for k in labels], marker="o", ms=3, lw=0.9, alpha=0.7, color=colours(i % 10))
    means = [float(np.mean([conditions[k][s] for s in seeds])) for k in labels]
    ax.hlines(means, x - 0.25, x + 0.25, colors="black", lw=2.2, label="mean over seeds")
    if baseline is not None:
        level = float(np.mean(list(baseline.values())))
        ax.axhline(level, ls=":", color="grey", label=f"random init (mean {level:.3f})")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(f"{title} ({len(seeds)} seeds)", fontsize=9)
    ax.legend(fontsize=7)
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
    ax.set_title("bottleneck code, natural world, rot4: one line per seed", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
