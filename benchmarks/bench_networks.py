"""Training throughput of the small networks in :mod:`synthetic`, and parameter counts at
matched feature size.

Prints samples/s for one forward + backward + optimiser step (SGD) of each model with a
four-way action head, at batch 256, on 16x16x3 and 8x8x1 inputs.

    .venv/bin/python benchmarks/bench_networks.py                 # CPU, one thread
    .venv/bin/python benchmarks/bench_networks.py --threads 2
    .venv/bin/python benchmarks/bench_networks.py --device cuda

One intra-op thread is the default: on a 2-core machine where anything else is running,
two OpenMP threads stall for tens to hundreds of milliseconds per step and the timings
scatter by 10x or more; one thread gives stable numbers. Each cell is the best of
``--passes`` passes over all models (the first pass in a fresh process runs up to ~1.5x
slower while allocator and kernel caches warm up).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic.nets.bottleneck import CategoricalBottleneck  # noqa: E402
from synthetic.nets.c4 import C4Encoder  # noqa: E402
from synthetic.nets.encoders import CNNEncoder, MLPEncoder  # noqa: E402
from synthetic.nets.matched import matched_pair  # noqa: E402
from synthetic.nets.pretext_model import PretextModel  # noqa: E402
from synthetic.nets.runtime import resolve_device, seeded  # noqa: E402

N_ACTIONS = 4
INPUTS = ((3, 16), (1, 8))  # (channels, size)


def models(channels: int, size: int, feature_dim: int) -> dict[str, nn.Module]:
    """Name -> model whose ``loss(x, actions)`` is benchmarked."""
    pair = matched_pair(channels, feature_dim, cnn_width=16)
    encoders = {
        "CNN w16": pair.cnn,
        f"C4 w{pair.c4.width} (param-matched)": pair.c4,
        "C4 w16 (width-matched)": C4Encoder(channels, width=16, feature_dim=feature_dim),
        "MLP h128": MLPEncoder(channels, size, hidden=128, feature_dim=feature_dim),
    }
    out: dict[str, nn.Module] = {name: PretextModel(enc, N_ACTIONS) for name, enc in encoders.items()}
    out["bottleneck(CNN w16, 16 codes)"] = CategoricalBottleneck(
        CNNEncoder(channels, width=16, feature_dim=feature_dim), n_codes=16, n_actions=N_ACTIONS
    )
    return out


def loss_fn(model: nn.Module) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if isinstance(model, PretextModel):
        return lambda x, a: model.loss(model(x), a)
    return model.loss  # type: ignore[return-value]


def samples_per_second(model: nn.Module, x: torch.Tensor, a: torch.Tensor, min_seconds: float) -> float:
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss = loss_fn(model)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss(x, a).backward()
        opt.step()

    warm_until = time.perf_counter() + 0.25 * min_seconds
    while time.perf_counter() < warm_until:
        step()
    times: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(times) < 5:
        if x.is_cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        step()
        if x.is_cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return x.shape[0] / statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--feature-dim", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op CPU threads")
    parser.add_argument("--min-seconds", type=float, default=0.5, help="timed seconds per model, input and pass")
    parser.add_argument("--passes", type=int, default=2, help="passes over all models; the best is reported")
    args = parser.parse_args(argv)
    device = resolve_device(args.device)
    torch.set_num_threads(args.threads)

    print(
        f"device {device}, torch {torch.__version__}, {torch.get_num_threads()} CPU threads, "
        f"batch {args.batch}, feature_dim {args.feature_dim}; forward + backward + SGD step\n"
    )
    rows: dict[str, dict[str, float]] = {}
    params: dict[str, int] = {}
    columns = [f"{s}x{s}x{c}" for c, s in INPUTS]
    for _ in range(args.passes):
        for (channels, size), column in zip(INPUTS, columns):
            with seeded(0):
                built = models(channels, size, args.feature_dim)
            g = torch.Generator().manual_seed(0)
            x = torch.rand(args.batch, channels, size, size, generator=g).to(device)
            a = torch.randint(0, N_ACTIONS, (args.batch,), generator=g).to(device)
            for name, model in built.items():
                model.to(device)
                rate = samples_per_second(model, x, a, args.min_seconds)
                cells = rows.setdefault(name, {})
                cells[column] = max(rate, cells.get(column, 0.0))
                params.setdefault(name, sum(p.numel() for p in model.parameters()))
    width = max(map(len, rows)) + 2
    header = "model".ljust(width) + "".join(f"{c + ' samples/s':>22}" for c in columns) + f"{'params (3 ch)':>16}"
    print(header)
    print("-" * len(header))
    for name, cells in rows.items():
        print(name.ljust(width) + "".join(f"{cells[c]:>22,.0f}" for c in columns) + f"{params[name]:>16,}")

    print("\nparameter counts at matched feature size (CNN width 16; C4 width chosen to match parameters)")
    print(f"{'feature_dim':>11} {'channels':>9} {'CNN params':>11} {'C4 width':>9} {'C4 params':>10} {'C4/CNN':>7}")
    for feature_dim in (16, 64, 256, 1024):
        for channels in (1, 3):
            with torch.device("meta"):
                pair = matched_pair(channels, feature_dim, cnn_width=16)
            ratio = pair.c4_parameters / pair.cnn_parameters
            print(
                f"{feature_dim:>11} {channels:>9} {pair.cnn_parameters:>11,} {pair.c4.width:>9} "
                f"{pair.c4_parameters:>10,} {ratio:>7.2f}"
            )


if __name__ == "__main__":
    main()
