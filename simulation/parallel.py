"""Run many independent tasks in a pool of processes: the one parallel path of every command.

:func:`run_many` is used by the scenario comparison, the validation
experiments and the calibration. Results come back in the order of the tasks,
whatever order the processes finish in, so the output of a command does not
depend on ``jobs``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any


def n_jobs(jobs: int, tasks: int) -> int:
    """Processes to use: ``jobs`` (0 means one per core), never more than the tasks."""
    want = int(jobs) if jobs and jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(want, tasks))


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes started by forkserver where the platform has it, else spawn.

    Forking a process that runs threads (BLAS, Hydra) can deadlock, so no pool
    forks. A script that uses one guards its entry point with
    ``if __name__ == "__main__":``.
    """
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)


def run_many(
    func: Callable[..., Any],
    tasks: Sequence[tuple] | Iterable[tuple],
    jobs: int = 1,
    on_done: Callable[[int, Any], None] | None = None,
    pool: Executor | None = None,
) -> list[Any]:
    """``[func(*task) for task in tasks]``, computed in ``jobs`` processes (0: one per core).

    ``func`` must be importable by name (a module-level function) and its
    arguments picklable. ``on_done(i, result)`` is called in this process as
    each task finishes (in completion order; use it for progress bars and
    logs). With one job, or one task, everything runs in this process. An
    open ``pool`` is used instead of starting one (for callers that submit
    many small batches, such as an optimiser).
    """
    tasks = list(tasks)
    results: list[Any] = [None] * len(tasks)
    workers = n_jobs(jobs, len(tasks))
    if pool is None and (workers == 1 or len(tasks) <= 1):
        for i, t in enumerate(tasks):
            results[i] = func(*t)
            if on_done is not None:
                on_done(i, results[i])
        return results
    own = pool is None
    pool = process_pool(workers) if own else pool
    try:
        futures = {pool.submit(func, *t): i for i, t in enumerate(tasks)}
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            if on_done is not None:
                on_done(i, results[i])
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    return results
