"""Forecast, then train: the theory's predictions scored on worlds that nobody tuned.

From exact quantities alone, before any network trains, every (world, task) of a sample gets
its candidate forecasts of how much the task teaches class features (:data:`CANDIDATES`);
:data:`PRIMARY` is declared here, in code. :func:`write_forecast` stores the table with its
sha256 before training. Then every (world, task) trains through the sweep machinery (the
:class:`~essl_testbed.experiments.budget.Runner`: cached, resumable, local pool or Ray), and
the measured gain is the *normalised* probe gain, (probe − random init) / (supervised −
random init), so worlds with different numbers of classes pool. :func:`score` gives, per
candidate, Spearman's ρ between forecast and measured gain over all points with a bootstrap
95% interval over worlds, the top-1 agreement (the forecast's best task is the measured best,
ties shared out) and the mean within-world ρ (worlds whose forecast is the same for every
task cannot rank tasks and are counted apart).

Why I(C;T) is the primary forecast: it is the class information that every code optimal for
A in log-loss must carry (T = p(A|X) is a function of such a code), so it says how much the
task *forces* class features. I(A;C|X) is neither necessary nor sufficient for that;
class-relevant bits depend on the chosen class-erased view; H(A|X) and I(A;X) measure how hard
or informative the task is, not whether it needs the class; the class-blind gaps are
consequences of I(C;T) > 0 measured in log-loss and accuracy. H(A) (the number of actions)
is the trivial baseline.

>>> sorted(CANDIDATES)[:3], PRIMARY, BASELINE
(['H_A', 'H_A_given_X', 'I_A_C_given_X'], 'I_C_T', 'H_A')
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ExperimentError
from .budget import Budget, Runner
from .cache import atomic_write_json, atomic_write_text
from .limits import CONVERGED_BITS

__all__ = [
    "BASELINE",
    "CANDIDATES",
    "FORECAST_BUDGET",
    "PRIMARY",
    "TASKS",
    "ForecastSample",
    "forecast_table",
    "measure",
    "run_forecast",
    "score",
    "write_forecast",
]

CANDIDATES: dict[str, tuple[str, Callable[[Mapping[str, Any]], float]]] = {
    "I_C_T": ("I(C;T), T = p(A|X)", lambda a: float(a["I_C_T"])),
    "I_A_C_given_X": ("I(A;C|X)", lambda a: float(a["I_A_C_given_X"])),
    "class_relevant_bits": ("class-relevant bits (box)", lambda a: float(a["class_relevant_bits"])),
    "class_blind_loss_gap": (
        "H(A|Z) class-blind − H(A|X)",
        lambda a: float(a["H_A_given_Z_class_blind"]) - float(a["H_A_given_X"]),
    ),
    "class_blind_accuracy_gap": (
        "Bayes acc. − class-blind acc.",
        lambda a: float(a["bayes_acc_A_given_X"]) - float(a["bayes_acc_A_class_blind"]),
    ),
    "H_A_given_X": ("H(A|X)", lambda a: float(a["H_A_given_X"])),
    "I_A_X": ("I(A;X)", lambda a: float(a["I_A_X"])),
    "H_A": ("H(A) (baseline)", lambda a: float(a["H_A"])),
}
"""Candidate forecasts: key -> (label, value from an :func:`~synthetic.worlds.analysis.analyze` dict)."""

PRIMARY = "I_C_T"
"""The forecast declared before any training (see the module docs for why)."""

BASELINE = "H_A"
"""The trivial forecast the primary must beat: the entropy of the augmentation."""

TASKS: tuple[str, ...] = ("rot4", "vflip", "hflip", "rot2", "d4", "invert", "blur4")
"""The pretext tasks forecast on every world (grayscale and jigsaw are left out: one-channel
worlds and odd canvases cannot carry them)."""

FORECAST_BUDGET = Budget(steps=600, seeds=(0, 1, 2))
"""Training per (world, task): 600 steps, 3 seeds (about 35 minutes for the default sample on
two cores)."""


@dataclass(frozen=True)
class ForecastSample:
    """Which worlds: ``n_random`` drawn from ``seed``, the fonts world, and ``presets``."""

    n_random: int = 30
    seed: int = 0
    fonts: bool = True
    presets: tuple[str, ...] = ("natural", "occluded", "shortcut")
    tasks: tuple[str, ...] = TASKS

    def worlds(self) -> list[tuple[str, str, dict]]:
        """(label, preset, overrides) of every world of the sample."""
        from synthetic.worlds.random_worlds import random_worlds

        out = [(spec.name, "random", {"seed": spec.seed}) for spec in random_worlds(self.n_random, self.seed)]
        if self.fonts:
            out.append(("fonts", "fonts", {}))
        out += [(name, name, {}) for name in self.presets]
        return out

    def describe(self) -> str:
        return (
            f"{self.n_random} random worlds (seed {self.seed}){', fonts' if self.fonts else ''}"
            f"{', ' + ', '.join(self.presets) if self.presets else ''}; tasks {', '.join(self.tasks)}"
        )


def forecast_table(sample: ForecastSample, log: Callable[[str], None] = print) -> list[dict]:
    """One row per (world, task) the world can carry: the world's size and every candidate."""
    from synthetic.worlds import presets

    rows = []
    for label, preset, overrides in sample.worlds():
        world = presets.get(preset, **overrides)
        for task in sample.tasks:
            try:
                world.images(task)
            except Exception:  # a transformation this world cannot carry
                continue
            analysis = world.analyze(task)
            rows.append(
                {
                    "world": label,
                    "preset": preset,
                    "overrides": overrides,
                    "task": task,
                    "n_classes": world.n_classes,
                    "n_latent_cells": int(analysis["n_latent_cells"]),
                    **{key: value(analysis) for key, (_, value) in CANDIDATES.items()},
                }
            )
        log(f"  forecast {label}: {sum(r['world'] == label for r in rows)} tasks")
    return rows


