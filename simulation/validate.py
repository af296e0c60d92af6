"""Validation: does the model reproduce what labour economics has measured.

``laborshift-validate`` runs a set of experiments on several seeds and writes
``docs/VALIDATION.md`` with its figures under ``docs/images/validation/``: one
section per stylised fact, each with the target and its source, how the
experiment measures it, the model's figure with its range across seeds, and a
verdict (pass, partial or miss, with the reason).

Experiments (every run is a plain model run; the measurements are taken from
the model's state month by month, without drawing from the model's generator,
so they never change what the model does):

* ``cycle``: the ``demand_cycle`` scenario (AI capability frozen, a sinusoidal
  demand cycle): the Beveridge curve and the matching function;
* ``baseline``: flows (hires, separations, quits), the displaced workers' panel
  (status and earnings by months since displacement), the AI wage premium and
  adoption;
* ``national_ai_push``: the AI wage premium and adoption under the national push;
* ``training``: ``baseline`` plus a retraining subsidy; participants are matched
  at enrolment to non-participants of the same month, occupation, displacement
  status, career stage and unemployment duration (dynamic matching), and both
  are followed for 36 months.

Usage::

    laborshift-validate                      # default settings, writes docs/VALIDATION.md
    laborshift-validate --workers 3000 --seeds 2 --out /tmp/v
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .state import EMPLOYED, OUT_OF_LABOR_FORCE, RETRAINING, UNEMPLOYED

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "docs"
IMAGE_DIR = Path("images") / "validation"
PAGE_NAME = "VALIDATION.md"
CALIBRATION_RECORD = REPO / "docs" / "calibration.json"

DEFAULT_WORKERS = 10_000
DEFAULT_SEEDS = 6
DEFAULT_MONTHS = 120
CYCLE_MONTHS = 156  # three 48-month cycles after a 12-month burn-in
BURN_IN = 12
PANEL_MONTHS = 48  # months since displacement followed in the displaced panel
TRAINING_MONTHS = 36  # months since enrolment followed in the training evaluation
TRAINING_SUBSIDY = (
    "policy.retraining_subsidy.enabled=true",
    "policy.retraining_subsidy.start_month=12",
    "policy.retraining_subsidy.cost_share=0.8",
    "policy.retraining_subsidy.seats_per_1000=2.0",
    "policy.retraining_subsidy.targeting=all",
)
EXPERIMENTS = ("cycle", "baseline", "national_ai_push", "training")


# --------------------------------------------------------------------------- measuring one run
class DisplacedPanel:
    """Status and earnings of AI-displaced workers by months since their (last) displacement.

    ``counts[k, s]``: displaced workers k months after displacement in status s
    (employed, unemployed, retraining, out of the labour force);
    ``earnings[k]``: sum over them of current wage / wage in the lost job (0 when not employed).
    """

    def __init__(self, horizon: int = PANEL_MONTHS):
        self.horizon = horizon
        self.counts = np.zeros((horizon + 1, 4))
        self.earnings = np.zeros(horizon + 1)

    def update(self, m) -> None:
        """Add this month's displaced workers (after the step)."""
        w, n = m.workers, m.next_slot
        ids = np.flatnonzero(w.displaced[:n] & (w.status[:n] >= 0) & (w.status[:n] <= OUT_OF_LABOR_FORCE))
        k = m.month - w.displaced_month[ids]
        keep = (k >= 1) & (k <= self.horizon)
        ids, k = ids[keep], k[keep]
        st = w.status[ids].astype(np.int64)
        np.add.at(self.counts, (k, st), 1.0)
        emp = st == EMPLOYED
        ratio = np.zeros(ids.size)
        if emp.any():
            ratio[emp] = m.current_wage_of(ids[emp]) / w.displaced_wage[ids[emp]]
        np.add.at(self.earnings, k, ratio)


class TrainingPanel:
    """Dynamic matching of retraining participants to non-participants at enrolment, followed for ``horizon`` months.

    Before each month, the pool is every unemployed worker eligible to weigh
    retraining. After the month, participants are the pool members who enrolled;
    each is paired with a pool member of the same cell (occupation, displaced or
    not, career stage, months unemployed capped at 12) who did not enrol that
    month (drawn with a generator of its own). ``emp[k]`` sums participants' and
    controls' employment k months after enrolment.
    """

    def __init__(self, seed: int, start_month: int, horizon: int = TRAINING_MONTHS):
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), 7_919]))
        self.start_month = start_month
        self.horizon = horizon
        self.pairs: list[np.ndarray] = []  # rows: participant, control, enrolment month
        self.emp = np.zeros((horizon + 1, 2))
        self.n = np.zeros(horizon + 1)
        self._pool = None

    def before(self, m) -> None:
        """Snapshot the pool of workers who may enrol this month."""
        if m.month + 1 < self.start_month:
            self._pool = None
            return
        w, n = m.workers, m.next_slot
        pool = np.flatnonzero((w.status[:n] == UNEMPLOYED) & (w.months_unemployed[:n] >= m.cfg.retraining.min_unemployed_months))
        cell = (w.occupation[pool].astype(np.int64) * 2 + w.displaced[pool]) * 3 + m.stage_of(pool)
        cell = cell * 13 + np.minimum(w.months_unemployed[pool], 12)
        self._pool = (pool, cell)

    def after(self, m) -> None:
        """Pair this month's participants with controls, then record every pair's employment."""
        w = m.workers
        if self._pool is not None:
            pool, cell = self._pool
            took = w.status[pool] == RETRAINING
            part, pcell = pool[took], cell[took]
            ctrl, ccell = pool[~took], cell[~took]
            if part.size and ctrl.size:
                order = np.argsort(ccell, kind="stable")
                ctrl, ccell = ctrl[order], ccell[order]
                lo, hi = np.searchsorted(ccell, pcell, "left"), np.searchsorted(ccell, pcell, "right")
                ok = hi > lo
                pick = lo[ok] + (self.rng.random(int(ok.sum())) * (hi[ok] - lo[ok])).astype(np.int64)
                rows = np.stack([part[ok], ctrl[pick], np.full(int(ok.sum()), m.month)], axis=1)
                self.pairs.append(rows)
        if not self.pairs:
            return
        allp = np.concatenate(self.pairs)
        k = m.month - allp[:, 2]
        live = (k <= self.horizon) & (w.status[allp[:, 0]] <= OUT_OF_LABOR_FORCE) & (w.status[allp[:, 1]] <= OUT_OF_LABOR_FORCE)
        p, c, k = allp[live, 0], allp[live, 1], k[live]
        np.add.at(self.emp[:, 0], k, w.status[p] == EMPLOYED)
        np.add.at(self.emp[:, 1], k, w.status[c] == EMPLOYED)
        np.add.at(self.n, k, 1.0)
        self.pairs = [allp[m.month - allp[:, 2] < self.horizon]]

    def participants(self) -> int:
        """Pairs followed at enrolment (k = 0)."""
        return int(self.n[0])


