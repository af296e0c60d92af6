"""Scenario comparison: replications on common random numbers, bands and paired differences.

Each scenario runs R times. Replication i of every scenario uses the same seed,
spawned from one master seed with ``numpy.random.SeedSequence``, so scenario A
replication i and scenario B replication i share their random stream until the
scenarios make the model diverge (common random numbers): paired differences
``metric(A, i) - metric(B, i)`` then carry much less noise than the difference of
two independent runs.

:func:`compare` runs the replications in parallel (one process per core) and
returns a :class:`Comparison` of tidy tables:

* ``runs``: every replication's ``timeseries``, with ``scenario``, ``replication``
  and ``seed`` columns;
* ``lanes``: unemployment by lane per run and month;
* ``stages``: re-employment of displaced workers by career stage per run and month;
* ``bands``: per scenario, month and metric, the median across replications
  with its 90% confidence band (``lo``, ``hi``: median -/+ 1.645 x 1.2533 s / sqrt(R),
  s the standard deviation across replications; it narrows as R grows) and the
  spread of outcomes (``p05``, ``p95``: 5th and 95th percentiles of the runs);
* ``paired``: the same for the paired differences against ``baseline`` and against
  ``no_ai`` (``reference`` column), per scenario, month and metric;
* ``indicators``: the summary indicators of every run;
* ``summary``: their median with its 90% band per scenario, and the paired
  differences against the references;
* ``decisions``: the decision table, every scenario against each reference,
  indicator by indicator, with a verdict (:func:`verdict`: better, worse, higher,
  lower, not distinguishable from 0, or undefined in too few replications);
* ``groups``: per run, at the checkpoint months (60, 120 and the last), the labour
  force, the unemployed and the 12-month displaced cohort by career stage, age group,
  lane and occupation (:func:`group_snapshot`); ``group_bands`` and ``group_paired``:
  the median and bands of their unemployment rates and re-employment shares, and
  the paired differences.

Parameter uncertainty (``parameter_uncertainty``: auto, on, off; :func:`resolve_uncertainty`): when on, replication r
of every scenario (and of every lever-alone run) also sets the calibrated parameters to draw r of the profile's
calibration (:func:`simulation.profiles.parameter_draws`), so paired differences share their random numbers and their
parameters; every table above then holds these runs. The same seeds also run at the point estimates (the profile's own
values; the first ``noise_replications`` of them) for the bands of simulation noise alone, kept apart in their own
tables: ``noise_indicators`` and ``noise_summary``; ``parameter_draws`` holds the draws, and ``uncertainty`` the band
widths of both sets side by side (:func:`band_widths`, column ``uncertainty``: ``simulation`` or
``simulation+parameters``).

A share over fewer than :data:`MIN_GROUP` workers (a displaced cohort, a group's
labour force) is undefined in that run and left out of the statistics, not 0.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .composition import check_comparison, compare_override_problems, compose
from .config import LANES, ConfigError, flatten
from .parallel import run_many
from .profiles import resolve_uncertainty
from .results import jobless_rate
from .runner import run_config
from .state import EMPLOYED, RETRAINING, STAGES, UNEMPLOYED

LO_Q, HI_Q = 0.05, 0.95  # the spread of outcomes across runs (p05, p95)
# The band around the median is its 90% confidence interval, median -/+ Z90 * SE_MEDIAN * s / sqrt(R):
# the asymptotic standard error of a median is sqrt(pi / 2) * sigma / sqrt(R) (normal outcomes).
Z90 = 1.6448536269514722
SE_MEDIAN = 1.2533141373155003
REFERENCES = ("baseline", "no_ai")
# A share over fewer workers than this (a group's labour force, a displaced cohort) is left out of that run's statistics:
# it is undefined there, not 0 (two displaced workers make a share of 0%, 50% or 100%, not a measurement).
MIN_GROUP = 30
INDICATORS = {
    "unemployment_rate_peak": "peak unemployment rate",
    "unemployment_rate_month_60": "unemployment rate at month 60",
    "unemployment_rate_final": "unemployment rate in the last month",
    "jobless_rate_final": "jobless rate in the last month",
    "employed_final": "employed in the last month",
    "displaced_reemployed_12m_share_final": "share of displaced re-employed within 12 months",
    "ai_displaced_by_month_60": "AI-displaced by month 60 (cumulative)",
    "ai_displaced_final": "AI-displaced by the last month (cumulative)",
    "months_to_widest_gap": "months until the unemployment gap to no_ai stops widening",
    "retraining_completed_total": "retraining completions",
    "ai_wage_premium_final": "AI wage premium in the last month",
    "wage_gini_final": "wage Gini in the last month",
}
# the direction that is better for the people the policy is for; indicators not listed have none (a change, neither better
# nor worse: more retraining completions are a means, a higher AI wage premium is a price, the month the gap stops widening
# says when, not how much)
BETTER = {
    "unemployment_rate_peak": "lower",
    "unemployment_rate_month_60": "lower",
    "unemployment_rate_final": "lower",
    "jobless_rate_final": "lower",
    "employed_final": "higher",
    "displaced_reemployed_12m_share_final": "higher",
    "ai_displaced_by_month_60": "lower",
    "ai_displaced_final": "lower",
    "wage_gini_final": "lower",
}
HIGHER_IS_BETTER = {k for k, v in BETTER.items() if v == "higher"}
GAP_WINDOW = 12  # months of the moving average of the unemployment gap to no_ai (removes the yearly wave of graduates)
GAP_TOLERANCE = 0.001  # the gap has stopped widening once its moving average is within 0.1 points of its largest value
# the groups of the "for whom" tables: career stage, age (China's NBS groups 16-24, 25-29 and 30-59, the last split at the
# "35 threshold" of tech hiring, config.market.age_preference_threshold), lane and occupation
AGE_BANDS = {"16-24": 16.0, "25-29": 25.0, "30-34": 30.0, "35-59": 35.0, "60+": 60.0}  # band: its lower bound (years)
GROUP_DIMENSIONS = ("stage", "age", "lane", "occupation")
CHECKPOINT_MONTHS = (60, 120)  # months of the group snapshots (a shorter run: the last month instead)
GROUP_METRICS = ("unemployment_rate", "jobless_rate", "reemployed_12m_share")
# the kinds of uncertainty a set of runs' bands include (the ``uncertainty`` column of the band-width table)
SIMULATION = "simulation"
WITH_PARAMETERS = "simulation+parameters"


def min_runs(replications: int) -> int:
    """Replications in which a paired difference must be defined to be reported: at least half of them, and 2."""
    return max(2, -(-int(replications) // 2))


def checkpoint_months(months: int) -> tuple[int, ...]:
    """The months of the group snapshots: :data:`CHECKPOINT_MONTHS` within the horizon, and the last month."""
    return tuple(sorted({m for m in CHECKPOINT_MONTHS if m <= months} | {int(months)}))


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """Seeds of replications 0..R-1, spawned from one master seed (the same for every scenario)."""
    children = np.random.SeedSequence(int(master_seed)).spawn(int(replications))
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


@dataclass
class Comparison:
    """Tidy tables of a scenario comparison (see the module docstring)."""

    scenarios: list[str]
    replications: int
    workers: int
    months: int
    master_seed: int
    seeds: list[int]
    overrides: list[str]
    runs: pd.DataFrame
    lanes: pd.DataFrame
    stages: pd.DataFrame
    bands: pd.DataFrame
    paired: pd.DataFrame
    indicators: pd.DataFrame
    summary: pd.DataFrame
    wall_time_s: float = 0.0
    # named variants compared (name -> {"scenario": ..., "overrides": [...]}, simulation.variants)
    variants: dict[str, dict] = field(default_factory=dict)
    # the policy evaluation's tables by file stem (simulation.policy_eval.policy_tables)
    policy: dict[str, pd.DataFrame] = field(default_factory=dict)
    # the "for whom" tables (group_snapshot) and the decision table (decision_table)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_bands: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_paired: pd.DataFrame = field(default_factory=pd.DataFrame)
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    # parameter uncertainty (resolve_uncertainty without the record): setting, on, profile, reason, record_path, parameters,
    # calibration (its settings), noise_replications
    uncertainty: dict = field(default_factory=dict)
    parameter_draws: pd.DataFrame = field(default_factory=pd.DataFrame)  # replication, seed, parameter, value (when on)
    noise: Comparison | None = None  # the same seeds at the point estimates (when on): simulation noise alone
    band_widths: pd.DataFrame = field(default_factory=pd.DataFrame)  # band_widths(): both sets side by side

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file stem."""
        out = {"runs": self.runs, "lanes": self.lanes, "stages": self.stages, "bands": self.bands,
               "paired": self.paired, "indicators": self.indicators, "summary": self.summary, "decisions": self.decisions,
               "groups": self.groups, "group_bands": self.group_bands, "group_paired": self.group_paired, **self.policy}
        if not self.band_widths.empty:
            out["uncertainty"] = self.band_widths
        if self.noise is not None:
            out |= {"parameter_draws": self.parameter_draws, "noise_indicators": self.noise.indicators,
                    "noise_summary": self.noise.summary}
        return out


