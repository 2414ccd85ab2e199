"""Claims that rest on trained networks, each with one primary contrast declared here, in code.

Every claim trains its conditions through the runner of its context (the same seeds, the same
optimiser steps and the same downstream probe problem for every condition of a world) and
returns the per-seed paired differences of its declared primary contrast; the reproduction
turns them into an interval and a verdict (:mod:`proofs_check.report.statistics`). Secondary
contrasts are reported beside it and do not vote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthetic.transforms import PAPER_SEVEN as SEVEN

from .claims import ClaimContext, Finding, claim
from .exact_claims import CLASS_RELEVANT
from .figures import plane_figure, seeds_figure
from .statistics import Contrast
from .writer import markdown_table, mean_std

PerSeed = dict[int, float]

COLUMNS = (
    ("pretext acc", "pretext_acc"),
    ("pretext CE (bits)", "pretext_ce_bits"),
    ("probe acc", "probe_acc"),
    ("random init", "probe_acc_random_init"),
    ("pixels", "probe_acc_pixels"),
    ("supervised", "probe_acc_supervised"),
    ("normalised gain", "normalised_gain"),
    ("10-shot", "probe_acc_10shot"),
)
"""The columns of every condition table: held-out pretext numbers, the downstream probe and its
baselines (all on held-out styles of unaugmented images)."""


def per_seed(result: dict, key: str) -> PerSeed:
    """seed -> the run's ``key``."""
    return {int(r["seed"]): float(r[key]) for r in result["runs"]}


def minus(a: Mapping[int, float], b: Mapping[int, float]) -> PerSeed:
    """Paired per-seed differences a - b over the seeds both have."""
    return {s: a[s] - b[s] for s in sorted(set(a) & set(b))}


def average(series: Sequence[Mapping[int, float]]) -> PerSeed:
    """Per-seed mean of several per-seed series (over the seeds all have)."""
    seeds = sorted(set.intersection(*(set(s) for s in series)))
    return {s: sum(x[s] for x in series) / len(series) for s in seeds}


def condition_table(results: Mapping[str, dict], first: str = "condition") -> str:
    """One row per condition: mean ± std over seeds of :data:`COLUMNS`, and the dead runs."""
    rows = []
    for label, result in results.items():
        dead = sum(bool(r.get("dead")) for r in result["runs"])
        rows.append((label, *(mean_std(result["summary"], key) for _, key in COLUMNS), f"{dead}/{len(result['runs'])}"))
    return markdown_table((first, *(name for name, _ in COLUMNS), "dead runs"), rows)


def _numbers(results: Mapping[str, dict]) -> dict:
    return {
        label: {"summary": r["summary"], "per_seed_probe_acc": per_seed(r, "probe_acc")} for label, r in results.items()
    }


def _seven(ctx: ClaimContext, world: str, relevant: Sequence[str]) -> Finding:
    # grayscale needs colour: on one-channel digits it is not a transformation at all
    tasks = [t for t in SEVEN if not (world == "digits" and t == "grayscale")]
    results = {t: ctx.run(world, t) for t in tasks}
    probe = {t: per_seed(r, "probe_acc") for t, r in results.items()}
    others = [t for t in tasks if t not in relevant]
    primary = minus(average([probe[t] for t in relevant]), average([probe[t] for t in others]))
    secondary = {f"{t} - random init": per_seed(results[t], "probe_gain") for t in tasks}
    figure = seeds_figure(
        ctx.out / f"seven_{world}.png",
        {t: probe[t] for t in tasks},
        "probe accuracy (held-out styles, unaugmented)",
        f"{world}: downstream probe after each pretext task, one line per seed",
        baseline=per_seed(results[tasks[0]], "probe_acc_random_init"),
    )
    return Finding(
        None,
        f"Class-relevant tasks ({', '.join(relevant)}) vs the others ({', '.join(others)}), probe accuracy on the "
        "common downstream set."
        + (" grayscale is left out: the digits have one channel." if len(tasks) < len(SEVEN) else ""),
        condition_table(results, "A"),
        figure,
        _numbers(results),
        primary,
        secondary,
    )