def _digest(rows: Sequence[dict]) -> str:
    return hashlib.sha256(json.dumps(list(rows), sort_keys=True, default=float).encode()).hexdigest()


def write_forecast(rows: Sequence[dict], out: Path, sample: ForecastSample) -> str:
    """``forecast.json`` (the table, the declared primary and its sha256) and ``forecast.sha256``,
    written before training; returns the digest. A folder that holds another forecast is refused."""
    digest = _digest(rows)
    path = Path(out) / "forecast.json"
    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("sha256") != digest:
            raise ExperimentError(f"{path} holds another forecast (sha256 {saved.get('sha256')}); choose another --out")
        return digest
    Path(out).mkdir(parents=True, exist_ok=True)
    atomic_write_json(
        path,
        {"sample": sample.describe(), "primary": PRIMARY, "baseline": BASELINE, "sha256": digest, "rows": list(rows)},
    )
    atomic_write_text(Path(out) / "forecast.sha256", f"{digest}  forecast rows (sha256 of their sorted JSON)\n")
    return digest


def measure(rows: Sequence[dict], runner: Runner) -> dict[tuple[str, str], dict]:
    """(world, task) -> per-seed normalised gains, their mean and std, the dead runs, the mean
    gain over the task's null control (the same images with labels independent of X, on the
    same normalised scale: (probe - probe of the null) / (supervised - random init)) and the
    task's mean optimality gap on its training styles (bits)."""
    out = {}
    requests: dict[tuple[int, str], dict] = {}
    for i, row in enumerate(rows):
        request = {"world": row["preset"], "transform": row["task"], "overrides": dict(row["overrides"])}
        requests[(i, "A")] = request
        requests[(i, "null")] = {**request, "target": "null"}
    results = runner.many(requests)  # every run of the sample to the workers at once
    for i, row in enumerate(rows):
        result, null = results[(i, "A")], results[(i, "null")]
        gains = {int(r["seed"]): float(r["normalised_gain"]) for r in result["runs"]}
        values = np.array(list(gains.values()))
        null_probe = {int(r["seed"]): float(r["probe_acc"]) for r in null["runs"]}
        over_null = [
            (r["probe_acc"] - null_probe[int(r["seed"])]) / span
            if (span := r["probe_acc_supervised"] - r["probe_acc_random_init"])
            else 0.0
            for r in result["runs"]
        ]
        out[(row["world"], row["task"])] = {
            "per_seed": gains,
            "mean": float(values.mean()),
            "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
            "dead": sum(bool(r.get("dead")) for r in result["runs"]),
            "over_null": float(np.mean(over_null)),
            "gap_bits": float(np.mean([r["pretext_gap_train_bits"] for r in result["runs"]])),
        }
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ (average ranks for ties): Pearson's correlation of the ranks."""
    from scipy.stats import rankdata

    if len(x) < 3 or np.ptp(y) == 0:
        return float("nan")
    if np.ptp(x) == 0:  # a forecast that is the same everywhere ranks nothing
        return 0.0
    rx, ry = rankdata(x) - (len(x) + 1) / 2, rankdata(y) - (len(y) + 1) / 2
    return float(np.dot(rx, ry) / np.sqrt(np.dot(rx, rx) * np.dot(ry, ry)))


