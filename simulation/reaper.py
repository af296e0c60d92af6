"""A watchdog that removes a local sweep's processes when its command dies without cleaning up (SIGKILL, a crash).

``laborshift -m`` on a local launcher hands its runs to joblib's loky pool, whose
worker processes laborshift does not start and cannot configure: killed with
SIGKILL, the command would leave them running as orphans (with loky's and
multiprocessing's resource trackers). The command therefore starts this
watchdog (:func:`start`), which notes the command's descendants a few times a
second and, once the command is gone, kills those still alive, then exits. It
imports only the standard library, and only works where ``/proc`` exists
(Linux); elsewhere :func:`start` does nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

INTERVAL_S = 0.2  # how often the command's descendants are noted


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time in clock ticks) of a process, or None when it is gone."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0].decode(), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """The live descendants of ``root``: pid -> start time (to tell a process from a later one with its pid)."""
    children: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None and st[1] not in ("Z", "X"):
                children.setdefault(st[0], []).append(int(entry.name))
                starts[int(entry.name)] = st[2]
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != os.getpid():
                found[child] = starts[child]
                todo.append(child)
    return found


def watch(command: int) -> None:
    """Note ``command``'s descendants until it is gone, then kill the ones still alive."""
    seen: dict[int, int] = {}
    while (st := _stat(command)) is not None and st[1] not in ("Z", "X"):
        seen.update(_descendants(command))
        time.sleep(INTERVAL_S)
    for pid, started in seen.items():
        now = _stat(pid)
        if now is not None and now[2] == started and now[1] not in ("Z", "X"):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def start() -> subprocess.Popen | None:
    """Start the watchdog for this process (Linux only); it exits by itself once this process is gone."""
    if not sys.platform.startswith("linux") or not Path("/proc/self/stat").exists():
        return None
    return subprocess.Popen([sys.executable, "-m", "simulation.reaper", str(os.getpid())], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)


if __name__ == "__main__":
    # a terminal's Ctrl-C reaches the whole foreground group, this watchdog too: it stays until the command is gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    watch(int(sys.argv[1]))
