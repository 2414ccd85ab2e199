"""The course: every exercise runs with its solutions (all checks pass) and with each task
left blank (that task's check fails); checkers name mistakes without giving the answer; the
command line; notebooks through a real kernel; the otter-grader round trip."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from cases import slow_cases

from essl_testbed.cli import main
from essl_testbed.course import EXERCISES, grade
from essl_testbed.course.cells import CellFormatError, fill, parse, read, unparse
from essl_testbed.course.checking import run_cells, tasks_of
from essl_testbed.course.handout import SOURCE_SOLUTIONS
from essl_testbed.course.marking import mark_cells

NUMBERS = [e.number for e in EXERCISES]


def _student(n):
    return read(EXERCISES[n - 1].path)


def _solutions(n):
    return read(SOURCE_SOLUTIONS / EXERCISES[n - 1].path.name)


def _last(n):
    return tasks_of(n)[-1]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # exercises may write pictures


# ---------------------------------------------------------------- the files


@pytest.mark.parametrize("n", NUMBERS)
def test_student_file_matches_its_catalogue_entry_and_checkers(n):
    ex, cells = EXERCISES[n - 1], _student(n)
    assert cells[0].kind == "markdown" and cells[0].source.startswith(f"# Exercise {n}: {ex.title}")
    answers = [c.answer for c in cells if c.answer is not None]
    assert answers == tasks_of(n), "one answer cell per checker, in order"
    for cell in cells:
        if cell.answer is not None:
            assert "raise NotImplementedError" in cell.source
    checked = [m.group(1) for c in cells if c.kind == "code" for m in re.finditer(r'check\("([\d.]+)"', c.source)]
    assert checked == answers, "a check after every task"
    assert len(fill(cells, _solutions(n))) == len(cells)


def test_the_course_has_at_least_eight_exercises_and_three_tasks_each():
    assert len(EXERCISES) >= 8
    assert all(len(tasks_of(n)) >= 2 for n in NUMBERS)


# ---------------------------------------------------------------- both ways


@pytest.mark.parametrize("n", slow_cases(NUMBERS, {"4", "5"}))
def test_solutions_pass_every_check(n):
    """Up to the last check (the training cells after it run in the slow set)."""
    run = run_cells(fill(_student(n), _solutions(n)), until=_last(n))
    latest = run.latest()
    assert [latest[t].status for t in tasks_of(n)] == ["passed"] * len(tasks_of(n)), run.output
    assert not run.errors, run.errors


@pytest.mark.parametrize("n", slow_cases(NUMBERS, {"4", "7"}))
def test_each_blank_task_fails_its_own_check(n):
    student, solutions = _student(n), _solutions(n)
    for task in tasks_of(n):
        run = run_cells(fill(student, solutions, blank=[task]), until=task)
        verdict = run.latest()[task]
        assert verdict.status == "not attempted" and not verdict.passed, (task, verdict)


def test_the_blank_file_is_marked_task_by_task():
    marks = mark_cells(_student(3))
    assert (marks.passed, marks.total) == (0, 4)
    assert {v.status for v in marks.verdicts} == {"not attempted"}


# ---------------------------------------------------------------- what a checker says


def _wrong(source: str, names: dict | None = None):
    namespace = {"np": np, **(names or {})}
    exec(textwrap.dedent(source), namespace)
    answer = namespace["answer"]
    if hasattr(answer, "hypothesis"):  # a property test: the judge reads its inner test
        return answer

    def quiet(*args):  # the planted mistakes take logs of 0 on purpose
        with np.errstate(all="ignore"):
            return answer(*args)

    return quiet


def _entropy(p):
    p = np.asarray(p, dtype=float)
    if (p < 0).any() or abs(p.sum() - 1) > 1e-9:
        raise ValueError
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


MISTAKES = [
    ("1.1", "def answer(p):\n    p = p[p > 0]\n    return float(-(p * np.log(p)).sum())", "nats"),
    ("1.1", "def answer(p):\n    return float(-(p * np.log2(p)).sum())", "0 * log(0)"),
    ("1.1", "def answer(p):\n    p = p[p > 0]\n    return float(-(p * np.log2(p)).sum())", "raise ValueError"),
    ("1.1", "def answer(p):\n    p = p[p > 0]\n    return float((p * np.log2(p)).sum())", "sign is flipped"),
    ("1.2", "def answer():\n    import sympy\n    return sympy.Float(0.8112781244591328)", "floating-point"),
    ("1.3", "def answer(t):\n    return H(t.sum(1)) + H(t.sum(0))", "-H(X,Y) term is missing"),
    ("1.3", "def answer(t):\n    return H(t.ravel()) - H(t.sum(0))", "H(X|Y), a conditional entropy"),
    (
        "1.4",
        "def answer(t):\n    return H(t.sum((1, 2))) + H(t.sum((0, 2))) - H(t.sum(2).ravel())",
        "conditioning on Z is missing",
    ),
    (
        "1.4",
        "def answer(t):\n    return H(t.sum(2).ravel()) + H(t.sum(0).ravel()) - H(t.ravel()) - H(t.sum((0, 2)))",
        "wrong conditioning set",
    ),
    (
        "2.1",
        "def answer():\n    p = np.zeros((2, 2, 2))\n    p[0, 0, 0] = p[1, 0, 1] = 0.25\n    return p",
        "sums to 0.5",
    ),
    (
        "2.1",
        "def answer():\n    p = np.zeros((2, 2, 2))\n    p[0, 0, 0] = p[1, 1, 0] = 0.5\n    return p",
        "A depends on C",
    ),
    (
        "2.1",
        "def answer():\n    p = np.zeros((2, 2, 2))\n    p[0, :, 0] = p[1, :, 1] = 0.25\n    return p",
        "a six turned by 180 degrees should look like a nine",
    ),
    (
        "2.3",
        "def answer(J, target, given):\n    return float(J.marginal(*given, target).probabilities.sum()) * 2 if given else 1.0",
        "above 1",
    ),
    ("3.1", "def answer():\n    return 'I(A;C|Z) - I(A;C)'", "sign is flipped"),
    ("3.1", "def answer():\n    return '-I(A;C|Z)'", "vanishes only when A and C are independent"),
    ("3.1", "def answer():\n    return 'I(A;Z) - I(A;Z|C)'", "without I(A;Z)"),
    (
        "3.2",
        "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) = I(A;Z|C) - I(A;C|Z)')",
        "which assumption",
    ),
    (
        "3.2",
        "from proofs_check.prover import prove\n"
        "def answer():\n    return prove('I(A;Z) = I(A;Z|C) - I(A;C|Z)', ['I(A;C) = 0', 'I(A;C|Z) = 0'])",
        "more assumptions",
    ),
    ("3.3", "def answer(result):\n    return [2]", "read each term's source"),
    (
        "3.4",
        "from theory import Joint\ndef answer():\n    return Joint(np.full((2, 2, 2), 1 / 8), names=('A', 'C', 'Z'))",
        "make them dependent",
    ),
    ("4.1", "def answer():\n    return {'rot4', 'rot90'}", "unknown transformation"),
    ("4.3", "def answer(table):\n    return {t for t, (_, b) in table.items() if b > 0}", "float noise"),
    (
        "5.2",
        "def answer(a, b, key):\n    return {x['seed']: x[key] - y[key] for x, y in zip(a, b)}",
        "paired by their position",
    ),
    (
        "5.2",
        "def answer(a, b, key):\n    bs = {r['seed']: r[key] for r in b}\n"
        "    return {r['seed']: r[key] - bs[r['seed']] for r in a if r['seed'] in bs}",
        "raise ValueError",
    ),
    (
        "6.2",
        "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) = 0', ['I(A;X) = 0', 'I(A;Z) = 0'])",
        "says more than",
    ),
    (
        "6.3",
        "from essl_testbed.report.statistics import Contrast, paired_contrast\n"
        "def answer(d, margin):\n    r = paired_contrast(Contrast('x', 'acc', direction=0, margin=margin), d)\n"
        "    return 'supported' if r.low <= 0 <= r.high else 'contradicted'",
        "no evidence of an effect is not evidence of no effect",
    ),
    (
        "7.1",
        "from theory import mutual_information as mi\ndef answer(J):\n    return float(mi(J, 'A', 'Z') - mi(J, 'A', 'Z', given='C'))",
        "is missing",
    ),
    (
        "7.2",
        "from hypothesis import given, settings\nfrom proofs_check.strategies import essl_models\n"
        "@settings(max_examples=5, deadline=None)\n@given(essl_models())\ndef answer(J):\n    pass",
        "cannot fail",
    ),
    ("7.2", "def answer(J):\n    assert True", "@given"),
    (
        "8.3",
        "def answer(info, exact):\n    return dict.fromkeys(('data_processing', 'class_cap', 't1_identity', 't1_floor'), True)",
        "break",
    ),
]


GAMING = [  # answers that game a checker or are subtly wrong; each must fail
    (
        "8.2",
        "def answer(J):\n    return {'I_A_Z': 0, 'I_C_Z': 0, 'I_A_Z_given_C': 0, 'I_A_C_given_Z': 0, 'H_C_given_Z': 1}",
    ),
    (
        "7.2",
        "from hypothesis import given, settings, strategies as st\n"
        "@settings(max_examples=5, deadline=None)\n@given(st.integers())\ndef answer(J):\n"
        "    assert not hasattr(J, 'names')",
    ),
    (
        "7.2",
        "from hypothesis import given, settings\nfrom proofs_check.strategies import essl_models\n"
        "@settings(max_examples=5, deadline=None)\n@given(essl_models())\ndef answer(J):\n"
        "    assert (np.asarray(J.probabilities) == 0).any()",
    ),
    ("6.2", "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) >= 0')"),
    ("3.2", "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) >= I(A;Z|C) - I(A;C|Z)')"),
    (
        "5.2",
        "def answer(a, b, key):\n    if len(a) != len(b):\n        raise ValueError\n"
        "    bs = {r['seed']: r[key] for r in b}\n    return {r['seed']: r[key] - bs[r['seed']] for r in a if r['seed'] in bs}",
    ),
    (
        "5.2",
        "def answer(a, b, key):\n    if len(a) != 4 or len(b) != 4:\n        raise ValueError\n"
        "    return {0: 0.08, 1: 0.13, 2: 0.25, 3: 0.30}",
    ),
    ("3.1", "def answer():\n    return 'I(Z;A) - I(Z;A|C)'"),
    (
        "5.1",
        "def answer(w):\n    a = w.analyze('rot4', class_blind=False)\n    return a['I_A_X'], a['I_A_corners'], a['H_A_given_Xerased']",
    ),
    (
        "6.3",
        "def answer(d, margin):\n    v = list(d.values())\n    if all(abs(x) < margin for x in v):\n        return 'supported'\n"
        "    return 'contradicted' if all(abs(x) > margin for x in v) else 'inconclusive'",
    ),
    (
        "8.1",
        "from theory import Joint\ndef answer(w, t, q):\n    ids = w.x_ids(t)[0]\n    return Joint(q[ids] / q[ids].sum(), names=('C', 'S', 'Abar', 'A', 'Z'))",
    ),
    (
        "2.2",
        "from theory import mutual_information as mi\ndef answer(J):\n    return {'I_A_C': 0.0, 'I_A_C_given_X': mi(J, 'A', 'C', given='X'),"
        " 'I_A_X': mi(J, 'A', 'X'), 'I_A_X_given_C': mi(J, 'A', 'X', given='C')}",
    ),
    ("3.3", "def answer(result):\n    return [len(result.certificates)] if result.constraints else []"),
    ("3.3", "def answer(result):\n    return [2.9] if len(result.certificates) == 2 else []"),
    (
        "8.3",
        "def answer(info, exact):\n    return {'data_processing': info['I_A_Z'] < 1.25, 'class_cap': info['I_C_Z'] < 2,"
        " 't1_identity': info['I_A_C_given_Z'] > 0.1, 't1_floor': info['H_C_given_Z'] > 1.3}",
    ),
    ("1.2", "def answer():\n    import sympy\n    return sympy.Symbol('h')"),
    (
        "4.3",
        "def answer(table):\n    return {'rot4', 'vflip'} if sum(b > 0.5 for _, b in table.values()) == 2 else {'rot4'}",
    ),
]

CORRECT_VARIANTS = [  # right answers in another form; each must pass
    (
        "3.2",
        "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z|C) - I(A;C|Z) = I(A;Z)', ['I(C;A) = 0'])",
    ),
    (
        "3.2",
        "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) = I(A;Z|C) - I(A;C|Z)', ['H(A) = H(A|C)'])",
    ),
    (
        "6.2",
        "from proofs_check.prover import prove\ndef answer():\n    return prove('I(A;Z) <= 0', ['I(A;X) = 0', 'I(A;Z|X) = 0'])",
    ),
    (
        "7.2",
        "import pytest\nfrom hypothesis import given, settings\nfrom proofs_check.strategies import essl_models\n"
        "from theory import mutual_information as mi\n@settings(max_examples=5, deadline=None)\n@given(essl_models())\n"
        "def answer(J):\n    r = float(mi(J, 'A', 'Z') - mi(J, 'A', 'Z', given='C') + mi(J, 'A', 'C', given='Z'))\n"
        "    if abs(r) > 1e-9:\n        pytest.fail('Theorem 1 is off')",
    ),
]


@pytest.mark.parametrize(("task", "source"), GAMING, ids=[f"{t}-{i}" for i, (t, _) in enumerate(GAMING)])
def test_a_gamed_answer_fails(task, source):
    verdict = grade(task, _wrong(source))
    assert verdict.status == "failed", verdict


@pytest.mark.parametrize(("task", "source"), CORRECT_VARIANTS, ids=[t for t, _ in CORRECT_VARIANTS])
def test_a_right_answer_in_another_form_passes(task, source):
    verdict = grade(task, _wrong(source))
    assert verdict.passed, verdict


@pytest.mark.parametrize(("task", "source", "says"), MISTAKES, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(MISTAKES)])
def test_a_wrong_answer_is_diagnosed(task, source, says):
    verdict = grade(task, _wrong(source, {"H": _entropy}))
    assert verdict.status == "failed", verdict
    assert says in verdict.message, verdict.message


def test_messages_never_give_the_answer_away():
    """The reference values and expressions of the exact tasks appear in no failure message."""
    secrets = ("0.811", "I(A;C) - I(A;C|Z)", "rot4', 'vflip", "{'rot4', 'vflip'}", "0.08", "0.13")
    messages = [grade(task, _wrong(source, {"H": _entropy})).message for task, source, _ in MISTAKES]
    for message in messages:
        for secret in secrets:
            assert secret not in message, (secret, message)


def test_an_answer_that_raises_is_an_error_not_a_crash():
    verdict = grade("1.1", _wrong("def answer(p):\n    return p.nonexistent"))
    assert verdict.status == "error" and "AttributeError" in verdict.message


def test_an_unknown_task_is_a_typed_error():
    from essl_testbed.errors import TestbedError

    with pytest.raises(TestbedError, match="no checker for task '9.9'"):
        grade("9.9", lambda: None)


def test_a_non_function_answer_is_named():
    assert "should be a function" in grade("1.3", 3.0).message


# ---------------------------------------------------------------- cells


def test_cells_round_trip_and_fill_refuses_mismatched_solutions():
    text = EXERCISES[0].path.read_text()
    cells = parse(text)
    assert parse(unparse(cells)) == cells
    with pytest.raises(CellFormatError, match="answer cells without a solution"):
        fill(cells, parse('# %% solution="1.1"\nx = 1\n'))
    with pytest.raises(CellFormatError, match="no '# %%' cells"):
        parse("print('hello')\n")


def test_jupytext_reads_the_answer_ids_as_cell_metadata():
    jupytext = pytest.importorskip("jupytext")
    nb = jupytext.reads(EXERCISES[0].path.read_text(), fmt="py:percent")
    ids = [c.metadata.get("answer") for c in nb.cells if c.metadata.get("answer")]
    assert ids == tasks_of(1)


# ---------------------------------------------------------------- command line


def test_cli_list_start_check(tmp_path, capsys):
    assert main(["exercises", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in rows] == NUMBERS and all(r["minutes"] > 0 for r in rows)
    assert main(["exercises", "start", "2", "--to", str(tmp_path)]) == 0
    copied = tmp_path / "e02_collider.py"
    assert copied.read_text() == EXERCISES[1].path.read_text()
    capsys.readouterr()
    assert main(["exercises", "start", "2", "--to", str(tmp_path)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["exercises", "check", str(copied), "--json"]) == 1
    marks = json.loads(capsys.readouterr().out)
    assert (marks["passed"], marks["total"]) == (0, 3)


def test_cli_checks_a_filled_file_and_a_notebook(tmp_path, capsys):
    assert main(["exercises", "export", "--format", "solved", "--only", "1", "--to", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["exercises", "check", str(tmp_path / "e01_information_solved.py")]) == 0
    assert "4/4 tasks passed" in capsys.readouterr().out
    assert main(["exercises", "start", "1", "--ipynb", "--to", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["exercises", "check", str(tmp_path / "e01_information.ipynb")]) == 1
    assert "0/4 tasks passed" in capsys.readouterr().out


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_tasks_only_marking_skips_the_training_cells(tmp_path, capsys, monkeypatch):
    def no_training(*args, **kwargs):
        raise RuntimeError("a training cell ran")

    monkeypatch.setattr("essl_testbed.experiments.run.run_one", no_training)
    assert main(["exercises", "export", "--format", "solved", "--only", "5", "--to", str(tmp_path)]) == 0
    capsys.readouterr()
    solved = str(tmp_path / "e05_lossy_lossless_solved.py")
    assert main(["exercises", "check", "--tasks-only", solved]) == 0
    out = capsys.readouterr().out
    assert "2/2 tasks passed" in out and "raised" not in out
    assert main(["exercises", "check", solved]) == 0  # every task passes; the training cell's error is listed
    assert "raised RuntimeError: a training cell ran" in capsys.readouterr().out


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["exercises", "check", str(tmp_path / "missing.py")]) == 2
    bad = tmp_path / "bad.py"
    bad.write_text("# %% [markdown]\n# # Exercise 99: nothing\n")
    assert main(["exercises", "check", str(bad)]) == 2
    assert "no heading" in capsys.readouterr().err
    assert main(["exercises", "export", "--to", str(tmp_path), "--solutions", str(tmp_path)]) == 2
    assert "not installed with the package" in capsys.readouterr().err


# ---------------------------------------------------------------- notebooks and otter


def _execute(cells, timeout=600):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.reads(unparse(cells), fmt="py:percent")
    nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3").execute()
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_an_exercise_runs_as_a_notebook_through_a_kernel():
    out = _execute(fill(_student(3), _solutions(3)))
    assert all(f"✓ task {t}" in out for t in tasks_of(3)), out


@pytest.mark.slow
@pytest.mark.parametrize("n", NUMBERS)
def test_every_exercise_runs_whole_as_a_notebook(n):
    out = _execute(fill(_student(n), _solutions(n)))
    assert all(f"✓ task {t}" in out for t in tasks_of(n)), out


def _otter(*args, cwd):
    otter = Path(sys.executable).with_name("otter")
    if not otter.exists():
        pytest.skip("otter-grader is not installed (pip install '.[course]')")
    done = subprocess.run([str(otter), *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.slow  # otter-grader's assign and run: 6 s
def test_otter_assign_then_run_grades_a_student_task_by_task(tmp_path):
    assert main(["exercises", "export", "--only", "2", "--to", str(tmp_path)]) == 0
    _otter("assign", "--no-run-tests", "e02_collider_master.ipynb", "dist", cwd=tmp_path)
    student = json.loads((tmp_path / "dist/student/e02_collider_master.ipynb").read_text())
    assert "six_nine_table()" not in json.dumps(student) or "raise NotImplementedError" in json.dumps(student)
    solutions = {c.meta["solution"]: c.source for c in _solutions(2)}
    for cell in student["cells"]:  # the student fills in 2.1 and 2.2, not 2.3
        text = "".join(cell["source"])
        for task in ("2.1", "2.2"):
            if f'NotImplementedError("task {task}' in text:
                cell["source"] = solutions[task]
    (tmp_path / "filled.ipynb").write_text(json.dumps(student))
    (tmp_path / "out").mkdir()
    zipped = next((tmp_path / "dist/autograder").glob("*.zip"))
    _otter("run", "-a", str(zipped), "-o", "out", "filled.ipynb", cwd=tmp_path)
    scores = {t["name"]: t.get("score") for t in json.loads((tmp_path / "out/results.json").read_text())["tests"]}
    assert scores == {"Public Tests": None, "task_2_1": 1.0, "task_2_2": 1.0, "task_2_3": 0.0}
