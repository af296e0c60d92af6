"""Step 5: vacancies and posted wages.

Vacancies are the unfilled part of demand, V_fo = max(D_fo - H_fo, 0). Each
firm pays one wage per occupation, w_fo = base_wage_o * index_o * premium_f
(set for this month by :mod:`.wages`); incumbents are paid the posted wage.
"""

from __future__ import annotations

import numpy as np

from .base import Process


class Vacancies(Process):
    """Open positions and this month's wages."""

    def step(self) -> None:
        m = self.model
        firms, w = m.firms, m.workers
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)
        emp = m.employed_index()
        w.wage[emp] = firms.posted_wage[w.firm[emp], w.occupation[emp]]
        m.flows["vacancies_occ"] += firms.vacancies.sum(axis=0)