def _codes(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Index of the band each value falls in (bands start at ``bounds``; below the first: -1)."""
    return np.searchsorted(bounds, values, side="right") - 1


def group_snapshot(model) -> pd.DataFrame:
    """Labour force, unemployed, in training, and the 12-month displaced cohort by career stage, age band, lane and occupation, this month.

    ``reemployed_12m``: how many of the cohort were re-employed within 12 months. The unemployed, the employed and
    those in training are counted by their current age, stage and (last) occupation; the displaced cohort (displaced by AI at least 12 months
    ago, as ``displaced_cohort_12m``) by their age, stage and occupation at displacement.
    """
    w, occ_t = model.workers, model.occupations
    live = slice(0, model.next_slot)
    month = int(model.month)
    status, age, occ = w.status[live], w.age[live].astype(np.float64), w.occupation[live].astype(np.int64)
    lf, un, tr = (status == EMPLOYED) | (status == UNEMPLOYED), status == UNEMPLOYED, status == RETRAINING
    dm, rm = w.displaced_month[live], w.reemployed_month[live]
    cohort = w.displaced[live] & (dm > 0) & (dm <= month - 12)
    done = cohort & (rm >= 0) & (rm - dm <= 12)
    demo = model.cfg.demography
    age_d = age - (month - dm) / 12.0
    stage_now = (age >= demo.early_career_max_age).astype(np.int64) + (age >= demo.mid_career_max_age)
    bounds = np.array(list(AGE_BANDS.values()))
    occ_d = w.displaced_occupation[live].astype(np.int64)
    lane_of = np.asarray(occ_t.lane, dtype=np.int64)
    dims = {
        "stage": (list(STAGES), stage_now, w.displaced_stage[live].astype(np.int64)),
        "age": (list(AGE_BANDS), _codes(age, bounds), _codes(age_d, bounds)),
        "lane": (list(LANES), np.where(occ >= 0, lane_of[occ.clip(0)], -1), np.where(occ_d >= 0, lane_of[occ_d.clip(0)], -1)),
        "occupation": (list(occ_t.names), occ, occ_d),
    }
    parts = []
    for dim, (labels, now, at_disp) in dims.items():
        n = len(labels)

        def count(codes, mask, n=n):
            c = codes[mask]
            return np.bincount(c[(c >= 0) & (c < n)], minlength=n)[:n]

        parts.append(pd.DataFrame({"month": month, "dimension": dim, "group": labels, "labour_force": count(now, lf),
                                   "unemployed": count(now, un), "in_training": count(now, tr), "cohort_12m": count(at_disp, cohort),
                                   "reemployed_12m": count(at_disp, done)}))
    return pd.concat(parts, ignore_index=True)


def _group_shares(groups: pd.DataFrame) -> pd.DataFrame:
    """The unemployment rate and the 12-month re-employment share of every group, NaN over fewer than MIN_GROUP workers."""
    out = groups.copy()
    lf, coh = out["labour_force"], out["cohort_12m"]
    out["unemployment_rate"] = (out["unemployed"] / lf.clip(lower=1)).where(lf >= MIN_GROUP)
    # the jobless (unemployed or in training) among those who work, search or train: trainees do not search, so a
    # programme that fills training seats lowers the unemployment rate by that alone (results.jobless_rate)
    out["jobless_rate"] = pd.Series(jobless_rate(out["unemployed"], out["in_training"], lf), index=out.index).where(
        lf + out["in_training"] >= MIN_GROUP)
    out["reemployed_12m_share"] = (out["reemployed_12m"] / coh.clip(lower=1)).where(coh >= MIN_GROUP)
    return out


def _one_run(scenario: str, replication: int, seed: int, workers: int, months: int, overrides: tuple[str, ...]):
    """Run one replication (in a worker process) and return its tidy pieces."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", *overrides])
    checkpoints = checkpoint_months(int(cfg.months))
    snaps = []

    def observe(model):
        if model.month in checkpoints:
            snaps.append(group_snapshot(model))

    res = run_config(cfg, progress=False, observe=observe)
    keys = {"scenario": scenario, "replication": replication, "seed": seed}
    ts = res.timeseries
    bo = res.by_occupation
    lane = bo.groupby(["month", "lane"], sort=False)[["employed", "unemployed"]].sum().reset_index()
    lane["unemployment_rate"] = np.where(lane["employed"] + lane["unemployed"] > 0,
                                         lane["unemployed"] / (lane["employed"] + lane["unemployed"]).clip(lower=1), 0.0)
    st = res.by_stage[["month", "stage", "displaced_cohort_12m", "displaced_reemployed_12m_share"]]
    summary = res.summary
    at_60 = ts.loc[ts["month"] == min(60, int(ts["month"].iloc[-1])), "unemployment_rate"]
    summary = {**summary, "unemployment_rate_month_60": float(at_60.iloc[0]), "employed_final": int(ts["employed"].iloc[-1]),
               "months_to_widest_gap": None}  # the gap needs no_ai on the same seed: filled in by aggregate
    ind = {k: summary[k] for k in INDICATORS}
    if ts["displaced_cohort_12m"].iloc[-1] < MIN_GROUP:  # no cohort, or too few: the share is undefined, not 0
        ind["displaced_reemployed_12m_share_final"] = None
    assert list(st["stage"].unique()) == list(STAGES)
    groups = pd.concat(snaps, ignore_index=True) if snaps else group_snapshot_empty()
    return keys, ts, lane, st, ind, groups


