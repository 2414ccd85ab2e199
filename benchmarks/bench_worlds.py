"""Rendering and exact analysis of worlds from 10^3 to over 10^5 latent cells.

Prints one row per (world, transformation): latent cells, render time (raw images, every
action, X ids), analysis time (``analyze``: the class-erased rendering, the cheap
statistics and every measure), and cells per second overall; the best of ``--repeat`` runs
on freshly built worlds. Then prints the ``analyze`` table of the ``natural`` world for the
paper's seven transformations.

    .venv/bin/python benchmarks/bench_worlds.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import transforms  # noqa: E402
from synthetic.worlds import glyphs, presets  # noqa: E402
from synthetic.worlds.analysis import analyze, format_comparison  # noqa: E402
from synthetic.worlds.glyph_world import GlyphWorld  # noqa: E402


def grey_grid_world() -> GlyphWorld:
    """Ten asymmetric glyphs at all 81 positions of a 16x16 canvas, two strokes, any D4 pose."""
    return GlyphWorld(
        glyphs.asymmetric(size=8),
        canvas=16,
        positions=[(r, c) for r in range(9) for c in range(9)],
        strokes=(0, 1),
        pose="d4",
        name="grey-grid",
    )


CASES: list[tuple[str, Callable[[], GlyphWorld], str]] = [
    ("natural", lambda: presets.get("natural"), "rot4"),
    ("natural", lambda: presets.get("natural"), "jigsaw"),
    (
        "natural 10 cl, 18 colours",
        lambda: presets.get("natural", n_classes=10, n_colours=6, n_backgrounds=3),
        "rot4*vflip",
    ),
    ("grey-grid (81 positions, d4 pose)", grey_grid_world, "d4"),
    (
        "natural crop-flip, 10 cl, 18 colours",
        lambda: presets.get("natural", n_classes=10, n_colours=6, n_backgrounds=3, n_positions=5, base="crop-flip"),
        "rot4",
    ),
]


def time_case(make: Callable[[], GlyphWorld], transform: str, repeat: int) -> tuple[int, float, float]:
    best_render = best_analysis = float("inf")
    cells = 0
    for _ in range(repeat):
        world = make()
        t0 = time.perf_counter()
        world.x_ids(transform)
        t1 = time.perf_counter()
        result = analyze(world, transform)
        t2 = time.perf_counter()
        cells = result["n_latent_cells"]
        best_render, best_analysis = min(best_render, t1 - t0), min(best_analysis, t2 - t1)
        del world, result
    return cells, best_render, best_analysis


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the best is reported")
    args = parser.parse_args(argv)

    rows = []
    for label, make, transform in CASES:
        cells, render, analysis = time_case(make, transform, max(1, args.repeat))
        rows.append(
            (
                label,
                transform,
                f"{cells:,}",
                f"{render:.3f}",
                f"{analysis:.3f}",
                f"{render + analysis:.3f}",
                f"{cells / (render + analysis):,.0f}",
            )
        )
    header = ("world", "A", "cells", "render s", "analysis s", "total s", "cells/s")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))

    world = presets.get("natural")
    print(f"\nanalyze() of {world.describe()}\n")
    print(format_comparison({t: analyze(world, t) for t in transforms.PAPER_SEVEN}))


if __name__ == "__main__":
    main()