@dataclass
class CandidateScore:
    """How one candidate forecast did."""

    rho: float
    interval: tuple[float, float]
    advantage: tuple[float, float, float] | None  # primary only: ρ − ρ(baseline), its 95% interval
    top1: float
    within_world: float
    constant_worlds: int
    distribution: dict = field(default_factory=dict)


def score(
    rows: Sequence[dict],
    measured: Mapping[tuple[str, str], dict],
    n_boot: int = 2000,
    seed: int = 0,
    gain_key: str = "mean",
) -> dict[str, CandidateScore]:
    """Every candidate's ρ (bootstrap over worlds), top-1 and within-world agreement, against
    the measured ``gain_key``: "mean" (the normalised gain over random init) or "over_null"
    (over the task's null control)."""
    worlds = sorted({r["world"] for r in rows})
    by_world = {w: [r for r in rows if r["world"] == w] for w in worlds}
    gain = {w: np.array([measured[(w, r["task"])][gain_key] for r in by_world[w]]) for w in worlds}
    rng = np.random.default_rng(seed)
    draws = rng.integers(len(worlds), size=(n_boot, len(worlds)))

    def rho_of(key: str, picks: Sequence[int]) -> float:
        x = np.concatenate([[r[key] for r in by_world[worlds[i]]] for i in picks])
        y = np.concatenate([gain[worlds[i]] for i in picks])
        return _spearman(x, y)

    out = {}
    boot = {key: np.array([rho_of(key, d) for d in draws]) for key in CANDIDATES}
    for key in CANDIDATES:
        values = np.array([r[key] for r in rows])
        top1, within, constant = [], [], 0
        for w in worlds:
            f = np.array([r[key] for r in by_world[w]])
            best = np.flatnonzero(f >= f.max() - 1e-9)
            top1.append(1.0 / len(best) if int(np.argmax(gain[w])) in best else 0.0)
            if np.ptp(f) < 1e-9:
                constant += 1
            else:
                within.append(_spearman(f, gain[w]))
        finite = boot[key][np.isfinite(boot[key])]
        interval = (
            (float(np.percentile(finite, 2.5)), float(np.percentile(finite, 97.5))) if len(finite) else (np.nan,) * 2
        )
        advantage = None
        if key == PRIMARY:
            diff = boot[key] - boot[BASELINE]
            diff = diff[np.isfinite(diff)]
            advantage = (
                rho_of(key, range(len(worlds))) - rho_of(BASELINE, range(len(worlds))),
                float(np.percentile(diff, 2.5)),
                float(np.percentile(diff, 97.5)),
            )
        out[key] = CandidateScore(
            rho=rho_of(key, range(len(worlds))),
            interval=interval,  # type: ignore[arg-type]
            advantage=advantage,
            top1=float(np.mean(top1)),
            within_world=float(np.mean(ranked)) if (ranked := [v for v in within if np.isfinite(v)]) else float("nan"),
            constant_worlds=constant,
            distribution={
                "min": float(values.min()),
                "median": float(np.median(values)),
                "max": float(values.max()),
                "zero_share": float(np.mean(np.abs(values) < 1e-9)),
            },
        )
    return out


