"""Explaining away, shown: learned codes in the regime where the theorem binds.

A code Z of X whose I(A;Z) exceeds the largest I(A;Z) of any class-blind code (the *certified
class-blind point*, :func:`theory.class_blind_limit`) must carry class information; a code
that is merely close to I(A;X) need not. This claim trains two learners of a categorical code
on rot4 over worlds graded by I(C;T) and asks, per world, how many seeds reach that regime and
whether every one of them carries the class (I(C;Z) > 0):

- the *ideal* learner (:func:`synthetic.nets.free_code.fit_free_code`), a free table of
  logits per image fit on the exact distribution of the seed's training styles, measured there
  against that distribution's exact point;
- the *real* learner, the CNN bottleneck of :mod:`.class_need_claims` at its tuned setting,
  measured on the whole world (held-out styles included) against the world's exact point.

Across worlds, learned I(C;Z) against exact I(C;T) is the dose-response (Spearman's ρ, a
description); :func:`dose_figure` draws it beside every seed's path through the plane.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np

from ..experiments.tables import markdown_table
from .claims import ClaimContext, Finding, claim
from .class_need_claims import PLANE_WORLDS
from .statistics import Verdict

__all__ = ["DOSE_WORLDS", "IN_REGIME_CLASS_BITS", "dose_figure", "ideal_fits", "regime_verdict"]

DOSE_WORLDS: dict[str, tuple[str, dict]] = {
    **PLANE_WORLDS,
    "fonts": ("fonts", {}),
    **{f"random {k}": ("random", {"seed": k}) for k in (0, 1, 3, 4, 5)},
}
"""The information plane's worlds, the typeface world and a sample of random worlds (their
generator's seeds 0, 1, 3, 4, 5: I(C;T) from 0 to 1.5 bits under rot4)."""

IN_REGIME_CLASS_BITS = 1e-6
"""bits: a code past the certified point "carries the class" when its I(C;Z) exceeds this
(float round-off of an exact zero is far below it)."""

IDEAL_CODES = 16
"""codes of the ideal learner (raised to the world's count of distinct posteriors p(A|x))."""


def _world_points(world: str, overrides: Mapping) -> dict[str, float]:
    return _points_cached(world, tuple(sorted(overrides.items())))


@cache
def _points_cached(world: str, overrides: tuple) -> dict[str, float]:
    """The whole world's exact numbers under rot4 (the CNN's code is measured there)."""
    from synthetic.worlds import presets
    from theory import class_blind_limit, entropy, mutual_information, with_posterior

    J = presets.get(world, **dict(overrides)).joint("rot4").marginal("C", "A", "X")
    limit = class_blind_limit(J)
    h_a = float(entropy(J, "A"))
    return {
        "I_C_T": max(0.0, float(mutual_information(with_posterior(J), "C", "T"))),
        "I_A_X": float(mutual_information(J, "A", "X")),
        "certified_point": h_a - limit.lower,
        "found_point": h_a - limit.upper,
    }


def ideal_fits(ctx: ClaimContext, world: str, overrides: Mapping) -> list[dict]:
    """The ideal learner on each budget seed's training styles, with that distribution's
    exact numbers; cached beside the runs (a fit of occluded's 4,000 images takes seconds)."""
    from synthetic.nets.free_code import fit_free_code
    from theory import mutual_information, posterior_ids

    from ..experiments.cache import RunCache
    from ..experiments.limits import training_style_joint, training_style_limits
    from ..experiments.spec import CACHE_VERSION, Experiment

    experiment = Experiment(world, "rot4", world_overrides=dict(overrides))
    steps = ctx.run.budget.steps
    key = f"ideal-code-v{CACHE_VERSION}-{experiment.key()}-steps{steps}"
    store, fits = RunCache(ctx.run.cache), []
    for seed in ctx.run.budget.seeds:
        fit = store.load(key, seed)
        if fit is None:
            J = training_style_joint(experiment, seed)
            limits = training_style_limits(experiment, seed)
            n_codes = max(IDEAL_CODES, posterior_ids(J, "A", "X")[1])
            code = fit_free_code(np.asarray(J.probabilities, dtype=np.float64), n_codes, steps=steps, seed=seed)
            fit = {
                "seed": seed,
                "I_C_T": limits["I_C_T"],
                "I_A_X": float(mutual_information(J, "A", "X")),
                "certified_point": limits["H_A"] - limits["H_A_given_Z_class_blind_lower"],
                "found_point": limits["H_A"] - limits["H_A_given_Z_class_blind"],
                "I_A_Z": code.i_a_z,
                "I_C_Z": code.i_c_z,
                "H_Z_given_X": code.h_z_given_x,
                "polish_gain_bits": code.polish_gain_bits,
                "path": [[a, c] for _, a, c in code.path],
            }
            store.store(key, seed, fit)
        fits.append(fit)
    return fits


