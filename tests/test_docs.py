"""The documentation site: docstrings turned into Markdown (tools/docstrings_to_markdown.py), and
the strict build failing on a broken cross-reference or link (CI builds the real site)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
to_markdown = pytest.importorskip("docstrings_to_markdown", reason="needs griffe (the docs extra)").to_markdown


def test_roles_become_references_through_the_resolver_and_private_ones_code():
    def resolve(name: str) -> str | None:
        return None if name.startswith("_") else f"pkg.{name}"

    text = to_markdown("See :class:`Joint`, :func:`~a.b.f` and :func:`_helper`.", resolve)
    assert text == "See [`Joint`][pkg.Joint], [`f`][pkg.a.b.f] and `_helper`."


def test_doctest_examples_are_fenced_and_their_roles_left_alone():
    text = to_markdown("Intro.\n\n>>> x = ':func:`f`'\n>>> x\n'ok'\n\nAfter.", lambda name: name)
    assert text.split("\n") == ["Intro.", "", "```pycon", ">>> x = ':func:`f`'", ">>> x", "'ok'", "```", "", "After."]


def test_a_simple_table_keeps_its_continuation_lines_in_the_row():
    source = "=====  =====\nname   holds\n=====  =====\n``a``  one\n       two\n``b``  x | y\n=====  =====\n"
    assert to_markdown(source, str).split("\n")[:4] == [
        "| name | holds |",
        "|---|---|",
        "| ``a`` | one two |",
        "| ``b`` | x \\| y |",
    ]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A copy of what the site is built from, checked to build as it is."""
    pytest.importorskip("mkdocs")
    site = tmp_path_factory.mktemp("docs") / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("docs", "tools", "theory", "synthetic", "proofs_check", "essl_testbed", "course"):
        shutil.copytree(ROOT / name, site / name, ignore=ignore)
    for name in ("mkdocs.yml", "README.md"):
        shutil.copy(ROOT / name, site / name)
    built = _build(site)
    assert built.returncode == 0, built.stderr
    return site


def _build(site: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site / "out")]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, cwd=site, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
@pytest.mark.parametrize(
    "path, old, new, message",
    [
        ("theory/essl.py", '"""', '""":func:`no_such_function` ', "no_such_function"),
        ("docs/index.md", "# essl-testbed\n", "# essl-testbed\n\nSee [the missing page](missing.md).\n", "missing.md"),
        ("docs/index.md", "# essl-testbed\n", "# essl-testbed\n\nSee [Joint][theory.NoSuchJoint].\n", "NoSuchJoint"),
    ],
)
def test_the_strict_build_fails_on_a_planted_broken_reference(built_site, tmp_path, path, old, new, message):
    site = tmp_path / "repo"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("out"))
    target = site / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    built = _build(site)
    assert built.returncode != 0 and message in built.stderr
