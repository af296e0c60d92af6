"""Step 5: vacancies and posted wages.

Vacancies are the unfilled part of demand, V_fo = max(D_fo - H_fo, 0). Each
firm pays one wage per occupation, w_fo = base_wage_o * index_o * premium_f
(set for this month by :mod:`.wages`), to new hires and incumbents alike:
``model.current_wage`` holds this month's wages, and a worker's own ``wage``
field is written when they are hired and when they leave a job.
"""

from __future__ import annotations

import numpy as np

from ..outputs import BY_OCCUPATION, BY_SECTOR, flow
from .base import Process


class Vacancies(Process):
    """Open positions and this month's wages."""

    name = "vacancies"
    reads = ("firms.demand", "firms.headcount")
    writes = ("firms.vacancies", "current_wage", "flows.vacancies")
    outputs = (
        flow("vacancies", "open positions posted this month (before matching)", "positions"),
        flow("vacancies", "open positions posted this month", "positions", table=BY_OCCUPATION),
        flow("vacancies", "open positions posted this month by firms of the sector", "positions", table=BY_SECTOR),
    )

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m = self.model
        firms = m.firms
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)
        m.current_wage[:] = firms.posted_wage
        by_occupation = firms.vacancies.sum(axis=0)
        m.flows["vacancies_occ"] += by_occupation
        m.flows["vacancies"] += int(by_occupation.sum())
        m.flows["vacancies_sector"] += np.bincount(firms.sector, weights=firms.vacancies.sum(axis=1), minlength=m.sectors.n).astype(np.int64)
