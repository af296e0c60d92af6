"""Step 7: search and matching.

Searchers are the unemployed and a random share ``on_the_job_search_rate`` of
the employed; trainees do not search. Each unemployed searcher sends
``applications_per_month`` applications, each employed searcher
``on_the_job_applications``. An employed searcher looks for a better employer
in their own occupation. An unemployed searcher's application goes to their own occupation
with probability ``own_occupation_search_share``, otherwise to another occupation j drawn with
weight ``share_j exp(-d(o, j) / search_distance_scale)``; within the occupation
a firm is drawn in proportion to its vacancies. Wages are posted, so an
application is sent only if the position pays at least what the searcher
would take (their reservation wage if unemployed; their current wage plus
``job_to_job_wage_gain`` if employed), and it counts only if the applicant's
fit for the occupation is at least ``min_fit``.

Firms rank applicants to each (firm, occupation) by

    score = fit + signal(credential) + hiring_subsidy_bonus * displaced
            - ltu_penalty * min(months unemployed, M) / M + noise * N(0, 1)     (M: long_term_penalty_months)

and offer their V_fo vacancies to the top V_fo. Each worker takes the offer
with the highest wage (every offer pays at least what they would take).
Positions turned down by workers with a better offer go, in
up to ``matching_rounds`` further rounds, to the next applicants who have
had no offer yet; the rest stay open until next month.
"""

from __future__ import annotations

import numpy as np

from ..outputs import BY_OCCUPATION, BY_STAGE, flow, tally
from ..state import CERTIFICATE, PROJECT, UNEMPLOYED
from .base import Process
from .grouping import RowInverseCDF, distinct, flatnonzero, rank_within_groups, ranks_of_sorted


