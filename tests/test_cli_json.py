"""``--json`` carries what the text form prints: every number the text shows is a number of the
JSON at the text's rounding, and its labels are keys or strings of the JSON. ``prove --json``
carries the counterexample search."""

from __future__ import annotations

import functools
import json
import math
import re
import types
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from essl_testbed.cli import main
from proofs_check.prover.counterexamples import relation_slack
from theory import Joint, mutual_information

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+/\d+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?%?)(?![\w/])")
"""A number as the commands print one: 3, -0.0875, 1.28137e-15, +0.271, 81%, 1/4."""

LABELS = (
    re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b"),  # keys such as I_A_C_given_X, probe_acc
    re.compile(r"\b[HI]\([^()]*\)"),  # information terms such as I(A;C|X), H(C)
)


def leaves(data: object) -> Iterator[object]:
    """Every key and leaf of a JSON value, and the length of every list (a count the text may print)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from leaves(value)
    elif isinstance(data, list):
        yield len(data)
        for value in data:
            yield from leaves(value)
    else:
        yield data


def numbers(data: object) -> list[float]:
    return [float(v) for v in leaves(data) if isinstance(v, (int, float)) and not isinstance(v, bool)]


def strings(data: object) -> list[str]:
    return [v for v in leaves(data) if isinstance(v, str)]


def without_strings(text: str, data: object) -> str:
    """``text`` with every string of the JSON taken out (longest first, whole words only): what
    is left are the numbers the JSON must carry as numbers."""
    for s in sorted({s for s in strings(data) if len(s) > 1}, key=len, reverse=True):
        before = r"(?<![\w.])" if s[0].isalnum() else ""
        after = r"(?![\w])" if s[-1].isalnum() else ""
        text = re.sub(before + re.escape(s) + after, " ", text)
    return text


def carried(token: str, values: list[float]) -> bool:
    """Whether a printed number is one of ``values`` at the rounding it was printed with (an
    integer exactly, a percentage as a share; a fraction as its value, or as its numerator and
    denominator)."""
    if "/" in token:
        a, b = token.split("/")
        return carried_value(int(a) / int(b), 1e-12, values) or (carried(a, values) and carried(b, values))
    scale = 100.0 if token.endswith("%") else 1.0
    m = re.fullmatch(r"([-+]?\d+)(?:\.(\d*))?(?:[eE]([-+]?\d+))?%?", token)
    assert m is not None, token
    if m[2] is None and m[3] is None and scale == 1.0:
        return carried_value(int(m[1]), 1e-6 * max(1.0, abs(int(m[1]))), values)
    half = 0.5 * 10.0 ** (int(m[3] or 0) - len(m[2] or ""))
    return carried_value(float(token.rstrip("%")) / scale, half * (1 + 1e-9) / scale, values)


def carried_value(value: float, tolerance: float, values: list[float]) -> bool:
    return any(math.isfinite(v) and abs(v - value) <= tolerance + 1e-15 for v in values)


def missing(text: str, data: object) -> list[str]:
    """The numbers and labels ``text`` prints that ``data`` does not carry (a Markdown table's
    escaped bars read as bars)."""
    text, values, names = text.replace("\\|", "|"), numbers(data), strings(data)
    gone = [t for t in NUMBER.findall(without_strings(text, data)) if not carried(t, values)]
    for pattern in LABELS:
        gone += [label for label in pattern.findall(text) if not any(label in s for s in names)]
    return gone


# ---------------------------------------------------------------- the two forms of each command


def both(argv: list[str], capsys, code: int = 0) -> tuple[str, object]:
    """The text and the JSON of one command (the same arguments, then with --json)."""
    assert main(argv) == code
    text = capsys.readouterr().out
    assert main([*argv, "--json"]) == code
    return text, json.loads(capsys.readouterr().out)


def check_forms(tmp_path, monkeypatch, capsys):
    return both(["check", "--world", "occluded", "--transform", "rot4"], capsys)


def analyze_forms(tmp_path, monkeypatch, capsys):
    return both(["analyze", "--world", "symmetric", "--transform", "rot4"], capsys)


def train_forms(tmp_path, monkeypatch, capsys):
    """Seeds from the cache the first call fills: both forms show the same runs, wall time included."""
    argv = ["train", "--world", "six-nine", "--transform", "rot2", "--model", "mlp", "--steps", "3", "--seeds", "0"]
    return both([*argv, "--quiet", "--cache", str(tmp_path / "cache")], capsys)


SWEEP = """
[grid]
world = ["six-nine"]
transform = ["rot2"]
model = ["mlp"]
seed = [0, 1, 2]

