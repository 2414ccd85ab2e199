"""The course's exercises: number, file stem, title, goal, estimated minutes, whether it trains.

The student files are percent-format Python scripts in ``notebooks/`` (``# %%`` cells) named
by ``stem``; their checkers are the modules of :mod:`essl_testbed.course.judges` of the
same stem. Solutions are not part of the installed package (see ``course/README.md``).

>>> exercise(2).title
'A collider: explaining away on the six/nine world'
>>> exercise(2).path.name
'e02_collider.py'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import TestbedError

__all__ = ["EXERCISES", "Exercise", "UnknownExercise", "exercise"]

NOTEBOOKS = Path(__file__).parent / "notebooks"


class UnknownExercise(TestbedError):
    """An exercise number, or a student file, that names no exercise of the course."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``minutes`` is the estimated working time of a student, ``trains`` says
    that it trains networks (a few CPU minutes; its tests run in the slow set)."""

    number: int
    stem: str
    title: str
    goal: str
    minutes: int
    trains: bool = False

    @property
    def path(self) -> Path:
        """The student file shipped with the package."""
        return NOTEBOOKS / f"{self.stem}.py"

    @property
    def judges(self) -> str:
        """The module holding this exercise's checkers."""
        return f"essl_testbed.course.judges.{self.stem}"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        1,
        "e01_information",
        "Entropy and mutual information by hand",
        "compute entropy, mutual and conditional mutual information from tables, in floats and exactly",
        30,
    ),
    Exercise(
        2,
        "e02_collider",
        "A collider: explaining away on the six/nine world",
        "see that A and C are independent but dependent given the image, and what that does to predicting A",
        30,
    ),
    Exercise(
        3,
        "e03_theorem1",
        "Theorem 1 from the chain rule",
        "derive the E-SSL identity, prove it with the prover, and break it by dropping A independent of C",
        35,
    ),
    Exercise(
        4,
        "e04_seven_transformations",
        "The seven transformations",
        "predict which transformations need the class on the natural world, then check exactly and in pictures",
        30,
    ),
    Exercise(
        5,
        "e05_lossy_lossless",
        "Lossy versus lossless: shortcuts and their pruning",
        "watch a shortcut cue make the pretext task trivial and the class probe fall; prune it with a base augmentation",
        40,
        trains=True,
    ),
    Exercise(
        6,
        "e06_nothing_to_learn",
        "A world where rotation teaches nothing",
        "design a world whose rotation can be read without the class, prove it, and confirm it with a trained network",
        40,
        trains=True,
    ),
    Exercise(
        7,
        "e07_property_testing",
        "Property-based testing of the theory",
        "state a prediction as a hypothesis test over drawn causal models and watch it shrink a counterexample",
        30,
    ),
    Exercise(
        8,
        "e08_learned_features",
        "Learned features against exact information",
        "train a categorical bottleneck, compute the exact information of its code, and check the bounds",
        35,
        trains=True,
    ),
)


def exercise(number: int | str) -> Exercise:
    """The exercise with this number (1-based), or :class:`UnknownExercise`."""
    for ex in EXERCISES:
        if str(ex.number) == str(number).lstrip("0") or ex.stem == str(number):
            return ex
    raise UnknownExercise(f"no exercise {number!r}; the course has {', '.join(str(e.number) for e in EXERCISES)}")