def group_snapshot_empty() -> pd.DataFrame:
    """A group table with no rows (a run shorter than its first checkpoint cannot have one: the last month is one)."""
    return pd.DataFrame(columns=["month", "dimension", "group", "labour_force", "unemployed", "cohort_12m", "reemployed_12m"])


def run_labelled(label: str, scenario: str, replication: int, seed: int, workers: int, months: int, overrides: tuple[str, ...]):
    """One replication of ``scenario`` with ``overrides``, its pieces keyed by ``label`` (a variant's or a part's name)."""
    out = _one_run(scenario, replication, seed, workers, months, overrides)
    out[0]["scenario"] = label
    return out


def _with_keys(df: pd.DataFrame, keys: dict) -> pd.DataFrame:
    out = df.copy()
    for i, (k, v) in enumerate(keys.items()):
        out.insert(i, k, v)
    return out


def _band(values: pd.DataFrame, by: list[str], column: str = "value") -> pd.DataFrame:
    """Median, its 90% confidence band and the 5-95% spread of ``column`` within groups (see the module docstring)."""
    g = values.dropna(subset=[column]).groupby(by, sort=False)[column]
    med = g.median()
    half = (Z90 * SE_MEDIAN * g.std(ddof=1).fillna(0.0) / np.sqrt(g.count())).fillna(0.0)
    # a band of the median never reaches beyond the values the runs took (keeps counts >= 0, shares in [0, 1])
    lo = np.maximum(med - half, g.min())
    hi = np.minimum(med + half, g.max())
    out = pd.concat({"median": med, "lo": lo, "hi": hi, "p05": g.quantile(LO_Q), "p95": g.quantile(HI_Q),
                     "runs": g.count()}, axis=1).reset_index()
    return out


