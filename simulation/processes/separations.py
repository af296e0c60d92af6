"""Step 4: separations (retirements, layoffs with their cause, quits).

* Retirement: every living worker at or above the retirement age leaves.
* Layoffs: in each firm-occupation cell with headcount H above demand D, the
  firm lays off L = H - D workers chosen at random. Of these,
  L_ai = min(L, floor(D0* - D*)) are recorded as displaced by AI, where
  D0* - D* is the demand lost to automation since month 0 (see
  :mod:`.demand`): the layoffs that would not have happened had automation
  stayed at its month-0 level. The rest are other layoffs (budget, cycle,
  stalled AI projects). An employee who has upskilled in place
  (:mod:`.upskilling`) is picked with relative weight 1 -
  ``upskilling.layoff_protection`` (weighted sampling without replacement
  within the cell). AI-core roles are themselves exposed (coding tasks),
  so when a stalled AI project cuts them, the part automation made
  unnecessary still counts as AI displacement. A worker displaced by AI loses
  ``displacement_skill_loss`` of their skills (those specific to the automated
  tasks), which lowers their fit until they relearn on a job or retrain.
* Match and firm shocks: each remaining employee's job ends with probability
  ``layoff_rate`` a month (a layoff, counted in ``layoffs_other``; the laid-off
  worker draws unemployment insurance). The cell's demand is unchanged, so the
  position reopens as a vacancy.
* Quits into unemployment: each remaining employee quits with probability
  ``quit_rate`` a month. Quitters draw no unemployment insurance. (Most quits
  are job to job: on-the-job search, in :mod:`.matching`.)

The numbers of shocks and of quits are binomial draws over the employees; a
worker drawn for both is laid off (so quits are ``quit_rate x (1 -
layoff_rate)`` of employment, to first order).

The month's layoff and quit rates are recorded as shares of the employment at
the start of the month (before retirements): ``layoff_rate = (separations_ai +
layoffs_other) / E``, ``quit_rate_total = (quits + job_to_job) / E``.
"""

from __future__ import annotations

import numpy as np

from ..metrics import safe_ratio
from ..outputs import BY_OCCUPATION, BY_SECTOR, BY_STAGE, cumulative, flow, value
from ..state import EMPLOYED, OUT_OF_LABOR_FORCE, RETIRED, RETRAINING, UNEMPLOYED
from .base import Process
from .grouping import distinct, draw_among, flatnonzero, rank_within_groups


