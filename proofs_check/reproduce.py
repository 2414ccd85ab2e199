"""One command reproduces every claim: exact checks, proofs and trained networks, as a report.

``essl-testbed reproduce --out report`` writes ``report/report.md`` (one section per claim:
what the paper says, what this testbed measured, and a verdict computed from the numbers),
``report/results.json`` and figures. Every training number is a mean and standard deviation
over the seeds (3 by default). Finished training runs are cached under ``report/cache`` and
written atomically, so an interrupted reproduction resumes where it stopped.

Verdicts are computed, never asserted: a claim the testbed does not reproduce is reported
as such, with the numbers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from synthetic.transforms import PAPER_SEVEN as SEVEN

from .learned import atomic_write_json, run_seeds

CLASS_RELEVANT = ("rot4", "vflip")


@dataclass
class Claim:
    """One claim of the paper and what the testbed found."""

    key: str
    title: str
    paper: str
    verdict: str  # "reproduced", "not reproduced", "partly reproduced", "holds", "fails"
    finding: str
    table: str = ""
    figure: str | None = None
    numbers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Budget:
    """Training effort: optimiser steps per run (epochs follow from the data size) and seeds."""

    steps: int = 2000
    batch_size: int = 64
    seeds: tuple[int, ...] = (0, 1, 2)

    def epochs(self, n_train_rows: int) -> int:
        return max(1, math.ceil(self.steps * self.batch_size / max(1, n_train_rows)))


QUICK = Budget(steps=150)


def _fmt(mean: float, std: float) -> str:
    return f"{mean:.3f} ± {std:.3f}"


def _ms(summary: dict, key: str) -> str:
    return _fmt(summary[key]["mean"], summary[key]["std"]) if key in summary else "n/a"


def _cell(value: object) -> str:
    if isinstance(value, float):
        value = f"{0.0 if abs(value) < 5e-5 else value:.4f}"
    return str(value).replace("|", "\\|")  # a bar inside I(A;C|X) would split the cell


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


class Runner:
    """Runs (or reloads) training experiments under one budget and cache."""

    def __init__(self, budget: Budget, cache: Path, device: str = "cpu", log: Callable[[str], None] = print):
        self.budget, self.cache, self.device, self.log = budget, cache, device, log
        self._rows: dict = {}

    def train_rows(self, world: str, transform: str, base_aug: str, overrides: dict) -> int:
        from .learned import make_world, train_test_split

        key = (world, transform, base_aug, tuple(sorted(overrides.items())))
        if key not in self._rows:
            train, _, _ = train_test_split(make_world(world, base_aug, **overrides).dataset(transform), seed=0)
            self._rows[key] = len(train)
        return self._rows[key]

    def __call__(self, world: str, transform: str, model: str = "cnn", mode: str = "normal", lam: float = 1.0,
                 base_aug: str = "none", overrides: dict | None = None, **config) -> dict:
        from synthetic.training import TrainConfig

        overrides = overrides or {}
        epochs = self.budget.epochs(self.train_rows(world, transform, base_aug, overrides))
        cfg = TrainConfig(model=model, mode=mode, lam=lam, epochs=epochs, batch_size=self.budget.batch_size,
                          device=self.device, **config)
        t0 = time.perf_counter()
        result = run_seeds(world, transform, cfg, self.budget.seeds, base_aug=base_aug, world_overrides=overrides,
                           cache_dir=self.cache, show_progress=True)
        self.log(f"  trained {world}/{transform}/{model}/{mode}/{base_aug} ({epochs} epochs x "
                 f"{len(self.budget.seeds)} seeds) in {time.perf_counter() - t0:.0f} s")
        return result


# ---------------------------------------------------------------- exact claims


def claim_proofs() -> Claim:
    from .statements import BROKEN, STATEMENTS, prove_statement

    rows, ok = [], True
    for name in STATEMENTS:
        own, causal = prove_statement(name), prove_statement(name, causal=True)
        ok &= own.proved and own.verified and causal.proved and causal.verified
        rows.append((name, f"`{own.statement}`", "; ".join(f"`{c}`" for c in own.constraints) or "none",
                     "proved" if own.proved else "NOT PROVED", "proved" if causal.proved else "NOT PROVED"))
    for name in BROKEN:
        result = prove_statement(name)
        ok &= not result.proved
        rows.append((name, f"`{result.statement}`", "; ".join(f"`{c}`" for c in result.constraints) or "none",
                     "not provable (as expected)" if not result.proved else "PROVED (unexpected)", ""))
    return Claim(
        "proofs", "The statements are Shannon-type consequences of the causal model",
        "T1, Principles I-III, T2 and T3 follow from the causal model (as formalized in this project).",
        "holds" if ok else "fails",
        "Every statement is proved from its own assumptions and from the full causal model, with certificates "
        "verified in exact rational arithmetic; every broken variant (an assumption dropped or a direction "
        "reversed) is not provable. The T1 lower bound needs no independence assumption.",
        _markdown_table(("name", "statement", "assumptions", "own assumptions", "full causal model"), rows))


def claim_seven_exact() -> Claim:
    from synthetic import presets
    from synthetic.analysis import format_comparison

    world = presets.get("natural")
    analyses = {t: world.analyze(t) for t in SEVEN}
    keys = ("H_A", "I_A_X", "H_A_given_X", "I_A_Xerased", "H_A_given_Xerased", "class_relevant_bits",
            "I_A_g", "bayes_acc_A_given_X", "bayes_acc_A_given_Xerased")
    bits = {t: float(a["class_relevant_bits"]) for t, a in analyses.items()}
    relevant = {t for t, b in bits.items() if b > 1e-9}
    verdict = "reproduced" if relevant == set(CLASS_RELEVANT) else "not reproduced"
    finding = (f"Only {', '.join(sorted(relevant)) or 'no transformation'} reveal bits of A that a class-erased "
               f"view of the same scene does not (class_relevant_bits: "
               + ", ".join(f"{t} {bits[t]:.3f}" for t in SEVEN) + "). hflip is hidden by the mirror-symmetric pose "
               "distribution (H(A|X) = 1 bit); invert, grayscale and blur4 are revealed by class-agnostic cues "
               "(background, colour statistics, edge sharpness); jigsaw by the glyph's box.")
    return Claim("seven_exact", "Which transformations are class-relevant (exact, natural world)",
                 "Rotation and vertical flip are class-relevant; horizontal flip, inversion, grayscale, "
                 "jigsaw and blur are not (Principles I and II).",
                 verdict, finding, "```\n" + format_comparison(analyses, keys) + "\n```",
                 numbers={t: {k: float(analyses[t][k]) for k in keys} for t in SEVEN})


def claim_explaining_away_regime() -> Claim:
    from fractions import Fraction

    from synthetic import presets

    rows, numbers = [], {}
    six_nine = presets.get("six-nine", class_prior=(Fraction(1, 3), Fraction(2, 3))).analyze("rot2")
    rows.append(("six-nine (prior 1/3, 2/3)", "rot2", str(six_nine["I_A_C_given_X"]), str(six_nine["H_C_given_X"]),
                 str(six_nine["I_A_X"])))
    numbers["six-nine/rot2"] = float(six_nine["I_A_C_given_X"])
    occluded = presets.get("occluded")
    for t in SEVEN:
        a = occluded.analyze(t)
        numbers[f"occluded/{t}"] = float(a["I_A_C_given_X"])
        rows.append(("occluded", t, float(a["I_A_C_given_X"]), float(a["H_C_given_X"]), float(a["I_A_X"])))
    natural = {t: float(presets.get("natural").analyze(t)["I_A_C_given_X"]) for t in CLASS_RELEVANT}
    positive = {t for t in SEVEN if numbers[f"occluded/{t}"] > 1e-9}
    ok = numbers["six-nine/rot2"] > 0 and positive == set(CLASS_RELEVANT)
    verdict = "reproduced" if ok else "partly reproduced" if numbers["six-nine/rot2"] > 0 or positive else \
        "not reproduced"
    return Claim("explaining_away", "Explaining away lives where X leaves the class ambiguous",
                 "Given X, A and C are dependent: knowing the class helps predict A (T1's I(A;C|Z)); only "
                 "class-relevant transformations show it.", verdict,
                 "In the natural world X determines C, so I(A;C|X) = "
                 + ", ".join(f"{natural[t]:.3g} ({t})" for t in CLASS_RELEVANT) + " (the degenerate regime); with "
                 f"occlusion I(A;C|X) > 0 exactly for {', '.join(sorted(positive)) or 'no transformation'}; six-nine "
                 f"gives the exact value {six_nine['I_A_C_given_X']} bits.",
                 _markdown_table(("world", "A", "I(A;C|X)", "H(C|X)", "I(A;X)"), rows), numbers=numbers)


def _with_coarse(world, fine: str, coarse_names: Sequence[str]):
    from synthetic.transforms import coarsening
    from theory import PushforwardJoint

    J = world.joint(fine)
    shape = J.latent.shape
    a_axis = J.latent.names.index("A")
    functions = dict(J.functions)
    for name in coarse_names:
        g = coarsening(fine, name)
        index = [None] * len(shape)
        index[a_axis] = slice(None)
        functions[name] = np.broadcast_to(g[tuple(index)], shape).copy()
    return PushforwardJoint(J.latent, functions)


def claim_fine_and_multivariate_exact() -> Claim:
    from synthetic import presets
    from theory.essl import fine_grained, multivariate

    world = presets.get("occluded")
    reports, rows = {}, []
    d4 = _with_coarse(world, "d4", ("rot4", "rot2"))
    rot4 = _with_coarse(world, "rot4", ("rot2",))
    for label, joint, fine, coarse in (("d4 vs rot4", d4, "A", "rot4"), ("d4 vs rot2", d4, "A", "rot2"),
                                       ("rot4 vs rot2", rot4, "A", "rot2")):
        r = fine_grained(joint, fine=fine, coarse=coarse, c="C", z="X")
        reports[label] = r
        rows.append(("T2 " + label, float(r.terms["I(A;C|X)"]), float(r.terms[f"I({coarse};C|X)"]),
                     "holds" if r.holds else "FAILS"))
    product = _with_coarse(world, "rot4*vflip", ("rot4", "vflip"))
    r = multivariate(product, a1="rot4", a2="vflip", c="C", z="X")
    reports["T3"] = r
    rows.append(("T3 rot4*vflip vs rot4, vflip", float(r.terms["I(rot4,vflip;C|X)"]),
                 f"{float(r.terms['I(rot4;C|X)']):.4f}, {float(r.terms['I(vflip;C|X)']):.4f}",
                 "holds" if r.holds else "FAILS"))
    ok = all(r.holds for r in reports.values())
    return Claim("fine_multi_exact", "Finer and joint augmentations have at least as much explaining-away (exact)",
                 "T2: I(A';C|Z) >= I(A;C|Z) for A = g(A'); T3: I(A1,A2;C|Z) >= max(I(A1;C|Z), I(A2;C|Z)).",
                 "holds" if ok else "fails",
                 "A consistency check of the engine on a world: these are theorems (proved above), evaluated on the "
                 "occluded world's exact joint with Z = X (the coarse augmentation a function of the fine one on "
                 "the same image); the reports' preconditions (coarsening, independence) hold.",
                 _markdown_table(("statement", "fine / joint I(.;C|X)", "coarse / single I(.;C|X)", "report"), rows))


# ---------------------------------------------------------------- training claims


def _noise(pairs: Sequence[tuple[str, dict, dict]], key: str) -> tuple[str, bool]:
    """(a sentence naming the compared gaps no larger than the larger standard deviation over
    seeds, whether every gap is larger)."""
    within = [f"{label} ({a[key]['mean'] - b[key]['mean']:+.3f} vs std {max(a[key]['std'], b[key]['std']):.3f})"
              for label, a, b in pairs if abs(a[key]["mean"] - b[key]["mean"]) <= max(a[key]["std"], b[key]["std"])]
    if within:
        return " Within seed noise (gap no larger than the larger standard deviation): " + "; ".join(within) + ".", False
    return " Every compared gap exceeds the larger standard deviation over seeds.", True


def _qualified(verdict: str, separated: bool) -> str:
    """A 'reproduced' that rests on gaps within seed noise says so."""
    return "reproduced in the means, within seed noise" if verdict == "reproduced" and not separated else verdict


def _with_gain(result: dict) -> dict:
    """The summary plus ``probe_gain``: per-seed probe accuracy minus the random-init probe's."""
    gains = np.array([r["probe_acc"] - r["probe_acc_random_init"] for r in result["runs"]])
    spread = float(gains.std(ddof=1)) if len(gains) > 1 else 0.0
    return {**result["summary"], "probe_gain": {"mean": float(gains.mean()), "std": spread, "n": len(gains)}}


