"""A short course on explaining away: exercises a student fills in and checks automatically.

Each exercise is a percent-format script (``# %%`` cells; opens as a notebook in Jupyter or
VS Code, converts with jupytext) shipped in ``notebooks/``, with cells to fill in that raise
``NotImplementedError`` until filled, and a ``check(task, answer)`` after each task.

======================================  ==========================================================
module                                  holds
======================================  ==========================================================
``essl_testbed.course.catalogue``    the exercises: titles, goals, minutes, files
``essl_testbed.course.cells``        percent-format cells: parse, fill in solutions, write
``essl_testbed.course.checking``     ``check``/``grade``, the judges' registry, running cells
``essl_testbed.course.marking``      marking a student's file, task by task
``essl_testbed.course.otter``        the course as otter-grader master notebooks
``essl_testbed.course.judges``       one module of checkers per exercise
======================================  ==========================================================

>>> [e.number for e in EXERCISES]
[1, 2, 3, 4, 5, 6, 7, 8]
"""

from .catalogue import EXERCISES, Exercise, UnknownExercise, exercise
from .checking import Mark, Wrong, check, grade
from .marking import Marks, mark_file


def __getattr__(name: str) -> object:
    if name == "Verdict":  # the name before 0.5.0, kept until 0.6.0
        import warnings

        warnings.warn("essl_testbed.course.Verdict is now Mark", DeprecationWarning, stacklevel=2)
        return Mark
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EXERCISES",
    "Exercise",
    "Marks",
    "UnknownExercise",
    "Mark",
    "Wrong",
    "check",
    "exercise",
    "grade",
    "mark_file",
]
