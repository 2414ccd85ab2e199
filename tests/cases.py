"""Parametrised cases for the tests: a case that takes over about 2 s runs with the slow set
(``pytest -m slow``), so the default suite stays fast on 2 cores."""

from __future__ import annotations

from collections.abc import Sequence

import pytest


def slow_cases(values: Sequence[object], slow: set[str], ids: Sequence[str] | None = None) -> list:
    """``values`` as pytest params with ids ``ids`` (default ``str(value)``), those whose id is
    in ``slow`` marked slow."""
    names = list(ids) if ids is not None else [str(v) for v in values]
    unknown = slow - set(names)
    if unknown:
        raise ValueError(f"slow cases {sorted(unknown)} are not among {names}")
    return [pytest.param(v, marks=[pytest.mark.slow] if n in slow else [], id=n) for v, n in zip(values, names)]