_SEVEN = {
    "natural": (
        tuple(CLASS_RELEVANT),
        "Rotation and vertical flip give linear-probe accuracy far above a random encoder; horizontal "
        "flip, inversion, grayscale, jigsaw and blur barely beat it.",
        "Principles I and II: only class-relevant transformations (exactly rot4 and vflip on this world, "
        "see the exact check) make class information useful for predicting A.",
    ),
    "digits": (
        (*CLASS_RELEVANT, "hflip"),
        "On CIFAR, rotation and vertical flip teach class features; the others barely beat a random encoder. "
        "Digits have a handedness, so the theory also predicts horizontal flip to be class-relevant here (a "
        "mirrored 2 is not a 2), unlike on CIFAR.",
        "Principles I and II; on real digits the class-relevant set is a judgement (handedness makes hflip "
        "relevant), not an exact computation.",
    ),
}
for _world, (_relevant, _paper, _reason) in _SEVEN.items():
    claim(
        f"seven_trained_{_world}",
        f"The seven pretext tasks, trained ({_world})",
        _paper,
        contrast=Contrast(
            f"mean probe accuracy of {', '.join(_relevant)} minus the mean of the other tasks",
            "accuracy",
            +1,
            None,
            _reason,
        ),
    )(lambda ctx, world=_world, relevant=_relevant: _seven(ctx, world, relevant))


@claim(
    "hidden_task",
    "A pretext task whose augmentation is invisible teaches nothing",
    "Horizontal flip barely beats a random encoder (on CIFAR). On the natural world the pose is mirror-uniform, "
    "so A = hflip is independent of X (exactly: I(A;X) = 0): no information to learn, so the encoder should end "
    "where it started.",
    contrast=Contrast(
        "probe accuracy after hflip training minus the random-init encoder's (natural)",
        "accuracy",
        0,
        0.05,
        "δ = 0.05: the paper's 'barely above random' tasks gain less than 5 points, its useful tasks more than 25.",
    ),
)
def claim_hidden_task(ctx: ClaimContext) -> Finding:
    result = ctx.run("natural", "hflip")
    primary = per_seed(result, "probe_gain")
    figure = seeds_figure(
        ctx.out / "hidden_task.png",
        {"random init": per_seed(result, "probe_acc_random_init"), "after hflip": per_seed(result, "probe_acc")},
        "probe accuracy (held-out styles, unaugmented)",
        "natural, hflip (I(A;X) = 0): one line per seed",
    )
    return Finding(
        None,
        f"Held-out pretext accuracy {mean_std(result['summary'], 'pretext_acc')} (Bayes 0.5).",
        condition_table({"hflip": result}, "A"),
        figure,
        _numbers({"hflip": result}),
        primary,
    )


@claim(
    "modes",
    "Class information helps predict the rotation",
    "Rotation accuracy: CE_rot + λ·CE_cls (add) > CE_rot (normal) > class information removed (eliminate).",
    contrast=Contrast(
        "held-out rotation cross-entropy, eliminate (λ = 1) minus normal (occluded)",
        "bits",
        +1,
        None,
        "In these worlds a class-blind predictor can reach the Bayes accuracy of A; removing class information "
        "costs log-loss, so the prediction is about cross-entropy.",
    ),
)
def claim_modes(ctx: ClaimContext) -> Finding:
    # The occluded world: the class is ambiguous there (H(C|X) > 0) and the Bayes accuracy of A
    # is below 1, so rotation accuracy has room to move; in the natural world it saturates.
    results = {"normal": ctx.run("occluded", "rot4")}
    for lam in (1.0,) if ctx.primary_only else (0.3, 1.0):
        for mode in ("eliminate",) if ctx.primary_only else ("add", "eliminate"):
            results[f"{mode} (λ = {lam})"] = ctx.run("occluded", "rot4", mode=mode, lam=lam)
    ce = {k: per_seed(r, "pretext_ce_bits") for k, r in results.items()}
    acc = {k: per_seed(r, "pretext_acc") for k, r in results.items()}
    primary = minus(ce["eliminate (λ = 1.0)"], ce["normal"])
    if ctx.primary_only:
        return Finding(None, "", primary=primary)
    secondary = {}
    for lam in (0.3, 1.0):
        secondary[f"CE, add (λ = {lam}) - normal"] = minus(ce[f"add (λ = {lam})"], ce["normal"])
        secondary[f"accuracy, add (λ = {lam}) - normal"] = minus(acc[f"add (λ = {lam})"], acc["normal"])
        secondary[f"accuracy, normal - eliminate (λ = {lam})"] = minus(acc["normal"], acc[f"eliminate (λ = {lam})"])
    secondary["CE, eliminate (λ = 0.3) - normal"] = minus(ce["eliminate (λ = 0.3)"], ce["normal"])
    figure = seeds_figure(
        ctx.out / "modes.png", ce, "rotation cross-entropy, held out (bits)", "occluded, rot4: one line per seed"
    )
    return Finding(
        None,
        "Occluded world, rot4. The adversary of eliminate is a gradient-reversal layer with the class head still "
        "training.",
        condition_table(results, "mode"),
        figure,
        _numbers(results),
        primary,
        secondary,
    )


