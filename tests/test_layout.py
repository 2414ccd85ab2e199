"""The tree's shape: imports point down (theory <- synthetic <- proofs_check), the worlds and
the non-training commands load no torch, and setuptools finds every subpackage."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("theory", "synthetic", "proofs_check")
LAYER = {"theory": 0, "synthetic": 1, "proofs_check": 2}


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_names(path: Path) -> list[tuple[str, bool]]:
    """(absolute module name, at module level?) of every import in ``path``."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    top_level = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            out.append((base, id(node) in top_level))
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_down(package):
    upward = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name, _ in imported_names(path)
        if name.split(".")[0] in LAYER and LAYER[name.split(".")[0]] > LAYER[package]
    ]
    assert not upward, upward


def test_the_import_walker_sees_upward_imports(tmp_path):
    planted = ROOT / "theory" / "_planted_upward_import_for_test.py"
    planted.write_text("from synthetic import transforms\n")
    try:
        names = [name for name, _ in imported_names(planted)]
    finally:
        planted.unlink()
    assert "synthetic" in names


@pytest.mark.parametrize(
    "package, banned",
    [
        ("theory", ("torch", "matplotlib", "hypothesis")),
        ("synthetic/worlds", ("torch",)),
    ],
)
def test_layers_never_import_heavy_libraries(package, banned):
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name, _ in imported_names(path)
        if name.split(".")[0] in banned
    ]
    assert not found, found


def loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; report which heavy libraries it loaded."""
    probe = code + "\nimport json, sys\nprint(json.dumps({m: m in sys.modules for m in ('torch', 'matplotlib')}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_theory_and_worlds_load_no_torch():
    loaded = loaded_after(
        "import theory, synthetic, synthetic.worlds, synthetic.config, synthetic.models, "
        "synthetic.transforms, essl_testbed.experiments, essl_testbed.cli"
    )
    assert loaded == {"torch": False, "matplotlib": False}


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["train", "--help"],
        ["prove", "I(X;Y) >= 0"],
        ["statements"],
        ["worlds"],
        ["analyze", "--world", "six-nine", "--transform", "rot2"],
        ["check", "--world", "six-nine", "--transform", "rot2"],
        ["exercises", "list"],
    ],
)
def test_commands_that_do_not_train_load_no_torch(argv):
    code = f"from essl_testbed.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert not loaded_after(code)["torch"]


def test_show_loads_matplotlib_but_not_torch(tmp_path):
    code = (
        f"from essl_testbed.cli import main\n"
        f"main(['show', '--world', 'six-nine', '--transform', 'rot2', '--out', {str(tmp_path / 'g.png')!r}])"
    )
    assert loaded_after(code) == {"torch": False, "matplotlib": True}


def test_setuptools_finds_every_subpackage():
    """A folder of modules without ``__init__.py`` would be left out of the wheel (folders of
    .py files declared as package data, the exercises' notebooks, are data)."""
    from setuptools import find_packages

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    data_folders = {f"{package}.{glob.split('/')[0]}" for package, globs in data.items() for glob in globs}
    found = set(find_packages(str(ROOT), include=[f"{p}*" for p in PACKAGES]))
    folders = {
        ".".join(d.relative_to(ROOT).parts)
        for p in PACKAGES
        for d in [ROOT / p, *(ROOT / p).rglob("*")]
        if d.is_dir() and any(d.glob("*.py"))
    }
    assert folders - data_folders == found