# the bands' public name, for the comparisons built on this one (simulation.regions_compare)
median_bands = _band


# the request is checked where every command checks its input; the old name stays for callers of compare.check_request
check_request = check_comparison


def _own_keys(overrides: Sequence[str]) -> set[str]:
    return {o.split("=", 1)[0].lstrip("+~") for o in overrides if "=" in o}


def draw_overrides_by_run(draws: list[dict], specs: Mapping, overrides: Sequence[str], workers: int, months: int) -> dict:
    """Per run name and replication, the overrides setting its draw: ``{name: [[key=value, ...] per replication]}``.

    A calibrated parameter that the comparison's overrides set, or that a scenario, variant or lever sets to another value
    than ``baseline`` does, keeps that value in its runs (it is the run's own setting, not an uncertain estimate).
    """
    from .profiles import draw_overrides
    from .variants import REFERENCE, composed

    keys = list(draws[0]) if draws else []
    fixed = _own_keys(overrides)
    base = flatten(composed(REFERENCE, list(overrides), workers, months))
    out = {}
    for name, (scenario, own) in specs.items():
        cfg = flatten(composed(scenario, [*overrides, *own], workers, months))
        mine = {k for k in keys if k in fixed or k in _own_keys(own) or cfg.get(k) != base.get(k)}
        out[name] = [draw_overrides({k: v for k, v in d.items() if k not in mine}) for d in draws]
    return out


def _draw_table(draws: list[dict], seeds: Sequence[int]) -> pd.DataFrame:
    rows = [{"replication": i, "seed": seeds[i], "parameter": k, "value": v} for i, d in enumerate(draws) for k, v in d.items()]
    return pd.DataFrame(rows, columns=["replication", "seed", "parameter", "value"])


