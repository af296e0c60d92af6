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
  differences against the references.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .composition import check_comparison, compare_override_problems, compose
from .config import LANES, ConfigError
from .parallel import run_many
from .runner import run_config
from .state import STAGES

LO_Q, HI_Q = 0.05, 0.95  # the spread of outcomes across runs (p05, p95)
# The band around the median is its 90% confidence interval, median -/+ Z90 * SE_MEDIAN * s / sqrt(R):
# the asymptotic standard error of a median is sqrt(pi / 2) * sigma / sqrt(R) (normal outcomes).
Z90 = 1.6448536269514722
SE_MEDIAN = 1.2533141373155003
REFERENCES = ("baseline", "no_ai")
INDICATORS = {
    "unemployment_rate_peak": "peak unemployment rate",
    "ai_displaced_by_month_60": "AI-displaced by month 60 (cumulative)",
    "ai_displaced_final": "AI-displaced by the last month (cumulative)",
    "displaced_reemployed_12m_share_final": "share of displaced re-employed within 12 months",
    "retraining_completed_total": "retraining completions",
    "months_to_recover_unemployment": "months from the peak until unemployment is within 0.5 points of its start",
    "ai_wage_premium_final": "AI wage premium in the last month",
    "wage_gini_final": "wage Gini in the last month",
}
# indicators where a higher value is better (for the ranking); the others rank lower-is-better
HIGHER_IS_BETTER = {"displaced_reemployed_12m_share_final", "retraining_completed_total"}


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

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by file stem."""
        return {"runs": self.runs, "lanes": self.lanes, "stages": self.stages, "bands": self.bands,
                "paired": self.paired, "indicators": self.indicators, "summary": self.summary, **self.policy}


def _one_run(scenario: str, replication: int, seed: int, workers: int, months: int, overrides: tuple[str, ...]):
    """Run one replication (in a worker process) and return its tidy pieces."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", *overrides])
    res = run_config(cfg, progress=False)
    keys = {"scenario": scenario, "replication": replication, "seed": seed}
    ts = res.timeseries
    bo = res.by_occupation
    lane = bo.groupby(["month", "lane"], sort=False)[["employed", "unemployed"]].sum().reset_index()
    lane["unemployment_rate"] = np.where(lane["employed"] + lane["unemployed"] > 0,
                                         lane["unemployed"] / (lane["employed"] + lane["unemployed"]).clip(lower=1), 0.0)
    st = res.by_stage[["month", "stage", "displaced_cohort_12m", "displaced_reemployed_12m_share"]]
    ind = {k: res.summary[k] for k in INDICATORS}
    if ts["displaced_cohort_12m"].iloc[-1] == 0:  # no cohort: the share is undefined, not 0
        ind["displaced_reemployed_12m_share_final"] = None
    assert list(st["stage"].unique()) == list(STAGES)
    return keys, ts, lane, st, ind


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


# the request is checked where every command checks its input; the old name stays for callers of compare.check_request
check_request = check_comparison


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
) -> Comparison:
    """Run every scenario ``replications`` times on common random numbers and aggregate.

    Args:
        scenarios: scenario names (``configs/scenario``).
        replications: R, runs per scenario.
        workers: initial population of every run.
        months: horizon of every run.
        seed: the master seed the replication seeds are spawned from.
        overrides: Hydra overrides applied to every run (e.g. ``["ai.adoption_cost=0.05"]``).
        jobs: worker processes (0: one per core).
        progress: show a progress bar (runs done, left, time left).
        variants: named variants, each a scenario plus its own overrides, compared under their own name
            (:class:`simulation.variants.Variant` or ``{name: {"scenario": ..., <key>: value, "overrides": [...]}}``).
        decompose: scenarios or variants to decompose into their levers (each lever alone against ``baseline``).

    """
    from .policy_eval import policy_tables
    from .variants import Variant, parse_variants, plan_runs, run_labelled, variant_problems

    scenarios = list(scenarios)
    check_comparison(scenarios, replications, workers, months, seed)
    problems = compare_override_problems(list(overrides))
    if problems:
        raise ConfigError(problems)
    compose(scenarios[0], [f"workers={workers}", f"months={months}", *overrides])  # bad overrides fail here, before any run
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
    # each task: (name, scenario file, replication, seed, size, the comparison's overrides then the run's own)
    tasks = [(name, scen, i, seeds[i], workers, months, (*overrides, *own))
             for i in range(replications) for name, (scen, own) in plan.specs.items()]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        extra = len(plan.specs) - len(plan.names)
        bar = tqdm(total=len(tasks), desc=f"{len(plan.names)} scenarios x {replications} replications"
                   + (f" (+{extra} lever runs each)" if extra else ""), unit="run")
    try:
        # results in the order of the tasks, whatever order the runs finish in
        results = run_many(run_labelled, tasks, jobs=jobs, on_done=None if bar is None else lambda _i, _r: bar.update(1))
    finally:
        if bar is not None:
            bar.close()
    main = [r for r in results if r[0]["scenario"] in plan.names]
    comp = aggregate(main, plan.names, replications, workers, months, seed, seeds, list(overrides))
    comp.variants = {n: {"scenario": v.scenario, "overrides": list(v.overrides)} for n, v in vs.items()}
    comp.policy = policy_tables(comp, [r for r in results if r[0]["scenario"] not in plan.names], plan)
    comp.wall_time_s = time.perf_counter() - start
    return comp


