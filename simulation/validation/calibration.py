"""Calibration by the simulated method of moments.

``laborshift-calibrate`` fits a small set of free parameters so that the
``baseline`` scenario reproduces target moments measured in public data
(:data:`~simulation.validation.targets.TARGETS`, the targets whose status is
``calibrated``):

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
force (18.2% in the same survey, :data:`~simulation.validation.targets.UNTARGETED`). The
rates of leaving and re-entering the labour force are assumptions anchored on gross-flow
magnitudes (``market.exit_rate_*``, ``market.reentry_rate``); fitting them to this one
moment alone would push them outside what the flow data support, so they keep their
defaults and the moment is reported against the survey.

Derived, not fitted: the initial state (:mod:`simulation.validation.initial_state`).

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
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..config import ConfigError
from ..parallel import n_jobs, process_pool, run_many
from .args import Parser, check_jobs, check_writable, positive_int
from .experiments import simulate
from .initial_state import derive_initial_state
from .settings import CALIBRATION_RECORD, FITTED_CONFIG, fitted_overrides, param_default
from .stats import dws_shares, flow_rates
from .targets import TARGETS, UNTARGETED

RECORD = CALIBRATION_RECORD
MOMENTS = ("hires", "separations", "quits", "displaced_employed", "displaced_out_of_labor_force", "unemployment_rate")


@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration moves: dotted name, bounds and starting value."""

    name: str
    lo: float
    hi: float
    start: float | None = None  # None: the current default

    def default(self) -> float:
        """The parameter's current default in the config schema."""
        return param_default(self.name)


FREE_PARAMS = (
    FreeParam("market.quit_rate", 0.001, 0.08),
    FreeParam("demography.displacement_skill_loss", 0.005, 0.4),
)


def moments_of(run: dict) -> dict[str, float]:
    """Every calibration moment (:data:`MOMENTS`) of one measured run (see :func:`simulation.validation.experiments.simulate`)."""
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


def run_moments(scenario: str, seed: int, workers: int, months: int, overrides: Sequence[str]) -> dict[str, float]:
    """The moments of one run (a task of :meth:`Objective.moments`)."""
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
        out["sources"].update({k: UNTARGETED[k].source for k in self.untargeted if k in UNTARGETED})
        out["untargeted_reasons"] = {k: UNTARGETED[k].why for k in self.untargeted if k in UNTARGETED}
        return out


class Objective:
    """``J(theta)`` on common random numbers; the seeds of an evaluation run in one pool of processes kept open while in ``with``."""

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
        # this calibration fits the schema's defaults, the US profile's values, to US targets: its runs are the US profile's
        self.workers, self.months, self.scenario, self.overrides = int(workers), int(months), scenario, ["profile=us", *overrides]
        self.jobs = max(1, int(jobs))
        self.weights = {k: 1.0 / v**2 for k, v in self.targets.items()}
        self.history: list[Evaluation] = []
        self.log = log
        self._pool = None

    def __enter__(self):
        workers = n_jobs(self.jobs, len(self.seeds))
        if workers > 1:
            self._pool = process_pool(workers)
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return False

    def moments(self, values: dict[str, float]) -> dict[str, float]:
        """Mean moments over the seeds at these parameter values."""
        ov = [*self.overrides, *(f"{k}={v!r}" for k, v in values.items())]
        tasks = [(self.scenario, s, self.workers, self.months, tuple(ov)) for s in self.seeds]
        runs = run_many(run_moments, tasks, self.jobs, pool=self._pool)
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


def check_targets(targets: dict[str, float]) -> None:
    """Raise :class:`~simulation.config.ConfigError` listing every target that is not a known moment or is zero."""
    problems = [f"targets: unknown moment {k!r}" for k in targets if k not in MOMENTS]
    problems += [f"targets.{k}: got {v!r}; allowed: a non-zero number (the weight is 1 / target^2)" for k, v in targets.items() if not v]
    if problems:
        raise ConfigError(problems)


def nelder_mead(obj: Objective, start: dict[str, float], at_defaults: Evaluation | None, max_evaluations: int, initial_step: float):
    """Minimise ``obj`` by Nelder-Mead on log-parameters within their bounds, from ``start``; return scipy's result.

    ``at_defaults``: the evaluation at ``start`` when it is already known (it is not repeated).
    """
    from scipy.optimize import minimize

    params = obj.params
    lo = np.log([p.lo for p in params])
    hi = np.log([p.hi for p in params])
    x0 = np.clip(np.log([start[p.name] for p in params]), lo, hi)

    def values_of(x):
        return {p.name: float(np.exp(np.clip(xi, a, b))) for p, xi, a, b in zip(params, x, lo, hi, strict=True)}

    cache: dict[tuple, float] = {}

    def f(x):
        key = tuple(np.round(x, 10))
        if key not in cache:
            cache[key] = obj.evaluate(values_of(x)).distance
        return cache[key]

    if at_defaults is not None:
        cache[tuple(np.round(x0, 10))] = at_defaults.distance
    simplex = np.vstack(
        [x0] + [x0 + initial_step * np.eye(len(params))[i] * (1 if x0[i] + initial_step <= hi[i] else -1) for i in range(len(params))]
    )
    return minimize(
        f,
        x0,
        method="Nelder-Mead",
        bounds=list(zip(lo, hi, strict=True)),
        options={"initial_simplex": simplex, "maxfev": max_evaluations, "xatol": 0.01, "fatol": 1e-5},
    )


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
    start_time = time.perf_counter()
    targets = {k: t.value for k, t in TARGETS.items()} if targets is None else dict(targets)
    check_targets(targets)
    params = list(params)
    defaults = {p.name: p.default() for p in params}
    start = {p.name: float(p.start if p.start is not None else defaults[p.name]) for p in params}
    with Objective(params, targets, seeds, workers, months, scenario, jobs, overrides, log) as obj:
        at_defaults = obj.evaluate(defaults)
        res = nelder_mead(obj, start, at_defaults if start == defaults else None, max_evaluations, initial_step)
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
        untargeted={k: t.value for k, t in UNTARGETED.items() if k not in targets},
    )