@claim(
    "base_aug",
    "Stronger base augmentation prunes shortcuts",
    "Base augmentations none -> crop+flip -> SimCLR-style: pretext accuracy falls, linear-probe accuracy rises "
    "(Principle III).",
    contrast=Contrast(
        "probe accuracy, SimCLR-like base augmentation minus none (shortcut world)",
        "accuracy",
        +1,
        None,
        "Principle III: a base augmentation that hides the shortcut leaves class features as the way to predict A.",
    ),
)
def claim_base_augmentation(ctx: ClaimContext) -> Finding:
    bases = ("none", "simclr-like") if ctx.primary_only else ("none", "crop-flip", "simclr-like")
    results = {b: ctx.run("shortcut", "rot4", base_aug=b) for b in bases}
    probe = {b: per_seed(r, "probe_acc") for b, r in results.items()}
    primary = minus(probe["simclr-like"], probe["none"])
    if ctx.primary_only:
        return Finding(None, "", primary=primary)
    pretext = {b: per_seed(r, "pretext_acc") for b, r in results.items()}
    figure = seeds_figure(
        ctx.out / "base_aug.png",
        probe,
        "probe accuracy (held-out styles, unaugmented)",
        "shortcut, rot4: one line per seed",
    )
    return Finding(
        None,
        "On the shortcut world (a lit corner moves with A); every condition is probed on the same unaugmented "
        "images of the world without base augmentation.",
        condition_table(results, "base augmentation"),
        figure,
        _numbers(results),
        primary,
        {
            "probe, crop-flip - none": minus(probe["crop-flip"], probe["none"]),
            "pretext acc, simclr-like - none": minus(pretext["simclr-like"], pretext["none"]),
            "pretext acc, crop-flip - none": minus(pretext["crop-flip"], pretext["none"]),
        },
    )


@claim(
    "equivariant_model",
    "An equivariant encoder helps rotation prediction",
    "A C4-equivariant ResNet-18 beats a plain ResNet-18 on rotation prediction (their comparison confounded 512 "
    "vs 4096 features).",
    contrast=Contrast(
        "probe accuracy, C4 CNN minus CNN after rot4 training (natural)",
        "accuracy",
        +1,
        None,
        "The paper reports better downstream features from the equivariant encoder; feature size and parameter "
        "count are matched here.",
    ),
)
def claim_equivariant_model(ctx: ClaimContext) -> Finding:
    from synthetic.config import TrainConfig
    from synthetic.nets.matched import matched_pair
    from synthetic.worlds import presets

    results = {m: ctx.run("natural", "rot4", model=m) for m in ("cnn", "c4cnn")}
    probe = {m: per_seed(r, "probe_acc") for m, r in results.items()}
    primary = minus(probe["c4cnn"], probe["cnn"])
    if ctx.primary_only:
        return Finding(None, "", primary=primary)
    defaults = TrainConfig()
    pair = matched_pair(presets.get("natural").image_shape[0], defaults.feature_dim, cnn_width=defaults.width)
    figure = seeds_figure(
        ctx.out / "equivariant_model.png",
        probe,
        "probe accuracy (held-out styles, unaugmented)",
        "natural, rot4: one line per seed",
    )
    return Finding(
        None,
        f"Matched feature size ({defaults.feature_dim}) and parameter count ({pair.cnn_parameters:,} vs "
        f"{pair.c4_parameters:,}); the seeds share the split, not the initialisation (the architectures differ).",
        condition_table(results, "encoder"),
        figure,
        _numbers(results),
        primary,
        {
            "pretext acc, C4 CNN - CNN": minus(
                per_seed(results["c4cnn"], "pretext_acc"), per_seed(results["cnn"], "pretext_acc")
            ),
            "normalised gain, C4 CNN - CNN": minus(
                per_seed(results["c4cnn"], "normalised_gain"), per_seed(results["cnn"], "normalised_gain")
            ),
        },
    )


