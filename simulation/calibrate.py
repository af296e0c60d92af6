"""Calibration by the simulated method of moments.

``laborshift-calibrate`` fits a small set of free parameters so that the
``baseline`` scenario reproduces target moments measured in public data:

==================================  =====================================================  =========
moment                              model measurement                                      target
==================================  =====================================================  =========
``hires``                           mean monthly hires / employment                        3.5% (US JOLTS, Sept 2024)
``separations``                     mean monthly separations (layoffs, quits, job-to-job,  3.3% (US JOLTS, Sept 2024)
                                    retirements) / employment
``displaced_employed``              share of AI-displaced workers employed, averaged over  65.7% (BLS Displaced Worker
                                    1-36 months since displacement                         Survey, Jan 2024)
==================================  =====================================================  =========

Free parameters (each governs mainly one of the moments, which keeps the fit identified):

* ``market.quit_rate``: separations into unemployment, hence the level of turnover (hires and separations);
* ``demography.displacement_skill_loss``: skills lost with a job lost to AI, hence how fast displaced workers
  find work again.

Measured and reported, not fitted: the share of displaced workers out of the labour
force (18.2% in the same survey, :data:`UNTARGETED`). The model's only route out of
the labour force is long-term unemployment (12 months or more), so matching that
share within 36 months of displacement drives ``market.exit_rate_long_term`` to a
monthly hazard near 0.4, which no survey supports; that parameter keeps its default
and the moment is reported as a miss.

Derived, not fitted: the initial state. Every run starts with a burn-in
(``burn_in_months``) that lets the market settle before month 0; the initial draw it
starts from, ``market.initial_unemployment_rate`` and ``market.initial_vacancy_rate``,
is meant to be the ``no_ai`` steady state, so the burn-in starts near where it ends.
Turnover moves that steady state, so after the fit the
``no_ai`` scenario is run at the fitted values and its unemployment and vacancy
rates, averaged over months 24-120, rounded to 0.005, become the initial rates
(:func:`derive_initial_state`, which also re-runs ``no_ai`` from them to check that
unemployment stays flat).

The distance is ``J(theta) = g' W g`` with ``g = (m(theta) - m*) `` the moment gaps and
``W = diag(1 / m*^2)``: the sum of squared relative deviations. The targets come from
different surveys with no joint covariance, so the weighting puts every moment on the same
(relative) scale instead. ``m(theta)`` is the mean over a fixed set of seeds (common random
numbers: every evaluation uses the same seeds), and the minimiser is Nelder-Mead on the
logarithm of the parameters, within their bounds.

The fitted values and the derived initial rates are written as a config
(``configs/calibration/fitted.yaml``, a ``# @package _global_`` override file like the
scenarios) and the run's record (targets, moments, distance, initial state, settings)
as ``docs/calibration.json``, which ``laborshift-validate`` reports. The shipped
defaults in :mod:`simulation.config` are meant to equal the values in that config.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .config import ConfigError, iter_params
from .validate import REPO, _Parser, _positive_int, dws_shares, flow_rates, simulate

FITTED_CONFIG = REPO / "configs" / "calibration" / "fitted.yaml"
RECORD = REPO / "docs" / "calibration.json"


@dataclass(frozen=True)
class Target:
    """One target moment: its value and where it comes from."""

    value: float
    source: str
    label: str


TARGETS: dict[str, Target] = {
    "hires": Target(0.035, "US BLS JOLTS, September 2024: hires 3.5% of employment", "hires / employment, monthly"),
    "separations": Target(0.033, "US BLS JOLTS, September 2024: total separations 3.3% of employment", "separations / employment, monthly"),
    "displaced_employed": Target(
        0.657,
        "BLS Displaced Worker Survey, January 2024 (displaced 2021-23): 65.7% re-employed",
        "displaced workers employed (1-36 months after)",
    ),
}

# Measured at every evaluation and reported next to the targets, but not in the distance: the reason is given.
UNTARGETED: dict[str, tuple[Target, str]] = {
    "displaced_out_of_labor_force": (
        Target(
            0.182,
            "BLS Displaced Worker Survey, January 2024: 18.2% out of the labour force",
            "displaced workers out of the labour force (1-36 months after)",
        ),
        "the model's only route out of the labour force is long-term unemployment (12 months or more), so fitting this share "
        "drives market.exit_rate_long_term to a monthly hazard near 0.4, which no survey supports",
    ),
}

# The initial state is derived from the fit (the no_ai steady state), never fitted.
INITIAL_STATE_PARAMS = ("market.initial_unemployment_rate", "market.initial_vacancy_rate")
STEADY_STATE_WINDOW = (24, 120)  # months averaged for the steady state
STEADY_STATE_ROUNDING = 0.005
STEADY_STATE_CHECK_MONTHS = (1, 12, 60, 120)


@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration moves: dotted name, bounds and starting value."""

    name: str
    lo: float
    hi: float
    start: float | None = None  # None: the current default

    def default(self) -> float:
        """The parameter's current default in the config schema."""
        for name, _f, value in iter_params():
            if name == self.name:
                return float(value)
        raise ConfigError([f"{self.name}: unknown parameter; see docs/PARAMETERS.md for every key"])


