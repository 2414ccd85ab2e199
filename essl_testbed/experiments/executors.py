"""Where runs execute: in this process, in a local pool of worker processes, or as Ray tasks.

An executor takes a picklable function and a list of tasks and yields ``(index, outcome)``
as tasks finish, in any order; an outcome is the function's value or a :class:`Failure`.
Workers only compute: the driver alone writes results. Each worker pins torch and BLAS to
``threads`` threads, so ``workers x threads`` never exceeds the cores (on 2 cores, two
busy processes with torch's default of one thread per core ran 7x slower).

>>> list(InProcess(threads=1).run(abs, [-2, 3]))
[(0, 2), (1, 3)]
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ExperimentError

__all__ = ["EXECUTORS", "Failure", "InProcess", "LocalPool", "RayCluster", "make_executor"]


@dataclass(frozen=True)
class Failure:
    """A task that raised, or whose worker died ``attempts`` times."""

    error: str
    attempts: int = 1


def set_threads(threads: int) -> None:
    """Pin torch and BLAS in this process to ``threads`` threads.

    BLAS is limited at run time too (threadpoolctl), not only through the environment: a Ray
    worker has numpy loaded before its first task, and a BLAS with more threads sums in
    another order (exact-analysis floats then differ in the 14th digit between executors).
    """
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(threads)
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(threads)
    threadpool_limits(limits=threads)


def _worker_start(threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle, once
    set_threads(threads)


class InProcess:
    """Run tasks one after another in this process."""

    def __init__(self, threads: int = 1, ensemble: int = 1):
        self.threads, self.ensemble = threads, ensemble

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        if tasks:
            set_threads(self.threads)
        for i, task in enumerate(tasks):
            try:
                yield i, fn(task)
            except Exception as err:  # a failed run loses only itself
                yield i, Failure(f"{type(err).__name__}: {err}")


class LocalPool:
    """An embedded pool of ``workers`` processes (no server, nothing to install), kept
    between calls of :meth:`run` so that workers start (and import torch) once.

    At most ``workers`` tasks are in flight, so each is running when the pool breaks: a
    worker that dies (killed, out of memory) takes down only the tasks then running. They run
    again in a fresh pool, one at a time, so that a death is charged to the task that died;
    a task is given up after ``retries`` more deaths of its own.
    """

    def __init__(self, workers: int, threads: int = 1, retries: int = 2, ensemble: int = 1):
        self.workers, self.threads, self.retries, self.ensemble = workers, threads, retries, ensemble
        self._executor: Any = None

    def _pool(self) -> Any:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn: a forked child of a process that already runs torch's thread pool can hang
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
                initargs=(self.threads,),
            )
        return self._executor

    def close(self, terminate: bool = False) -> None:
        """Shut the workers down; ``terminate`` stops them mid-run."""
        if self._executor is None:
            return
        if terminate:
            for process in list((getattr(self._executor, "_processes", None) or {}).values()):
                process.terminate()
        self._executor.shutdown(wait=not terminate, cancel_futures=True)
        self._executor = None

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        queue = list(range(len(tasks)))  # indices not yet submitted, in order
        attempts = dict.fromkeys(queue, 0)
        suspects: set[int] = set()  # running when a worker died beside them: next time they run alone
        in_flight: dict[Any, int] = {}
        broken = False  # a worker died: drain what was running, then start a fresh pool
        group: set[int] = set()  # the tasks running when it died
        try:
            while queue or in_flight:
                if broken and not in_flight:
                    self.close()
                    broken, group = False, set()
                pool = self._pool()
                while queue and not broken and len(in_flight) < self.workers:
                    alone = queue[0] in suspects or any(j in suspects for j in in_flight.values())
                    if alone and in_flight:
                        break
                    i = queue.pop(0)
                    in_flight[pool.submit(fn, tasks[i])] = i
                    if alone:
                        break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    i = in_flight.pop(future)
                    try:
                        value = future.result()
                    except BrokenProcessPool:
                        if not broken:
                            broken, group = True, {i, *in_flight.values()}
                        if len(group) > 1:  # which of them died is unknown: none is charged
                            suspects.add(i)
                        else:
                            attempts[i] += 1
                            if attempts[i] > self.retries:
                                suspects.discard(i)
                                yield i, Failure("its worker process died", attempts[i])
                                continue
                        queue.insert(0, i)
                        continue
                    except Exception as err:
                        value = Failure(f"{type(err).__name__}: {err}")
                    suspects.discard(i)
                    yield i, value
        except BaseException:
            self.close(terminate=True)  # interrupted or abandoned: stop the workers now
            raise


class RayCluster:
    """Each task is a Ray task on a cluster: ``address`` ``"auto"`` (a running cluster, as
    ``ray start --head`` leaves it), ``"HOST:PORT"``, or ``"local"`` (start one inside this
    process, sized to this machine). Needs the ``ray`` extra."""

    def __init__(self, address: str = "auto", threads: int = 1, retries: int = 2, ensemble: int = 1):
        self.address, self.threads, self.retries, self.ensemble = address, threads, retries, ensemble

    def _connect(self) -> Any:
        try:
            import ray
        except ImportError:
            raise ExperimentError("--executor ray needs Ray: pip install 'essl-testbed[ray]'") from None
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address != "local":
                kwargs["address"] = self.address
            try:
                ray.init(**kwargs)
            except ConnectionError as err:
                raise ExperimentError(
                    f"no Ray cluster at {self.address!r}: {err}; start one with "
                    "`ray start --head` or use --address local"
                ) from None
        return ray

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        if not tasks:
            return
        ray = self._connect()
        remote = ray.remote(num_cpus=self.threads, max_retries=self.retries)(_in_ray_worker)
        refs = {remote.remote(fn, task, self.threads): i for i, task in enumerate(tasks)}
        try:
            while refs:
                done, _ = ray.wait(list(refs), num_returns=1)
                for ref in done:
                    i = refs.pop(ref)
                    try:
                        yield i, ray.get(ref)
                    except Exception as err:  # RayTaskError wraps the task's own exception
                        yield i, Failure(f"{type(err).__name__}: {err}")
        except BaseException:
            for ref in refs:
                ray.cancel(ref, force=True)
            raise


def _in_ray_worker(fn: Callable[[Any], Any], task: Any, threads: int) -> Any:
    set_threads(threads)
    return fn(task)


EXECUTORS = ("local", "ray")


def make_executor(
    kind: str = "local",
    workers: int | None = None,
    threads: int | None = None,
    address: str = "auto",
    ensemble: int = 1,
) -> InProcess | LocalPool | RayCluster:
    """The executor for ``--executor``, ``--workers``, ``--threads``, ``--address`` and ``--ensemble``.

    Local: ``workers`` defaults to the number of cores and ``threads`` to 1 (on 2 cores, two
    threads made one run only ~1.4x faster when idle, and 7x slower whenever another process
    held a core); ``workers x threads`` may not exceed the cores. One worker runs in this
    process. ``ensemble`` > 1 trains up to that many seeds of one configuration together as
    one batched model (:mod:`synthetic.ensemble`).
    """
    cores = os.cpu_count() or 1
    if kind not in EXECUTORS:
        raise ExperimentError(f"unknown executor {kind!r}; valid: {', '.join(EXECUTORS)}")
    for name, value in (("workers", workers), ("threads", threads), ("ensemble", ensemble)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ExperimentError(f"{name} must be a positive int, got {value!r}")
    if kind == "ray":
        return RayCluster(address, threads or 1, ensemble=ensemble)
    workers = workers or cores
    threads = threads or 1
    if workers * threads > cores:
        raise ExperimentError(
            f"{workers} workers x {threads} threads exceed the {cores} cores of this machine; "
            "oversubscribed cores slow every run down"
        )
    return InProcess(threads, ensemble) if workers == 1 else LocalPool(workers, threads, ensemble=ensemble)
