"""Checkers: ``check("1.2", answer)`` compares a student's answer with the exact reference
and says what is wrong, never what is right.

Each exercise's module in :mod:`essl_testbed.course.judges` registers one judge per task
with :func:`judge`. A judge calls the student's answer (a function to fill in), compares it
with a reference that the library computes, and raises :class:`Wrong` with a diagnosis (a
sign, a missing term, a wrong conditioning set, a table that does not sum to 1); its return
value is the message of a pass. :func:`grade` turns that into a :class:`Mark`;
:func:`run_cells` executes a student file cell by cell, as a notebook's "run all" does, and
collects the verdicts.

>>> @judge("0.1")
... def _double(answer):
...     if answer(2) == -4:
...         raise Wrong("the sign is wrong")
...     if answer(2) != 4:
...         raise Wrong("not twice the input")
...     return "twice the input on 2"
>>> print(grade("0.1", lambda x: -2 * x))
✗ task 0.1: the sign is wrong
>>> def blank(x):
...     raise NotImplementedError
>>> grade("0.1", blank).status
'not attempted'
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import TestbedError
from .catalogue import Exercise, exercise
from .cells import Cell

__all__ = ["CellError", "Run", "Mark", "Wrong", "check", "grade", "judge", "run_cells", "tasks_of"]


class Wrong(Exception):
    """Raised by a judge: the answer is wrong; the message says how, without the solution."""


class UnknownTask(TestbedError):
    """A task id that no judge is registered for."""


STATUSES = ("passed", "failed", "not attempted", "error", "not checked")


@dataclass(frozen=True)
class Mark:
    """A task's mark: ``status`` is one of :data:`STATUSES`."""

    task: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __str__(self) -> str:
        return f"{'✓' if self.passed else '✗'} task {self.task}: {self.message}"


_JUDGES: dict[str, Callable[[Any], str]] = {}


def judge(task: str) -> Callable[[Callable[[Any], str]], Callable[[Any], str]]:
    """Register ``fn(answer) -> pass message`` (raising :class:`Wrong`) as the judge of ``task``."""

    def register(fn: Callable[[Any], str]) -> Callable[[Any], str]:
        _JUDGES[task] = fn
        return fn

    return register


def _load(ex: Exercise) -> None:
    importlib.import_module(ex.judges)


def tasks_of(number: int | str) -> list[str]:
    """The task ids of an exercise, in the order its judges are declared."""
    ex = exercise(number)
    _load(ex)
    return [t for t in _JUDGES if t.split(".")[0] == str(ex.number)]


def grade(task: str, answer: Any) -> Mark:
    """The verdict on ``answer`` for ``task`` (the judge's module is imported on first use)."""
    if task not in _JUDGES:
        with contextlib.suppress(TestbedError):
            _load(exercise(task.split(".")[0]))
    if task not in _JUDGES:
        raise UnknownTask(f"no checker for task {task!r}")
    try:
        message = _JUDGES[task](answer)
    except Wrong as wrong:
        return Mark(task, "failed", str(wrong))
    except NotImplementedError:
        return Mark(task, "not attempted", "the answer still raises NotImplementedError: fill it in")
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # the student's code failed inside the judge's call (pytest.fail included)
        return Mark(task, "error", f"calling your answer raised {type(err).__name__}: {err}")
    return Mark(task, "passed", message)


_RECORDS: list[list[Mark]] = []


def check(task: str, answer: Any) -> None:
    """Grade ``answer`` for ``task`` and print the verdict (in a notebook, after each task)."""
    verdict = grade(task, answer)
    print(verdict)
    if _RECORDS:
        _RECORDS[-1].append(verdict)


@contextlib.contextmanager
def _recording() -> Iterator[list[Mark]]:
    _RECORDS.append([])
    try:
        yield _RECORDS[-1]
    finally:
        _RECORDS.pop()


@dataclass(frozen=True)
class CellError:
    """A code cell that raised: its position among the cells and the exception."""

    index: int
    error: str


@dataclass(frozen=True)
class Run:
    """What running a file's cells gave: every verdict in order, the cells that raised, the printed output."""

    verdicts: tuple[Mark, ...]
    errors: tuple[CellError, ...]
    output: str

    def latest(self) -> dict[str, Mark]:
        """The last verdict of each task (a student may check a task twice)."""
        return {v.task: v for v in self.verdicts}


def run_cells(cells: Sequence[Cell], *, until: str | None = None, name: str = "exercise") -> Run:
    """Execute the code cells in one namespace, going on after a cell that raises (as a
    notebook's "run all" with errors allowed would), and collect the verdicts. ``until``
    stops after the first verdict on that task. Figures go to matplotlib's Agg backend."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    errors: list[CellError] = []
    out = io.StringIO()
    with _recording() as verdicts, contextlib.redirect_stdout(out):
        for i, cell in enumerate(cells):
            if cell.kind != "code":
                continue
            try:
                exec(compile(cell.source, f"<{name} cell {i}>", "exec"), namespace)
            except KeyboardInterrupt:
                raise
            except BaseException as err:  # a student's cell may call sys.exit or pytest.fail
                errors.append(CellError(i, f"{type(err).__name__}: {err}"))
            if until is not None and any(v.task == until for v in verdicts):
                break
    return Run(tuple(verdicts), tuple(errors), out.getvalue())
