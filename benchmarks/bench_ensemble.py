"""Seeds trained together (one batched model, ``synthetic.ensemble``) against the same seeds
trained one after another, measured in the same process.

For each device (the CPU with 1 and with 2 torch threads; a CUDA GPU when present), each
registered model and n = 1, 4, 10, 20 members, prints training samples per second: n
members trained together, and n runs one after another (the throughput of one run; n
sequential runs take n times as long). Every measurement is the best of ``--repeat`` timed
epochs after a warm-up epoch, on the first 1,024 rows of the ``natural`` world under rot4,
batch 64.

    .venv/bin/python benchmarks/bench_ensemble.py [--repeat 3] [--sizes 1,4,10,20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from synthetic import models  # noqa: E402
from synthetic.config import TrainConfig  # noqa: E402
from synthetic.ensemble import train_ensemble  # noqa: E402
from synthetic.training import build_model, train  # noqa: E402
from synthetic.worlds import presets  # noqa: E402

ROWS, BATCH = 1024, 64


def best_seconds(fn, repeat: int) -> float:
    fn()  # warm-up: allocator and kernel caches
    best = float("inf")
    for _ in range(repeat):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return best


def rates(model_name: str, dataset, sizes: list[int], device: str, repeat: int) -> tuple[float, dict[int, float]]:
    config = TrainConfig(model=model_name, epochs=1, batch_size=BATCH, device=device)
    alone = build_model(config, dataset, seed=0)
    one = len(dataset) / best_seconds(lambda: train(alone, dataset, config, seed=0), repeat)
    together = {}
    for n in sizes:
        members = [build_model(config, dataset, seed=s) for s in range(n)]
        seconds = best_seconds(lambda: train_ensemble(members, [dataset] * n, config, range(n)), repeat)
        together[n] = n * len(dataset) / seconds
    return one, together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,4,10,20")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    dataset = presets.get("natural").dataset("rot4").subset(np.arange(ROWS))
    settings = [("cpu", 1), ("cpu", 2)] + ([("cuda", 0)] if torch.cuda.is_available() else [])
    print(
        f"torch {torch.__version__}; samples/s of training (natural/rot4, {ROWS} rows, batch {BATCH}); "
        "'speed-up' = together / one after another"
    )
    header = f"{'device':<8}{'model':<12}{'alone':>9}" + "".join(f"{f'n={n}':>10}{'speed-up':>9}" for n in sizes)
    print(header)
    print("-" * len(header))
    for device, threads in settings:
        if threads:
            torch.set_num_threads(threads)
        label = f"{device}x{threads}" if threads else device
        for name in models.names():
            one, together = rates(name, dataset, sizes, device, args.repeat)
            cells = "".join(f"{together[n]:>10.0f}{together[n] / one:>9.2f}" for n in sizes)
            print(f"{label:<8}{name:<12}{one:>9.0f}{cells}", flush=True)


if __name__ == "__main__":
    main()
