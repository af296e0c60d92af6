"""Step 2: firms update their expected AI return and their AI adoption.

For firm f in sector s at month t, with capability C(t) and sector AI affinity k_s:

    realised return      R_f = return_scale * C(t) * k_s
    perceived return     P_f = R_f * (1 + optimism_f)
    expected return      E_f <- E_f + lambda (P_f - E_f)
    net return           N_f = E_f - cost * (1 - subsidy) - tax
    desired adoption     A*_f = (1 - w) logistic(b + beta N_f) + w * mean_{g in s} a_g
    adoption             a_f <- A*_f with probability q a month, else unchanged

The intercept ``b`` is set at month 0 so that a firm with the mean month-0
expected return (net of cost) desires the initial adoption. Adoption is not
constant with capability frozen: sectors differ in their AI affinity and the
logistic is curved, so firms revise towards targets around the initial level
and mean adoption drifts (in ``no_ai``, from about 11% to about 13% over
three years), which can displace a few workers by AI even there.

Hype: firms with optimism > 0 over-estimate the return. A month in which
E_f - R_f exceeds the tolerance is a disappointment; after ``patience_f``
disappointments the firm stalls its AI projects: its optimism drops to zero,
its expectation falls below the realised return, to R_f (1 - hype_disillusion)
(the trough of disillusionment), from where it recovers towards R_f at the
learning rate, and it revises its adoption at once, cutting AI demand.

Firms' expected returns start at the realised return at month 0 (set when the
model builds the firms). Adoption does not run in the burn-in: capability,
adoption and expected returns stay at their month-0 levels.
"""

from __future__ import annotations

import numpy as np

from ..outputs import BY_SECTOR, cumulative, tally, value
from .base import Process


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


class Adoption(Process):
    """Expected returns, hype and stalls, and adoption diffusion."""

    name = "adoption"
    reads = ("capability", "levers")
    writes = ("firms.adoption", "firms.expected_return")
    in_burn_in = False
    outputs = (
        tally("firms_stalled", "firms that stalled their AI projects this month", table="timeseries"),
        value("mean_ai_adoption", "mean AI adoption across firms", "index 0-1"),
        value("mean_expected_return", "mean of firms' expected return on AI", "return per unit adoption"),
        value("mean_ai_adoption", "mean AI adoption across the sector's firms", "index 0-1", table=BY_SECTOR),
        cumulative("firms_stalled_cumulative", "firms_stalled", "firms that have stalled their AI projects after a hype", "firms"),
    )

    def __init__(self, model):
        super().__init__(model)
        ai = self.cfg.ai
        firms = model.firms
        self.affinity = model.sectors.ai_affinity[firms.sector]
        r0 = ai.return_scale * model.capability * self.affinity
        a0 = np.clip(ai.adoption_initial, 1e-4, 1 - 1e-4)
        cost0 = ai.adoption_cost
        self.intercept = float(np.log(a0 / (1 - a0)) - ai.adoption_sensitivity * (np.mean(r0) - cost0))
        self.n_sectors = model.sectors.n

    def realised_return(self) -> np.ndarray:
        """R_f = return_scale * C(t) * sector affinity."""
        return self.cfg.ai.return_scale * self.model.capability * self.affinity

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, ai, firms, lev = self.model, self.cfg.ai, self.model.firms, self.model.levers
        realised = self.realised_return()
        perceived = realised * (1.0 + firms.optimism)
        firms.expected_return += ai.belief_learning_rate * (perceived - firms.expected_return)

        disappointed = (firms.expected_return - realised) > ai.hype_tolerance
        firms.months_disappointed += disappointed
        stall = (firms.months_disappointed >= firms.patience) & (firms.optimism > 0)
        if stall.any():
            firms.optimism[stall] = 0.0
            firms.expected_return[stall] = realised[stall] * (1.0 - ai.hype_disillusion)
            firms.stalled_month[stall] = m.month
            m.flows["firms_stalled"] += int(stall.sum())

        cost = ai.adoption_cost * lev.adoption_cost_factor + lev.adoption_cost_add
        own = logistic(self.intercept + ai.adoption_sensitivity * (firms.expected_return - cost))
        sector_sum = np.bincount(firms.sector, weights=firms.adoption, minlength=self.n_sectors)
        sector_n = np.bincount(firms.sector, minlength=self.n_sectors)
        peer = (sector_sum / np.maximum(sector_n, 1))[firms.sector]
        desired = (1.0 - ai.peer_weight) * own + ai.peer_weight * peer
        revise = self.rng.random(firms.n) < ai.adoption_revision_rate
        revise |= stall  # a firm that stalls its projects revises its adoption at once
        firms.adoption[revise] = np.clip(desired[revise], 0.0, 1.0)

    def record(self, values: dict) -> None:
        """Mean adoption and mean expected return across firms."""
        firms = self.model.firms
        values["mean_ai_adoption"] = float(firms.adoption.mean())
        values["mean_expected_return"] = float(firms.expected_return.mean())
        n_firms = np.bincount(firms.sector, minlength=self.n_sectors)
        total = np.bincount(firms.sector, weights=firms.adoption, minlength=self.n_sectors)
        values["mean_ai_adoption_sector"] = np.where(n_firms > 0, total / np.maximum(n_firms, 1), 0.0)
