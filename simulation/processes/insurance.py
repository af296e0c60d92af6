"""Unemployment insurance: the benefit a layoff grants and how its level changes search.

The benefit. At a layoff (:meth:`simulation.model.LaborMarketModel.lay_off`) the worker is granted
``duration_months`` of a monthly benefit

    b_i = min(max(replacement_rate x w_i, floor_share x W), cap_share x W)

where w_i is their last wage and W the reference wage (:func:`reference_wage`: the data's mean monthly wage at
month 0, the occupations' base wages weighted by their initial employment shares), so that the floor and the cap
are free of the currency. If ``floor_share`` exceeds ``cap_share`` the cap wins. Quitters, graduates, entrants from
other sectors and re-entrants are not insured (b = 0). The benefit is held in ``workers.ui_benefit`` for the whole
spell (it sets behaviour after the benefit has run out too) and paid, each month, to the unemployed and trainees
who still have benefit months (:mod:`.lifecycle`, which runs the clocks and the ledger line ``outlay_benefits``).

Behaviour. The worker's replacement ratio is rho_i = b_i / w_i (their benefit relative to their last wage). While
insured, their search effort (the share of an uninsured searcher's workable applications) and the reservation
ratio their spell starts from (:mod:`.matching`) are

    effort(rho)      = min(insured_search_effort x (rho / rho_ref)^(-search_benefit_elasticity), 1)
    reservation(rho) = max(reservation_ratio_insured + reservation_benefit_slope x (rho - rho_ref), reservation_ratio_floor)

with rho_ref = ``market.ui_reference_ratio`` (0.3, the shipped replacement rate): at the shipped defaults the
floor and cap rarely bind, so every recipient has rho = 0.3 and the constants of the issue-14 calibration
(0.6 and 0.9) hold. Both response parameters at 0 make the level of the benefit irrelevant to behaviour (only
whether a spell is insured then matters, as before benefits were paid).
"""

from __future__ import annotations

import numpy as np

EFFORT_STEPS = 200  # search effort is looked up on a grid of 1/EFFORT_STEPS (its binomial tables are built once)


def reference_wage(occupations) -> float:
    """The reference wage W of the floor and the cap: the occupations' base wages weighted by their initial shares (USD / month)."""
    return float(np.average(occupations.base_wage, weights=occupations.initial_share))


def benefit(last_wage: np.ndarray, levers, reference: float) -> np.ndarray:
    """Monthly benefit (float32) for workers with these last wages under this month's levers (module docstring)."""
    b = np.asarray(last_wage, dtype=np.float64) * levers.ui_replacement
    b = np.minimum(np.maximum(b, levers.ui_floor_share * reference), levers.ui_cap_share * reference)
    return np.nan_to_num(b, nan=0.0).astype(np.float32)


def replacement_ratio(workers, ids: np.ndarray) -> np.ndarray:
    """Rho = benefit / last wage of these workers (0 for those without a benefit or a last wage)."""
    b = workers.ui_benefit.take(ids).astype(np.float64)
    w = workers.wage.take(ids).astype(np.float64)
    ok = (b > 0) & (w > 0)
    return np.divide(b, w, out=np.zeros(ids.size), where=ok)


def insured_effort(rho: np.ndarray, mk) -> np.ndarray:
    """Search effort of insured searchers with these replacement ratios, as a share of an uninsured searcher's (module docstring)."""
    rel = np.maximum(rho, 1e-9) / mk.ui_reference_ratio
    return np.minimum(mk.insured_search_effort * rel ** (-mk.search_benefit_elasticity), 1.0)


def insured_reservation(rho: np.ndarray, mk) -> np.ndarray:
    """Reservation ratio (share of market value) an insured spell starts from at these replacement ratios (module docstring)."""
    r = mk.reservation_ratio_insured + mk.reservation_benefit_slope * (rho - mk.ui_reference_ratio)
    return np.maximum(r, mk.reservation_ratio_floor)