def aggregate(results, scenarios, replications, workers, months, master_seed, seeds, overrides) -> Comparison:
    """Build the tidy tables, the bands and the paired differences from per-run results."""
    runs = pd.concat([_with_keys(ts, keys) for keys, ts, *_ in results], ignore_index=True)
    lanes = pd.concat([_with_keys(lane, keys) for keys, _ts, lane, *_ in results], ignore_index=True)
    stages = pd.concat([_with_keys(st, keys) for keys, _ts, _lane, st, _ind in results], ignore_index=True)
    indicators = pd.DataFrame([{**keys, **ind} for keys, *_rest, ind in results])

    # a re-employment share over an empty cohort is undefined: leave such runs out of its median and band
    masked = runs.copy()
    for h in (6, 12, 24):
        masked[f"displaced_reemployed_{h}m_share"] = masked[f"displaced_reemployed_{h}m_share"].where(masked[f"displaced_cohort_{h}m"] > 0)
    stages_m = stages.assign(displaced_reemployed_12m_share=stages["displaced_reemployed_12m_share"].where(stages["displaced_cohort_12m"] > 0))
    key_cols = ["scenario", "replication", "seed", "month"]
    metrics = [c for c in runs.columns if c not in key_cols]
    long = masked.melt(id_vars=key_cols, value_vars=metrics, var_name="metric", value_name="value")
    lane_long = lanes.assign(metric="unemployment_rate_" + lanes["lane"])[key_cols + ["metric", "unemployment_rate"]].rename(
        columns={"unemployment_rate": "value"})
    stage_long = stages_m.assign(metric="displaced_reemployed_12m_share_" + stages_m["stage"])[
        key_cols + ["metric", "displaced_reemployed_12m_share"]].rename(columns={"displaced_reemployed_12m_share": "value"})
    long = pd.concat([long, lane_long, stage_long], ignore_index=True)
    long["value"] = long["value"].astype(float)
    bands = _band(long, ["scenario", "month", "metric"])

    paired_parts = []
    for ref in REFERENCES:
        if ref not in scenarios:
            continue
        ref_vals = long[long["scenario"] == ref][["replication", "month", "metric", "value"]].rename(columns={"value": "ref"})
        merged = long.merge(ref_vals, on=["replication", "month", "metric"], how="inner")
        merged["value"] = merged["value"] - merged["ref"]
        part = _band(merged, ["scenario", "month", "metric"])
        part.insert(1, "reference", ref)
        paired_parts.append(part)
    paired = pd.concat(paired_parts, ignore_index=True) if paired_parts else pd.DataFrame(
        columns=["scenario", "reference", "month", "metric", "median", "lo", "hi", "p05", "p95", "runs"])

    ind_long = indicators.melt(id_vars=["scenario", "replication", "seed"], value_vars=list(INDICATORS),
                               var_name="indicator", value_name="value")
    ind_long["value"] = ind_long["value"].astype(float)  # None (never recovers) becomes NaN
    summary = _summary(ind_long, scenarios)
    return Comparison(scenarios=list(scenarios), replications=int(replications), workers=int(workers), months=int(months),
                      master_seed=int(master_seed), seeds=list(seeds), overrides=list(overrides), runs=runs, lanes=lanes,
                      stages=stages, bands=bands, paired=paired, indicators=indicators, summary=summary)


def _summary(ind_long: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """Median and 90% band of every indicator per scenario (``runs``: replications where it is defined), with paired differences."""
    grid = pd.MultiIndex.from_product([list(scenarios), list(INDICATORS)], names=["scenario", "indicator"]).to_frame(index=False)
    out = grid.merge(_band(ind_long, ["scenario", "indicator"]), on=["scenario", "indicator"], how="left")
    out["runs"] = out["runs"].fillna(0).astype(int)  # 0: undefined in every run (e.g. no displaced cohort)
    for ref in REFERENCES:
        if ref not in scenarios:
            continue
        r = ind_long[ind_long["scenario"] == ref][["replication", "indicator", "value"]].rename(columns={"value": "ref"})
        d = ind_long.merge(r, on=["replication", "indicator"])
        d["diff"] = d["value"] - d["ref"]
        dd = _band(d, ["scenario", "indicator"], "diff")[["scenario", "indicator", "median", "lo", "hi"]]
        dd = dd.rename(columns={"median": f"vs_{ref}_median", "lo": f"vs_{ref}_lo", "hi": f"vs_{ref}_hi"})
        out = out.merge(dd, on=["scenario", "indicator"], how="left")
    order = {s: i for i, s in enumerate(scenarios)}
    out["_o"] = out["scenario"].map(order)
    out["_i"] = out["indicator"].map({k: i for i, k in enumerate(INDICATORS)})
    return out.sort_values(["_o", "_i"]).drop(columns=["_o", "_i"]).reset_index(drop=True)


__all__ = ["Comparison", "INDICATORS", "LANES", "STAGES", "check_request", "compare", "replication_seeds"]
