"""Step 7b: internal transfers (firms retrain their own staff into AI-core roles they cannot fill).

A firm whose AI-core positions are still open after matching fills some of them from within, as firms racing to
staff AI teams do: for firm f and AI-core occupation o with V_fo positions open after matching,

    k_fo ~ Binomial(V_fo, internal_transfer_rate)

positions are filled by f's own employees from other lanes whose fit for o is at least ``internal_transfer_min_fit``
(chosen at random among them; the occupations are served in a random order each month). The firm trains them: a
transferee changes occupation (keeping ``market.experience_transfer`` of the credited experience), learns AI skills,
keeps the occupation-specific skills of the lane left (``specialisms``), their employer and tenure, and is paid the
AI-core hire pay for their fit and experience. The position left behind opens next month. A transfer fills a
position within the firm's AI envelope (``firms.ai_budget_share``), so it is bound by the payroll budget as a hire is:
money turns into AI-core staff even when the market has none to offer, and the AI budget moves AI-core employment.
Transfers are not hires (no market match) and are counted apart (``internal_transfers``).
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, BY_STAGE, flow
from .base import Process
from .grouping import rank_within_groups


class Transfers(Process):
    """Firms fill open AI-core positions by retraining their own employees."""

    name = "transfers"
    reads = ("firms.vacancies",)
    writes = ("workers.occupation", "firms.headcount", "firms.vacancies")
    outputs = (
        flow("internal_transfers", "employees moved by their employer into an AI-core role it could not fill (trained in-house)"),
        flow("internal_transfers", "internal transfers into this occupation", table=BY_OCCUPATION),
        flow("internal_transfers_out", "internal transfers out of this occupation (into an AI-core role)", table=BY_OCCUPATION),
        flow("internal_transfers", "internal transfers of workers in the stage", table=BY_STAGE),
    )

    def __init__(self, model):
        super().__init__(model)
        lane = model.occupations.lane
        self.core_occupations = np.flatnonzero(lane == LANES.index("ai_core"))
        self.core_lane = np.zeros(model.occupations.n, dtype=bool)
        self.core_lane[self.core_occupations] = True

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, fc = self.model, self.cfg.firms
        if fc.internal_transfer_rate <= 0 or self.core_occupations.size == 0:
            return
        firms, w, rng = m.firms, m.workers, self.rng
        open_core = firms.vacancies[:, self.core_occupations]
        k = rng.binomial(open_core, fc.internal_transfer_rate)
        if not k.any():
            return
        emp = m.employed_index()
        emp = emp.compress(~self.core_lane.take(w.occupation.take(emp)))
        emp = emp.compress(k.sum(axis=1).take(w.firm.take(emp)) > 0)
        taken = np.zeros(0, dtype=np.int64)
        n_occ = m.occupations.n
        for j in rng.permutation(self.core_occupations.size):
            need = k[:, j]
            o = int(self.core_occupations[j])
            cand = emp.compress(need.take(w.firm.take(emp)) > 0)
            cand = cand.compress(w.fit.ravel().take(cand * n_occ + o) >= fc.internal_transfer_min_fit)
            if taken.size:
                cand = cand.compress(~np.isin(cand, taken))
            if cand.size == 0:
                continue
            group = w.firm.take(cand)
            order, rank = rank_within_groups(group, rng.random(cand.size))
            chosen = cand.take(order).compress(rank < need.take(group.take(order)))
            self.transfer(chosen, o)
            taken = np.concatenate([taken, chosen])

    def transfer(self, ids: np.ndarray, o: int) -> None:
        """Move these employees of their firms into AI-core occupation ``o``, trained and paid as the module says."""
        if ids.size == 0:
            return
        m = self.model
        w, firms, fl, n_occ = m.workers, m.firms, m.flows, m.occupations.n
        old = w.occupation.take(ids)
        fl["internal_transfers"] += ids.size
        fl["internal_transfers_out_occ"] += np.bincount(old, minlength=n_occ)
        fl["internal_transfers_occ"][o] += ids.size
        fl["internal_transfers_stage"] += np.bincount(m.stage_of(ids), minlength=3)
        firm = w.firm.take(ids)
        m.leave_firm(ids)  # headcount of the old cell; keeps the last wage
        w.ai_skill[ids] = True
        target = np.full(ids.size, o, dtype=w.occupation.dtype)
        tenure = w.tenure.take(ids)
        m.join_firm(ids, firm, target)  # specialisms of the lane left, occupation change with experience_transfer
        w.tenure[ids] = tenure
        pay = m.hire_pay(ids, w.fit.ravel().take(ids * n_occ + o), target)
        w.pay_factor[ids] = pay
        w.wage[ids] = pay * firms.posted_wage[firm, o]
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)
