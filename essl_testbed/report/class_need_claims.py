"""Trained claims about *whether the class is needed*: judged against I(C;T) and the class-blind limits.

T = p(A|X). A code that predicts A optimally in log-loss carries at least I(C;T) bits about the
class, and a code that carries none cannot go below the class-blind cross-entropy
(:mod:`theory._class_blind`). These claims measure trained networks against those exact
numbers: removing or adding class information (``modes``), the information plane of a
categorical code on worlds graded by I(C;T) (``information_plane``), and one encoder probed
for two labels of the same images, one needed to read A and one not (``two_labels``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np

from ..experiments.tables import markdown_table, mean_std
from .claims import ClaimContext, Finding, claim
from .exact_claims import analysis_of
from .figures import plane_figure, seeds_figure
from .statistics import ArmCertificate, Contrast
from .trained_claims import certificate, minus, per_seed, run_numbers

MODES_WORLD = ("occluded", {"n_classes": 6})
"""Six classes, so that the add-nuisance label (the colour, six values) has as many values as the class."""

BLIND_PROBE_MARGIN = 0.05
"""accuracy: an eliminate code whose class probe exceeds chance by more than this is not class-blind."""

NUISANCE_MARGIN = 0.05
"""bits: add-nuisance counts as "≈ normal" when its cross-entropy interval lies within this of normal's."""


def _training_limits(world: str, transform: str, overrides: Mapping, seeds: list[int]) -> dict:
    """Per seed, the exact limits on that seed's training styles (see :mod:`..experiments.limits`;
    they depend on the world and the split, not on the training configuration)."""
    from ..experiments.limits import training_style_limits
    from ..experiments.spec import Experiment

    experiment = Experiment(world, transform, world_overrides=dict(overrides))
    return {s: training_style_limits(experiment, s) for s in seeds}


def _not_blind(gap_to_bound: dict[int, float], probe_acc: dict[int, float], chance: float) -> dict[int, str]:
    """The seeds whose eliminate code is not class-blind: its cross-entropy lies below the
    certified class-blind bound (a proof), or a linear probe reads the class above chance by
    more than :data:`BLIND_PROBE_MARGIN`."""
    out = {}
    for s, gap in gap_to_bound.items():
        if gap < -1e-9:
            out[s] = f"cross-entropy {-gap:.3f} bits below the class-blind bound"
        elif probe_acc.get(s, chance) > chance + BLIND_PROBE_MARGIN:
            out[s] = f"class probe {probe_acc[s]:.3f}, chance {chance:.3f}"
    return out


def _limit_row(limits: dict, key: str) -> str:
    values = np.array([v[key] for v in limits.values()])
    return f"{values.mean():.3f} ± {values.std(ddof=1) if len(values) > 1 else 0.0:.3f}"