class Separations(Process):
    """Retirements, layoffs (AI or other) and quits."""

    name = "separations"
    reads = ("firms.demand", "firms.demand_wanted", "firms.demand_no_automation")
    writes = ("workers.status", "firms.headcount")
    RETIREMENT_FLOWS = {EMPLOYED: "retirements_employed", UNEMPLOYED: "retirements_unemployed",
                        RETRAINING: "retirements_retraining", OUT_OF_LABOR_FORCE: "retirements_olf"}
    outputs = (
        flow("separations_ai", "layoffs caused by automation: AI displacement, the layoffs that would not have happened "
             "had automation stayed at its month-0 level"),
        flow("separations_other", "all other separations into another status or employer: `layoffs_other + quits + job_to_job` "
             "(job-to-job moves are added by matching)"),
        flow("layoffs_other", "layoffs not caused by automation (budget cuts, demand cycle, stalled AI projects)"),
        flow("quits", "quits into unemployment"),
        flow("retirements", "workers who retired this month (all statuses)"),
        flow("retirements_employed", "retirements of employed workers"),
        flow("retirements_unemployed", "retirements of unemployed workers"),
        flow("retirements_retraining", "retirements of workers in retraining"),
        flow("retirements_olf", "retirements of workers out of the labour force"),
        cumulative("ai_displaced_cumulative", "separations_ai", "AI displacements since month 0 (cumulative `separations_ai`)"),
        flow("separations_ai", "AI displacements from the occupation", table=BY_OCCUPATION),
        flow("separations_other", "other layoffs, quits and job-to-job moves out of the occupation", table=BY_OCCUPATION),
        flow("separations_ai", "AI displacements of workers in the stage", table=BY_STAGE),
        flow("separations_ai", "AI displacements by firms of the sector", table=BY_SECTOR),
        value("layoff_rate", "all layoffs (`separations_ai + layoffs_other`) / employment at the start of the month", "share / month"),
        value("quit_rate_total", "all quits (`quits + job_to_job`: into unemployment and to another employer) / employment at "
              "the start of the month", "share / month"),
    )

    def __init__(self, model):
        super().__init__(model)
        self.employed_at_start = 0  # employment when the month's separations start (last month's end)

    def record(self, values: dict) -> None:
        """The month's layoff and quit rates (0 at month 0, which has no flows)."""
        fl, e = self.model.flows, self.employed_at_start
        values["layoff_rate"] = safe_ratio(fl["separations_ai"] + fl["layoffs_other"], e)
        values["quit_rate_total"] = safe_ratio(fl["quits"] + fl["job_to_job"], e)

    def layoff_keys(self, cand: np.ndarray) -> np.ndarray:
        """Random keys that order a cell's employees for its layoffs (lowest first).

        Uniform, or, when some are upskilled, an exponential race, E / weight with weight 1 - ``upskilling.layoff_protection`` for the upskilled (1 for the
        rest), which picks the next worker laid off with probability proportional to their weight (the same order as
        the uniform keys when no one is upskilled).
        """
        u = self.rng.random(cand.size)
        upskilled = self.model.workers.upskilled.take(cand)
        protection = self.cfg.upskilling.layoff_protection
        if protection <= 0 or not upskilled.any():
            return u
        return -np.log1p(-u) / np.where(upskilled, 1.0 - protection, 1.0)

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m = self.model
        w, firms, fl = m.workers, m.firms, m.flows
        n_occ = m.occupations.n
        self.employed_at_start = int(firms.headcount.sum())

        # retirement
        old = w.age[: m.next_slot] >= self.cfg.demography.retirement_age
        old &= w.status[: m.next_slot] <= OUT_OF_LABOR_FORCE  # not those already retired (who keep ageing)
        old = flatnonzero(old)
        if old.size:
            st = w.status.take(old)
            for code, key in self.RETIREMENT_FLOWS.items():
                fl[key] += int(np.count_nonzero(st == code))
            fl["retirements"] += old.size
            m.leave_firm(old.compress(st == EMPLOYED))
            w.status[old] = RETIRED

        # layoffs
        excess = np.maximum(firms.headcount - firms.demand, 0)
        if excess.any():
            gap = np.floor(np.maximum(firms.demand_no_automation - firms.demand_wanted, 0.0) + 1e-9).astype(np.int64)
            ai_excess = np.minimum(excess, gap)
            # employees of the few firms with any excess (firm -1, not employed, looks up the last slot), then of the cells
            firm_has_excess = np.concatenate([excess.any(axis=1), [False]])
            emp = flatnonzero(firm_has_excess.take(w.firm[: m.next_slot]))
            emp = emp.compress(w.status.take(emp) == EMPLOYED)
            cell = m.cells_of(emp)
            flat_excess = excess.ravel()
            in_excess = flat_excess.take(cell) > 0
            cand, ccell = emp.compress(in_excess), cell.compress(in_excess)
            order, rank = rank_within_groups(ccell, self.layoff_keys(cand))
            sorted_cells = ccell.take(order)
            fired = rank < flat_excess.take(sorted_cells)
            is_ai = rank < ai_excess.ravel().take(sorted_cells)
            ai_ids = cand.take(order.compress(fired & is_ai))
            other_ids = cand.take(order.compress(fired & ~is_ai))
            fl["separations_ai_sector"] += np.bincount(firms.sector.take(w.firm.take(ai_ids)), minlength=m.sectors.n)
            m.displace(ai_ids)
            if ai_ids.size and self.cfg.demography.displacement_skill_loss > 0:
                w.skills[ai_ids] *= np.float32(1.0 - self.cfg.demography.displacement_skill_loss)
                m.refresh_fit(ai_ids)
            m.lay_off(ai_ids)
            m.lay_off(other_ids)
            fl["separations_ai"] += ai_ids.size
            fl["layoffs_other"] += other_ids.size
            fl["separations_other"] += other_ids.size
            fl["separations_ai_occ"] += np.bincount(w.occupation.take(ai_ids), minlength=n_occ)
            fl["separations_other_occ"] += np.bincount(w.occupation.take(other_ids), minlength=n_occ)
            fl["separations_ai_stage"] += np.bincount(m.stage_of(ai_ids), minlength=fl["separations_ai_stage"].size)

        # match and firm shocks (layoffs), then quits into unemployment among the others: binomial numbers, drawn without
        # repeats from one stream of positions (the layoffs first), so that a change in one rate leaves the other's draws
        # in place (common random numbers)
        mk = self.cfg.market
        status = w.status[: m.next_slot]
        n_emp = int(firms.headcount.sum())  # the employees left (headcount follows every move)
        n_lay = self.rng.binomial(n_emp, mk.layoff_rate)
        n_quit = self.rng.binomial(n_emp, mk.quit_rate)
        if n_lay + n_quit == 0:
            return
        # uniform draws among the employees (rejection sampling, no index of them all)
        drawn = draw_among(self.rng, status.size, n_lay + n_quit, lambda c: status.take(c) == EMPLOYED, n_emp / status.size)
        shocked = distinct(drawn[:n_lay], status.size)
        quitters = distinct(drawn[n_lay:], status.size)
        laid = np.zeros(status.size, dtype=bool)
        laid[shocked] = True
        quitters = quitters.compress(~laid.take(quitters))
        fl["layoffs_other"] += shocked.size
        fl["quits"] += quitters.size
        fl["separations_other"] += shocked.size + quitters.size
        fl["separations_other_occ"] += np.bincount(w.occupation.take(shocked), minlength=n_occ)
        fl["separations_other_occ"] += np.bincount(w.occupation.take(quitters), minlength=n_occ)
        m.lay_off(shocked)
        m.quit(quitters)
        self.new_match_separations()

    def new_match_separations(self) -> None:
        """Jobs of employees with less than ``new_match_months`` of tenure end at ``new_match_separation_rate`` (layoffs)."""
        m, mk = self.model, self.cfg.market
        if mk.new_match_separation_rate <= 0:
            return
        w, n = m.workers, m.next_slot
        new = flatnonzero((w.status[:n] == EMPLOYED) & (w.tenure[:n] < mk.new_match_months))
        ended = new.compress(self.rng.random(new.size) < mk.new_match_separation_rate)
        m.flows["layoffs_other"] += ended.size
        m.flows["separations_other"] += ended.size
        m.flows["separations_other_occ"] += np.bincount(w.occupation.take(ended), minlength=m.occupations.n)
        m.lay_off(ended)
