"""The command registry and the options that several commands share.

A command is declared once, next to its options: ``@command(name, help, options=fn)``
registers ``run(args) -> exit code`` with ``fn(parser)``, which adds its options (only for the
command being run, so that building the parser never imports what the others need).

>>> positive_int("3"), seeds("0,2")
(3, [0, 2])
>>> positive_int("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a positive integer, got '0'
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

__all__ = [
    "COMMANDS",
    "Command",
    "add_budget_options",
    "add_executor_options",
    "apply_budget",
    "command",
    "executor",
    "non_negative_int",
    "positive_int",
    "print_json",
    "progress_log",
    "seeds",
    "world_and_transform",
]

Handler = Callable[[argparse.Namespace], int]
Options = Callable[[argparse.ArgumentParser], None]


@dataclass
class Command:
    """A subcommand: its help, its handler, its options, which of its options are paths the
    user gives (OS errors on those are input errors, not bugs) and, after an interrupt, how to
    continue."""

    name: str
    help: str
    run: Handler
    options: Options
    paths: tuple[str, ...] = ()
    resume: str = ""


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help_text: str, options: Options = lambda p: None, paths: tuple[str, ...] = (), resume: str = ""
) -> Callable[[Handler], Handler]:
    """Register ``fn(args) -> int`` as the subcommand ``name`` with the options ``options`` adds."""

    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, help_text, fn, options, paths, resume)
        return fn

    return register


def _jsonable(value: Any) -> Any:
    """Floats stay floats; exact sympy values become {"value": float, "exact": "..."}."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if type(value).__module__.startswith("numpy"):
        return _jsonable(value.tolist())
    if type(value).__module__.startswith("sympy"):
        return float(value) if value.is_Number else {"value": float(value), "exact": str(value)}
    return str(value)


def print_json(obj: Any) -> None:
    json.dump(_jsonable(obj), sys.stdout, indent=2)
    sys.stdout.write("\n")


def progress_log(json_output: bool) -> Callable[[str], None]:
    """Where a command's progress lines go: stdout, or stderr when stdout carries JSON."""
    return partial(print, file=sys.stderr) if json_output else print


def _int_at_least(low: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


positive_int = _int_at_least(1, "a positive integer")
non_negative_int = _int_at_least(0, "a non-negative integer")


def seeds(text: str) -> list[int]:
    """Comma-separated non-negative integers."""
    try:
        values = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"seeds must be comma-separated integers, got {text!r}") from None
    if not values or any(s < 0 for s in values):
        raise argparse.ArgumentTypeError(f"seeds must be non-negative integers, got {text!r}")
    return values


def world_and_transform(p: argparse.ArgumentParser) -> None:
    """--world (a preset) and --transform (a registered transformation or a product)."""
    from synthetic import transforms
    from synthetic.worlds import presets

    p.add_argument(
        "--world",
        required=True,
        choices=presets.names(),
        metavar="WORLD",
        help=f"a preset: {', '.join(presets.names())} (see `essl-testbed worlds`)",
    )
    p.add_argument(
        "--transform", required=True, help=f"{', '.join(transforms.names())}, or a product such as rot4*vflip"
    )


def add_budget_options(p: argparse.ArgumentParser, steps: str, seeds_help: str) -> None:
    """--steps and --seeds of a profile (reproduce, forecast), validated here once (at least one
    step; :func:`apply_budget` asks for at least two seeds), and the --device they train on."""
    p.add_argument("--steps", type=positive_int, default=None, help=f"optimiser steps per training run ({steps})")
    p.add_argument("--seeds", type=seeds, default=None, help=f"comma-separated ({seeds_help})")
    p.add_argument("--device", default="cpu", help="cpu, cuda or auto")


def apply_budget(base: Any, args: argparse.Namespace, too_few: str) -> Any:
    """``base`` (a :class:`~essl_testbed.experiments.budget.Budget`) with the ``--seeds`` and
    ``--steps`` the user gave; fewer than two seeds is an error (``too_few`` says why)."""
    from dataclasses import replace

    from ..errors import ExperimentError

    if args.seeds is not None:
        if len(args.seeds) < 2:
            raise ExperimentError(f"--seeds: {too_few}")
        base = replace(base, seeds=tuple(args.seeds))
    return base if args.steps is None else replace(base, steps=args.steps)


def add_executor_options(p: argparse.ArgumentParser, workers_default: str = "the number of cores") -> None:
    """--executor, --workers, --threads, --ensemble and --address (see essl_testbed.experiments.executors)."""
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local: an embedded pool of worker processes; ray: Ray tasks on a cluster",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None if workers_default != "1" else 1,
        help=f"local worker processes (default {workers_default}; 1 runs in this process)",
    )
    p.add_argument(
        "--threads",
        type=positive_int,
        default=None,
        help="torch threads per worker (default 1; workers x threads <= cores)",
    )
    p.add_argument(
        "--ensemble",
        type=positive_int,
        default=1,
        metavar="N",
        help="train up to N seeds of one configuration together as one batched model (default 1; "
        "worthwhile on a GPU, not on a CPU: see benchmarks/bench_ensemble.py)",
    )
    p.add_argument(
        "--address",
        default="auto",
        help="ray: 'auto' (a running cluster), HOST:PORT, or 'local' (start one in this process)",
    )


def executor(args: argparse.Namespace) -> Any:
    """The executor the executor options name."""
    from ..experiments import make_executor

    return make_executor(args.executor, args.workers, args.threads, args.address, args.ensemble)