@claim(
    "modes",
    "Removing class information costs log-loss on A",
    "Rotation accuracy: CE_rot + λ·CE_cls (add) > CE_rot (normal) > class information removed (eliminate).",
    contrast=Contrast(
        "rotation cross-entropy on the training styles, eliminate minus normal (occluded, 6 classes, λ = 1)",
        "bits",
        +1,
        None,
        "A code with no class information cannot go below the class-blind cross-entropy, which on this world lies "
        "above H(A|X) (I(C;T) > 0); a class-blind predictor can still reach the Bayes accuracy, so the prediction "
        "is about cross-entropy, where the networks are fit.",
    ),
)
def claim_modes(ctx: ClaimContext) -> Finding:
    world, overrides = MODES_WORLD
    run = {"overrides": dict(overrides), "ceiling": False}
    conditions = {"normal": {}, "eliminate": {"mode": "eliminate"}}
    if not ctx.primary_only:
        conditions |= {
            "add": {"mode": "add"},
            "add-nuisance (colour)": {"mode": "add", "aux": "colour"},
            "bottleneck, normal": {"model": "bottleneck"},
            "bottleneck, eliminate": {"model": "bottleneck", "mode": "eliminate"},
        }
    results = ctx.run.many({k: {"world": world, "transform": "rot4", **run, **c} for k, c in conditions.items()})
    ce = {k: per_seed(r, "pretext_ce_train_bits") for k, r in results.items()}
    primary = minus(ce["eliminate"], ce["normal"])
    seeds = sorted(ce["normal"])
    limits = _training_limits(world, "rot4", overrides, seeds)
    # the runs' own gaps above H(A|X) of their training styles, moved to the certified class-blind bound there
    gap_normal = per_seed(results["normal"], "pretext_gap_train_bits")
    gap_eliminate = {
        s: gap - (limits[s]["H_A_given_Z_class_blind_lower"] - limits[s]["H_A_given_X"])
        for s, gap in per_seed(results["eliminate"], "pretext_gap_train_bits").items()
    }
    exact = all(v["H_A_given_Z_class_blind"] - v["H_A_given_Z_class_blind_lower"] < 1e-9 for v in limits.values())
    arms = (
        ArmCertificate("normal", gap_normal),
        ArmCertificate(
            "eliminate",
            gap_eliminate,
            "class-blind limit" + (" (exact)" if exact else " (certified lower bound)"),
            _not_blind(gap_eliminate, per_seed(results["eliminate"], "probe_acc"), 1 / overrides["n_classes"]),
        ),
    )
    if ctx.primary_only:
        return Finding(None, "", primary=primary, arms=arms)
    rows = []
    for label, r in results.items():
        held_out = r["summary"]["pretext_ce_bits"]["mean"]
        rows.append(
            (
                label,
                mean_std(r["summary"], "pretext_ce_train_bits"),
                mean_std(r["summary"], "pretext_ce_bits") + (" (above log2 |A|)" if held_out > 2.0 else ""),
                mean_std(r["summary"], "pretext_acc"),
                mean_std(r["summary"], "probe_acc"),
                mean_std(r["summary"], "feature_std"),
                mean_std(r["summary"], "I_C_Z") if "I_C_Z" in r["summary"] else "",
            )
        )
    chance = 1 / MODES_WORLD[1]["n_classes"]
    table = markdown_table(
        (
            "condition",
            "CE train styles (bits)",
            "CE held out (bits)",
            "held-out acc",
            f"class probe acc (chance {chance:.3f})",
            "feature std",
            "exact I(C;Z) (bottleneck)",
        ),
        rows,
    )
    table += "\n\nExact limits on the training styles (mean ± std over the seeds' splits):\n\n" + markdown_table(
        ("quantity", "bits"),
        [
            ("H(A|X): the best any predictor reaches (normal's ceiling)", _limit_row(limits, "H_A_given_X")),
            (
                "class-blind H(A|Z), achieved: the best class-blind code found (eliminate's optimum lies at or "
                "below it)" + (", here exact" if exact else ""),
                _limit_row(limits, "H_A_given_Z_class_blind"),
            ),
            (
                "class-blind H(A|Z), certified: no class-blind code goes below (theory.class_blind_limit); "
                "eliminate's gap is measured from here",
                _limit_row(limits, "H_A_given_Z_class_blind_lower"),
            ),
            ("I(C;T): class bits an optimal code carries", _limit_row(limits, "I_C_T")),
            ("H(A): a constant code", _limit_row(limits, "H_A")),
        ],
    )
    figure = seeds_figure(
        ctx.out / "modes.png",
        {k: ce[k] for k in ("add", "normal", "eliminate", "add-nuisance (colour)")},
        "rotation cross-entropy, training styles (bits)",
        f"{world} ({', '.join(f'{k} {v}' for k, v in overrides.items())}), rot4: one line per seed",
    )
    return Finding(
        None,
        "Occluded world with 6 classes, rot4, λ = 1. Cross-entropy on the training styles is where the theory's "
        "limits apply (the networks are fit there); held-out cross-entropy is beside it and flagged above log2 |A| = 2 "
        "bits, where the network does not generalise and the comparison measures confidence. eliminate is a "
        "gradient-reversal class adversary (a linear head on the features; on the bottleneck, on the code "
        "probabilities, whose exact I(C;Z) is shown). add-nuisance predicts the colour (six values) instead of "
        f"the class: the theory predicts add < normal < eliminate and add-nuisance ≈ normal (within ±{NUISANCE_MARGIN} "
        "bits).",
        table,
        figure,
        {**run_numbers(results), "training_style_limits": {str(s): v for s, v in limits.items()}},
        primary,
        {
            "CE, add - normal": minus(ce["add"], ce["normal"]),
            f"CE, add-nuisance - normal (≈ 0 within ±{NUISANCE_MARGIN})": minus(
                ce["add-nuisance (colour)"], ce["normal"]
            ),
            "CE, bottleneck eliminate - bottleneck normal": minus(
                ce["bottleneck, eliminate"], ce["bottleneck, normal"]
            ),
            "CE of normal above H(A|X) (its ceiling)": gap_normal,
            "CE of eliminate above the certified class-blind bound": gap_eliminate,
            "held-out accuracy, normal - eliminate": minus(
                per_seed(results["normal"], "pretext_acc"), per_seed(results["eliminate"], "pretext_acc")
            ),
            f"class probe accuracy of eliminate above chance ({chance:.3f})": {
                s_: v - chance for s_, v in per_seed(results["eliminate"], "probe_acc").items()
            },
        },
        arms,
    )


