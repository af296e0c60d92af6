"""Pure statistics of measured runs: flows, displaced workers' status, the Beveridge curve, the matching function.

Every function takes plain arrays (the output of
:func:`simulation.validation.experiments.simulate`) and draws no random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..state import EMPLOYED, OUT_OF_LABOR_FORCE, RETRAINING, UNEMPLOYED
from .settings import BURN_IN


def flow_rates(ts: dict, first: int = 1) -> dict:
    """Mean monthly flows as shares of last month's employment (JOLTS definitions), months ``first``..end."""
    emp_prev = ts["employed"][first - 1 : -1]
    sl = slice(first, None)

    def rate(x):
        return float(np.mean(x[sl] / np.maximum(emp_prev, 1)))

    seps = ts["separations_ai"] + ts["separations_other"] + ts["retirements_employed"]
    return {
        "hires": rate(ts["hires"]),
        "separations": rate(seps),
        "quits": rate(ts["quits"] + ts["job_to_job"]),
        "layoffs": rate(ts["layoffs_other"] + ts["separations_ai"]),
        "other_separations": rate(ts["retirements_employed"]),
        "job_to_job": rate(ts["job_to_job"]),
        "vacancy_rate": float(np.mean(ts["vacancy_rate"][sl])),
        "unemployment_rate": float(np.mean(ts["unemployment_rate"][sl])),
    }


def monthly_flow_rates(ts: dict, key: str) -> np.ndarray:
    """The hires (``key="hires"``) or separations rate of every month from month 1, as a share of last month's employment."""
    flow = ts["hires"] if key == "hires" else ts["separations_ai"] + ts["separations_other"] + ts["retirements_employed"]
    return flow[1:] / np.maximum(ts["employed"][:-1], 1)


def dws_shares(counts: np.ndarray, lo: int = 1, hi: int = 36) -> dict:
    """Status shares of displaced workers averaged over months since displacement lo..hi (each month weighted equally).

    The Displaced Worker Survey asks, in January, about jobs lost in the three
    previous years: time since displacement is spread over about 1-36 months.
    """
    sub = counts[lo : hi + 1]
    tot = sub.sum(axis=1)
    ok = tot > 0
    if not ok.any():
        return {
            "employed": float("nan"),
            "unemployed": float("nan"),
            "retraining": float("nan"),
            "out_of_labor_force": float("nan"),
            "cohort": 0,
        }
    shares = sub[ok] / tot[ok, None]
    mean = shares.mean(axis=0)
    return {
        "employed": float(mean[EMPLOYED]),
        "unemployed": float(mean[UNEMPLOYED]),
        "retraining": float(mean[RETRAINING]),
        "out_of_labor_force": float(mean[OUT_OF_LABOR_FORCE]),
        "cohort": int(tot[ok].min()),
    }


def employed_share_by_month(counts: np.ndarray) -> np.ndarray:
    """Share employed k months after displacement (NaN where no one is observed)."""
    tot = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, counts[:, EMPLOYED] / np.maximum(tot, 1), np.nan)


def status_shares_by_month(counts: np.ndarray) -> np.ndarray:
    """Share of displaced workers in each status k months after displacement (rows: k; NaN where no one is observed)."""
    tot = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, counts / np.maximum(tot, 1), np.nan)


def earnings_by_month(counts: np.ndarray, earnings: np.ndarray) -> np.ndarray:
    """Mean earnings (0 when not employed) over the wage of the lost job, k months after displacement (NaN where no one is observed)."""
    tot = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, earnings / np.maximum(tot, 1), np.nan)


WAGE_YEARS = ((1, 12), (13, 24), (25, 36))  # months since displacement over which the wage change is averaged


def wage_change_by_year(wage_change: np.ndarray, employed: np.ndarray) -> dict[str, list[float]]:
    """Mean wage change vs the lost job among the employed displaced, per year since displacement (``WAGE_YEARS``).

    ``wage_change[k, j]`` and ``employed[k, j]`` are the displaced panel's sums (j = 0 back in the lost job's occupation,
    1 in another). Returns, per year: ``all``, ``same``, ``other`` (mean changes, NaN if no one) and ``moved`` (the share
    of the employed in another occupation).
    """
    out: dict[str, list[float]] = {"all": [], "same": [], "other": [], "moved": []}
    for lo, hi in WAGE_YEARS:
        s, n = wage_change[lo : hi + 1].sum(axis=0), employed[lo : hi + 1].sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["all"].append(float(s.sum() / n.sum()) if n.sum() > 0 else float("nan"))
            out["same"].append(float(s[0] / n[0]) if n[0] > 0 else float("nan"))
            out["other"].append(float(s[1] / n[1]) if n[1] > 0 else float("nan"))
            out["moved"].append(float(n[1] / n.sum()) if n.sum() > 0 else float("nan"))
    return out