FREE_PARAMS = (
    FreeParam("market.quit_rate", 0.001, 0.08),
    FreeParam("demography.displacement_skill_loss", 0.005, 0.4),
)


def moments_of(run: dict) -> dict[str, float]:
    """Every calibration moment of one measured run (see :func:`simulation.validate.simulate`)."""
    flows = flow_rates(run["timeseries"])
    dws = dws_shares(run["panel_counts"])
    return {
        "hires": flows["hires"],
        "separations": flows["separations"],
        "quits": flows["quits"],
        "displaced_employed": dws["employed"],
        "displaced_out_of_labor_force": dws["out_of_labor_force"],
        "unemployment_rate": flows["unemployment_rate"],
    }


def _one(args) -> dict[str, float]:
    scenario, seed, workers, months, overrides = args
    return moments_of(simulate(scenario, seed, workers, months, overrides))


@dataclass
class Evaluation:
    """One point of the search: parameters, mean moments over the seeds, distance."""

    params: dict[str, float]
    moments: dict[str, float]
    distance: float


@dataclass
class CalibrationResult:
    """The outcome of a calibration."""

    params: dict[str, float]
    start: dict[str, float]
    defaults: dict[str, float]
    targets: dict[str, float]
    moments: dict[str, float]
    moments_at_defaults: dict[str, float]
    distance: float
    distance_at_defaults: float
    evaluations: int
    seeds: list[int]
    workers: int
    months: int
    scenario: str
    weighting: str
    method: str
    converged: bool
    wall_time_s: float
    history: list[Evaluation] = field(default_factory=list)
    untargeted: dict[str, float] = field(default_factory=dict)
    initial_state: dict = field(default_factory=dict)

    def record(self) -> dict:
        """A JSON-ready record (without the search history)."""
        out = asdict(self)
        out.pop("history")
        out["sources"] = {k: TARGETS[k].source for k in self.targets if k in TARGETS}
        out["sources"].update({k: UNTARGETED[k][0].source for k in self.untargeted if k in UNTARGETED})
        out["untargeted_reasons"] = {k: UNTARGETED[k][1] for k in self.untargeted if k in UNTARGETED}
        return out


