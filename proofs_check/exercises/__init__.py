"""A short course on explaining away: exercises a student fills in and checks automatically.

Each exercise is a percent-format script (``# %%`` cells; opens as a notebook in Jupyter or
VS Code, converts with jupytext) shipped in ``notebooks/``, with cells to fill in that raise
``NotImplementedError`` until filled, and a ``check(task, answer)`` after each task.

======================================  ==========================================================
module                                  holds
======================================  ==========================================================
``proofs_check.exercises.catalogue``    the exercises: titles, goals, minutes, files
``proofs_check.exercises.cells``        percent-format cells: parse, fill in solutions, write
``proofs_check.exercises.checking``     ``check``/``grade``, the judges' registry, running cells
``proofs_check.exercises.marking``      marking a student's file, task by task
``proofs_check.exercises.otter``        the course as otter-grader master notebooks
``proofs_check.exercises.judges``       one module of checkers per exercise
======================================  ==========================================================

>>> [e.number for e in EXERCISES]
[1, 2, 3, 4, 5, 6, 7, 8]
"""

from .catalogue import EXERCISES, Exercise, UnknownExercise, exercise
from .checking import Verdict, Wrong, check, grade
from .marking import Marks, mark_file

__all__ = [
    "EXERCISES",
    "Exercise",
    "Marks",
    "UnknownExercise",
    "Verdict",
    "Wrong",
    "check",
    "exercise",
    "grade",
    "mark_file",
]