def verdict(scores: Mapping[str, CandidateScore]) -> str:
    """Declared before training: *supported* when the primary's ρ interval lies above 0 and its
    advantage over the baseline has an interval above 0; *contradicted* when either interval
    lies below 0; *inconclusive* otherwise."""
    primary = scores[PRIMARY]
    assert primary.advantage is not None
    lows = (primary.interval[0], primary.advantage[1])
    highs = (primary.interval[1], primary.advantage[2])
    if all(low > 0 for low in lows):
        return "supported"
    if any(high < 0 for high in highs):
        return "contradicted"
    return "inconclusive"


def score_table(scores: Mapping[str, CandidateScore]) -> list[tuple]:
    """Rows of the ρ table: candidate, ρ [95% CI], top-1, within-world ρ, constant worlds, distribution."""
    rows = []
    for key, s in scores.items():
        label = CANDIDATES[key][0] + (" (primary)" if key == PRIMARY else "")
        d = s.distribution
        rows.append(
            (
                label,
                f"{s.rho:+.3f} [{s.interval[0]:+.3f}, {s.interval[1]:+.3f}]",
                f"{s.top1:.3f}",
                "n/a" if np.isnan(s.within_world) else f"{s.within_world:+.3f}",
                s.constant_worlds,
                " / ".join(f"{0.0 if abs(d[k]) < 5e-10 else d[k]:.3f}" for k in ("min", "median", "max"))
                + f" ({d['zero_share']:.0%} zero)",
            )
        )
    return rows


SCORE_HEADER = (
    "forecast",
    "Spearman ρ [95% CI over worlds]",
    "top-1 agreement",
    "within-world ρ (mean)",
    "worlds where it ranks no task",
    "min / median / max (share zero)",
)


