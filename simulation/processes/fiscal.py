"""The fiscal ledger: what the state pays and receives each month, by lever.

Each lever's money is counted where it moves, in the currency of the run's wage data (``profile.currency`` a month: CNY
in the China profile, USD in the US profile):

* ``outlay_benefits``: unemployment benefits paid this month (:mod:`.lifecycle` pays them and runs the benefit clocks;
  the benefit is set at the start of an insured spell, :mod:`.insurance`);
* ``outlay_training``: the state's share of tuition and of the living stipend of subsidised trainees, spread
  over the course's months (:mod:`.retraining`);
* ``outlay_wage_subsidy``: the state's share of subsidised hires' wages for the subsidy's months (:mod:`.matching`);
* ``outlay_adoption_subsidy`` and ``revenue_automation_tax`` (here): the adoption subsidy's share of firms' AI
  adoption cost and the automation tax, each ``rate x adoption_f x adoption_money_scale x base_budget_f``: the model's
  AI costs are monthly flows per unit adoption in units of the firm's base payroll budget (``fiscal.adoption_money_scale``);
* ``outlay_public_ai`` (here): the wages of publicly funded AI-core positions, each firm's AI-core wage bill times the
  public share of its AI-core demand.

``fiscal_outlays`` is the sum of every ``outlay_*`` line, ``fiscal_revenue`` of every ``revenue_*`` line and
``fiscal_net_cost`` their difference. ``summary.json`` holds each line's total over the run and the totals discounted
to month 0 at ``fiscal.discount_rate`` a year (:func:`simulation.results.fiscal_summary`). Month 0 (the initial state)
and the burn-in are not counted: every line is 0 at month 0.
"""

from __future__ import annotations

from ..outputs import value
from .base import Process

OUTLAY, REVENUE = "outlay_", "revenue_"


class Fiscal(Process):
    """Records the ledger's lines priced here and the month's totals (module docstring)."""

    name = "fiscal"
    reads = ("levers", "firms.adoption", "firms.base_budget", "firms.headcount", "current_wage")
    writes = ()
    outputs = (
        value("outlay_adoption_subsidy", "the state's share of firms' AI adoption cost this month", "currency / month"),
        value("revenue_automation_tax", "automation tax collected this month", "currency / month"),
        value("outlay_public_ai", "wages of publicly funded AI-core positions this month", "currency / month"),
        value("fiscal_outlays", "the state's outlays this month, every outlay_* line", "currency / month"),
        value("fiscal_revenue", "the state's revenue from the levers this month, every revenue_* line", "currency / month"),
        value("fiscal_net_cost", "fiscal_outlays - fiscal_revenue", "currency / month"),
    )

    def step(self) -> None:  # pragma: no cover - the ledger only records
        """Nothing moves: the ledger is read when the month is recorded."""

    def record(self, values: dict) -> None:
        """Price the adoption levers and public AI projects, then total every line of the month."""
        m, fc = self.model, self.cfg.fiscal
        firms, lev = m.firms, m.levers
        spend = float(firms.adoption @ firms.base_budget) * fc.adoption_money_scale  # per unit of cost: sum_f a_f B_f
        subsidy_rate = self.cfg.ai.adoption_cost * (1.0 - lev.adoption_cost_factor)
        counted = m.month >= 1  # month 0 is the initial state, with no flows
        values["outlay_adoption_subsidy"] = subsidy_rate * spend if counted else 0.0
        values["revenue_automation_tax"] = lev.adoption_cost_add * spend if counted else 0.0
        values["outlay_public_ai"] = self.public_ai_wages() if counted else 0.0
        flows = [v for k, v in m.flows.items() if k.startswith(OUTLAY)]
        outlays = float(sum(flows)) + values["outlay_adoption_subsidy"] + values["outlay_public_ai"]
        revenue = float(sum(v for k, v in m.flows.items() if k.startswith(REVENUE))) + values["revenue_automation_tax"]
        values["fiscal_outlays"], values["fiscal_revenue"] = outlays, revenue
        values["fiscal_net_cost"] = outlays - revenue

    def public_ai_wages(self) -> float:
        """Each firm's AI-core wage bill times the public share of its AI-core demand."""
        m = self.model
        share = next(p for p in m.processes if p.name == "demand").public_share
        if share is None:
            return 0.0
        return float((share * m.firms.headcount * m.current_wage).sum())
