"""The training line of the fiscal ledger (``outlay_training``) and the seats offered (issue 16, item 3).

A subsidised seat's cost share of tuition and of the living stipend is paid over the course's months
(:mod:`simulation.processes.retraining`). Measured on the China profile of 2026-12-02 (``retraining_push``, 1,500
workers x 24 months, seed 3): over the run the line pays CNY 3.86 million at cost share 0.5 (63 subsidised starts,
CNY 61,206 a start), 8.67 million at 0.8 (the scenario's; 82 starts, 105,702 a start) and 11.70 million at 0.9 (83 starts,
140,942); 0 with the lever off, which offers no seat. The seat lottery: see its tests below.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from simulation.config import to_config
from simulation.model import LaborMarketModel
from simulation.state import RETRAINING
from simulation.validation.lottery import follow_lottery, itt
from tests.conftest import make_config, run_scenario

WORKERS, MONTHS, SEED = 1_500, 24, 3


def model_of(overrides=()):
    """A retraining_push model (pay valued at occupations' mean wages, so the stipend is recomputable by hand)."""
    cfg = make_config("retraining_push", SEED, WORKERS, MONTHS, ("burn_in_months=12", "retraining.pay_valuation=false", *overrides))
    return LaborMarketModel(to_config(cfg))


def test_no_lever_no_outlay():
    """Without the retraining subsidy the line is 0 every month and no seat is offered."""
    ts = run_scenario("retraining_push", SEED, WORKERS, MONTHS, ("policy.retraining_subsidy.enabled=false",)).timeseries
    assert (ts["outlay_training"] == 0.0).all()
    assert (ts["retraining_seats_offered"] == 0).all()
    assert (ts["retraining_started_subsidized"] == 0).all()


def test_seats_offered_follow_the_lever():
    """Seats offered: 0 before the start month (6), then round(seats_per_1000 x population / 1000) = 8 at 1,500 workers."""
    ts = run_scenario("retraining_push", SEED, WORKERS, MONTHS).timeseries
    assert (ts.loc[ts["month"] < 6, "retraining_seats_offered"] == 0).all()
    assert (ts.loc[ts["month"] >= 6, "retraining_seats_offered"] == round(5.0 * WORKERS / 1000)).all()
    assert ts["outlay_training"].sum() > 0


def test_outlay_equals_the_recomputed_sum():
    """Every month the line is the sum of the monthly payments of the trainees who ended the month in training or completed it
    (a drop-out's month is not paid); and each subsidised enrolee's payment times the course's months is the cost share
    of its tuition and stipend recomputed from the formula."""
    m = model_of()
    rt, w = m.cfg.retraining, m.workers
    share = m.cfg.policy.retraining_subsidy.cost_share
    routes = [rt.certificate, rt.project]
    checked_enrolees = 0
    for _ in range(MONTHS):
        before = w.status[: m.next_slot] == RETRAINING
        outlay_before = w.train_outlay[: m.next_slot].astype(np.float64).copy()
        left_before, target_before = w.train_months_left[: m.next_slot].copy(), w.train_target[: m.next_slot].copy()
        wage = m.occupations.base_wage * m.market.wage_index  # this month's prices are set by the wages step, after enrolment
        m.step()
        n = before.size
        status = w.status[:n]
        # paid: still on the same course a month further on (not a drop-out who enrolled again), or completed this month
        going_on = (status == RETRAINING) & (w.train_target[:n] == target_before) & (w.train_months_left[:n] == left_before - 1)
        paid = before & (going_on | (w.trained_month[:n] == m.month))
        expected = float(outlay_before[paid].sum())
        got = m.flows["outlay_training"]  # the month's flows, reset when the next month starts
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)
        # new subsidised enrolees: payment x months = share x (tuition + stipend) at the prices they enrolled at
        new = np.flatnonzero((w.status[: m.next_slot] == RETRAINING) & (w.train_outlay[: m.next_slot] > 0))
        new = new[new < n]
        new = new[~before[new]]
        for i in new[:20]:
            own, tgt, r = int(w.occupation[i]), int(w.train_target[i]), routes[int(w.train_route[i])]
            d = m.occupations.distance[own, tgt] / m.occupations.max_distance
            barrier = 1.0 + rt.ai_core_barrier * (m.occupations.lane[tgt] == 0)
            age = float(w.age[i]) - 1.0 / 12.0  # the lifecycle step ages everyone after enrolment
            tuition = r.cost_months * wage[tgt] * (1 + rt.distance_cost * d) * (1 + rt.age_cost * max(age - rt.age_cost_from, 0.0)) * barrier
            stipend = rt.effort_cost_months * r.effort * float(w.time_cost[i]) * wage[own]
            months = float(w.train_months_left[i])  # set at enrolment, not yet advanced
            assert float(w.train_outlay[i]) * months == pytest.approx(share * (tuition + stipend), rel=1e-4)
            checked_enrolees += 1
    assert checked_enrolees > 20