def band_widths(comp: Comparison, noise: Comparison | None) -> pd.DataFrame:
    """Every indicator's band per scenario, with parameter uncertainty and without, side by side.

    One row per ``uncertainty`` (``simulation+parameters``: the comparison's runs when parameter uncertainty is on;
    ``simulation``: the runs at the point estimates, or the comparison's own runs when it is off), ``reference`` (empty: the
    level; ``baseline``, ``no_ai``: the paired difference), scenario and indicator: ``median``, ``lo``, ``hi`` (the band of
    that set's own runs), ``sd`` (across its runs), ``runs`` and ``width``: the width of the 90% band of the median at the
    comparison's R, 2 x 1.645 x 1.2533 x sd / sqrt(R), so that sets of different sizes compare.
    """
    sets = [(WITH_PARAMETERS, comp), (SIMULATION, noise)] if noise is not None else [(SIMULATION, comp)]
    parts = []
    for kind, c in sets:
        long = c.indicators.melt(id_vars=["scenario", "replication"], value_vars=list(INDICATORS), var_name="indicator",
                                 value_name="value")
        long["value"] = long["value"].astype(float)
        frames = [long.assign(reference="")]
        for ref in REFERENCES:
            if ref in c.scenarios:
                r = long[long["scenario"] == ref][["replication", "indicator", "value"]].rename(columns={"value": "ref"})
                d = long[long["scenario"] != ref].merge(r, on=["replication", "indicator"])
                frames.append(d.assign(value=d["value"] - d["ref"], reference=ref).drop(columns="ref"))
        both = pd.concat(frames, ignore_index=True)
        band = _band(both, ["reference", "scenario", "indicator"])
        sd = both.dropna(subset=["value"]).groupby(["reference", "scenario", "indicator"], sort=False)["value"].std(ddof=1)
        band = band.merge(sd.rename("sd").reset_index(), on=["reference", "scenario", "indicator"], how="left")
        band["width"] = 2 * Z90 * SE_MEDIAN * band["sd"].fillna(0.0) / np.sqrt(comp.replications)
        band.insert(0, "uncertainty", kind)
        parts.append(band[["uncertainty", "reference", "scenario", "indicator", "median", "lo", "hi", "sd", "runs", "width"]])
    return pd.concat(parts, ignore_index=True)


def compare(
    scenarios: Sequence[str],
    replications: int = 10,
    workers: int = 10_000,
    months: int = 120,
    seed: int = 0,
    overrides: Sequence[str] = (),
    jobs: int = 0,
    progress: bool = True,
    variants: Mapping | None = None,
    decompose: Sequence[str] = (),
    parameter_uncertainty: str = "auto",
    noise_replications: int = 3,
) -> Comparison:
    """Run every scenario ``replications`` times on common random numbers and aggregate.

    Args:
        scenarios: scenario names (``configs/scenario``).
        replications: R, runs per scenario.
        workers: initial population of every run.
        months: horizon of every run.
        seed: the master seed the replication seeds (and the parameter draws) are spawned from.
        overrides: Hydra overrides applied to every run (e.g. ``["ai.adoption_cost=0.05"]``).
        jobs: worker processes (0: one per core).
        progress: show a progress bar (runs done, left, time left).
        variants: named variants, each a scenario plus its own overrides, compared under their own name
            (:class:`simulation.variants.Variant` or ``{name: {"scenario": ..., <key>: value, "overrides": [...]}}``).
        decompose: scenarios or variants to decompose into their levers (each lever alone against ``baseline``).
        parameter_uncertainty: auto, on or off (:func:`resolve_uncertainty`).
        noise_replications: replications of the set at the point estimates when parameter uncertainty is on (0: R; at most R).

    """
    from .policy_eval import policy_tables
    from .variants import Variant, parse_variants, plan_runs, variant_problems

    scenarios = list(scenarios)
    check_comparison(scenarios, replications, workers, months, seed)
    problems = compare_override_problems(list(overrides))
    if problems:
        raise ConfigError(problems)
    first = compose(scenarios[0], [f"workers={workers}", f"months={months}", *overrides])  # bad overrides fail here, before any run
    info = resolve_uncertainty(parameter_uncertainty, str(first.profile.name))
    given = dict(variants or {})
    if all(isinstance(v, Variant) for v in given.values()):
        vs = given
    else:
        vs = parse_variants({n: v for n, v in given.items() if not isinstance(v, Variant)})
        vs |= {n: v for n, v in given.items() if isinstance(v, Variant)}
    problems = variant_problems(vs, list(overrides), [f"workers={workers}", f"months={months}"])
    if problems:
        raise ConfigError(problems)
    plan = plan_runs(scenarios, vs, list(decompose), list(overrides), workers, months)
    start = time.perf_counter()
    seeds = replication_seeds(seed, replications)
    tasks, noise_tasks, draws = _tasks(plan, info, seeds, seed, workers, months, list(overrides), noise_replications)
    results = _run_tasks([*tasks, *noise_tasks], jobs, progress, plan, replications, len(noise_tasks))
    results, noise_results = results[:len(tasks)], results[len(tasks):]
    main = [r for r in results if r[0]["scenario"] in plan.names]
    comp = aggregate(main, plan.names, replications, workers, months, seed, seeds, list(overrides))
    comp.variants = {n: {"scenario": v.scenario, "overrides": list(v.overrides)} for n, v in vs.items()}
    comp.policy = policy_tables(comp, [_with_keys(r[1], r[0]) for r in results if r[0]["scenario"] not in plan.names], plan)
    if info["on"]:
        k = len(noise_results) // len(plan.names)
        comp.noise = aggregate(noise_results, plan.names, k, workers, months, seed, seeds[:k], list(overrides))
        comp.parameter_draws = _draw_table(draws, seeds)
    comp.uncertainty = _uncertainty_info(info, comp)
    comp.band_widths = band_widths(comp, comp.noise)
    comp.wall_time_s = time.perf_counter() - start
    return comp


