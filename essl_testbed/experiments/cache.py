"""Files written atomically with ordinary permissions, and the cache of finished runs.

A run is cached as ``ROOT/<experiment key>/seed<N>.json``. A cached file that cannot be
read (a run killed while a disk filled up, a file edited by hand) is named in a warning,
moved aside to ``seed<N>.json.corrupt`` and computed again; it never stops a rerun.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> cache = RunCache(root)
>>> cache.load("abc", 0) is None
True
>>> cache.store("abc", 0, {"seed": 0, "probe_acc": 0.5})
>>> cache.load("abc", 0)
{'seed': 0, 'probe_acc': 0.5}
>>> oct((root / "abc" / "seed0.json").stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
True
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

__all__ = ["RunCache", "atomic_write_json", "atomic_write_text", "current_umask"]


def current_umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and ``os.replace``: never half-written.

    The file gets the permissions an ordinary ``open(path, "w")`` would give (0666 less the
    umask), not the 0600 of a temporary file, so a report folder can be shared.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    """:func:`atomic_write_text` of ``obj`` as indented JSON (numpy scalars as floats)."""
    atomic_write_text(path, json.dumps(obj, indent=1, default=float))


class RunCache:
    """Finished runs under ``root``, one JSON file per (experiment key, seed)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str, seed: int) -> Path:
        return self.root / key / f"seed{seed}.json"

    def load(self, key: str, seed: int) -> dict | None:
        """The cached run, or None when there is none or it cannot be read (then it is moved aside)."""
        path = self.path(key, seed)
        if not path.exists():
            return None
        try:
            run = json.loads(path.read_text())
            if not isinstance(run, dict):
                raise ValueError(f"expected a JSON object, found {type(run).__name__}")
            return run
        except (ValueError, UnicodeDecodeError) as err:
            aside = path.with_name(path.name + ".corrupt")
            os.replace(path, aside)
            warnings.warn(
                f"cached run {path} could not be read ({err}); moved to {aside.name}, computing it again", stacklevel=2
            )
            return None

    def store(self, key: str, seed: int, run: dict) -> None:
        atomic_write_json(self.path(key, seed), run)
