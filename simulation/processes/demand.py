"""Step 3: firms set labour demand per occupation within their hiring budget.

With adoption a_f, capability C, expected return E_f, exposure to automation
e_o and augmentation g_o, lane indicators core_o and adj_o, x_f = a_f C:

    M_fo = 1 - s_auto e_o x_f + s_aug g_o x_f
             + gain_core core_o a_f E_f / r + gain_adj adj_o a_f E_f / r
    D*_fo = D^priv_fo + P_fo,  D^priv_fo = base_fo * cycle * M_fo / M_fo(0)

Demand had automation stayed at its month-0 level, ``D0*_fo``, adds back
``s_auto e_o (x_f - x_f(0))``; the gap D0* - D* is labour displaced by AI.

Publicly funded AI-core demand (the ``public_ai_demand`` lever, share p and backstop k) is added on top of
private demand:

    P_fo = core_o (p D^priv_fo + k max(peak_fo - D^priv_fo, 0))

where peak_fo is the firm's highest private AI-core demand so far (base_fo includes the lane trends, ``cycle.lane_trend_*``:
each occupation's trend level grows at its lane's rate L_o(t) = (1 + g_lane)^(t / 12), t counted from the start of the
burn-in, and the payroll budget with the firm's month-0 bill mix, sum_o mix_fo L_o(t), the AI envelope with L_core(t)): when private AI projects stall, public projects
take over a share k of the fall, so a national priority keeps AI demand from collapsing.

Budgets come from each firm's base payroll budget (its revenue) and its AI strategy, rel_f = (a_f E_f - a_f(0)
E_f(0)) / r. The AI envelope (the budget for AI-core roles) moves towards ``A*_f = base_budget_f * cycle * (sigma_f +
share rel_f) + public_f``, sigma_f being the firm's month-0 AI-core payroll share of its budget (with the same slack)
and public_f the wage cost of P_f; the payroll budget towards ``B*_f = base_budget_f * cycle * (1 + new share rel_f) +
public_f``: only a share ``new`` (``firms.ai_new_money``) of the envelope's growth is new money, the rest is taken from
the other roles, so the AI budget competes with the rest of the payroll. Both move at speed ``budget_adjustment``, and
A_f <= B_f. AI-core demand must fit within the envelope (scaled by min(1, A_f / cost_core_f)) and the other
occupations within what is left of the budget, B_f - the AI-core bill. A
firm whose envelope or budget cuts its demand this month is *bound* (``budget_bound_share``). Demand is rounded
with a fixed per-cell dither, and rounded down wherever the dither would break the budget, so that the wage bill
never exceeds the budget.

The hiring subsidy (``policy.hiring_subsidy``) cuts the firm's labour cost in two ways. Its expected cut of the cost
of a position in occupation o is ``k_o = c q_o``, c being the share of an eligible hire's wage cost over the match
that the subsidy pays (:func:`~simulation.policies.subsidy_cost_cut`) and q_o the chance the position's hire is
eligible, the share of hires into o that were eligible while the lever acted (:meth:`.matching.Matching.eligible_share`).
Demand responds with the labour-demand elasticity eta (``demand_elasticity``): the trend level of every cell is
multiplied by ``(1 - k_o)^(-eta)`` while the lever acts (and by nothing otherwise, so runs without it are unchanged).
With ``budget_relief`` the subsidy paid last month for a firm's subsidised employees, R_f, does not count against
its payroll budget: demand must fit within B_f + R_f.

In a regional run (:mod:`simulation.regions`) the product market sets a per-sector multiplier S_s
(``model.demand_shift``): a region that wins market share in sector s sells more, so the trend level of demand and
the payroll budget of each of its firms in s are multiplied by S_s (base_fo * cycle * S_s, base_budget_f * cycle *
S_s). A one-region run has no multiplier (``demand_shift`` is None) and is unchanged.
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, BY_SECTOR, stock, value
from ..policies import subsidy_cost_cut
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
        stock("demand", "labour demand of the sector's firms (all occupations)", table=BY_SECTOR),
        stock("demand_ai", "labour demand of the sector's firms for AI-core and AI-adjacent roles", table=BY_SECTOR),
        value("wage_bill", "sum of wages paid by all firms", "currency / month"),
        value("hiring_budget", "sum of firms' hiring budgets", "currency / month"),
        value("min_budget_slack", "smallest (budget - wage bill) / budget over firms with a budget (0 if none has), the budget including the hiring subsidy a firm received when policy.hiring_subsidy.budget_relief is on; never negative",
              "share"),
        value("budget_bound_share", "share of firms whose payroll budget or AI envelope cuts their labour demand this month", "share"),
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
        # the AI envelope's month-0 share of the budget: the firm's AI-core payroll at its base demand
        core_bill = (firms.base_demand * firms.posted_wage * self.core[None, :]).sum(axis=1)
        self.ai_share0 = core_bill * (1.0 + self.cfg.firms.budget_slack) / np.maximum(firms.base_budget, 1e-9)
        self.ai_budget = self.ai_share0 * firms.budget  # the AI envelope (USD / month), moves as the budget does
        # lane trends (cycle.lane_trend_*): each occupation's demand grows at its lane's rate beyond the common trend,
        # and budgets with it (each firm's payroll by its month-0 bill's mix, the AI envelope at the AI-core rate)
        cy = self.cfg.cycle
        rates = np.array([cy.lane_trend_ai_core, cy.lane_trend_ai_adjacent, cy.lane_trend_traditional])
        self.lane_rate = rates.take(occ.lane) if rates.any() else None
        bill0 = firms.base_demand * firms.posted_wage
        self.bill_mix = bill0 / np.maximum(bill0.sum(axis=1, keepdims=True), 1e-12)
        self.lane_factor = np.ones(occ.n)
        self.core_peak = np.zeros(firms.demand.shape)  # each firm's highest private AI-core demand so far
        self.bound = np.zeros(firms.n, dtype=bool)  # firms whose budget or AI envelope binds this month
        self.public_share = None  # the public share of each cell's demand while public AI projects run (step)
        self.relief = None  # the hiring subsidy received by each firm last month, when it relieves the budget (step)

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
        m, ai, lev = self.model, self.cfg.ai, self.model.levers
        firms, occ = m.firms, m.occupations
        mult = self.multiplier()
        x = firms.adoption * m.capability
        automation_gap = ai.automation_strength * occ.automation[None, :] * np.maximum(x - self.x0, 0.0)[:, None]
        level = firms.base_demand * m.cycle / self.m0
        if m.demand_shift is not None:  # a regional run's product market (module docstring)
            level = level * m.demand_shift.take(firms.sector)[:, None]
        if self.lane_rate is not None:
            # months since the burn-in began (the factors are not rebased at month 0: base demand keeps what they did)
            self.lane_factor = np.power(1.0 + self.lane_rate, (m.month + self.cfg.burn_in_months) / 12.0)
            level = level * self.lane_factor[None, :]
        self.subsidy_demand(level, lev)
        private = level * mult
        public = self.public_demand(private, lev)
        wanted = private + public
        # the public share of each cell's demand, priced by the fiscal ledger (None while no public project runs)
        self.public_share = np.divide(public, wanted, out=np.zeros_like(public), where=wanted > 0) if public.any() else None
        wanted_no_auto = level * (mult + automation_gap) + public
        wage = firms.posted_wage
        self.move_budgets((public * wage).sum(axis=1))
        matching = next(p for p in m.processes if p.name == "matching")
        self.relief = matching.subsidy_receipts if lev.hiring_budget_relief else None
        budget = firms.budget if self.relief is None else firms.budget + self.relief
        scale = self.within_budgets(wanted, wage, budget)
        scaled = wanted * scale
        demand = np.floor(scaled + self.dither)
        over = (demand * wage).sum(axis=1) > budget
        if over.any():
            demand[over] = np.floor(scaled[over])
        firms.demand[:] = demand.astype(np.int64)
        firms.demand_wanted[:] = scaled
        np.multiply(wanted_no_auto, scale, out=firms.demand_no_automation)

    def subsidy_demand(self, level: np.ndarray, lev) -> None:
        """The hiring subsidy's demand response, in place: ``level x (1 - c q_o)^(-demand_elasticity)`` (module docstring)."""
        cut = subsidy_cost_cut(lev, self.cfg.market)
        if cut <= 0 or lev.hiring_demand_elasticity <= 0:
            return
        matching = next(p for p in self.model.processes if p.name == "matching")
        level *= np.power(1.0 - cut * matching.eligible_share(), -lev.hiring_demand_elasticity)[None, :]

    def public_demand(self, private: np.ndarray, lev) -> np.ndarray:
        """Publicly funded AI-core demand: the push's share of trend demand plus its backstop of stalled projects.

        ``P_fo = core_o (public_ai level_fo M_fo + backstop max(peak_fo - D^priv_fo, 0))``, where ``peak_fo`` is the
        highest private AI-core demand the firm has had (tracked after the burn-in).
        """
        if not self.model.burning_in:
            np.maximum(self.core_peak, private * self.core[None, :], out=self.core_peak)
        public = lev.public_ai_demand * private
        if lev.public_ai_backstop > 0:
            public += lev.public_ai_backstop * np.maximum(self.core_peak - private, 0.0)
        return public * self.core[None, :]

    def move_budgets(self, public_funds: np.ndarray) -> None:
        """The payroll budget and its AI envelope move towards their targets (module docstring)."""
        m, ai, fc, firms = self.model, self.cfg.ai, self.cfg.firms, self.model.firms
        rel_ae = (firms.adoption * firms.expected_return - self.ae0) / max(ai.return_scale, 1e-12)
        base = firms.base_budget * m.cycle
        if m.demand_shift is not None:
            base = base * m.demand_shift.take(firms.sector)
        ai_share0 = self.ai_share0
        if self.lane_rate is not None:
            grown = self.bill_mix @ self.lane_factor  # the payroll the lane trends ask for, relative to month 0's mix
            ai_share0 = ai_share0 * float(self.lane_factor[self.core > 0][0]) / np.maximum(grown, 1e-12) if self.core.any() else ai_share0
            base = base * grown
        target = base * np.maximum(1.0 + fc.ai_new_money * fc.ai_budget_share * rel_ae, MIN_BUDGET_SHARE) + public_funds
        ai_target = base * np.maximum(ai_share0 + fc.ai_budget_share * rel_ae, MIN_BUDGET_SHARE * ai_share0)
        ai_target += public_funds
        firms.budget += fc.budget_adjustment * (target - firms.budget)
        self.ai_budget += fc.budget_adjustment * (ai_target - self.ai_budget)
        np.minimum(self.ai_budget, firms.budget, out=self.ai_budget)

    def within_budgets(self, wanted: np.ndarray, wage: np.ndarray, budget: np.ndarray) -> np.ndarray:
        """Scale factors per firm and occupation: AI-core demand within the AI envelope, the rest within what is left of ``budget``."""
        bill = wanted * wage
        core_cost = bill @ self.core
        rest_cost = bill.sum(axis=1) - core_cost
        core_scale = np.minimum(1.0, self.ai_budget / np.maximum(core_cost, 1e-9))
        left = np.maximum(budget - core_cost * core_scale, 0.0)
        rest_scale = np.minimum(1.0, left / np.maximum(rest_cost, 1e-9))
        self.bound = (core_scale < 1.0) | (rest_scale < 1.0)
        return np.where(self.core[None, :] > 0, core_scale[:, None], rest_scale[:, None])

    def record(self, values: dict) -> None:
        """Demand by occupation; the wage bill (every employee earns their cell's wage this month) against the budgets."""
        m = self.model
        f = m.firms
        wage_bill = (f.headcount * m.current_wage).sum(axis=1)
        values["demand_occ"] = f.demand.sum(axis=0)
        n_sec = m.sectors.n
        values["demand_sector"] = np.bincount(f.sector, weights=f.demand.sum(axis=1), minlength=n_sec)
        values["demand_ai_sector"] = np.bincount(f.sector, weights=f.demand @ (self.core + self.adjacent), minlength=n_sec)
        values["wage_bill"] = float(wage_bill.sum())
        values["hiring_budget"] = float(f.budget.sum())
        budget = f.budget if self.relief is None else f.budget + self.relief  # the subsidy received is money to pay wages with
        has_budget = budget > 0  # a firm with nothing to spend (no workers at the start) has no slack to speak of
        slack = (budget[has_budget] - wage_bill[has_budget]) / budget[has_budget]
        values["min_budget_slack"] = float(slack.min()) if slack.size else 0.0
        values["budget_bound_share"] = float(self.bound.mean()) if self.bound.size else 0.0
