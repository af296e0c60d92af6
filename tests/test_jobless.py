"""The jobless rate: workers in training counted with the unemployed, so that training alone does not read as a fall in joblessness.

Workers in training do not search and are not unemployed. A programme that fills training seats therefore lowers the
unemployment rate by that alone, and the report's unemployment rows would credit it with a fall in joblessness that
did not happen. The jobless rate, (unemployed + in training) / (labour force + in training), is reported beside every
unemployment rate (the summary, the decision table, the "for whom" groups, the lever decomposition).

The experiment (China profile, 5,000 workers x 60 months; the group snapshot at month 60): ``retraining_push`` (5
subsidised seats a month per 1,000 workers, open to every unemployed worker, and a hiring subsidy) against
``baseline``, on the same seed. Measured on 2026-12-02, seeds 1, 2, 3 and 4 (the test runs 1 and 2):

* 16-24: unemployment -11.0, -9.1, -4.2 and -9.6 points; the jobless rate -0.2, -2.0, +1.6 and -1.1; 31, 18, 17
  and 24 more 16-24s in training (40 against 9 on seed 1). Most of the programme's fall in youth unemployment is
  workers moved into training.
* all ages: unemployment -0.80, -0.42, -0.30 and -0.79 points, the jobless rate +0.39, +0.64, +0.68 and +0.42: the
  programme lowers unemployment and raises joblessness at month 60 (trainees do not search: the lock-in of training).
* attribution, the same scenario with the retraining subsidy switched off (``policy.retraining_subsidy.enabled=false``,
  the hiring subsidy kept): the 16-24 jobless rate's change minus the unemployment rate's is 0.3, 0.1, 1.0 and 1.1
  points, against 10.8, 7.1, 5.8 and 8.5 with the seats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.compare import _group_shares, group_snapshot
from simulation.policy_eval import run_outcomes
from simulation.results import jobless_rate
from simulation.runner import run_config
from tests.conftest import make_config

WORKERS, MONTHS, SEEDS = 5_000, 60, (1, 2)
NO_SEATS = ("policy.retraining_subsidy.enabled=false",)


def test_jobless_rate_formula():
    assert jobless_rate(10, 5, 100) == pytest.approx(15 / 105)
    assert jobless_rate(0, 0, 0) == 0.0, "nobody working, searching or training: 0, not NaN"
    got = jobless_rate(np.array([10, 0]), np.array([5, 0]), np.array([100, 0]))
    assert np.allclose(got, [15 / 105, 0.0])


def test_summary_and_policy_outcomes_use_the_timeseries_counts():
    res = run_config(make_config("retraining_push", 3, 2_000, 24), progress=False)
    ts = res.timeseries
    last = ts.iloc[-1]
    assert last["retraining"] > 0, "the programme should have workers in training at the end"
    want = (last["unemployed"] + last["retraining"]) / (last["labor_force"] + last["retraining"])
    assert res.summary["jobless_rate_final"] == pytest.approx(want)
    assert res.summary["jobless_rate_final"] > res.summary["unemployment_rate_final"], "trainees are jobless, not unemployed"
    runs = ts.assign(scenario="retraining_push", replication=0, seed=3)
    out = run_outcomes(runs, {"retraining_push": 0.0}).iloc[0]
    after = ts[ts["month"] >= 1]
    mean = ((after["unemployed"] + after["retraining"]) / (after["labor_force"] + after["retraining"])).mean()
    assert out["jobless_rate_mean"] == pytest.approx(mean)


def _month60(scenario: str, seed: int, extra=()) -> pd.DataFrame:
    """The group snapshot (with its shares) at month 60 of one run."""
    snaps = []

    def observe(model):
        if model.month == MONTHS:
            snaps.append(group_snapshot(model))

    run_config(make_config(scenario, seed, WORKERS, MONTHS, extra), progress=False, observe=observe)
    return _group_shares(snaps[0])


@pytest.fixture(scope="module")
def snapshots():
    """(scenario, seed) -> month-60 groups, for baseline, retraining_push, and retraining_push without its seats."""
    out = {}
    for seed in SEEDS:
        out["baseline", seed] = _month60("baseline", seed)
        out["retraining_push", seed] = _month60("retraining_push", seed)
        out["no_seats", seed] = _month60("retraining_push", seed, NO_SEATS)
    return out


def _youth(g: pd.DataFrame) -> pd.Series:
    return g[(g["dimension"] == "age") & (g["group"] == "16-24")].iloc[0]


def test_groups_count_trainees_and_their_jobless_rate_adds_them(snapshots):
    for g in snapshots.values():
        for dim in ("stage", "age", "lane", "occupation"):
            d = g[g["dimension"] == dim]
            assert d["in_training"].sum() == g[g["dimension"] == "stage"]["in_training"].sum(), f"{dim} must partition the trainees"
        ok = (g["labour_force"] + g["in_training"]) >= 30
        want = (g["unemployed"] + g["in_training"]) / (g["labour_force"] + g["in_training"])
        assert np.allclose(g.loc[ok, "jobless_rate"], want[ok]) and g.loc[~ok, "jobless_rate"].isna().all()


def test_training_lowers_youth_unemployment_far_more_than_youth_joblessness(snapshots):
    d_u, d_j, trainees = [], [], []
    for seed in SEEDS:
        base, push = _youth(snapshots["baseline", seed]), _youth(snapshots["retraining_push", seed])
        d_u.append(push["unemployment_rate"] - base["unemployment_rate"])
        d_j.append(push["jobless_rate"] - base["jobless_rate"])
        trainees.append(push["in_training"] - base["in_training"])
    d_u, d_j = float(np.mean(d_u)), float(np.mean(d_j))
    assert d_u < -0.04, f"the programme should lower 16-24 unemployment by 4 points or more (measured -10.1); got {100 * d_u:+.1f}"
    assert d_j - d_u > 0.04, (f"most of that fall should be trainees, not jobs: the 16-24 jobless rate should fall at least 4 points "
                              f"less (measured 9.0 less); unemployment {100 * d_u:+.1f}, jobless rate {100 * d_j:+.1f} points")
    assert min(trainees) > 10, f"the programme should hold more 16-24s in training (measured 31 and 18 more); got {trainees} more"


def _all_ages(g: pd.DataFrame) -> tuple[float, float]:
    d = g[g["dimension"] == "stage"]  # the stages partition everyone who works, searches or trains
    u, t, lf = d["unemployed"].sum(), d["in_training"].sum(), d["labour_force"].sum()
    return u / lf, (u + t) / (lf + t)


def test_the_programme_lowers_unemployment_but_raises_joblessness_at_month_60(snapshots):
    for seed in SEEDS:
        (u0, j0), (u1, j1) = _all_ages(snapshots["baseline", seed]), _all_ages(snapshots["retraining_push", seed])
        assert u1 < u0 and j1 > j0, (f"seed {seed}: unemployment should fall and the jobless rate rise (measured -0.80/-0.42 and "
                                     f"+0.39/+0.64 points); got {100 * (u1 - u0):+.2f} and {100 * (j1 - j0):+.2f}")


def test_attribution_without_the_seats_the_two_youth_rates_move_together(snapshots):
    gaps = []
    for seed in SEEDS:
        base, alone = _youth(snapshots["baseline", seed]), _youth(snapshots["no_seats", seed])
        gaps.append((alone["jobless_rate"] - base["jobless_rate"]) - (alone["unemployment_rate"] - base["unemployment_rate"]))
    assert abs(float(np.mean(gaps))) < 0.02, (f"without subsidised seats the gap between the two youth rates' changes should "
                                              f"all but vanish (measured 0.3 and 0.1 points, 9.0 with them); got "
                                              f"{100 * float(np.mean(gaps)):+.1f}")
