"""The README's Python examples run in order, and the values their comments promise are right."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def promises(block: str) -> list[tuple[str, str]]:
    """(expression, value) for lines ``expression  # -> value (note)``."""
    out = []
    for line in block.splitlines():
        m = re.match(r"^(?P<expr>.+?)\s+# -> (?P<value>.+?)(?: \((?!True).*\))?$", line)
        if m:
            out.append((m["expr"].strip(), m["value"].strip()))
    return out


def matches(got: object, value: str) -> bool:
    if str(got).replace(" ", "") == value.replace(" ", ""):
        return True
    try:
        return math.isclose(float(got), float(value), abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


@pytest.fixture
def registries_restored():
    """The README's "Extending" examples register a transformation, a preset, a model and a
    claim; take them out again so the rest of the session sees the project's own registries."""
    from essl_testbed.report import CLAIMS
    from synthetic import models, transforms
    from synthetic.worlds import presets

    before = {mod: set(mod.names()) for mod in (transforms, presets, models)}
    claims = set(CLAIMS)
    yield
    for mod, names in before.items():
        for name in set(mod.names()) - names:
            mod.unregister(name)
    for key in set(CLAIMS) - claims:
        del CLAIMS[key]


def test_readme_examples_run_and_keep_their_promises(registries_restored):
    assert len(BLOCKS) >= 3
    namespace: dict = {}
    checked = 0
    for block in BLOCKS:
        exec(compile(block, str(README), "exec"), namespace)
        for expr, value in promises(block):
            got = eval(expr, namespace)
            assert matches(got, value), f"README promises {expr} = {value}, got {got}"
            checked += 1
    assert checked >= 10


def test_readme_sweep_specs_parse():
    from essl_testbed.experiments import SweepSpec

    specs = re.findall(r"```toml\n(.*?)```", README.read_text(), flags=re.S)
    assert specs
    for text in specs:
        assert SweepSpec.from_toml(text).tasks()