@claim(
    "fine_multi_trained",
    "Finer and joint augmentations as pretext tasks (trained)",
    "Finer-grained (rot2 < rot4 < D4) and multivariate (rot4 and vflip jointly) prediction learn at least as good "
    "class features (T2, T3).",
    contrast=Contrast(
        "probe accuracy, d4 minus rot2 (natural)",
        "accuracy",
        +1,
        None,
        "T2: the finest task carries at least the explaining-away information of the coarsest; the paper reports "
        "better features from finer tasks.",
    ),
)
def claim_fine_and_multivariate_trained(ctx: ClaimContext) -> Finding:
    tasks = ("rot2", "d4") if ctx.primary_only else ("rot2", "rot4", "d4", "vflip", "rot4*vflip")
    results = {t: ctx.run("natural", t) for t in tasks}
    probe = {t: per_seed(r, "probe_acc") for t, r in results.items()}
    primary = minus(probe["d4"], probe["rot2"])
    if ctx.primary_only:
        return Finding(None, "", primary=primary)
    figure = seeds_figure(
        ctx.out / "fine_multi.png", probe, "probe accuracy (held-out styles, unaugmented)", "natural: one line per seed"
    )
    return Finding(
        None,
        "Every task gets the same optimiser steps, whatever its number of actions.",
        condition_table(results, "A"),
        figure,
        _numbers(results),
        primary,
        {
            "rot4 - rot2": minus(probe["rot4"], probe["rot2"]),
            "d4 - rot4": minus(probe["d4"], probe["rot4"]),
            "rot4*vflip - rot4": minus(probe["rot4*vflip"], probe["rot4"]),
            "rot4*vflip - vflip": minus(probe["rot4*vflip"], probe["vflip"]),
        },
    )


@claim(
    "information_plane",
    "Information plane of a learned categorical code",
    "Learning to predict A raises I(A;Z) and, through explaining away, I(C;Z).",
    contrast=Contrast(
        "I(C;Z) of the bottleneck code after training minus at initialisation (natural, rot4)",
        "bits",
        +1,
        None,
        "The paper's reading; note that on natural A is a function of X, where the code Z = A is optimal with "
        "I(C;Z) = 0, so information alone does not force the rise.",
    ),
)
def claim_information_plane(ctx: ClaimContext) -> Finding:
    result = ctx.run("natural", "rot4", model="bottleneck", n_codes=16)
    runs = result["runs"]
    residual = max(abs(r["t1_residual"]) for r in runs)
    plane_figure(ctx.out / "information_plane.png", runs)
    first = {int(r["seed"]): r["information_plane"][0] for r in runs}
    last = {int(r["seed"]): r["information_plane"][-1] for r in runs}
    s = result["summary"]
    return Finding(
        None,
        f"Over seeds at the end: I(A;Z) = {mean_std(s, 'I_A_Z')}, I(C;Z) = {mean_std(s, 'I_C_Z')}, "
        f"I(A;C|Z) = {mean_std(s, 'I_A_C_given_Z')} bits. T1 holds on every learned code (largest residual "
        f"{residual:.1e} bits).",
        condition_table({"bottleneck": result}, "model"),
        "information_plane.png",
        {"summary": s},
        {seed: last[seed]["I_C_Z"] - first[seed]["I_C_Z"] for seed in sorted(first)},
        {"I(A;Z), end - start": {seed: last[seed]["I_A_Z"] - first[seed]["I_A_Z"] for seed in sorted(first)}},
    )