def _tasks(plan, info: dict, seeds: list[int], seed: int, workers: int, months: int, overrides: list[str], noise_replications: int):
    """The runs' tasks, the noise-only set's (empty when parameter uncertainty is off) and the draws.

    A task: (name, scenario file, replication, seed, workers, months, the comparison's overrides, the draw's, the run's own).
    """
    from .profiles import parameter_draws

    r = len(seeds)
    draws = parameter_draws(info["record"], r, seed) if info["on"] else []
    by_run = draw_overrides_by_run(draws, plan.specs, overrides, workers, months) if info["on"] else {}
    tasks = [(name, scen, i, seeds[i], workers, months, (*overrides, *(by_run[name][i] if by_run else ()), *own))
             for i in range(r) for name, (scen, own) in plan.specs.items()]
    k = (min(int(noise_replications), r) or r) if info["on"] else 0
    noise = [(name, plan.specs[name][0], i, seeds[i], workers, months, (*overrides, *plan.specs[name][1]))
             for i in range(k) for name in plan.names]
    return tasks, noise, draws


def _run_tasks(tasks: list, jobs: int, progress: bool, plan, replications: int, noise_runs: int) -> list:
    """Run every task in parallel; results in the order of the tasks, whatever order the runs finish in."""
    bar = None
    if progress:
        from tqdm.auto import tqdm

        extra = len(plan.specs) - len(plan.names)
        bar = tqdm(total=len(tasks), desc=f"{len(plan.names)} scenarios x {replications} replications"
                   + (f" (+{extra} lever runs each)" if extra else "")
                   + (f" (+{noise_runs} at the point estimates)" if noise_runs else ""), unit="run")
    try:
        return run_many(run_labelled, tasks, jobs=jobs, on_done=None if bar is None else lambda _i, _r: bar.update(1))
    finally:
        if bar is not None:
            bar.close()


def _uncertainty_info(info: dict, comp: Comparison) -> dict:
    """What the report says about the bands' uncertainty: the setting, why, and the calibration drawn from."""
    record = info.get("record") or {}
    return {"setting": info["setting"], "on": bool(info["on"]), "profile": info["profile"], "reason": info["reason"],
            "record_path": info["record_path"], "parameters": list(record.get("parameters", [])),
            "calibration": dict(record.get("settings", {})), "calibration_scenario": record.get("scenario"),
            "noise_replications": comp.noise.replications if comp.noise is not None else 0}


