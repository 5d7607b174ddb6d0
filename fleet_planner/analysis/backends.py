"""Where the samples of a sweep run: this process, local worker processes, or a Dask cluster.

A sweep is a picklable job with a `run(indices) -> list[record]` method; the samples are split
into chunks, each chunk runs on one worker, and each finished chunk's records are handed to
`on_results` as soon as it arrives (the caller stores them, so an interrupted sweep can resume).
Records carry their sample index and the caller orders them: arrival order never matters.

* workers = 1 without a cluster: in this process, one chunk after the other;
* workers > 1: `concurrent.futures.ProcessPoolExecutor` (the job is sent once per process);
* a Dask scheduler address (`--dask tcp://host:8786`, or dask's own `scheduler-address` setting):
  the job is scattered to every worker once, then the chunks are submitted. Re-optimising
  samples solve in a child process of the worker: a cluster whose workers are daemonic processes
  (the Dask default for process workers) needs `distributed.worker.daemon: false` in its config.
"""

from __future__ import annotations

import math
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Protocol

from fleet_planner.exceptions import EXIT_INFEASIBLE_OR_SOLVER, FleetPlannerError

Record = dict[str, Any]
OnResults = Callable[[list[Record]], None]
CONNECT_TIMEOUT_S = 10
CHUNKS_PER_WORKER = 4
"""Chunks per worker: small enough to balance the load and to lose little on an interrupt."""
CHUNK_MAX = 25


class Job(Protocol):
    def run(self, indices: Sequence[int]) -> list[Record]: ...


class SweepBackendError(FleetPlannerError):
    """The cluster cannot be reached or failed while running the sweep."""

    exit_code = EXIT_INFEASIBLE_OR_SOLVER


def chunks(indices: Sequence[int], workers: int) -> list[list[int]]:
    """Consecutive runs of sample indices, about CHUNKS_PER_WORKER per worker, at most CHUNK_MAX long."""
    size = max(1, min(CHUNK_MAX, math.ceil(len(indices) / (max(1, workers) * CHUNKS_PER_WORKER))))
    return [list(indices[i:i + size]) for i in range(0, len(indices), size)]


def configured_dask_address() -> str | None:
    """Dask's own `scheduler-address` setting (a Dask config file or DASK_SCHEDULER_ADDRESS), if Dask is
    installed and it is set."""
    try:
        import dask
    except ImportError:
        return None
    return dask.config.get("scheduler-address", None) or None


def run_job(job: Job, indices: Sequence[int], on_results: OnResults, *, workers: int = 1,
            dask_address: str | None = None) -> None:
    """Run the job's samples `indices` on the chosen backend, handing each finished chunk to on_results."""
    if workers < 1:
        raise FleetPlannerError(f"--workers {workers}: give 1 or more.")
    if not indices:
        return
    if dask_address:
        _run_on_dask(job, indices, on_results, dask_address, workers)
    elif workers == 1:
        for chunk in chunks(indices, 1):
            on_results(job.run(chunk))
    else:
        _run_on_processes(job, indices, on_results, workers)


def run_each(job: Job, indices: Sequence[int], on_results: OnResults, *, workers: int = 1,
             dask_address: str | None = None, here: Callable[[int, OnResults], None] | None = None) -> None:
    """As run_job, for analyses whose samples are few and long: in this process one sample at a time,
    each handed over as it ends (`here(index, on_results)` runs one, default `job.run([index])`), and
    on processes or a cluster never more workers than samples."""
    if dask_address is None and workers == 1:
        for index in indices:
            if here is None:
                on_results(job.run([index]))
            else:
                here(index, on_results)
    else:
        run_job(job, indices, on_results, workers=min(workers, max(1, len(indices))), dask_address=dask_address)


# ---------------------------------------------------------------- local processes

_INSTALLED: list[Job] = []


def _install(job: Job) -> None:
    """Worker-process start: keep the job; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _INSTALLED[:] = [job]


def _run_installed(chunk: list[int]) -> list[Record]:
    return _INSTALLED[0].run(chunk)


def _run_on_processes(job: Job, indices: Sequence[int], on_results: OnResults, workers: int) -> None:
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(job,))
    try:
        pending = {executor.submit(_run_installed, chunk) for chunk in chunks(indices, workers)}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=id):
                on_results(future.result())
    except BaseException:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


# ---------------------------------------------------------------- Dask

def _run_chunk(job: Job, chunk: list[int]) -> list[Record]:
    return job.run(chunk)


def _run_on_dask(job: Job, indices: Sequence[int], on_results: OnResults, address: str, workers: int) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise FleetPlannerError("--dask needs the optional packages dask and distributed: pip install "
                                "'fleet-planner[sweep]'.") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SweepBackendError(f"--dask {address}: no Dask scheduler answered there ({type(exc).__name__}: {exc}). "
                                "Start one (`dask scheduler`, then `dask worker ADDRESS`), fix the address, or run "
                                "without --dask on this machine's processes.") from None
    futures = []
    try:
        with client.as_current():
            cluster_workers = max(1, len(client.scheduler_info().get("workers", {})))
            shared = client.scatter(job, broadcast=True)
            futures = [client.submit(_run_chunk, shared, chunk, pure=False)
                       for chunk in chunks(indices, max(workers, cluster_workers))]
            for future in as_completed(futures):
                on_results(future.result())
    except FleetPlannerError:
        raise
    except Exception as exc:  # a lost worker, a closed connection, a sample that failed on the cluster
        raise SweepBackendError(f"--dask {address}: the sweep failed on the cluster ({type(exc).__name__}: {exc}); "
                                "the samples done are kept: run again with --resume to go on from them.") from None
    finally:
        if futures:
            client.cancel(futures)
        client.close()
