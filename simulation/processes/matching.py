"""Step 7: search and matching.

Searchers are the unemployed and a random share ``on_the_job_search_rate`` of
the employed; trainees do not search. Each unemployed searcher sends
``applications_per_month`` applications, each employed searcher
``on_the_job_applications``. An employed searcher looks for a better employer
in their own occupation. An unemployed searcher's application goes to their own occupation
with probability ``own_occupation_search_share``, otherwise to another occupation j drawn with
weight ``share_j exp(-d(o, j) / search_distance_scale)``; within the occupation
a firm is drawn in proportion to its vacancies. An application counts only if
the applicant's fit for the occupation is at least ``min_fit``.

Firms rank applicants to each (firm, occupation) by

    score = fit + signal(credential) + hiring_subsidy_bonus * displaced
            - ltu_penalty * min(months unemployed, 24) / 24 + noise * N(0, 1)

and offer their V_fo vacancies to the top V_fo. Each worker takes the offer
with the highest wage if it is at least their reservation wage (unemployed)
or beats their current wage by ``job_to_job_wage_gain`` (employed). Positions
still open go, in up to ``matching_rounds`` further rounds, to the next
applicants who have had no offer yet; the rest stay open until next month.
"""

from __future__ import annotations

import numpy as np

from ..state import CERTIFICATE, EMPLOYED, PROJECT, UNEMPLOYED
from .base import Process
from .grouping import distinct, rank_within_groups, ranks_of_sorted