class Objective:
    """``J(theta)`` on common random numbers, evaluated in a pool of processes (or in this one)."""

    def __init__(
        self,
        params: Sequence[FreeParam],
        targets: dict[str, float],
        seeds: Sequence[int],
        workers: int,
        months: int,
        scenario: str = "baseline",
        jobs: int = 1,
        overrides: Sequence[str] = (),
        log: Callable[[str], None] | None = None,
    ):
        self.params, self.targets, self.seeds = list(params), dict(targets), [int(s) for s in seeds]
        self.workers, self.months, self.scenario, self.overrides = int(workers), int(months), scenario, list(overrides)
        self.jobs = max(1, int(jobs))
        self.weights = {k: 1.0 / v**2 for k, v in self.targets.items()}
        self.history: list[Evaluation] = []
        self.log = log
        self._pool = None

    def __enter__(self):
        if self.jobs > 1:
            ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(self.seeds)), mp_context=ctx)
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown()
        return False

    def moments(self, values: dict[str, float]) -> dict[str, float]:
        """Mean moments over the seeds at these parameter values."""
        ov = [*self.overrides, *(f"{k}={v!r}" for k, v in values.items())]
        tasks = [(self.scenario, s, self.workers, self.months, tuple(ov)) for s in self.seeds]
        runs = list(self._pool.map(_one, tasks)) if self._pool is not None else [_one(t) for t in tasks]
        out = {}
        for k in runs[0]:
            vals = np.array([r[k] for r in runs], dtype=float)
            out[k] = float(np.mean(vals[~np.isnan(vals)])) if (~np.isnan(vals)).any() else float("nan")
        return out

    def distance(self, moments: dict[str, float]) -> float:
        """The distance g' W g, with W = diag(1 / target^2)."""
        return float(sum(self.weights[k] * (moments[k] - t) ** 2 for k, t in self.targets.items()))

    def evaluate(self, values: dict[str, float]) -> Evaluation:
        """Moments and distance at these values (recorded in the history)."""
        mom = self.moments(values)
        ev = Evaluation(dict(values), mom, self.distance(mom))
        self.history.append(ev)
        if self.log:
            shown = ", ".join(f"{k.split('.')[-1]}={v:.4g}" for k, v in values.items())
            gaps = ", ".join(f"{k}={100 * mom[k]:.2f}%" for k in self.targets)
            self.log(f"  eval {len(self.history):3d}: {shown} | {gaps} | J={ev.distance:.5f}")
        return ev


