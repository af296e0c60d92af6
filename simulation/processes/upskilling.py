"""Step 6b: employees weigh staying, upskilling in place and switching occupation (early and mid-career bets).

Upskilling in place adds one AI-adjacent capability to the worker's own
occupation, part-time while working, without changing occupation. Each month
an employee outside the AI-core lane who holds no such capability and is not
on a course weighs it with probability ``consider_rate``, beside switching
occupation by retraining (quitting to train) and staying, with retraining's
decision rule (:mod:`.retraining`: discount factor delta, horizon H = min(months to
retirement, ``retraining.horizon_months``), age cost, logistic taste shocks).
For a worker in occupation o with own pay w = w_o p (p: their hire pay factor in o,
:func:`.wages.pay_at_hire`, which carries all their experience there):

    staying                   E(f_o, s_o, H) w         (E: discounted expected months employed, starting employed)
    upskilling in place       delta^tau pi [(1 + g) E(f_o, s'_o, H - tau) - E(f_o, s_o, H - tau)] w - c_u + noise w eps_u
                              tau = duration, pi = (1 - dropout)^tau, g = wage_premium,
                              s'_o = s_o - layoff_protection s^AI_o  (s^AI_o: the occupation's smoothed AI displacement rate)
                              c_u = cost w_o (1 + age_cost max(age - a0, 0)) + effort w
    switching                 retraining's net value for the best (target, route), with staying worth E(f_o, s_o, H) w
                              (the target paid at the worker's pay there: experience_transfer of their experience)

relative to staying (0). The worker takes the best option if it beats staying, except that a preferred
switch waits unless ``quit_to_retrain``: quitting to train full time forgoes pay and benefits (a liquidity
constraint), so the employee neither upskills nor quits, and retrains if they lose the job (:mod:`.retraining`).
So the stage gap comes from the rule: a switch gives up (1 - experience_transfer)
of one's experience and pays off over a long horizon, while upskilling keeps it
and the gain is proportional to one's own pay; early-career workers have little
experience to lose and lower pay, mid-career workers the opposite.

Upskilling: the course lasts ``duration_months`` (a dropout each month with
``dropout_rate``); on completion the worker is ``upskilled``, their pay factor
rises by ``wage_premium`` (in the role it was added to: pay at a later hire does not
price it), and their layoff risk falls (:mod:`.separations`: in a cell that sheds
staff an upskilled employee is picked with relative weight 1 - ``layoff_protection``).
A worker who leaves employment abandons the course. Switching (with ``quit_to_retrain``): the employee
quits (a quit into unemployment, no benefits) and enrols in retraining the same month.
It runs in the burn-in too, so month 0 starts with the upskilled of the market's steady state.
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, BY_STAGE, flow, stock
from ..state import EMPLOYED, RETRAINING, UNEMPLOYED
from .base import Process
from .grouping import distinct, draw_among, flatnonzero
from .retraining import annuity, employed_value
from .wages import MIN_SEPARATION_RATE


class Upskilling(Process):
    """Upskilling courses progress; a sample of employees choose among staying, upskilling and switching."""

    name = "upskilling"
    reads = ("current_wage",)
    writes = ("workers.status", "workers.pay_factor", "firms.headcount")
    outputs = (
        flow("upskilling_started", "employees who started upskilling in place (adding one AI-adjacent capability to their occupation)"),
        flow("upskilling_completed", "employees who completed upskilling in place"),
        flow("upskilling_dropped", "upskilling courses abandoned (drop-out, or the worker left employment)"),
        flow("upskilling_started", "employees of the stage who started upskilling in place", table=BY_STAGE),
        flow("upskilling_completed", "employees of the stage who completed upskilling in place", table=BY_STAGE),
        flow("upskilling_completed", "employees of the occupation who completed upskilling in place", table=BY_OCCUPATION),
        flow("retraining_started_employed", "employees who quit to retrain (switching occupation; part of retraining_started)"),
        flow("retraining_started_employed", "employees of the stage who quit to retrain", table=BY_STAGE),
        stock("upskilling", "employees on an upskilling course"),
        stock("upskilled", "living workers who have upskilled in place"),
    )

    def __init__(self, model):
        super().__init__(model)
        n_occ = model.occupations.n
        self.ai_displacement_rate = np.zeros(n_occ)  # s^AI_o, smoothed like the market's rates
        self.eligible_occupation = model.occupations.lane != LANES.index("ai_core")

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        self.observe()
        self.progress()
        self.decide()

    def observe(self) -> None:
        """Update each occupation's smoothed AI displacement rate from this month's separations."""
        m = self.model
        employed = m.firms.headcount.sum(axis=0).astype(np.float64)
        obs = m.flows["separations_ai_occ"] / np.maximum(employed, 1.0)
        self.ai_displacement_rate += self.cfg.market.rate_smoothing * (obs - self.ai_displacement_rate)

    def progress(self) -> None:
        """Courses advance a month; those who left employment or drop out abandon, those with no months left complete."""
        m, up = self.model, self.cfg.upskilling
        w, fl = m.workers, m.flows
        on = flatnonzero(w.upskill_months_left[: m.next_slot] > 0)
        if on.size == 0:
            return
        left = w.status.take(on) != EMPLOYED
        drop = left | (self.rng.random(on.size) < up.dropout_rate)
        w.upskill_months_left[on.compress(drop)] = 0.0
        going = on.compress(~drop)
        w.upskill_months_left[going] -= 1.0
        done = going.compress(w.upskill_months_left.take(going) <= 0.0)
        w.upskill_months_left[done] = 0.0
        w.upskilled[done] = True
        w.pay_factor[done] *= np.float32(1.0 + up.wage_premium)
        fl["upskilling_dropped"] += int(np.count_nonzero(drop))
        fl["upskilling_completed"] += done.size
        fl["upskilling_completed_stage"] += np.bincount(m.stage_of(done), minlength=len(fl["upskilling_completed_stage"]))
        fl["upskilling_completed_occ"] += np.bincount(w.occupation.take(done), minlength=m.occupations.n)

    def decide(self) -> None:
        """A binomial sample of the employees weighs the three options; the upskillers start, the switchers quit and enrol."""
        m, up = self.model, self.cfg.upskilling
        w, n = m.workers, m.next_slot
        status = w.status[:n]
        others = flatnonzero(status != EMPLOYED)  # one pass over the live slice: the employed are the rest
        n_emp = n - others.size
        k = self.rng.binomial(n_emp, up.consider_rate)
        if k == 0:
            return
        ids = distinct(draw_among(self.rng, n, k, lambda c: status.take(c) == EMPLOYED, n_emp / max(n, 1)), n)
        retraining = next(p for p in m.processes if p.name == "retraining")
        st_o = status.take(others)
        unemp, trainees = others.compress(st_o == UNEMPLOYED), others.compress(st_o == RETRAINING)
        wage_now = m.current_wage_of(ids) if self.cfg.retraining.pay_valuation else None  # their pay now, for both decisions
        switch, target, route = retraining.net_values(ids, np.zeros(ids.size), retraining.crowded_finding_rate(unemp, trainees),
                                                      rng=self.rng, employed=True, current_wage=wage_now)
        upskill = self.upskill_values(ids, wage_now)
        start = (upskill > 0) & (upskill >= switch)
        quit_ = (switch > 0) & ~start & up.quit_to_retrain  # otherwise a preferred switch waits (liquidity)
        self.start(ids.compress(start))
        self.switch(ids.compress(quit_), target.compress(quit_), route.compress(quit_), retraining)

    def upskill_values(self, ids: np.ndarray, current_wage: np.ndarray | None = None) -> np.ndarray:
        """Net value of upskilling in place over staying, with its taste shock (-inf where it is not open to the worker).

        ``current_wage``: these employees' ``model.current_wage_of``, if already computed.
        """
        m, up, rt, demo = self.model, self.cfg.upskilling, self.cfg.retraining, self.cfg.demography
        w, mk = m.workers, m.market
        own = w.occupation.take(ids).astype(np.int64)
        age = w.age.take(ids).astype(np.float64)
        horizon = np.minimum((demo.retirement_age - age) * 12.0, rt.horizon_months)
        wage_o = (m.occupations.base_wage * mk.wage_index).take(own)
        if not rt.pay_valuation:
            wage_own = wage_o
        else:
            wage_own = m.current_wage_of(ids) if current_wage is None else current_wage
        f, s = mk.finding_rate.take(own), mk.separation_rate.take(own)
        s_up = np.maximum(s - up.layoff_protection * self.ai_displacement_rate.take(own), MIN_SEPARATION_RATE)
        tau = up.duration_months
        rest = horizon - tau
        keep = np.exp(tau * (np.log1p(-min(up.dropout_rate, 1.0 - 1e-12)) - np.log1p(rt.discount_rate)))
        months = annuity(rest, rt.discount_rate)  # the same for both rates
        gain = keep * ((1.0 + up.wage_premium) * employed_value(f, s_up, rest, rt.discount_rate, months)
                       - employed_value(f, s, rest, rt.discount_rate, months)) * wage_own
        age_factor = 1.0 + rt.age_cost * np.maximum(age - rt.age_cost_from, 0.0)
        cost = up.cost_months * wage_o * age_factor + up.effort_cost_months * wage_own
        noise = rt.decision_noise * wage_own * self.rng.logistic(size=ids.size)
        value = gain - cost + noise
        open_ = self.eligible_occupation.take(own) & ~w.upskilled.take(ids) & (w.upskill_months_left.take(ids) <= 0) & (rest > 0)
        return np.where(open_, value, -np.inf)

    def start(self, ids: np.ndarray) -> None:
        """These employees start a course."""
        m, fl = self.model, self.model.flows
        m.workers.upskill_months_left[ids] = self.cfg.upskilling.duration_months
        fl["upskilling_started"] += ids.size
        fl["upskilling_started_stage"] += np.bincount(m.stage_of(ids), minlength=len(fl["upskilling_started_stage"]))

    def switch(self, ids: np.ndarray, target: np.ndarray, route: np.ndarray, retraining) -> None:
        """These employees quit (into unemployment, counted as quits) and enrol in retraining at once."""
        if ids.size == 0:
            return
        m, fl, w = self.model, self.model.flows, self.model.workers
        fl["quits"] += ids.size
        fl["separations_other"] += ids.size
        fl["separations_other_occ"] += np.bincount(w.occupation.take(ids), minlength=m.occupations.n)
        m.quit(ids)
        w.upskill_months_left[ids] = 0.0
        retraining.start_training(ids, target, route)
        fl["retraining_started_employed"] += ids.size
        fl["retraining_started_employed_stage"] += np.bincount(m.stage_of(ids), minlength=len(fl["retraining_started_employed_stage"]))

    def record(self, values: dict) -> None:
        """Workers on a course and the living who have upskilled."""
        m = self.model
        live = slice(0, m.next_slot)
        st = m.workers.status[live]
        values["upskilling"] = int(np.count_nonzero(m.workers.upskill_months_left[live] > 0))
        values["upskilled"] = int(np.count_nonzero(m.workers.upskilled[live] & (st >= 0) & (st <= 3)))