def claim_seven_trained(run: Runner, world: str, out: Path) -> Claim:
    # grayscale needs colour: on one-channel digits it is not a transformation at all
    tasks = [t for t in SEVEN if not (world == "digits" and t == "grayscale")]
    results = {t: _with_gain(run(world, t)) for t in tasks}
    rows = [(t, _ms(s, "pretext_acc"), _ms(s, "pretext_acc_full"), _ms(s, "bayes_acc_A_given_X"),
             _ms(s, "probe_acc"), _ms(s, "probe_acc_random_init"), _ms(s, "probe_gain")) for t, s in results.items()]
    gains = {t: s["probe_gain"]["mean"] for t, s in results.items()}
    if world == "digits":
        paper = ("On CIFAR, rotation and vertical flip teach class features; the others barely beat a random "
                 "encoder. Digits have a handedness, so the theory also predicts horizontal flip to be learnable "
                 "and class-relevant here (a mirrored 2 is not a 2), unlike on CIFAR.")
        relevant = set(CLASS_RELEVANT) | {"hflip"}
    else:
        paper = ("Rotation and vertical flip give linear-probe accuracy far above a random encoder; horizontal "
                 "flip, inversion, grayscale, jigsaw and blur barely beat it.")
        relevant = set(CLASS_RELEVANT)
    weakest = min(relevant, key=gains.get)
    strongest_other = max((t for t in gains if t not in relevant), key=gains.get)
    ok = gains[weakest] > gains[strongest_other]
    note, separated = _noise([(f"gain of {weakest} vs {strongest_other}", results[weakest],
                               results[strongest_other])], "probe_gain")
    figure = _bar_figure(out / f"seven_{world}.png", list(results), [results[t]["probe_acc"] for t in results],
                         [results[t]["probe_acc_random_init"] for t in results],
                         f"{world}: linear probe for C after pretext training (mean ± std over seeds)")
    ranking = sorted(gains, key=gains.get, reverse=True)
    return Claim(f"seven_trained_{world}", f"The seven pretext tasks, trained ({world})", paper,
                 _qualified("reproduced" if ok else "not reproduced", separated),
                 "Probe gain over the random-init encoder, best first: "
                 + ", ".join(f"{t} {gains[t]:+.3f}" for t in ranking) + "."
                 + (" Every task leaves the probe below the random-init encoder's: on this world random features "
                    "already separate the classes and pretext training trades class information for A."
                    if max(gains.values()) < 0 else "")
                 + (" grayscale is left out: the digits have one channel." if len(tasks) < len(SEVEN) else "")
                 + note,
                 _markdown_table(("A", "pretext acc (held out)", "pretext acc (full)", "Bayes acc A|X", "probe acc",
                                  "probe acc, random init", "gain"), rows), figure,
                 numbers={t: {k: v for k, v in s.items()} for t, s in results.items()})