def calibrate(
    params: Sequence[FreeParam] = FREE_PARAMS,
    targets: dict[str, float] | None = None,
    seeds: Sequence[int] = (11, 12, 13, 14),
    workers: int = 10_000,
    months: int = 120,
    scenario: str = "baseline",
    jobs: int = 1,
    max_evaluations: int = 80,
    overrides: Sequence[str] = (),
    log: Callable[[str], None] | None = None,
    initial_step: float = 0.7,
) -> CalibrationResult:
    """Fit ``params`` to ``targets`` (default: :data:`TARGETS`) by Nelder-Mead on log-parameters, on common random numbers.

    Args:
        params: the free parameters with bounds and starting values (``start=None``: the current default).
        targets: target value per moment name (see :func:`moments_of`).
        seeds: the fixed seeds every evaluation runs (common random numbers).
        workers: workers in every run.
        months: months of every run.
        scenario: the scenario every run starts from.
        jobs: processes for the seeds of one evaluation.
        max_evaluations: budget of objective evaluations.
        overrides: extra Hydra overrides applied to every run.
        log: called with one line per evaluation.
        initial_step: size of the initial simplex, in log points.

    """
    from scipy.optimize import minimize

    start_time = time.perf_counter()
    targets = {k: t.value for k, t in TARGETS.items()} if targets is None else dict(targets)
    unknown = [
        k
        for k in targets
        if k not in ("hires", "separations", "quits", "displaced_employed", "displaced_out_of_labor_force", "unemployment_rate")
    ]
    problems = [f"targets: unknown moment {k!r}" for k in unknown]
    problems += [f"targets.{k}: got {v!r}; allowed: a non-zero number (the weight is 1 / target^2)" for k, v in targets.items() if not v]
    if problems:
        raise ConfigError(problems)
    params = list(params)
    defaults = {p.name: p.default() for p in params}
    start = {p.name: float(p.start if p.start is not None else defaults[p.name]) for p in params}
    lo = np.log([p.lo for p in params])
    hi = np.log([p.hi for p in params])
    x0 = np.clip(np.log([start[p.name] for p in params]), lo, hi)

    with Objective(params, targets, seeds, workers, months, scenario, jobs, overrides, log) as obj:

        def values_of(x):
            return {p.name: float(np.exp(np.clip(xi, a, b))) for p, xi, a, b in zip(params, x, lo, hi, strict=True)}

        cache: dict[tuple, float] = {}

        def f(x):
            key = tuple(np.round(x, 10))
            if key not in cache:
                cache[key] = obj.evaluate(values_of(x)).distance
            return cache[key]

        at_defaults = obj.evaluate(defaults)
        if start == defaults:
            cache[tuple(np.round(x0, 10))] = at_defaults.distance
        simplex = np.vstack(
            [x0] + [x0 + initial_step * np.eye(len(params))[i] * (1 if x0[i] + initial_step <= hi[i] else -1) for i in range(len(params))]
        )
        res = minimize(
            f,
            x0,
            method="Nelder-Mead",
            bounds=list(zip(lo, hi, strict=True)),
            options={"initial_simplex": simplex, "maxfev": max_evaluations, "xatol": 0.01, "fatol": 1e-5},
        )
        best = min(obj.history, key=lambda e: e.distance)
        return CalibrationResult(
            params=best.params,
            start=start,
            defaults=defaults,
            targets=targets,
            moments=best.moments,
            moments_at_defaults=at_defaults.moments,
            distance=best.distance,
            distance_at_defaults=at_defaults.distance,
            evaluations=len(obj.history),
            seeds=[int(s) for s in seeds],
            workers=int(workers),
            months=int(months),
            scenario=scenario,
            weighting="W = diag(1 / target^2): sum of squared relative deviations",
            method="Nelder-Mead on log-parameters, bounded",
            converged=bool(res.success),
            wall_time_s=round(time.perf_counter() - start_time, 1),
            history=list(obj.history),
            untargeted={k: t.value for k, (t, _why) in UNTARGETED.items() if k not in targets},
        )


