"""Mark a student's file: run it cell by cell and give every task of its exercise a verdict.

>>> from essl_testbed.course.catalogue import exercise
>>> marks = mark_file(exercise(1).path)    # the blank student file
>>> marks.passed, marks.total, marks.verdicts[0].status
(0, 4, 'not attempted')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import EXERCISES, Exercise, UnknownExercise
from .cells import Cell, read
from .checking import CellError, Mark, run_cells, tasks_of

__all__ = ["Marks", "exercise_of", "mark_cells", "mark_file"]

_TITLE = re.compile(r"^#\s*Exercise\s+(\d+)\b", re.MULTILINE)


def exercise_of(cells: list[Cell], source: str = "the file") -> Exercise:
    """The exercise a file belongs to, from its first heading ``# Exercise N: ...``."""
    for cell in cells:
        if cell.kind == "markdown":
            match = _TITLE.search(cell.source)
            if match:
                for ex in EXERCISES:
                    if ex.number == int(match.group(1)):
                        return ex
                break
    raise UnknownExercise(f"{source} has no heading '# Exercise N: ...' naming an exercise of the course")


@dataclass(frozen=True)
class Marks:
    """Every task's verdict (``not checked`` when its check never ran) and the cells that raised."""

    exercise: Exercise
    verdicts: tuple[Mark, ...]
    errors: tuple[CellError, ...]

    @property
    def passed(self) -> int:
        return sum(v.passed for v in self.verdicts)

    @property
    def total(self) -> int:
        return len(self.verdicts)

    def as_dict(self) -> dict:
        return {
            "exercise": self.exercise.number,
            "title": self.exercise.title,
            "passed": self.passed,
            "total": self.total,
            "tasks": [{"task": v.task, "status": v.status, "message": v.message} for v in self.verdicts],
            "cell_errors": [{"cell": e.index, "error": e.error} for e in self.errors],
        }

    def __str__(self) -> str:
        lines = [f"Exercise {self.exercise.number}: {self.exercise.title}"]
        lines += [f"  {v.task:<5} {v.status:<14} {v.message}" for v in self.verdicts]
        lines += [f"  cell {e.index} raised {e.error}" for e in self.errors]
        lines.append(f"{self.passed}/{self.total} tasks passed")
        return "\n".join(lines)


def mark_cells(cells: list[Cell], source: str = "the file", tasks_only: bool = False) -> Marks:
    """Run ``cells`` and mark every task of their exercise. ``tasks_only`` stops after the
    last task's check (the cells after it, such as an exercise's training runs, are skipped)."""
    ex = exercise_of(cells, source)
    run = run_cells(cells, name=source, until=tasks_of(ex.number)[-1] if tasks_only else None)
    latest = run.latest()
    verdicts = tuple(
        latest.get(task, Mark(task, "not checked", "no check of this task ran")) for task in tasks_of(ex.number)
    )
    return Marks(ex, verdicts, run.errors)


def mark_file(path: str | Path, tasks_only: bool = False) -> Marks:
    """Run a student's ``.py`` (percent format) or ``.ipynb`` file and mark it."""
    return mark_cells(read(path), str(path), tasks_only)