def fitted_config_text(result: CalibrationResult) -> str:
    """The fitted parameters and the derived initial state as a ``# @package _global_`` config, with comments on their origin."""
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
    return "\n".join(lines) + "\n"


def write_fitted(result: CalibrationResult, config_path: str | Path = FITTED_CONFIG, record_path: str | Path = RECORD) -> list[Path]:
    """Write the fitted parameters as a ``# @package _global_`` config and the calibration record as JSON."""
    from ..files import atomic_write

    config_path, record_path = Path(config_path), Path(record_path)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    text = fitted_config_text(result)
    atomic_write(config_path, lambda t: Path(t).write_text(text))
    atomic_write(record_path, lambda t: Path(t).write_text(json.dumps(result.record(), indent=2) + "\n"))
    return [config_path, record_path]


# --------------------------------------------------------------------------- the command
def parser() -> Parser:
    """The argument parser of ``laborshift-calibrate``."""
    ap = Parser(
        prog="laborshift-calibrate",
        description="Fit free parameters to target moments by the simulated method of moments. Per profile, with standard errors: "
        "laborshift-calibrate profile=china|us [workers=N] [months=N] [seeds=N] [iterations=N] [jobs=N] (simulation.validation.smm).",
    )
    ap.add_argument("--workers", type=positive_int("--workers"), default=5_000, help="workers in every run (default 5000)")
    ap.add_argument("--months", type=positive_int("--months"), default=120, help="months of every run (default 120)")
    ap.add_argument("--seeds", type=positive_int("--seeds"), default=4, help="common random number seeds per evaluation (default 4)")
    ap.add_argument(
        "--max-evaluations", type=positive_int("--max-evaluations"), default=80, help="budget of objective evaluations (default 80)"
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
        type=positive_int("--steady-workers"),
        default=10_000,
        help="workers in the no_ai runs that derive the initial state (default 10000)",
    )
    ap.add_argument(
        "--steady-seeds",
        type=positive_int("--steady-seeds"),
        default=4,
        help="seeds of the no_ai runs that derive the initial state (default 4)",
    )
    ap.add_argument(
        "--config-out", default=str(FITTED_CONFIG), help="where to write the fitted config (default configs/calibration/fitted.yaml)"
    )
    ap.add_argument("--record-out", default=str(RECORD), help="where to write the calibration record (default docs/calibration.json)")
    return ap


def _start_params(ap: Parser, from_fitted: bool) -> tuple[FreeParam, ...]:
    """The free parameters, starting from the fitted config's values with ``--start-from-fitted``."""
    if not from_fitted:
        return FREE_PARAMS
    if not FITTED_CONFIG.exists():
        ap.error("--start-from-fitted: configs/calibration/fitted.yaml does not exist; run laborshift-calibrate without it first")
    previous = dict(o.split("=", 1) for o in fitted_overrides(FITTED_CONFIG))
    return tuple(FreeParam(p.name, p.lo, p.hi, float(previous[p.name]) if p.name in previous else None) for p in FREE_PARAMS)


def _print_result(res: CalibrationResult) -> None:
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


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-calibrate``.

    ``profile=...`` (``key=value`` words) runs the per-profile calibration (:mod:`simulation.validation.smm`);
    ``--options`` alone run this module's calibration of the baseline (``docs/calibration.json``).
    """
    import sys

    from . import smm

    words = list(sys.argv[1:] if argv is None else argv)
    if smm.is_profile_request(words):
        return smm.main(words)
    ap = parser()
    args = ap.parse_args(argv)
    if not 0 < args.initial_step <= 3:
        ap.error(f"--initial-step: got {args.initial_step}; allowed: a number in (0, 3]")
    check_jobs(ap, args.jobs)
    check_writable(ap, "--config-out", args.config_out)
    check_writable(ap, "--record-out", args.record_out)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    jobs = args.jobs or os.cpu_count() or 1
    seeds = [11 + i for i in range(args.seeds)]
    params = _start_params(ap, args.start_from_fitted)
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
        log=_say,
    )
    _print_result(res)
    for p in write_fitted(res, args.config_out, args.record_out):
        print(f"wrote {p} (fitted values; deriving the initial state next)", flush=True)
    start = time.perf_counter()
    res.initial_state = derive_initial_state(
        res.params, seeds=[11 + i for i in range(args.steady_seeds)], workers=args.steady_workers, jobs=jobs, log=_say
    )
    res.initial_state["wall_time_s"] = round(time.perf_counter() - start, 1)
    for p in write_fitted(res, args.config_out, args.record_out):
        print(f"wrote {p}")
