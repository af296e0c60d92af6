"""Keep large arrays' memory in the process between months (glibc's ``mallopt``), for runs of 100,000 workers and more.

A month of a large run allocates and frees many temporary arrays of a few megabytes (one value per worker). glibc's
allocator serves blocks above its mmap threshold with fresh ``mmap`` pages and returns them to the system when they
are freed, and trims the top of its heap when more than its trim threshold is free; every fresh page is then zeroed
by the kernel on first touch, month after month. The threshold adapts upwards as blocks are freed, but two models in
one process (a regional run, :mod:`simulation.regions`) keep it from settling. :func:`keep_freed_memory` fixes the
mmap threshold at glibc's largest (32 MiB on 64-bit systems: larger blocks still get their own pages) and the trim
threshold at 1 GiB, so the heap keeps what a month freed for the next month.

The results do not change: only where memory comes from. The peak resident memory can stay at its peak instead of
falling between months (``benchmarks/benchmark.py`` reports the peak either way). Elsewhere than glibc (macOS, musl)
nothing is done, nor with the environment variable ``LABORSHIFT_KEEP_FREED_MEMORY=0``: compare
``python benchmarks/benchmark.py --regions china_us --sizes 1000000`` with and without it (each run is a fresh
process) to see what it buys on a machine; docs/REGIONS.md gives the regional figures with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX)
TRIM_THRESHOLD = 1 << 30
SWITCH = "LABORSHIFT_KEEP_FREED_MEMORY"  # 0: leave glibc's allocator as it is
MIN_WORKERS = 100_000  # smaller runs' arrays sit under the default threshold already

_done: bool | None = None


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds once per process (module docstring); whether they are set."""
    global _done
    if _done is None and os.environ.get(SWITCH, "1") == "0":
        _done = False
    if _done is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
        except (OSError, AttributeError):  # no C library by that name, or no mallopt in it (not glibc)
            _done = False
    return _done


__all__ = ["MIN_WORKERS", "SWITCH", "keep_freed_memory"]
