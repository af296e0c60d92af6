"""Ctrl-C, SIGTERM and SIGKILL on a running command: quick exit, one line on stderr, no process left behind.

Each test starts a real ``laborshift-compare`` (or ``laborshift -m``) in a new
session, waits until its worker processes run, signals it, and checks the exit
and that no process of the session (the run tree: the command, the fork server,
the resource tracker, the workers) is still alive. Zombies (dead, waiting to be
reaped by init) count as gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

WORK = ["scenarios=[baseline,no_ai]", "replications=20", "workers=3000", "months=60", "jobs=2", "progress=false",
        "parameter_uncertainty=off"]  # 40 runs (with it on, the runs at the point estimates add 6)
MESSAGE = "laborshift-compare: {what}: "


def _tree(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after the command: state, ppid, pgrp, session
        if int(fields[3]) == sid and fields[0] not in (b"Z", b"X"):
            pids.append(int(entry.name))
    return pids


def _wait_gone(sid: int, timeout: float) -> list[int]:
    """Wait up to ``timeout`` s for the session to empty; the processes still alive then."""
    deadline = time.monotonic() + timeout
    while (left := _tree(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@contextlib.contextmanager
def _started(cmd: list[str], tmp_path: Path, min_procs: int, ready=lambda: True):
    """Start ``cmd`` in a new session and yield it once ``min_procs`` processes of its session run (and ``ready()``);
    kill the session afterwards."""
    err = open(tmp_path / "stderr.txt", "w+")  # noqa: SIM115 - closed in the finally
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 30
        while len(_tree(proc.pid)) < min_procs or not ready():
            assert proc.poll() is None, f"the command ended before it was signalled: {(tmp_path / 'stderr.txt').read_text()[-2000:]}"
            assert time.monotonic() < deadline, "the workers did not start within 30 s"
            time.sleep(0.1)
        time.sleep(1.0)  # the workers are importing and running
        assert proc.poll() is None
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in _tree(proc.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        err.close()


def _compare(tmp_path: Path) -> list[str]:
    return [sys.executable, "-c", "from simulation.cli import compare_main; compare_main()", *WORK, f"hydra.run.dir={tmp_path / 'out'}"]


def _exit_within(proc: subprocess.Popen, seconds: float) -> tuple[int, float]:
    start = time.monotonic()
    try:
        code = proc.wait(seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {seconds} s after the signal")
    return code, time.monotonic() - start


def _check_stderr(tmp_path: Path, what: str) -> None:
    err = (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in err and "leaked semaphore" not in err, err[-3000:]
    lines = [ln for ln in err.splitlines() if ln.startswith(MESSAGE.format(what=what))]
    assert len(lines) == 1 and lines[0].endswith(" of 40 runs had finished"), err[-3000:]


def _sweep(tmp_path: Path) -> list[str]:
    """A local sweep on the default launcher (joblib: a loky pool of two worker processes)."""
    return [str(Path(sys.executable).with_name("laborshift")), "-m", "seed=1,2,3,4,5,6,7,8", "workers=30000", "months=120",
            "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path / 'sweep'}"]


def _check_sweep_stderr(tmp_path: Path, what: str) -> None:
    err = (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in err and f"laborshift: {what}" in err, err[-3000:]


# what runs, how many processes of its session to wait for before signalling, and how its one line is checked.
# comparison: the command, the fork server, the resource tracker, two workers; sweep: the command, its watchdog
# (simulation.reaper), joblib's two loky workers, loky's and multiprocessing's resource trackers
KINDS = {"comparison": (_compare, 5, _check_stderr), "sweep": (_sweep, 6, _check_sweep_stderr)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("target", ["parent", "group"])
def test_ctrl_c_stops_the_command_and_its_workers(tmp_path, kind, target):
    # "group": what a terminal's Ctrl-C does, SIGINT to every process of the foreground group, the workers too
    cmd, procs, check = KINDS[kind]
    # a sweep signalled as a group waits until two jobs hold their run folders: a loky worker still importing when the
    # group's SIGINT arrives prints the import's traceback itself (a known start-up race, outside laborshift's code)
    ready = (lambda: len(list(tmp_path.glob("sweep/*/.laborshift.lock"))) >= 2) if (kind, target) == ("sweep", "group") else (lambda: True)
    with _started(cmd(tmp_path), tmp_path, min_procs=procs, ready=ready) as proc:
        (os.kill if target == "parent" else os.killpg)(proc.pid, signal.SIGINT)
        code, _took = _exit_within(proc, 5)
        assert code == 130, code
        check(tmp_path, "interrupted")
        assert not _wait_gone(proc.pid, 5), f"processes of the {kind} outlived it"


@pytest.mark.parametrize("kind", KINDS)
def test_second_ctrl_c_exits_at_once(tmp_path, kind):
    cmd, procs, _check = KINDS[kind]
    with _started(cmd(tmp_path), tmp_path, min_procs=procs) as proc:
        os.kill(proc.pid, signal.SIGINT)
        time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGINT)
        code, _took = _exit_within(proc, 2)
        assert code == 130, code
        assert not _wait_gone(proc.pid, 5), f"processes of the {kind} outlived it"


@pytest.mark.parametrize("kind", KINDS)
def test_sigterm_shuts_down_like_ctrl_c(tmp_path, kind):
    cmd, procs, check = KINDS[kind]
    with _started(cmd(tmp_path), tmp_path, min_procs=procs) as proc:
        os.kill(proc.pid, signal.SIGTERM)
        code, _took = _exit_within(proc, 5)
        assert code == 143, code
        check(tmp_path, "terminated")
        assert not _wait_gone(proc.pid, 5), f"processes of the {kind} outlived it"


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_leaves_no_orphans(tmp_path, kind):
    # a comparison's workers watch their parent; a sweep's loky workers (not children of a pool laborshift owns) are
    # removed by the command's watchdog
    cmd, procs, _check = KINDS[kind]
    with _started(cmd(tmp_path), tmp_path, min_procs=procs) as proc:
        os.kill(proc.pid, signal.SIGKILL)
        _exit_within(proc, 5)
        left = _wait_gone(proc.pid, 5)
        assert not left, f"workers, fork server, watchdog or resource trackers outlived a killed {kind}: {left}"


def _catches(pid: int, signum: int, timeout: float) -> bool:
    """Wait up to ``timeout`` s until process ``pid`` catches ``signum`` (its bit in SigCgt of /proc/<pid>/status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
                if line.startswith("SigCgt:") and int(line.split()[1], 16) >> (signum - 1) & 1:
                    return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("delay", [0.1, 0.4])
def test_ctrl_c_while_starting_prints_no_traceback(tmp_path, delay):
    # the signal lands while the command still imports numpy, pandas, Mesa and Hydra: ``delay`` s after the command's
    # start-up handlers are in place (before them the interpreter itself is starting, and on a loaded machine that
    # takes more than a tenth of a second; a signal then ends it with Python's own KeyboardInterrupt). Python catches
    # SIGINT from its start, SIGTERM only once the command's handlers (set after SIGINT's) are in place.
    cmd = [str(Path(sys.executable).with_name("laborshift")), "workers=200", "months=2", f"hydra.run.dir={tmp_path / 'run'}"]
    err = open(tmp_path / "stderr.txt", "w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err, cwd=tmp_path)
    assert _catches(proc.pid, signal.SIGTERM, 30), "the command did not install its start-up signal handlers"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGINT)
    code, _took = _exit_within(proc, 5)
    err.close()
    text = (tmp_path / "stderr.txt").read_text()
    assert code == 130, (code, text)
    assert "Traceback" not in text and text.strip().splitlines()[-1].startswith("laborshift: interrupted"), text