def test_outlay_rises_with_cost_share():
    """A larger cost share pays more: 0.5 against 0.9 on the same seed (the same seats; takers differ a little)."""
    low = run_scenario("retraining_push", SEED, WORKERS, MONTHS, ("policy.retraining_subsidy.cost_share=0.5",)).timeseries
    high = run_scenario("retraining_push", SEED, WORKERS, MONTHS, ("policy.retraining_subsidy.cost_share=0.9",)).timeseries
    assert high["outlay_training"].sum() > 1.3 * low["outlay_training"].sum()


# --------------------------------------------------------------------------- the seat lottery (randomised evaluation)
LOTTERY_WORKERS, LOTTERY_MONTHS, LOTTERY_SEED, FOLLOW = 4_000, 84, 5, 36
RATIONED = ("policy.retraining_subsidy.seats_per_1000=1.0",)


@functools.cache
def lottery_periods(cost_share: float | None = None) -> dict:
    """Winners minus losers by period since the lottery: employment (points of a share) and earnings (share of the losers')."""
    extra = RATIONED if cost_share is None else (*RATIONED, f"policy.retraining_subsidy.cost_share={cost_share}")
    run = follow_lottery("retraining_push", LOTTERY_SEED, LOTTERY_WORKERS, LOTTERY_MONTHS, FOLLOW, extra)
    s = run["lottery"]
    emp, earn = itt(s), itt(s, "earnings")
    losers_earn = s[:, 1, 2] / np.maximum(s[:, 1, 0], 1)
    out = {"crossover": s[0, 1, 3] / s[0, 1, 0], "winners": int(s[0, 0, 0]), "run": run}
    for key, (lo, hi) in {"short": (1, 6), "year1": (7, 12), "later": (13, 36)}.items():
        out[key] = float(np.nanmean(emp[lo : hi + 1]))
        out[f"earn_{key}"] = float(np.nanmean(earn[lo : hi + 1]) / np.nanmean(losers_earn[lo : hi + 1]))
    return out


def test_lottery_is_recorded():
    """Every lottery's entrants and winners are counted; first-lottery winners are at most the winners, and each entrant's
    first lottery falls in a month with a lottery."""
    t = lottery_periods()
    ts, s = t["run"]["timeseries"], t["run"]["lottery"]
    assert ts["retraining_lottery_winners"].sum() > 100
    assert (ts["retraining_lottery_winners"] <= ts["retraining_seats_offered"]).all()
    assert (ts["retraining_lottery_entrants"][ts["retraining_lottery_winners"] > 0] > ts["retraining_seats_offered"][ts["retraining_lottery_winners"] > 0]).all()
    assert 0 < s[0, 0, 0] <= ts["retraining_lottery_winners"].sum()
    assert s[0, 0, 3] == s[0, 0, 0]  # every winner is in training in the lottery's month


def test_lottery_lock_in_then_earnings_gain():
    """Intention to treat (seed 5, 4,000 workers x 84 months, 160 first-lottery winners, on the China profile of 2026-12-02):
    winners are employed 26.2 points less than losers in months 1-6 (lock-in), then earn more: +28.8% of the losers' earnings
    in months 13-36 (+25% before courses into AI-adjacent roles stopped teaching premium AI skills). The employment gap closes
    (+2.7 points in months 13-36 on this seed) but its sign in years 2-3 changes with the seed at this size (see
    docs/VALIDATION.md for 6 seeds x 10,000 workers), so only the lock-in and the earnings gain are asserted."""
    t = lottery_periods()
    assert t["short"] < -0.10
    assert t["earn_later"] > 0.10


def test_lottery_contrast_comes_from_the_subsidy():
    """Attribution (on the China profile of 2026-12-02): with a 10% cost share (instead of 80%) a lost seat costs little, 84% of
    losers enrol at full cost in the month they lose (41% at 80%), and the lock-in nearly vanishes: -4.4 points in months 1-6
    (from -26.2); the earnings gain in months 13-36 shrinks to nothing on this seed (+0.5% of the losers' earnings, from
    +28.8%; when this test was written, +8.4% from +12.6%, without vanishing, as the 18% of losers who did not cross over
    forwent a course that pays, into AI-core roles mostly). Before courses into AI-adjacent roles stopped teaching premium AI
    skills, the gain went below the losers' (-7.5%, from +25%): the courses then led many into crowded roles."""
    full, small = lottery_periods(), lottery_periods(0.1)
    assert small["crossover"] > full["crossover"] + 0.2
    assert small["short"] > full["short"] / 3
    assert small["earn_later"] < full["earn_later"]