PLANE_WORLDS: dict[str, tuple[str, dict]] = {
    "natural": ("natural", {}),
    "occluded 1/4": ("occluded", {"occlusion": 0.25}),
    "occluded 1/2": ("occluded", {"occlusion": 0.5}),
    "occluded 3/4": ("occluded", {"occlusion": 0.75}),
    "occluded": ("occluded", {}),
    "symmetric": ("symmetric", {}),
}
"""The information plane's worlds, graded by I(C;T) under rot4: none (natural), the share of
occluded scenes stepped from 1/4 to 1, and rotation-symmetric glyphs."""


@cache
def _exact_points(label: str) -> dict[str, float]:
    """The exact points of :data:`PLANE_WORLDS` ``label``'s plane under rot4: the class-blind
    point as found (``I_A_Z_class_blind``, achieved by a class-blind code) and as certified
    (``I_A_Z_class_blind_certified``: no class-blind code reaches beyond it), equal when exact."""
    from synthetic.worlds import presets
    from theory import class_blind_limit

    world, overrides = PLANE_WORLDS[label]
    a = analysis_of(world, "rot4", **overrides)
    limit = class_blind_limit(presets.get(world, **overrides).joint("rot4"))
    h_a = float(a["H_A"])
    return {
        "I_A_X": float(a["I_A_X"]),
        "I_C_T": max(0.0, float(a["I_C_T"])),
        "I_A_Z_class_blind": h_a - limit.upper,
        "I_A_Z_class_blind_certified": h_a - limit.lower,
        "I_C_X": float(a["I_C_X"]),
    }


def _past(runs: list[dict], point: float) -> set[int]:
    """The seeds whose code's I(A;Z) lies right of ``point``."""
    return {int(r["seed"]) for r in runs if r["I_A_Z"] > point + 1e-9}


@claim(
    "information_plane",
    "Information plane of a learned categorical code",
    "Learning to predict A raises I(A;Z) and, through explaining away, I(C;Z).",
    contrast=Contrast(
        "I(C;Z) of the bottleneck code after training minus at initialisation (occluded, rot4), on the seeds whose "
        "code passed the certified class-blind point",
        "bits",
        +1,
        None,
        "On occluded a code that predicts A better than any class-blind code must carry class information "
        "(I(C;T) = 0.29 bits; exact). The rise is the paper's reading; it is forced only once the code passes "
        "the class-blind point, certified by a lower bound on the class-blind log-loss "
        "(theory.class_blind_limit), so only those seeds test it.",
    ),
)
def claim_information_plane(ctx: ClaimContext) -> Finding:
    worlds = {"occluded": PLANE_WORLDS["occluded"]} if ctx.primary_only else PLANE_WORLDS
    bottleneck = {"transform": "rot4", "model": "bottleneck", "n_codes": 16, "ceiling": False}
    results = ctx.run.many(
        {label: {"world": w, "overrides": dict(o), **bottleneck} for label, (w, o) in worlds.items()}
    )

    def change(result: dict, key: str) -> dict[int, float]:
        return {
            int(r["seed"]): r["information_plane"][-1][key] - r["information_plane"][0][key] for r in result["runs"]
        }

    rise = change(results["occluded"], "I_C_Z")
    past = _past(results["occluded"]["runs"], _exact_points("occluded")["I_A_Z_class_blind_certified"])
    primary = {s: v for s, v in rise.items() if s in past}
    arms = (certificate("occluded bottleneck", results["occluded"]),)
    if ctx.primary_only:
        return Finding(None, "", primary=primary, arms=arms)
    exact = {label: _exact_points(label) for label in worlds}
    rows, numbers = [], {}
    for label, result in results.items():
        s, e = result["summary"], exact[label]
        gap = [e["I_A_X"] - r["I_A_Z"] for r in result["runs"]]
        n = len(result["runs"])
        rows.append(
            (
                label,
                e["I_C_T"],
                e["I_A_X"],
                e["I_A_Z_class_blind"],
                e["I_A_Z_class_blind_certified"],
                mean_std(s, "I_A_Z"),
                f"{np.mean(gap):.3f} ± {np.std(gap, ddof=1) if len(gap) > 1 else 0.0:.3f}",
                mean_std(s, "I_C_Z"),
                mean_std(s, "H_Z_given_X") if "H_Z_given_X" in s else "",
                mean_std(s, "pretext_gap_train_bits") if "pretext_gap_train_bits" in s else "",
                f"{len(_past(result['runs'], e['I_A_Z_class_blind']))}/{n}",
                f"{len(_past(result['runs'], e['I_A_Z_class_blind_certified']))}/{n}",
            )
        )
        numbers[label] = {"exact": e, "summary": s}
    plane_figure(
        ctx.out / "information_plane.png",
        {label: r["runs"] for label, r in results.items()},
        exact,
    )
    secondary = {
        f"I(C;Z), end - start ({label})": change(r, "I_C_Z") for label, r in results.items() if label != "occluded"
    }
    secondary["I(A;Z), end - start (occluded)"] = change(results["occluded"], "I_A_Z")
    secondary["I(C;Z), end - start (occluded, every seed)"] = rise
    return Finding(
        None,
        "A CNN into a 16-code categorical bottleneck, trained on rot4; I(A;Z) and I(C;Z) are exact (the code's "
        "joint with the world's latents). The class-blind point is the best I(A;Z) of a code with I(C;Z) = 0: "
        "found (achieved by a class-blind code) and certified (a bound no class-blind code passes; they agree where "
        "the world is small enough to enumerate the vertices of the class-blind polytope). Only a code right of the "
        "certified point must carry class information. The gap is I(A;X) - I(A;Z), how far the optimiser stays "
        f"from an optimal code. The primary counts only the occluded seeds past the certified point: "
        f"{len(past)} of {len(rise)}"
        + (" (fewer than 2: no verdict)" if len(past) < 2 else "")
        + "; the rise over every seed is a secondary.",
        markdown_table(
            (
                "world",
                "I(C;T)",
                "I(A;X)",
                "class-blind I(A;Z), found",
                "class-blind I(A;Z), certified bound",
                "learned I(A;Z)",
                "gap to I(A;X)",
                "learned I(C;Z)",
                "H(Z|X): sharpness (0 = deterministic code)",
                "CE above H(A|X), train styles",
                "seeds past the found point",
                "seeds past the certified point",
            ),
            rows,
        ),
        "information_plane.png",
        {**numbers, "seeds_past_certified_class_blind_point": sorted(past)},
        primary,
        secondary,
        arms,
    )