def claim_modes(run: Runner) -> Claim:
    # The occluded world: the class is ambiguous there (H(C|X) > 0) and the Bayes accuracy of A
    # is below 1, so rotation accuracy has room to move; in the natural world it saturates.
    results = {("normal", None): run("occluded", "rot4")["summary"]}
    for lam in (0.3, 1.0):
        for mode in ("add", "eliminate"):
            results[(mode, lam)] = run("occluded", "rot4", mode=mode, lam=lam)["summary"]
    acc = {k: s["pretext_acc"]["mean"] for k, s in results.items()}
    normal = acc[("normal", None)]
    orders = {lam: acc[("add", lam)] > normal > acc[("eliminate", lam)] for lam in (0.3, 1.0)}
    verdict = ("reproduced" if all(orders.values()) else "partly reproduced" if any(orders.values())
               or all(normal > acc[("eliminate", lam)] for lam in (0.3, 1.0)) else "not reproduced")
    note, separated = _noise([(f"{m} vs normal at λ = {lam}", results[(m, lam)], results[("normal", None)])
                              for lam in (0.3, 1.0) for m in ("add", "eliminate")], "pretext_acc")
    rows = [(m if lam is None else f"{m} (λ = {lam})", _ms(s, "pretext_acc"), _ms(s, "pretext_acc_full"),
             _ms(s, "bayes_acc_A_given_X"), _ms(s, "probe_acc")) for (m, lam), s in results.items()]
    return Claim("modes", "Class information helps predict the rotation",
                 "Rotation accuracy: CE_rot + λ·CE_cls (add) > CE_rot (normal) > class information removed "
                 "(eliminate).", _qualified(verdict, separated),
                 "Occluded world, rot4, held-out pretext accuracy: normal " f"{normal:.3f}; "
                 + "; ".join(f"λ = {lam}: add {acc[('add', lam)]:.3f}, eliminate {acc[('eliminate', lam)]:.3f}"
                             for lam in (0.3, 1.0))
                 + ". The adversary is a gradient-reversal layer with the class head still training." + note,
                 _markdown_table(("mode", "pretext acc (held out)", "pretext acc (full)", "Bayes acc A|X",
                                  "probe acc"), rows),
                 numbers={f"{m}/{lam}": s for (m, lam), s in results.items()})


