"""Run many independent tasks in a pool of processes: the one parallel path of every command.

:func:`run_many` is used by the scenario comparison, the validation
experiments and the calibration. Results come back in the order of the tasks,
whatever order the processes finish in, so the output of a command does not
depend on ``jobs``.

Shutdown: worker processes ignore SIGINT (the parent decides) and die with the
main process (``PR_SET_PDEATHSIG`` on Linux, plus a thread that watches the main
process everywhere), so a killed parent leaves nothing behind. A Ctrl-C (or a
SIGTERM, through :func:`exit_on_signals`) in the parent cancels the queued runs,
kills the running ones and raises :class:`Interrupted`, which says how many runs
had finished; a second Ctrl-C during that cleanup exits at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_INTERVAL_S = 0.5  # how often a worker checks that the main process is alive


class Interrupted(KeyboardInterrupt):
    """A Ctrl-C or SIGTERM stopped :func:`run_many` after ``done`` of ``total`` tasks had finished."""

    def __init__(self, done: int, total: int) -> None:
        """Record how far the runs got."""
        super().__init__(f"{done} of {total} runs had finished")
        self.done = done
        self.total = total


def n_jobs(jobs: int, tasks: int) -> int:
    """Processes to use: ``jobs`` (0 means one per core), never more than the cores or the tasks.

    More processes than cores only compete for them (and each holds its own model in memory); asking for more
    prints a note on stderr, once per process.
    """
    cores = os.cpu_count() or 1
    want = int(jobs) if jobs and jobs > 0 else cores
    if want > cores:
        if not _noted_cores:
            print(f"note: jobs={want} is more than this machine's {cores} cores: running {cores} at a time", file=sys.stderr)
            _noted_cores.append(want)
        want = cores
    return max(1, min(want, tasks))


_noted_cores: list[int] = []


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the pid was reused by another user's process
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (macOS): kill(pid, 0) is all we know


def _watch_parent(main_pid: int, parent_pid: int) -> None:
    """Exit this process as soon as the main process or this process's parent is gone."""
    while True:
        time.sleep(WATCH_INTERVAL_S)
        if os.getppid() != parent_pid or not _alive(main_pid):
            os._exit(1)


def _die_with_parent() -> None:
    """Ask Linux to kill this process with SIGKILL when its parent exits (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _worker_init(main_pid: int) -> None:
    """Pool initializer: ignore Ctrl-C (the main process shuts the pool down) and die with the main process.

    Under forkserver a worker's parent is the fork server, not the main
    process: ``PR_SET_PDEATHSIG`` kills the worker when the fork server exits
    (it exits when the main process does), and the watch thread checks the
    main process itself, on every platform.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent or not _alive(main_pid):  # the parent died before the prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(main_pid, parent), name="watch-parent", daemon=True).start()


QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes started by forkserver where the platform has it, else spawn.

    Forking a process that runs threads (BLAS, Hydra) can deadlock, so no pool
    forks. A script that uses one guards its entry point with
    ``if __name__ == "__main__":``. The workers ignore SIGINT and die with
    this process (see :func:`_worker_init`).
    """
    # The resource tracker (started with the first pool, with this interpreter's -W options) unlinks the semaphores
    # of a pool killed by an interruption and warns that it does; the clean-up is what is wanted, the warning is noise
    # after the one line an interrupted command prints.
    if QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(QUIET_TRACKER)
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),))


def _exit_now(signum: int, _frame: Any) -> None:
    """Second signal during a shutdown: leave at once."""
    os._exit(128 + signum)


def kill_pool(pool: Executor) -> None:
    """Cancel the queued tasks and kill the running ones, without waiting for them to finish.

    ``ProcessPoolExecutor`` has no public way to stop running tasks: its
    private ``_processes`` (pid -> process) is read here, the one place that does.
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        with contextlib.suppress(Exception):
            p.kill()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 2.0
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(max(0.0, deadline - time.monotonic()))


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

    Raises:
        Interrupted: on Ctrl-C (or SIGTERM under :func:`exit_on_signals`): the
            queued tasks are cancelled and the running ones killed first (a
            caller's ``pool`` too: it is shut down, unusable afterwards). A
            second Ctrl-C during that cleanup exits the process at once with
            code 130.

    """
    tasks = list(tasks)
    results: list[Any] = [None] * len(tasks)
    done = 0
    workers = n_jobs(jobs, len(tasks))
    if pool is None and (workers == 1 or len(tasks) <= 1):
        try:
            for i, t in enumerate(tasks):
                results[i] = func(*t)
                done += 1
                if on_done is not None:
                    on_done(i, results[i])
        except BaseException as err:
            if isinstance(err, Interrupted) or not _interrupted(err):
                raise
            raise Interrupted(done, len(tasks)) from None
        return results
    own = pool is None
    pool = process_pool(workers) if own else pool
    futures: dict = {}
    try:
        for i, t in enumerate(tasks):
            futures[pool.submit(func, *t)] = i
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            done += 1
            if on_done is not None:
                on_done(i, results[i])
    except BaseException as err:
        with _second_signal_exits():
            for fut in futures:
                fut.cancel()
            if own or _interrupted(err):  # an interrupt ends the command: a caller's pool would wait for its running tasks
                kill_pool(pool)
        if _interrupted(err):
            raise Interrupted(done, len(tasks)) from None
        raise
    if own:
        pool.shutdown(cancel_futures=True)
    return results


@contextlib.contextmanager
def _second_signal_exits() -> Iterator[None]:
    """While cleaning up after a Ctrl-C, another SIGINT or SIGTERM exits the process at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, _exit_now) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


_received: list[int] = []  # signals caught by exit_on_signals' handler in this process


def _raise_interrupt(signum: int, _frame: Any) -> None:
    """SIGINT and SIGTERM handler: remember the signal and raise ``KeyboardInterrupt``; a second one exits at once.

    The second signal may arrive while a library (joblib, Hydra) is still cleaning up after the first, before
    :func:`exit_on_signals` has swapped the handlers: it must not start another round of clean-up.
    """
    if _received:
        _exit_now(signum, _frame)
    _received.append(signum)
    raise KeyboardInterrupt


def _interrupted(err: BaseException) -> bool:
    """Whether ``err`` is, or stems from, a Ctrl-C or SIGTERM.

    A ``KeyboardInterrupt`` raised in the middle of library code (Hydra's
    config composition, say) can surface as another exception; once
    :func:`exit_on_signals` has caught a signal, any exception counts as the
    interruption.
    """
    return isinstance(err, KeyboardInterrupt) or bool(_received)


def exit_on_signals(prog: str, main: Callable[[], Any]) -> Any:
    """Run a console command's ``main`` so that Ctrl-C and SIGTERM end it cleanly.

    SIGTERM is turned into a ``KeyboardInterrupt``, so both stop the runs (see
    :func:`run_many`); the command then prints one line on stderr (how many
    runs had finished, if it was running them) and exits with 128 + the
    signal number (130 for SIGINT, 143 for SIGTERM), without a traceback. A
    second signal while shutting down exits at once.
    """
    _received.clear()
    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, _raise_interrupt)
    try:
        return main()
    except BaseException as err:
        if not _interrupted(err):
            raise
        # from here on any further signal ends the process at once
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                signal.signal(s, _exit_now)
        signum = _received[-1] if _received else signal.SIGINT
        what = "terminated" if signum == signal.SIGTERM else "interrupted"
        detail = f": {err.done} of {err.total} runs had finished" if isinstance(err, Interrupted) else ""
        print(f"{prog}: {what}{detail}", file=sys.stderr, flush=True)
        # leave without the interpreter's shutdown: it waits for the pool's threads and restores the default
        # signal handlers (a signal then would kill the process with -SIGINT instead of exiting 130). Only
        # multiprocessing's exit hook runs (private API: it releases the pool's semaphores, else the resource
        # tracker warns of leaked ones), and the logs are flushed.
        import logging
        import multiprocessing.util

        with contextlib.suppress(Exception):
            multiprocessing.util._exit_function()
        with contextlib.suppress(Exception):
            logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(128 + int(signum))