TWO_LABEL_MARGIN = 0.05
"""accuracy: the marker's probe gain counts as none when its interval lies within this margin."""


@claim(
    "two_labels",
    "Same images, two labels: only the label that explains A is learned",
    "Predicting the rotation teaches the features of the class, whose pose reveals the rotation (explaining "
    "away); a label that the rotation never moves gets nothing.",
    contrast=Contrast(
        "probe gain (trained minus random init) of the carrier's label minus that of the marker's label (marked, rot4)",
        "accuracy",
        +1,
        None,
        "The carrier glyph's pose moves with A and only its class explains it; the marker is invariant under every "
        "rotation (by construction, tested), so nothing about A needs it. Both labels have four values.",
    ),
)
def claim_two_labels(ctx: ClaimContext) -> Finding:
    transforms = ("rot4",) if ctx.primary_only else ("rot4", "hflip")
    both = ctx.run.many({t: {"world": "marked", "transform": t, "ceiling": False} for t in transforms})
    rot4 = both["rot4"]
    gain = {label: per_seed(rot4, f"probe_gain_{label}") for label in ("carrier", "marker")}
    primary = minus(gain["carrier"], gain["marker"])
    arms = (certificate("rot4", rot4),)
    if ctx.primary_only:
        return Finding(None, "", primary=primary, arms=arms)
    hflip = both["hflip"]
    gain_h = {label: per_seed(hflip, f"probe_gain_{label}") for label in ("carrier", "marker")}
    rows = []
    for task, result in (("rot4", rot4), ("hflip", hflip)):
        for label in ("carrier", "marker"):
            s = result["summary"]
            rows.append(
                (
                    task,
                    label,
                    mean_std(s, f"probe_acc_{label}"),
                    mean_std(s, f"probe_acc_{label}_random_init"),
                    mean_std(s, f"probe_gain_{label}"),
                )
            )
    figure = seeds_figure(
        ctx.out / "two_labels.png",
        {
            "carrier, rot4": gain["carrier"],
            "marker, rot4": gain["marker"],
            "carrier, hflip": gain_h["carrier"],
            "marker, hflip": gain_h["marker"],
        },
        "probe gain over random init",
        "marked: one encoder per task and seed, both labels probed",
    )
    return Finding(
        None,
        "The marked world: a natural glyph (4 classes, mirror-uniform pose) in a box whose border carries one of 4 "
        "D4-symmetric markers; the class is the pair. One encoder per seed, both labels probed on the same "
        "unaugmented held-out images. Under hflip the mirror-uniform pose hides A (I(A;X) = 0): no gain is "
        f"predicted for either label. Equivalence margin for 'no gain': ±{TWO_LABEL_MARGIN}.",
        markdown_table(("task", "label", "probe acc", "random init", "gain"), rows),
        figure,
        run_numbers({"rot4": rot4, "hflip": hflip}),
        primary,
        {
            f"marker gain, rot4 (≈ 0 within ±{TWO_LABEL_MARGIN})": gain["marker"],
            "carrier gain, rot4": gain["carrier"],
            f"carrier gain, hflip (≈ 0 within ±{TWO_LABEL_MARGIN})": gain_h["carrier"],
            f"marker gain, hflip (≈ 0 within ±{TWO_LABEL_MARGIN})": gain_h["marker"],
        },
        arms,
    )