def claim_base_augmentation(run: Runner) -> Claim:
    results = {b: run("shortcut", "rot4", base_aug=b)["summary"] for b in ("none", "crop-flip", "simclr")}
    pre = [results[b]["pretext_acc"]["mean"] for b in results]
    probe = [results[b]["probe_acc"]["mean"] for b in results]
    ok = pre[0] >= pre[1] >= pre[2] and probe[0] <= probe[1] <= probe[2]
    rows = [(b, _ms(s, "pretext_acc"), _ms(s, "bayes_acc_A_given_X"), _ms(s, "probe_acc"),
             _ms(s, "probe_acc_random_init")) for b, s in results.items()]
    partly = pre[0] >= pre[2] and probe[0] <= probe[2]
    note, separated = _noise([(f"probe, {b} vs none", results[b], results["none"]) for b in ("crop-flip", "simclr")],
                             "probe_acc")
    return Claim("base_aug", "Stronger base augmentation prunes shortcuts",
                 "Base augmentations none -> crop+flip -> SimCLR-style: pretext accuracy falls, linear-probe "
                 "accuracy rises (Principle III).",
                 _qualified("reproduced" if ok else ("partly reproduced" if partly else "not reproduced"), separated),
                 "On the shortcut world (a lit corner moves with A): pretext accuracy "
                 + " -> ".join(f"{p:.3f}" for p in pre) + "; probe accuracy " + " -> ".join(f"{p:.3f}" for p in probe)
                 + "." + note, _markdown_table(("base augmentation", "pretext acc (held out)", "Bayes acc A|X", "probe acc",
                                         "probe acc, random init"), rows), numbers=results)


