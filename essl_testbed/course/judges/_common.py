"""What the judges share: reading a student's number or table, and naming a mistake from the
wrong value's relation to the reference (a sign, a unit, a known wrong formula)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..checking import Wrong

TOL = 1e-9


def number(value: Any, what: str) -> float:
    """``value`` as a float, or :class:`Wrong` saying what came back instead."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise Wrong(f"{what} should be a number, got {value!r}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number, got a {type(value).__name__}") from None
    if math.isnan(out):
        raise Wrong(f"{what} is nan: a 0 * log(0) term? Cells of probability 0 contribute 0")
    return out


def table(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float probability table (non-negative, summing to 1, of ``shape``)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be an array of probabilities, got a {type(value).__name__}") from None
    if shape is not None and arr.shape != shape:
        raise Wrong(f"{what} should have shape {shape}, got {arr.shape}")
    if (arr < 0).any():
        raise Wrong(f"{what} has a negative entry: probabilities are >= 0")
    total = arr.sum()
    if abs(total - 1) > 1e-9:
        raise Wrong(f"{what} sums to {total:.4g}, not 1: probabilities of all outcomes must sum to 1")
    return arr


def diagnose(value: float, reference: float, what: str, mistakes: Mapping[str, float] = (), tol: float = TOL) -> None:
    """Pass when ``value`` equals ``reference``; otherwise raise :class:`Wrong` naming the first
    known mistake whose value it equals (``mistakes``: message -> the value that mistake gives),
    a flipped sign or a natural-log unit, or else that it is wrong on ``what``."""
    if abs(value - reference) <= tol * max(1.0, abs(reference)):
        return
    for message, wrong_value in dict(mistakes).items():
        if abs(wrong_value) <= tol:  # a mistake that gives 0 is indistinguishable from many others
            continue
        if abs(value - wrong_value) <= tol * max(1.0, abs(wrong_value)) and abs(wrong_value - reference) > tol:
            raise Wrong(f"{what}: {message}")
    if abs(reference) > tol and abs(value + reference) <= tol * max(1.0, abs(reference)):
        raise Wrong(f"{what}: the sign is flipped")
    if abs(reference) > tol and abs(value - reference * math.log(2)) <= tol * max(1.0, abs(reference)):
        raise Wrong(f"{what}: this is in nats (natural log); the course works in bits (log base 2)")
    raise Wrong(f"{what}: not the right value")


def call(answer: Any, *args: Any) -> Any:
    """Call the student's function, or :class:`Wrong` when the answer is not a function."""
    if not callable(answer):
        raise Wrong(f"the answer should be a function, got a {type(answer).__name__}")
    return answer(*args)


def proof_of(answer: Any) -> Any:
    """The student's ``prove(...)`` result, or :class:`Wrong` when the answer returns something else."""
    from proofs_check.prover import ProofResult

    result = call(answer)
    if not isinstance(result, ProofResult):
        raise Wrong(f"return what proofs_check.prover.prove returns, got a {type(result).__name__}")
    return result


def raises(fn: Callable[[], Any], error: type[BaseException]) -> bool:
    try:
        fn()
    except error:
        return True
    except NotImplementedError:
        raise
    except Exception:
        return False
    return False
