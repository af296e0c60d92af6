"""Step 3: firms set labour demand per occupation within their hiring budget.

With adoption a_f, capability C, expected return E_f, exposure to automation
e_o and augmentation g_o, lane indicators core_o and adj_o, x_f = a_f C:

    M_fo = 1 - s_auto e_o x_f + s_aug g_o x_f
             + gain_core core_o a_f E_f / r + gain_adj adj_o a_f E_f / r
    D*_fo = base_fo * cycle * M_fo / M_fo(0) * (1 + public_ai core_o)

Demand had automation stayed at its month-0 level, ``D0*_fo``, adds back
``s_auto e_o (x_f - x_f(0))``; the gap D0* - D* is labour displaced by AI.

The hiring budget moves towards its target
``B*_f = base_budget_f * cycle * (1 + share (a_f E_f - a_f(0) E_f(0)) / r)``
plus the public funding of the extra AI demand. If the wage cost of demand,
sum_o D*_fo w_fo, exceeds the budget, every occupation is scaled by
s_f = B_f / cost_f. Demand is rounded with a fixed per-cell dither, and
rounded down wherever the dither would break the budget, so that the wage
bill never exceeds the budget.
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, stock, value
from .base import Process

# Floors that keep demand and budgets positive when automation or a stalled AI project would push them to zero or
# below: a firm keeps at least 2% of an occupation's base demand and plans at least a tenth of its base budget.
MIN_MULTIPLIER = 0.02
MIN_BUDGET_SHARE = 0.1


class Demand(Process):
    """Labour demand per firm and occupation, and its automation counterfactual."""

    name = "demand"
    reads = ("capability", "cycle", "levers", "firms.adoption", "firms.expected_return")
    writes = ("firms.demand", "firms.demand_wanted", "firms.demand_no_automation", "firms.budget")
    outputs = (
        stock("demand", "firms' labour demand for the occupation", table=BY_OCCUPATION),
        value("wage_bill", "sum of wages paid by all firms", "USD / month"),
        value("hiring_budget", "sum of firms' hiring budgets", "USD / month"),
        value("min_budget_slack", "smallest (budget - wage bill) / budget over firms with a budget (0 if none has); never negative",
              "share"),
    )

    def __init__(self, model):
        super().__init__(model)
        occ = model.occupations
        self.core = (occ.lane == LANES.index("ai_core")).astype(np.float64)
        self.adjacent = (occ.lane == LANES.index("ai_adjacent")).astype(np.float64)
        self.dither = model.streams.generator("demand.dither").random(model.firms.demand.shape)
        firms = model.firms
        self.x0 = firms.adoption * model.capability
        self.ae0 = firms.adoption * firms.expected_return
        self.m0 = self.multiplier()

    def multiplier(self) -> np.ndarray:
        """M_fo: demand relative to a world with no AI at all."""
        ai, m = self.cfg.ai, self.model
        firms, occ = m.firms, m.occupations
        x = (firms.adoption * m.capability)[:, None]
        ae = (firms.adoption * firms.expected_return / max(ai.return_scale, 1e-12))[:, None]
        mult = (
            1.0
            - ai.automation_strength * occ.automation[None, :] * x
            + ai.augmentation_strength * occ.augmentation[None, :] * x
            + ai.builder_demand_gain * self.core[None, :] * ae
            + ai.adjacent_demand_gain * self.adjacent[None, :] * ae
        )
        return np.maximum(mult, MIN_MULTIPLIER)

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, ai, fc, lev = self.model, self.cfg.ai, self.cfg.firms, self.model.levers
        firms, occ = m.firms, m.occupations
        mult = self.multiplier()
        x = firms.adoption * m.capability
        automation_gap = ai.automation_strength * occ.automation[None, :] * np.maximum(x - self.x0, 0.0)[:, None]
        public = 1.0 + lev.public_ai_demand * self.core[None, :]
        level = firms.base_demand * m.cycle * public / self.m0
        wanted = level * mult
        wanted_no_auto = level * (mult + automation_gap)

        wage = firms.posted_wage
        rel_ae = (firms.adoption * firms.expected_return - self.ae0) / max(ai.return_scale, 1e-12)
        public_funds = (level * mult * (public - 1.0) / public * wage).sum(axis=1)
        target = firms.base_budget * m.cycle * np.maximum(1.0 + fc.ai_budget_share * rel_ae, MIN_BUDGET_SHARE) + public_funds
        firms.budget += fc.budget_adjustment * (target - firms.budget)

        cost = (wanted * wage).sum(axis=1)
        scale = np.minimum(1.0, firms.budget / np.maximum(cost, 1e-9))
        scaled = wanted * scale[:, None]
        demand = np.floor(scaled + self.dither)
        over = (demand * wage).sum(axis=1) > firms.budget
        if over.any():
            demand[over] = np.floor(scaled[over])
        firms.demand[:] = demand.astype(np.int64)
        firms.demand_wanted[:] = scaled
        np.multiply(wanted_no_auto, scale[:, None], out=firms.demand_no_automation)

    def record(self, values: dict) -> None:
        """Demand by occupation; the wage bill (every employee earns their cell's wage this month) against the budgets."""
        m = self.model
        f = m.firms
        wage_bill = (f.headcount * m.current_wage).sum(axis=1)
        values["demand_occ"] = f.demand.sum(axis=0)
        values["wage_bill"] = float(wage_bill.sum())
        values["hiring_budget"] = float(f.budget.sum())
        has_budget = f.budget > 0  # a firm with nothing to spend (no workers at the start) has no slack to speak of
        slack = (f.budget[has_budget] - wage_bill[has_budget]) / f.budget[has_budget]
        values["min_budget_slack"] = float(slack.min()) if slack.size else 0.0