def claim_equivariant_model(run: Runner) -> Claim:
    from synthetic.matched_encoders import matched_pair

    from synthetic import presets
    from synthetic.training import TrainConfig

    results = {m: run("natural", "rot4", model=m)["summary"] for m in ("cnn", "c4cnn")}
    defaults = TrainConfig()
    pair = matched_pair(presets.get("natural").image_shape[0], defaults.feature_dim, cnn_width=defaults.width)
    ok = results["c4cnn"]["probe_acc"]["mean"] > results["cnn"]["probe_acc"]["mean"]
    note, separated = _noise([("C4 CNN vs CNN", results["c4cnn"], results["cnn"])], "probe_acc")
    rows = [(m, p, _ms(s, "pretext_acc"), _ms(s, "probe_acc"), _ms(s, "probe_acc_random_init"))
            for (m, s), p in zip(results.items(), (pair.cnn_parameters, pair.c4_parameters))]
    return Claim("equivariant_model", "An equivariant encoder helps rotation prediction",
                 "A C4-equivariant ResNet-18 beats a plain ResNet-18 on rotation prediction (their comparison "
                 "confounded 512 vs 4096 features).",
                 _qualified("reproduced" if ok else "not reproduced", separated),
                 f"Matched feature size ({defaults.feature_dim}) and parameter count ({pair.cnn_parameters:,} vs {pair.c4_parameters:,}): "
                 f"probe accuracy CNN {results['cnn']['probe_acc']['mean']:.3f}, C4 CNN "
                 f"{results['c4cnn']['probe_acc']['mean']:.3f}." + note,
                 _markdown_table(("encoder", "parameters", "pretext acc (held out)", "probe acc",
                                  "probe acc, random init"), rows), numbers=results)


