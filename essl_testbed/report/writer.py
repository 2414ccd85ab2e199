"""What the report shows of each claim: its markdown section (declaration before numbers for a
trained claim), its summary row (primary contrast, predicted direction, paired difference with
its interval, verdict, certificates, sensitivity counts) and its ``results.json`` entry, as
one record per claim (:func:`claim_record`); :mod:`essl_testbed.report.folder` stores the
records and assembles ``report.md`` from them: runs and protocol, the summary table, the
tests of the theory, then the engine and construction checks, whose outcome was known when
the world was built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

from ..experiments.tables import markdown_table
from .claims import Claim
from .statistics import ALPHA, RESAMPLES, Contrast, paired_contrast

__all__ = ["PROTOCOL", "SUMMARY_HEADER", "claim_record", "profile_text"]


def _p(value: float) -> str:
    """A bootstrap p-value: resolution 1/RESAMPLES, so 0 means below it."""
    return f"< {1 / RESAMPLES:g}" if value == 0 else f"{value:.3g}"


def _sensitivity(c: Claim) -> str:
    if not c.sensitivity:
        return "not run"
    counts = Counter(s["verdict"] for s in c.sensitivity.values())
    return ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))


def _difference(c: Claim) -> str:
    return c.result.describe() if c.result is not None else f"fewer than 2 seeds (n = {len(c.finding.primary)})"


def _converged(c: Claim) -> str:
    assert c.spec.contrast is not None
    if not c.finding.arms:
        return "no certificate"
    eps = c.spec.contrast.converged_bits
    return f"{sum(a.converged(eps) for a in c.finding.arms)}/{len(c.finding.arms)}"


def _trained_section(c: Claim) -> list[str]:
    contrast, f = c.spec.contrast, c.finding
    assert contrast is not None
    lines = [
        f"## {c.title}",
        "",
        f"**Paper:** {c.spec.paper}",
        "",
        f"**Declared before the run:** primary contrast *{contrast.name}*, predicted {contrast.prediction()}; an "
        f"arm counts as converged within ε = {contrast.converged_bits:g} bits of its exact optimum. {contrast.reason}",
        "",
        f"**Verdict: {c.verdict}.** Paired difference {_difference(c)}, Holm-adjusted p = {_p(c.p_adjusted)}; "
        "per seed: " + ", ".join(f"{s}: {d:+.3f}" for s, d in f.primary.items()) + f". {f.text}",
        "",
    ]
    if f.arms:
        lines += [
            "Convergence of the primary's arms (training styles; an arm that did not converge can neither lose "
            "nor win the verdict):",
            "",
            markdown_table(
                ("arm", "gap, mean ± std", "converged"),
                [(a.arm, a.describe(), "yes" if a.converged(contrast.converged_bits) else "**no**") for a in f.arms],
            ),
            "",
        ]
    if c.studies:
        lines += _studies(c.studies)
    if f.secondary:
        rows = []
        for name, diffs in f.secondary.items():
            if len(diffs) >= 2:
                rows.append((name, paired_contrast(Contrast(name, contrast.unit), diffs).describe()))
        lines += [
            "Secondary contrasts (reported, not voted; unadjusted intervals):",
            "",
            markdown_table(("contrast", "paired difference [95% CI]"), rows),
            "",
        ]
    if c.sensitivity:
        rows = [
            (name, s["verdict"], s["difference"], _p(s["p_adjusted"]), f"{s['dead_runs']}/{s['runs']}")
            for name, s in c.sensitivity.items()
        ]
        lines += [
            "Sensitivity (each setting varied alone):",
            "",
            markdown_table(("setting", "verdict", "paired difference [95% CI]", "Holm p", "dead runs"), rows),
            "",
        ]
    return lines + _table_and_figure(c)


def _studies(studies: dict[str, dict]) -> list[str]:
    """Each tuned arm's chosen setting, its validation score, the best-so-far curve and the
    knobs chosen on the edge of their range."""
    rows = []
    for study in studies.values():
        setting = ", ".join(f"{k} {v:.3g}" for k, v in study["best"].items())
        curve = " ".join(f"{v:.3f}" for v in study["curve"])
        edge = ", ".join(study["on_edge"]) or "none"
        rows.append((study["label"], setting, f"{study['best_score']:.4f}", len(study["trials"]), curve, edge))
    return [
        "Tuning (the same trials and ranges for every arm, on a validation part of the training styles of the "
        "tuning seeds; the verdict's seeds rerun each arm at its chosen setting):",
        "",
        markdown_table(
            ("arm", "chosen", "validation score (bits)", "trials", "best so far, by trial", "on the edge"), rows
        ),
        "",
    ]


def _table_and_figure(c: Claim) -> list[str]:
    lines = [c.finding.table, ""] if c.finding.table else []
    return lines + ([f"![{c.title}]({c.finding.figure})", ""] if c.finding.figure else [])


def _exact_section(c: Claim) -> list[str]:
    f = c.finding
    lines = [
        f"## {c.title}",
        "",
        f"**Paper:** {c.spec.paper}",
        "",
        f"**{c.spec.kind.capitalize()} check: {c.verdict}.** {f.text}",
        "",
    ]
    return lines + _table_and_figure(c)


def profile_text(header: dict, seconds: float) -> str:
    """One reproduction's budget in a sentence: seeds, minutes, tuning or the fixed recipe,
    sensitivity settings."""
    budget = header["budget"]
    return (
        f"Seeds {', '.join(map(str, budget.seeds))}; {seconds / 60:.1f} minutes of wall time (cached runs are read, not retrained). "
        + (
            f"Every arm tuned first ({budget.tuning.describe()}, and each objective's own knobs), then trained at "
            f"its chosen setting with batch {budget.batch_size}; the supervised ceilings at {budget.steps} steps, "
            f"learning rate {budget.lr:g}. "
            if budget.tuning is not None
            else f"{budget.steps} optimiser steps of batch {budget.batch_size} and learning rate {budget.lr:g} for "
            "every training run, untuned. "
        )
        + (
            "Sensitivity settings: "
            + "; ".join(b.describe() + f" ({len(b.seeds)} seeds)" for b in budget.sensitivity())
            + "."
            if header["sensitivity"]
            else "No sensitivity settings in this profile."
        )
    )


PROTOCOL = (
    "Every probe reads unaugmented images of styles held out from all training (colour × stroke "
    "combinations no transformation moves), the same set for every task of a world at a seed; its "
    "regularisation is chosen on a validation part of the training styles. Each trained claim's verdict comes "
    f"from its primary contrast, declared in code before the run: per-seed paired differences, a "
    f"percentile-bootstrap 95% interval of their mean ({RESAMPLES:,} resamples; shown unadjusted) and bootstrap "
    f"p-values Holm-adjusted over every trained claim's primary contrast (α = {ALPHA}; a claim measured in "
    "another run counts with p = 1, which only makes the adjustment stricter). *supported*: the "
    "adjusted p is below α in the predicted direction (for a prediction of no effect: the adjusted equivalence "
    "p-value of two one-sided tests against the declared margin is below α, i.e. unadjusted, the 90% interval lies "
    "inside the margin); *contradicted*: below α in the other direction (or an effect beyond the margin); "
    "*inconclusive* otherwise; *inconclusive (arm not converged)* when an arm of the primary ended further "
    "than the declared ε above the exact optimum of its own training styles (or, without one, had not "
    "plateaued). With few seeds a percentile interval is too narrow: read quick-profile verdicts "
    "as indicative."
)
"""How every trained verdict is reached: the report states it once, above its summary."""

SUMMARY_HEADER = (
    "claim",
    "primary contrast",
    "predicted",
    "paired difference [95% CI]",
    "Holm p",
    "verdict",
    "arms converged",
    "sensitivity",
    "dead runs",
)


def _summary_row(c: Claim) -> list[str] | None:
    if c.spec.contrast is None:
        return None
    return [
        c.title,
        c.spec.contrast.name,
        c.spec.contrast.prediction(),
        _difference(c),
        _p(c.p_adjusted),
        f"**{c.verdict}**",
        _converged(c),
        _sensitivity(c),
        f"{c.dead_runs[0]}/{c.dead_runs[1]}",
    ]


def _entry(c: Claim) -> dict:
    """The claim's entry of ``results.json``."""
    entry = {
        "title": c.title,
        "kind": c.spec.kind,
        "verdict": c.verdict.value,
        "finding": c.finding.text,
        "numbers": c.finding.numbers,
    }
    if c.spec.contrast is not None:
        entry["primary"] = {
            "contrast": c.spec.contrast.name,
            "predicted": c.spec.contrast.prediction(),
            "per_seed": c.finding.primary,
            "p_adjusted": c.p_adjusted,
            "converged_bits": c.spec.contrast.converged_bits,
        }
        if c.result is not None:
            entry["primary"] |= {"mean": c.result.mean, "interval": [c.result.low, c.result.high], "p": c.result.p}
        entry["arms"] = [asdict(a) for a in c.finding.arms]
        entry["tuning"] = c.studies
        entry["secondary"] = c.finding.secondary
        entry["sensitivity"] = c.sensitivity
        entry["dead_runs"] = list(c.dead_runs)
    return entry


def claim_record(c: Claim, run: dict, rows: Sequence[dict] = ()) -> dict:
    """Everything the report shows of one claim, as stored in ``claims/<key>.json`` of a report
    folder (:mod:`essl_testbed.report.folder`): its ``results.json`` entry, its markdown
    section, its summary row (trained claims), the ``run`` it came from (provenance, profile,
    minutes) and the sweep-style ``rows`` of every training run it read."""
    section = _trained_section(c) if c.spec.trained else _exact_section(c)
    return {
        "key": c.key,
        "kind": c.spec.kind,
        "entry": _entry(c),
        "section": "\n".join(section),
        "summary": _summary_row(c),
        "run": run,
        "rows": list(rows),
    }
