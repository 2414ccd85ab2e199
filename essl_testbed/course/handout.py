"""Hand the course out: copy an exercise for a student, export it for a teacher.

``start`` copies a student file (percent script, or ``.ipynb``) into a folder. ``export``
joins student files with their solutions: ``solved`` percent scripts (a teacher's key) or
``otter`` master notebooks (one per exercise, for ``otter assign``). Solutions are not
installed with the package; they live in the source tree's ``course/solutions``
(:data:`SOURCE_SOLUTIONS`), or wherever a course keeps them.

>>> import tempfile
>>> path = start(1, tempfile.mkdtemp())
>>> path.name
'e01_information.py'
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import TestbedError
from .catalogue import EXERCISES, Exercise, exercise
from .cells import fill, read, unparse
from .otter import otter_master, to_notebook, write_notebook

__all__ = ["FORMATS", "SOURCE_SOLUTIONS", "export", "start"]

SOURCE_SOLUTIONS = Path(__file__).resolve().parents[2] / "course" / "solutions"
"""Where the solutions are in a checkout of the source tree."""

FORMATS = ("otter", "solved")


class HandoutError(TestbedError):
    """A file that would be overwritten, or solutions that cannot be found."""


def _target(folder: str | Path, name: str, force: bool) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.exists() and not force:
        raise HandoutError(f"{path} exists; keep your work, or pass --force to overwrite it")
    return path


def start(number: int | str, folder: str | Path = ".", notebook: bool = False, force: bool = False) -> Path:
    """Copy exercise ``number``'s student file into ``folder`` (as ``.ipynb`` with ``notebook``)."""
    ex = exercise(number)
    if not notebook:
        path = _target(folder, ex.path.name, force)
        shutil.copyfile(ex.path, path)
        return path
    return write_notebook(to_notebook(read(ex.path)), _target(folder, f"{ex.stem}.ipynb", force))


def _solutions_of(ex: Exercise, solutions: str | Path | None = None) -> Path:
    folder = Path(solutions) if solutions is not None else SOURCE_SOLUTIONS
    path = folder / ex.path.name
    if not path.is_file():
        where = "the source tree's course/solutions" if solutions is None else str(folder)
        raise HandoutError(
            f"no solutions file {ex.path.name} in {where}: solutions are not installed with the package; "
            "pass --solutions DIR (a checkout's course/solutions)"
        )
    return path


def export(
    folder: str | Path,
    fmt: str = "otter",
    solutions: str | Path | None = None,
    numbers: Iterable[int] | None = None,
    force: bool = False,
) -> list[Path]:
    """Join student files and solutions into ``folder``: ``otter`` master notebooks
    (``eNN_..._master.ipynb``) or ``solved`` percent scripts."""
    if fmt not in FORMATS:
        raise HandoutError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    chosen = [exercise(n) for n in numbers] if numbers else list(EXERCISES)
    written = []
    for ex in chosen:
        student, answers = read(ex.path), read(_solutions_of(ex, solutions))
        if fmt == "solved":
            path = _target(folder, f"{ex.stem}_solved.py", force)
            path.write_text(unparse(fill(student, answers)), encoding="utf-8")
        else:
            path = write_notebook(
                otter_master(student, answers, ex.stem), _target(folder, f"{ex.stem}_master.ipynb", force)
            )
        written.append(path)
    return written
