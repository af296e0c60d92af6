"""Results: the month's flows, series preallocated for the horizon, and tidy tables.

The column lists below are the output contract; ``docs/OUTPUTS.md`` documents
every column (meaning and unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import LANES
from .metrics import safe_ratio, weighted_gini
from .processes.grouping import flatnonzero
from .state import EMPLOYED, OUT_OF_LABOR_FORCE, RETIRED, RETRAINING, STAGES, UNEMPLOYED

FLOW_SCALARS = (
    "hires_from_unemployed", "job_to_job", "separations_ai", "layoffs_other", "quits",
    "retirements_employed", "retirements_unemployed", "retirements_retraining", "retirements_olf",
    "graduates", "exits_to_olf", "retraining_started", "retraining_completed", "retraining_dropped",
    "retraining_started_subsidized", "retraining_started_project", "firms_stalled", "applications", "offers",
    "entrants_other_sectors",
)
FLOW_BY_OCCUPATION = (
    "separations_ai_occ", "separations_other_occ", "hires_occ", "hires_from_unemployed_occ",
    "hires_from_unemployed_by_own_occ", "vacancies_occ", "searchers_occ", "retraining_started_occ",
    "retraining_completed_occ", "graduates_occ",
)
FLOW_BY_STAGE = ("separations_ai_stage", "hires_stage", "retraining_started_stage")

TIMESERIES_COLUMNS = (
    "month", "population", "employed", "unemployed", "retraining", "out_of_labor_force", "labor_force",
    "retired_cumulative", "vacancies", "applications", "offers", "hires", "hires_from_unemployed", "job_to_job",
    "separations_ai", "separations_other", "layoffs_other", "quits", "retirements",
    "retirements_employed", "retirements_unemployed", "retirements_retraining", "retirements_olf",
    "graduates", "graduates_ai", "entrants_other_sectors", "exits_to_olf", "ai_displaced_cumulative",
    "retraining_started", "retraining_completed", "retraining_dropped", "retraining_started_subsidized",
    "retraining_started_project", "unemployment_rate", "vacancy_rate", "long_term_unemployment_share",
    "displaced_unemployed", "displaced_retraining", "displaced_employed", "displaced_out_of_labor_force",
    "displaced_cohort_6m", "displaced_cohort_12m", "displaced_cohort_24m",
    "displaced_reemployed_6m_share", "displaced_reemployed_12m_share", "displaced_reemployed_24m_share",
    "displaced_wage_change", "mean_wage", "mean_wage_ai_core", "mean_wage_ai_adjacent", "mean_wage_traditional",
    "ai_wage_premium", "wage_gini", "mean_ai_adoption", "ai_capability", "mean_expected_return",
    "firms_stalled_cumulative", "demand_cycle", "wage_bill", "hiring_budget", "min_budget_slack",
)
OCCUPATION_COLUMNS = (
    "employed", "unemployed", "retraining_into", "vacancies", "hires", "separations_ai", "separations_other",
    "retraining_started", "retraining_completed", "graduates", "demand", "mean_wage", "wage_index",
)
STAGE_COLUMNS = (
    "employed", "unemployed", "retraining", "out_of_labor_force", "hires", "separations_ai",
    "retraining_started", "displaced_cohort_12m", "displaced_reemployed_12m_share",
)
COUNT_COLUMNS = tuple(c for c in TIMESERIES_COLUMNS if not any(
    c.startswith(p) for p in ("unemployment_rate", "vacancy_rate", "long_term", "displaced_reemployed", "displaced_wage",
                              "mean_", "ai_", "wage_", "demand_cycle", "hiring_budget", "min_budget")))


def new_flows(n_occupations: int) -> dict:
    """Zeroed counters for one month."""
    flows: dict = {k: 0 for k in FLOW_SCALARS}
    flows.update({k: np.zeros(n_occupations, dtype=np.int64) for k in FLOW_BY_OCCUPATION})
    flows.update({k: np.zeros(len(STAGES), dtype=np.int64) for k in FLOW_BY_STAGE})
    return flows


def reemployment_share(disp_month, reemp_month, month: int, horizon: int, mask=None) -> tuple[int, float]:
    """Cohort size and share re-employed within ``horizon`` months among workers displaced at least ``horizon`` months ago."""
    cohort = (disp_month > 0) & (disp_month <= month - horizon)
    if mask is not None:
        cohort &= mask
    n = int(cohort.sum())
    done = cohort & (reemp_month >= 0) & (reemp_month - disp_month <= horizon)
    return n, safe_ratio(done.sum(), n)


def reemployment_cohorts(disp_month, reemp_month, stage, month: int, horizons, stage_horizon: int, n_stages: int):
    """:func:`reemployment_share` for several horizons at once, and per career stage at one horizon.

    Returns ``({horizon: (n, share)}, [(n, share) per stage at stage_horizon])``.
    """
    h = np.asarray(horizons)[:, None]
    cohort = (disp_month > 0) & (disp_month <= month - h)
    done = cohort & (reemp_month >= 0) & (reemp_month - disp_month <= h)
    n, n_done = cohort.sum(axis=1), done.sum(axis=1)
    by_horizon = {int(k): (int(a), safe_ratio(b, a)) for k, a, b in zip(horizons, n, n_done, strict=True)}
    row = list(horizons).index(stage_horizon)
    n_s = np.bincount(stage.compress(cohort[row]), minlength=n_stages)
    done_s = np.bincount(stage.compress(done[row]), minlength=n_stages)
    return by_horizon, [(int(a), safe_ratio(b, a)) for a, b in zip(n_s, done_s, strict=True)]


class Recorder:
    """Preallocated monthly series, filled by :meth:`record` at the end of every month."""

    def __init__(self, model):
        self.model = model
        n_rows = model.cfg.months + 1
        n_occ = model.occupations.n
        self.ts = np.full((n_rows, len(TIMESERIES_COLUMNS)), np.nan)
        self.occ = np.full((n_rows, n_occ, len(OCCUPATION_COLUMNS)), np.nan)
        self.stage = np.full((n_rows, len(STAGES), len(STAGE_COLUMNS)), np.nan)
        self.rows = 0
        self._cum = {"ai": 0, "retired": 0, "stalled": 0}
        self._col = {c: i for i, c in enumerate(TIMESERIES_COLUMNS)}

    def record(self) -> None:
        """Write the current month's stocks, flows and indicators."""
        m = self.model
        if self.rows >= self.ts.shape[0]:
            raise RuntimeError(f"the run is longer than its configured horizon ({m.cfg.months} months)")
        w, f, fl, occ = m.workers, m.firms, m.flows, m.occupations
        n_occ, n_stage = occ.n, len(STAGES)
        live = slice(0, m.next_slot)
        status = w.status[live]

        # counts by (status, occupation) and (status, stage); within the live slice status is 0..4 (retired = 4) and
        # the stage steps up at each career-age threshold. The employed, most of the population, are counted by
        # occupation from the firms' headcounts and by stage from two age counts; everyone else in one bincount
        # of (status, occupation, stage) codes.
        demo = m.cfg.demography
        age = w.age[live]
        employed = status == EMPLOYED
        t_lo, t_hi = sorted((demo.early_career_max_age, demo.mid_career_max_age))
        older = [int(np.count_nonzero(employed & (age >= t))) for t in (t_lo, t_hi)]
        others = np.flatnonzero(~employed)
        code = status.take(others).astype(np.int64)
        code *= n_occ * n_stage
        code += w.occupation.take(others) * n_stage
        age_o = age.take(others)
        code += age_o >= demo.early_career_max_age
        code += age_o >= demo.mid_career_max_age
        cube = np.bincount(code, minlength=5 * n_occ * n_stage).reshape(5, n_occ, n_stage)
        by_status_occ = cube[:4].sum(axis=2)
        by_status_stage = cube[:4].sum(axis=1)
        by_status_occ[EMPLOYED] = f.headcount.sum(axis=0)
        by_status_stage[EMPLOYED] = (int(employed.sum()) - older[0], older[0] - older[1], older[1])
        n_emp, n_unemp, n_train, n_olf = (int(by_status_occ[s].sum()) for s in (EMPLOYED, UNEMPLOYED, RETRAINING, OUT_OF_LABOR_FORCE))
        retired_total = int(cube[RETIRED].sum())  # burn-in retirees were compacted away before month 0

        # everyone employed in a (firm, occupation) cell earns that cell's wage this month
        head, cell_wage = f.headcount, m.current_wage
        head_wage = head * cell_wage
        wage_occ = head_wage.sum(axis=0)
        gini = weighted_gini(cell_wage.ravel(), head.ravel())  # cells with no one weigh nothing
        wage_bill = head_wage.sum(axis=1)
        slack = np.min((f.budget - wage_bill) / f.budget) if f.n else 0.0

        lane_wage = {}
        for i, lane in enumerate(LANES):
            sel = occ.lane == i
            lane_wage[lane] = safe_ratio(wage_occ[sel].sum(), by_status_occ[0, sel].sum())

        unemp = status == UNEMPLOYED
        ltu = int(np.count_nonzero(unemp & (w.months_unemployed[live] >= 12)))
        disp = flatnonzero(w.displaced[live])
        dm, rm, dst = w.displaced_month.take(disp), w.reemployed_month.take(disp), status.take(disp)
        t = m.month
        dstage = w.displaced_stage.take(disp)
        cohorts, stage_cohort = reemployment_cohorts(dm, rm, dstage, t, (6, 12, 24), 12, n_stage)
        back = disp.compress(rm >= 0)
        wage_change = float(np.mean(w.reemployed_wage.take(back) / w.displaced_wage.take(back) - 1.0)) if back.size else 0.0

        self._cum["ai"] += fl["separations_ai"]
        self._cum["stalled"] += fl["firms_stalled"]
        retired_now = sum(fl[f"retirements_{k}"] for k in ("employed", "unemployed", "retraining", "olf"))
        self._cum["retired"] += retired_now
        vac_occ = fl["vacancies_occ"]
        V = int(vac_occ.sum())
        sep_other = fl["layoffs_other"] + fl["quits"] + fl["job_to_job"]
        ai_field = occ.lane != LANES.index("traditional")

        row = {
            "month": t, "population": n_emp + n_unemp + n_train + n_olf, "employed": n_emp, "unemployed": n_unemp,
            "retraining": n_train, "out_of_labor_force": n_olf, "labor_force": n_emp + n_unemp, "retired_cumulative": retired_total,
            "vacancies": V, "applications": fl["applications"], "offers": fl["offers"], "hires": int(fl["hires_occ"].sum()), "hires_from_unemployed": fl["hires_from_unemployed"],
            "job_to_job": fl["job_to_job"], "separations_ai": fl["separations_ai"], "separations_other": sep_other,
            "layoffs_other": fl["layoffs_other"], "quits": fl["quits"], "retirements": retired_now,
            "retirements_employed": fl["retirements_employed"], "retirements_unemployed": fl["retirements_unemployed"],
            "retirements_retraining": fl["retirements_retraining"], "retirements_olf": fl["retirements_olf"],
            "graduates": fl["graduates"], "graduates_ai": int(fl["graduates_occ"][ai_field].sum()),
            "entrants_other_sectors": fl["entrants_other_sectors"],
            "exits_to_olf": fl["exits_to_olf"], "ai_displaced_cumulative": self._cum["ai"],
            "retraining_started": fl["retraining_started"], "retraining_completed": fl["retraining_completed"],
            "retraining_dropped": fl["retraining_dropped"], "retraining_started_subsidized": fl["retraining_started_subsidized"],
            "retraining_started_project": fl["retraining_started_project"],
            "unemployment_rate": safe_ratio(n_unemp, n_emp + n_unemp), "vacancy_rate": safe_ratio(V, n_emp + V),
            "long_term_unemployment_share": safe_ratio(ltu, n_unemp),
            "displaced_unemployed": int(np.count_nonzero(dst == UNEMPLOYED)),
            "displaced_retraining": int(np.count_nonzero(dst == RETRAINING)),
            "displaced_employed": int(np.count_nonzero(dst == EMPLOYED)),
            "displaced_out_of_labor_force": int(np.count_nonzero(dst == OUT_OF_LABOR_FORCE)),
            "displaced_cohort_6m": cohorts[6][0], "displaced_cohort_12m": cohorts[12][0], "displaced_cohort_24m": cohorts[24][0],
            "displaced_reemployed_6m_share": cohorts[6][1], "displaced_reemployed_12m_share": cohorts[12][1],
            "displaced_reemployed_24m_share": cohorts[24][1], "displaced_wage_change": wage_change,
            "mean_wage": safe_ratio(wage_occ.sum(), n_emp), "mean_wage_ai_core": lane_wage["ai_core"],
            "mean_wage_ai_adjacent": lane_wage["ai_adjacent"], "mean_wage_traditional": lane_wage["traditional"],
            "ai_wage_premium": safe_ratio(lane_wage["ai_core"], lane_wage["traditional"]) - 1.0 if lane_wage["traditional"] > 0 else 0.0,
            "wage_gini": gini, "mean_ai_adoption": float(f.adoption.mean()), "ai_capability": m.capability,
            "mean_expected_return": float(f.expected_return.mean()), "firms_stalled_cumulative": self._cum["stalled"],
            "demand_cycle": m.cycle, "wage_bill": float(wage_bill.sum()), "hiring_budget": float(f.budget.sum()),
            "min_budget_slack": float(slack),
        }
        r = self.rows
        self.ts[r] = [row[c] for c in TIMESERIES_COLUMNS]

        in_training = status == RETRAINING
        into = np.bincount(w.train_target[live].compress(in_training).astype(np.int64), minlength=n_occ)
        occ_cols = {
            "employed": by_status_occ[0], "unemployed": by_status_occ[1], "retraining_into": into,
            "vacancies": vac_occ, "hires": fl["hires_occ"], "separations_ai": fl["separations_ai_occ"],
            "separations_other": fl["separations_other_occ"], "retraining_started": fl["retraining_started_occ"],
            "retraining_completed": fl["retraining_completed_occ"], "graduates": fl["graduates_occ"],
            "demand": f.demand.sum(axis=0), "mean_wage": np.where(by_status_occ[0] > 0, wage_occ / np.maximum(by_status_occ[0], 1), 0.0),
            "wage_index": m.market.wage_index,
        }
        self.occ[r] = np.stack([np.asarray(occ_cols[c], dtype=np.float64) for c in OCCUPATION_COLUMNS], axis=1)

        stage_cols = {
            "employed": by_status_stage[0], "unemployed": by_status_stage[1], "retraining": by_status_stage[2],
            "out_of_labor_force": by_status_stage[3], "hires": fl["hires_stage"], "separations_ai": fl["separations_ai_stage"],
            "retraining_started": fl["retraining_started_stage"],
            "displaced_cohort_12m": [c[0] for c in stage_cohort], "displaced_reemployed_12m_share": [c[1] for c in stage_cohort],
        }
        self.stage[r] = np.stack([np.asarray(stage_cols[c], dtype=np.float64) for c in STAGE_COLUMNS], axis=1)
        self.rows += 1

    def results(self) -> Results:
        """The tables recorded so far."""
        m = self.model
        n = self.rows
        ts = pd.DataFrame(self.ts[:n], columns=list(TIMESERIES_COLUMNS))
        for c in COUNT_COLUMNS:
            ts[c] = ts[c].astype(np.int64)
        names, lanes = list(m.occupations.names), m.occupations.lane_names
        months = np.repeat(np.arange(n), len(names))
        by_occ = pd.DataFrame(self.occ[:n].reshape(n * len(names), -1), columns=list(OCCUPATION_COLUMNS))
        by_occ.insert(0, "month", months)
        by_occ.insert(1, "occupation", np.tile(names, n))
        by_occ.insert(2, "lane", np.tile(lanes, n))
        for c in OCCUPATION_COLUMNS:
            if c not in ("mean_wage", "wage_index"):
                by_occ[c] = by_occ[c].astype(np.int64)
        by_stage = pd.DataFrame(self.stage[:n].reshape(n * len(STAGES), -1), columns=list(STAGE_COLUMNS))
        by_stage.insert(0, "month", np.repeat(np.arange(n), len(STAGES)))
        by_stage.insert(1, "stage", np.tile(STAGES, n))
        for c in STAGE_COLUMNS:
            if c != "displaced_reemployed_12m_share":
                by_stage[c] = by_stage[c].astype(np.int64)
        return Results(timeseries=ts, by_occupation=by_occ, by_stage=by_stage, scenario=m.cfg.scenario, seed=int(m.cfg.seed))


