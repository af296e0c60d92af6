"""Step 4: separations (retirements, layoffs with their cause, quits).

* Retirement: every living worker at or above the retirement age leaves.
* Layoffs: in each firm-occupation cell with headcount H above demand D, the
  firm lays off L = H - D workers chosen at random. Of these,
  L_ai = min(L, floor(D0* - D*)) are recorded as displaced by AI, where
  D0* - D* is the demand lost to automation since month 0 (see
  :mod:`.demand`); the rest are other layoffs (budget, cycle, stalled AI
  projects).
* Quits into unemployment: each remaining employee quits with probability
  ``quit_rate`` a month.
"""

from __future__ import annotations

import numpy as np

from ..state import EMPLOYED, RETIRED
from .base import Process


def rank_within_groups(group: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order items by (group, key) and give each its 0-based rank inside its group.

    Returns ``(order, rank)``: ``order`` indexes the items in sorted order and
    ``rank[i]`` is the rank of item ``order[i]`` within its group.
    """
    order = np.lexsort((key, group))
    g = group[order]
    n = len(g)
    if n == 0:
        return order, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    lengths = np.diff(np.r_[starts, n])
    rank = np.arange(n) - np.repeat(starts, lengths)
    return order, rank


class Separations(Process):
    """Retirements, layoffs (AI or other) and quits."""

    def step(self) -> None:
        m = self.model
        w, firms, fl = m.workers, m.firms, m.flows
        n_occ = m.occupations.n

        # retirement
        alive = m.alive_index()
        old = alive[w.age[alive] >= self.cfg.demography.retirement_age]
        if old.size:
            st = w.status[old]
            for code, name in m.STATUS_FLOW_NAMES.items():
                fl[f"retirements_{name}"] += int(np.count_nonzero(st == code))
            m.leave_firm(old[st == EMPLOYED])
            w.status[old] = RETIRED
            w.firm[old] = -1

        # layoffs
        m.refresh_headcount()
        excess = np.maximum(firms.headcount - firms.demand, 0)
        if excess.any():
            gap = np.floor(np.maximum(m.demand.demand_no_automation - m.demand.demand_float, 0.0) + 1e-9).astype(np.int64)
            ai_excess = np.minimum(excess, gap)
            emp = m.employed_index()
            cell = w.firm[emp].astype(np.int64) * n_occ + w.occupation[emp]
            flat_excess = excess.ravel()
            cand = emp[flat_excess[cell] > 0]
            ccell = w.firm[cand].astype(np.int64) * n_occ + w.occupation[cand]
            order, rank = rank_within_groups(ccell, m.rng.random(cand.size))
            sorted_cells = ccell[order]
            fired = rank < flat_excess[sorted_cells]
            is_ai = rank < ai_excess.ravel()[sorted_cells]
            ai_ids = cand[order[fired & is_ai]]
            other_ids = cand[order[fired & ~is_ai]]
            m.displace(ai_ids)
            m.lay_off(ai_ids)
            m.lay_off(other_ids)
            fl["separations_ai"] += ai_ids.size
            fl["layoffs_other"] += other_ids.size
            np.add.at(fl["separations_ai_occ"], w.occupation[ai_ids], 1)
            np.add.at(fl["separations_other_occ"], w.occupation[other_ids], 1)
            np.add.at(fl["separations_ai_stage"], m.stage_of(ai_ids), 1)

        # quits into unemployment
        emp = m.employed_index()
        quitters = emp[m.rng.random(emp.size) < self.cfg.market.quit_rate]
        m.lay_off(quitters)
        fl["quits"] += quitters.size
        np.add.at(fl["separations_other_occ"], w.occupation[quitters], 1)
        m.refresh_headcount()
