"""Training cost on the ``natural`` world under rot4: epoch throughput, the epochs a linear
probe needs to settle, and the overhead of the exact bottleneck information.

Prints three tables, each with ratios against a baseline measured in the same run (never
asserted; timings on a shared 2-core machine move with its load, printed alongside):

1. samples/s of one epoch of :func:`synthetic.training.train` (forward + backward + Adam)
   for every model of :func:`~synthetic.training.build_model` at two batch sizes, the CNN
   under 1 vs 2 torch threads, and the linear probe's fit under 1 vs 2 BLAS threads;
2. :func:`essl_testbed.experiments.run.run_one` (pretext training + linear probe) for a sweep of
   epoch counts: wall seconds, pretext and probe accuracy. "Stable" is the first E whose
   probe accuracy moves by less than 0.02 at the next larger E; that E is repeated over
   three seeds (mean ± std) and its wall time compared with a 30 s target;
3. the bottleneck model trained with and without the per-epoch exact information
   (:func:`~essl_testbed.experiments.run.bottleneck_information`), same seed and epochs, against a
   +10% target, and where the callback's time goes (the forward pass over the distinct
   images, building the joint, the theory measures).
4. one optimiser step of each model at batch 64, this code against the code path before
   0.5.0 (halving and the CNN readout through adaptive average pooling, patched back in),
   in the same run: samples/s, where a step's time goes (forward, backward, Adam), the
   FLOPs of a step (``torch.utils.flop_counter``) and the share of the machine's FLOP rate,
   measured by a 1024 x 1024 float32 matmul in the same run.

    .venv/bin/python benchmarks/bench_training.py             # about 3-5 minutes, 1 thread
    .venv/bin/python benchmarks/bench_training.py --quick     # reduced, under a minute
    .venv/bin/python benchmarks/bench_training.py --threads 2 --sections 13

One thread is the default (torch intra-op and, through threadpoolctl, the BLAS under the
scikit-learn probe), as in ``bench_networks.py``: on this 2-core machine, with one other
busy process, two threads have run a CNN epoch and a probe fit tens of times slower than
one thread (section 1's thread tables measure both each run).

Section 3's rows, for example ``+ forward in chunks of 512``, re-run the unchanged
``bottleneck_information`` with one part swapped (the forward pass over the images, the
epochs it runs at) to measure a proposed change before anyone makes it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import synthetic.nets.bottleneck  # noqa: E402
import theory  # noqa: E402
import theory.essl  # noqa: E402
from essl_testbed.experiments import Experiment, bottleneck_information, run_one, run_seeds, summarise  # noqa: E402
from synthetic import models  # noqa: E402
from synthetic.config import TrainConfig  # noqa: E402
from synthetic.training import build_model, evaluate, train  # noqa: E402
from synthetic.worlds import presets  # noqa: E402
from synthetic.worlds.datasets import WorldDataset  # noqa: E402

WORLD, TRANSFORM = "natural", "rot4"
TARGET_SECONDS = 30.0  # pretext training + probe to a stable probe accuracy
OVERHEAD_TARGET = 0.10  # exact information every epoch, relative to training alone
STABLE_DELTA = 0.02  # probe accuracy change that counts as settled
THREAD_ROWS = 1024  # the thread comparison's rows: 2 stalled threads can be ~100x slower


@dataclass(frozen=True)
class Plan:
    """How much each section runs; ``--quick`` shrinks every knob."""

    rows: int | None  # section 1 trains on this many seeded rows (None: the full grid)
    repeats: int  # section 1: best of this many timed epochs
    batches: tuple[int, ...]
    sweep: tuple[int, ...]  # section 2 epoch counts
    seeds: tuple[int, ...]  # section 2 seeds at the stable E
    info_epochs: int  # section 3 epochs
    info_repeats: int  # section 3: best of this many runs with and without the callback


FULL = Plan(
    rows=None, repeats=2, batches=(64, 256), sweep=(5, 10, 15, 20, 30), seeds=(0, 1, 2), info_epochs=15, info_repeats=2
)
QUICK = Plan(rows=1024, repeats=1, batches=(64, 256), sweep=(2, 4, 6), seeds=(0, 1), info_epochs=4, info_repeats=1)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min)"


def rows_of(dataset: WorldDataset, n: int | None, seed: int = 0) -> WorldDataset:
    """A seeded subset of ``n`` rows (weights renormalised), or the whole dataset."""
    if n is None or n >= len(dataset):
        return dataset
    return dataset.subset(np.sort(np.random.default_rng(seed).choice(len(dataset), size=n, replace=False)))


@contextlib.contextmanager
def threads(n: int) -> Iterator[None]:
    """Run a block with ``n`` torch intra-op threads and ``n`` BLAS/OpenMP threads for numpy,
    scipy and scikit-learn (the linear probe), restoring both after."""
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        with threadpool_limits(limits=n):
            yield
    finally:
        torch.set_num_threads(before)


def probe_fit_seconds(features: np.ndarray, dataset: WorldDataset, repeats: int) -> float:
    """Best of ``repeats`` fits of the linear probe (scikit-learn, BLAS underneath)."""
    from synthetic.probe import LinearProbe

    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        LinearProbe().fit(features, dataset.c, dataset.weights)
        best = min(best, time.perf_counter() - t0)
    return best


def epoch_samples_per_second(model_name: str, dataset: WorldDataset, batch_size: int, repeats: int) -> float:
    """Rows per second of ``train(..., epochs=1)``: the best of ``repeats`` epochs after a
    short warm-up epoch (the first steps in a process pay for allocator and kernel caches)."""
    config = TrainConfig(model=model_name, epochs=1, batch_size=batch_size)
    model = build_model(config, dataset, seed=0)
    train(model, rows_of(dataset, 4 * batch_size, seed=1), config, seed=0)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        train(model, dataset, config, seed=0)
        best = min(best, time.perf_counter() - t0)
    return len(dataset) / best


def section_throughput(dataset: WorldDataset, plan: Plan) -> None:
    print(
        f"1. one training epoch (forward + backward + Adam) on {WORLD}/{TRANSFORM}, {len(dataset)} rows; "
        f"{torch.get_num_threads()} torch threads; best of {plan.repeats}; {load()}"
    )
    rates = {
        m: {b: epoch_samples_per_second(m, dataset, b, plan.repeats) for b in plan.batches} for m in models.names()
    }
    base = plan.batches[0]
    header = f"{'model':<12}" + "".join(f"{f'batch {b} samples/s':>22}" for b in plan.batches)
    header += "".join(f"{f'vs cnn @{b}':>12}" for b in plan.batches) + f"{f'@{plan.batches[-1]} vs @{base}':>14}"
    print(header)
    print("-" * len(header))
    for name, cells in rates.items():
        line = f"{name:<12}" + "".join(f"{cells[b]:>22,.0f}" for b in plan.batches)
        line += "".join(f"{cells[b] / rates['cnn'][b]:>12.2f}" for b in plan.batches)
        print(line + f"{cells[plan.batches[-1]] / cells[base]:>14.2f}")

    few = rows_of(dataset, THREAD_ROWS)
    print(f"\n   cnn under 1 vs 2 torch threads on {len(few)} rows (baseline: 2 threads); {load()}")
    per_thread = {}
    for n in (2, 1):
        with threads(n):
            per_thread[n] = {b: epoch_samples_per_second("cnn", few, b, plan.repeats) for b in plan.batches}
    header = f"{'threads':<12}" + "".join(f"{f'batch {b} samples/s':>22}" for b in plan.batches)
    header += "".join(f"{f'vs 2 thr @{b}':>14}" for b in plan.batches)
    print(header)
    print("-" * len(header))
    for n, cells in per_thread.items():
        print(
            f"{n:<12}"
            + "".join(f"{cells[b]:>22,.0f}" for b in plan.batches)
            + "".join(f"{cells[b] / per_thread[2][b]:>14.2f}" for b in plan.batches)
        )

    features = evaluate(build_model(TrainConfig(model="cnn"), dataset, seed=0), dataset)["features"]
    print(
        f"\n   linear probe fit (LinearProbe on random-init cnn features, {features.shape[0]} x "
        f"{features.shape[1]}) under 1 vs 2 BLAS threads (baseline: 2 threads); {load()}"
    )
    fits = {}
    for n in (2, 1):
        with threads(n):
            fits[n] = probe_fit_seconds(features, dataset, plan.repeats + 1)
    print(f"{'threads':<12}{'fit s':>10}{'vs 2 thr':>10}")
    print("-" * 32)
    for n, seconds in fits.items():
        print(f"{n:<12}{seconds:>10.3f}{fits[2] / seconds:>10.2f}")


def timed_run(epochs: int, seed: int) -> tuple[dict, float]:
    config = TrainConfig(model="cnn", epochs=epochs, batch_size=64)
    t0 = time.perf_counter()
    run = run_one(Experiment(WORLD, TRANSFORM, config), seed)
    return run, time.perf_counter() - t0


def first_stable(sweep: Sequence[int], probe: Sequence[float]) -> int | None:
    """The first E whose probe accuracy moves by less than STABLE_DELTA at the next E.

    >>> first_stable([5, 10, 15], [0.3, 0.5, 0.51])
    10
    >>> first_stable([5, 10], [0.3, 0.5]) is None
    True
    """
    for i in range(len(sweep) - 1):
        if abs(probe[i + 1] - probe[i]) < STABLE_DELTA:
            return sweep[i]
    return None


def section_probe(plan: Plan) -> None:
    print(
        f"\n2. run_one({WORLD!r}, {TRANSFORM!r}, TrainConfig(model='cnn', epochs=E, batch_size=64), seed=0): "
        f"pretext training + linear probe; {torch.get_num_threads()} torch threads; {load()}"
    )
    runs: dict[int, tuple[dict, float]] = {}
    header = (
        f"{'E':>4}{'wall s':>9}{'s/epoch':>9}{'vs E=' + str(plan.sweep[0]):>9}{'vs 30 s':>9}"
        f"{'pretext_acc':>13}{'probe_acc':>11}{'probe_acc_random_init':>23}{'d probe':>9}"
    )
    print(header)
    print("-" * len(header))
    for i, epochs in enumerate(plan.sweep):
        run, wall = timed_run(epochs, seed=0)
        runs[epochs] = (run, wall)
        base_wall = runs[plan.sweep[0]][1]
        change = "" if i == 0 else f"{run['probe_acc'] - runs[plan.sweep[i - 1]][0]['probe_acc']:+9.3f}"
        print(
            f"{epochs:>4}{wall:>9.1f}{wall / epochs:>9.2f}{wall / base_wall:>9.2f}{wall / TARGET_SECONDS:>9.2f}"
            f"{run['pretext_acc']:>13.3f}{run['probe_acc']:>11.3f}{run['probe_acc_random_init']:>23.3f}{change:>9}",
            flush=True,
        )
    probe = [runs[e][0]["probe_acc"] for e in plan.sweep]
    stable = first_stable(plan.sweep, probe)
    if stable is None:
        chosen = plan.sweep[-1]
        print(
            f"   probe_acc still moves by >= {STABLE_DELTA} between every pair of E: not stable within the "
            f"sweep; seeds below use the largest E={chosen}"
        )
    else:
        chosen = stable
        verdict = "under" if runs[chosen][1] < TARGET_SECONDS else "OVER"
        print(
            f"   stable at E={chosen} (|d probe_acc| < {STABLE_DELTA} to the next E): seed-0 wall "
            f"{runs[chosen][1]:.1f} s, {verdict} the {TARGET_SECONDS:.0f} s target"
        )
    config = TrainConfig(model="cnn", epochs=chosen, batch_size=64)
    others = [s for s in plan.seeds if s != 0]
    result = run_seeds(Experiment(WORLD, TRANSFORM, config), others, show_progress=False)
    walls = [run["seconds"] for run in (runs[chosen][0], *result["runs"])]
    # Same seed, same numbers on CPU: seed 0 is the sweep's run, not trained again.
    summary = summarise([runs[chosen][0], *result["runs"]])
    print(f"   E={chosen} over seeds {list(plan.seeds)} (mean ± std, n={len(plan.seeds)}; seed 0 from the sweep):")
    for key in ("pretext_acc", "probe_acc", "probe_acc_random_init"):
        print(f"     {key:<24}{summary[key]['mean']:.3f} ± {summary[key]['std']:.3f}")
    print(
        f"     {'wall s':<24}{np.mean(walls):.1f} ± {np.std(walls, ddof=1) if len(walls) > 1 else 0.0:.1f}"
        f"   ({'under' if np.mean(walls) < TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target)"
    )


FORWARD_CHUNK = 512  # rows per forward pass of the proposed chunked code table
STAGES = ("forward over distinct images (code_table)", "joint construction", "theory measures")


def chunked(code_table: Callable[[torch.Tensor], np.ndarray], rows: int) -> Callable[[torch.Tensor], np.ndarray]:
    """``code_table`` over ``rows``-row chunks: one 4608-image batch thrashes the CPU caches."""
    return lambda x: np.concatenate([code_table(part) for part in x.split(rows)])


class StageClock:
    """An ``on_epoch`` callback running ``bottleneck_information`` that records the seconds
    spent in its stages, found by wrapping the functions it calls (it imports them at call
    time, so patching their modules reaches it).

    ``chunk`` runs the forward pass in chunks of that many rows (the proposed change);
    ``every`` computes the information only at epochs 0, every, 2*every, ... and the last.
    """

    def __init__(self, world, dataset: WorldDataset, last_epoch: int, chunk: int | None = None, every: int = 1):
        self.world, self.dataset, self.last_epoch = world, dataset, last_epoch
        self.chunk, self.every = chunk, every
        self.seconds: dict[str, float] = {}
        self.calls = 0
        self.wall = float("nan")  # seconds of the whole training run, set by the caller
        self.measures: list[dict] = []

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0

        return timed

    def __call__(self, epoch: int, model: torch.nn.Module) -> dict:
        if epoch % self.every and epoch != self.last_epoch:
            return {}
        self.calls += 1
        forward = model.code_table if self.chunk is None else chunked(model.code_table, self.chunk)
        model.code_table = self.wrap(STAGES[0], forward)
        with contextlib.ExitStack() as stack:
            for module, name, stage in (
                (synthetic.nets.bottleneck, "joint_with_codes_from_ids", STAGES[1]),
                (theory, "Joint", STAGES[1]),
                (theory.essl, "explaining_away_identity", STAGES[2]),
                (theory, "mutual_information", STAGES[2]),
                (theory, "entropy", STAGES[2]),
            ):
                stack.enter_context(mock.patch.object(module, name, self.wrap(stage, getattr(module, name))))
            t0 = time.perf_counter()
            try:
                out = bottleneck_information(self.world, TRANSFORM, self.dataset, model)
            finally:
                self.seconds["total"] = self.seconds.get("total", 0.0) + time.perf_counter() - t0
                del model.code_table
        self.measures.append(out)
        return out


def calls_at(every: int, epochs: int) -> int:
    """How many epochs of 0..epochs an every-``every`` evaluation (plus the last) visits.

    >>> calls_at(1, 15), calls_at(5, 15), calls_at(4, 15)
    (16, 4, 5)
    """
    return len(set(range(0, epochs + 1, every)) | {epochs})


def cadence_for(per_call: float, per_epoch: float, epochs: int) -> int:
    """The smallest evaluation period whose calls (epoch 0, multiples, the last) cost at most
    the overhead target, or ``epochs`` if none does."""
    for every in range(1, epochs + 1):
        if calls_at(every, epochs) * per_call <= OVERHEAD_TARGET * epochs * per_epoch:
            return every
    return epochs


def section_information(plan: Plan) -> None:
    world = presets.get(WORLD)
    full = world.dataset(TRANSFORM)
    train_ds, _ = full.split(0.25, seed=0, by="S")
    config = TrainConfig(model="bottleneck", epochs=plan.info_epochs, batch_size=64)
    print(
        f"\n3. bottleneck model, {plan.info_epochs} epochs on the {len(train_ds)}-row training split, seed 0, "
        f"with and without on_epoch=bottleneck_information (over all {len(full)} rows); best of "
        f"{plan.info_repeats}, variants interleaved; {torch.get_num_threads()} torch threads; {load()}"
    )

    def one(clock: StageClock | None) -> float:
        model = build_model(config, full, seed=0)
        t0 = time.perf_counter()
        train(model, train_ds, config, seed=0, on_epoch=clock)
        seconds = time.perf_counter() - t0
        if clock is not None:
            clock.wall = seconds
        return seconds

    def clock(chunk: int | None = None, every: int = 1) -> StageClock:
        return StageClock(world, full, plan.info_epochs, chunk, every)

    one(None)  # warm-up
    # Interleaved, so a load spike on the shared machine hits every variant alike.
    bare, as_is, chunk = float("inf"), [], []
    for _ in range(plan.info_repeats):
        bare = min(bare, one(None))
        for runs, made in ((as_is, clock()), (chunk, clock(FORWARD_CHUNK))):
            one(made)
            runs.append(made)
    best_as_is, best_chunk = (min(runs, key=lambda c: c.wall) for runs in (as_is, chunk))
    per_epoch = bare / plan.info_epochs
    every = cadence_for(best_chunk.seconds["total"] / best_chunk.calls, per_epoch, plan.info_epochs)
    sparse = [clock(FORWARD_CHUNK, every) for _ in range(plan.info_repeats)]
    for made in sparse:
        one(made)
    best_sparse = min(sparse, key=lambda c: c.wall)
    as_is, chunk = best_as_is, best_chunk

    rows = [
        ("train, no callback", bare, None),
        ("+ bottleneck_information (as is)", as_is.wall, as_is),
        (f"+ forward in chunks of {FORWARD_CHUNK}", chunk.wall, chunk),
        (f"+ chunks of {FORWARD_CHUNK}, every {every} epochs + last", best_sparse.wall, best_sparse),
    ]
    header = f"{'run':<44}{'calls':>6}{'wall s':>9}{'s/call':>9}{'vs without':>12}{'in-run share':>14}"
    print(header)
    print("-" * len(header))
    for name, wall, clock in rows:
        if clock is None:
            print(f"{name:<44}{0:>6}{wall:>9.2f}{'':>9}{1.0:>12.2f}{'':>14}")
            continue
        inside = clock.seconds["total"]
        print(
            f"{name:<44}{clock.calls:>6}{wall:>9.2f}{inside / clock.calls:>9.3f}{wall / bare:>12.2f}"
            f"{inside / (wall - inside):>14.1%}"
        )
    ratio = as_is.wall / bare
    print(
        f"   as is: {100 * (ratio - 1):+.0f}% end to end, {'within' if ratio - 1 <= OVERHEAD_TARGET else 'OVER'} the "
        f"+{100 * OVERHEAD_TARGET:.0f}% target; one call costs "
        f"{as_is.seconds['total'] / as_is.calls / per_epoch:.0%} of a training epoch ({per_epoch:.2f} s); "
        f"'in-run share' is callback time / the rest of that run, immune to load between runs"
    )
    same = max(abs(a[k] - b[k]) for a, b in zip(as_is.measures, chunk.measures) for k in a)
    print(f"   chunked forward, same training: max |difference| over every reported measure and epoch = {same:.1e}")

    print(f"\n   where bottleneck_information's time goes (as is, {as_is.calls} calls; share of its total)")
    header = f"   {'stage':<44}{'s/call':>9}{'share':>8}{'chunked s/call':>16}"
    print(header)
    print("   " + "-" * (len(header) - 3))
    for stage in (*STAGES, "other (ids, q table, checks)"):
        if stage in STAGES:
            mine, theirs = as_is.seconds.get(stage, 0.0), chunk.seconds.get(stage, 0.0)
        else:
            mine = as_is.seconds["total"] - sum(as_is.seconds.get(s, 0.0) for s in STAGES)
            theirs = chunk.seconds["total"] - sum(chunk.seconds.get(s, 0.0) for s in STAGES)
        print(
            f"   {stage:<44}{mine / as_is.calls:>9.4f}{mine / as_is.seconds['total']:>8.1%}"
            f"{theirs / chunk.calls:>16.4f}"
        )
    print(
        f"   distinct images per call: {len(np.unique(full.latents['X']))} (training rows per epoch: {len(train_ds)})"
    )

    print(f"\n   projected overhead = calls x s/call / (E x {per_epoch:.3f} s/epoch), from the costs measured above")
    cost = {"as is": as_is.seconds["total"] / as_is.calls, "chunked": chunk.seconds["total"] / chunk.calls}
    header = f"   {'E':>4}{'every':>7}{'calls':>7}" + "".join(f"{name:>10}" for name in cost)
    print(header)
    print("   " + "-" * (len(header) - 3))
    for epochs in sorted({plan.info_epochs, TrainConfig().epochs}):
        for period in (p for p in (1, 2, 3, 4, 5) if p <= epochs):
            calls = calls_at(period, epochs)
            print(
                f"   {epochs:>4}{period:>7}{calls:>7}"
                + "".join(f"{calls * c / (epochs * per_epoch):>10.0%}" for c in cost.values())
            )


def matmul_gflops(n: int = 1024, repeats: int = 5, device: str = "cpu") -> float:
    """The device's float32 rate (on this thread count, for the CPU): the best of ``repeats``
    n x n matmuls."""
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        sync(device)
        t0 = time.perf_counter()
        a @ b
        sync(device)
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def sync(device: str) -> None:
    """Wait for the device's queued work (a GPU runs asynchronously; the CPU needs nothing)."""
    if device != "cpu":
        torch.cuda.synchronize(device)