def claim_fine_and_multivariate_trained(run: Runner) -> Claim:
    results = {t: run("natural", t)["summary"] for t in ("rot2", "rot4", "d4", "vflip", "rot4*vflip")}
    probe = {t: s["probe_acc"]["mean"] for t, s in results.items()}
    fine_ok = probe["d4"] >= probe["rot4"] >= probe["rot2"]
    multi_ok = probe["rot4*vflip"] >= max(probe["rot4"], probe["vflip"])
    rows = [(t, _ms(s, "pretext_acc"), _ms(s, "probe_acc"), _ms(s, "probe_acc_random_init")) for t, s in results.items()]
    verdict = "reproduced" if fine_ok and multi_ok else ("partly reproduced" if fine_ok or multi_ok else "not reproduced")
    note, separated = _noise([("d4 vs rot4", results["d4"], results["rot4"]),
                              ("rot4 vs rot2", results["rot4"], results["rot2"]),
                              ("rot4*vflip vs rot4", results["rot4*vflip"], results["rot4"])], "probe_acc")
    return Claim("fine_multi_trained", "Finer and joint augmentations as pretext tasks (trained)",
                 "Finer-grained (rot2 < rot4 < D4) and multivariate (rot4 and vflip jointly) prediction learn at "
                 "least as good class features (T2, T3).", _qualified(verdict, separated),
                 "Probe accuracy: " + ", ".join(f"{t} {p:.3f}" for t, p in probe.items()) + "." + note,
                 _markdown_table(("A", "pretext acc (held out)", "probe acc", "probe acc, random init"), rows),
                 numbers=results)


def claim_information_plane(run: Runner, out: Path) -> Claim:
    result = run("natural", "rot4", model="bottleneck", n_codes=16)
    runs = result["runs"]
    residual = max(abs(r["t1_residual"]) for r in runs)
    figure = out / "information_plane.png"
    _plane_figure(figure, runs)
    first, last = runs[0]["information_plane"][0], runs[0]["information_plane"][-1]
    s = result["summary"]
    rises = [r["information_plane"][-1]["I_C_Z"] > r["information_plane"][0]["I_C_Z"] + 0.05 for r in runs]
    return Claim("information_plane", "Information plane of a learned categorical code",
                 "Learning to predict A raises I(A;Z) and, through explaining away, I(C;Z).",
                 "reproduced" if all(rises) else "partly reproduced" if any(rises) else "not reproduced",
                 f"Seed {runs[0]['seed']}: (I(A;Z), I(C;Z)) from ({first['I_A_Z']:.3f}, {first['I_C_Z']:.3f}) at "
                 f"initialisation to ({last['I_A_Z']:.3f}, {last['I_C_Z']:.3f}) bits; over seeds I(A;Z) = "
                 f"{_ms(s, 'I_A_Z')}, I(C;Z) = {_ms(s, 'I_C_Z')}, I(A;C|Z) = {_ms(s, 'I_A_C_given_Z')}; the largest "
                 "I(C;Z) along each trajectory: "
                 + ", ".join(f"{max(p['I_C_Z'] for p in r['information_plane']):.3f}" for r in runs)
                 + f" bits. T1 holds on every learned code (largest residual {residual:.1e} bits).",
                 "", str(figure.name), numbers=s)


