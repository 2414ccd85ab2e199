"""Plant curated bugs in a scratch copy of the project and report which the test suite kills.

Each mutant is one textual replacement in one file (a sign, a conditioning set, a label
mapping, the split, the optimiser, the probe's data, a verdict's direction, ...) and the test
files that guard it. The script copies the tracked files to a scratch folder, applies one
mutant at a time, runs those test files with ``pytest -x``, and prints a table: mutant,
killed or survived, and the first failing test. Every mutant must be killed; a survivor is a
hole in the suite.

    python tools/mutants.py                 # every mutant (about 5 minutes on 2 cores)
    python tools/mutants.py --only split    # mutants whose name contains "split"

The ``theory/`` package, where runs are cheap, is covered by mutmut instead (see the
README's "Mutation testing").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    kind: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant(
        "co-information sign",
        "sign",
        "theory/_co_information.py",
        "pairs.append((-((-1) ** k),",
        "pairs.append((((-1) ** k),",
        ("tests/test_theory_vs_dit.py",),
    ),
    Mutant(
        "explaining away without its conditioning set",
        "conditioning set",
        "theory/_mutual_information.py",
        "return mutual_information(joint, a, c, given=x, base=base)",
        "return mutual_information(joint, a, c, base=base)",
        ("tests/test_theory_exact.py", "tests/test_theory_vs_dit.py"),
    ),
    Mutant(
        "clockwise rotation",
        "transformation",
        "synthetic/transforms.py",
        "return np.rot90(x, k, axes=(-2, -1))",
        "return np.rot90(x, -k, axes=(-2, -1))",
        ("tests/test_transforms.py",),
    ),
    Mutant(
        "no optimiser step",
        "optimiser",
        "synthetic/training.py",
        "            optimiser.step()\n",
        "            pass\n",
        ("tests/test_learning.py",),
    ),
    Mutant(
        "class labels as the pretext target",
        "label mapping",
        "synthetic/training.py",
        "loss, predictions = model.pretext_loss(x[batch], a[batch], c[batch], w[batch])",
        "loss, predictions = model.pretext_loss(x[batch], c[batch] % a.max().add(1), c[batch], w[batch])",
        ("tests/test_learning.py",),
    ),
    Mutant(
        "steps budget ignored",
        "optimiser",
        "synthetic/config.py",
        "        if not self.steps:\n            return [per_epoch] * self.epochs",
        "        if True:\n            return [per_epoch] * self.epochs",
        ("tests/test_protocol.py",),
    ),
    Mutant(
        "pretext training on the full grid",
        "split",
        "essl_testbed/experiments/run.py",
        '        self.train_ds, self.test_ds = parts["train"], parts["test"]',
        '        self.train_ds, self.test_ds = self.full, parts["test"]',
        ("tests/test_learning.py",),
    ),
    Mutant(
        "split by position",
        "split",
        "synthetic/worlds/splits.py",
        'SPLIT_KNOBS: tuple[str, ...] = ("colour", "stroke")',
        'SPLIT_KNOBS: tuple[str, ...] = ("position", "colour")',
        ("tests/test_protocol.py",),
    ),
    Mutant(
        "downstream set from augmented images",
        "probe data",
        "essl_testbed/experiments/downstream.py",
        "    full = full.subset(full.a == 0)\n",
        "",
        ("tests/test_protocol.py",),
    ),
    Mutant(
        "probe fit on the test styles",
        "probe data",
        "essl_testbed/experiments/downstream.py",
        'fits = {C: _fit(features["train"], train, C) for C in PROBE_C_GRID}',
        'fits = {C: _fit(features["test"], test, C) for C in PROBE_C_GRID}',
        ("tests/test_learning.py",),
    ),
    Mutant(
        "probe regularisation chosen on the test styles",
        "probe data",
        "essl_testbed/experiments/downstream.py",
        'val_acc = {C: p.score(features["validation"], val.c, val.weights) for C, p in fits.items()}',
        'val_acc = {C: p.score(features["test"], test.c, test.weights) for C, p in fits.items()}',
        ("tests/test_protocol.py",),
    ),
    Mutant(
        "random-init encoder depends on the task",
        "baseline",
        "synthetic/training.py",
        "    with seeded(seed):\n        model = models",
        "    with seeded(seed):\n        torch.rand(dataset.n_actions)\n        model = models",
        ("tests/test_protocol.py",),
    ),
    Mutant(
        "verdict direction flipped",
        "verdict direction",
        "essl_testbed/report/statistics.py",
        "return Verdict.SUPPORTED if np.sign(result.mean) == contrast.direction else Verdict.CONTRADICTED",
        "return Verdict.CONTRADICTED if np.sign(result.mean) == contrast.direction else Verdict.SUPPORTED",
        ("tests/test_reproduce.py",),
    ),
    Mutant(
        "a verdict that is always supported",
        "verdict direction",
        "essl_testbed/report/statistics.py",
        "    if p_adjusted >= ALPHA or result.mean == 0:\n        return Verdict.INCONCLUSIVE",
        "    if False:\n        return Verdict.INCONCLUSIVE",
        ("tests/test_reproduce.py",),
    ),
    Mutant(
        "equivalence margin ignored",
        "verdict direction",
        "essl_testbed/report/statistics.py",
        "        if p_adjusted < ALPHA:\n            return Verdict.SUPPORTED",
        "        if True:\n            return Verdict.SUPPORTED",
        ("tests/test_protocol.py", "tests/test_reproduce.py"),
    ),
    Mutant(
        "no multiplicity adjustment",
        "statistics",
        "essl_testbed/report/statistics.py",
        "        running = max(running, min(1.0, (m - rank) * float(pvalues[i])))",
        "        running = float(pvalues[i])",
        ("tests/test_protocol.py", "tests/test_reproduce.py"),
    ),
    Mutant(
        "a claim that compares the wrong conditions",
        "claim rule",
        "essl_testbed/report/trained_claims.py",
        'primary = minus(probe["d4"], probe["rot2"])',
        'primary = minus(probe["rot2"], probe["d4"])',
        ("tests/test_reproduce.py",),
    ),
    Mutant(
        "unpaired seeds",
        "statistics",
        "essl_testbed/report/trained_claims.py",
        "    return {s: a[s] - b[s] for s in sorted(set(a) & set(b))}",
        "    return {s: a[s] - b[(s + 1) % len(b)] for s in sorted(set(a) & set(b))}",
        ("tests/test_reproduce.py",),
    ),
)


def _tracked(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def _copy(root: Path, target: Path) -> None:
    for name in _tracked(root):
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _first_failure(output: str) -> str:
    match = re.search(r"^FAILED (\S+)", output, flags=re.M) or re.search(r"^ERROR (\S+)", output, flags=re.M)
    return match.group(1) if match else "(collection or doctest)"


def run(mutants: tuple[Mutant, ...], scratch: Path) -> list[tuple[Mutant, bool, str, float]]:
    rows = []
    env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    for m in mutants:
        path = scratch / m.path
        original = path.read_text()
        if original.count(m.old) != 1:
            raise SystemExit(f"mutant {m.name!r}: the text to replace occurs {original.count(m.old)} times in {m.path}")
        path.write_text(original.replace(m.old, m.new))
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *m.tests],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
        )
        path.write_text(original)
        killed = proc.returncode != 0
        rows.append((m, killed, _first_failure(proc.stdout) if killed else "-", time.perf_counter() - t0))
        print(f"{'killed  ' if killed else 'SURVIVED'} {m.name} ({rows[-1][3]:.0f} s)", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run the mutants whose name contains this text")
    args = parser.parse_args(argv)
    chosen = tuple(m for m in MUTANTS if args.only in m.name)
    with tempfile.TemporaryDirectory(prefix="essl-mutants-") as tmp:
        scratch = Path(tmp)
        _copy(ROOT, scratch)
        baseline = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                *sorted({t for m in chosen for t in m.tests}),
            ],
            cwd=scratch,
            env={**os.environ, "PYTHONPATH": str(scratch)},
            capture_output=True,
            text=True,
        )
        if baseline.returncode != 0:
            print(baseline.stdout[-3000:])
            raise SystemExit("the unmutated copy fails its tests; fix that first")
        rows = run(chosen, scratch)
    print("\n| mutant | kind | file | killed | first failing test |\n|---|---|---|---|---|")
    for m, killed, test, _ in rows:
        print(f"| {m.name} | {m.kind} | {m.path} | {'yes' if killed else '**no**'} | {test} |")
    survivors = sum(not killed for _, killed, _, _ in rows)
    print(f"\n{len(rows) - survivors} of {len(rows)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