@contextlib.contextmanager
def code_before_0_5() -> Iterator[None]:
    """Halving and the CNN's 2x2 readout through adaptive average pooling, as before 0.5.0
    (the same numbers: tests/test_networks.py checks the bits)."""
    import torch.nn.functional as F

    import synthetic.nets.c4 as c4
    import synthetic.nets.encoders as encoders

    def halve(x: torch.Tensor) -> torch.Tensor:
        lead, (h, w) = x.shape[:-2], x.shape[-2:]
        pooled = F.adaptive_avg_pool2d(x.reshape(-1, 1, h, w), (h + 1) // 2)
        return pooled.reshape(*lead, *pooled.shape[-2:])

    def forward(self: encoders.CNNEncoder, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.readout(F.adaptive_avg_pool2d(self.feature_map(x), 2).flatten(1)))

    with (
        mock.patch.object(encoders, "halve_spatial", halve),
        mock.patch.object(c4, "halve_spatial", halve),
        mock.patch.object(encoders.CNNEncoder, "forward", forward),
    ):
        yield


def step_profile(
    model_name: str, dataset: WorldDataset, batch: int, steps: int, device: str = "cpu"
) -> dict[str, float]:
    """Milliseconds per step in the forward pass (with the loss), the backward pass and Adam,
    best of two blocks of ``steps`` steps after a warm-up, and the FLOPs of one step."""
    from torch.utils.flop_counter import FlopCounterMode

    from synthetic.training import as_tensors

    config = TrainConfig(model=model_name, steps=1, batch_size=batch, device=device)
    model = build_model(config, dataset, seed=0)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    x, a, c, w = as_tensors(dataset, device)
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(0)).repeat(8).to(device)
    batches = order.split(batch)[: 3 * steps]
    with FlopCounterMode(display=False) as counter:
        loss, _ = model.pretext_loss(x[batches[0]], a[batches[0]], c[batches[0]], w[batches[0]])
        loss.backward()
    best = {"forward": float("inf"), "backward": float("inf"), "adam": float("inf")}
    for block in range(3):  # block 0 warms up
        spent = dict.fromkeys(best, 0.0)
        for b in batches[block * steps : (block + 1) * steps]:
            sync(device)
            t0 = time.perf_counter()
            loss, _ = model.pretext_loss(x[b], a[b], c[b], w[b])
            sync(device)
            t1 = time.perf_counter()
            optimiser.zero_grad()
            loss.backward()
            sync(device)
            t2 = time.perf_counter()
            optimiser.step()
            sync(device)
            t3 = time.perf_counter()
            spent["forward"] += t1 - t0
            spent["backward"] += t2 - t1
            spent["adam"] += t3 - t2
        if block:
            best = {k: min(best[k], spent[k] / steps * 1e3) for k in best}
    return {**best, "flops": float(counter.get_total_flops())}


