"""The tree's shape: each layer imports only the layers before it
(theory < synthetic < proofs_check < essl_testbed's experiments < report < course < cli), no
two files import each other through any chain, the worlds, the prover and the non-training
commands load no torch, and setuptools finds every subpackage."""

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
PACKAGES = ("theory", "synthetic", "proofs_check", "essl_testbed")
LAYERS = (
    "theory",
    "synthetic",
    "proofs_check",
    "essl_testbed.errors",
    "essl_testbed.experiments",
    "essl_testbed.report",
    "essl_testbed.course",
    "essl_testbed.cli",
    "essl_testbed.__main__",
)
SHIMS = {"proofs_check._moved"}
"""The deprecation shims: the only modules that may point up the layers (tested in test_moved_paths.py)."""


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "notebooks" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(name: str) -> int | None:
    """The index in LAYERS of the longest layer that ``name`` is or lies in; the package
    ``essl_testbed`` itself counts with its errors (it imports nothing)."""
    if name == "essl_testbed":
        return LAYERS.index("essl_testbed.errors")
    found = [i for i, prefix in enumerate(LAYERS) if name == prefix or name.startswith(prefix + ".")]
    return max(found, key=lambda i: len(LAYERS[i])) if found else None


def _is_module(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_names(path: Path) -> list[tuple[str, bool]]:
    """(absolute module name, at module level?) of every import in ``path``; ``from P import m``
    names the module ``P.m`` when ``m`` is a module of this tree."""
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
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.append((sub if _is_module(sub) else base, id(node) in top_level))
    return out


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module -> the modules of ``paths`` it imports (anywhere in the file)."""
    names = {module_name(p): p for p in paths}
    return {name: {n for n, _ in imported_names(path) if n in names and n != name} for name, path in names.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted.

    >>> cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    [['a', 'b', 'c']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def all_modules() -> list[Path]:
    return [p for package in PACKAGES for p in modules(package)]


def test_imports_follow_the_layers():
    upward = [
        f"{module_name(path)} imports {name}"
        for path in all_modules()
        if module_name(path) not in SHIMS
        for name, _ in imported_names(path)
        if layer(name) is not None and layer(name) > layer(module_name(path))
    ]
    assert not upward, upward


def test_every_module_has_a_layer():
    assert [module_name(p) for p in all_modules() if layer(module_name(p)) is None] == []


def test_no_import_cycles():
    assert cycles(import_graph(all_modules())) == []


def test_the_cycle_finder_sees_a_planted_cycle():
    planted = [ROOT / "theory" / f"_planted_cycle_{k}_for_test.py" for k in "ab"]
    planted[0].write_text("from . import _planted_cycle_b_for_test\n")
    planted[1].write_text("def f():\n    from theory._planted_cycle_a_for_test import x\n")
    try:
        found = cycles(import_graph(planted))
    finally:
        for p in planted:
            p.unlink()
    assert found == [["theory._planted_cycle_a_for_test", "theory._planted_cycle_b_for_test"]]


def test_proofs_check_imports_neither_torch_nor_the_testbed():
    found = [
        f"{module_name(path)} imports {name}"
        for path in modules("proofs_check")
        if module_name(path) not in SHIMS
        for name, _ in imported_names(path)
        if name.split(".")[0] in ("torch", "essl_testbed")
    ]
    assert not found, found


def test_the_import_walker_sees_upward_imports(tmp_path):
    planted = ROOT / "theory" / "_planted_upward_import_for_test.py"
    planted.write_text("from synthetic import transforms\n")
    try:
        names = [name for name, _ in imported_names(planted)]
    finally:
        planted.unlink()
    assert "synthetic.transforms" in names
    assert layer("synthetic.transforms") > layer("theory._planted_upward_import_for_test")


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
        "synthetic.transforms, proofs_check.prover, proofs_check.strategies, essl_testbed.experiments, "
        "essl_testbed.cli"
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
