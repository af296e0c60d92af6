"""Calibration per profile by the simulated method of moments (``laborshift-calibrate profile=china``).

A profile's calibration is data: a :class:`CalibrationSpec` in :data:`SPECS` names the scenario, the run size, the
common-random-number seeds, the free parameters (dotted key, start, bounds, finite-difference step) and the moment
functions (name -> function of one run's measurements); the targets are the profile's rows of
``simulation/data/profiles/<profile>_targets.csv`` that the spec measures: ``role=target`` rows are fitted,
``role=check`` rows are computed and reported only. Rows the model does not measure are listed, never dropped silently.

Estimation, on common random numbers (every evaluation runs the spec's seeds):

* the weighted moment deviations ``r = W^(1/2) (m(theta) - m*)`` over the targeted moments, ``W = diag(1 / se*^2)``;
* Levenberg-Marquardt (Gauss-Newton with a damping ``lambda diag(G'WG)``) from the start, the Jacobian ``G`` by
  central differences with each parameter's step (one-sided at a bound) at every iterate, the bounds by clipping; a
  step that does not lower the distance raises the damping and is retried; the search stops ``converged`` when the
  undamped Gauss-Newton step is under :data:`CONVERGED_STEP` standard errors for every parameter, ``stalled`` when
  no damping lowers the distance, or after the ``iterations`` allowed (the record's ``convergence``);
* the parameters' covariance by the SMM sandwich with the simulation-noise correction, at the estimate:
  ``V = B G'W (Omega_data + Omega_sim / S) W G B``, ``Omega_data = diag(se*^2)``, ``Omega_sim`` the moments'
  covariance across the S seeds, and the bread ``B`` the inverse of ``G'WG`` corrected for the Jacobian's noise:
  ``G`` is the mean over the S seeds of per-seed central differences ``D_s``, so ``G = G0 + E`` with ``E`` of mean
  ~0 and ``E[G'WG] = G0'WG0 + sum_i w_i Cov(g_i)`` (``g_i`` row i of G, ``w_i`` its weight; ``Cov(g_i)`` estimated
  by the covariance of row i of the ``D_s`` across the seeds over S, :func:`jacobian_noise`); ``B = (G'WG - sum_i
  w_i Cov(g_i))^-1``, where every direction of the generalized eigenproblem ``N v = mu G'WG v`` (``N`` the noise
  term, ``mu`` the noise's share of the apparent information) keeps at least :data:`EIGEN_FLOOR` of its apparent
  information, so a direction the noise swamps gets a large variance rather than a negative one (the bread at most
  1/EIGEN_FLOOR times the uncorrected in that direction; as it enters twice, the se at most 1/EIGEN_FLOOR = 100
  times; :func:`corrected_inverse`). This is the moment-matrix correction for errors in the regressors with a known
  error covariance (Fuller 1987, *Measurement Error Models*, Wiley, ch. 2: ``M_xx - Sigma_uu``); its
  use here (the finite-difference noise as the regressors' measurement error, independent of the moments' noise at
  the estimate, and first order: the noise of ``B`` itself is ignored) is this module's assumption. The meat is not
  corrected: with a noisy G the estimate is (near) the root of ``G'W r``, whose variance keeps the meat's noise term
  (a linear problem with known noise, ``tests/test_jacobian_noise.py``: the truth within 2 se in 0.68 and 0.14
  of the replications with the uncorrected sandwich, 0.995 and 0.94 with the bread corrected, 0.82 and 0.77 with
  the meat corrected too);
* the convergence rule's Gauss-Newton step is taken with the same corrected ``G'WG`` (:func:`step_in_se`): the
  uncorrected one shrinks the step along noisy directions (attenuation) while the se grow, and the rule would call
  a search converged while its score was still far from 0;
* every moment's model value is the mean over the seeds; its standard error (``model_se``) is
  ``sqrt(diag(Omega_sim / S + G V G'))``: the simulation noise of the mean plus the parameters' uncertainty
  (delta method; the check moments' Jacobian comes from the same runs).

Target standard errors (``target_se``): where the data give several observations of a moment (the months of a
monthly series, the years of a seasonal difference: the profile's monthly file, e.g. ``china_monthly.csv``), the
standard error of their mean (sample standard deviation / sqrt(n)), at least :data:`SE_FLOOR` points (half the
0.1-point unit NBS publishes in); otherwise :data:`SE_SHARE` of the target's absolute value (a stated 10%: JOLTS
releases, the Displaced Worker Survey, platform reports give one figure each).

Writes the profile's record ``simulation/data/profiles/<profile>_calibration.json`` (profile, scenario, settings,
parameters with estimate, se and se_ignoring_jacobian_noise (the sandwich without the Jacobian-noise correction),
covariance, moments with target, target_se, model, model_se and role, distance, convergence: iterations, the last
Gauss-Newton step in standard errors, why the search stopped) and a fitted snippet
``configs/calibration/<profile>.yaml`` (printed; the values belong in ``configs/profile/<profile>.yaml``).
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..config import ConfigError
from ..parallel import n_jobs, process_pool, run_many
from .settings import REPO

PROFILE_DATA = REPO / "simulation" / "data" / "profiles"
FITTED_DIR = REPO / "configs" / "calibration"
SE_SHARE = 0.10  # target se where the data give one figure: this share of the target's absolute value
SE_FLOOR = 0.05  # points: the least target se of a moment measured from a published monthly series (0.1-point units)
ROLES = ("target", "check")


def record_path(profile: str) -> Path:
    """The calibration record of a profile, ``simulation/data/profiles/<profile>_calibration.json``."""
    return PROFILE_DATA / f"{profile}_calibration.json"


def fitted_path(profile: str) -> Path:
    """The fitted snippet of a profile, ``configs/calibration/<profile>.yaml``."""
    return FITTED_DIR / f"{profile}.yaml"


# --------------------------------------------------------------------------- specs
@dataclass(frozen=True)
class Free:
    """A free parameter: dotted key, start (None: the profile's composed value), bounds and finite-difference step."""

    name: str
    start: float | None
    lo: float
    hi: float
    step: float


@dataclass(frozen=True)
class Target:
    """One moment's target: value, standard error, role (``target`` is fitted, ``check`` only reported) and source."""

    name: str
    value: float
    se: float
    role: str
    source: str = ""


@dataclass(frozen=True)
class CalibrationSpec:
    """What a profile's calibration runs and matches. ``moments``: name -> function of one run (see :func:`measure`).

    ``panel``: the runs follow the AI-displaced workers (needed by the Displaced Worker Survey moments).
    ``data_se``: name -> the target's standard error from the profile's repeated observations (others: :data:`SE_SHARE`).
    """

    profile: str
    scenario: str
    months: int
    workers: int
    seeds: tuple[int, ...]
    params: tuple[Free, ...]
    moments: Mapping[str, Callable[[dict], float]]
    panel: bool = False
    data_se: Callable[[], dict[str, float]] | None = None
    overrides: tuple[str, ...] = field(default=())

    def run_overrides(self) -> list[str]:
        """Hydra overrides of every run: the profile, then the spec's own."""
        return [f"profile={self.profile}", *self.overrides]


# --------------------------------------------------------------------------- moments
def _months(ts, lo: int, hi: int) -> np.ndarray:
    """Boolean mask of the timeseries rows of run months lo..hi."""
    m = np.asarray(ts["month"])
    return (m >= lo) & (m <= hi)


def _calendar(ts) -> np.ndarray:
    """Calendar month (1-12) of every row, month 1 = January."""
    return (np.asarray(ts["month"]) - 1) % 12 + 1


def window_mean(column: str, lo: int, hi: int, run: dict, scale: float = 100.0) -> float:
    """Mean of ``scale * column`` over run months lo..hi."""
    ts = run["timeseries"]
    return float(scale * np.mean(np.asarray(ts[column], dtype=float)[_months(ts, lo, hi)]))


def calendar_gap(column: str, later: tuple[int, ...], earlier: tuple[int, ...], lo: int, hi: int, run: dict) -> float:
    """Mean of 100*column in the calendar months ``later`` less its mean in ``earlier``, over run months lo..hi."""
    ts = run["timeseries"]
    x, cal, keep = 100 * np.asarray(ts[column], dtype=float), _calendar(ts), _months(ts, lo, hi)
    return float(x[keep & np.isin(cal, later)].mean() - x[keep & np.isin(cal, earlier)].mean())


def calendar_mean(column: str, months: tuple[int, ...], lo: int, hi: int, run: dict) -> float:
    """Mean of 100*column in the calendar months ``months``, over run months lo..hi."""
    ts = run["timeseries"]
    keep = _months(ts, lo, hi) & np.isin(_calendar(ts), months)
    return float(100 * np.asarray(ts[column], dtype=float)[keep].mean())


def seekers_ratio(lane: str, other: str, lo: int, hi: int, run: dict) -> float:
    """(Unemployed / vacancies over ``lane``'s occupations) / (same over ``other``'s), mean over months lo..hi with openings in both."""
    bo = run["by_occupation"]
    bo = bo[(bo["month"] >= lo) & (bo["month"] <= hi)]
    g = bo.groupby(["month", "lane"], observed=True)[["unemployed", "vacancies"]].sum().unstack("lane")
    u, v = g["unemployed"], g["vacancies"]
    ok = (v[lane] > 0) & (v[other] > 0) & (u[other] > 0)
    ratio = (u[lane][ok] / v[lane][ok]) / (u[other][ok] / v[other][ok])
    return float(ratio.mean()) if ok.any() else float("nan")


def graduates_per_employed(lo: int, hi: int, run: dict) -> float:
    """Graduates a year over mean employment, months lo..hi."""
    ts = run["timeseries"]
    keep = _months(ts, lo, hi)
    years = keep.sum() / 12
    return float(np.asarray(ts["graduates"], dtype=float)[keep].sum() / years / np.asarray(ts["employed"], dtype=float)[keep].mean())


def pay_ratio(lo: int, hi: int, run: dict) -> float:
    """Mean AI-core wage over mean traditional wage (1 + ``ai_wage_premium``), mean over months lo..hi."""
    return 1.0 + window_mean("ai_wage_premium", lo, hi, run, scale=1.0)


def flow(name: str, run: dict) -> float:
    """A JOLTS-style monthly flow rate (% of last month's employment) of the whole run (:func:`.stats.flow_rates`)."""
    from .stats import flow_rates

    ts = run["timeseries"]
    return 100 * flow_rates({c: np.asarray(ts[c], dtype=float) for c in ts.columns})[name]


def dws(status: str, run: dict, band: str = "all") -> float:
    """Displaced Worker Survey share (%) in ``status``, 1-36 months after displacement, of the age band's panel."""
    from .stats import dws_shares

    return 100 * dws_shares(run["panel_counts"][band])[status]


P = functools.partial
CHINA_MOMENTS: dict[str, Callable[[dict], float]] = {
    "urban_rate": P(window_mean, "unemployment_rate", 1, 36),
    "urban_graduation_bump": P(calendar_gap, "unemployment_rate", (7, 8), (5, 6), 1, 36),
    "age_16_24": P(window_mean, "unemployment_rate_16_24", 13, 36),
    "age_16_24_june": P(calendar_mean, "unemployment_rate_16_24", (6,), 13, 36),
    "age_16_24_august_over_june": P(calendar_gap, "unemployment_rate_16_24", (8,), (6,), 13, 36),
    "age_16_24_december_over_june": P(calendar_gap, "unemployment_rate_16_24", (12,), (6,), 13, 36),
    "age_25_29": P(window_mean, "unemployment_rate_25_29", 13, 36),
    "age_30_59": P(window_mean, "unemployment_rate_30_59", 13, 36),
    "seekers_per_opening_ratio_ai_core_traditional": P(seekers_ratio, "ai_core", "traditional", 1, 36),
    "ai_pay_ratio": P(pay_ratio, 1, 36),
    "graduates_per_employed": P(graduates_per_employed, 1, 36),
}

US_MOMENTS: dict[str, Callable[[dict], float]] = {
    "hires_rate": P(flow, "hires"),
    "quits_rate": P(flow, "quits"),
    "layoffs_rate": P(flow, "layoffs"),
    "openings_rate": P(flow, "vacancy_rate"),
    "displaced_employed": P(dws, "employed"),
    "displaced_out_of_labor_force": P(dws, "out_of_labor_force"),
    "displaced_employed_25_54": P(dws, "employed", band="25_54"),
    "displaced_employed_55_64": P(dws, "employed", band="55_64"),
}


def _se_of_mean(x) -> float:
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return float(np.std(x, ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")


def china_data_se() -> dict[str, float]:
    """Standard errors of the China targets from NBS's monthly series (``china_monthly.csv``, run month 1 = 2023-01)."""
    import pandas as pd

    df = pd.read_csv(PROFILE_DATA / "china_monthly.csv")
    m = df["run_month"].to_numpy()
    cal = (m - 1) % 12 + 1
    year = (m - 1) // 12
    late = (m >= 13) & (m <= 36)

    def by_year(col, later, earlier, keep):
        s = df[keep].assign(cal=cal[keep], year=year[keep])
        hi = s[s["cal"].isin(later)].groupby("year")[col].mean()
        lo = s[s["cal"].isin(earlier)].groupby("year")[col].mean()
        return (hi - lo).dropna().to_numpy()

    out = {
        "urban_rate": _se_of_mean(df.loc[(m >= 1) & (m <= 36), "urban_rate"]),
        "urban_graduation_bump": _se_of_mean(by_year("urban_rate", (7, 8), (5, 6), (m >= 1) & (m <= 36))),
        "age_16_24_june": _se_of_mean(df.loc[late & (cal == 6), "age_16_24"]),
        "age_16_24_august_over_june": _se_of_mean(by_year("age_16_24", (8,), (6,), late)),
        "age_16_24_december_over_june": _se_of_mean(by_year("age_16_24", (12,), (6,), late)),
    }
    for col in ("age_16_24", "age_25_29", "age_30_59"):
        out[col] = _se_of_mean(df.loc[late, col])
    return {k: max(v, SE_FLOOR) for k, v in out.items() if np.isfinite(v)}


SPECS: dict[str, CalibrationSpec] = {
    "china": CalibrationSpec(
        profile="china",
        scenario="no_ai",
        months=36,
        # 40,000 workers: at 10,000 the moments' simulation noise (the 25-29 rate's about 5 of its target's standard
        # errors) swamps what the parameters do to them, and the search stalls wherever the noise happens to lead
        workers=40_000,
        seeds=(11, 12, 13, 14),
        params=(
            # not market.quit_rate: China's unemployment rates identify the separations into unemployment, not their
            # split between quits and layoffs (no turnover survey); quits keep the US profile's JOLTS-based rate
            Free("market.layoff_rate", None, 0.001, 0.05, 0.002),
            # not market.new_match_separation_rate: no China series separates it from layoff_rate (both raise the
            # young's rates; tests/test_calibration_recovery.py), so it is set from Farber (1999) in the profile
            Free("demography.graduate_offer_share", None, 0.0, 0.98, 0.1),
            Free("demography.graduate_skill_share", None, 0.3, 1.0, 0.1),
            Free("cycle.lane_trend_ai_core", None, -0.1, 0.5, 0.02),
        ),
        moments=CHINA_MOMENTS,
        data_se=china_data_se,
    ),
    "us": CalibrationSpec(
        profile="us",
        scenario="baseline",
        months=120,
        workers=5_000,
        seeds=(11, 12, 13, 14),
        params=(
            Free("market.quit_rate", None, 0.001, 0.05, 0.0005),
            Free("market.layoff_rate", None, 0.001, 0.05, 0.001),
            Free("demography.displacement_skill_loss", None, 0.005, 0.4, 0.03),
        ),
        moments=US_MOMENTS,
        panel=True,
    ),
}


def spec_of(profile: str) -> CalibrationSpec:
    """The spec of ``profile``; a :class:`~simulation.config.ConfigError` naming the known profiles otherwise."""
    if profile not in SPECS:
        raise ConfigError([f"profile: got {profile!r}; allowed: one of {', '.join(sorted(SPECS))} (a profile with a calibration spec)"])
    return SPECS[profile]


# --------------------------------------------------------------------------- targets
def read_targets(spec: CalibrationSpec, path: str | Path | None = None) -> tuple[list[Target], list[str]]:
    """The spec's targets from the profile's targets file, and the target/check rows the model does not measure.

    Order: the file's. Values are in the file's units (the moment functions return the same units).
    """
    path = Path(path) if path else PROFILE_DATA / f"{spec.profile}_targets.csv"
    data_se = spec.data_se() if spec.data_se else {}
    targets, unmeasured = [], []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["role"] not in ROLES:
                continue
            if row["moment"] not in spec.moments:
                unmeasured.append(f"{row['moment']} ({row['role']}): {row.get('note') or 'not measured by the model'}")
                continue
            value = float(row["value"])
            se = data_se.get(row["moment"], SE_SHARE * abs(value))
            targets.append(Target(row["moment"], value, se, row["role"], row.get("source", "")))
    missing = [t for t in spec.moments if t not in {x.name for x in targets}]
    unmeasured += [f"{k}: measured, but no target or check row in {path.name}" for k in missing]
    return targets, unmeasured


def synthetic_targets(
    spec: CalibrationSpec, truth: Mapping[str, float], seeds: Sequence[int], roles: Mapping[str, str] | None = None, jobs: int = 1
) -> list[Target]:
    """Targets generated by the model at ``truth`` on ``seeds``: the mean over the seeds, with its standard error as ``se``.

    ``roles``: each moment's role (default: the profile's targets file); the recovery test's data.
    """
    if roles is None:
        roles = {t.name: t.role for t in read_targets(spec)[0]}
    with Simulator(replace(spec, seeds=tuple(seeds)), list(roles), jobs) as sim:
        draws = sim.draws([dict(truth)])[0]
    value = _mean(draws)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(draws, axis=0, ddof=1) / np.sqrt(np.sum(~np.isnan(draws), axis=0))
    se = np.maximum(np.nan_to_num(se, nan=0.0), 1e-3 * np.abs(value) + 1e-9)
    return [Target(k, float(value[i]), float(se[i]), r, "synthetic") for i, (k, r) in enumerate(roles.items())]


def start_values(spec: CalibrationSpec) -> dict[str, float]:
    """Each free parameter's start: its own, or the value the profile composes to."""
    from omegaconf import OmegaConf

    from ..runner import compose

    cfg = None
    out = {}
    for p in spec.params:
        if p.start is None:
            cfg = cfg if cfg is not None else compose(spec.scenario, spec.run_overrides())
            out[p.name] = float(OmegaConf.select(cfg, p.name))
        else:
            out[p.name] = float(p.start)
    return out


# --------------------------------------------------------------------------- runs
AGE_BANDS = {"all": (0.0, np.inf), "25_54": (25.0, 55.0), "55_64": (55.0, 65.0)}
PANEL_HORIZON = 48


def panel_update(counts: dict[str, np.ndarray], m) -> None:
    """Add this month's AI-displaced workers to ``counts[band][months since displacement, status]`` (age at the survey)."""
    from ..state import OUT_OF_LABOR_FORCE

    w, n = m.workers, m.next_slot
    ids = np.flatnonzero(w.displaced[:n] & (w.status[:n] >= 0) & (w.status[:n] <= OUT_OF_LABOR_FORCE))
    k = m.month - w.displaced_month[ids]
    keep = (k >= 1) & (k <= PANEL_HORIZON)
    ids, k = ids[keep], k[keep]
    st, age = w.status[ids].astype(np.int64), w.age[ids]
    for band, (lo, hi) in AGE_BANDS.items():
        sel = (age >= lo) & (age < hi)
        np.add.at(counts[band], (k[sel], st[sel]), 1.0)


def run_overrides(spec: CalibrationSpec, values: Mapping[str, float], seed: int) -> list[str]:
    """Every Hydra override of one run of the spec at ``values`` on ``seed``."""
    size = [f"workers={spec.workers}", f"months={spec.months}", f"seed={int(seed)}", "progress=false", "figures=false"]
    return [*size, *spec.run_overrides(), *(f"{k}={float(v)!r}" for k, v in values.items())]


def measure(spec: CalibrationSpec, values: tuple[tuple[str, float], ...], seed: int) -> dict[str, float]:
    """Run the spec's scenario at ``values`` on ``seed`` and return every moment of the spec (a task of :class:`Simulator`).

    A run is ``{"timeseries": DataFrame, "by_occupation": DataFrame, "panel_counts": {band: counts} or None}``.
    """
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from ..config import to_config
    from ..model import LaborMarketModel
    from ..runner import compose

    m = LaborMarketModel(to_config(compose(spec.scenario, run_overrides(spec, dict(values), seed))))
    counts = {b: np.zeros((PANEL_HORIZON + 1, 4)) for b in AGE_BANDS} if spec.panel else None
    for _ in range(spec.months):
        m.step()
        if counts is not None:
            panel_update(counts, m)
    res = m.results()
    run = {"timeseries": res.timeseries, "by_occupation": res.by_occupation, "panel_counts": counts}
    return {k: float(f(run)) for k, f in spec.moments.items()}


class Simulator:
    """The spec's moments at parameter values, on its seeds (common random numbers); runs in a pool kept open in ``with``.

    :meth:`draws` returns, per point, an array (seeds x moments) in the order of ``names``; evaluations are cached.
    """

    def __init__(self, spec: CalibrationSpec, names: Sequence[str], jobs: int = 1, log: Callable[[str], None] | None = None):
        self.spec, self.names, self.jobs, self.log = spec, list(names), max(1, int(jobs)), log
        self.cache: dict[tuple, np.ndarray] = {}
        self.runs = 0
        self._pool = None
        self._start = time.perf_counter()

    def __enter__(self):
        if n_jobs(self.jobs, len(self.spec.seeds)) > 1:
            self._pool = process_pool(n_jobs(self.jobs, 4 * len(self.spec.seeds)))
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return False

    def _key(self, values: Mapping[str, float]) -> tuple:
        return tuple((k, round(float(v), 12)) for k, v in values.items())

    def draws(self, points: Sequence[Mapping[str, float]], what: str = "") -> list[np.ndarray]:
        """Moments (seeds x moments) at each point; the runs of all the points not yet cached go to the pool together."""
        todo = list(dict.fromkeys(self._key(p) for p in points if self._key(p) not in self.cache))
        tasks = [(self.spec, key, s) for key in todo for s in self.spec.seeds]
        if tasks:
            runs = run_many(measure, tasks, self.jobs, pool=self._pool)
            self.runs += len(tasks)
            S = len(self.spec.seeds)
            for i, key in enumerate(todo):
                self.cache[key] = np.array([[r[k] for k in self.names] for r in runs[i * S : (i + 1) * S]], dtype=float)
            if self.log:
                self.log(f"  {what or 'evaluation'}: {len(todo)} point(s) x {S} seeds ({self.runs} runs, {time.perf_counter() - self._start:.0f} s)")
        return [self.cache[self._key(p)] for p in points]


# --------------------------------------------------------------------------- estimation
def _mean(draws: np.ndarray) -> np.ndarray:
    """The mean over the seeds (rows) of every moment, ignoring the seeds that could not measure it (NaN if none could)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(draws, axis=0)


@dataclass
class Fit:
    """An estimate with its Jacobian and the draws at it, and the search's path (distance per accepted step)."""

    theta: np.ndarray
    draws: np.ndarray
    jacobian: np.ndarray
    path: list[float]
    iterations: int = 0
    step_se: float = float("nan")
    stop: str = ""
    seed_jacobians: np.ndarray | None = None  # the Jacobian's per-seed differences (seeds x moments x parameters)


class Problem:
    """The weighted moment deviations of a spec against its targets, with the free parameters' bounds and steps."""

    def __init__(self, spec: CalibrationSpec, targets: Sequence[Target], sim: Simulator):
        self.spec, self.targets, self.sim = spec, list(targets), sim
        self.names = [t.name for t in self.targets]
        self.fitted = np.array([t.role == "target" for t in self.targets])
        self.value = np.array([t.value for t in self.targets])
        self.w = 1.0 / np.array([t.se for t in self.targets]) ** 2
        self.lo = np.array([p.lo for p in spec.params])
        self.hi = np.array([p.hi for p in spec.params])
        self.step = np.array([p.step for p in spec.params])

    def values(self, theta: np.ndarray) -> dict[str, float]:
        """Parameter values by name."""
        return {p.name: float(x) for p, x in zip(self.spec.params, theta, strict=True)}

    def distance(self, moments: np.ndarray) -> float:
        """``g' W g`` over the targeted moments."""
        g = (moments - self.value)[self.fitted]
        return float(np.sum(self.w[self.fitted] * g**2))

    def jacobian(self, theta: np.ndarray, what: str) -> np.ndarray:
        """The derivatives of every moment in the parameters at theta by central differences (:meth:`jacobians`)."""
        return self.jacobians(theta, what)[0]

    def jacobians(self, theta: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray]:
        """The Jacobian ``G`` (moments x parameters) at theta and its per-seed differences (seeds x moments x parameters).

        Each parameter is moved by its step both ways (one-sided, from theta, where a move would cross a bound): at a
        test's size (2,000 workers) forward differences were mostly noise and their noise inflated ``G'WG``, so the
        standard errors came out too small (see ``tests/test_calibration_recovery.py``). ``G`` is the difference of
        the means over the seeds; the per-seed differences give its noise (:func:`jacobian_noise`).
        """
        up = theta + self.step <= self.hi
        down = theta - self.step >= self.lo
        eye = np.eye(theta.size)
        hi = [theta + (self.step[j] if up[j] else 0.0) * eye[j] for j in range(theta.size)]
        lo = [theta - (self.step[j] if down[j] else 0.0) * eye[j] for j in range(theta.size)]
        draws = self.sim.draws([self.values(x) for x in (theta, *hi, *lo)], what)
        n, h = theta.size, [hi[j][j] - lo[j][j] for j in range(theta.size)]
        means = [_mean(d) for d in draws]
        G = np.column_stack([(means[1 + j] - means[1 + n + j]) / h[j] for j in range(n)])
        per_seed = np.stack([(draws[1 + j] - draws[1 + n + j]) / h[j] for j in range(n)], axis=-1)
        return G, per_seed

    def gauss_newton_step(self, theta: np.ndarray, moments: np.ndarray, G: np.ndarray, lam: float) -> np.ndarray:
        """The damped Gauss-Newton step from theta, clipped to the bounds."""
        f = self.fitted
        Gt, w, g = G[f], self.w[f], (moments - self.value)[f]
        A = Gt.T @ (w[:, None] * Gt)
        b = Gt.T @ (w * g)
        delta = np.linalg.lstsq(A + lam * np.diag(np.diag(A)), -b, rcond=None)[0]
        return np.clip(theta + delta, self.lo, self.hi)


TRIES = 5
CONVERGED_STEP = 0.5  # converged: the undamped Gauss-Newton step at the estimate is under this many standard errors, every parameter
EIGEN_FLOOR = 0.01  # every direction keeps at least this share of G'WG's apparent information after the noise correction (the sandwich's se at most 1/0.01 = 100x)


def step_in_se(prob: Problem, theta: np.ndarray, draws: np.ndarray, G: np.ndarray, per_seed: np.ndarray | None = None) -> float:
    """The largest undamped Gauss-Newton step from theta, in the parameters' standard errors there (:func:`covariance`).

    The step is taken with the same noise-corrected ``G'WG`` as the standard errors (:func:`corrected_inverse`):
    with the uncorrected one the step is shrunk along the noisy directions (errors in the regressors attenuate it)
    while the standard error is not, so the rule would call a search converged while the score is still far from 0.
    """
    f = prob.fitted
    V = covariance(prob, draws, G, per_seed)[0]
    se = np.sqrt(np.maximum(np.diag(V), 0.0))
    Gt, w, g = G[f], prob.w[f], (_mean(draws) - prob.value)[f]
    noise = jacobian_noise(per_seed[:, f, :], w) if per_seed is not None else 0.0
    delta = np.clip(theta - corrected_inverse(Gt.T @ (w[:, None] * Gt), noise) @ (Gt.T @ (w * g)), prob.lo, prob.hi) - theta
    with np.errstate(all="ignore"):
        ratio = np.where(se > 0, np.abs(delta) / se, np.where(delta == 0, 0.0, np.inf))
    return float(np.max(ratio))


def levenberg_marquardt(prob: Problem, start: np.ndarray, iterations: int, log: Callable[[str], None] | None = None) -> Fit:
    """Minimise the distance from ``start`` by Levenberg-Marquardt, at most ``iterations`` accepted steps.

    Every iterate gets a central-difference Jacobian; the search stops converged when the undamped Gauss-Newton step
    is under :data:`CONVERGED_STEP` standard errors for every parameter (the Jacobian is then the estimate's). A step
    that does not lower the distance multiplies the damping by 10 (to at least 0.1) and is retried (:data:`TRIES`
    tries); the search also stops when no try helps (``stalled``) or after ``iterations`` steps (``iterations``).
    """
    theta = np.clip(np.asarray(start, dtype=float), prob.lo, prob.hi)
    draws = prob.sim.draws([prob.values(theta)], "start")[0]
    path, lam = [prob.distance(_mean(draws))], 0.01
    for it in range(iterations + 1):
        G, per_seed = prob.jacobians(theta, f"iteration {it}: Jacobian" if it else "Jacobian at the start")
        size = step_in_se(prob, theta, draws, G, per_seed)
        if log:
            shown = ", ".join(f"{k.split('.')[-1]}={v:.5g}" for k, v in prob.values(theta).items())
            log(f"iteration {it}: {shown} | distance {path[-1]:.4g} | Gauss-Newton step {size:.2g} se")
        if size < CONVERGED_STEP:
            return Fit(theta, draws, G, path, it, size, "converged", per_seed)
        if it == iterations:
            return Fit(theta, draws, G, path, it, size, "iterations", per_seed)
        moved = False
        for _ in range(TRIES):
            new = prob.gauss_newton_step(theta, _mean(draws), G, lam)
            if np.all(np.abs(new - theta) < 0.1 * prob.step):
                break
            new_draws = prob.sim.draws([prob.values(new)], f"iteration {it + 1}: step (damping {lam:.3g})")[0]
            d = prob.distance(_mean(new_draws))
            if d < path[-1]:
                theta, draws, moved = new, new_draws, True
                path.append(d)
                lam /= 3
                break
            lam = max(10 * lam, 0.1)
        if not moved:
            return Fit(theta, draws, G, path, it, size, "stalled", per_seed)
    raise AssertionError("unreachable")


def jacobian_noise(per_seed: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``sum_i w_i Cov(g_i)``: the expected excess of ``G'WG`` over the noiseless one, ``G`` the mean of per-seed Jacobians.

    ``per_seed``: seeds x moments x parameters; ``w``: the moments' weights (the diagonal of W). ``Cov(g_i)``, the
    sampling covariance of row i of the mean, is the covariance of the per-seed rows across the S seeds over S. A
    moment a seed could not measure (NaN) counts as no deviation there.
    """
    S = per_seed.shape[0]
    if S < 2:
        return np.zeros((per_seed.shape[2],) * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        dev = np.nan_to_num(per_seed - np.nanmean(per_seed, axis=0), nan=0.0)
    return np.einsum("sik,i,sil->kl", dev, w, dev) / (S * (S - 1))


def corrected_inverse(A: np.ndarray, noise: np.ndarray | float = 0.0, floor: float = EIGEN_FLOOR) -> np.ndarray:
    """The inverse of ``A - noise`` (``A = G'WG``, ``noise`` from :func:`jacobian_noise`), kept positive definite.

    In the directions of the generalized eigenproblem ``noise v = mu A v``, ``mu`` is the share of the apparent
    information that is the Jacobian's noise; each direction keeps ``max(1 - mu, floor)`` of it, so one the noise
    swamps gets a large variance (the inverse at most ``1 / floor`` times the uncorrected's there), not a negative one. Without noise this
    is ``pinv(A)``.
    """
    d = np.sqrt(np.diag(A))
    d = np.where(d > 0, d, 1.0)
    lam, vec = np.linalg.eigh(A / np.outer(d, d))
    keep = lam > 1e-12 * max(float(lam.max()), 0.0)
    if not keep.any():
        return np.linalg.pinv(A)
    H = vec[:, keep] / np.sqrt(lam[keep])  # H H' = the pseudo-inverse of A in the scale of its diagonal
    mu, U = np.linalg.eigh(H.T @ (np.asarray(noise) / np.outer(d, d) * np.ones_like(A)) @ H)
    HU = H @ U
    return (HU / np.maximum(1.0 - mu, floor)) @ HU.T / np.outer(d, d)


def covariance(prob: Problem, draws: np.ndarray, G: np.ndarray, per_seed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The parameters' covariance ``V`` and every moment's model standard error, at draws with Jacobian G (module docstring).

    ``per_seed``: the Jacobian's per-seed differences (:meth:`Problem.jacobians`); the bread ``(G'WG)^-1`` is then
    corrected for the Jacobian's noise (:func:`jacobian_noise`, :func:`corrected_inverse`); without, it is ``pinv(G'WG)``.
    """
    f, S = prob.fitted, draws.shape[0]
    filled = np.where(np.isnan(draws), _mean(draws), draws)
    omega_sim = np.atleast_2d(np.cov(filled, rowvar=False, ddof=1)) if S > 1 else np.zeros((len(prob.names),) * 2)
    Gt, W = G[f], np.diag(prob.w[f])
    A = Gt.T @ W @ Gt
    bread = np.linalg.pinv(A) if per_seed is None else corrected_inverse(A, jacobian_noise(per_seed[:, f, :], prob.w[f]))
    omega = np.diag(1.0 / prob.w[f]) + omega_sim[np.ix_(f, f)] / S
    V = bread @ Gt.T @ W @ omega @ W @ Gt @ bread
    model_var = np.diag(omega_sim) / S + np.einsum("ij,jk,ik->i", G, V, G)
    return V, np.sqrt(np.maximum(model_var, 0.0))


def sandwich(prob: Problem, fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """The parameters' covariance ``V`` and every moment's model standard error at the estimate (see the module docstring)."""
    return covariance(prob, fit.draws, fit.jacobian, fit.seed_jacobians)


def _num(x: float) -> float | None:
    """A float for the record; None (JSON null) where the model could not measure it (e.g. no displaced worker aged 55-64)."""
    return float(x) if np.isfinite(x) else None


@dataclass
class Calibration:
    """The outcome of :func:`calibrate_profile`: the record, the start, the search path and what was not measured."""

    record: dict
    start: dict[str, float]
    path: list[float]
    runs: int
    wall_time_s: float
    unmeasured: list[str] = field(default_factory=list)


def calibrate_profile(
    spec: CalibrationSpec,
    targets: Sequence[Target] | None = None,
    iterations: int = 5,
    jobs: int = 1,
    start: Mapping[str, float] | None = None,
    log: Callable[[str], None] | None = None,
) -> Calibration:
    """Calibrate ``spec`` (targets: the profile's file unless given) by Levenberg-Marquardt; return the record and the search.

    ``start``: start values by name (default: each parameter's own start, else the profile's composed value).
    """
    t0 = time.perf_counter()
    unmeasured: list[str] = []
    if targets is None:
        targets, unmeasured = read_targets(spec)
    if not any(t.role == "target" for t in targets):
        raise ConfigError([f"{spec.profile}: no targeted moment among {[t.name for t in targets]}"])
    start = dict(start) if start is not None else start_values(spec)
    with Simulator(spec, [t.name for t in targets], jobs, log) as sim:
        prob = Problem(spec, targets, sim)
        fit = levenberg_marquardt(prob, np.array([start[p.name] for p in spec.params]), iterations, log)
        runs = sim.runs
    V, model_se = sandwich(prob, fit)
    naive = np.sqrt(np.maximum(np.diag(covariance(prob, fit.draws, fit.jacobian)[0]), 0.0))
    moments = _mean(fit.draws)
    record = {
        "profile": spec.profile,
        "scenario": spec.scenario,
        "settings": {"workers": int(spec.workers), "months": int(spec.months), "seeds": [int(s) for s in spec.seeds]},
        "parameters": [
            {"name": p.name, "estimate": float(x), "se": float(np.sqrt(max(V[i, i], 0.0))), "se_ignoring_jacobian_noise": float(naive[i])}
            for i, (p, x) in enumerate(zip(spec.params, fit.theta, strict=True))
        ],
        "covariance": V.tolist(),
        "moments": [
            {"name": t.name, "target": t.value, "target_se": t.se, "model": _num(moments[i]), "model_se": _num(model_se[i]), "role": t.role}
            for i, t in enumerate(targets)
        ],
        "distance": prob.distance(moments),
        "convergence": {"iterations": int(fit.iterations), "step_se": float(fit.step_se), "stop": fit.stop, "converged": fit.stop == "converged"},
        "method": METHOD,
    }
    return Calibration(record, start, fit.path, runs, round(time.perf_counter() - t0, 1), unmeasured)


def recompute_se(
    record: Mapping,
    jobs: int = 1,
    workers: int | None = None,
    log: Callable[[str], None] | None = None,
    jacobian_seeds: Sequence[int] | None = None,
    step_scale: float = 1.0,
) -> dict:
    """The standard errors of a calibration record at its estimate, with and without the Jacobian-noise correction.

    Reruns only the Jacobian at the record's estimate (1 + 2 x parameters points), against the record's own targets
    and target standard errors; returns ``{"parameters": [{name, estimate, se_record, se_ignoring_jacobian_noise,
    se}], "covariance": V, "moments_se": model_se, "runs": n, "wall_time_s": t, "jacobian": {...}}``. The simulation
    noise of the moments (``Omega_sim / S``) is measured on the record's seeds, those of the estimation, at the record's
    size unless ``workers`` is given. The Jacobian, any consistent estimate of the expected moments' derivative, may be
    measured on more seeds (``jacobian_seeds``) and with steps ``step_scale`` times the spec's: its noise falls with
    the seeds and with the step, its bias grows with the step.
    """
    t0 = time.perf_counter()
    spec = SPECS[record["profile"]]
    settings = record["settings"]
    spec = replace(spec, workers=int(workers or settings["workers"]), months=int(settings["months"]), seeds=tuple(settings["seeds"]))
    jspec = replace(spec, seeds=tuple(jacobian_seeds) if jacobian_seeds else spec.seeds,
                    params=tuple(replace(p, step=p.step * step_scale) for p in spec.params))
    targets = [Target(m["name"], float(m["target"]), float(m["target_se"]), m["role"]) for m in record["moments"]]
    theta = np.array([p["estimate"] for p in record["parameters"]], dtype=float)
    with Simulator(spec, [t.name for t in targets], jobs, log) as sim:
        prob = Problem(spec, targets, sim)
        draws = sim.draws([prob.values(theta)], "estimate")[0]
        runs = sim.runs
    with Simulator(jspec, [t.name for t in targets], jobs, log) as jsim:
        G, per_seed = Problem(jspec, targets, jsim).jacobians(theta, "Jacobian at the estimate")
        runs += jsim.runs
    plain = np.sqrt(np.maximum(np.diag(covariance(prob, draws, G)[0]), 0.0))
    V, model_se = covariance(prob, draws, G, per_seed)
    corrected = np.sqrt(np.maximum(np.diag(V), 0.0))
    params = [
        {"name": p["name"], "estimate": p["estimate"], "se_record": p["se"], "se_ignoring_jacobian_noise": float(a), "se": float(b)}
        for p, a, b in zip(record["parameters"], plain, corrected, strict=True)
    ]
    return {"parameters": params, "covariance": V, "moments_se": model_se, "runs": runs,
            "wall_time_s": round(time.perf_counter() - t0, 1),
            "jacobian": {"seeds": [int(x) for x in jspec.seeds], "step_scale": float(step_scale)}}


METHOD = (
    "simulated method of moments on common random numbers (the settings' seeds at every evaluation): Levenberg-Marquardt on "
    "W^(1/2)(m - m*) over the role=target moments, W = diag(1/target_se^2), central-difference Jacobian, bounds by clipping, "
    f"converged when the undamped Gauss-Newton step is under {CONVERGED_STEP} se for every parameter; "
    "covariance V = B G'W (Omega_data + Omega_sim/S) W G B with Omega_data = diag(target_se^2), Omega_sim the "
    "moments' covariance across the S seeds and B = (G'WG - sum_i w_i Cov(g_i))^-1, the bread corrected for the Jacobian's noise "
    f"(Cov(g_i): the covariance of row i's per-seed central differences over S; every direction keeps at least {EIGEN_FLOOR:g} "
    "of its apparent information), also in the convergence rule's step; target_se: the standard error of the mean where the data "
    "give several observations "
    f"(months, years; at least {SE_FLOOR} points), else {SE_SHARE:.0%} of the target; model_se: sqrt(diag(Omega_sim/S + G V G'))"
)


# --------------------------------------------------------------------------- outputs
def fitted_snippet(record: Mapping) -> str:
    """The estimates as a ``# @package _global_`` YAML snippet (4 significant digits), for ``configs/profile/<profile>.yaml``."""
    nested: dict = {}
    for p in record["parameters"]:
        node = nested
        *groups, leaf = p["name"].split(".")
        for g in groups:
            node = node.setdefault(g, {})
        node[leaf] = (float(f"{p['estimate']:.4g}"), float(f"{p['se']:.2g}"))
    s = record["settings"]
    lines = [
        "# @package _global_",
        f"# {record['profile']}: fitted by laborshift-calibrate profile={record['profile']} (simulated method of moments, {record['scenario']},",
        f"# {s['workers']:,} workers x {s['months']} months, seeds {s['seeds']}; distance {record['distance']:.4g});",
        f"# record: simulation/data/profiles/{record['profile']}_calibration.json. Copy into configs/profile/{record['profile']}.yaml.",
    ]

    def emit(node, indent=0):
        for k, v in node.items():
            if isinstance(v, dict):
                lines.append(" " * indent + f"{k}:")
                emit(v, indent + 2)
            else:
                lines.append(" " * indent + f"{k}: {v[0]!r}  # se {v[1]:g}")

    emit(nested)
    return "\n".join(lines) + "\n"


def write_outputs(record: Mapping, record_out: str | Path, config_out: str | Path) -> list[Path]:
    """Write the record (JSON) and the fitted snippet (YAML), each atomically."""
    from ..files import atomic_write

    out = []
    for path, text in ((Path(record_out), json.dumps(record, indent=2) + "\n"), (Path(config_out), fitted_snippet(record))):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda t, text=text: Path(t).write_text(text))
        out.append(path)
    return out


def config_disagreements(record: Mapping, rel_tol: float = 1e-3) -> list[str]:
    """Every calibrated parameter whose value in the composed profile config differs from the record's estimate.

    ``rel_tol`` allows for the snippet's 4 significant digits.
    """
    import math

    from omegaconf import OmegaConf

    from ..runner import compose

    cfg = compose(record["scenario"], [f"profile={record['profile']}"])
    out = []
    for p in record["parameters"]:
        value = OmegaConf.select(cfg, p["name"])
        if value is None or not math.isclose(float(value), p["estimate"], rel_tol=rel_tol):
            out.append(f"{p['name']}: profile={record['profile']} composes to {value!r}; the calibration's estimate is {p['estimate']:.4g}")
    return out


# --------------------------------------------------------------------------- the command
OPTIONS = {
    "profile": "the profile to calibrate: " + ", ".join(SPECS),
    "workers": "workers in every run (default: the spec's)",
    "months": "months of every run (default: the spec's)",
    "seeds": "common-random-number seeds per evaluation, at least 2 (default: the spec's)",
    "iterations": "at most this many Levenberg-Marquardt steps; the search stops earlier once converged (default 5)",
    "jobs": "processes (0: one per core; default 0)",
    "record": "where to write the record (default simulation/data/profiles/<profile>_calibration.json)",
    "config": "where to write the fitted snippet (default configs/calibration/<profile>.yaml)",
    "se_only": "check or adopt: no search; recompute the standard errors at the record's estimate with the Jacobian's noise "
    "counted (check: written beside the record's own as se_with_jacobian_noise; adopt: they replace the record's se and covariance)",
    "jacobian_seeds": "with se_only: seeds of the Jacobian, at least 2 (default: the record's)",
    "step_scale": "with se_only: the finite-difference steps times this, a number > 0 (default 1)",
}
USAGE = ("laborshift-calibrate profile=china|us [workers=N] [months=N] [seeds=N] [iterations=N] [jobs=N] [record=PATH] [config=PATH] "
         "| profile=china|us se_only=check|adopt [jacobian_seeds=N] [step_scale=X] [jobs=N]")


def is_profile_request(argv: Sequence[str]) -> bool:
    """Whether a command line asks for the per-profile calibration (any ``key=value`` word)."""
    return any("=" in a and not a.startswith("-") for a in argv)


def parse_request(argv: Sequence[str]) -> dict:
    """The options of ``laborshift-calibrate profile=...`` as a dict; a :class:`ConfigError` listing every problem."""
    opts, problems = {}, []
    for a in argv:
        key, eq, value = a.partition("=")
        if not eq or key not in OPTIONS:
            problems.append(f"{a!r}: unknown option; allowed: {', '.join(f'{k}=' for k in OPTIONS)} (usage: {USAGE})")
            continue
        opts[key] = value
    least = {"workers": 1, "months": 1, "seeds": 2, "iterations": 0, "jobs": 0, "jacobian_seeds": 2}
    for key, lo in least.items():
        if key in opts:
            text = opts[key]
            try:
                opts[key] = int(text)
                if opts[key] < lo:
                    raise ValueError
            except ValueError:
                problems.append(f"{key}: got {text!r}; allowed: an integer >= {lo}")
    if opts.get("se_only", "check") not in ("check", "adopt"):
        problems.append(f"se_only: got {opts['se_only']!r}; allowed: check or adopt")
    if "step_scale" in opts:
        text = opts["step_scale"]
        try:
            opts["step_scale"] = float(text)
            if not opts["step_scale"] > 0 or not np.isfinite(opts["step_scale"]):
                raise ValueError
        except ValueError:
            problems.append(f"step_scale: got {text!r}; allowed: a number > 0")
    if "se_only" not in opts:
        problems += [f"{k}: only with se_only=check or se_only=adopt" for k in ("jacobian_seeds", "step_scale") if k in opts]
    if "profile" not in opts:
        problems.append(f"profile: missing; allowed: one of {', '.join(SPECS)} (usage: {USAGE})")
    elif opts["profile"] not in SPECS:
        problems.append(f"profile: got {opts['profile']!r}; allowed: one of {', '.join(SPECS)}")
    if problems:
        raise ConfigError(problems)
    return opts


def spec_for(opts: Mapping) -> CalibrationSpec:
    """The profile's spec with the command line's run size."""
    spec = SPECS[opts["profile"]]
    seeds = tuple(11 + i for i in range(opts["seeds"])) if "seeds" in opts else spec.seeds
    return replace(spec, workers=opts.get("workers", spec.workers), months=opts.get("months", spec.months), seeds=seeds)


def print_result(res: Calibration) -> None:
    """The estimates and every moment's fit, as a table."""
    rec = res.record
    print(f"\ncalibrated in {res.wall_time_s:.0f} s ({res.runs} runs); distance {res.path[0]:.4g} at the start, {rec['distance']:.4g} at the estimate")
    c = rec["convergence"]
    print(f"search {c['stop']} after {c['iterations']} step(s); the last Gauss-Newton step {c['step_se']:.2g} se (converged below {CONVERGED_STEP})")
    print(f"{'parameter':40s} {'start':>10s} {'estimate':>10s} {'se':>10s}")
    for p in rec["parameters"]:
        print(f"{p['name']:40s} {res.start[p['name']]:10.4g} {p['estimate']:10.4g} {p['se']:10.2g}")
    print(f"{'moment':46s} {'role':6s} {'target':>9s} {'(se)':>7s} {'model':>9s} {'(se)':>7s}")
    for m in rec["moments"]:
        model = f"{m['model']:9.4g}" if m["model"] is not None else f"{'n/a':>9s}"
        se = f"{m['model_se']:7.2g}" if m["model_se"] is not None else f"{'n/a':>7s}"
        print(f"{m['name']:46s} {m['role']:6s} {m['target']:9.4g} {m['target_se']:7.2g} {model} {se}")
    for u in res.unmeasured:
        print(f"not measured by the model: {u}")


JACOBIAN_SEED_BASE = 1001  # se_only's Jacobian seeds: 1001, 1002, ... (apart from the estimation's 11-14 and the tests')


def with_recomputed_se(record: Mapping, out: Mapping, adopt: bool) -> dict:
    """The record with :func:`recompute_se`'s standard errors: beside its own (``adopt=False``) or replacing them."""
    rec = json.loads(json.dumps(record))
    design = {**out["jacobian"], "runs": out["runs"]}
    for p, new in zip(rec["parameters"], out["parameters"], strict=True):
        if adopt:
            p["se"], p["se_ignoring_jacobian_noise"] = new["se"], new["se_ignoring_jacobian_noise"]
            p.pop("se_with_jacobian_noise", None)
        else:
            p["se_with_jacobian_noise"] = new["se"]
    if adopt:
        rec["covariance"] = np.asarray(out["covariance"]).tolist()
        for m, se in zip(rec["moments"], out["moments_se"], strict=True):
            m["model_se"] = _num(se)
        rec["method"] = (f"{METHOD}; standard errors recomputed at the estimate without a search (Jacobian on seeds "
                         f"{design['seeds'][0]}-{design['seeds'][-1]}, steps x {design['step_scale']:g})")
        rec["settings"]["jacobian"] = design
        rec.pop("jacobian_noise_check", None)
    else:
        rec["jacobian_noise_check"] = {**design, "method": METHOD}
    return rec


def standard_errors_only(opts: Mapping, record_out: Path, config_out: Path) -> None:
    """``se_only=check|adopt``: recompute the record's standard errors at its estimate and write the record back."""
    if not record_out.exists():
        raise SystemExit(_usage_error([f"record: {record_out} does not exist; allowed: an existing calibration record "
                                       f"(laborshift-calibrate profile={opts['profile']} writes one)"]))
    try:
        record = json.loads(record_out.read_text())
        if record.get("profile") != opts["profile"]:
            raise ValueError(f"its profile is {record.get('profile')!r}")
    except (OSError, ValueError) as err:
        raise SystemExit(_usage_error([f"record: {record_out} is not a calibration record of {opts['profile']!r} ({err})"])) from None
    n = opts.get("jacobian_seeds")
    seeds = range(JACOBIAN_SEED_BASE, JACOBIAN_SEED_BASE + n) if n else None
    jobs = opts.get("jobs", 0) or n_jobs(0, n or len(record["settings"]["seeds"]))
    print(f"laborshift-calibrate profile={opts['profile']} se_only={opts['se_only']}: the Jacobian at the record's estimate "
          f"({'seeds ' + str(seeds.start) + '-' + str(seeds.stop - 1) if seeds else 'the record seeds'}, steps x "
          f"{opts.get('step_scale', 1.0):g}), {jobs} processes", flush=True)
    out = recompute_se(record, jobs=jobs, jacobian_seeds=seeds, step_scale=opts.get("step_scale", 1.0), log=lambda line: print(line, flush=True))
    print(f"\n{'parameter':40s} {'estimate':>10s} {'se (record)':>12s} {'se, noise ignored':>18s} {'se, noise counted':>18s}")
    for p in out["parameters"]:
        print(f"{p['name']:40s} {p['estimate']:10.4g} {p['se_record']:12.3g} {p['se_ignoring_jacobian_noise']:18.3g} {p['se']:18.3g}")
    print(f"({out['runs']} runs, {out['wall_time_s']:.0f} s)")
    rec = with_recomputed_se(record, out, opts["se_only"] == "adopt")
    for p in write_outputs(rec, record_out, config_out):
        print(f"wrote {p}")


def main(argv: Sequence[str]) -> None:
    """``laborshift-calibrate profile=...``: calibrate the profile, print the fit and the snippet, write both files."""
    from ..files import writable_problem

    try:
        opts = parse_request(argv)
    except ConfigError as err:
        raise SystemExit(_usage_error(err.problems)) from None
    record_out = opts.get("record") or record_path(opts["profile"])
    config_out = opts.get("config") or fitted_path(opts["profile"])
    problems = [f"{k}: {p}" for k, path in (("record", record_out), ("config", config_out)) if (p := writable_problem(path, False))]
    if problems:
        raise SystemExit(_usage_error(problems))
    logging.getLogger("MESA").setLevel(logging.WARNING)
    if "se_only" in opts:
        return standard_errors_only(opts, Path(record_out), Path(config_out))
    spec = spec_for(opts)
    jobs = opts.get("jobs", 0) or n_jobs(0, len(spec.seeds))
    print(
        f"laborshift-calibrate profile={spec.profile}: {len(spec.params)} parameters, {spec.scenario}, {spec.workers:,} workers x "
        f"{spec.months} months, seeds {list(spec.seeds)}, {jobs} processes",
        flush=True,
    )
    res = calibrate_profile(spec, iterations=opts.get("iterations", 5), jobs=jobs, log=lambda line: print(line, flush=True))
    print_result(res)
    print("\n" + fitted_snippet(res.record))
    for p in write_outputs(res.record, record_out, config_out):
        print(f"wrote {p}")


def _usage_error(problems: Sequence[str]) -> int:
    """Print the problems as the commands' one-line errors and return the exit code 2."""
    import sys

    for p in problems:
        print(f"laborshift-calibrate: error: {p}", file=sys.stderr)
    return 2