def _steady_one(args) -> dict:
    scenario, seed, workers, months, overrides = args
    ts = simulate(scenario, seed, workers, months, overrides)["timeseries"]
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
    if jobs > 1 and len(tasks) > 1:
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx) as pool:
            runs = list(pool.map(_steady_one, tasks))
    else:
        runs = [_steady_one(t) for t in tasks]
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
    initial = {p: FreeParam(p, 0.0, 1.0).default() for p in INITIAL_STATE_PARAMS}
    measured = steady_state(base, seeds, workers, months, jobs=jobs)
    step = STEADY_STATE_ROUNDING
    derived = {
        "market.initial_unemployment_rate": round(step * round(measured["unemployment_rate"] / step), 4),
        "market.initial_vacancy_rate": round(step * round(measured["vacancy_rate"] / step), 4),
    }
    if log:
        log(
            f"no_ai steady state from the current initial state (u={initial['market.initial_unemployment_rate']}, "
            f"v={initial['market.initial_vacancy_rate']}): u={100 * measured['unemployment_rate']:.2f}%, "
            f"v={100 * measured['vacancy_rate']:.2f}% (months {STEADY_STATE_WINDOW[0]}-{STEADY_STATE_WINDOW[1]}) -> initial rates {derived}"
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
        out["check"] = steady_state([*base, *(f"{k}={v!r}" for k, v in derived.items())], seeds, workers, months, jobs=jobs)
        if log:
            c = out["check"]
            path = ", ".join(f"month {t}: {100 * u:.2f}%" for t, u in c["u_at"].items())
            log(
                f"check, no_ai from the derived initial rates: u={100 * c['unemployment_rate']:.2f}%, v={100 * c['vacancy_rate']:.2f}% "
                f"(months {STEADY_STATE_WINDOW[0]}-{STEADY_STATE_WINDOW[1]}); unemployment {path}"
            )
    return out


def fitted_overrides(path: str | Path = FITTED_CONFIG) -> list[str]:
    """The fitted config as Hydra overrides (``key=value``), e.g. to pass to ``simulation.run(overrides=...)``."""
    from omegaconf import OmegaConf

    cfg = OmegaConf.to_container(OmegaConf.load(path))

    def flat(node, prefix=""):
        for k, v in node.items():
            if isinstance(v, dict):
                yield from flat(v, f"{prefix}{k}.")
            else:
                yield f"{prefix}{k}={v}"

    return list(flat(cfg))


def write_fitted(result: CalibrationResult, config_path: str | Path = FITTED_CONFIG, record_path: str | Path = RECORD) -> list[Path]:
    """Write the fitted parameters as a ``# @package _global_`` config and the calibration record as JSON."""
    config_path, record_path = Path(config_path), Path(record_path)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    derived = result.initial_state.get("derived", {})
    nested: dict = {}
    for name, value in [*result.params.items(), *derived.items()]:
        node = nested
        *groups, leaf = name.split(".")
        for g in groups:
            node = node.setdefault(g, {})
        node[leaf] = float(f"{value:.4g}")
    lines = [
        "# @package _global_",
        "# Parameters fitted by laborshift-calibrate (simulated method of moments on the baseline scenario);",
        "# targets, moments matched and distance: docs/calibration.json and docs/VALIDATION.md.",
        f"# {result.workers:,} workers x {result.months} months, seeds {result.seeds}, distance {result.distance:.5f}"
        f" (at the defaults {result.distance_at_defaults:.5f}).",
        "# The shipped defaults (simulation/config.py) are meant to equal every value below.",
    ]
    if derived:
        st = result.initial_state
        lines.append(
            f"# {', '.join(k.split('.')[-1] for k in derived)}: derived, not fitted: the {st['scenario']} steady state at the fitted values"
            f" (mean over months {st['window_months'][0]}-{st['window_months'][1]}, {st['workers']:,} workers, seeds {st['seeds']}, rounded to"
            f" {st['rounding']})."
        )

    def emit(node, indent=0, prefix=""):
        for k, v in node.items():
            if isinstance(v, dict):
                lines.append(" " * indent + f"{k}:")
                emit(v, indent + 2, f"{prefix}{k}.")
            else:
                note = "  # derived (no_ai steady state), not fitted" if f"{prefix}{k}" in derived else ""
                lines.append(" " * indent + f"{k}: {v}{note}")

    emit(nested)
    from .runner import _atomic_write

    _atomic_write(config_path, lambda t: Path(t).write_text("\n".join(lines) + "\n"))
    _atomic_write(record_path, lambda t: Path(t).write_text(json.dumps(result.record(), indent=2) + "\n"))
    return [config_path, record_path]


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-calibrate``."""
    ap = _Parser(prog="laborshift-calibrate", description="Fit free parameters to target moments by the simulated method of moments.")
    ap.add_argument("--workers", type=_positive_int("--workers"), default=5_000, help="workers in every run (default 5000)")
    ap.add_argument("--months", type=_positive_int("--months"), default=120, help="months of every run (default 120)")
    ap.add_argument("--seeds", type=_positive_int("--seeds"), default=4, help="common random number seeds per evaluation (default 4)")
    ap.add_argument(
        "--max-evaluations", type=_positive_int("--max-evaluations"), default=80, help="budget of objective evaluations (default 80)"
    )
    ap.add_argument("--initial-step", type=float, default=0.7, help="size of the initial simplex in log points (default 0.7)")
    ap.add_argument("--jobs", type=int, default=0, help="processes (0: one per core)")
    ap.add_argument(
        "--start-from-fitted",
        action="store_true",
        help="start the search from the values in the existing fitted config instead of the shipped defaults",
    )
    ap.add_argument(
        "--steady-workers",
        type=_positive_int("--steady-workers"),
        default=10_000,
        help="workers in the no_ai runs that derive the initial state (default 10000)",
    )
    ap.add_argument(
        "--steady-seeds",
        type=_positive_int("--steady-seeds"),
        default=4,
        help="seeds of the no_ai runs that derive the initial state (default 4)",
    )
    ap.add_argument(
        "--config-out", default=str(FITTED_CONFIG), help="where to write the fitted config (default configs/calibration/fitted.yaml)"
    )
    ap.add_argument("--record-out", default=str(RECORD), help="where to write the calibration record (default docs/calibration.json)")
    args = ap.parse_args(argv)
    if not 0 < args.initial_step <= 3:
        ap.error(f"--initial-step: got {args.initial_step}; allowed: a number in (0, 3]")
    if args.jobs < 0:
        ap.error(f"--jobs: got {args.jobs}; allowed: an integer >= 0 (0: one per core)")
    logging.getLogger("MESA").setLevel(logging.WARNING)
    jobs = args.jobs or os.cpu_count() or 1
    seeds = [11 + i for i in range(args.seeds)]
    params = FREE_PARAMS
    if args.start_from_fitted:
        if not FITTED_CONFIG.exists():
            ap.error("--start-from-fitted: configs/calibration/fitted.yaml does not exist; run laborshift-calibrate without it first")
        previous = dict(o.split("=", 1) for o in fitted_overrides(FITTED_CONFIG))
        params = tuple(FreeParam(p.name, p.lo, p.hi, float(previous[p.name]) if p.name in previous else None) for p in FREE_PARAMS)
    start_at = {p.name: p.start if p.start is not None else p.default() for p in params}
    print(
        f"laborshift-calibrate: {len(params)} parameters, {len(TARGETS)} moments, {args.workers:,} workers x {args.months} months, "
        f"seeds {seeds}, {jobs} processes; start {start_at}",
        flush=True,
    )
    res = calibrate(
        params=params,
        seeds=seeds,
        workers=args.workers,
        months=args.months,
        jobs=jobs,
        max_evaluations=args.max_evaluations,
        initial_step=args.initial_step,
        log=lambda s: print(s, flush=True),
    )
    print(
        f"\nfitted in {res.wall_time_s:.0f} s, {res.evaluations} evaluations (converged: {res.converged}); distance {res.distance:.5f} "
        f"(defaults {res.distance_at_defaults:.5f})"
    )
    print(f"{'parameter':40s} {'default':>10s} {'fitted':>10s}")
    for k, v in res.params.items():
        print(f"{k:40s} {res.defaults[k]:10.4g} {v:10.4g}")
    print(f"{'moment':32s} {'target':>8s} {'fitted':>8s} {'defaults':>9s}")
    for k, t in res.targets.items():
        print(f"{k:32s} {100 * t:7.2f}% {100 * res.moments[k]:7.2f}% {100 * res.moments_at_defaults[k]:8.2f}%")
    for k, t in res.untargeted.items():
        print(f"{k:32s} {100 * t:7.2f}% {100 * res.moments[k]:7.2f}% {100 * res.moments_at_defaults[k]:8.2f}%  (not targeted)")
    for p in write_fitted(res, args.config_out, args.record_out):
        print(f"wrote {p} (fitted values; deriving the initial state next)", flush=True)
    start = time.perf_counter()
    res.initial_state = derive_initial_state(
        res.params,
        seeds=[11 + i for i in range(args.steady_seeds)],
        workers=args.steady_workers,
        jobs=jobs,
        log=lambda s: print(s, flush=True),
    )
    res.initial_state["wall_time_s"] = round(time.perf_counter() - start, 1)
    for p in write_fitted(res, args.config_out, args.record_out):
        print(f"wrote {p}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
