"""Policy evaluation of a comparison: levers as run, cost-effectiveness, lever decomposition, take-up (issue 16).

:func:`policy_tables` builds, from a :class:`~simulation.compare.Comparison` (and the
extra "lever alone" runs of its decompositions, :mod:`simulation.variants`), the
tables written beside the others (CSV and Parquet):

* ``policy_levers``: every lever's setting as run, per scenario and variant;
* ``policy_outcomes``: per run (scenario or part, replication, seed) the outcomes below;
* ``policy_cost_effectiveness``: per policy scenario or variant against ``baseline``;
* ``policy_decomposition`` and ``policy_decomposition_seeds``: each lever alone, the
  interaction and the bundle, as means with bands and seed by seed;
* ``policy_take_up``: take-up and seat use per programme.

Outcomes of a run (months 1 to T; month 0 is the state after the burn-in):

* ``reemployed_12m``: displaced workers re-employed within 12 months, counted at the last
  month T: ``displaced_cohort_12m x displaced_reemployed_12m_share`` at T, i.e. the workers
  displaced by AI in months 1 to T - 12 who found a job within 12 months of their
  displacement (docs/OUTPUTS.md);
* ``reemployed_12m_share``: that share (undefined with an empty cohort);
* ``unemployment_rate_mean`` and ``unemployment_rate_peak``: over months 1 to T (the peak over 0 to T);
* ``jobless_rate_mean``: over months 1 to T, the unemployed and those in training over the labour force and those in
  training (:func:`simulation.results.jobless_rate`): trainees do not search, so filling training seats lowers the
  unemployment rate by that alone; this rate falls only when joblessness does;
* ``job_years``: the sum over months 1 to T of ``employed``, divided by 12;
* ``net_fiscal_cost``: the sum of ``fiscal_net_cost`` over the months (in the profile's currency), and
  ``net_fiscal_cost_discounted``: month t weighted by ``(1 + fiscal.discount_rate) ** (-t / 12)``;
* each ledger line's total (``outlay_*``, ``revenue_*``) and the take-up counts.

**Bands.** Every number of these tables is a mean across the R replications of a
paired difference (scenario minus ``baseline`` on the same seed), with a 90% band
from a paired bootstrap: the replications are resampled with replacement
(:data:`BOOTSTRAP` resamples, a fixed seed), the band is the 5th to 95th percentile of
the resampled means. Means, not medians, so that the parts of a decomposition add up
to the bundle. A cost per unit is the ratio of the mean paired cost to the mean paired
gain (the cost of the programme over its total gain; a ratio per replication explodes
when one replication's gain is near 0), with the band of the same ratio over the
resamples. It is **not defined** when the gain's band does not lie above 0 (the gain is
not distinguishable from 0, or negative): a ratio to a gain that may be 0 is not a cost.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .results import jobless_rate

REFERENCE = "baseline"
BOOTSTRAP = 2000
BOOT_SEED = 16
LO_Q, HI_Q = 0.05, 0.95
KEYS = ["scenario", "replication", "seed"]
# outcome: (what it is, kind: share | count | job_years | money)
OUTCOMES = {
    "reemployed_12m_share": ("share of displaced re-employed within 12 months", "share"),
    "reemployed_12m": ("displaced workers re-employed within 12 months", "count"),
    "unemployment_rate_mean": ("mean unemployment rate", "share"),
    "jobless_rate_mean": ("mean jobless rate (unemployed or in training)", "share"),
    "unemployment_rate_peak": ("peak unemployment rate", "share"),
    "job_years": ("employment (job-years)", "job_years"),
    "net_fiscal_cost": ("net fiscal cost", "money"),
    "net_fiscal_cost_discounted": ("net fiscal cost, discounted", "money"),
}
DECOMPOSED = ("reemployed_12m_share", "reemployed_12m", "unemployment_rate_mean", "jobless_rate_mean", "job_years", "net_fiscal_cost")
# take-up: metric -> (what it is, the column of the timeseries, how a run is summed: total | mean)
TAKE_UP = {
    "retraining_started_subsidized": ("subsidised retraining starts", "retraining_started_subsidized", "total"),
    "retraining_seats_offered": ("subsidised seats offered", "retraining_seats_offered", "total"),
    "ui_recipients": ("benefit recipients (mean a month)", "ui_recipients", "mean"),
    "hires_subsidised": ("subsidised hires", "hires_subsidised", "total"),
}
LEVER_ORDER = ("adoption_subsidy", "public_ai_demand", "retraining_subsidy", "unemployment_insurance", "hiring_subsidy",
               "automation_tax", "education_shift")


# --------------------------------------------------------------------------- formatting
_CURRENCY: contextvars.ContextVar[str] = contextvars.ContextVar("currency", default="USD")


@contextlib.contextmanager
def money_currency(currency: str):
    """Within the block, :func:`format_money` writes amounts in ``currency`` (the profile's: ``$`` for USD, else its code)."""
    token = _CURRENCY.set(currency)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def format_money(x: float, sign: bool = False) -> str:
    """Money with three significant digits and a suffix; signed for differences.

    ``$1.23M``, ``$45.6k``, ``$789`` in USD; ``CNY 1.23M`` in the China profile (:func:`money_currency`).
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    unit = "$" if _CURRENCY.get() == "USD" else f"{_CURRENCY.get()} "
    a = abs(float(x))
    div, suffix = next(((d, t) for d, t in ((1e9, "bn"), (1e6, "M"), (1e3, "k")) if a >= d * 0.9995), (1.0, ""))
    text = f"{a / div:.3g}" if div > 1.0 else f"{a:.0f}"
    if float(text) == 0.0:
        return f"{unit}0"
    return f"{'-' if x < 0 else ('+' if sign else '')}{unit}{text}{suffix}"


def format_outcome(kind: str, x: float | None, difference: bool = True) -> str:
    """Text of one outcome value: shares in % (levels) or percentage points (differences), counts, job-years, money."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if kind == "share":
        v = 100 * float(x)
        text = f"{v:+.2f}" if difference else f"{v:.1f}"
        text = text.replace("+0.00", "0.00").replace("-0.00", "0.00")
        return f"{text} pp" if difference else f"{text}%"
    if kind == "count":
        text = f"{float(x):+,.0f}" if difference else f"{float(x):,.0f}"
        return text.replace("+0", "0").replace("-0", "0") if text in ("+0", "-0") else text
    if kind == "job_years":
        text = f"{float(x):+,.1f}" if difference else f"{float(x):,.1f}"
        return "0.0" if text in ("+0.0", "-0.0") else text
    if kind == "money":
        return format_money(float(x), sign=difference)
    return f"{float(x):.4g}"


def format_band(kind: str, est: float, lo: float, hi: float, difference: bool = True) -> str:
    """``estimate [lo, hi]``."""
    m = format_outcome(kind, est, difference)
    if m == "n/a":
        return m
    return f"{m} [{format_outcome(kind, lo, difference)}, {format_outcome(kind, hi, difference)}]"


# --------------------------------------------------------------------------- statistics
def _resamples(n: int) -> np.ndarray:
    return np.random.default_rng(BOOT_SEED).integers(0, n, size=(BOOTSTRAP, n))


def mean_band(values) -> tuple[float, float, float, int]:
    """Mean, 90% paired-bootstrap band and count of the defined values."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan, 0
    means = x[_resamples(x.size)].mean(axis=1)
    return float(x.mean()), float(np.quantile(means, LO_Q)), float(np.quantile(means, HI_Q)), int(x.size)


def ratio_band(num, den) -> tuple[float, float, float, int, str]:
    """Ratio of means (cost per unit of gain) with its paired-bootstrap band, or NaN and why it is not defined."""
    n, d = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = ~(np.isnan(n) | np.isnan(d))
    n, d = n[ok], d[ok]
    if n.size == 0:
        return math.nan, math.nan, math.nan, 0, "not defined: no replication"
    idx = _resamples(n.size)
    dm = d[idx].mean(axis=1)
    d_lo, d_hi = float(np.quantile(dm, LO_Q)), float(np.quantile(dm, HI_Q))
    if not d_lo > 0:
        return math.nan, math.nan, math.nan, int(n.size), f"not defined: the gain's band [{d_lo:.4g}, {d_hi:.4g}] does not lie above 0"
    with np.errstate(divide="ignore", invalid="ignore"):  # a resample with a zero mean gain: an infinite ratio, in the tails
        ratios = n[idx].mean(axis=1) / dm
    return (float(n.mean() / d.mean()), float(np.quantile(ratios, LO_Q, method="inverted_cdf")),
            float(np.quantile(ratios, HI_Q, method="inverted_cdf")), int(n.size), "")


# --------------------------------------------------------------------------- per-run outcomes
def run_outcomes(runs: pd.DataFrame, rates: Mapping[str, float], default_rate: float = 0.02) -> pd.DataFrame:
    """One row per run (``scenario``, ``replication``, ``seed``): the outcomes of the module docstring."""
    if runs.empty:
        return pd.DataFrame(columns=KEYS)
    after = runs[runs["month"] >= 1]
    g = after.groupby(KEYS, sort=False)
    out = pd.DataFrame({"job_years": g["employed"].sum() / 12.0, "unemployment_rate_mean": g["unemployment_rate"].mean()})
    jobless = pd.Series(jobless_rate(after["unemployed"], after["retraining"], after["labor_force"]), index=after.index)
    out["jobless_rate_mean"] = jobless.groupby([after[k] for k in KEYS], sort=False).mean()
    out["unemployment_rate_peak"] = runs.groupby(KEYS, sort=False)["unemployment_rate"].max()
    last = runs.sort_values("month").groupby(KEYS, sort=False).tail(1).set_index(KEYS)
    cohort = last["displaced_cohort_12m"].astype(float)
    share = last["displaced_reemployed_12m_share"].astype(float)
    out["displaced_cohort_12m"] = cohort
    out["reemployed_12m"] = (cohort * share).round()
    out["reemployed_12m_share"] = share.where(cohort > 0)
    # a part's run is baseline plus that part's settings: it is discounted at baseline's rate
    rate = after["scenario"].map(lambda name: rates.get(name, rates.get(REFERENCE, default_rate)))
    weight = (1.0 + rate.astype(float)) ** (-after["month"].astype(float) / 12.0)
    if "fiscal_net_cost" in after.columns:
        out["net_fiscal_cost"] = g["fiscal_net_cost"].sum()
        out["net_fiscal_cost_discounted"] = (after["fiscal_net_cost"] * weight).groupby([after[k] for k in KEYS], sort=False).sum()
    for col in [c for c in after.columns if c.startswith(("outlay_", "revenue_"))]:
        out[col] = g[col].sum()
    for metric, (_doc, col, how) in TAKE_UP.items():
        if col in after.columns:
            out[metric] = g[col].sum() if how == "total" else g[col].mean()
    return out.reset_index()


def paired(outcomes: pd.DataFrame, name: str, reference: str = REFERENCE) -> pd.DataFrame:
    """Per replication, ``name`` minus ``reference`` for every outcome column (indexed by replication, seed kept)."""
    cols = [c for c in outcomes.columns if c not in KEYS]
    a = outcomes[outcomes["scenario"] == name].set_index("replication")
    b = outcomes[outcomes["scenario"] == reference].set_index("replication")
    common = a.index.intersection(b.index)
    d = a.loc[common, cols].astype(float) - b.loc[common, cols].astype(float)
    d.insert(0, "seed", a.loc[common, "seed"])
    return d.sort_index()


# --------------------------------------------------------------------------- tables
def lever_table(configs: Mapping[str, Mapping]) -> pd.DataFrame:
    """Every lever's settings as run, per scenario or variant (long: scenario, lever, setting, enabled, value)."""
    rows = []
    for name, cfg in configs.items():
        pol = cfg.get("policy", {})
        for lever in [*LEVER_ORDER, *[k for k in pol if k not in LEVER_ORDER]]:
            settings = pol.get(lever)
            if not isinstance(settings, Mapping):
                continue
            on = bool(settings.get("enabled", False))
            for key, value in settings.items():
                rows.append({"scenario": name, "lever": lever, "setting": key, "enabled": on, "value": str(value)})
    return pd.DataFrame(rows, columns=["scenario", "lever", "setting", "enabled", "value"])


def policy_names(configs: Mapping[str, Mapping]) -> list[str]:
    """Scenarios and variants whose policy settings differ from ``baseline``'s (the ones evaluated against it)."""
    from .variants import OTHER, lever_parts

    if REFERENCE not in configs:
        return []
    base = configs[REFERENCE]
    return [n for n in configs if n != REFERENCE and any(p != OTHER for p in lever_parts(base, configs[n]))]


def cost_effectiveness(outcomes: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Per name against ``baseline``: net fiscal cost, the gains, and the cost per unit of gain, with bands."""
    rows = []
    for name in names:
        d = paired(outcomes, name)
        if d.empty or "net_fiscal_cost" not in d.columns:
            continue
        for metric, col in (("net_fiscal_cost", "net_fiscal_cost"), ("net_fiscal_cost_discounted", "net_fiscal_cost_discounted"),
                            ("additional_reemployed_12m", "reemployed_12m"), ("additional_job_years", "job_years")):
            est, lo, hi, n = mean_band(d[col])
            rows.append({"scenario": name, "reference": REFERENCE, "metric": metric, "estimate": est, "lo": lo, "hi": hi,
                         "runs": n, "note": ""})
        for metric, col in (("cost_per_additional_reemployed_12m", "reemployed_12m"), ("cost_per_additional_job_year", "job_years")):
            est, lo, hi, n, note = ratio_band(d["net_fiscal_cost"], d[col])
            rows.append({"scenario": name, "reference": REFERENCE, "metric": metric, "estimate": est, "lo": lo, "hi": hi,
                         "runs": n, "note": note})
        # the average: net cost over every displaced worker the scenario re-employed within 12 months, not only the additional
        own = outcomes[outcomes["scenario"] == name].set_index("replication").loc[d.index, "reemployed_12m"]
        est, lo, hi, n, note = ratio_band(d["net_fiscal_cost"], own)
        rows.append({"scenario": name, "reference": REFERENCE, "metric": "cost_per_reemployed_12m", "estimate": est, "lo": lo,
                     "hi": hi, "runs": n, "note": note.replace("the gain's band", "the band of the re-employed count")})
    return pd.DataFrame(rows, columns=["scenario", "reference", "metric", "estimate", "lo", "hi", "runs", "note"])


def decomposition(outcomes: pd.DataFrame, parts: Mapping[str, Mapping[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per bundle and seed: each part alone minus ``baseline``, the interaction and the bundle's effect; and their means with bands.

    The interaction is the bundle's effect minus the sum of the parts' effects, so on every seed the parts and the
    interaction add up to the bundle.
    """
    seeds, summary = [], []
    for bundle, labels in parts.items():
        effects = {part: paired(outcomes, label) for part, label in labels.items()}
        total = paired(outcomes, bundle)
        cols = [c for c in DECOMPOSED if c in total.columns]
        inter = total[cols] - sum(e[cols] for e in effects.values())
        for comp, frame in [*effects.items(), ("interaction", inter), ("bundle", total)]:
            for col in cols:
                for rep, v in frame[col].items():
                    seeds.append({"bundle": bundle, "replication": int(rep), "seed": int(total.loc[rep, "seed"]), "component": comp,
                                  "outcome": col, "value": float(v)})
                est, lo, hi, n = mean_band(frame[col])
                summary.append({"bundle": bundle, "component": comp, "outcome": col, "mean": est, "lo": lo, "hi": hi, "runs": n})
    cols_s = ["bundle", "replication", "seed", "component", "outcome", "value"]
    cols_m = ["bundle", "component", "outcome", "mean", "lo", "hi", "runs"]
    return pd.DataFrame(summary, columns=cols_m), pd.DataFrame(seeds, columns=cols_s)


# the hiring subsidy's effects (simulation.subsidy_effects.hiring_effects) reported with the take-up: metric -> column
HIRING = {"deadweight_share": "deadweight_share", "substitution_share": "substitution_share", "net_jobs_mean": "net_jobs_mean"}


def _hiring_rows(runs: pd.DataFrame, name: str) -> list[dict]:
    """Deadweight and substitution shares of the subsidised hires and the net jobs while the subsidy acts, against ``baseline``.

    From ``simulation.subsidy_effects.hiring_effects`` (per replication); skipped when that module or its columns are
    missing, for ``baseline`` itself, or when the scenario made no subsidised hire.
    """
    try:
        from .subsidy_effects import COLUMNS, hiring_effects
    except ImportError:
        return []
    if name == REFERENCE or REFERENCE not in set(runs["scenario"]) or not set(COLUMNS) <= set(runs.columns):
        return []
    mine = runs[runs["scenario"] == name]
    if float(mine["hires_subsidised"].sum()) <= 0:
        return []
    per = hiring_effects(runs[runs["scenario"].isin([name, REFERENCE])], name, REFERENCE)
    rows = []
    for metric, col in HIRING.items():
        est, lo, hi, n = mean_band(per[col])
        rows.append({"scenario": name, "metric": metric, "mean": est, "lo": lo, "hi": hi, "runs": n})
    return rows


def take_up(outcomes: pd.DataFrame, names: Sequence[str], runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per scenario or variant: each programme's take-up (means across replications with bands) and seat use."""
    rows = []
    for name in names:
        o = outcomes[outcomes["scenario"] == name]
        for metric in [m for m in TAKE_UP if m in o.columns]:
            est, lo, hi, n = mean_band(o[metric])
            rows.append({"scenario": name, "metric": metric, "mean": est, "lo": lo, "hi": hi, "runs": n})
        if {"retraining_started_subsidized", "retraining_seats_offered"} <= set(o.columns):
            offered = o["retraining_seats_offered"].where(o["retraining_seats_offered"] > 0)
            est, lo, hi, n = mean_band((o["retraining_started_subsidized"] / offered).to_numpy())
            rows.append({"scenario": name, "metric": "seat_use", "mean": est, "lo": lo, "hi": hi, "runs": n})
        if runs is not None:
            rows += _hiring_rows(runs, name)
    return pd.DataFrame(rows, columns=["scenario", "metric", "mean", "lo", "hi", "runs"])


def name_configs(comp) -> dict[str, dict]:
    """The plain configuration of every scenario and variant of a comparison (replication 0's seed aside)."""
    from .variants import composed

    out = {}
    for name in comp.scenarios:
        v = comp.variants.get(name)
        scenario, own = (v["scenario"], list(v["overrides"])) if v else (name, [])
        out[name] = composed(scenario, [*comp.overrides, *own], comp.workers, comp.months)
    return out


def policy_tables(comp, extra: Sequence = (), plan=None, configs: Mapping[str, Mapping] | None = None) -> dict[str, pd.DataFrame]:
    """The policy evaluation's tables (module docstring) by file stem.

    Args:
        comp: the comparison (its ``runs`` and ``variants``).
        extra: the timeseries of the decompositions' "lever alone" runs, each with its ``scenario``, ``replication`` and
            ``seed`` columns in front (as the comparison's ``runs``).
        plan: the comparison's :class:`~simulation.variants.RunPlan` (its ``decomposition``); None: no decomposition.
        configs: the plain configuration of every scenario and variant (composed if not given).

    """
    configs = name_configs(comp) if configs is None else configs
    rates = {n: float(c.get("fiscal", {}).get("discount_rate", 0.02)) for n, c in configs.items()}
    runs = comp.runs
    if extra:
        runs = pd.concat([runs, *extra], ignore_index=True)
    outcomes = run_outcomes(runs, rates)
    names = policy_names(configs) if REFERENCE in comp.scenarios else []
    dec, dec_seeds = decomposition(outcomes, plan.decomposition if plan is not None else {})
    return {"policy_levers": lever_table(configs), "policy_outcomes": outcomes,
            "policy_cost_effectiveness": cost_effectiveness(outcomes, names), "policy_decomposition": dec,
            "policy_decomposition_seeds": dec_seeds,
            # the lever-alone runs too: a lever's own take-up, deadweight and substitution, free of the bundle's other levers
            "policy_take_up": take_up(outcomes, [*comp.scenarios, *alone_names(outcomes)], runs)}


def alone_names(outcomes: pd.DataFrame) -> list[str]:
    """The decompositions' "lever alone" runs (``<bundle>|<lever>``) in the order they come."""
    return [n for n in dict.fromkeys(outcomes["scenario"]) if "|" in str(n)]


def column_title(name: str) -> str:
    """A take-up column's title: the scenario, or ``<lever>`` alone (from ``<bundle>``) for a lever-alone run."""
    if "|" in name:
        bundle, lever = name.split("|", 1)
        return f"`{lever}` alone (of `{bundle}`)"
    return f"`{name}`"


# --------------------------------------------------------------------------- the report's sections
def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


def lever_rows(levers: pd.DataFrame, names: Sequence[str]) -> tuple[list[list[str]], list[str]]:
    """Rows ``lever.setting`` x names of the levers switched on somewhere (``off`` where switched off), and the levers off everywhere."""
    on = levers[levers["enabled"]]["lever"].unique().tolist()
    off = [lv for lv in levers["lever"].unique() if lv not in on]
    rows = []
    for lever in on:
        sub = levers[(levers["lever"] == lever) & (levers["setting"] != "enabled")]
        for setting in sub["setting"].unique():
            row = [f"`{lever}.{setting}`"]
            for name in names:
                cell = sub[(sub["scenario"] == name) & (sub["setting"] == setting)]
                row.append("n/a" if cell.empty else (cell["value"].iloc[0] if bool(cell["enabled"].iloc[0]) else "off"))
            rows.append(row)
    return rows, off


def levers_section(comp, tables: Mapping[str, pd.DataFrame] | None = None) -> list[str]:
    """"Levers as run": every setting of every lever switched on somewhere, per scenario and variant.

    ``tables``: the policy tables (:func:`policy_tables`); by default ``comp.policy``, or computed here.
    """
    if tables is None:
        tables = comp.policy if comp.policy else policy_tables(comp)
    rows, off = lever_rows(tables["policy_levers"], comp.scenarios)
    lines = ["### Levers as run", "",
             "Every setting of each lever switched on in at least one scenario or variant, as run (the scenario file's values "
             "after the comparison's overrides and the variant's own; `off`: the lever is switched off there). "
             "The descriptions above are the scenario files' stories; where they and this table differ, this table holds.", ""]
    if rows:
        lines += _table(["lever setting", *[f"`{n}`" for n in comp.scenarios]], rows) + [""]
    else:
        lines += ["No lever is switched on in any scenario or variant.", ""]
    if off:
        lines += [f"Switched off everywhere: {', '.join(f'`{lv}`' for lv in off)}.", ""]
    return lines


def _ce(table: pd.DataFrame, name: str, metric: str) -> pd.Series:
    return table[(table["scenario"] == name) & (table["metric"] == metric)].iloc[0]


CE_KINDS = {"net_fiscal_cost": "money", "net_fiscal_cost_discounted": "money", "additional_reemployed_12m": "count",
            "additional_job_years": "job_years", "cost_per_additional_reemployed_12m": "money", "cost_per_additional_job_year": "money",
            "cost_per_reemployed_12m": "money"}


def ce_cell(table: pd.DataFrame, name: str, metric: str) -> str:
    """One cell of the cost-effectiveness table: ``estimate [lo, hi]``, or ``not defined``."""
    r = _ce(table, name, metric)
    if str(r["note"]).startswith("not defined"):
        return "not defined"
    return format_band(CE_KINDS[metric], r["estimate"], r["lo"], r["hi"], difference=not metric.startswith("cost_per"))


def ce_sentence(table: pd.DataFrame, name: str, months: int) -> str:
    """The sentence of one scenario or variant: its net cost, gains and costs per unit, each from the table."""
    per = []
    for metric, unit in (("cost_per_additional_reemployed_12m", "additional displaced worker re-employed within 12 months"),
                         ("cost_per_additional_job_year", "additional job-year")):
        r = _ce(table, name, metric)
        if str(r["note"]).startswith("not defined"):
            per.append(f"the cost per {unit} is not defined ({str(r['note']).removeprefix('not defined: ')})")
        else:
            per.append(f"each {unit} cost {ce_cell(table, name, metric)}")
    r = _ce(table, name, "cost_per_reemployed_12m")
    average = ("the net cost per displaced worker it re-employed within 12 months (all of them, not only the additional) is not "
               f"defined ({str(r['note']).removeprefix('not defined: ')})" if str(r["note"]).startswith("not defined") else
               "the net cost per displaced worker it re-employed within 12 months (all of them, not only the additional) is "
               f"{ce_cell(table, name, 'cost_per_reemployed_12m')}")
    return (f"`{name}` against `{REFERENCE}`: net fiscal cost {ce_cell(table, name, 'net_fiscal_cost')} over {months} months "
            f"({ce_cell(table, name, 'net_fiscal_cost_discounted')} discounted to month 0), "
            f"{ce_cell(table, name, 'additional_reemployed_12m')} displaced workers re-employed within 12 months and "
            f"{ce_cell(table, name, 'additional_job_years')} job-years; {per[0]}; {per[1]}; {average}.")


def same_runs(comp) -> str:
    """"the same seeds", and "and parameter draws" when the runs drew their parameters (simulation.compare.resolve_uncertainty)."""
    return "the same seeds and parameter draws" if (getattr(comp, "uncertainty", None) or {}).get("on") else "the same seeds"


def cost_section(comp, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """"Cost-effectiveness": the table and one sentence per policy scenario or variant."""
    ce = tables["policy_cost_effectiveness"]
    names = list(dict.fromkeys(ce["scenario"]))
    lines = ["### Cost-effectiveness", ""]
    if not names:
        return lines + ["No scenario or variant with levers set differently from `baseline`, or no `baseline`: nothing to cost.", ""]
    lines += [f"Against `{REFERENCE}` on {same_runs(comp)}, over months 1 to {comp.months}. The net fiscal cost is the difference of "
              "the ledger's net cost (`fiscal_net_cost`: every outlay minus every revenue, so benefits saved count as savings); "
              "discounted at `fiscal.discount_rate`. Re-employed within 12 months: the workers displaced by AI at least 12 months "
              "before the last month who found a job within 12 months (`displaced_cohort_12m` x `displaced_reemployed_12m_share` "
              "at the last month); the count grows with the displaced cohort as well as with the re-employment share, so a policy "
              "that displaces more workers can re-employ more (`policy_outcomes` has both). Job-years: the employment difference summed over the months, / 12. A cost per unit is the mean "
              "net cost over the mean gain, \"not defined\" when the gain's 90% band does not lie above 0. The cost per re-employed (all) "
              "is the average: the mean net cost over the mean number of displaced workers the scenario re-employed within 12 "
              "months, additional or not (what the programme spent per worker re-employed, defined even where it added none).", ""]
    header = ["", "net fiscal cost", "discounted", "additional re-employed within 12 months", "cost per additional re-employed",
              "cost per re-employed (all)", "additional job-years", "cost per additional job-year"]
    rows = [[f"`{n}`", *[ce_cell(ce, n, m) for m in ("net_fiscal_cost", "net_fiscal_cost_discounted", "additional_reemployed_12m",
                                                      "cost_per_additional_reemployed_12m", "cost_per_reemployed_12m",
                                                      "additional_job_years", "cost_per_additional_job_year")]] for n in names]
    lines += _table(header, rows) + [""]
    lines += [f"- {ce_sentence(ce, n, comp.months)}" for n in names] + [""]
    return lines


def _dec(table: pd.DataFrame, bundle: str, component: str, outcome: str) -> pd.Series:
    return table[(table["bundle"] == bundle) & (table["component"] == component) & (table["outcome"] == outcome)].iloc[0]


def dec_cell(table: pd.DataFrame, bundle: str, component: str, outcome: str) -> str:
    """``mean [lo, hi]`` of one part of a decomposition."""
    r = _dec(table, bundle, component, outcome)
    return format_band(OUTCOMES[outcome][1], r["mean"], r["lo"], r["hi"])


def dec_sentence(table: pd.DataFrame, bundle: str, outcome: str) -> str:
    """What one outcome's effect came from: the bundle's mean effect, each part alone and the interaction, from the table."""
    parts = [c for c in dict.fromkeys(table[table["bundle"] == bundle]["component"]) if c not in ("interaction", "bundle")]
    text = (f"{OUTCOMES[outcome][0][0].upper() + OUTCOMES[outcome][0][1:]}: `{bundle}` {dec_cell(table, bundle, 'bundle', outcome)} "
            f"against `{REFERENCE}`; " + ", ".join(f"`{p}` alone {dec_cell(table, bundle, p, outcome)}" for p in parts)
            + f"; interaction {dec_cell(table, bundle, 'interaction', outcome)}.")
    if len(parts) > 1:
        means = {p: abs(float(_dec(table, bundle, p, outcome)["mean"])) for p in parts}
        top = max(means, key=means.get)
        if means[top] > 0 and sorted(means.values())[-2] < means[top]:
            text += f" The part alone with the largest effect in absolute value is `{top}`."
    return text


def decomposition_section(comp, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """"What the gain came from": per decomposed scenario or variant, each lever alone, the interaction and the bundle."""
    dec = tables["policy_decomposition"]
    bundles = list(dict.fromkeys(dec["bundle"]))
    lines = ["### What the gain came from", ""]
    if not bundles:
        return lines + ["No lever decomposition was run (`decompose=[...]`).", ""]
    lines += [f"Each lever of a scenario run alone (`{REFERENCE}` plus that lever's settings) on {same_runs(comp)}. Per seed, a lever's "
              f"part is its run alone minus `{REFERENCE}`; the interaction is the bundle's effect minus the sum of the parts, so the "
              "parts and the interaction add up to the bundle's effect on every seed (`policy_decomposition_seeds`). Means across "
              f"the replications (so that they add up) with 90% bands; shares in percentage points (pp), the fiscal cost in the profile's currency ({_CURRENCY.get()}).", ""]
    for bundle in bundles:
        sub = dec[dec["bundle"] == bundle]
        comps = list(dict.fromkeys(sub["component"]))
        if set(comps) <= {"interaction", "bundle"}:
            lines += [f"#### `{bundle}`", "", f"`{bundle}` sets no lever differently from `{REFERENCE}`: nothing to decompose.", ""]
            continue
        outs = list(dict.fromkeys(sub["outcome"]))
        rows = [[("**bundle**" if c == "bundle" else c if c == "interaction" else f"`{c}` alone"),
                 *[dec_cell(dec, bundle, c, o) for o in outs]] for c in comps]
        lines += [f"#### `{bundle}`", ""] + _table(["part", *[OUTCOMES[o][0] for o in outs]], rows) + [""]
        lines += [f"- {dec_sentence(dec, bundle, o)}" for o in outs] + [""]
    return lines


TAKE_UP_KINDS = {"seat_use": "share", "deadweight_share": "share", "substitution_share": "share", "net_jobs_mean": "job_years"}


def take_up_cell(table: pd.DataFrame, name: str, metric: str) -> str:
    """``mean [lo, hi]`` of one take-up metric (counts, or the share of seats used), ``n/a`` if absent."""
    r = table[(table["scenario"] == name) & (table["metric"] == metric)]
    if r.empty:
        return "n/a"
    r = r.iloc[0]
    kind = TAKE_UP_KINDS.get(metric, "count" if metric in TAKE_UP else "share")
    if math.isnan(float(r["lo"])):
        return format_outcome(kind, r["mean"], difference=False)
    return format_band(kind, r["mean"], r["lo"], r["hi"], difference=False)


def take_up_section(comp, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """"Take-up and seat use": each programme's use per scenario and variant."""
    tu = tables["policy_take_up"]
    metrics = list(dict.fromkeys(tu["metric"]))
    lines = ["### Take-up and seat use", ""]
    if not metrics:
        return lines + ["No take-up column in the runs' outputs.", ""]
    docs = {m: TAKE_UP[m][0] for m in TAKE_UP} | {
        "seat_use": "seat use (subsidised starts / seats offered)",
        "deadweight_share": "subsidised hires that would have happened anyway (deadweight share)",
        "substitution_share": "other job seekers' hires displaced, per subsidised hire (substitution share)",
        "net_jobs_mean": "net jobs while the hiring subsidy acts (mean employment difference)"}
    hiring = (" Deadweight, substitution and net jobs of the hiring subsidy are measured against `baseline` on the same seed "
              "over the months from the first subsidised hire (`simulation.subsidy_effects.hiring_effects`); `n/a` where a "
              "scenario made no subsidised hire; in a scenario with other levers too, their effects are in these differences (a "
              "lever-alone column of a decomposition has the lever's own)." if set(HIRING) & set(metrics) else "")
    lines += ["Per run, totals over months 1 to T (benefit recipients: the mean a month); means across the replications "
              "with 90% bands." + hiring, ""]
    names = list(dict.fromkeys(tu["scenario"]))
    lines += _table(["", *[column_title(n) for n in names]],
                    [[docs.get(m, m), *[take_up_cell(tu, n, m) for n in names]] for m in metrics]) + [""]
    return lines


def policy_sections(comp) -> list[str]:
    """The report's policy evaluation against ``baseline`` (Markdown lines); the levers as run are :func:`levers_section`.

    Uses ``comp.policy`` (computed by :func:`simulation.compare.compare`); a comparison built otherwise gets its tables here.
    """
    tables = comp.policy if comp.policy else policy_tables(comp)
    lines = [f"## Policy evaluation against `{REFERENCE}`", ""]
    if REFERENCE not in comp.scenarios:
        return lines + [f"None: the evaluation needs `{REFERENCE}` among the scenarios.", ""]
    lines += [f"Means across the {comp.replications} replications of paired differences (scenario minus `{REFERENCE}` on the "
              f"same seed), with a 90% band from a paired bootstrap ({BOOTSTRAP:,} resamples of the replications; the 5th to "
              "95th percentile of the resampled means). Means rather than medians so that the parts of a decomposition add up; "
              "with few replications the bootstrap band is a little too narrow.", ""]
    lines += cost_section(comp, tables)
    lines += decomposition_section(comp, tables)
    lines += take_up_section(comp, tables)
    return lines


__all__ = ["DECOMPOSED", "OUTCOMES", "TAKE_UP", "cost_effectiveness", "decomposition", "format_money", "lever_table", "levers_section", "mean_band",
           "paired", "policy_names", "policy_sections", "policy_tables", "ratio_band", "run_outcomes", "take_up"]