def regime_verdict(i_c_z_in_regime: list[float]) -> Verdict:
    """The restated claim on one world and learner: every seed past the certified class-blind
    point carries the class. Fewer than 2 such seeds: inconclusive (no seed there is a finding
    about the learner, not a verdict on the theory)."""
    if any(v <= IN_REGIME_CLASS_BITS for v in i_c_z_in_regime):
        return Verdict.CONTRADICTED
    return Verdict.SUPPORTED if len(i_c_z_in_regime) >= 2 else Verdict.INCONCLUSIVE


def _rows(label: str, learner: str, seeds: list[dict]) -> list[dict]:
    return [
        {
            "world": label,
            "learner": learner,
            "seed": s["seed"],
            "I_C_T": s["I_C_T"],
            "I_A_X": s["I_A_X"],
            "certified_point": s["certified_point"],
            "found_point": s["found_point"],
            "I_A_Z": s["I_A_Z"],
            "I_C_Z": s["I_C_Z"],
            "H_Z_given_X": s["H_Z_given_X"],
            "past_certified_point": s["I_A_Z"] - s["certified_point"],
            "in_regime": s["I_A_Z"] > s["certified_point"] + 1e-9,
            "path": s["path"],
        }
        for s in seeds
    ]


def _cnn_seeds(result: dict, points: dict[str, float]) -> list[dict]:
    return [
        {
            **points,
            "seed": int(r["seed"]),
            "I_A_Z": r["I_A_Z"],
            "I_C_Z": r["I_C_Z"],
            "H_Z_given_X": r["H_Z_given_X"],
            "path": [[p["I_A_Z"], p["I_C_Z"]] for p in r["information_plane"]],
        }
        for r in result["runs"]
    ]


def write_csv(path: Path, rows: list[dict]) -> str:
    """One row per (world, learner, seed), the path left out; written atomically."""
    import io

    from ..experiments.cache import atomic_write_text

    fields = [k for k in rows[0] if k != "path"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: (f"{v:.6f}" if isinstance(v, float) else v) for k, v in r.items()} for r in rows)
    atomic_write_text(path, buffer.getvalue())
    return path.name


