"""The course as notebooks: a student's ``.ipynb``, and otter-grader master notebooks.

:func:`to_notebook` writes cells as a Jupyter notebook (nbformat 4, plain JSON: no
dependency). :func:`otter_master` joins an exercise's student cells and solutions into the
master notebook that ``otter assign`` turns into a student version and an autograder: each
answer cell becomes a question with a prompt (the student's blank), a solution, and a test
(``grade(task, answer).passed`` must be True), so ``otter run`` marks a filled-in notebook
task by task with the course's own checkers.

>>> from essl_testbed.course.cells import parse
>>> cells = parse('# %% [markdown]\\n# # Exercise 1: X\\n# %% answer="1.1"\\ndef f():\\n    raise NotImplementedError\\n')
>>> master = otter_master(cells, parse('# %% solution="1.1"\\ndef f():\\n    return 1\\n'), "e01")
>>> [c["source"].splitlines()[0] for c in master["cells"] if c["cell_type"] == "raw"][:3]
['# ASSIGNMENT CONFIG', '# BEGIN QUESTION', '# BEGIN PROMPT']
"""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from pathlib import Path

from .cells import Cell, CellFormatError

__all__ = ["otter_master", "to_notebook", "write_notebook"]

_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _cell(kind: str, source: str, meta: dict | None = None, outputs: list | None = None) -> dict:
    cell: dict = {"cell_type": kind, "metadata": dict(meta or {}), "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=outputs or [])
    return cell


def to_notebook(cells: Sequence[Cell]) -> dict:
    """A Jupyter notebook (nbformat 4.5 JSON) with ``cells``; answer ids stay in cell metadata."""
    return {
        "cells": [_cell(c.kind, c.source, c.meta) for c in cells],
        "metadata": {"kernelspec": _KERNEL, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(notebook: dict, path: str | Path) -> Path:
    """Write a notebook dict as ``.ipynb`` (ids added, as nbformat 4.5 asks)."""
    path = Path(path)
    for i, cell in enumerate(notebook["cells"]):
        cell.setdefault("id", f"cell-{i}")
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    return path


def _answer_name(cell: Cell) -> str:
    """The name an answer cell defines (the function the student fills in)."""
    for node in ast.parse(cell.source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return node.name
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    raise CellFormatError(f"answer cell of task {cell.answer} defines no function or name to check")


def _raw(text: str) -> dict:
    return _cell("raw", text)


def otter_master(student: Sequence[Cell], solutions: Sequence[Cell], name: str) -> dict:
    """The otter-grader master notebook of one exercise (one question per answer cell)."""
    by_task = {c.meta["solution"]: c for c in solutions if "solution" in c.meta}
    config = f"# ASSIGNMENT CONFIG\nname: {name}\ninit_cell: true\nexport_cell: false\ncheck_all_cell: false\n"
    cells = [_raw(config)]
    for cell in student:
        task = cell.answer
        if task is None:
            cells.append(_cell(cell.kind, cell.source))
            continue
        if task not in by_task:
            raise CellFormatError(f"no solution for task {task}")
        question = f"task_{task.replace('.', '_')}"
        test = f"from essl_testbed.course import grade\ngrade({task!r}, {_answer_name(cell)}).passed"
        passed = [
            {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "True"}}
        ]
        cells += [
            _raw(f"# BEGIN QUESTION\nname: {question}\npoints: 1"),
            _raw("# BEGIN PROMPT"),
            _cell("code", cell.source),
            _raw("# END PROMPT"),
            _raw("# BEGIN SOLUTION"),
            _cell("code", f"# BEGIN SOLUTION NO PROMPT\n{by_task[task].source}\n# END SOLUTION"),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            _cell("code", test, outputs=passed),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    return {**to_notebook([]), "cells": cells}