def reemployed_within(displaced_month: np.ndarray, reemployed_month: np.ndarray, months: int, horizons: Sequence[int]) -> np.ndarray:
    """Share of displaced workers re-employed within h months, among those displaced at least h months before the end."""
    out = []
    for h in horizons:
        cohort = (displaced_month > 0) & (displaced_month <= months - h)
        done = cohort & (reemployed_month >= 0) & (reemployed_month - displaced_month <= h)
        out.append(done.sum() / cohort.sum() if cohort.sum() else np.nan)
    return np.array(out, dtype=float)


def wage_change_at_reemployment(run: dict) -> tuple[float, float]:
    """Mean and median of (wage in the first job after displacement / wage in the job lost - 1); NaN when no one was re-employed."""
    ok = run["reemployed_month"] >= 0
    ch = run["reemployed_wage"][ok] / run["displaced_wage"][ok] - 1.0
    return (float(np.mean(ch)) if ch.size else np.nan), (float(np.median(ch)) if ch.size else np.nan)


def seasonally_adjusted(x: np.ndarray) -> np.ndarray:
    """``x`` less the mean deviation of its calendar month (month index mod 12) from the overall mean."""
    month = np.arange(x.size) % 12
    dev = np.bincount(month, weights=x - x.mean(), minlength=12) / np.maximum(np.bincount(month, minlength=12), 1)
    return x - dev[month]


def beveridge(ts: dict, period: int, burn_in: int = BURN_IN) -> dict:
    """u-v correlation and the direction of the loops (signed area in the (u, v) plane, u on the x axis).

    Both series are seasonally adjusted first (each calendar month's mean deviation removed: the graduate intake
    raises unemployment every June-July), as published Beveridge curves are. A positive area is a
    counter-clockwise loop. The area is computed for each full cycle after the burn-in; ``ccw_share`` is the share
    of cycles that turn counter-clockwise.
    """
    u = seasonally_adjusted(np.asarray(ts["unemployment_rate"], dtype=float))[burn_in + 1 :]
    v = seasonally_adjusted(np.asarray(ts["vacancy_rate"], dtype=float))[burn_in + 1 :]
    corr = float(np.corrcoef(u, v)[0, 1])
    areas = []
    for start in range(0, len(u) - period + 1, period):
        x, y = u[start : start + period], v[start : start + period]
        x, y = np.append(x, x[0]), np.append(y, y[0])
        areas.append(0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])))
    areas = np.array(areas)
    return {"corr": corr, "areas": areas, "ccw_share": float(np.mean(areas > 0)) if areas.size else float("nan")}


def matching_regression(hires: np.ndarray, u: np.ndarray, v: np.ndarray, burn_in: int = BURN_IN, fixed_effects: bool = False) -> dict:
    """OLS of log hires from unemployment on log unemployed searchers and log vacancies, over months and occupations.

    Cells with zero hires, searchers or vacancies are dropped (their log is
    undefined). With ``fixed_effects`` every occupation has its own intercept
    (the within estimator).
    """
    h, uu, vv = hires[burn_in:], u[burn_in:], v[burn_in:]
    occ = np.broadcast_to(np.arange(h.shape[1]), h.shape)
    ok = (h > 0) & (uu > 0) & (vv > 0)
    y, x1, x2, g = np.log(h[ok]), np.log(uu[ok]), np.log(vv[ok]), occ[ok]
    if fixed_effects:

        def demean(a):
            s = np.bincount(g, weights=a, minlength=h.shape[1])
            c = np.bincount(g, minlength=h.shape[1])
            return a - (s / np.maximum(c, 1))[g]

        X = np.column_stack([demean(x1), demean(x2)])
        beta = np.linalg.lstsq(X, demean(y), rcond=None)[0]
        a, b = beta
    else:
        X = np.column_stack([np.ones_like(x1), x1, x2])
        beta = np.linalg.lstsq(X, y, rcond=None)[0]
        a, b = beta[1], beta[2]
    return {"u": float(a), "v": float(b), "rts": float(a + b), "cells": int(ok.sum()), "cells_total": int(ok.size)}


def training_effect(run: dict, measure: str = "employed") -> np.ndarray:
    """Seat-lottery winners' minus losers' mean of ``measure`` per entrant, by months since the lottery.

    ``measure``: employed, earnings or in_training. Intention to treat, NaN where a group is empty
    (:func:`simulation.validation.lottery.itt`).
    """
    from .lottery import itt

    return itt(run["lottery"], measure)


def nanmean(a) -> float:
    """Mean of the non-NaN values (NaN if there are none)."""
    a = np.asarray(a, dtype=float)
    a = a[~np.isnan(a)]
    return float(a.mean()) if a.size else float("nan")


def median_range(values) -> tuple[float, float, float]:
    """Median, minimum and maximum of the non-NaN values (all NaN if there are none)."""
    a = np.asarray([v for v in values if v == v], dtype=float)
    if a.size == 0:
        return float("nan"), float("nan"), float("nan")
    return float(np.median(a)), float(a.min()), float(a.max())