@dataclass
class Results:
    """One run's tables (one row per month; per month and occupation; per month and career stage)."""

    timeseries: pd.DataFrame
    by_occupation: pd.DataFrame
    by_stage: pd.DataFrame
    scenario: str = "baseline"
    seed: int = 0
    config: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by file stem."""
        return {"timeseries": self.timeseries, "by_occupation": self.by_occupation, "by_stage": self.by_stage}

    def to_frame(self, table: str = "timeseries", **columns) -> pd.DataFrame:
        """A tidy copy of one table with ``scenario``, ``seed`` and any extra columns (swept parameters) in front."""
        df = self.tables()[table].copy()
        extra = {"scenario": self.scenario, "seed": self.seed, **columns}
        for i, (k, v) in enumerate(extra.items()):
            df.insert(i, k, v)
        return df


def summarize(ts: pd.DataFrame) -> dict:
    """Headline indicators of one run."""
    last = ts.iloc[-1]
    u0 = float(ts["unemployment_rate"].iloc[0])
    peak_i = int(ts["unemployment_rate"].idxmax())

    def at(month: int, col: str) -> float:
        sub = ts.loc[ts["month"] <= month, col]
        return float(sub.iloc[-1])

    after = ts.loc[ts.index > peak_i]
    back = after.loc[(after["unemployment_rate"] - u0).abs() <= 0.005, "month"]
    return {
        "months": int(last["month"]),
        "population_final": int(last["population"]),
        "unemployment_rate_initial": u0,
        "unemployment_rate_peak": float(ts["unemployment_rate"].max()),
        "unemployment_rate_peak_month": int(ts["month"].iloc[peak_i]),
        "unemployment_rate_final": float(last["unemployment_rate"]),
        "months_to_recover_unemployment": int(back.iloc[0] - ts["month"].iloc[peak_i]) if len(back) else None,
        "ai_displaced_by_month_60": int(at(60, "ai_displaced_cumulative")),
        "ai_displaced_final": int(last["ai_displaced_cumulative"]),
        "displaced_reemployed_12m_share_final": float(last["displaced_reemployed_12m_share"]),
        "displaced_wage_change_final": float(last["displaced_wage_change"]),
        "retraining_started_total": int(ts["retraining_started"].sum()),
        "retraining_completed_total": int(ts["retraining_completed"].sum()),
        "retraining_dropped_total": int(ts["retraining_dropped"].sum()),
        "long_term_unemployment_share_final": float(last["long_term_unemployment_share"]),
        "ai_wage_premium_final": float(last["ai_wage_premium"]),
        "wage_gini_final": float(last["wage_gini"]),
        "mean_ai_adoption_final": float(last["mean_ai_adoption"]),
    }