def forecast_figure(path: Path, rows: Sequence[dict], measured: Mapping[tuple[str, str], dict], key: str) -> str:
    """Forecast against measured normalised gain: one point per (world, task), seeds' std as bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    tasks = sorted({r["task"] for r in rows})
    colours = plt.get_cmap("tab10")
    for i, task in enumerate(tasks):
        pts = [r for r in rows if r["task"] == task]
        ax.errorbar(
            [r[key] for r in pts],
            [measured[(r["world"], task)]["mean"] for r in pts],
            yerr=[measured[(r["world"], task)]["std"] for r in pts],
            fmt="o",
            ms=3,
            lw=0.7,
            alpha=0.8,
            color=colours(i % 10),
            label=task,
        )
    ax.axhline(0, color="grey", lw=0.6, ls=":")
    # a world whose supervised ceiling barely beats its random init has huge normalised gains:
    # the axis shows the central 95% of the points and says how many lie beyond it
    means = np.array([measured[(r["world"], r["task"])]["mean"] for r in rows])
    low, high = np.percentile(means, [2.5, 97.5])
    pad = 0.1 * (high - low) + 1e-9
    ax.set_ylim(low - pad, high + pad)
    outside = int(np.sum((means < low - pad) | (means > high + pad)))
    ax.set_xlabel(f"forecast: {CANDIDATES[key][0]} (bits)", fontsize=8)
    ax.set_ylabel("measured normalised probe gain", fontsize=8)
    ax.set_title(
        f"forecast vs measured ({len({r['world'] for r in rows})} worlds; {outside} points beyond the axis)", fontsize=9
    )
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def run_forecast(
    out: Path,
    sample: ForecastSample,
    runner: Runner,
    log: Callable[[str], None] = print,
    n_boot: int = 2000,
) -> dict:
    """The whole forecast: the table written first, then training, then the scores
    (``forecast_results.json``, ``forecast.md``, ``forecast.png`` in ``out``)."""
    from .tables import markdown_table

    out = Path(out)
    t0 = time.perf_counter()
    rows = forecast_table(sample, log)
    digest = write_forecast(rows, out, sample)
    log(f"forecast of {len(rows)} (world, task) points written: {out / 'forecast.json'} (sha256 {digest[:16]})")
    measured = measure(rows, runner)
    scores = score(rows, measured, n_boot=n_boot)
    certified = [r for r in rows if measured[(r["world"], r["task"])]["gap_bits"] <= CONVERGED_BITS]
    others = {
        "over_null": score(rows, measured, n_boot=n_boot, gain_key="over_null"),
        "certified": score(certified, measured, n_boot=n_boot) if len(certified) >= 3 else None,
    }
    figure = forecast_figure(out / "forecast.png", rows, measured, PRIMARY)
    minutes = (time.perf_counter() - t0) / 60
    outcome = verdict(scores)
    dead = sum(m["dead"] for m in measured.values())
    n_runs = sum(len(m["per_seed"]) for m in measured.values())
    text = (
        f"# Forecast, then train\n\nSample: {sample.describe()}; {len(rows)} (world, task) points; "
        f"{runner.budget.describe()} x {len(runner.budget.seeds)} seeds; {minutes:.1f} minutes of wall time (runs "
        f"already in the cache are read, not retrained). Forecast table "
        f"sha256 {digest} (written before training). Primary forecast: {CANDIDATES[PRIMARY][0]}; verdict: "
        f"**{outcome}** (declared rule: the primary's ρ interval and its advantage over {CANDIDATES[BASELINE][0]} "
        f"both above 0). Advantage over the baseline: {scores[PRIMARY].advantage[0]:+.3f} "  # type: ignore[index]
        f"[{scores[PRIMARY].advantage[1]:+.3f}, {scores[PRIMARY].advantage[2]:+.3f}]. Dead runs: {dead}/{n_runs}.\n\n"  # type: ignore[index]
        + markdown_table(SCORE_HEADER, score_table(scores))
        + f"\n\n![forecast vs measured]({figure})\n\n"
        + other_scorings(others, len(certified), len(rows))
    )
    atomic_write_text(out / "forecast.md", text)
    result = {
        "sample": sample.describe(),
        "sha256": digest,
        "minutes": minutes,
        "verdict": outcome,
        "dead_runs": [dead, n_runs],
        "scores": {k: vars(s) for k, s in scores.items()},
        "scores_over_null": {k: vars(s) for k, s in others["over_null"].items()},  # type: ignore[union-attr]
        "scores_certified": (
            {k: vars(s) for k, s in others["certified"].items()} if others["certified"] is not None else None
        ),
        "certified_points": [len(certified), len(rows)],
        "measured": [{"world": w, "task": t, **m} for (w, t), m in measured.items()],
    }
    atomic_write_json(out / "forecast_results.json", result)
    return {
        **result,
        "text": text,
        "rows": rows,
        "scores_obj": scores,
        "other_scorings": others,
        "measured_obj": measured,
        "figure": figure,
    }


def other_scorings(others: Mapping[str, Mapping[str, CandidateScore] | None], n_certified: int, n_rows: int) -> str:
    """The two scorings beside the declared one (reported, not voted): against the gain over
    each task's null control, and on the points whose runs converged (mean gap within
    :data:`~essl_testbed.experiments.limits.CONVERGED_BITS` of the optimum of their training styles)."""
    from .tables import markdown_table

    parts = [
        "Scored against the gain over each task's null control (the same images, labels independent of X), "
        "so that what training without a signal does to an encoder cancels:\n\n"
        + markdown_table(SCORE_HEADER, score_table(others["over_null"]))  # type: ignore[arg-type]
    ]
    certified = others["certified"]
    head = (
        f"Scored on the {n_certified} of {n_rows} points whose runs converged (mean gap at most {CONVERGED_BITS} bits)"
    )
    parts.append(
        head + ":\n\n" + markdown_table(SCORE_HEADER, score_table(certified))
        if certified is not None
        else head + ": too few to score."
    )
    return "\n\n".join(parts) + "\n"
