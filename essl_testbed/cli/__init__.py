"""The ``essl-testbed`` command line: one module per command group, heavy imports inside each
command.

=====================================  ====================================================
module                                 commands
=====================================  ====================================================
``essl_testbed.cli.prover``            ``prove``, ``statements``
``essl_testbed.cli.worlds``            ``worlds``, ``analyze``, ``show``, ``check``
``essl_testbed.cli.training``          ``train``, ``sweep``
``essl_testbed.cli.tuning``            ``tune``
``essl_testbed.cli.reproduction``      ``reproduce``, ``forecast``
``essl_testbed.cli.course``            ``exercises``
``essl_testbed.cli.core``              the registry and the options several commands share
=====================================  ====================================================

Only the chosen subcommand's options are built (its choices come from the registries of
models, presets, transformations and claims), so ``--help``, ``prove`` and the world
commands never import torch. Input errors of the libraries, and OS errors on paths the
user gave, end in one line on stderr and exit code 2; an interrupt in exit code 130; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

# isort: off
from . import prover, worlds, training, tuning, reproduction, course  # noqa: F401  (they register the commands, in help order)

# isort: on
from .core import COMMANDS, Command

__all__ = ["COMMANDS", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, naming the option and pointing to ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the subcommand named in ``argv`` gets its options (building them may
    import the registries it takes choices from)."""
    from .. import __version__

    parser = _Parser(
        prog="essl-testbed",
        description="Exact information theory, synthetic worlds and small networks for the theory of "
        "equivariant self-supervised learning (E-SSL).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        if name == chosen:
            cmd.options(p)
        p.set_defaults(command_spec=cmd)
    return parser


def _user_error(err: BaseException) -> bool:
    """Whether ``err`` is a user's input error: the libraries' typed errors."""
    from proofs_check.errors import ProofsCheckError
    from synthetic.errors import SyntheticError
    from theory import InvalidDistribution

    from ..errors import TestbedError

    return isinstance(err, (InvalidDistribution, SyntheticError, ProofsCheckError, TestbedError))


def _on_user_path(err: OSError, args: argparse.Namespace, cmd: Command) -> bool:
    """Whether an OS error concerns a path the user gave (the path, a folder above it or a file in it)."""
    if err.filename is None:
        return False
    failed = Path(str(err.filename)).resolve()
    for name in cmd.paths:
        given = getattr(args, name, None)
        if given is not None:
            path = Path(given).resolve()
            if failed == path or path in failed.parents or failed in path.parents:
                return True
    return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    cmd: Command = args.command_spec
    # SIGTERM (kill, a batch system's time limit) stops a command as Ctrl-C does, so its
    # worker processes are stopped too instead of running on as orphans
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        return cmd.run(args)
    except KeyboardInterrupt:
        print(f"essl-testbed {cmd.name}: interrupted.{' ' + cmd.resume if cmd.resume else ''}", file=sys.stderr)
        return 130
    except OSError as err:
        if not _on_user_path(err, args, cmd):
            raise
        print(f"essl-testbed {cmd.name}: error: {err.strerror}: {err.filename}", file=sys.stderr)
        return 2
    except Exception as err:
        if not _user_error(err):
            raise
        print(f"essl-testbed {cmd.name}: error: {err}", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