def _paired_band(long: pd.DataFrame, scenarios, on: list[str], by: list[str]) -> pd.DataFrame:
    """Median and bands of ``value`` minus the reference's on the same replication, for each reference present."""
    parts = []
    for ref in REFERENCES:
        if ref not in scenarios:
            continue
        ref_vals = long[long["scenario"] == ref][["replication", *on, "value"]].rename(columns={"value": "ref"})
        merged = long.merge(ref_vals, on=["replication", *on], how="inner")
        merged["value"] = merged["value"] - merged["ref"]
        part = _band(merged, by)
        part.insert(1, "reference", ref)
        parts.append(part)
    cols = [by[0], "reference", *by[1:], "median", "lo", "hi", "p05", "p95", "runs"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def widest_gap_month(runs: pd.DataFrame) -> pd.Series:
    """Per scenario and replication, the month the unemployment gap to ``no_ai`` (same seed) stops widening.

    The gap is the scenario's unemployment rate minus ``no_ai``'s, month by month from month 1; it is smoothed with a
    :data:`GAP_WINDOW`-month moving average, and the month is the first whose average comes within
    :data:`GAP_TOLERANCE` of the largest. Unemployment that settles at a new level gives the month it settled; a month
    at the horizon says the gap was still widening. Undefined (missing) for ``no_ai`` itself and without ``no_ai``.
    """
    u = runs[runs["month"] >= 1].pivot_table(index="month", columns=["scenario", "replication"], values="unemployment_rate")
    out = {}
    if "no_ai" not in u.columns.get_level_values(0):
        return pd.Series(out, dtype=float)
    ref = u["no_ai"]
    window = GAP_WINDOW if len(u) >= GAP_WINDOW else 1
    for s in u.columns.get_level_values(0).unique():
        if s == "no_ai":
            continue
        gap = (u[s] - ref).rolling(window, min_periods=window).mean()
        for rep in gap.columns:
            g = gap[rep].dropna()
            if len(g):
                out[(s, rep)] = int(g.index[(g >= g.max() - GAP_TOLERANCE).to_numpy()][0])
    return pd.Series(out, dtype=float)


def aggregate(results, scenarios, replications, workers, months, master_seed, seeds, overrides) -> Comparison:
    """Build the tidy tables, the bands and the paired differences from per-run results."""
    runs = pd.concat([_with_keys(r[1], r[0]) for r in results], ignore_index=True)
    lanes = pd.concat([_with_keys(r[2], r[0]) for r in results], ignore_index=True)
    stages = pd.concat([_with_keys(r[3], r[0]) for r in results], ignore_index=True)
    indicators = pd.DataFrame([{**r[0], **r[4]} for r in results])
    gap_month = widest_gap_month(runs)
    indicators["months_to_widest_gap"] = [gap_month.get((s, i), np.nan) for s, i in zip(indicators["scenario"], indicators["replication"], strict=True)]
    groups = _group_shares(pd.concat([_with_keys(r[5], r[0]) for r in results], ignore_index=True))

    # a re-employment share over an empty or small cohort is undefined: leave such runs out of its median and band
    masked = runs.copy()
    for h in (6, 12, 24):
        masked[f"displaced_reemployed_{h}m_share"] = masked[f"displaced_reemployed_{h}m_share"].where(masked[f"displaced_cohort_{h}m"] >= MIN_GROUP)
    stages_m = stages.assign(displaced_reemployed_12m_share=stages["displaced_reemployed_12m_share"].where(stages["displaced_cohort_12m"] >= MIN_GROUP))
    key_cols = ["scenario", "replication", "seed", "month"]
    metrics = [c for c in runs.columns if c not in key_cols]
    long = masked.melt(id_vars=key_cols, value_vars=metrics, var_name="metric", value_name="value")
    lane_long = lanes.assign(metric="unemployment_rate_" + lanes["lane"])[key_cols + ["metric", "unemployment_rate"]].rename(
        columns={"unemployment_rate": "value"})
    stage_long = stages_m.assign(metric="displaced_reemployed_12m_share_" + stages_m["stage"])[
        key_cols + ["metric", "displaced_reemployed_12m_share"]].rename(columns={"displaced_reemployed_12m_share": "value"})
    jobless_long = runs[key_cols].assign(metric="jobless_rate", value=jobless_rate(runs["unemployed"], runs["retraining"], runs["labor_force"]))
    long = pd.concat([long, lane_long, stage_long, jobless_long], ignore_index=True)
    long["value"] = long["value"].astype(float)
    bands = _band(long, ["scenario", "month", "metric"])
    paired = _paired_band(long, scenarios, ["month", "metric"], ["scenario", "month", "metric"])

    gkeys = ["scenario", "replication", "month", "dimension", "group"]
    glong = groups.melt(id_vars=gkeys, value_vars=list(GROUP_METRICS), var_name="metric", value_name="value")
    glong["value"] = glong["value"].astype(float)
    gby = ["scenario", "month", "dimension", "group", "metric"]
    group_bands = _band(glong, gby)
    group_paired = _paired_band(glong, scenarios, ["month", "dimension", "group", "metric"], gby)

    ind_long = indicators.melt(id_vars=["scenario", "replication", "seed"], value_vars=list(INDICATORS),
                               var_name="indicator", value_name="value")
    ind_long["value"] = ind_long["value"].astype(float)  # None (undefined) becomes NaN
    summary = _summary(ind_long, scenarios)
    return Comparison(scenarios=list(scenarios), replications=int(replications), workers=int(workers), months=int(months),
                      master_seed=int(master_seed), seeds=list(seeds), overrides=list(overrides), runs=runs, lanes=lanes,
                      stages=stages, bands=bands, paired=paired, indicators=indicators, summary=summary, groups=groups,
                      group_bands=group_bands, group_paired=group_paired,
                      decisions=decision_table(summary, scenarios, replications))


def _summary(ind_long: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """Median and 90% band of every indicator per scenario (``runs``: replications where it is defined), with paired differences.

    ``vs_<ref>_runs``: replications where both the scenario and the reference have the indicator.
    """
    grid = pd.MultiIndex.from_product([list(scenarios), list(INDICATORS)], names=["scenario", "indicator"]).to_frame(index=False)
    out = grid.merge(_band(ind_long, ["scenario", "indicator"]), on=["scenario", "indicator"], how="left")
    out["runs"] = out["runs"].fillna(0).astype(int)  # 0: undefined in every run (e.g. no displaced cohort)
    for ref in REFERENCES:
        if ref not in scenarios:
            continue
        r = ind_long[ind_long["scenario"] == ref][["replication", "indicator", "value"]].rename(columns={"value": "ref"})
        d = ind_long.merge(r, on=["replication", "indicator"])
        d["diff"] = d["value"] - d["ref"]
        dd = _band(d, ["scenario", "indicator"], "diff")[["scenario", "indicator", "median", "lo", "hi", "runs"]]
        dd = dd.rename(columns={"median": f"vs_{ref}_median", "lo": f"vs_{ref}_lo", "hi": f"vs_{ref}_hi", "runs": f"vs_{ref}_runs"})
        out = out.merge(dd, on=["scenario", "indicator"], how="left")
        out[f"vs_{ref}_runs"] = out[f"vs_{ref}_runs"].fillna(0).astype(int)
    order = {s: i for i, s in enumerate(scenarios)}
    out["_o"] = out["scenario"].map(order)
    out["_i"] = out["indicator"].map({k: i for i, k in enumerate(INDICATORS)})
    return out.sort_values(["_o", "_i"]).drop(columns=["_o", "_i"]).reset_index(drop=True)


def verdict(median: float, lo: float, hi: float, runs: int, replications: int, better: str | None) -> str:
    """What a paired difference says, from its median, 90% band and the replications where it is defined.

    ``better``/``worse`` (or ``higher``/``lower`` for an indicator with no better direction) when the band excludes 0,
    ``not distinguishable`` when it includes 0, ``undefined`` when it is defined in fewer than :func:`min_runs` replications.
    """
    if runs < min_runs(replications) or any(pd.isna(x) for x in (median, lo, hi)):
        return "undefined"
    if lo > 0 or hi < 0:
        direction = "higher" if lo > 0 else "lower"
        return direction if better is None else ("better" if direction == better else "worse")
    return "not distinguishable"


def decision_table(summary: pd.DataFrame, scenarios: Sequence[str], replications: int) -> pd.DataFrame:
    """The decision table: every scenario against each reference present, indicator by indicator.

    One row per reference, scenario (other than the reference) and indicator: the paired difference's ``median``,
    ``lo``, ``hi``, ``runs`` (replications where it is defined), ``better`` (the better direction, empty for none) and
    the :func:`verdict`.
    """
    rows = []
    s_idx = summary.set_index(["scenario", "indicator"])
    for ref in REFERENCES:
        if ref not in scenarios or f"vs_{ref}_median" not in summary.columns:
            continue
        for s in scenarios:
            if s == ref:
                continue
            for k in INDICATORS:
                r = s_idx.loc[(s, k)]
                m, lo, hi, n = (r[f"vs_{ref}_median"], r[f"vs_{ref}_lo"], r[f"vs_{ref}_hi"], int(r[f"vs_{ref}_runs"]))
                rows.append({"reference": ref, "scenario": s, "indicator": k, "median": m, "lo": lo, "hi": hi, "runs": n,
                             "better": BETTER.get(k, ""), "verdict": verdict(m, lo, hi, n, replications, BETTER.get(k))})
    cols = ["reference", "scenario", "indicator", "median", "lo", "hi", "runs", "better", "verdict"]
    return pd.DataFrame(rows, columns=cols)


__all__ = ["BETTER", "Comparison", "INDICATORS", "LANES", "MIN_GROUP", "SIMULATION", "STAGES", "WITH_PARAMETERS", "band_widths",
           "check_request", "compare", "decision_table", "draw_overrides_by_run", "group_snapshot", "median_bands", "min_runs", "replication_seeds",
           "resolve_uncertainty", "verdict", "widest_gap_month"]