# ---------------------------------------------------------------- figures and report


def _bar_figure(path: Path, labels, trained, random_init, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(x - 0.2, [t["mean"] for t in trained], 0.4, yerr=[t["std"] for t in trained], label="after pretext")
    ax.bar(x + 0.2, [r["mean"] for r in random_init], 0.4, yerr=[r["std"] for r in random_init],
           label="random init")
    ax.set_xticks(x, labels)
    ax.set_ylabel("probe accuracy (held out)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _plane_figure(path: Path, runs: Sequence[dict]) -> None:
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


def write_report(claims: Sequence[Claim], out: Path, budget: Budget, seconds: float) -> Path:
    lines = ["# essl-testbed reproduction report", "",
             f"Seeds {', '.join(map(str, budget.seeds))}; {budget.steps} optimiser steps of batch {budget.batch_size} "
             f"per training run; {seconds / 60:.1f} minutes. Theorems are as formalized in this project. Training "
             "numbers are mean ± standard deviation over the seeds; accuracies 'held out' are on styles unseen in "
             "training, 'full' on the world's exact distribution.", "", "| claim | verdict |", "|---|---|"]
    lines += [f"| {c.title} | {c.verdict} |" for c in claims]
    for c in claims:
        lines += ["", f"## {c.title}", "", f"**Paper:** {c.paper}", "", f"**Verdict: {c.verdict}.** {c.finding}", ""]
        if c.table:
            lines += [c.table, ""]
        if c.figure:
            lines += [f"![{c.title}]({c.figure})", ""]
    path = out / "report.md"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)
    atomic_write_json(out / "results.json", {c.key: {"title": c.title, "verdict": c.verdict, "finding": c.finding,
                                                    "numbers": c.numbers} for c in claims})
    return path


CLAIMS: dict[str, Callable[[Runner, Path], Claim]] = {
    "proofs": lambda run, out: claim_proofs(),
    "seven_exact": lambda run, out: claim_seven_exact(),
    "explaining_away": lambda run, out: claim_explaining_away_regime(),
    "fine_multi_exact": lambda run, out: claim_fine_and_multivariate_exact(),
    "seven_trained_natural": lambda run, out: claim_seven_trained(run, "natural", out),
    "seven_trained_digits": lambda run, out: claim_seven_trained(run, "digits", out),
    "modes": lambda run, out: claim_modes(run),
    "base_aug": lambda run, out: claim_base_augmentation(run),
    "equivariant_model": lambda run, out: claim_equivariant_model(run),
    "fine_multi_trained": lambda run, out: claim_fine_and_multivariate_trained(run),
    "information_plane": claim_information_plane,
}
"""Claim key -> how to make it; ``reproduce(only=...)`` selects by key prefix."""


class UnknownClaim(ValueError):
    """A claim key (prefix) that matches no claim."""


def reproduce(out: str | Path, budget: Budget = Budget(), device: str = "cpu",
              only: Sequence[str] | None = None, log: Callable[[str], None] = print) -> list[Claim]:
    """Run every claim (or those whose key starts with one of ``only``) and write the report."""
    unknown = [o for o in only or () if not any(key.startswith(o) for key in CLAIMS)]
    if unknown:
        raise UnknownClaim(f"no claim matches {unknown}; claims: {', '.join(CLAIMS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    run = Runner(budget, out / "cache", device, log)
    t0 = time.perf_counter()
    claims = []
    for key, make in CLAIMS.items():
        if only and not any(key.startswith(o) for o in only):
            continue
        log(f"[{len(claims) + 1}] {key}")
        claims.append(make(run, out))
        log(f"    verdict: {claims[-1].verdict}")
        write_report(claims, out, budget, time.perf_counter() - t0)
    return claims
