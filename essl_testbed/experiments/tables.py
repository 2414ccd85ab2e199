"""Markdown tables and number formatting for run summaries (the report and the forecast).

>>> print(markdown_table(("A", "I(A;C|X)"), [("rot4", 0.08812)]))
| A | I(A;C\\|X) |
|---|---|
| rot4 | 0.0881 |
>>> mean_std({"probe_acc": {"mean": 0.5, "std": 0.01, "n": 3}}, "probe_acc")
'0.500 ± 0.010'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["markdown_table", "mean_std"]


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
