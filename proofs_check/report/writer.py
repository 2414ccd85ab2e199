"""The report's markdown: tables, number formatting, and ``report.md`` + ``results.json``.

>>> print(markdown_table(("A", "I(A;C|X)"), [("rot4", 0.08812)]))
| A | I(A;C\\|X) |
|---|---|
| rot4 | 0.0881 |
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..experiments.budget import Budget
from ..experiments.cache import atomic_write_json, atomic_write_text
from .claims import Claim

__all__ = ["markdown_table", "mean_std", "write_report"]


def _fmt(mean: float, std: float) -> str:
    return f"{mean:.3f} ± {std:.3f}"


def mean_std(summary: dict, key: str) -> str:
    """``"mean ± std"`` of ``summary[key]``, or ``"n/a"``."""
    return _fmt(summary[key]["mean"], summary[key]["std"]) if key in summary else "n/a"


def _cell(value: object) -> str:
    if isinstance(value, float):
        value = f"{0.0 if abs(value) < 5e-5 else value:.4f}"
    return str(value).replace("|", "\\|")  # a bar inside I(A;C|X) would split the cell


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(claims: Sequence[Claim], out: Path, budget: Budget, seconds: float) -> Path:
    """Write ``out/report.md`` and ``out/results.json`` atomically; returns the report's path."""
    lines = [
        "# essl-testbed reproduction report",
        "",
        f"Seeds {', '.join(map(str, budget.seeds))}; {budget.steps} optimiser steps of batch {budget.batch_size} "
        f"per training run; {seconds / 60:.1f} minutes. Theorems are as formalized in this project. Training "
        "numbers are mean ± standard deviation over the seeds; accuracies 'held out' are on styles unseen in "
        "training, 'full' on the world's exact distribution.",
        "",
        "| claim | verdict |",
        "|---|---|",
    ]
    lines += [f"| {c.title} | {c.verdict} |" for c in claims]
    for c in claims:
        f = c.finding
        lines += ["", f"## {c.title}", "", f"**Paper:** {c.spec.paper}", "", f"**Verdict: {f.verdict}.** {f.text}", ""]
        if f.table:
            lines += [f.table, ""]
        if f.figure:
            lines += [f"![{c.title}]({f.figure})", ""]
    path = out / "report.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    atomic_write_json(
        out / "results.json",
        {
            c.key: {
                "title": c.title,
                "verdict": c.verdict.value,
                "finding": c.finding.text,
                "numbers": c.finding.numbers,
            }
            for c in claims
        },
    )
    return path