def section_step(dataset: WorldDataset, plan: Plan, device: str = "cpu") -> None:
    steps = 20 if plan is QUICK else 60
    gflops = matmul_gflops(device=device)
    print(
        f"4. one optimiser step at batch 64 on {WORLD}/{TRANSFORM}, {device}, this code vs the code before 0.5.0 "
        f"(same run); best of 2 x {steps} steps; matmul rate {gflops:.1f} GFLOP/s; {load()}"
    )
    header = (
        f"{'model':<12}{'code':<8}{'samples/s':>11}{'vs before':>11}{'forward ms':>12}{'backward ms':>13}"
        f"{'Adam ms':>9}{'MFLOP/step':>12}{'GFLOP/s':>9}{'of matmul':>11}"
    )
    print(header)
    print("-" * len(header))
    for name in models.names():
        rows = {}
        for label in ("before", "now"):
            with code_before_0_5() if label == "before" else contextlib.nullcontext():
                rows[label] = step_profile(name, dataset, 64, steps, device)
        for label, r in rows.items():
            ms = r["forward"] + r["backward"] + r["adam"]
            rate = 64 / ms * 1e3
            before = 64 / (rows["before"]["forward"] + rows["before"]["backward"] + rows["before"]["adam"]) * 1e3
            achieved = r["flops"] / ms / 1e6
            print(
                f"{name:<12}{label:<8}{rate:>11,.0f}{rate / before:>10.2f}x{r['forward']:>12.2f}{r['backward']:>13.2f}"
                f"{r['adam']:>9.2f}{r['flops'] / 1e6:>12.1f}{achieved:>9.2f}{achieved / gflops:>10.1%}"
            )
    loop_steps = 50 if plan is QUICK else 300
    print(f"\n   the training loop itself (synthetic.training.train, {loop_steps} steps, batch 64, {device}); {load()}")
    print(f"{'model':<12}{'samples/s':>11}{'ms/step':>9}")
    print("-" * 32)
    for name in models.names():
        seconds = loop_seconds(name, dataset, loop_steps, device)
        print(f"{name:<12}{64 * loop_steps / seconds:>11,.0f}{seconds / loop_steps * 1e3:>9.2f}")


