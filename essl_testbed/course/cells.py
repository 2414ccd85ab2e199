"""Percent-format cells (``# %%``, as jupytext writes them): parse, fill in, write, run.

A student file marks each cell to fill in with ``# %% answer="1.2"``; a solutions file holds
cells ``# %% solution="1.2"`` only. :func:`fill` puts solutions in place of answers (all of
them, or all but the ones named), so a course keeps solutions apart from the student files
and joins them where an autograder wants one master notebook.

>>> student = parse('# %% [markdown]\\n# Task\\n\\n# %% answer="1.1"\\nx = ...\\n')
>>> [(c.kind, c.meta) for c in student]
[('markdown', {}), ('code', {'answer': '1.1'})]
>>> filled = fill(student, parse('# %% solution="1.1"\\nx = 2\\n'))
>>> print(unparse(filled), end="")
# %% [markdown]
# Task
<BLANKLINE>
# %% answer="1.1"
x = 2
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import TestbedError

__all__ = ["Cell", "CellFormatError", "fill", "parse", "read", "unparse"]

_HEADER = re.compile(r"^# %%(?P<rest>.*)$")
_KIND = re.compile(r"\[(?P<kind>markdown|md|raw)\]")
_META = re.compile(r'(?P<key>\w+)="(?P<value>[^"]*)"')


class CellFormatError(TestbedError):
    """A file that is not a percent-format script or a notebook, or answer/solution cells that do not match."""


@dataclass(frozen=True)
class Cell:
    """One cell: ``kind`` is "code", "markdown" or "raw"; ``source`` is the text as the
    student sees it (markdown without its ``# `` comment prefix); ``meta`` the header's keys."""

    kind: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def answer(self) -> str | None:
        """The task id this cell answers, if it is a cell to fill in."""
        return self.meta.get("answer")


def _uncomment(lines: Sequence[str]) -> str:
    return "\n".join(
        line[2:] if line.startswith("# ") else line[1:] if line.startswith("#") else line for line in lines
    )


def parse(text: str) -> list[Cell]:
    """The cells of a percent-format script (text before the first ``# %%`` is dropped)."""
    cells: list[Cell] = []
    header: re.Match[str] | None = None
    body: list[str] = []

    def close() -> None:
        if header is None:
            return
        rest = header.group("rest")
        kind_match = _KIND.search(rest)
        kind = {"md": "markdown"}.get(kind_match.group("kind"), kind_match.group("kind")) if kind_match else "code"
        meta = {m.group("key"): m.group("value") for m in _META.finditer(rest)}
        while body and not body[-1].strip():
            body.pop()
        source = _uncomment(body) if kind == "markdown" else "\n".join(body)
        cells.append(Cell(kind, source, meta))

    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            close()
            header, body = match, []
        elif header is not None:
            body.append(line)
    close()
    if not cells:
        raise CellFormatError("no '# %%' cells found: not a percent-format exercise")
    return cells


def _notebook_cells(text: str, source: str) -> list[Cell]:
    try:
        nb = json.loads(text)
        raw = nb["cells"]
    except (ValueError, KeyError, TypeError) as err:
        raise CellFormatError(f"{source} is not a Jupyter notebook ({err})") from None
    cells = []
    for c in raw:
        text = "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
        meta = {k: str(v) for k, v in c.get("metadata", {}).items() if isinstance(v, (str, int, float))}
        cells.append(Cell(c.get("cell_type", "code"), text, meta))
    return cells


def read(path: str | Path) -> list[Cell]:
    """The cells of a percent-format script (``.py``) or a Jupyter notebook (``.ipynb``)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return _notebook_cells(text, str(path)) if path.suffix == ".ipynb" else parse(text)


def _header(cell: Cell) -> str:
    parts = ["# %%"]
    if cell.kind != "code":
        parts.append(f"[{cell.kind}]")
    parts += [f'{k}="{v}"' for k, v in cell.meta.items()]
    return " ".join(parts)


def unparse(cells: Iterable[Cell]) -> str:
    """The percent-format text of ``cells`` (the inverse of :func:`parse`)."""
    chunks = []
    for cell in cells:
        body = cell.source
        if cell.kind == "markdown":
            body = "\n".join(f"# {line}" if line else "#" for line in body.splitlines())
        chunks.append(f"{_header(cell)}\n{body}\n" if body else f"{_header(cell)}\n")
    return "\n".join(chunks)


def fill(student: Sequence[Cell], solutions: Sequence[Cell], blank: Iterable[str] = ()) -> list[Cell]:
    """``student`` with each answer cell replaced by its solution, except the tasks in ``blank``.

    Every answer cell needs exactly one solution and every solution an answer cell:
    a mismatch raises :class:`CellFormatError` naming the task.
    """
    by_task: dict[str, Cell] = {}
    for cell in solutions:
        task = cell.meta.get("solution")
        if task is None:
            continue
        if task in by_task:
            raise CellFormatError(f"two solutions for task {task}")
        by_task[task] = cell
    answers = [c.answer for c in student if c.answer is not None]
    missing = [t for t in answers if t not in by_task]
    extra = [t for t in by_task if t not in answers]
    if missing or extra:
        raise CellFormatError(f"answer cells without a solution: {missing}; solutions without an answer cell: {extra}")
    keep = set(blank)
    unknown = keep - set(answers)
    if unknown:
        raise CellFormatError(f"no answer cell for task(s) {sorted(unknown)}")
    return [
        replace(cell, source=by_task[cell.answer].source)
        if cell.answer is not None and cell.answer not in keep
        else cell
        for cell in student
    ]
