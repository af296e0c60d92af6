"""The initial state the calibration derives (never fits): the ``no_ai`` steady state at the fitted values.

Every run starts with a burn-in (``burn_in_months``) that lets the market settle
before month 0; the initial draw it starts from, ``market.initial_unemployment_rate``
and ``market.initial_vacancy_rate``, is meant to be the ``no_ai`` steady state, so
the burn-in starts near where it ends. Turnover moves that steady state, so after
the fit the ``no_ai`` scenario is run at the fitted values and its unemployment and
vacancy rates, averaged over months 24-120, rounded to 0.005, become the initial
rates (:func:`derive_initial_state`, which also re-runs ``no_ai`` from them to check
that unemployment stays flat).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..parallel import run_many
from .experiments import simulate
from .settings import param_default

INITIAL_STATE_PARAMS = ("market.initial_unemployment_rate", "market.initial_vacancy_rate")
STEADY_STATE_WINDOW = (24, 120)  # months averaged for the steady state
STEADY_STATE_ROUNDING = 0.005
STEADY_STATE_CHECK_MONTHS = (1, 12, 60, 120)


def steady_path(scenario: str, seed: int, workers: int, months: int, overrides: Sequence[str]) -> dict:
    """Month, unemployment rate and vacancy rate of one run (a task of :func:`steady_state`)."""
    ts = simulate(scenario, seed, workers, months, ["profile=us", *overrides])["timeseries"]  # the schema defaults: the US profile
    return {k: ts[k] for k in ("month", "unemployment_rate", "vacancy_rate")}


def steady_state(
    overrides: Sequence[str],
    seeds: Sequence[int],
    workers: int = 10_000,
    months: int = 120,
    window: tuple[int, int] = STEADY_STATE_WINDOW,
    scenario: str = "no_ai",
    jobs: int = 1,
) -> dict:
    """Unemployment and vacancy rates of ``scenario`` (AI frozen) averaged over the months in ``window``, on several seeds.

    Returns the mean over seeds of the window averages (``unemployment_rate``, ``vacancy_rate``), the per-seed
    averages, and the mean unemployment rate at the months of :data:`STEADY_STATE_CHECK_MONTHS` (``u_at``).
    """
    tasks = [(scenario, int(s), int(workers), int(months), tuple(overrides)) for s in seeds]
    runs = run_many(steady_path, tasks, max(1, int(jobs)))
    lo, hi = window
    per_seed = {"unemployment_rate": [], "vacancy_rate": []}
    for r in runs:
        sel = (r["month"] >= lo) & (r["month"] <= hi)
        for k in per_seed:
            per_seed[k].append(float(np.mean(r[k][sel])))
    u_at = {
        int(t): float(np.mean([r["unemployment_rate"][r["month"] == t][0] for r in runs])) for t in STEADY_STATE_CHECK_MONTHS if t <= months
    }
    return {
        "unemployment_rate": float(np.mean(per_seed["unemployment_rate"])),
        "vacancy_rate": float(np.mean(per_seed["vacancy_rate"])),
        "per_seed": per_seed,
        "u_at": u_at,
    }


def derive_initial_state(
    params: dict[str, float],
    seeds: Sequence[int] = (11, 12, 13, 14),
    workers: int = 10_000,
    months: int = 120,
    jobs: int = 1,
    check: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict:
    """The initial unemployment and vacancy rates consistent with ``params``: the ``no_ai`` steady state, derived, not fitted.

    Runs ``no_ai`` at ``params`` from the current initial state, averages its unemployment and vacancy rates
    over months 24-120, rounds them to 0.005, and (``check``) runs ``no_ai`` again from those initial rates to
    show that unemployment stays flat.
    """
    base = [f"{k}={v!r}" for k, v in params.items()]
    initial = {p: param_default(p) for p in INITIAL_STATE_PARAMS}
    measured = steady_state(base, seeds, workers, months, jobs=jobs)
    step = STEADY_STATE_ROUNDING
    derived = {
        "market.initial_unemployment_rate": round(step * round(measured["unemployment_rate"] / step), 4),
        "market.initial_vacancy_rate": round(step * round(measured["vacancy_rate"] / step), 4),
    }
    window = f"months {STEADY_STATE_WINDOW[0]}-{STEADY_STATE_WINDOW[1]}"
    if log:
        log(
            f"no_ai steady state from the current initial state (u={initial['market.initial_unemployment_rate']}, "
            f"v={initial['market.initial_vacancy_rate']}): u={100 * measured['unemployment_rate']:.2f}%, "
            f"v={100 * measured['vacancy_rate']:.2f}% ({window}) -> initial rates {derived}"
        )
    out = {
        "scenario": "no_ai",
        "window_months": list(STEADY_STATE_WINDOW),
        "seeds": [int(s) for s in seeds],
        "workers": int(workers),
        "months": int(months),
        "rounding": step,
        "from_initial": initial,
        "measured": measured,
        "derived": derived,
    }
    if check:
        out["check"] = c = steady_state([*base, *(f"{k}={v!r}" for k, v in derived.items())], seeds, workers, months, jobs=jobs)
        if log:
            path = ", ".join(f"month {t}: {100 * u:.2f}%" for t, u in c["u_at"].items())
            log(
                f"check, no_ai from the derived initial rates: u={100 * c['unemployment_rate']:.2f}%, v={100 * c['vacancy_rate']:.2f}% "
                f"({window}); unemployment {path}"
            )
    return out