def dose_figure(path: Path, rows: list[dict]) -> str:
    """Left: learned I(C;Z) against exact I(C;T), one dot per seed (open: the ideal learner,
    cross: the CNN), the identity line. Right: every seed's path through the plane, its
    I(A;Z) measured from the certified class-blind point: right of 0 a code must carry C."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    style = {
        "ideal": ("o", {"facecolors": "none", "edgecolors": "tab:blue"}, "tab:blue"),
        "CNN": ("x", {"color": "tab:orange"}, "tab:orange"),
    }
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.0))
    top = max(max(r["I_C_T"] for r in rows), max(r["I_C_Z"] for r in rows)) * 1.05 + 0.02
    left.plot(
        [0, top], [0, top], ls="--", color="grey", lw=0.8, label="I(C;Z) = I(C;T): the least an optimal code carries"
    )
    for learner, (marker, colours, colour) in style.items():
        mine = [r for r in rows if r["learner"] == learner]
        left.scatter(
            [r["I_C_T"] for r in mine],
            [r["I_C_Z"] for r in mine],
            marker=marker,
            s=22,
            lw=0.9,
            alpha=0.75,
            label=f"{learner} learner, one seed",
            **colours,
        )
        for r in mine:
            trail = np.asarray(r["path"])
            right.plot(trail[:, 0] - r["certified_point"], trail[:, 1], color=colour, lw=0.6, alpha=0.45)
        ends = np.array([[r["past_certified_point"], r["I_C_Z"]] for r in mine])
        right.scatter(ends[:, 0], ends[:, 1], marker=marker, s=14, **colours)
    left.set_xlabel("exact I(C;T) where the code is measured (bits)", fontsize=8)
    left.set_ylabel("learned I(C;Z) (bits)", fontsize=8)
    left.set_title("the dose: class information a code must carry at the optimum", fontsize=9)
    left.legend(fontsize=7)
    right.axvline(0.0, ls="--", color="black", lw=0.9)
    right.text(0.01, 0.98, "must carry C →", transform=right.get_xaxis_transform(), fontsize=7, va="top")
    right.set_xlabel("I(A;Z) minus the certified class-blind point (bits)", fontsize=8)
    right.set_ylabel("I(C;Z) (bits)", fontsize=8)
    right.set_title("paths through the plane, every world and seed", fontsize=9)
    for ax in (left, right):
        ax.tick_params(labelsize=7)
    fig.suptitle("Predicting the rotation with a categorical code (rot4): explaining away, exact", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _regime(numbers: dict) -> str:
    return f"{numbers['seeds_in_regime']}/{numbers['seeds_with_dose']}"


def _median(rows: list[dict], key: str) -> float:
    return float(np.median([r[key] for r in rows]))


@claim(
    "dose_response",
    "Explaining away, shown: codes past the class-blind point carry the class",
    "Predicting A forces class information into the features (explaining away), the more so the more the "
    "class explains A.",
)
def claim_explaining_away(ctx: ClaimContext) -> Finding:
    from scipy.stats import spearmanr

    bottleneck = {"transform": "rot4", "model": "bottleneck", "n_codes": 16, "ceiling": False}
    cnn = ctx.run.many(
        {label: {"world": w, "overrides": dict(o), **bottleneck} for label, (w, o) in DOSE_WORLDS.items()}
    )
    rows: list[dict] = []
    table, verdicts, numbers = [], {}, {}
    for label, (world, overrides) in DOSE_WORLDS.items():
        fits = ideal_fits(ctx, world, overrides)
        ideal = _rows(label, "ideal", fits)
        real = _rows(label, "CNN", _cnn_seeds(cnn[label], _world_points(world, overrides)))
        rows += ideal + real
        world_verdicts = {}
        for name, mine in (("ideal", ideal), ("CNN", real)):
            in_regime = [r["I_C_Z"] for r in mine if r["in_regime"]]
            dosed = any(r["I_C_T"] > IN_REGIME_CLASS_BITS for r in mine)
            world_verdicts[name] = regime_verdict(in_regime) if dosed else None
            numbers.setdefault(label, {})[name] = {
                "I_A_Z_median": _median(mine, "I_A_Z"),
                "I_C_Z_median": _median(mine, "I_C_Z"),
                "seeds_in_regime": sum(r["in_regime"] for r in mine),
                "seeds_with_dose": sum(r["I_C_T"] > IN_REGIME_CLASS_BITS for r in mine),
                "largest_gap_to_I_A_X": max(r["I_A_X"] - r["I_A_Z"] for r in mine),
                "verdict": None if world_verdicts[name] is None else str(world_verdicts[name]),
            }
        numbers[label]["ideal"]["largest_polish_gain_bits"] = max(f["polish_gain_bits"] for f in fits)
        verdicts[label] = world_verdicts
        table.append(
            (
                label,
                real[0]["I_C_T"],
                real[0]["I_A_X"],
                real[0]["certified_point"],
                _median(ideal, "I_C_T"),
                _median(ideal, "I_A_Z"),
                _median(ideal, "I_C_Z"),
                numbers[label]["ideal"]["largest_gap_to_I_A_X"],
                _regime(numbers[label]["ideal"]),
                _median(real, "I_A_Z"),
                _median(real, "I_C_Z"),
                _regime(numbers[label]["CNN"]),
                " / ".join("no dose" if v is None else str(v) for v in world_verdicts.values()),
            )
        )
    rho = {}
    for learner in ("ideal", "CNN"):
        mine = [r for r in rows if r["learner"] == learner]
        rho[learner] = float(spearmanr([r["I_C_T"] for r in mine], [r["I_C_Z"] for r in mine]).statistic)
    every = [v for world in verdicts.values() for v in world.values() if v is not None]
    if Verdict.CONTRADICTED in every:
        verdict = Verdict.CONTRADICTED
    elif Verdict.SUPPORTED in every:
        verdict = Verdict.SUPPORTED
    else:
        verdict = Verdict.INCONCLUSIVE
    csv_name = write_csv(ctx.out / "explaining_away.csv", rows)
    figure = dose_figure(ctx.out / "explaining_away.png", rows)
    cnn_worlds = [label for label, v in verdicts.items() if v["CNN"] == Verdict.SUPPORTED]
    text = (
        "The restated claim: a code whose I(A;Z) passes the certified class-blind point (the largest I(A;Z) of any "
        "code with I(C;Z) = 0, a bound from theory.class_blind_limit) carries the class, I(C;Z) > "
        f"{IN_REGIME_CLASS_BITS:g} bits; per world and learner it is supported when at least 2 seeds reach that "
        "regime and every one carries the class, inconclusive with fewer. Ideal learner: a free logit table per "
        "image, Adam on the exact training-style distribution then coordinate descent on the hard code "
        f"(synthetic.nets.free_code), {ctx.run.budget.steps} steps, measured on that distribution; the polishing "
        f"added at most {max(n['ideal']['largest_polish_gain_bits'] for n in numbers.values()):.3f} bits of I(A;Z) "
        "to what gradient descent reached. CNN: the tuned "
        "16-code bottleneck, measured on the whole world (the first three columns are the whole world's; a "
        "world's training styles can hold less ambiguity: 'no dose' where I(C;T) = 0 there). Spearman's ρ between learned I(C;Z) and exact I(C;T) over "
        f"every seed of every world: ideal {rho['ideal']:+.2f}, CNN {rho['CNN']:+.2f} (a description, not a test). "
        f"Worlds where the CNN reaches the regime on at least 2 seeds: {', '.join(cnn_worlds) or 'none'}. "
        f"Data: {csv_name} (one row per world, learner and seed)."
    )
    return Finding(
        verdict,
        text,
        markdown_table(
            (
                "world",
                "I(C;T)",
                "I(A;X)",
                "certified class-blind point",
                "ideal: I(C;T) of the training styles, median",
                "ideal I(A;Z), median",
                "ideal I(C;Z), median",
                "ideal: largest gap to I(A;X)",
                "ideal seeds in regime / with I(C;T) > 0",
                "CNN I(A;Z), median",
                "CNN I(C;Z), median",
                "CNN seeds in regime / with I(C;T) > 0",
                "verdict: ideal / CNN",
            ),
            table,
        ),
        figure,
        {"worlds": numbers, "spearman_rho": rho},
    )
