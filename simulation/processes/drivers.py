"""Step 1: exogenous drivers (AI capability, the demand cycle, the policy schedule).

In the burn-in, capability stays at its month-0 level, the demand cycle is the
trend alone, (1 + g)^((t + B) / 12) in burn-in month t of B (firms grow along the
demand trend, as the labour force does), and the only lever acting is the
status-quo unemployment insurance (the defaults of
:class:`~simulation.config.UnemploymentInsurance`), whatever the scenario
configures, so every scenario starts from the same month 0.
"""

from __future__ import annotations

import math

from ..config import PolicyConfig
from ..outputs import value
from ..policies import PolicySet
from .base import Process

MIN_CYCLE = 0.05  # the cycle and a bust never take demand below 5% of its trend (a floor, not a calibrated value)


def capability(month: float, initial: float, growth: float, frozen: bool) -> float:
    """Logistic AI capability, C(t) = 1 / (1 + exp(-g (t - t_mid))), with C(0) = initial.

    ``t_mid = ln((1 - C0) / C0) / g``. Frozen (or zero growth): C(t) = C0.
    """
    if frozen or growth == 0.0 or initial >= 1.0:
        return initial
    if initial <= 0.0:
        return 0.0
    t_mid = math.log((1.0 - initial) / initial) / growth
    return 1.0 / (1.0 + math.exp(-growth * (month - t_mid)))


def demand_cycle(month: int, trend: float, amplitude: float, period: int, shock_month: int, shock_size: float, shock_months: int) -> float:
    """Demand multiplier: (1 + g)^(t/12) (1 + A sin(2 pi t / P) + shock while it lasts)."""
    level = 1.0 + amplitude * math.sin(2.0 * math.pi * month / period)
    if shock_month > 0 and shock_month <= month < shock_month + shock_months:
        level += shock_size
    return max(level, MIN_CYCLE) * (1.0 + trend) ** (month / 12.0)


class Drivers(Process):
    """Sets ``model.capability``, ``model.cycle`` and this month's policy levers."""

    name = "drivers"
    writes = ("capability", "cycle", "levers")
    outputs = (
        value("ai_capability", "AI capability (logistic path; frozen in `no_ai`)", "index 0-1"),
        value("demand_cycle", "exogenous demand multiplier (trend x cycle x shocks)", "index"),
    )

    def __init__(self, model):
        super().__init__(model)
        self.status_quo = PolicySet(PolicyConfig(), model.initial_population).step(1)

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, ai, cy = self.model, self.cfg.ai, self.cfg.cycle
        if m.burning_in:
            m.cycle = (1.0 + cy.trend_growth) ** ((m.month + self.cfg.burn_in_months) / 12.0)
            m.levers = self.status_quo
            return
        m.capability = capability(m.month, ai.capability_initial, ai.capability_growth, ai.capability_frozen)
        m.cycle = demand_cycle(m.month, cy.trend_growth, cy.amplitude, cy.period_months, cy.shock_month, cy.shock_size, cy.shock_months)
        m.levers = m.policies.step(m.month)

    def record(self, values: dict) -> None:
        """Capability and the demand cycle."""
        values["ai_capability"] = self.model.capability
        values["demand_cycle"] = self.model.cycle