class Matching(Process):
    """Applications, ranking, offers, acceptances and hires."""

    name = "matching"
    reads = ("levers", "firms.vacancies", "current_wage")
    writes = ("workers.status", "firms.headcount", "firms.vacancies", "flows.searchers", "flows.hires_from_unemployed",
              "flows.separations")
    outputs = (
        flow("applications", "applications sent that passed firms' fit threshold", "applications"),
        flow("offers", "job offers made by firms (all rounds)", "offers"),
        flow("hires", "workers hired (from unemployment and job to job)"),
        flow("hires_from_unemployed", "hires of unemployed workers"),
        flow("job_to_job", "employed workers who moved to another employer"),
        flow("hires", "hires into the occupation", table=BY_OCCUPATION),
        flow("hires", "hires of workers in the stage", table=BY_STAGE),
        tally("searchers", "unemployed searchers by their occupation"),
        tally("hires_from_unemployed", "hires from unemployment by the occupation hired into"),
        tally("hires_from_unemployed_by_own", "hires from unemployment by the searcher's own occupation"),
    )

    def __init__(self, model):
        super().__init__(model)
        occ, mk = model.occupations, self.cfg.market
        weight = occ.initial_share[None, :] * np.exp(-occ.distance / mk.search_distance_scale)
        np.fill_diagonal(weight, 0.0)
        weight /= np.maximum(weight.sum(axis=1, keepdims=True), 1e-300)
        other_cdf = np.cumsum(weight, axis=1)
        other_cdf[:, -1] = 1.0
        self.other_occupation = RowInverseCDF(other_cdf)

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, mk, lev, rt = self.model, self.cfg.market, self.model.levers, self.cfg.retraining
        w, firms, fl, rng = m.workers, m.firms, m.flows, self.rng
        n_occ = m.occupations.n

        unemployed = flatnonzero(w.status[: m.next_slot] == UNEMPLOYED)
        emp = m.employed_index()
        # on-the-job searchers: a binomial number, drawn without repeats
        n_otj = rng.binomial(emp.size, mk.on_the_job_search_rate)
        otj = emp.take(distinct(rng.integers(0, emp.size, size=n_otj)))
        reservation = self._reservation(unemployed)
        fl["searchers_occ"] += np.bincount(w.occupation.take(unemployed), minlength=n_occ)
        if unemployed.size + otj.size == 0 or firms.vacancies.sum() == 0:
            return

        # per searcher: the lowest wage they take, and the ranking terms firms see
        searchers = np.concatenate([unemployed, otj])
        n_u = unemployed.size
        bar_s = np.empty(searchers.size)
        bar_s[:n_u] = reservation
        bar_s[n_u:] = m.current_wage_of(otj) * (1.0 + mk.job_to_job_wage_gain)
        cred = w.credential.take(searchers)
        base_s = np.where(cred == PROJECT, rt.project.signal, np.where(cred == CERTIFICATE, rt.certificate.signal, 0.0))
        base_s -= mk.long_term_unemployment_penalty * np.minimum(w.months_unemployed.take(searchers), mk.long_term_penalty_months) / float(mk.long_term_penalty_months)
        if lev.hiring_ranking_bonus > 0:
            base_s[:n_u] += lev.hiring_ranking_bonus * w.displaced.take(unemployed)

        app_s, cell, fit = self._applications(searchers, n_u, bar_s)
        fl["applications"] += app_s.size
        if app_s.size == 0:
            return
        score = base_s.take(app_s)
        score += fit
        noise = rng.standard_normal(app_s.size)
        noise *= mk.ranking_noise
        score += noise
        posted = firms.posted_wage.T.ravel()
        hired_s, hired_c = self._rounds(app_s, cell, score, searchers.size, firms.vacancies.T.ravel().copy(), posted)
        self._hire(searchers.take(hired_s), hired_c, posted.take(hired_c), hired_s >= n_u)

    def _applications(self, searchers: np.ndarray, n_u: int, bar_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Applications that pass the wage and fit screens: (searcher position, cell, fit), cells occupation-major.

        The first ``n_u`` searchers are unemployed and send ``applications_per_month``
        applications, own occupation or a skill-near one; the others (on the job)
        send ``on_the_job_applications`` in their own occupation, never to their employer.
        """
        m, mk, rng = self.model, self.cfg.market, self.rng
        w, firms, n_occ, n_firms = m.workers, m.firms, m.occupations.n, m.firms.n
        vac = firms.vacancies.T.ravel()  # cells in occupation-major order: c = o * n_firms + f
        occ_s = w.occupation.take(searchers).astype(np.int64)
        firm_s = w.firm.take(searchers)
        k, k_otj = mk.applications_per_month, mk.on_the_job_applications
        app_s = np.concatenate([np.repeat(np.arange(n_u), k), np.repeat(np.arange(n_u, searchers.size), k_otj)])
        app_o = occ_s.take(app_s)
        go_other = np.flatnonzero(rng.random(n_u * k) >= mk.own_occupation_search_share)
        if go_other.size:
            drawn = self.other_occupation.draw(app_o.take(go_other), rng.random(go_other.size))
            app_o[go_other] = np.minimum(drawn, n_occ - 1)
        # one slot per open position: an application picks a uniform slot of its occupation
        occ_vac = firms.vacancies.sum(axis=0)
        if not occ_vac.all():
            has = occ_vac.take(app_o) > 0
            app_s, app_o = app_s.compress(has), app_o.compress(has)
        u = rng.random(app_s.size)
        u *= occ_vac.take(app_o)
        slot = u.astype(np.int64)
        slot += (np.cumsum(occ_vac) - occ_vac).take(app_o)
        cell = np.repeat(np.arange(vac.size), vac).take(slot)

        # eligibility: wages are posted, so no one applies to a position paying less than they would take; an employed
        # searcher (the applications from n_u on) does not apply to their own employer; then the fit screen
        ok = firms.posted_wage.T.ravel().take(cell) >= bar_s.take(app_s)
        otj_from = np.searchsorted(app_s, n_u)
        ok[otj_from:] &= firm_s.take(app_s[otj_from:]) != cell[otj_from:] - app_o[otj_from:] * n_firms
        keep = np.flatnonzero(ok)
        app_s, app_o, cell = app_s.take(keep), app_o.take(keep), cell.take(keep)
        flat_at = (searchers * n_occ).take(app_s)
        flat_at += app_o
        fit = w.fit.ravel().take(flat_at)
        keep = np.flatnonzero(fit >= mk.min_fit)
        return app_s.take(keep), cell.take(keep), fit.take(keep)

    def _hire(self, bw: np.ndarray, hired_c: np.ndarray, bwage: np.ndarray, employed_now: np.ndarray) -> None:
        """Move the hired workers into their new cells at their posted wages, and count the flows."""
        m = self.model
        w, firms, fl, n_occ, n_firms = m.workers, m.firms, m.flows, m.occupations.n, m.firms.n
        new_occ, new_firm = hired_c // n_firms, hired_c % n_firms
        movers = bw.compress(employed_now)
        fl["hires"] += bw.size
        fl["job_to_job"] += movers.size
        fl["separations_other"] += movers.size
        fl["separations_other_occ"] += np.bincount(w.occupation.take(movers), minlength=n_occ)
        from_u = bw.compress(~employed_now)
        fl["hires_from_unemployed"] += from_u.size
        fl["hires_occ"] += np.bincount(new_occ, minlength=n_occ)
        fl["hires_from_unemployed_occ"] += np.bincount(new_occ.compress(~employed_now), minlength=n_occ)
        fl["hires_stage"] += np.bincount(m.stage_of(bw), minlength=3)
        fl["hires_from_unemployed_by_own_occ"] += np.bincount(w.occupation.take(from_u), minlength=n_occ)

        # displaced workers' first re-employment
        first = (~employed_now) & w.displaced.take(bw) & (w.reemployed_month.take(bw) < 0)
        rid = bw.compress(first)
        w.reemployed_month[rid] = m.month
        w.reemployed_wage[rid] = bwage.compress(first)

        m.leave_firm(movers)
        m.join_firm(bw, new_firm, new_occ)
        w.wage[bw] = bwage
        w.months_unemployed[bw] = 0
        w.ui_months_left[bw] = 0
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)

    def _rounds(self, app_s, cell, score, n_searchers, open_v, wages):
        """Offer rounds: firms offer open positions to their best remaining applicants; workers take their best offer.

        Every application pays at least what its sender takes (the wage screen in
        :meth:`step`), so a searcher with an offer takes their best one and is
        done; positions they turned down go, in the next round, to the next
        applicants. Returns the hired searchers and their cells.
        """
        fl = self.model.flows
        hired_s, hired_c = [], []
        # sort once by (cell, -score); later rounds filter the sorted arrays, which keeps them sorted
        order, rank, cell = rank_within_groups(cell, -score, return_sorted=True)
        app_s = app_s.take(order)
        done = np.zeros(n_searchers, dtype=bool)
        for round_no in range(self.cfg.market.matching_rounds):
            if app_s.size == 0:
                break
            if round_no:
                rank = ranks_of_sorted(cell)
            offered = rank < open_v.take(cell)
            if not offered.any():
                break
            off_s, off_cell = app_s.compress(offered), cell.compress(offered)
            off_wage = wages.take(off_cell)
            fl["offers"] += off_s.size
            # each searcher's best offer: their only one, or the highest wage among several
            several = np.bincount(off_s, minlength=n_searchers).take(off_s) > 1
            best = np.flatnonzero(~several)
            if several.any():
                multi = np.flatnonzero(several)
                ms = off_s.take(multi)
                multi = multi.take(np.lexsort((-off_wage.take(multi), ms)))  # by searcher, best wage first
                ms = off_s.take(multi)
                first = np.concatenate([[True], ms[1:] != ms[:-1]])
                best = np.concatenate([best, multi.compress(first)])
            bcell = off_cell.take(best)
            hired_s.append(off_s.take(best))
            hired_c.append(bcell)
            open_v -= np.bincount(bcell, minlength=open_v.size)
            if round_no + 1 == self.cfg.market.matching_rounds:
                break  # no round left to offer the rest
            done[off_s] = True
            keep = np.flatnonzero(~done.take(app_s) & (open_v.take(cell) > 0))
            app_s, cell = app_s.take(keep), cell.take(keep)
        if not hired_s:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(hired_s), np.concatenate(hired_c)

    def _reservation(self, ids: np.ndarray) -> np.ndarray:
        """Reservation wage: a share of the last wage that falls once benefits run out; stored and returned.

        r = w_last (floor + (insured - floor) (1 - decay)^months_uninsured),
        months_uninsured = max(months unemployed - benefit months granted for the spell, 0), 0 while benefits last;
        the months granted are the worker's own (``ui_months_granted``): 0 for a quitter, a graduate or an entrant,
        who are uninsured from their first month;
        a graduate's reference wage is ``graduate_reservation_ratio`` of the market wage of their field.
        """
        m, mk = self.model, self.cfg.market
        w = m.workers
        last = w.wage.take(ids).astype(np.float64)
        never = np.flatnonzero(np.isnan(last))  # never employed: graduates
        if never.size:
            occ = w.occupation.take(ids.take(never))
            last[never] = mk.graduate_reservation_ratio * (m.occupations.base_wage.take(occ) * m.market.wage_index.take(occ))
        uninsured = np.where(w.ui_months_left.take(ids) > 0, 0, np.maximum(w.months_unemployed.take(ids) - w.ui_months_granted.take(ids), 0))
        # the ratio for each whole number of uninsured months, looked up
        months = np.arange(int(uninsured.max(initial=0)) + 1)
        ratio = mk.reservation_ratio_floor + (mk.reservation_ratio_insured - mk.reservation_ratio_floor) * np.exp(months * np.log1p(-min(mk.reservation_decay, 1 - 1e-12)))
        reservation = (last * ratio.take(uninsured)).astype(w.reservation_wage.dtype)
        w.reservation_wage[ids] = reservation
        return reservation