def simulate(experiment: str, seed: int, workers: int, months: int, overrides: Sequence[str] = ()) -> dict:
    """Run one experiment on one seed and return its measurements as plain arrays and numbers (picklable)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from .config import to_config
    from .model import LaborMarketModel
    from .runner import compose

    scenario = {"cycle": "demand_cycle", "training": "baseline"}.get(experiment, experiment)
    extra = list(TRAINING_SUBSIDY) if experiment == "training" else []
    cfg = to_config(
        compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false", *extra, *overrides])
    )
    m = LaborMarketModel(cfg)
    n_occ = m.occupations.n
    hires_u = np.zeros((months, n_occ))
    searchers = np.zeros((months, n_occ))
    vacancies = np.zeros((months, n_occ))
    panel = DisplacedPanel()
    training = TrainingPanel(seed, cfg.policy.retraining_subsidy.start_month) if experiment == "training" else None
    for t in range(months):
        if training is not None:
            training.before(m)
        m.step()
        hires_u[t] = m.flows["hires_from_unemployed_occ"]
        searchers[t] = m.flows["searchers_occ"]
        vacancies[t] = m.flows["vacancies_occ"]
        panel.update(m)
        if training is not None:
            training.after(m)
    ts = m.results().timeseries
    w, n = m.workers, m.next_slot
    disp = np.flatnonzero(w.displaced[:n])
    out = {
        "experiment": experiment,
        "seed": int(seed),
        "workers": int(workers),
        "months": int(months),
        "timeseries": {c: ts[c].to_numpy(dtype=float) for c in ts.columns},
        "hires_u": hires_u,
        "searchers": searchers,
        "vacancies": vacancies,
        "panel_counts": panel.counts,
        "panel_earnings": panel.earnings,
        "displaced_month": w.displaced_month[disp].astype(np.int64),
        "reemployed_month": w.reemployed_month[disp].astype(np.int64),
        "displaced_wage": w.displaced_wage[disp].astype(float),
        "reemployed_wage": w.reemployed_wage[disp].astype(float),
        "adoption": m.firms.adoption.copy(),
    }
    if training is not None:
        out["training_emp"], out["training_n"] = training.emp, training.n
    return out


# --------------------------------------------------------------------------- statistics of one run
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


def reemployed_within(displaced_month: np.ndarray, reemployed_month: np.ndarray, months: int, horizons: Sequence[int]) -> np.ndarray:
    """Share of displaced workers re-employed within h months, among those displaced at least h months before the end."""
    out = []
    for h in horizons:
        cohort = (displaced_month > 0) & (displaced_month <= months - h)
        done = cohort & (reemployed_month >= 0) & (reemployed_month - displaced_month <= h)
        out.append(done.sum() / cohort.sum() if cohort.sum() else np.nan)
    return np.array(out, dtype=float)


def beveridge(ts: dict, period: int, burn_in: int = BURN_IN) -> dict:
    """u-v correlation and the direction of the loops (signed area in the (u, v) plane, u on the x axis).

    A positive area is a counter-clockwise loop. The area is computed for each
    full cycle after the burn-in; ``ccw_share`` is the share of cycles that turn
    counter-clockwise.
    """
    u, v = ts["unemployment_rate"][burn_in + 1 :], ts["vacancy_rate"][burn_in + 1 :]
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


# --------------------------------------------------------------------------- running every experiment
def run_experiments(
    workers: int = DEFAULT_WORKERS,
    seeds: int = DEFAULT_SEEDS,
    months: int = DEFAULT_MONTHS,
    master_seed: int = 2024,
    jobs: int = 0,
    overrides: Sequence[str] = (),
    log=print,
) -> dict[str, list[dict]]:
    """Run every experiment on ``seeds`` seeds (spawned from ``master_seed``) in a process pool; return runs by experiment."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .compare import replication_seeds

    seed_list = replication_seeds(master_seed, seeds)
    tasks = [(e, s, workers, CYCLE_MONTHS if e == "cycle" else months, tuple(overrides)) for e in EXPERIMENTS for s in seed_list]
    n_jobs = jobs or os.cpu_count() or 1
    out: dict[str, list[dict]] = {e: [] for e in EXPERIMENTS}
    start = time.perf_counter()
    if n_jobs == 1:
        done = (simulate(*t) for t in tasks)
        for i, r in enumerate(done, 1):
            out[r["experiment"]].append(r)
            log(f"  [{i}/{len(tasks)}] {r['experiment']} seed {r['seed']} ({time.perf_counter() - start:.0f} s)")
    else:
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=min(n_jobs, len(tasks)), mp_context=ctx) as pool:
            futures = [pool.submit(simulate, *t) for t in tasks]
            for i, fut in enumerate(as_completed(futures), 1):
                r = fut.result()
                out[r["experiment"]].append(r)
                log(f"  [{i}/{len(tasks)}] {r['experiment']} seed {r['seed']} ({time.perf_counter() - start:.0f} s)")
    for e in out:
        out[e].sort(key=lambda r: seed_list.index(r["seed"]))
    return out


# --------------------------------------------------------------------------- facts
@dataclass
class Fact:
    """One validated fact: its section text, the numbers shown, the verdict and the figure."""

    key: str
    title: str
    target: str
    method: str
    table: list[tuple[str, str, str]]  # (measure, model: median [range], target)
    verdict: str
    why: str
    figure: str
    caption: str
    numbers: dict


def _nanmean(a) -> float:
    a = np.asarray(a, dtype=float)
    a = a[~np.isnan(a)]
    return float(a.mean()) if a.size else float("nan")


def _stats(values) -> tuple[float, float, float]:
    a = np.asarray([v for v in values if v == v], dtype=float)
    if a.size == 0:
        return float("nan"), float("nan"), float("nan")
    return float(np.median(a)), float(a.min()), float(a.max())


def _pct(values, digits: int = 1) -> str:
    med, lo, hi = _stats(values)
    return f"{100 * med:.{digits}f}% [{100 * lo:.{digits}f}, {100 * hi:.{digits}f}]"


def _num(values, digits: int = 2) -> str:
    med, lo, hi = _stats(values)
    return f"{med:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def _figure(ncols: int = 2, width: float = 11.0, height: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(1, ncols)


