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


def plane_figure(path: Path, runs: Mapping[str, Sequence[dict]], exact: Mapping[str, Mapping[str, float]]) -> None:
    """One panel per world: each seed's (I(A;Z), I(C;Z)) trajectory, and the exact points: a
    constant code (0, 0), the best class-blind code found (I(C;Z) = 0), the certified bound
    no class-blind code passes (dashed) and Z = T (I(A;X), I(C;T))."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(runs)
    cols = min(3, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols, 2.9 * rows), squeeze=False)
    for ax, (label, world_runs) in zip(axes.ravel(), runs.items()):
        e = exact[label]
        for r in world_runs:
            plane = r["information_plane"]
            ax.plot([p["I_A_Z"] for p in plane], [p["I_C_Z"] for p in plane], lw=0.8, alpha=0.7, marker=".", ms=2)
        ax.scatter([e["I_A_Z_class_blind"]], [0.0], marker="s", color="black", zorder=3, label="class-blind, found")
        ax.scatter([e["I_A_X"]], [e["I_C_T"]], marker="*", s=80, color="red", zorder=3, label="Z = T")
        ax.axvline(e["I_A_Z_class_blind"], ls=":", color="grey", lw=0.8)
        certified = e.get("I_A_Z_class_blind_certified", e["I_A_Z_class_blind"])
        ax.axvline(certified, ls="--", color="black", lw=0.8, label="class-blind, certified bound")
        ax.set_title(f"{label} (I(C;T) = {e['I_C_T']:.2f})", fontsize=8)
        ax.set_xlabel("I(A;Z) bits", fontsize=7)
        ax.set_ylabel("I(C;Z) bits", fontsize=7)
        ax.tick_params(labelsize=7)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    axes.ravel()[0].legend(fontsize=6)
    fig.suptitle("bottleneck codes under rot4: one line per seed", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
