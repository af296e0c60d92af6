"""Accounting: stocks and flows add up month to month, tables agree, budgets hold.

MODEL.md, "What must always hold": every worker is in exactly one status;
stocks and flows add up month to month; no negative counts, no NaN; headcount
never exceeds what the budget pays. Checked on the baseline and on two
policy-heavy scenarios (a strong safety net; a hype cycle, where budgets fall
when firms stall their AI projects).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.config import to_config
from simulation.model import LaborMarketModel
from simulation.results import COUNT_COLUMNS, SECTOR_COLUMNS, STAGE_COLUMNS
from simulation.state import EMPLOYED, LEFT_SECTOR, OUT_OF_LABOR_FORCE, RETIRED, RETRAINING, UNBORN, UNEMPLOYED

SCENARIOS = ("baseline", "safety_net", "hype_cycle", "baseline@us")  # the default profile (china), and the US profile
WORKERS, MONTHS, SEED = 5_000, 120, 3
STEP_WORKERS, STEP_MONTHS = 4_000, 60

# flows into the population from outside it, besides graduates
OUTSIDE_ENTRY_COLUMNS = ("entrants_other_sectors",)


@pytest.fixture(scope="module", params=SCENARIOS)
def res(request, run_scenario_fn):
    name, _, profile = request.param.partition("@")
    return run_scenario_fn(name, seed=SEED, workers=WORKERS, months=MONTHS, extra_overrides=[f"profile={profile}"] if profile else [])


def _entrants(ts: pd.DataFrame) -> pd.Series:
    return ts[list(OUTSIDE_ENTRY_COLUMNS)].sum(axis=1)


def assert_exact(lhs: pd.Series, rhs: pd.Series, months: pd.Series, what: str) -> None:
    """Two integer series are equal in every month; otherwise name the first month that breaks."""
    lhs, rhs = np.asarray(lhs), np.asarray(rhs)
    bad = np.flatnonzero(lhs != rhs)
    assert bad.size == 0, (
        f"{what}: broken in {bad.size} of {lhs.size} months; first at month {int(np.asarray(months)[bad[0]])}: "
        f"expected {rhs[bad[0]]}, got {lhs[bad[0]]}"
    )


# --------------------------------------------------------------------------- stocks
def test_statuses_partition_the_population(res):
    ts = res.timeseries
    total = ts["employed"] + ts["unemployed"] + ts["retraining"] + ts["out_of_labor_force"]
    assert_exact(total, ts["population"], ts["month"], f"{res.scenario}: E + U + R + O == population")
    assert_exact(ts["labor_force"], ts["employed"] + ts["unemployed"], ts["month"], f"{res.scenario}: labor_force == E + U")
    bi = {k: res.summary[f"burn_in_{k}"] for k in ("months", "graduates", "entrants_other_sectors", "retirements", "left_sector")}
    # the population drawn, plus who entered, retired and left the sector in the burn-in before month 0
    expected = WORKERS + bi["graduates"] + bi["entrants_other_sectors"] - bi["retirements"] - bi["left_sector"]
    assert bi["months"] > 0 and bi["graduates"] > 0, f"{res.scenario}: the default run should have a burn-in with a graduate cohort; got {bi}"
    assert int(ts["population"].iloc[0]) == expected, f"{res.scenario}: month-0 population expected {expected} ({bi}), got {ts['population'].iloc[0]}"


def test_population_changes_by_entries_and_retirements(res):
    ts = res.timeseries
    cur, prev = ts.iloc[1:], ts.shift(1).iloc[1:]
    expected = prev["population"] + cur["graduates"] + _entrants(ts).iloc[1:] - cur["retirements"] - cur["left_sector"]
    assert_exact(cur["population"], expected, cur["month"],
                 f"{res.scenario}: population_t = population_t-1 + graduates + entrants - retirements - left_sector")
    parts = cur[["retirements_employed", "retirements_unemployed", "retirements_retraining", "retirements_olf"]].sum(axis=1)
    assert_exact(cur["retirements"], parts, cur["month"], f"{res.scenario}: retirements == sum of retirements by status")
    assert_exact(ts["retired_cumulative"], ts["retirements"].cumsum(), ts["month"], f"{res.scenario}: retired_cumulative == cumsum(retirements)")


def test_employment_stock_flow(res):
    ts = res.timeseries
    cur, prev = ts.iloc[1:], ts.shift(1).iloc[1:]
    expected = (prev["employed"] + cur["hires"] - cur["separations_ai"] - cur["separations_other"] - cur["retirements_employed"]
                - cur["exits_to_olf_employed"])
    assert_exact(cur["employed"], expected, cur["month"],
                 f"{res.scenario}: E_t = E_t-1 + hires - separations_ai - separations_other - retirements_employed - exits_to_olf_employed")


def test_unemployment_stock_flow(res):
    ts = res.timeseries
    cur, prev = ts.iloc[1:], ts.shift(1).iloc[1:]
    inflow = (cur["separations_ai"] + cur["layoffs_other"] + cur["quits"] + cur["graduates"] - cur["graduates_hired_on_entry"] + _entrants(ts).iloc[1:]
              + cur["retraining_completed"] + cur["retraining_dropped"] + cur["reentries"])
    outflow = cur["hires_from_unemployed"] + cur["retraining_started"] + cur["exits_to_olf"] + cur["retirements_unemployed"]
    assert_exact(cur["unemployed"], prev["unemployed"] + inflow - outflow, cur["month"],
                 f"{res.scenario}: U_t = U_t-1 + separations_ai + layoffs_other + quits + graduates - graduates_hired_on_entry + entrants + retraining_completed "
                 "+ retraining_dropped + reentries - hires_from_unemployed - retraining_started - exits_to_olf - retirements_unemployed")


def test_retraining_stock_flow(res):
    ts = res.timeseries
    cur, prev = ts.iloc[1:], ts.shift(1).iloc[1:]
    expected = (prev["retraining"] + cur["retraining_started"] - cur["retraining_completed"] - cur["retraining_dropped"]
                - cur["retirements_retraining"])
    assert_exact(cur["retraining"], expected, cur["month"],
                 f"{res.scenario}: R_t = R_t-1 + started - completed - dropped - retirements_retraining")


def test_out_of_labor_force_stock_flow(res):
    ts = res.timeseries
    cur, prev = ts.iloc[1:], ts.shift(1).iloc[1:]
    expected = (prev["out_of_labor_force"] + cur["exits_to_olf"] + cur["exits_to_olf_employed"] - cur["reentries"] - cur["retirements_olf"]
                - cur["left_sector"])
    assert_exact(cur["out_of_labor_force"], expected, cur["month"],
                 f"{res.scenario}: O_t = O_t-1 + exits_to_olf + exits_to_olf_employed - reentries - retirements_olf - left_sector")
    for c in ("exits_to_olf", "exits_to_olf_employed", "reentries", "left_sector"):  # the identities above are checked with every flow acting
        assert (res.timeseries[c].iloc[1:] > 0).any(), f"{res.scenario}: {c} should be positive in some month"


def test_separation_and_hire_decompositions(res):
    ts = res.timeseries
    assert_exact(ts["separations_other"], ts["layoffs_other"] + ts["quits"] + ts["job_to_job"], ts["month"],
                 f"{res.scenario}: separations_other == layoffs_other + quits + job_to_job")
    assert_exact(ts["hires"], ts["hires_from_unemployed"] + ts["job_to_job"] + ts["graduates_hired_on_entry"], ts["month"],
                 f"{res.scenario}: hires == hires_from_unemployed + job_to_job + graduates_hired_on_entry")
    assert_exact(ts["ai_displaced_cumulative"], ts["separations_ai"].cumsum(), ts["month"],
                 f"{res.scenario}: ai_displaced_cumulative == cumsum(separations_ai)")


def test_flows_of_subgroups_within_their_totals(res):
    ts = res.timeseries
    for part, whole in (("retraining_started_subsidized", "retraining_started"), ("retraining_started_project", "retraining_started"),
                        ("graduates_ai", "graduates"), ("hires_from_unemployed", "hires"),
                        ("retraining_completed_project", "retraining_completed"),
                        ("found_job_12m_certificate", "completed_12m_ago_certificate"), ("found_job_12m_project", "completed_12m_ago_project")):
        over = ts[part] > ts[whole]
        assert not over.any(), f"{res.scenario}: {part} <= {whole} expected; broken in months {ts.loc[over, 'month'].tolist()[:5]}"
    displaced_stocks = ts[["displaced_unemployed", "displaced_retraining", "displaced_employed", "displaced_out_of_labor_force"]].sum(axis=1)
    over = displaced_stocks > ts["ai_displaced_cumulative"]
    assert not over.any(), (f"{res.scenario}: living displaced workers (by status) cannot outnumber displacements so far; "
                            f"broken in months {ts.loc[over, 'month'].tolist()[:5]}")


# --------------------------------------------------------------------------- the three tables agree
@pytest.mark.parametrize("column", ["employed", "unemployed", "hires", "separations_ai", "vacancies", "separations_other", "retraining_started",
                                    "retraining_completed_project", "completed_12m_ago_certificate", "completed_12m_ago_project",
                                    "found_job_12m_certificate", "found_job_12m_project"])
def test_by_occupation_sums_to_timeseries(res, column):
    ts = res.timeseries.set_index("month")
    by = res.by_occupation.groupby("month")[column].sum()
    assert_exact(by.reindex(ts.index), ts[column], ts.index.to_series(), f"{res.scenario}: sum over occupations of by_occupation.{column} == timeseries.{column}")


def test_by_occupation_graduates_sum_to_timeseries(res):
    ts = res.timeseries.set_index("month")
    by = res.by_occupation.groupby("month")["graduates"].sum()
    assert_exact(by.reindex(ts.index), ts["graduates"], ts.index.to_series(), f"{res.scenario}: sum of by_occupation.graduates == timeseries.graduates")


@pytest.mark.parametrize("column", ["employed", "unemployed", "retraining", "out_of_labor_force", "hires", "separations_ai", "retraining_started"])
def test_by_stage_sums_to_timeseries(res, column):
    ts = res.timeseries.set_index("month")
    by = res.by_stage.groupby("month")[column].sum()
    assert_exact(by.reindex(ts.index), ts[column], ts.index.to_series(), f"{res.scenario}: sum over stages of by_stage.{column} == timeseries.{column}")


@pytest.mark.parametrize("column", ["employed", "hires", "separations_ai", "vacancies", "hires_domain_match"])
def test_by_sector_sums_to_timeseries(res, column):
    ts = res.timeseries.set_index("month")
    by = res.by_sector.groupby("month")[column].sum()
    assert_exact(by.reindex(ts.index), ts[column], ts.index.to_series(), f"{res.scenario}: sum over sectors of by_sector.{column} == timeseries.{column}")


def test_table_shapes(res):
    ts, bo, bs = res.timeseries, res.by_occupation, res.by_stage
    n_sec = res.by_sector["sector"].nunique()
    assert len(res.by_sector) == (MONTHS + 1) * n_sec, f"{res.scenario}: by_sector expected {(MONTHS + 1) * n_sec} rows, got {len(res.by_sector)}"
    assert ts["month"].tolist() == list(range(MONTHS + 1)), f"{res.scenario}: timeseries months expected 0..{MONTHS}"
    n_occ = bo["occupation"].nunique()
    assert len(bo) == (MONTHS + 1) * n_occ, f"{res.scenario}: by_occupation expected {(MONTHS + 1) * n_occ} rows, got {len(bo)}"
    assert len(bs) == (MONTHS + 1) * 3, f"{res.scenario}: by_stage expected {(MONTHS + 1) * 3} rows (early, mid, late), got {len(bs)}"


# --------------------------------------------------------------------------- no NaN, no negative counts
@pytest.mark.parametrize("table", ["timeseries", "by_occupation", "by_stage", "by_sector"])
def test_no_nan(res, table):
    df = res.tables()[table]
    nan_cols = [c for c in df.columns if df[c].isna().any()]
    assert not nan_cols, f"{res.scenario}: {table} has NaN in columns {nan_cols}"
    num = df.select_dtypes("number")
    inf_cols = [c for c in num.columns if np.isinf(num[c].to_numpy(dtype=float)).any()]
    assert not inf_cols, f"{res.scenario}: {table} has inf in columns {inf_cols}"


def test_no_negative_counts(res):
    stage_counts = [c for c in STAGE_COLUMNS if c != "displaced_reemployed_12m_share"]
    occ_counts = ["employed", "unemployed", "retraining_into", "vacancies", "hires", "separations_ai", "separations_other",
                  "retraining_started", "retraining_completed", "graduates", "demand"]
    sector_counts = [c for c in SECTOR_COLUMNS if c != "mean_ai_adoption"]
    for name, df, cols in (("timeseries", res.timeseries, [c for c in COUNT_COLUMNS if c in res.timeseries]),
                           ("by_occupation", res.by_occupation, occ_counts), ("by_stage", res.by_stage, stage_counts),
                           ("by_sector", res.by_sector, sector_counts)):
        neg = {c: int(df[c].min()) for c in cols if (df[c] < 0).any()}
        assert not neg, f"{res.scenario}: {name} has negative counts (column: minimum) {neg}"


def test_rates_and_shares_in_unit_interval(res):
    ts = res.timeseries
    for c in ("unemployment_rate", "vacancy_rate", "long_term_unemployment_share", "displaced_reemployed_6m_share",
              "displaced_reemployed_12m_share", "displaced_reemployed_24m_share", "wage_gini", "mean_ai_adoption",
              "displaced_olf_1_3y_share", *(c for c in ts.columns if c.startswith("unemployment_rate_"))):
        lo, hi = float(ts[c].min()), float(ts[c].max())
        assert 0.0 <= lo and hi <= 1.0, f"{res.scenario}: {c} must lie in [0, 1]; got range [{lo}, {hi}]"


def test_recorded_budget_slack_never_negative(res):
    ts = res.timeseries
    worst = float(ts["min_budget_slack"].min())
    assert worst >= -1e-9, f"{res.scenario}: recorded min_budget_slack (budget - wage bill) / budget must be >= 0; got {worst}"
    over = ts["wage_bill"] > ts["hiring_budget"] * (1 + 1e-9)
    assert not over.any(), f"{res.scenario}: total wage bill above total hiring budget in months {ts.loc[over, 'month'].tolist()[:5]}"


# --------------------------------------------------------------------------- state, checked after every step
def _check_state(model: LaborMarketModel, label: str) -> None:
    w, f = model.workers, model.firms
    n, n_occ = model.next_slot, model.occupations.n
    status = w.status[:n]

    # every slot that has entered is in exactly one of the known states; no slot beyond is in use
    valid = np.isin(status, [EMPLOYED, UNEMPLOYED, RETRAINING, OUT_OF_LABOR_FORCE, RETIRED, LEFT_SECTOR])
    assert valid.all(), f"{label}: worker status codes outside {{0..5}}: {np.unique(status[~valid]).tolist()}"
    assert (w.status[n:] == UNBORN).all(), f"{label}: slots beyond next_slot={n} must be unborn"
    employed = status == EMPLOYED
    has_firm = w.firm[:n] >= 0
    assert np.array_equal(employed, has_firm), (
        f"{label}: employed <=> has an employer; {int((employed & ~has_firm).sum())} employed without a firm, "
        f"{int((~employed & has_firm).sum())} with a firm but not employed")
    training = status == RETRAINING
    has_target = w.train_target[:n] >= 0
    assert np.array_equal(training, has_target), (
        f"{label}: retraining <=> has a retraining target; {int((training & ~has_target).sum())} trainees without a target, "
        f"{int((~training & has_target).sum())} non-trainees with one")
    living = (status >= EMPLOYED) & (status <= OUT_OF_LABOR_FORCE)
    assert (w.occupation[:n][living] >= 0).all(), f"{label}: every living worker has an occupation"
    assert model.population == int(living.sum()), f"{label}: model.population {model.population} != living workers {int(living.sum())}"

    # headcount is a fresh count of the employees
    emp = np.flatnonzero(employed)
    fresh = np.zeros((f.n, n_occ), dtype=np.int64)
    np.add.at(fresh, (w.firm[emp], w.occupation[emp]), 1)
    diff = np.argwhere(fresh != f.headcount)
    assert diff.size == 0, (f"{label}: firms.headcount differs from a fresh count in {len(diff)} cells; "
                            f"first (firm, occupation) {tuple(diff[0])}: stored {f.headcount[tuple(diff[0])]}, counted {fresh[tuple(diff[0])]}")

    # the wage bill, recomputed from the workers, is within the budget
    bill = np.bincount(w.firm[emp], weights=model.current_wage[w.firm[emp], w.occupation[emp]], minlength=f.n)
    over = bill > f.budget * (1.0 + 1e-9) + 1e-6
    if over.any():
        j = int(np.flatnonzero(over)[0])
        raise AssertionError(f"{label}: {int(over.sum())} firms pay more than their budget; firm {j}: wage bill {bill[j]:.2f} > budget {f.budget[j]:.2f}")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_state_invariants_every_step(scenario, compose_cfg):
    name, _, profile = scenario.partition("@")
    extra = [f"profile={profile}"] if profile else []
    model = LaborMarketModel(to_config(compose_cfg(name, seed=11, workers=STEP_WORKERS, months=STEP_MONTHS, extra_overrides=extra)))
    _check_state(model, f"{scenario} month 0")
    for _ in range(STEP_MONTHS):
        model.step()
        _check_state(model, f"{scenario} month {model.month}")
    ts = model.results().timeseries
    assert len(ts) == STEP_MONTHS + 1, f"{scenario}: expected {STEP_MONTHS + 1} recorded months, got {len(ts)}"
    assert int(ts["employed"].iloc[-1]) == int(model.firms.headcount.sum()), "recorded employment equals total headcount at the end"
