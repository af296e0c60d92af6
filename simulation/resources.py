"""Size guards: estimate what a run or a comparison needs before allocating it, and refuse what cannot fit.

A run's memory is set by the most worker slots it ever holds (every per-worker
field is an array over the slots) plus a fixed cost for the interpreter and
its libraries. The slots are the initial population, the graduates and
entrants the model sets room aside for (see
:meth:`simulation.model.LaborMarketModel._build_workers`), and, when labour
demand trends up, a labour force that grows with it: (1 + g)^(T / 12) over
the burn-in and the horizon, T months.
"""

from __future__ import annotations

import math
import os

# Measured by `make bench`: 1M workers x 120 months peak at 562 MB, of which 187 MB are the interpreter and its
# imports, with about 0.9M-1.0M worker slots in use: about 400 bytes a slot; 450 leaves a margin.
BASE_MB = 200.0
BYTES_PER_SLOT = 450.0
# A comparison keeps every run's monthly table (about 60 numbers a month) and its per-lane and per-stage rows.
BYTES_PER_RUN_MONTH = 1_200.0


def reserved_slots(workers: int, months: int, graduate_rate: float, outside_entry_rate: float, vacancy_rate: float) -> int:
    """Worker slots a model allocates at the start for ``months`` months (burn-in included).

    Room for the initial population, a cohort of graduates a year and, at about the initial vacancy rate, the
    entrants from other sectors, so that the arrays rarely have to grow during a run (they still do if more enter).
    """
    per_cohort = int(round(graduate_rate * workers))
    entrants = outside_entry_rate * vacancy_rate * workers * months
    return workers + per_cohort * (months // 12 + 1) + int(entrants)


def peak_slots(workers: int, months: int, burn_in_months: int, graduate_rate: float, outside_entry_rate: float,
               vacancy_rate: float, trend_growth: float) -> float:
    """The most worker slots a run holds: what it reserves, or a labour force following trend demand if more."""
    total = months + burn_in_months
    room = reserved_slots(workers, total, graduate_rate, outside_entry_rate, vacancy_rate)
    growth = math.exp(min(total / 12.0 * math.log1p(trend_growth), 700.0)) if trend_growth > 0 else 1.0
    return max(room, workers * growth)


def run_peak_mb(slots: float) -> float:
    """Estimated peak resident memory (MB) of a run that holds ``slots`` worker slots at most."""
    return BASE_MB + BYTES_PER_SLOT * slots / 2**20


def available_mb() -> float | None:
    """Memory available to new processes (MB), from ``/proc/meminfo``'s MemAvailable; None where unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (ValueError, OSError, AttributeError):
        return None


def run_memory_problem(slots: float, months: int) -> str | None:
    """One line if a run holding ``slots`` worker slots cannot fit in the available memory, else None."""
    need, have = run_peak_mb(slots), available_mb()
    if have is None or need <= have:
        return None
    return (f"workers, months: the run would need about {_big(need / 1024)} GB at its peak (up to about {_big(slots)} worker slots "
            f"over the burn-in and {months:,} months), more than the {have / 1024:,.1f} GB of memory available; lower workers or "
            "months, or pass check_memory=false to run anyway")


def _big(x: float) -> str:
    """A large number for a message: in full up to a trillion, then in powers of ten."""
    return f"{x:,.1f}" if x < 1e3 else f"{x:,.0f}" if x < 1e12 else f"{x:.1e}"


def comparison_memory_problem(n_scenarios: int, replications: int, months: int) -> str | None:
    """One line if the tables of a comparison cannot fit in the available memory, else None."""
    need, have = BASE_MB + BYTES_PER_RUN_MONTH * n_scenarios * replications * (months + 1) / 2**20, available_mb()
    if have is None or need <= have:
        return None
    return (f"replications: {n_scenarios} scenarios x {replications:,} replications x {months + 1:,} months would need about "
            f"{_big(need / 1024)} GB for the comparison's tables, more than the {have / 1024:,.1f} GB of memory available")
