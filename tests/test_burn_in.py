"""The burn-in: runs start from the market's own steady state, the same for every scenario."""

from __future__ import annotations

import numpy as np
import pytest

WORKERS, MONTHS, SEED = 3000, 24, 5


@pytest.fixture(scope="module")
def month0(run_scenario_fn):
    return {s: run_scenario_fn(s, seed=SEED, workers=WORKERS, months=MONTHS) for s in ("baseline", "no_ai", "safety_net", "national_ai_push")}


def test_every_scenario_starts_from_the_same_month_0(month0):
    """The burn-in runs the status quo whatever the scenario, so month 0 is identical where only AI and policy differ."""
    rows = {s: r.timeseries.iloc[0] for s, r in month0.items()}
    cols = ["population", "employed", "unemployed", "retraining", "out_of_labor_force", "mean_wage", "long_term_unemployment_share"]
    ref = rows["baseline"][cols].to_numpy(dtype=float)
    for s, row in rows.items():
        np.testing.assert_array_equal(row[cols].to_numpy(dtype=float), ref, err_msg=f"{s}: month 0 differs from baseline's")
    assert rows["baseline"]["ai_displaced_cumulative"] == 0, "no one is displaced by AI before month 0"
    # at month 0 (seed 5, 3,000 workers): 6.1% of the unemployed in the China profile of 2026-12-02 (2.7-6.9% on seeds
    # 1-6), 7.2% in the US profile (1.6-14.8% on seeds 1-6)
    assert rows["baseline"]["long_term_unemployment_share"] > 0.005, "after the burn-in some of the unemployed have been so for a year"
    assert rows["baseline"]["retraining"] > 0, "after the burn-in some workers are in training at month 0"


def test_burn_in_removes_the_start_up_jump(run_scenario_fn):
    """Without a burn-in the initial openings meet fresh job seekers: month-1 hires spike above the next months'; with one
    they do not, and unemployment stays within a point of month 0.

    Measured at 10,000 workers, month-1 hires over the mean of months 2-4, seeds 1-6: China profile 1.29-1.43 without a
    burn-in against 0.97-1.15 with it (US profile 1.44-1.75 against 0.95-1.08). The month-1 change of unemployment is
    not the measure: without a burn-in it ranges from -1.1 to +0.2 points across those seeds.
    """
    spike, jump = {}, {}
    for b in (0, 48):
        ts = run_scenario_fn("no_ai", seed=SEED, workers=10_000, months=6, extra_overrides=(f"burn_in_months={b}",)).timeseries
        hires = ts["hires"].to_numpy(dtype=float)
        spike[b] = hires[1] / hires[2:5].mean()
        jump[b] = abs(float(ts["unemployment_rate"].iloc[1] - ts["unemployment_rate"].iloc[0]))
    assert jump[48] < 0.01, f"with the burn-in, month-1 unemployment should stay within a point of month 0; moved {jump[48]:.4f}"
    assert spike[0] > 1.2, f"without a burn-in month-1 hires should spike above the next months'; ratio {spike[0]:.2f}"
    assert spike[48] < spike[0] - 0.15, f"the burn-in should remove the month-1 hiring spike: {spike[48]:.2f} with it, {spike[0]:.2f} without"