def loop_seconds(model_name: str, dataset: WorldDataset, steps: int, device: str) -> float:
    """Wall seconds of ``train`` for ``steps`` steps at batch 64, after a 10-step warm-up."""
    config = TrainConfig(model=model_name, steps=steps, batch_size=64, device=device)
    model = build_model(config, dataset, seed=0)
    train(model, dataset, TrainConfig(model=model_name, steps=10, batch_size=64, device=device), seed=1)
    sync(device)
    t0 = time.perf_counter()
    train(model, dataset, config, seed=0)
    sync(device)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under a minute")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads for every section")
    parser.add_argument("--sections", default="1234", help="which sections to run, e.g. 14")
    parser.add_argument("--device", default="cpu", help="section 4's device: cpu, or cuda when one is present")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.threads < 1:
        parser.error(f"--threads must be >= 1, got {args.threads}")
    if set(args.sections) - set("1234") or not args.sections:
        parser.error(f"--sections takes digits 1-4, got {args.sections!r}")
    from synthetic.errors import DeviceError
    from synthetic.nets.runtime import resolve_device

    try:
        args.device = str(resolve_device(args.device))
    except DeviceError as err:
        parser.error(str(err))
    print(
        f"torch {torch.__version__}, {args.threads} torch and BLAS threads (torch's default here: "
        f"{torch.get_num_threads()}), {os.cpu_count()} CPUs, {'--quick' if args.quick else 'full'} plan; {load()}\n"
    )
    t0 = time.perf_counter()
    with threads(args.threads):
        if "1" in args.sections:
            full = presets.get(WORLD).dataset(TRANSFORM)
            section_throughput(rows_of(full, plan.rows), plan)
        if "2" in args.sections:
            section_probe(plan)
        if "3" in args.sections:
            section_information(plan)
        if "4" in args.sections:
            section_step(presets.get(WORLD).dataset(TRANSFORM), plan, args.device)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; {load()}")


if __name__ == "__main__":
    main()
