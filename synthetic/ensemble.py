"""Seeds trained together: n members of one configuration as one batched model.

``train_ensemble(models, datasets, config, seeds)`` trains ``models[m]`` on ``datasets[m]``
with the data order of ``seeds[m]``, exactly as :func:`synthetic.training.train` would train
each alone (own initialisation, own shuffles, own Adam state: Adam's update is elementwise,
so one Adam over the members' stacked parameters is n independent Adams), but each step is
one call of the members' stacked parameters through ``torch.func.vmap``. Results equal the
members trained alone up to float rounding (batched kernels sum in another order): see
:data:`TOLERANCE`.

Whether it is faster depends on the machine: on a GPU the members fill the device; on a
CPU the convolutions are compute-bound and batching saves only per-call overhead
(``benchmarks/bench_ensemble.py`` prints the table).

>>> from synthetic.config import TrainConfig
>>> from synthetic.training import build_model
>>> from synthetic.worlds import presets
>>> ds = presets.get("six-nine").dataset("rot4")
>>> config = TrainConfig(model="mlp", epochs=2, batch_size=4)
>>> members = [build_model(config, ds, seed=s) for s in (0, 1)]
>>> histories = train_ensemble(members, [ds, ds], config, seeds=(0, 1))
>>> [len(h) for h in histories]
[2, 2]
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch import nn

from .config import TrainConfig
from .errors import TrainConfigError
from .nets.runtime import resolve_device
from .training import as_tensors
from .worlds.datasets import WorldDataset

__all__ = ["TOLERANCE", "train_ensemble"]

TOLERANCE = 1e-3
"""Largest relative difference allowed between a member's epoch loss and the same seed's
trained alone in float32, over three epochs. Measured: at most 1e-7 for the CNN, MLP and
bottleneck, up to 4e-4 for the C4 CNN (its batched group convolutions sum in another
order, and Adam amplifies the drift). In float64 every member tracks its seed's run to
1e-9, which the tests check; a member given another seed's data order is off by 1e-4 to 1e-2."""


class _PerSampleLoss(nn.Module):
    """Calls a member's ``per_sample_loss`` through ``forward``, for ``torch.func.functional_call``."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor, a: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.model.per_sample_loss(x, a, c)  # type: ignore[operator]


def _check(models: Sequence[nn.Module], datasets: Sequence[WorldDataset], seeds: Sequence[int]) -> None:
    if not (len(models) == len(datasets) == len(seeds)) or not models:
        raise TrainConfigError(
            f"an ensemble needs one dataset and one seed per member, got {len(models)} models, "
            f"{len(datasets)} datasets, {len(seeds)} seeds"
        )
    if len({len(d) for d in datasets}) != 1:
        raise TrainConfigError(
            f"ensemble members need training sets of one size, got {sorted({len(d) for d in datasets})}"
        )
    if len({type(m) for m in models}) != 1:
        raise TrainConfigError("ensemble members must be one architecture")
    for d in datasets:
        if not bool((torch.as_tensor(d.weights) >= 0).all()) or not d.weights.sum() > 0:
            raise TrainConfigError("dataset weights must be non-negative with a positive sum")


def train_ensemble(
    models: Sequence[nn.Module],
    datasets: Sequence[WorldDataset],
    config: TrainConfig,
    seeds: Sequence[int],
    on_epoch: Callable[[int, int, nn.Module], dict] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[list[dict]]:
    """Train the members together; returns each member's history, as :func:`~synthetic.training.train` would.

    ``on_epoch(member, epoch, model)`` runs at epoch 0 and after every epoch with the
    member's current weights loaded into ``models[member]``. The members' weights are in
    ``models`` when it returns.
    """
    from torch.func import functional_call, stack_module_state, vmap

    _check(models, datasets, seeds)
    n = len(models)
    device = resolve_device(config.device)
    tensors = [as_tensors(d, device) for d in datasets]
    x, a, c, w = (torch.stack([t[k] for t in tensors]) for k in range(4))
    params, buffers = stack_module_state(list(models))
    base = _PerSampleLoss(copy.deepcopy(models[0]))
    prefixed_buffers = {f"model.{k}": v for k, v in buffers.items()}

    def member_loss(p: dict, xb: torch.Tensor, ab: torch.Tensor, cb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return functional_call(base, ({f"model.{k}": v for k, v in p.items()}, prefixed_buffers), (xb, ab, cb))

    batched = vmap(member_loss)
    optimiser = torch.optim.Adam(list(params.values()), lr=config.lr)
    generators = [torch.Generator().manual_seed(s) for s in seeds]
    members = torch.arange(n, device=device)[:, None]

    def sync() -> None:
        with torch.no_grad():
            for m, model in enumerate(models):
                for name, p in model.named_parameters():
                    p.copy_(params[name][m])

    histories: list[list[dict]] = [[] for _ in range(n)]
    if on_epoch is not None:
        for m in range(n):
            histories[m].append({"epoch": 0, **on_epoch(m, 0, models[m])})
    schedule = config.batches_per_epoch(len(datasets[0]))
    for epoch, n_batches in enumerate(schedule, 1):
        for model in models:
            model.train()
        base.train()
        total, correct = torch.zeros(n, dtype=torch.float64), torch.zeros(n, dtype=torch.float64)
        seen = torch.zeros(n, dtype=torch.float64)
        orders = [
            torch.randperm(len(datasets[0]), generator=g).split(config.batch_size)[:n_batches] for g in generators
        ]
        for batch in zip(*orders):
            idx = torch.stack(batch).to(device)
            xb, ab, cb, wb = x[members, idx], a[members, idx], c[members, idx], w[members, idx]
            losses, predictions = batched(params, xb, ab, cb)
            member_losses = (wb * losses).sum(1) / wb.sum(1)
            optimiser.zero_grad()
            member_losses.sum().backward()
            optimiser.step()
            share = wb.sum(1).double().cpu()
            seen += share
            total += member_losses.detach().double().cpu() * share
            correct += (wb * (predictions == ab)).sum(1).double().cpu()
        due = on_epoch is not None
        if due or epoch == len(schedule):
            sync()
        for m in range(n):
            row = {"epoch": epoch, "loss": float(total[m] / seen[m]), "train_pretext_acc": float(correct[m] / seen[m])}
            if on_epoch is not None:
                row.update(on_epoch(m, epoch, models[m]))
            histories[m].append(row)
        if progress is not None:
            progress(epoch)
    sync()
    return histories
