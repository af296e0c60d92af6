"""Step 1: exogenous drivers (AI capability, the demand cycle, the policy schedule)."""

from __future__ import annotations

import math

from .base import Process


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
    return max(level, 0.05) * (1.0 + trend) ** (month / 12.0)


class Drivers(Process):
    """Sets ``model.capability``, ``model.cycle`` and this month's policy levers."""

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, ai, cy = self.model, self.cfg.ai, self.cfg.cycle
        m.capability = capability(m.month, ai.capability_initial, ai.capability_growth, ai.capability_frozen)
        m.cycle = demand_cycle(m.month, cy.trend_growth, cy.amplitude, cy.period_months, cy.shock_month, cy.shock_size, cy.shock_months)
        m.levers = m.policies.step(m.month)