class Matching(Process):
    """Applications, ranking, offers, acceptances and hires."""

    def __init__(self, model):
        super().__init__(model)
        occ, mk = model.occupations, self.cfg.market
        weight = occ.initial_share[None, :] * np.exp(-occ.distance / mk.search_distance_scale)
        np.fill_diagonal(weight, 0.0)
        weight /= np.maximum(weight.sum(axis=1, keepdims=True), 1e-300)
        self.other_cdf = np.cumsum(weight, axis=1)
        self.other_cdf[:, -1] = 1.0

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, mk, lev = self.model, self.cfg.market, self.model.levers
        w, firms, fl, rng = m.workers, m.firms, m.flows, m.rng
        n_occ = m.occupations.n

        unemployed = np.flatnonzero(w.status[: m.next_slot] == UNEMPLOYED)
        emp = m.employed_index()
        # on-the-job searchers: a binomial number, drawn without repeats
        n_otj = rng.binomial(emp.size, mk.on_the_job_search_rate)
        otj = emp[distinct(rng.integers(0, emp.size, size=n_otj))]
        searchers = unemployed.size + otj.size
        self._reservation(unemployed)
        fl["searchers_occ"] += np.bincount(w.occupation[unemployed], minlength=n_occ)
        vac = firms.vacancies.T.ravel()  # occupation-major cells
        if searchers == 0 or vac.sum() == 0:
            return

        # applications: (worker, occupation, firm)
        k = mk.applications_per_month
        app_w = np.concatenate([np.repeat(unemployed, k), np.repeat(otj, mk.on_the_job_applications)])
        own = w.occupation[app_w].astype(np.int64)
        # on-the-job searchers look for a better employer in their own occupation
        go_other = (rng.random(app_w.size) >= mk.own_occupation_search_share) & (np.arange(app_w.size) < unemployed.size * k)
        app_o = own.copy()
        if go_other.any():
            u = rng.random(int(go_other.sum()))
            cdf = self.other_cdf[own[go_other]]
            app_o[go_other] = np.minimum((u[:, None] > cdf).sum(axis=1), n_occ - 1)
        # one slot per open position, occupation-major: an application picks a uniform slot of its occupation
        slot_cell = np.repeat(np.arange(vac.size), firms.vacancies.T.ravel())
        occ_vac = firms.vacancies.sum(axis=0)
        occ_start = np.cumsum(occ_vac) - occ_vac
        has = occ_vac[app_o] > 0
        app_w, app_o = app_w[has], app_o[has]
        slot = occ_start[app_o] + (rng.random(app_w.size) * occ_vac[app_o]).astype(np.int64)
        n_firms = firms.vacancies.shape[0]
        app_f = slot_cell[slot] - app_o * n_firms

        # fit and eligibility
        fit = w.fit.ravel()[app_w * n_occ + app_o]
        ok = fit >= mk.min_fit
        # an employed searcher does not apply to their own employer
        ok &= w.firm[app_w] != app_f
        app_w, app_o, app_f, fit = app_w[ok], app_o[ok], app_f[ok], fit[ok]
        fl["applications"] += app_w.size
        if app_w.size == 0:
            return

        # firm ranking
        cred = w.credential[app_w]
        rt = self.cfg.retraining
        signal = np.where(cred == PROJECT, rt.project.signal, np.where(cred == CERTIFICATE, rt.certificate.signal, 0.0))
        score = fit + signal - mk.long_term_unemployment_penalty * np.minimum(w.months_unemployed[app_w], 24) / 24.0
        if lev.hiring_ranking_bonus > 0:
            score += lev.hiring_ranking_bonus * (w.displaced[app_w] & (w.status[app_w] == UNEMPLOYED))
        score += mk.ranking_noise * rng.standard_normal(app_w.size)
        cell = app_f.astype(np.int64) * n_occ + app_o
        bw, bcell, bwage = self._rounds(app_w, cell, score)
        employed_now = w.status[bw] == EMPLOYED
        new_firm, new_occ = bcell // n_occ, bcell % n_occ

        movers = bw[employed_now]
        fl["job_to_job"] += movers.size
        fl["separations_other_occ"] += np.bincount(w.occupation[movers], minlength=n_occ)
        from_u = bw[~employed_now]
        fl["hires_from_unemployed"] += from_u.size
        fl["hires_occ"] += np.bincount(new_occ, minlength=n_occ)
        fl["hires_from_unemployed_occ"] += np.bincount(new_occ[~employed_now], minlength=n_occ)
        fl["hires_stage"] += np.bincount(m.stage_of(bw), minlength=3)
        fl["hires_from_unemployed_by_own_occ"] += np.bincount(w.occupation[from_u], minlength=n_occ)

        # displaced workers' first re-employment
        first = (~employed_now) & w.displaced[bw] & (w.reemployed_month[bw] < 0)
        rid = bw[first]
        w.reemployed_month[rid] = m.month
        w.reemployed_wage[rid] = bwage[first]

        m.leave_firm(movers)
        m.join_firm(bw, new_firm, new_occ)
        w.wage[bw] = bwage
        w.months_unemployed[bw] = 0
        w.ui_months_left[bw] = 0
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)

    def _rounds(self, app_w: np.ndarray, cell: np.ndarray, score: np.ndarray):
        """Offer rounds: firms offer open positions to their best remaining applicants; workers take their best offer.

        A worker who got an offer this month is done (hired, or every offer was
        below what they accept); the next round offers the positions still open
        to the next applicants. Returns the hired workers, their cells and wages.
        """
        m, mk = self.model, self.cfg.market
        w, firms, fl = m.workers, m.firms, m.flows
        open_v = firms.vacancies.ravel().copy()
        wages = firms.posted_wage.ravel()
        hired_w, hired_c = [], []
        # sort once by (cell, -score); later rounds filter the sorted arrays, which keeps them sorted
        order, rank = rank_within_groups(cell, -score)
        app_w, cell = app_w[order], cell[order]
        done = np.zeros(w.n, dtype=bool)
        for round_no in range(mk.matching_rounds):
            if app_w.size == 0:
                break
            if round_no:
                rank = ranks_of_sorted(cell)
            offered = rank < open_v[cell]
            if not offered.any():
                break
            off_w, off_cell = app_w[offered], cell[offered]
            off_wage = wages[off_cell]
            fl["offers"] += off_w.size
            order2, rank2 = rank_within_groups(off_w, -off_wage)
            best = order2[rank2 == 0]
            bw, bcell, bwage = off_w[best], off_cell[best], off_wage[best]
            accept = np.where(
                w.status[bw] == EMPLOYED,
                bwage >= m.current_wage_of(bw) * (1.0 + mk.job_to_job_wage_gain),
                bwage >= w.reservation_wage[bw],
            )
            hired_w.append(bw[accept])
            hired_c.append(bcell[accept])
            np.subtract.at(open_v, bcell[accept], 1)
            done[off_w] = True
            keep = ~done[app_w] & (open_v[cell] > 0)
            app_w, cell = app_w[keep], cell[keep]
        bw = np.concatenate(hired_w) if hired_w else np.zeros(0, dtype=np.int64)
        bcell = np.concatenate(hired_c) if hired_c else np.zeros(0, dtype=np.int64)
        return bw, bcell, wages[bcell]

    def _reservation(self, ids: np.ndarray) -> None:
        """Reservation wage: a share of the last wage that falls once benefits run out.

        r = w_last (floor + (insured - floor) (1 - decay)^months_uninsured),
        months_uninsured = max(months unemployed - benefit months, 0);
        a graduate's reference wage is 80% of the market wage of their field.
        """
        m, mk = self.model, self.cfg.market
        w = m.workers
        last = w.wage[ids].astype(np.float64)
        occ = w.occupation[ids]
        market = m.occupations.base_wage[occ] * m.market.wage_index[occ]
        last = np.where(np.isnan(last), 0.8 * market, last)
        uninsured = np.where(w.ui_months_left[ids] > 0, 0, np.maximum(w.months_unemployed[ids] - m.levers.ui_duration, 0))
        ratio = mk.reservation_ratio_floor + (mk.reservation_ratio_insured - mk.reservation_ratio_floor) * np.exp(uninsured * np.log1p(-min(mk.reservation_decay, 1 - 1e-12)))
        w.reservation_wage[ids] = last * ratio