[train]
epochs = 1
batch-size = 8
"""


def sweep_forms(tmp_path, monkeypatch, capsys):
    """Seed 1 fails every time; the other two are reused from a first run, so both forms show
    the same counts and the same failure."""
    import essl_testbed.experiments.sweep as sweep_module

    real = sweep_module.run_one

    def failing(experiment, seed, progress=None):
        if seed == 1:
            raise RuntimeError("a planted failure")
        return real(experiment, seed)

    monkeypatch.setattr(sweep_module, "run_one", failing)
    spec = tmp_path / "spec.toml"
    spec.write_text(SWEEP)
    argv = ["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"]
    assert main(argv) == 1
    capsys.readouterr()
    return both([*argv, "--resume"], capsys, code=1)


def forecast_forms(tmp_path, monkeypatch, capsys):
    """Three preset worlds, a stand-in for training (the forecast's own tests' runner) and a
    clock that stands still, so that both forms report the same minutes."""
    import sys
    from pathlib import Path

    import essl_testbed.experiments.budget as budget
    import essl_testbed.experiments.forecast as forecast

    sys.path.insert(0, str(Path(__file__).parent))
    from test_forecast import _Runner

    class Runner(_Runner):
        def __init__(self, budget, cache, device="cpu", log=print, executor=None):
            self.budget, self.out, self.calls = budget, cache.parent, 0

    monkeypatch.setattr(budget, "Runner", Runner)
    monkeypatch.setattr(forecast, "time", types.SimpleNamespace(perf_counter=lambda: 0.0))
    monkeypatch.setattr(forecast, "run_forecast", functools.partial(forecast.run_forecast, n_boot=50))
    argv = ["forecast", "--out", str(tmp_path / "forecast"), "--worlds", "0", "--no-fonts", "--seeds", "0,1"]
    return both([*argv, "--workers", "1"], capsys)


def exercises_forms(tmp_path, monkeypatch, capsys):
    assert main(["exercises", "export", "--format", "solved", "--only", "1", "--to", str(tmp_path)]) == 0
    capsys.readouterr()
    return both(["exercises", "check", str(tmp_path / "e01_information_solved.py")], capsys)


SLOW = pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)

FORMS: list = [
    pytest.param(check_forms, id="check"),
    pytest.param(analyze_forms, id="analyze"),
    pytest.param(train_forms, id="train"),
    pytest.param(sweep_forms, id="sweep"),
    pytest.param(forecast_forms, id="forecast", marks=SLOW),
    pytest.param(exercises_forms, id="exercises-check"),
]


@pytest.mark.parametrize("forms", FORMS)
def test_the_json_carries_every_number_and_label_the_text_prints(
    forms: Callable, tmp_path, monkeypatch, capsys
) -> None:
    text, data = forms(tmp_path, monkeypatch, capsys)
    assert len(NUMBER.findall(text)) >= 3  # the comparison has something to compare
    assert missing(text, data) == []


def test_the_comparison_sees_a_number_or_a_label_left_out():
    data = {"I_A_X": {"value": 1.85625, "note": "exact: I(A;X)"}, "n": 3}
    assert missing("I_A_X  1.8562  3  exact: I(A;X)", data) == []
    assert missing("I_A_X  1.8564  3", data) == ["1.8564"]
    assert missing("I_A_X  1.8562  4  H(A)", data) == ["4", "H(A)"]
    assert missing("p(0, 1) = 1/4  81%", {"p": 0.25, "outcome": [0, 1], "share": 0.81}) == []


# ---------------------------------------------------------------- prove --json


def joint_of(distribution: dict) -> Joint:
    """The counterexample of ``prove --json`` as a theory joint (its exact cells)."""
    from fractions import Fraction

    table = np.zeros(distribution["shape"], dtype=object)
    table[...] = Fraction(0)
    for cell in distribution["cells"]:
        table[tuple(cell["outcome"])] = Fraction(cell["exact"])
    return Joint(table, distribution["variables"])


def test_prove_json_carries_the_xor_counterexample(capsys):
    assert main(["prove", "I(X;Y|Z) <= I(X;Y)", "--json"]) == 1
    row = json.loads(capsys.readouterr().out)
    found = row["counterexample"]
    assert row["proved"] is False and found["found"] is True and found["candidates"] >= 1
    assert found["method"].startswith("linear over GF(2)") and found["description"].startswith("False:")
    J = joint_of(found["distribution"])
    left, right = mutual_information(J, "X", "Y", given="Z"), mutual_information(J, "X", "Y")
    assert (left, right) == (1, 0)  # X, Y fair bits, Z = X xor Y: 1 bit given Z, none without
    assert sum(cell["p"] for cell in found["distribution"]["cells"]) == pytest.approx(1.0)


def test_prove_json_carries_what_the_text_prints_of_the_search(capsys):
    argv = ["prove", "I(A;Z) <= I(A;Z|C)"]
    assert main(argv) == 1
    text = capsys.readouterr().out
    assert main([*argv, "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["counterexample"]
    assert f"{found['description']}." in text
    for cell in found["distribution"]["cells"]:
        assert f"p{tuple(cell['outcome'])} = {cell['exact']}" in text
    assert float(relation_slack("I(A;Z) <= I(A;Z|C)", joint_of(found["distribution"]))) < 0


def test_prove_json_with_no_counterexample_found_or_searched(capsys, monkeypatch):
    from proofs_check.prover.counterexamples import Search

    seconds = []

    def nothing(statement, given, seconds_allowed):
        seconds.append(seconds_allowed)
        return Search(None, "36 linear over GF(2) and GF(3), then 0 random tables", 36, 0.25)

    monkeypatch.setattr("proofs_check.prover.counterexamples.search_counterexample", nothing)
    assert main(["prove", "I(X;Y|Z) <= I(X;Y)", "--json", "--search-seconds", "0.5"]) == 1
    outcome = json.loads(capsys.readouterr().out)["counterexample"]
    assert seconds == [0.5] and outcome["found"] is False and outcome["distribution"] is None
    assert outcome["candidates"] == 36 and "no counterexample among 36 candidates" in outcome["description"]
    assert main(["prove", "I(X;Y|Z) <= I(X;Y)", "--json", "--no-counterexample"]) == 1
    assert json.loads(capsys.readouterr().out)["counterexample"] is None
    assert main(["prove", "0 <= I(X;Y) <= H(X)", "--json"]) == 0
    assert all("counterexample" not in row for row in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["prove", "I(A;B >= 0", "--json"], "essl-testbed prove: error:"),
        (["check", "--world", "natural", "--transform", "rot5", "--json"], "unknown transformation 'rot5'"),
        (["forecast", "--seeds", "0", "--json"], "at least 2"),
        (["sweep", "missing.toml", "--out", "out", "--json"], "cannot read the sweep spec missing.toml"),
    ],
)
def test_bad_input_with_json_is_the_same_one_line_error(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) in (1, 3) and message in err
