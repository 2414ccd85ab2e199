"""Write the published findings (``docs/results/results.json``) into the README's findings
block, between its ``findings`` snippet markers: ``python tools/readme_findings.py`` after
``essl-testbed reproduce --out docs/results [--only CLAIM ...]``. ``tests/test_results.py``
fails while the README and the results disagree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- --8<-- [start:findings] -->", "<!-- --8<-- [end:findings] -->"


def findings_block(results_dir: Path = ROOT / "docs" / "results") -> str:
    """The README's findings block for the results in ``results_dir``."""
    from essl_testbed.report.folder import findings_table

    return findings_table(json.loads((results_dir / "results.json").read_text()))


def readme_block(readme: str) -> str:
    """What the README holds between its findings markers."""
    if START not in readme or END not in readme:
        raise SystemExit(f"the README has no findings block ({START} ... {END})")
    return readme.split(START, 1)[1].split(END, 1)[0].strip("\n")


def main() -> int:
    path = ROOT / "README.md"
    readme = path.read_text()
    old, new = readme_block(readme), findings_block()
    before, rest = readme.split(START, 1)
    path.write_text(f"{before}{START}\n{new}\n{END}{rest.split(END, 1)[1]}")
    print(f"{path}: findings block {'unchanged' if old == new else 'rewritten'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
