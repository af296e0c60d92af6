"""Keep large arrays' memory in the process between months (glibc's ``mallopt``), for runs of 100,000 workers and more.

A month of a large run allocates and frees many temporary arrays of a few megabytes (one value per worker). glibc's
allocator serves blocks above its mmap threshold with fresh ``mmap`` pages and returns them to the system when they
are freed, and trims the top of its heap when more than its trim threshold is free; every fresh page is then zeroed
by the kernel on first touch, month after month. The threshold adapts upwards as blocks are freed, but two models in
one process (a regional run, :mod:`simulation.regions`) keep it from settling. :func:`keep_freed_memory` fixes the
mmap threshold at glibc's largest (32 MiB on 64-bit systems: larger blocks still get their own pages) and the trim
threshold at 1 GiB, so the heap keeps what a month freed for the next month.

Measured (CPU time, 1,000,000 workers a region, 48-month burn-in and 36 months, baseline, on a 2-core machine
shared with other jobs, 2026-11-30): China and the US in one process 23.8 s and 23.8 s without, 22.5 s and 21.2 s
with; China alone 11.3 s and 11.1 s without, 12.7 s and 11.1 s with (no gain for one region). The results do not
change: only where memory comes from. The peak resident memory can stay at its peak instead of falling between
months (``benchmarks/benchmark.py`` reports the peak either way). Elsewhere than glibc (macOS, musl) nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX)
TRIM_THRESHOLD = 1 << 30
MIN_WORKERS = 100_000  # smaller runs' arrays sit under the default threshold already

_done: bool | None = None


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds once per process (module docstring); whether they are set."""
    global _done
    if _done is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _done = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
        except (OSError, AttributeError):  # no C library by that name, or no mallopt in it (not glibc)
            _done = False
    return _done


__all__ = ["MIN_WORKERS", "keep_freed_memory"]
