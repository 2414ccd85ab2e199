"""The deprecation shims of proofs_check._moved: the old import paths of the modules that moved
to essl_testbed give the new modules themselves, with a DeprecationWarning naming the new path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proofs_check._moved import MOVED, new_name

ROOT = Path(__file__).resolve().parents[1]


def fresh(code: str) -> dict:
    """Run ``code`` (which sets ``out``) in a fresh interpreter; return ``out``."""
    probe = f"import json, warnings\nwarnings.simplefilter('always')\n{code}\nprint(json.dumps(out))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return {"out": json.loads(done.stdout.strip().splitlines()[-1]), "stderr": done.stderr}


@pytest.mark.parametrize(
    "old, new",
    [
        ("proofs_check.experiments.spec", "essl_testbed.experiments.spec"),
        ("proofs_check.report.statistics", "essl_testbed.report.statistics"),
        ("proofs_check.exercises.judges", "essl_testbed.course.judges"),
        ("proofs_check.cli", "essl_testbed.cli"),
    ],
)
def test_an_old_path_is_the_new_module_and_warns(old, new):
    result = fresh(
        f"import importlib\nold = importlib.import_module({old!r})\nnew = importlib.import_module({new!r})\n"
        "out = [old is new, new.__spec__.name, new.__name__]"
    )
    assert result["out"] == [True, new, new]
    assert f"DeprecationWarning: {old} has moved to {new}" in result["stderr"]


def test_classes_stay_one_object_across_the_old_and_new_paths():
    result = fresh(
        "from proofs_check.exercises import check as old_check\nfrom essl_testbed.course import check\n"
        "from proofs_check.experiments import Experiment as Old\nfrom essl_testbed.experiments import Experiment\n"
        "out = [old_check is check, Old is Experiment]"
    )
    assert result["out"] == [True, True]


def test_new_paths_do_not_warn_and_unmoved_modules_are_left_alone():
    result = fresh("import essl_testbed.cli, essl_testbed.course, proofs_check.prover\nout = 0")
    assert "DeprecationWarning" not in result["stderr"]
    assert new_name("proofs_check.prover.shannon") is None
    assert new_name("proofs_check.experimentsx") is None


def test_every_moved_package_exists_under_its_new_name():
    assert all(
        (ROOT / new.replace(".", "/")).exists() or (ROOT / f"{new.replace('.', '/')}.py").exists()
        for new in MOVED.values()
    )


def test_the_course_mark_keeps_its_old_name_for_one_release():
    from essl_testbed import course

    with pytest.warns(DeprecationWarning, match="is now Mark"):
        assert course.Verdict is course.Mark