def _median_band(ax, x, rows, color, label, scale=100.0):
    import warnings

    arr = scale * np.asarray(rows, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med, lo, hi = np.nanmedian(arr, axis=0), np.nanmin(arr, axis=0), np.nanmax(arr, axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=0.2, lw=0)
    ax.plot(x, med, color=color, lw=2, label=label)


def fact_beveridge(runs: list[dict], period: int) -> tuple[Fact, object]:
    """Beveridge curve under the demand cycle."""
    stats = [beveridge(r["timeseries"], period) for r in runs]
    corr = [s["corr"] for s in stats]
    ccw = [s["ccw_share"] for s in stats]
    med_corr = _stats(corr)[0]
    direction = "counter-clockwise" if np.mean(ccw) > 0.65 else "clockwise" if np.mean(ccw) < 0.35 else "mixed"
    consistent = min(ccw) >= 0.5 if direction == "counter-clockwise" else max(ccw) <= 0.5
    if max(corr) < -0.7 and direction == "counter-clockwise" and consistent:
        verdict, why = "pass", "strongly negative u-v correlation in every seed and counter-clockwise loops, as in the data"
    elif max(corr) < 0:
        verdict = "partial"
        why = (
            f"unemployment and vacancies move in opposite directions in every seed, but the correlation (median {med_corr:.2f}) is weaker "
            "than in the US data (-0.89): in the model vacancies are refilled within a month or two, so the vacancy rate swings "
            "briefly around each turning point while unemployment, which absorbs the whole change in demand, moves slowly; "
            f"{100 * np.mean(ccw):.0f}% of the model's cycles turn counter-clockwise"
        )
        if direction != "counter-clockwise":
            why += (
                " against the data's counter-clockwise loops: vacancies here respond to demand at once and unemployment follows "
                "within months, so the loops are thin and their direction is not robust"
            )
    else:
        verdict, why = "miss", f"the u-v correlation is not negative in every seed (median {med_corr:.2f})"
    fig, (ax1, ax2) = _figure()
    ts = runs[0]["timeseries"]
    u, v = 100 * ts["unemployment_rate"][BURN_IN + 1 :], 100 * ts["vacancy_rate"][BURN_IN + 1 :]
    pts = ax1.scatter(u, v, c=np.arange(u.size) + BURN_IN + 1, cmap="viridis", s=14, zorder=3)
    ax1.plot(u, v, color="grey", lw=0.8, alpha=0.7)
    for i in range(0, u.size - 3, 6):
        ax1.annotate("", xy=(u[i + 3], v[i + 3]), xytext=(u[i], v[i]), arrowprops={"arrowstyle": "->", "color": "black", "lw": 0.8})
    fig.colorbar(pts, ax=ax1, label="month")
    ax1.set_xlabel("unemployment rate (%)")
    ax1.set_ylabel("vacancy rate (%)")
    ax1.set_title(f"Beveridge curve, seed {runs[0]['seed']}")
    ax1.grid(alpha=0.3)
    months = ts["month"]
    _median_band(ax2, months, [r["timeseries"]["unemployment_rate"] for r in runs], "#d95f02", "unemployment rate")
    _median_band(ax2, months, [r["timeseries"]["vacancy_rate"] for r in runs], "#1b9e77", "vacancy rate")
    ax3 = ax2.twinx()
    ax3.plot(months, ts["demand_cycle"], color="black", lw=1, ls="--", label="demand (right axis)")
    ax3.set_ylabel("demand index")
    ax2.set_xlabel("month")
    ax2.set_ylabel("%")
    ax2.set_ylim(bottom=0)
    ax2.set_title(f"Over the cycle: median and range over {len(runs)} seeds")
    ax2.legend(loc="upper left", fontsize=8)
    ax3.legend(loc="upper right", fontsize=8)
    ax2.grid(alpha=0.3)
    fact = Fact(
        "beveridge",
        "Beveridge curve",
        "Unemployment and vacancy rates move in opposite directions over the cycle: correlation -0.89 in US data "
        "(Shimer 2005, AER 95(1), Table 1, quarterly 1951-2003); in the (u, v) plane the economy traces counter-clockwise "
        "loops: vacancies recover before unemployment falls (Blanchard and Diamond 1989, Brookings Papers 1989(1)).",
        f"The `demand_cycle` scenario (AI capability frozen; labour demand and budgets +/-3% around trend, period {period} months), "
        f"{CYCLE_MONTHS} months. Correlation of the monthly unemployment and vacancy rates after a {BURN_IN}-month burn-in; loop "
        "direction from the signed area of each full cycle in the (u, v) plane, u on the x axis (positive: counter-clockwise).",
        [("u-v correlation", _num(corr), "-0.89"), ("cycles turning counter-clockwise", _pct(ccw, 0), "counter-clockwise")],
        verdict,
        why,
        "beveridge.png",
        "Left: the unemployment-vacancy path of one seed (arrows: direction of time). Right: both rates over the cycle, median and "
        "range over the seeds, with the demand index.",
        {"corr": _stats(corr), "ccw_share": _stats(ccw), "direction": direction},
    )
    return fact, fig


def fact_matching(runs: list[dict]) -> tuple[Fact, object]:
    """Matching function regression."""
    pooled = [matching_regression(r["hires_u"], r["searchers"], r["vacancies"]) for r in runs]
    fe = [matching_regression(r["hires_u"], r["searchers"], r["vacancies"], fixed_effects=True) for r in runs]
    a, b, rts = [p["u"] for p in pooled], [p["v"] for p in pooled], [p["rts"] for p in pooled]
    a_fe, b_fe, rts_fe = [p["u"] for p in fe], [p["v"] for p in fe], [p["rts"] for p in fe]
    med_a, med_rts = _stats(a)[0], _stats(rts)[0]
    if min(a) > 0 and min(b) > 0 and 0.5 <= med_a <= 0.7 and abs(med_rts - 1) <= 0.15:
        verdict, why = "pass", "both elasticities positive, the unemployment elasticity inside 0.5-0.7 and returns close to constant"
    elif min(a) > 0 and min(b) > 0:
        verdict = "partial"
        parts = []
        if not 0.5 <= med_a <= 0.7:
            parts.append(
                f"the unemployment elasticity (median {med_a:.2f}) is {'below' if med_a < 0.5 else 'above'} the surveyed 0.5-0.7 and the "
                "vacancy elasticity correspondingly high: hires of the unemployed are limited by the positions open more than by the number "
                "of searchers, because firms fill almost every vacancy within the month from a queue of applicants"
            )
        if abs(med_rts - 1) > 0.15:
            parts.append(f"returns to scale are {med_rts:.2f}, not close to constant")
        else:
            parts.append(f"returns to scale are close to constant ({med_rts:.2f})")
        why = "both elasticities are positive; " + "; ".join(parts)
    else:
        verdict, why = "miss", "an elasticity is not positive in every seed"
    fig, (ax1, ax2) = _figure()
    r0 = runs[0]
    h, uu, vv = r0["hires_u"][BURN_IN:], r0["searchers"][BURN_IN:], r0["vacancies"][BURN_IN:]
    ok = (h > 0) & (uu > 0) & (vv > 0)
    p0 = pooled[0]
    X = np.column_stack([np.ones(ok.sum()), np.log(uu[ok]), np.log(vv[ok])])
    coef = np.linalg.lstsq(X, np.log(h[ok]), rcond=None)[0]
    ax1.scatter(X @ coef, np.log(h[ok]), s=6, alpha=0.4, color="#7570b3")
    lim = [min((X @ coef).min(), np.log(h[ok]).min()), max((X @ coef).max(), np.log(h[ok]).max())]
    ax1.plot(lim, lim, color="black", lw=1)
    ax1.set_xlabel(f"fitted: {coef[0]:.2f} + {p0['u']:.2f} log U + {p0['v']:.2f} log V")
    ax1.set_ylabel("log hires from unemployment")
    ax1.set_title(f"Occupation-months, seed {r0['seed']} ({p0['cells']} cells)")
    ax1.grid(alpha=0.3)
    ax2.axhspan(0.5, 0.7, color="#d95f02", alpha=0.15, label="unemployment elasticity, survey range 0.5-0.7")
    ax2.axhline(1.0, color="black", lw=0.8, ls=":", label="constant returns (sum = 1)")
    xs = np.arange(3)
    for j, (vals, lab, mk) in enumerate(
        ((np.array([a, b, rts]), "pooled OLS", "o"), (np.array([a_fe, b_fe, rts_fe]), "occupation fixed effects", "s"))
    ):
        for i in range(3):
            ax2.scatter(
                np.full(len(vals[i]), xs[i] + (j - 0.5) * 0.25),
                vals[i],
                marker=mk,
                color=["#d95f02", "#1b9e77", "black"][i],
                alpha=0.7,
                label=lab if i == 0 else None,
                facecolors="none" if j else None,
            )
    ax2.set_xticks(xs, ["on log U", "on log V", "sum"])
    ax2.set_ylabel("elasticity")
    ax2.set_title(f"Estimates per seed ({len(runs)} seeds)")
    ax2.legend(fontsize=7, loc="upper left")
    ax2.grid(alpha=0.3)
    fact = Fact(
        "matching",
        "Matching function",
        "Hires rise with both unemployment and vacancies; the elasticity of hires with respect to unemployment lies between 0.5 and 0.7 "
        "and constant returns to scale are generally not rejected (Petrongolo and Pissarides 2001, Journal of Economic Literature 39(2)).",
        "The `demand_cycle` runs. For every month after the burn-in and every occupation: hires from unemployment H, unemployed searchers "
        "of the occupation U and vacancies V. OLS of log H on a constant, log U and log V, pooling months and occupations (cells with a "
        "zero are dropped); as a check, the same with an intercept per occupation (within estimator).",
        [
            ("elasticity on unemployment (pooled)", _num(a), "0.5-0.7"),
            ("elasticity on vacancies (pooled)", _num(b), "0.3-0.5 (1 minus the above, under constant returns)"),
            ("returns to scale (sum, pooled)", _num(rts), "about 1"),
            ("elasticity on unemployment (occupation effects)", _num(a_fe), "0.5-0.7"),
            ("elasticity on vacancies (occupation effects)", _num(b_fe), ""),
            ("returns to scale (occupation effects)", _num(rts_fe), "about 1"),
            ("cells used (of all occupation-months)", f"{int(np.median([p['cells'] for p in pooled]))} of {pooled[0]['cells_total']}", ""),
        ],
        verdict,
        why,
        "matching.png",
        "Left: log hires against the fitted matching function, one seed. Right: the estimated elasticities per seed against the "
        "survey range.",
        {"u": _stats(a), "v": _stats(b), "rts": _stats(rts), "u_fe": _stats(a_fe), "v_fe": _stats(b_fe), "rts_fe": _stats(rts_fe)},
    )
    return fact, fig


FLOW_TARGETS = (
    ("hires", "hires", 0.035),
    ("separations", "total separations", 0.033),
    ("quits", "quits (incl. job-to-job)", 0.019),
    ("layoffs", "layoffs and discharges", 0.012),
    ("vacancy_rate", "job openings rate", 0.045),
)


def _flow_verdict(model: float, target: float) -> str:
    gap = abs(model / target - 1)
    return "pass" if gap <= 0.2 else "partial" if gap <= 0.5 else "miss"


def fact_flows(runs: list[dict]) -> tuple[Fact, object]:
    """Hires and separations against JOLTS."""
    rates = [flow_rates(r["timeseries"]) for r in runs]
    rows, verdicts = [], {}
    for key, label, target in FLOW_TARGETS:
        vals = [x[key] for x in rates]
        verdicts[key] = _flow_verdict(_stats(vals)[0], target)
        rows.append(
            (
                f"{label}, % of employment a month" if key != "vacancy_rate" else "job openings rate (openings / (employment + openings))",
                _pct(vals, 2),
                f"{100 * target:.1f}%",
            )
        )
    rows.append(("job-to-job moves, % of employment a month", _pct([x["job_to_job"] for x in rates], 2), ""))
    rows.append(("unemployment rate, mean over the run", _pct([x["unemployment_rate"] for x in rates], 1), "4.1% (US, Sept 2024)"))
    main = (verdicts["hires"], verdicts["separations"])
    verdict = "pass" if main == ("pass", "pass") else "miss" if "miss" in main else "partial"
    med = {k: _stats([x[k] for x in rates])[0] for k in ("hires", "separations", "quits", "layoffs", "vacancy_rate")}
    why = f"hires {100 * med['hires']:.1f}% and separations {100 * med['separations']:.1f}% of employment a month against 3.5% and 3.3%. "
    if verdict != "pass":
        why += (
            "Turnover in the model is quits into unemployment (`market.quit_rate`), job-to-job moves, retirements and demand-driven layoffs; "
            f"it has no idiosyncratic layoffs of the kind JOLTS counts (1.2% a month; the model's layoffs are {100 * med['layoffs']:.2f}%, "
            "nearly all from falling demand), and job-to-job moves are limited by the few vacancies open at any time "
            f"(openings rate {100 * med['vacancy_rate']:.1f}% against 4.5%). Calibrating `market.quit_rate` to the hires rate "
            "(section Calibration) closes most of the hires and separations gap."
        )
    else:
        why += (
            "Both within 20% of JOLTS: the calibration fits them (section Calibration). Their composition misses: the fit puts the "
            f"turnover into quits ({100 * med['quits']:.1f}% against 1.9%), because the model has no idiosyncratic layoffs of the kind "
            f"JOLTS counts (1.2% a month; the model's layoffs are {100 * med['layoffs']:.2f}%, nearly all from falling demand) and "
            "few job-to-job moves, and quits into unemployment raise unemployment above the US rate."
        )
    fig, (ax1, ax2) = _figure()
    xs = np.arange(len(FLOW_TARGETS))
    for i, (key, _label, target) in enumerate(FLOW_TARGETS):
        med_, lo, hi = _stats([x[key] for x in rates])
        ax1.bar(
            i - 0.18,
            100 * med_,
            width=0.35,
            color="#7570b3",
            label="model (median, range)" if i == 0 else None,
            yerr=[[100 * (med_ - lo)], [100 * (hi - med_)]],
            capsize=3,
        )
        ax1.bar(i + 0.18, 100 * target, width=0.35, color="#999999", label="US JOLTS, Sept 2024" if i == 0 else None)
    ax1.set_xticks(xs, ["hires", "separations", "quits", "layoffs", "openings\nrate"])
    ax1.set_ylabel("% of employment a month (openings: % of jobs)")
    ax1.set_title("Flows, baseline")
    ax1.legend(fontsize=8)
    ax1.grid(alpha=0.3, axis="y")
    months = runs[0]["timeseries"]["month"][1:]
    for key, col, lab in (("hires", "#1b9e77", "hires"), ("separations", "#d95f02", "separations")):
        rows_ = []
        for r in runs:
            ts = r["timeseries"]
            flow = ts["hires"] if key == "hires" else ts["separations_ai"] + ts["separations_other"] + ts["retirements_employed"]
            rows_.append(flow[1:] / np.maximum(ts["employed"][:-1], 1))
        _median_band(ax2, months, rows_, col, lab)
    ax2.axhline(3.5, color="#1b9e77", ls=":", lw=1, label="JOLTS hires 3.5%")
    ax2.axhline(3.3, color="#d95f02", ls=":", lw=1, label="JOLTS separations 3.3%")
    ax2.set_xlabel("month")
    ax2.set_ylabel("% of employment")
    ax2.set_title(f"Monthly rates, median and range over {len(runs)} seeds")
    ax2.legend(fontsize=8)
    ax2.grid(alpha=0.3)
    fact = Fact(
        "flows",
        "Worker flows",
        "US JOLTS, September 2024 (BLS news release of 29 October 2024): hires 3.5% of employment, total separations 3.3% "
        "(quits 1.9%, layoffs and discharges 1.2%), job openings rate 4.5%. No comparable monthly turnover series for China's "
        "tech sector was found; the US figures are the benchmark.",
        "The `baseline` scenario. Each month's flow divided by last month's employment (JOLTS definitions), averaged over the months of "
        "the run. Separations are AI displacements, other layoffs, quits into unemployment, job-to-job moves and retirements from "
        "employment; quits are quits into unemployment plus job-to-job moves; layoffs are AI displacements plus other layoffs.",
        rows,
        verdict,
        why,
        "flows.png",
        "Left: mean monthly flows of the baseline against JOLTS. Right: the hires and separations rates month by month.",
        {
            k: _stats([x[k] for x in rates])
            for k in ("hires", "separations", "quits", "layoffs", "job_to_job", "vacancy_rate", "unemployment_rate")
        },
    )
    return fact, fig


def fact_displaced(runs: list[dict]) -> tuple[Fact, object]:
    """Re-employment and wage change of displaced workers."""
    months = runs[0]["months"]
    dws = [dws_shares(r["panel_counts"]) for r in runs]
    emp = [d["employed"] for d in dws]
    unemp = [d["unemployed"] + d["retraining"] for d in dws]
    olf = [d["out_of_labor_force"] for d in dws]
    horizons = (6, 12, 24, 36)
    within = np.array([reemployed_within(r["displaced_month"], r["reemployed_month"], months, horizons) for r in runs])
    wage_change, wage_median = [], []
    for r in runs:
        ok = r["reemployed_month"] >= 0
        ch = r["reemployed_wage"][ok] / r["displaced_wage"][ok] - 1.0
        wage_change.append(float(np.mean(ch)) if ch.size else np.nan)
        wage_median.append(float(np.median(ch)) if ch.size else np.nan)
    earn = []
    for r in runs:
        tot = r["panel_counts"].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            earn.append(np.where(tot > 0, r["panel_earnings"] / np.maximum(tot, 1), np.nan))
    earn = np.array(earn)
    year3 = [_nanmean(e[25:37]) for e in earn]
    med_emp, med_olf, med_wage = _stats(emp)[0], _stats(olf)[0], _stats(wage_change)[0]
    gap = abs(med_emp - 0.657)
    emp_ok = "pass" if gap <= 0.05 else "partial" if gap <= 0.10 else "miss"
    wage_ok = "pass" if -0.35 <= med_wage <= -0.15 else "partial" if med_wage <= -0.05 else "miss"
    olf_ok = "pass" if abs(med_olf - 0.182) <= 0.05 else "partial" if abs(med_olf - 0.182) <= 0.10 else "miss"
    order = {"pass": 0, "partial": 1, "miss": 2}
    worst = max((emp_ok, wage_ok, olf_ok), key=order.get)
    verdict = "pass" if worst == "pass" else "partial" if emp_ok != "miss" else "miss"
    why = (
        f"re-employment: {emp_ok} ({100 * med_emp:.1f}% employed against 65.7%); out of the labour force: {olf_ok} "
        f"({100 * med_olf:.1f}% against 18.2%); wage change at re-employment: {wage_ok} ({100 * med_wage:+.1f}% against losses of about 25%). "
    )
    if wage_ok != "pass":
        why += (
            "Wages in the model belong to the job, not the worker: every employee of a firm and occupation earns that cell's posted wage, "
            "so a displaced worker who is hired again earns the going wage of the new cell. The skills lost with the job lower the "
            "chance of being hired, not the wage, and there is no tenure premium to lose; the long earnings losses of Jacobson, LaLonde "
            "and Sullivan, which come largely from lost firm- and tenure-specific pay, cannot appear. "
        )
    if olf_ok != "pass":
        why += (
            "Leaving the labour force is modelled only for the long-term unemployed (12 months or more), so few displaced workers "
            "leave within the survey's window; for that reason the calibration reports this share but does not fit it (section Calibration). "
        )
    fig, (ax1, ax2) = _figure()
    k = np.arange(PANEL_MONTHS + 1)
    shares = []
    for r in runs:
        tot = r["panel_counts"].sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares.append(np.where(tot > 0, r["panel_counts"] / np.maximum(tot, 1), np.nan))
    shares = np.array(shares)
    for s, col, lab in (
        (EMPLOYED, "#1b9e77", "employed"),
        (UNEMPLOYED, "#d95f02", "unemployed"),
        (RETRAINING, "#7570b3", "retraining"),
        (OUT_OF_LABOR_FORCE, "#999999", "out of the labour force"),
    ):
        _median_band(ax1, k[1:], shares[:, 1:, s], col, lab)
    ax1.scatter([18], [65.7], marker="*", s=120, color="#1b9e77", edgecolor="black", zorder=5, label="DWS Jan 2024: employed 65.7%")
    ax1.scatter([18], [16.1], marker="*", s=120, color="#d95f02", edgecolor="black", zorder=5, label="DWS: unemployed 16.1%")
    ax1.scatter([18], [18.2], marker="*", s=120, color="#999999", edgecolor="black", zorder=5, label="DWS: out of the labour force 18.2%")
    ax1.set_xlabel("months since displacement (DWS: about 1-36)")
    ax1.set_ylabel("% of displaced workers")
    ax1.set_ylim(0, 100)
    ax1.set_title("Status of AI-displaced workers, baseline")
    ax1.legend(fontsize=7, loc="center right")
    ax1.grid(alpha=0.3)
    _median_band(ax2, k[1:], earn[:, 1:], "black", "earnings / wage in the lost job (0 when not employed)")
    ax2.axhline(75, color="#d95f02", ls=":", label="JLS 1993: about 25% below, long run")
    ax2.axhline(100 * (1 + med_wage), color="#1b9e77", ls="--", lw=1, label=f"model: wage at re-employment ({100 * med_wage:+.0f}%)")
    ax2.set_xlabel("months since displacement")
    ax2.set_ylabel("% of pre-displacement wage")
    ax2.set_ylim(0, 130)
    ax2.set_title("Earnings after displacement")
    ax2.legend(fontsize=7, loc="lower right")
    ax2.grid(alpha=0.3)
    table = [
        ("employed (mean over 1-36 months since displacement)", _pct(emp), "65.7%"),
        ("unemployed or retraining", _pct(unemp), "16.1% (unemployed)"),
        ("out of the labour force", _pct(olf), "18.2%"),
    ]
    table += [(f"ever re-employed within {h} months", _pct(within[:, i]), "") for i, h in enumerate(horizons)]
    table += [
        ("wage at re-employment vs the lost job, mean", _pct(wage_change), "about -25% (long-run earnings)"),
        ("wage at re-employment vs the lost job, median", _pct(wage_median), ""),
        ("earnings (0 when not employed) 25-36 months after, % of the lost wage", _pct(year3, 0), "about 75%"),
    ]
    fact = Fact(
        "displaced",
        "Displaced workers",
        "BLS Displaced Worker Survey, January 2024 (long-tenured workers displaced in 2021-23): 65.7% re-employed, 16.1% unemployed, "
        "18.2% out of the labour force (74.5% re-employed at ages 25-54, 55.3% at 55-64). Earnings of high-tenure displaced workers stay "
        "about 25% a year below their pre-displacement level in the long run (Jacobson, LaLonde and Sullivan 1993, American Economic "
        "Review 83(4)).",
        "The `baseline` scenario. Every month, every worker displaced by AI is counted by status and by months since displacement; the "
        "survey's figure is matched by the status shares averaged over 1-36 months since displacement (the survey's window, each month "
        "weighted equally). Wage change: wage in the first job after displacement against the wage in the job lost. Earnings: current "
        "wage (0 when not employed) against the lost wage, by months since displacement.",
        table,
        verdict,
        why,
        "displaced.png",
        "Left: where AI-displaced workers are, by months since displacement (median and range over the seeds), with the survey's shares. "
        "Right: their earnings relative to the job they lost.",
        {
            "employed": _stats(emp),
            "unemployed": _stats(unemp),
            "olf": _stats(olf),
            "wage_change": _stats(wage_change),
            "within": {h: _stats(within[:, i]) for i, h in enumerate(horizons)},
            "earnings_year3": _stats(year3),
        },
    )
    return fact, fig


def training_effect(run: dict) -> np.ndarray:
    """Participants' minus controls' employment rate by months since enrolment (NaN where no pair is observed)."""
    n = run["training_n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (run["training_emp"][:, 0] - run["training_emp"][:, 1]) / np.maximum(n, 1), np.nan)


def fact_training(runs: list[dict]) -> tuple[Fact, object]:
    """Time profile of the retraining subsidy's effect on participants' employment."""
    eff = np.array([training_effect(r) for r in runs])
    short = [_nanmean(e[1:7]) for e in eff]
    year1 = [_nanmean(e[7:13]) for e in eff]
    year2 = [_nanmean(e[13:25]) for e in eff]
    year3 = [_nanmean(e[25:37]) for e in eff]
    pairs = [int(r["training_n"][0]) for r in runs]
    subsidised = [
        float(np.sum(r["timeseries"]["retraining_started_subsidized"]) / max(np.sum(r["timeseries"]["retraining_started"][12:]), 1))
        for r in runs
    ]
    if max(short) <= 0.02 and min(year2) > 0.02 and min(year3) > 0.02:
        verdict = "pass"
        why = (
            "lock-in first (participants in training do not search, so their employment trails the controls' for about the length "
            "of a programme), then a positive effect that grows into the second and third year, as in the meta-analysis"
        )
    elif _stats(year3)[0] > _stats(short)[0]:
        verdict, why = (
            "partial",
            "the effect grows with time since enrolment but the short-run lock-in or the later gain is not clear in every seed",
        )
    else:
        verdict, why = "miss", "the effect does not grow with time since enrolment"
    med_short = _stats(short)[0]
    if med_short < -0.1:
        why += (
            f"; the lock-in is deep ({100 * med_short:.0f} points in the first half-year) because trainees do not search at all and the "
            "effect is measured from enrolment, whereas the meta-analysis' short run mostly counts from the end of a programme; "
            "evaluations measured from programme start find lock-in of this order for long programmes (Lechner, Miquel and Wunsch 2011, "
            "Journal of the European Economic Association 9(4))"
        )
    med3 = _stats(year3)[0]
    if med3 > 0.10:
        why += f"; the size of the later effect ({100 * med3:.0f} points) is at the top of the meta-analysis' range"
    fig, (ax1, ax2) = _figure()
    k = np.arange(TRAINING_MONTHS + 1)
    rates = np.array([r["training_emp"] / np.maximum(r["training_n"], 1)[:, None] for r in runs])
    _median_band(ax1, k, rates[:, :, 0], "#7570b3", "participants")
    _median_band(ax1, k, rates[:, :, 1], "#999999", "matched non-participants")
    ax1.set_xlabel("months since enrolment")
    ax1.set_ylabel("% employed")
    ax1.set_ylim(0, 100)
    ax1.set_title("Employment after enrolment")
    ax1.legend(fontsize=8)
    ax1.grid(alpha=0.3)
    _median_band(ax2, k, eff, "black", "participants minus non-participants")
    ax2.axhline(0, color="black", lw=0.8)
    for lo_, hi_, lab in ((0, 12, "short run"), (12, 24, "medium run"), (24, 36, "long run")):
        ax2.axvspan(lo_, hi_, alpha=0.06 if lo_ % 24 == 0 else 0.0, color="black")
        ax2.text((lo_ + hi_) / 2, ax2.get_ylim()[1] * 0.9, lab, ha="center", fontsize=8)
    ax2.set_xlabel("months since enrolment")
    ax2.set_ylabel("percentage points")
    ax2.set_title(f"Effect on employment, median and range over {len(runs)} seeds")
    ax2.legend(fontsize=8, loc="lower right")
    ax2.grid(alpha=0.3)
    fact = Fact(
        "training",
        "Retraining: the time profile of its effect",
        "Card, Kluve and Weber (2018, Journal of the European Economic Association 16(3)), a meta-analysis of 207 evaluations of active "
        "labour market programmes: training and other human-capital programmes have small, often negative effects in the short run "
        "(up to a year after the programme: lock-in) and larger positive effects two to three years later; average effects on "
        "employment are a few percentage points.",
        "`baseline` plus a retraining subsidy from month 12 (80% of tuition and effort cost, 2 seats a month per 1,000 workers, open "
        "to every unemployed worker). Each month, every worker who enrols in retraining is paired with a worker who was eligible the "
        "same month and did not enrol, from the same occupation, displacement status, career stage and month of unemployment (dynamic "
        "matching, as in evaluations of programmes entered at different durations: controls may enrol later); the pairs' employment "
        "is followed for 36 months.",
        [
            ("effect 1-6 months after enrolment (points)", _num(100 * np.array(short), 1), "near zero or negative"),
            ("effect 7-12 months", _num(100 * np.array(year1), 1), "small"),
            ("effect 13-24 months", _num(100 * np.array(year2), 1), "positive"),
            ("effect 25-36 months", _num(100 * np.array(year3), 1), "positive, larger"),
            ("participants followed", _num(pairs, 0), ""),
            ("share of enrolments from month 12 on a subsidised seat", _pct(subsidised, 0), ""),
        ],
        verdict,
        why,
        "training.png",
        "Left: employment of participants and their matched non-participants by months since enrolment. Right: the difference (the "
        "effect on participants), median and range over the seeds.",
        {"short": _stats(short), "year1": _stats(year1), "year2": _stats(year2), "year3": _stats(year3), "pairs": _stats(pairs)},
    )
    return fact, fig


def fact_ai(base: list[dict], push: list[dict]) -> tuple[Fact, object]:
    """AI wage premium and adoption in baseline and national_ai_push."""

    def at(runs, col, i):
        return [float(r["timeseries"][col][i]) for r in runs]

    def peak(runs, col):
        return [float(np.max(r["timeseries"][col])) for r in runs]

    def using(runs, level):
        return [float(np.mean(r["adoption"] >= level)) for r in runs]

    prem = {
        name: (at(runs, "ai_wage_premium", 0), peak(runs, "ai_wage_premium"), at(runs, "ai_wage_premium", -1))
        for name, runs in (("baseline", base), ("national_ai_push", push))
    }
    adopt = {
        name: (at(runs, "mean_ai_adoption", 0), at(runs, "mean_ai_adoption", 12), at(runs, "mean_ai_adoption", -1), using(runs, 0.5))
        for name, runs in (("baseline", base), ("national_ai_push", push))
    }
    b_peak, p_peak = _stats(prem["baseline"][1])[0], _stats(prem["national_ai_push"][1])[0]
    a0, a12 = _stats(adopt["baseline"][0])[0], _stats(adopt["baseline"][1])[0]
    prem_ok = 0.4 <= b_peak <= 0.9
    adopt_ok = 0.08 <= a0 <= 0.25 and a12 > a0
    verdict = "partial" if prem_ok and adopt_ok else "miss" if not (prem_ok or adopt_ok) else "partial"
    why = (
        f"the premium starts at {100 * _stats(prem['baseline'][0])[0]:.0f}% (the BLS 2021 pay gap between AI-core and traditional "
        f"occupations), peaks at {100 * b_peak:.0f}% in baseline and {100 * p_peak:.0f}% under the national push, in the range of the "
        "PwC (56%) and Liepin (about 80%) gaps, but it is a gap between occupations, while PwC measures the premium for AI skills within "
        "an occupation; the model has no within-occupation skill premium. It falls back late in the run as graduates and retrainees "
        f"fill AI-core roles. Mean adoption starts at {100 * a0:.0f}% (about one firm in six: between Eurostat's 8% for 2023 and 13.5% "
        "for 2024) and rises; adoption in the model is an intensity (share of tasks), so the share "
        "of firms 'using AI' is read as mean adoption"
    )
    fig, (ax1, ax2) = _figure()
    colors = {"baseline": "#1b9e77", "national_ai_push": "#d95f02"}
    for name, runs in (("baseline", base), ("national_ai_push", push)):
        m = runs[0]["timeseries"]["month"]
        _median_band(ax1, m, [r["timeseries"]["ai_wage_premium"] for r in runs], colors[name], name)
        _median_band(ax2, m, [r["timeseries"]["mean_ai_adoption"] for r in runs], colors[name], name)
    ax1.axhline(56, color="black", ls=":", lw=1, label="PwC 2025: AI-skill premium 56% (2024)")
    ax1.axhline(82, color="grey", ls="--", lw=1, label="Liepin H1 2023: gen-AI vs EV pay, about +80%")
    ax1.set_xlabel("month")
    ax1.set_ylabel("% (AI-core over traditional mean wage)")
    ax1.set_title("AI wage premium")
    ax1.legend(fontsize=7)
    ax1.grid(alpha=0.3)
    ax2.axhline(13.5, color="black", ls=":", lw=1, label="Eurostat: 13.5% of EU firms used AI (2024)")
    ax2.axhline(8.0, color="grey", ls="--", lw=1, label="Eurostat: 8.0% (2023)")
    ax2.set_xlabel("month")
    ax2.set_ylabel("% (mean adoption)")
    ax2.set_ylim(0, 100)
    ax2.set_title("AI adoption")
    ax2.legend(fontsize=7)
    ax2.grid(alpha=0.3)
    table = []
    for name in ("baseline", "national_ai_push"):
        p0, pk, pe = prem[name]
        table += [
            (
                f"`{name}`: AI wage premium at month 0 / peak / last month",
                f"{_pct(p0, 0)} / {_pct(pk, 0)} / {_pct(pe, 0)}",
                "56% (PwC, 2024); about 80% (Liepin, China, H1 2023)",
            )
        ]
    for name in ("baseline", "national_ai_push"):
        a0_, a12_, ae, u50 = adopt[name]
        table += [
            (
                f"`{name}`: mean AI adoption at month 0 / 12 / last month",
                f"{_pct(a0_, 0)} / {_pct(a12_, 0)} / {_pct(ae, 0)}",
                "8.0% (2023), 13.5% (2024) of EU firms (Eurostat)",
            ),
            (f"`{name}`: firms with adoption of at least 0.5 in the last month", _pct(u50, 0), ""),
        ]
    fact = Fact(
        "ai",
        "AI wage premium and adoption",
        "PwC Global AI Jobs Barometer 2025: jobs requiring AI skills paid a 56% wage premium in 2024. China: generative-AI postings "
        "averaged above RMB 400k a year against RMB 220k in electric vehicles (Liepin, H1 2023), a gap of about 80%. Firms using AI: "
        "13.5% of EU enterprises with 10 or more employees in 2024, up from 8.0% in 2023 (Eurostat, isoc_eb_ai).",
        "`baseline` and `national_ai_push` runs: the AI wage premium is the mean wage of AI-core occupations over that of traditional "
        "occupations, minus 1; adoption is the mean of firms' AI adoption (share of tasks) and the share of firms at 0.5 or more.",
        table,
        verdict,
        why,
        "ai.png",
        "Left: the AI wage premium in both scenarios, median and range over the seeds. Right: mean AI adoption.",
        {
            "premium": {k: [_stats(x) for x in v] for k, v in prem.items()},
            "adoption": {k: [_stats(x) for x in v] for k, v in adopt.items()},
        },
    )
    return fact, fig


# --------------------------------------------------------------------------- the page
def _calibration_section(record_path: Path) -> list[str]:
    from .config import Config, iter_params

    lines = ["## Calibration", ""]
    if not record_path.exists():
        return [*lines, "No calibration record (`docs/calibration.json`): run `laborshift-calibrate`.", ""]
    rec = json.loads(record_path.read_text())
    defaults = {name: float(v) for name, _f, v in iter_params() if name in rec["params"]}
    same = all(abs(defaults[k] / v - 1) <= 0.05 for k, v in rec["params"].items())
    lines += [
        f"`laborshift-calibrate` fits {len(rec['params'])} parameters to {len(rec['targets'])} moments of the `{rec['scenario']}` scenario by the "
        f"simulated method of moments: {rec['method']}, on common random numbers (seeds {rec['seeds']}, {rec['workers']:,} workers x "
        f"{rec['months']} months for every evaluation), distance g' W g with {rec['weighting']} (the targets come from different "
        f"surveys with no joint covariance, so every moment counts by its relative gap); {rec['evaluations']} evaluations, "
        f"{rec['wall_time_s']:.0f} s. The fitted values are in `configs/calibration/fitted.yaml`.",
        "",
        "| parameter | default (shipped) | fitted | why this parameter |",
        "|---|---|---|---|",
    ]
    reasons = {
        "market.quit_rate": "sets the level of turnover: hires and separations",
        "demography.displacement_skill_loss": "sets how fast displaced workers are hired again",
        "market.exit_rate_long_term": "sets how many long-term unemployed leave the labour force",
    }
    far = [k for k, v in rec["params"].items() if not 1 / 3 <= v / defaults[k] <= 3]
    for k, v in rec["params"].items():
        mark = " (far from the default)" if k in far else ""
        lines.append(f"| `{k}` | {defaults[k]:.4g} | {v:.4g}{mark} | {reasons.get(k, '')} |")
    untargeted = rec.get("untargeted", {})
    lines += [
        "",
        "| moment | target | model at the fitted values | model at the defaults when the fit ran | source |",
        "|---|---|---|---|---|",
    ]
    for k, t in [*rec["targets"].items(), *untargeted.items()]:
        label = k.replace("_", " ") + (" (not targeted)" if k in untargeted else "")
        lines.append(
            f"| {label} | {100 * t:.1f}% | {100 * rec['moments'][k]:.1f}% | {100 * rec['moments_at_defaults'][k]:.1f}% | "
            f"{rec['sources'].get(k, '')} |"
        )
    before = ", ".join(f"{k.split('.')[-1]} {v:g}" for k, v in rec["defaults"].items())
    lines += [
        "",
        f"Distance (targeted moments only): {rec['distance']:.4f} at the fitted values, {rec['distance_at_defaults']:.4f} at the defaults when the fit ran "
        f"({before}).",
        "",
    ]
    for k, t in untargeted.items():
        why = rec.get("untargeted_reasons", {}).get(k, "")
        lines += [
            f"**Not targeted, a miss: {k.replace('_', ' ')}** ({100 * rec['moments'][k]:.1f}% at the fitted values against {100 * t:.1f}%). "
            f"It is measured and reported but left out of the distance: {why}."
            + (
                " `market.exit_rate_long_term` keeps its default. Matching it needs a broader exit mechanism (exits earlier in a spell, "
                "and by age), not a larger hazard."
                if k == "displaced_out_of_labor_force"
                else ""
            ),
            "",
        ]
    if not rec.get("converged", True):
        lines += [
            "The search stopped at its budget of evaluations before Nelder-Mead's tolerances were met; the distance varies by "
            "several times between neighbouring points (common random numbers make it piecewise constant, not smooth), so the "
            "fitted values are good to a few percent, not more.",
            "",
        ]
    state = rec.get("initial_state", {})
    if state.get("derived"):
        d, m = state["derived"], state["measured"]
        initial = {name: float(v) for name, _f, v in iter_params() if name in d}
        same = same and all(abs(initial[k] / v - 1) <= 0.05 for k, v in d.items())
        text = (
            "**Initial state: derived, not fitted.** Every run first lets the market settle for `burn_in_months` "
            f"({int(Config().burn_in_months)} by default) before month 0, with AI and policy held at their month-0 settings; the "
            "initial unemployment and vacancy rates are the draw that burn-in starts from, meant to be the `no_ai` steady state "
            "so that it starts near where it ends, and turnover moves that steady state. After the fit, `no_ai` is run at the "
            f"fitted values ({len(state['seeds'])} seeds, {state['workers']:,} workers, {state['months']} months): unemployment "
            f"{100 * m['unemployment_rate']:.2f}% and vacancies {100 * m['vacancy_rate']:.2f}% on average over months "
            f"{state['window_months'][0]}-{state['window_months'][1]}, which rounded to {state['rounding']} give "
            + ", ".join(f"`{k}` = {v:g} (shipped {initial[k]:g})" for k, v in d.items())
            + "."
        )
        if state.get("check"):
            c = state["check"]
            path = ", ".join(f"{100 * u:.1f}% at month {t}" for t, u in c["u_at"].items())
            text += (
                f" Run again from those initial rates, `no_ai` unemployment is {path} (mean over months "
                f"{state['window_months'][0]}-{state['window_months'][1]}: {100 * c['unemployment_rate']:.2f}%; vacancies "
                f"{100 * c['vacancy_rate']:.2f}%)."
            )
            drift = max(abs(u - d["market.initial_unemployment_rate"]) for u in c["u_at"].values())
            if drift > 0.01:
                text += (
                    " It does not stay flat within a percentage point. What remains after the burn-in is slow drift, not a start-up "
                    "transient: the out-of-the-labour-force stock only grows (the model has no re-entry), and the age mix moves from "
                    "the initial draw towards the one graduates and retirements make, over decades. Compare scenarios on the same "
                    "seeds, as the comparisons do."
                )
            else:
                text += " It stays within a percentage point of the initial rate throughout: runs start from the market's steady state."
        lines += [text, ""]
    if same:
        lines.append("The shipped defaults are the calibrated values (within 5%).")
    else:
        lines.append(
            "**The shipped defaults differ from the fitted values**: the sections above are computed at the shipped defaults, "
            "not at the values in `configs/calibration/fitted.yaml`. Re-run `laborshift-calibrate` and copy its values into "
            "`simulation/config.py`, or add those overrides to a run."
        )
    return [*lines, ""]


def render_page(facts: list[Fact], settings: dict, record_path: Path = CALIBRATION_RECORD) -> str:
    """The markdown of the validation page."""
    lines = [
        "# Validation: the model against what labour economics has measured",
        "",
        "Generated by `laborshift-validate` (`simulation/validate.py`); every figure on this page is produced by that command. Do not edit by hand.",
        "",
        f"Settings: {settings['workers']:,} workers per run, {settings['seeds']} seeds per experiment (spawned from master seed "
        f"{settings['master_seed']}), {settings['months']} months ({CYCLE_MONTHS} for the demand cycle), shipped defaults"
        f"{' plus ' + ', '.join(f'`{o}`' for o in settings['overrides']) if settings['overrides'] else ''}; "
        f"{settings['runs']} runs in {settings['wall_time_s']:.0f} s. A model figure is the median across seeds with the range "
        "(minimum, maximum) across seeds in brackets.",
        "",
        "Verdicts: **pass** (the model reproduces the fact within the stated tolerance), **partial** (right direction or order of "
        "magnitude, with a stated gap), **miss** (the model does not reproduce it; the section says why).",
        "",
        "| fact | verdict | in one line |",
        "|---|---|---|",
    ]
    for f in facts:
        lines.append(
            f"| [{f.title}](#{f.title.lower().replace(' ', '-').replace(':', '').replace(',', '')}) | **{f.verdict}** | {f.why.split('. ')[0].split('; ')[0]} |"
        )
    lines.append("")
    for f in facts:
        lines += [
            f"## {f.title}",
            "",
            f"**Target.** {f.target}",
            "",
            f"**Experiment.** {f.method}",
            "",
            "| measure | model: median [min, max] | target |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in f.table]
        lines += [
            "",
            f"**Verdict: {f.verdict}.** {f.why.rstrip('. ')}.",
            "",
            f"![{f.title}]({IMAGE_DIR.as_posix()}/{f.figure})",
            "",
            f"*{f.caption}*",
            "",
        ]
    lines += _calibration_section(record_path)
    return "\n".join(lines)


def refresh_calibration_section(page: Path, record_path: Path = CALIBRATION_RECORD) -> None:
    """Rewrite the Calibration section (the page's last) from the calibration record, keeping every other section."""
    text = page.read_text()
    head = text.split("\n## Calibration\n", 1)[0]
    page.write_text(head + "\n" + "\n".join(_calibration_section(record_path)))


def write_validation(
    out_dir: str | Path = DEFAULT_OUT,
    workers: int = DEFAULT_WORKERS,
    seeds: int = DEFAULT_SEEDS,
    months: int = DEFAULT_MONTHS,
    master_seed: int = 2024,
    jobs: int = 0,
    overrides: Sequence[str] = (),
    log=print,
) -> tuple[Path, list[Fact]]:
    """Run every experiment, write ``VALIDATION.md`` and its figures into ``out_dir``; return the page's path and the facts."""
    start = time.perf_counter()
    runs = run_experiments(workers, seeds, months, master_seed, jobs, overrides, log)
    period = int(_demand_cycle_period())
    built = [
        fact_beveridge(runs["cycle"], period),
        fact_matching(runs["cycle"]),
        fact_flows(runs["baseline"]),
        fact_displaced(runs["baseline"]),
        fact_training(runs["training"]),
        fact_ai(runs["baseline"], runs["national_ai_push"]),
    ]
    out = Path(out_dir)
    img = out / IMAGE_DIR
    img.mkdir(parents=True, exist_ok=True)
    for fact, fig in built:
        fig.savefig(img / fact.figure, dpi=110)
    facts = [f for f, _ in built]
    settings = {
        "workers": workers,
        "seeds": seeds,
        "months": months,
        "master_seed": master_seed,
        "overrides": list(overrides),
        "runs": sum(len(v) for v in runs.values()),
        "wall_time_s": time.perf_counter() - start,
    }
    page = out / PAGE_NAME
    page.write_text(render_page(facts, settings))
    return page, facts


def _demand_cycle_period() -> int:
    from .runner import compose

    return int(compose("demand_cycle").cycle.period_months)


def _positive_int(name: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a positive integer") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"got {value}; allowed: a positive integer")
        return value

    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit code 2, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-validate``."""
    ap = _Parser(prog="laborshift-validate", description="Run the validation experiments and write VALIDATION.md with its figures.")
    ap.add_argument(
        "--workers", type=_positive_int("--workers"), default=DEFAULT_WORKERS, help=f"workers per run (default {DEFAULT_WORKERS})"
    )
    ap.add_argument("--seeds", type=_positive_int("--seeds"), default=DEFAULT_SEEDS, help=f"seeds per experiment (default {DEFAULT_SEEDS})")
    ap.add_argument(
        "--months",
        type=_positive_int("--months"),
        default=DEFAULT_MONTHS,
        help=f"months of the scenario runs (default {DEFAULT_MONTHS}; the demand cycle runs {CYCLE_MONTHS})",
    )
    ap.add_argument("--master-seed", type=int, default=2024, help="master seed the run seeds are spawned from (default 2024)")
    ap.add_argument("--jobs", type=int, default=0, help="processes (0: one per core)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="folder for VALIDATION.md and images/validation/ (default docs/)")
    ap.add_argument(
        "--calibration-only",
        action="store_true",
        help="only rewrite the Calibration section of an existing page from docs/calibration.json (no runs)",
    )
    ap.add_argument("--fitted", action="store_true", help="run with the calibrated values of configs/calibration/fitted.yaml")
    args = ap.parse_args(argv)
    if args.jobs < 0:
        ap.error(f"--jobs: got {args.jobs}; allowed: an integer >= 0 (0: one per core)")
    if args.months < 48:
        ap.error(f"--months: got {args.months}; allowed: at least 48 (the displaced and training panels follow workers for 36 months)")
    if args.calibration_only:
        page = Path(args.out) / PAGE_NAME
        if not page.exists():
            ap.error(f"--calibration-only: {page} does not exist; run laborshift-validate without it first")
        refresh_calibration_section(page)
        print(f"rewrote the Calibration section of {page}")
        return
    overrides: list[str] = []
    if args.fitted:
        from .calibrate import FITTED_CONFIG, fitted_overrides

        if not FITTED_CONFIG.exists():
            ap.error("--fitted: configs/calibration/fitted.yaml does not exist; run laborshift-calibrate first")
        overrides = fitted_overrides(FITTED_CONFIG)
    start = time.perf_counter()
    n_runs = args.seeds * len(EXPERIMENTS)
    print(
        f"laborshift-validate: {len(EXPERIMENTS)} experiments x {args.seeds} seeds = {n_runs} runs of {args.workers:,} workers", flush=True
    )
    page, facts = write_validation(
        args.out, args.workers, args.seeds, args.months, args.master_seed, args.jobs, overrides, log=lambda s: print(s, flush=True)
    )
    print()
    for f in facts:
        print(f"{f.title:45s} {f.verdict:8s} " + "; ".join(f"{a}: {b}" for a, b, _ in f.table[:2]))
    print(f"\nwrote {page} and {len(facts)} figures in {Path(args.out) / IMAGE_DIR} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
