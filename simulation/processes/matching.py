"""Step 7: search and matching.

Searchers are the unemployed and a random share ``on_the_job_search_rate`` of
the employed; trainees do not search. Each unemployed searcher sends
``applications_per_month`` applications, each employed searcher
``on_the_job_applications``. An employed searcher looks for a better employer
in their own occupation. An unemployed searcher's application goes to their own occupation
with probability ``own_occupation_search_share``; otherwise search is directed: another
occupation j is drawn with weight ``V_j exp(-(d(o, j) + gap_oj d_max) / search_distance_scale)``
(V_j: its open positions; gap_oj: ``specialisation_gap`` if j is AI-core and o is not), then a
position there, and the draw is repeated (up to ``outside_search_tries`` times) until the position is one
the searcher would take and qualifies for, in an occupation whose smoothed tightness (vacancies per
searcher, :mod:`.wages`) is above ``outside_tightness_ratio`` times their own's, where their prospects are better; if none is found
the application goes to the own occupation. Mobility so moves searchers from slack occupations to
tight ones, and restricting it (``own_occupation_search_share=1``) raises unemployment when demand
shifts between occupations (del Rio-Chanona et al. 2021). Within an occupation a firm is drawn in proportion to its vacancies. Wages are posted:
a position offers an applicant its cell's wage times the applicant's hire pay factor (the fit firms
see, experience, AI skills, the ability they see: :func:`.wages.pay_at_hire`), so an application is sent only if that pays
at least what the searcher would take (their reservation wage if unemployed; their current wage plus
``job_to_job_wage_gain`` if employed).

The fit firms see is the basic-skill fit less the specialisation gap:

    fit_ij = 1 - d(skills_i, profile_j) / d_max - specialisation_gap [j AI-core, i holds no AI-core specific skills]

where a worker holds a lane's occupation-specific (task and technology) skills if their occupation
is in it, or they worked in it before, or retrained into it (``workers.specialisms``). An
application outside one's own occupation counts only if this fit is at least ``min_fit``;
applicants in their own occupation are not screened.

Firms rank applicants to each (firm, occupation) by

    score = fit + signal(credential) + ability_rank_weight * ability_seen + subsidy_bonus * eligible
            - ltu_penalty * min(months unemployed, M) / M + noise * N(0, 1)     (M: long_term_penalty_months)
            - age_penalty * max(age - age_preference_threshold, 0)
            + domain.fit_bonus * min(domain years / domain.full_years, 1)  [an AI-core or AI-adjacent role at a firm of the applicant's domain sector]

where eligible marks an applicant the hiring subsidy pays for (an AI-displaced worker applying from unemployment,
while ``policy.hiring_subsidy`` acts) and subsidy_bonus is the fit a firm gives up for the labour cost the subsidy saves:
a unit of fit raises the log wage at hire by ``skill_wage_return`` (r_s), which prices the productivity it brings at
r_s of the wage a month over the match, while the subsidy saves c = :func:`~simulation.policies.subsidy_cost_cut` of
the match's wage cost (wage share x the subsidy's months / the match's expected months), so subsidy_bonus = c / r_s
(r_s floored at 0.05): firms prefer the cheaper of two equally productive applicants. Where ability_seen is what employers have learnt of the applicant's latent ability (employer learning: a
completed retraining route reveals its ``reveal`` share of it, :mod:`.retraining`; the domain term, and the pay
premium that goes with it, ``offered x (1 + domain.pay_premium x strength)``, are :mod:`.domain`'s), and offer their
V_fo vacancies to the top V_fo of the applications in which they see a workable match (each with probability
``match_probability``: stochastic match quality). Each worker takes the offer
with the highest wage (every offer pays at least what they would take).
Positions turned down by workers with a better offer go, in
up to ``matching_rounds`` further rounds, to the next applicants who have
had no offer yet; the rest stay open until next month.

The hiring subsidy's bookkeeping is here too: an eligible hire gets ``subsidy_months_left = duration_months``; each
month, before the hires, every employee with months left is paid ``wage_share`` x their wage (``outlay_wage_subsidy``)
and counted down; a match that has ended loses what is left (so does a job-to-job mover: the subsidy stays with the
match). When the lever stops, running subsidies stop with it. The firms' receipts relieve their payroll budgets next
month (:mod:`.demand`), and the share of hires into each occupation that were eligible while the lever acted is
the chance firms expect a position's hire to be subsidised (:meth:`Matching.eligible_share`).
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, BY_SECTOR, BY_STAGE, flow, money, stock, tally, value
from ..policies import subsidy_cost_cut
from ..state import CERTIFICATE, EMPLOYED, NEVER_MONTH, PROJECT, ROUTES, UNEMPLOYED
from . import domain, insurance
from .base import Process
from .grouping import RowInverseCDF, binomial_cdf, draw_among, flatnonzero, rank_within_groups, ranks_of_sorted

# the floor on market.skill_wage_return in the hiring subsidy's ranking bonus (cost saving / return to fit)
MIN_FIT_RETURN = 0.05


class Matching(Process):
    """Applications, ranking, offers, acceptances and hires."""

    name = "matching"
    reads = ("levers", "firms.vacancies", "current_wage")
    writes = ("workers.status", "firms.headcount", "firms.vacancies", "flows.searchers", "flows.hires_from_unemployed",
              "flows.separations")
    outputs = (
        flow("applications", "applications sent that passed firms' fit threshold", "applications"),
        flow("offers", "job offers made by firms (all rounds)", "offers"),
        flow("hires", "workers hired (from unemployment, job to job, and graduates hired on entry with a campus offer)"),
        flow("hires_from_unemployed", "hires of unemployed workers"),
        flow("hires_from_unemployed_displaced", "hires from unemployment of workers ever displaced by AI (those the hiring subsidy is for)"),
        flow("hires_from_unemployed_other", "hires from unemployment of workers never displaced by AI"),
        flow("hires_subsidised", "hires the hiring subsidy pays for (hires_from_unemployed_displaced while policy.hiring_subsidy acts)"),
        stock("subsidised_employees", "employees whose wage the hiring subsidy paid a share of this month"),
        money("outlay_wage_subsidy", "hiring subsidy paid to employers this month: wage_share x the wages of subsidised_employees"),
        flow("job_to_job", "employed workers who moved to another employer"),
        flow("hires", "hires into the occupation", table=BY_OCCUPATION),
        flow("hires", "hires of workers in the stage", table=BY_STAGE),
        tally("searchers", "unemployed searchers by their occupation"),
        tally("hires_from_unemployed", "hires from unemployment by the occupation hired into"),
        tally("hires_from_unemployed_by_own", "hires from unemployment by the searcher's own occupation"),
        flow("ai_core_hires_from_ai_core", "hires into AI-core occupations of workers already in one who never retrained"),
        flow("ai_core_hires_retrained", "hires into AI-core occupations of workers who completed retraining (into their AI-core occupation)"),
        flow("ai_core_hires_from_ai_adjacent", "hires into AI-core occupations of workers from an AI-adjacent occupation (no training into it)"),
        flow("ai_core_hires_from_traditional", "hires into AI-core occupations of workers from a traditional occupation (direct moves, no training into it)"),
        *(flow(f"retrained_first_hires_{r}", f"first hires from unemployment after completing retraining, of {r} completers") for r in ROUTES),
        *(value(f"retrained_first_hire_pay_{r}", f"sum of the pay factors (pay relative to the cell's wage) at those first hires of {r} "
                f"completers this month; divided by retrained_first_hires_{r}, their mean", "pay factor") for r in ROUTES),
        *(flow(f"retrained_first_hires_{r}", f"first hires from unemployment after completing retraining, of {r} completers, "
               "by the occupation hired into", table=BY_OCCUPATION) for r in ROUTES),
        *(value(f"retrained_first_hire_pay_{r}", f"sum of the pay factors at those first hires of {r} completers into the occupation "
                f"this month (routes compared within an occupation: pay factors differ between occupations)", "pay factor",
                table=BY_OCCUPATION) for r in ROUTES),
        flow("hires_domain_match", "hires into AI-core and AI-adjacent roles at firms of the hire's domain sector"),
        flow("hires", "hires by firms of the sector", table=BY_SECTOR),
        flow("hires_ai_core", "hires into AI-core roles by firms of the sector", table=BY_SECTOR),
        flow("hires_ai_adjacent", "hires into AI-adjacent roles by firms of the sector", table=BY_SECTOR),
        flow("hires_domain_match", "hires into AI-core and AI-adjacent roles by firms of the sector of workers whose domain is the sector",
             table=BY_SECTOR),
        flow("hires_ai_core_domain", "hires into AI-core roles by firms of the sector of workers whose domain is the sector", table=BY_SECTOR),
        flow("hires_ai_adjacent_domain", "hires into AI-adjacent roles by firms of the sector of workers whose domain is the sector",
             table=BY_SECTOR),
        flow("applications_ai_core", "applications (that passed firms' fit threshold) to AI-core roles at firms of the sector",
             "applications", table=BY_SECTOR),
        flow("applications_ai_core_domain", "of those, applications by workers whose domain is the sector", "applications", table=BY_SECTOR),
        flow("applications_ai_adjacent", "applications (that passed firms' fit threshold) to AI-adjacent roles at firms of the sector",
             "applications", table=BY_SECTOR),
        flow("applications_ai_adjacent_domain", "of those, applications by workers whose domain is the sector", "applications",
             table=BY_SECTOR),
    )

    def __init__(self, model):
        super().__init__(model)
        occ, mk = model.occupations, self.cfg.market
        # the specialisation gap into AI-core (from outside the lane) counts as skill distance: searchers mostly look where they fit
        gap = model.specialisation_gap(model._lane_bit[:-1, None], np.arange(occ.n)[None, :])
        kernel = np.exp(-(occ.distance + gap * occ.max_distance) / mk.search_distance_scale)
        np.fill_diagonal(kernel, 0.0)
        self.search_kernel = kernel  # (origin, target); times this month's vacancies of the target, the search weight
        self._count_tables: dict[tuple, RowInverseCDF] = {}  # inverse-CDF tables of application counts, by their CDF rows
        self._effort_tables: dict[tuple, RowInverseCDF] = {}  # the unemployed's, by (applications, match probability, effort steps)
        # retraining completers' first hires this month: the month counted and the sum of their pay factors by (route,
        # occupation hired into)
        self._first_hire_month, self._first_hire_pay = None, np.zeros((len(ROUTES), occ.n))
        self.domain_roles = domain.DomainRoles(model)  # the AI roles of every cell, for the domain terms
        # the hiring subsidy: hires into each occupation while it acts, and those eligible; the employees paid this month
        # (their firms' receipts relieve the firms' budgets next month)
        self.lever_hires_occ, self.eligible_hires_occ = np.zeros(occ.n), np.zeros(occ.n)
        self.subsidy_paid, self.subsidy_receipts = np.zeros(0, dtype=np.int64), None

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, mk = self.model, self.cfg.market
        w, firms, fl, rng = m.workers, m.firms, m.flows, self.rng
        n_occ = m.occupations.n
        self._pay_subsidies()

        status = w.status[: m.next_slot]
        others = flatnonzero(status != EMPLOYED)  # one pass over the live slice: the employed are the rest
        unemployed = others.compress(status.take(others) == UNEMPLOYED)
        n_u = unemployed.size
        otj, counts = self._on_the_job(status.size - others.size, self._workable_unemployed(unemployed))
        searchers = np.concatenate([unemployed, otj])
        occ_s = w.occupation.take(searchers).astype(np.int64)  # gathered once for every use below
        pay = m.hire_pay_of(searchers, occ_s, n_u)  # only the unemployed search outside their occupation
        fit_own, pay_own = self._own_pay(searchers, pay, occ_s)
        reservation = self._reservation(unemployed, pay_own[:n_u], occ_s[:n_u])
        fl["searchers_occ"] += np.bincount(occ_s[:n_u], minlength=n_occ)
        if unemployed.size + otj.size == 0 or firms.vacancies.sum() == 0:
            return

        # per searcher: the lowest wage they take (an employee's: their current wage, model.current_wage_of, plus the gain)
        bar_s = np.empty(searchers.size)
        bar_s[:n_u] = reservation
        firm_otj = w.firm.take(otj)
        cells = firm_otj * n_occ
        cells += occ_s[n_u:]
        bar_s[n_u:] = m.current_wage.ravel().take(cells) * w.pay_factor.take(otj) * (1.0 + mk.job_to_job_wage_gain)

        app_s, cell, fit, offered = self._applications(searchers, n_u, bar_s, pay, (fit_own, pay_own), counts, (occ_s, firm_otj))
        fl["applications"] += app_s.size
        if app_s.size == 0:
            return
        ids = searchers.take(app_s)
        score = self._ranking_base(ids, app_s < n_u)
        score += fit
        self._domain_advantage(ids, cell, score, offered)
        noise = rng.standard_normal(app_s.size)
        noise *= mk.ranking_noise
        score += noise
        hired_s, hired_c, hired_w = self._rounds(app_s, cell, score, searchers.size, firms.vacancies.T.ravel().copy(), offered)
        hired = searchers.take(hired_s)
        self._count_ai_core_hires(hired, hired_c // firms.n)
        self._hire(hired, hired_c, hired_w, hired_s >= n_u)

    def _ranking_base(self, ids: np.ndarray, from_unemployment: np.ndarray) -> np.ndarray:
        """The ranking terms firms see of these applicants other than fit and noise (module docstring), one per application.

        ``from_unemployment``: whether each application comes from an unemployed searcher (the hiring bonus for the
        displaced counts only then).
        """
        w, mk, rt, lev = self.model.workers, self.cfg.market, self.cfg.retraining, self.model.levers
        signal = np.zeros(len(ROUTES) + 1)  # by credential code; no route (-1) reads the last entry, 0
        signal[PROJECT], signal[CERTIFICATE] = rt.project.signal, rt.certificate.signal
        base = signal.take(w.credential.take(ids))
        base += self._ability_rank(ids)
        base -= mk.long_term_unemployment_penalty * np.minimum(w.months_unemployed.take(ids), mk.long_term_penalty_months) / float(mk.long_term_penalty_months)
        base -= mk.age_penalty * np.maximum(w.age.take(ids) - mk.age_preference_threshold, 0.0)
        cut = subsidy_cost_cut(lev, mk)
        if cut > 0:
            base += cut / max(mk.skill_wage_return, MIN_FIT_RETURN) * (w.displaced.take(ids) & from_unemployment)
        return base

    def _pay_subsidies(self) -> None:
        """Pay this month's hiring subsidies and count them down (module docstring); clear those of ended matches."""
        m = self.model
        w, lev = m.workers, m.levers
        left = w.subsidy_months_left[: m.next_slot]
        ids = flatnonzero(left > 0) if (lev.hiring_subsidy > 0 or self.subsidy_paid.size) else self.subsidy_paid
        on = w.status.take(ids) == EMPLOYED
        if lev.hiring_subsidy <= 0:
            on[:] = False  # the lever has stopped: so have the subsidies it was paying
        w.subsidy_months_left[ids.compress(~on)] = 0
        paid = ids.compress(on)
        amount = m.current_wage_of(paid)
        amount *= lev.hiring_subsidy
        w.subsidy_months_left[paid] -= 1
        self.subsidy_paid = paid
        self.subsidy_receipts = np.bincount(w.firm.take(paid), weights=amount, minlength=m.firms.n) if paid.size else None
        if not m.burning_in:
            m.flows["outlay_wage_subsidy"] += float(amount.sum())

    def eligible_share(self) -> np.ndarray:
        """Per occupation, the share of hires into it that the subsidy paid for, over the months it has acted (0 before)."""
        return np.divide(self.eligible_hires_occ, self.lever_hires_occ, out=np.zeros_like(self.lever_hires_occ),
                         where=self.lever_hires_occ > 0)

    def _subsidise(self, bw: np.ndarray, new_occ: np.ndarray, from_unemployment: np.ndarray) -> None:
        """Count the hires by eligibility and give the eligible their subsidy months; a hire not eligible has none."""
        m = self.model
        w, fl, n_occ = m.workers, m.flows, m.occupations.n
        displaced = from_unemployment & w.displaced.take(bw)
        n_displaced = int(displaced.sum())
        fl["hires_from_unemployed_displaced"] += n_displaced
        fl["hires_from_unemployed_other"] += int(from_unemployment.sum()) - n_displaced
        lev = m.levers
        if lev.hiring_subsidy <= 0 or lev.hiring_subsidy_months <= 0 or m.burning_in:
            if self.subsidy_paid.size:
                w.subsidy_months_left[bw] = 0
            return
        w.subsidy_months_left[bw] = np.where(displaced, lev.hiring_subsidy_months, 0)
        fl["hires_subsidised"] += n_displaced
        self.lever_hires_occ += np.bincount(new_occ, minlength=n_occ)
        self.eligible_hires_occ += np.bincount(new_occ.compress(displaced), minlength=n_occ)

    def _ability_rank(self, ids: np.ndarray) -> np.ndarray:
        """Employer learning in hiring: ability_rank_weight x the ability employers see in these applicants (``ability_seen``)."""
        rank = self.model.workers.ability_seen.take(ids).astype(np.float64)
        rank *= self.cfg.market.ability_rank_weight
        return rank

    def _first_hires_after_training(self, hired: np.ndarray) -> None:
        """Of these workers just hired from unemployment, note those hired for the first time since completing retraining.

        Their months from completion to the hire (``trained_job_months``), counted by route with their pay factor at hire.
        """
        m = self.model
        w = m.workers
        first = hired.compress((w.trained_month.take(hired) != NEVER_MONTH) & (w.trained_job_months.take(hired) < 0))
        w.trained_job_months[first] = np.minimum(m.month - w.trained_month.take(first), np.iinfo(np.int16).max)
        route = w.credential.take(first).astype(np.int64)
        if self._first_hire_month != m.month:
            self._first_hire_month = m.month
            self._first_hire_pay[:] = 0.0
        n_occ = m.occupations.n
        cell = route * n_occ
        cell += w.occupation.take(first)  # the occupation just hired into
        size = len(ROUTES) * n_occ
        self._first_hire_pay += np.bincount(cell, weights=w.pay_factor.take(first), minlength=size).reshape(len(ROUTES), n_occ)
        hires = np.bincount(cell, minlength=size).reshape(len(ROUTES), n_occ)
        for code, name in enumerate(ROUTES):
            m.flows[f"retrained_first_hires_{name}"] += int(hires[code].sum())
            m.flows[f"retrained_first_hires_{name}_occ"] += hires[code]

    def record(self, values: dict) -> None:
        """The pay factors at this month's first hires of retraining completers, summed by route and by (route, occupation); the subsidised employees."""
        values["subsidised_employees"] = int(self.subsidy_paid.size)
        now = self._first_hire_month == self.model.month
        for code, name in enumerate(ROUTES):
            pay = self._first_hire_pay[code] if now else np.zeros(self.model.occupations.n)
            values[f"retrained_first_hire_pay_{name}"] = float(pay.sum())
            values[f"retrained_first_hire_pay_{name}_occ"] = pay.copy()

    def _domain_advantage(self, ids: np.ndarray, cell: np.ndarray, score: np.ndarray, offered: np.ndarray) -> None:
        """Domain knowledge in AI roles at firms of the applicant's domain sector: ranking bonus and pay at hire, in place (:mod:`.domain`)."""
        self.domain_roles.advantage(ids, cell, score, offered)

    def _own_pay(self, searchers: np.ndarray, pay, occ_s: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Each searcher's fit and hire pay factor in their own occupation (no specialisation gap there: its lane is held).

        ``occ_s``: their occupations (int64), if already gathered.
        """
        w = self.model.workers
        occ_s = w.occupation.take(searchers).astype(np.int64) if occ_s is None else occ_s
        index = searchers * self.model.occupations.n
        index += occ_s
        fit_own = w.fit.ravel().take(index)
        return fit_own, pay.own_factor(fit_own)

    def _applications(self, searchers: np.ndarray, n_u: int, bar_s: np.ndarray, pay=None, own: tuple | None = None,
                      counts: np.ndarray | None = None, gathered: tuple | None = None) -> tuple[np.ndarray, ...]:
        """Applications that pass the wage and fit screens: (searcher position, cell, fit, wage offered), cells occupation-major.

        The wage a position offers an applicant is the cell's posted wage times the applicant's hire pay factor
        at their fit for the occupation (``model.hire_pay``; ``pay`` is ``model.hire_pay_of(searchers)``, and ``own``
        each searcher's fit and hire pay factor in their own occupation, the same for all positions there,
        :meth:`_own_pay`; both are computed here if not given; ``counts``: each searcher's workable applications,
        drawn here by :meth:`_workable` if not given; ``gathered``: the searchers' occupations (int64) and the
        on-the-job searchers' employers, if already gathered).

        The first ``n_u`` searchers are unemployed and send ``applications_per_month`` applications, own occupation or
        a skill-near one; the others (on the job) send ``on_the_job_applications`` in their own occupation, never to their employer.
        """
        m, mk, rng = self.model, self.cfg.market, self.rng
        w, firms, n_occ, n_firms = m.workers, m.firms, m.occupations.n, m.firms.n
        vac = firms.vacancies.T.ravel()  # cells in occupation-major order: c = o * n_firms + f
        occ_s, firm_otj = (w.occupation.take(searchers).astype(np.int64), w.firm.take(searchers[n_u:])) if gathered is None else gathered
        app_s = np.repeat(np.arange(searchers.size), self._workable(searchers, n_u) if counts is None else counts)
        occ_vac = firms.vacancies.sum(axis=0)
        offsets = np.cumsum(occ_vac) - occ_vac
        slot_cell = np.repeat(np.arange(vac.size), vac)
        posted = firms.posted_wage.T.ravel()
        held = m.lanes_held(searchers[:n_u])  # only the unemployed search outside their occupation
        pay = m.hire_pay_of(searchers) if pay is None else pay
        fit_own, pay_own = self._own_pay(searchers, pay) if own is None else own

        def place(o: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
            """One slot per open position: an application picks a uniform slot of its occupation (``u``: its uniform draws, if drawn)."""
            u = rng.random(o.size) if u is None else u
            u *= occ_vac.take(o)
            slot = u.astype(np.int64)
            slot += offsets.take(o)
            return slot_cell.take(slot)

        def fit_of(s: np.ndarray, o: np.ndarray) -> np.ndarray:
            """Of searchers at these positions for these occupations, the fit firms see: basic-skill fit less the specialisation gap (an AI-core role without AI-core specific skills)."""
            f = w.fit.ravel().take(searchers.take(s) * n_occ + o)
            f -= m.specialisation_gap(held.take(s), o).astype(f.dtype)
            return f

        def offer_of(s: np.ndarray, c: np.ndarray, f: np.ndarray, o: np.ndarray) -> np.ndarray:
            """The wage positions ``c`` (in occupations ``o``) offer searchers ``s`` at fit ``f``: posted wage x their hire pay factor."""
            return posted.take(c) * pay.factor(s, f, o)

        # an unemployed searcher's application goes outside their occupation with probability 1 - own_occupation_search_share:
        # directed search, to occupation j with weight kernel(o, j) x its open positions, then a position there that the
        # searcher would take (posted wage) and qualifies for (fit >= min_fit); after outside_search_tries tries that found none, the
        # application goes to the own occupation (a restriction of mobility moves applications, it does not remove them)
        n_from_u = int(np.searchsorted(app_s, n_u))  # the unemployed's applications come first; only theirs may go outside
        other = np.zeros(app_s.size, dtype=bool)
        other[:n_from_u] = rng.random(n_from_u) >= mk.own_occupation_search_share
        got_s, got_c, got_f, got_w = [], [], [], []
        if occ_vac.sum() > 0:
            at = flatnonzero(other)
            left = self._outside(at, app_s.take(at), occ_s, occ_vac, place, fit_of, offer_of, bar_s, (got_s, got_c, got_f, got_w))
            other[left] = False  # these stay in the own occupation
        app_s = app_s.compress(~other)
        app_o = occ_s.take(app_s)
        if not occ_vac.all():
            has = occ_vac.take(app_o) > 0
            app_s, app_o = app_s.compress(has), app_o.compress(has)
        cell = place(app_o)

        # eligibility: an employed searcher (the applications from n_u on) does not apply to their own employer; own-occupation
        # applications are not screened on fit; wages are posted, so no one applies to a position paying them less than they
        # would take (both screens in one mask)
        offered = posted.take(cell) * pay_own.take(app_s)
        ok = offered >= bar_s.take(app_s)
        otj_from = np.searchsorted(app_s, n_u)
        employer_cell = occ_s[n_u:] * n_firms  # each on-the-job searcher's own cell
        employer_cell += firm_otj
        ok[otj_from:] &= employer_cell.take(app_s[otj_from:] - n_u) != cell[otj_from:]
        keep = flatnonzero(ok)
        app_s, cell, offered = app_s.take(keep), cell.take(keep), offered.take(keep)
        fit = fit_own.take(app_s)
        if got_s:
            app_s, cell, fit, offered = (np.concatenate([app_s, *got_s]), np.concatenate([cell, *got_c]),
                                         np.concatenate([fit, *got_f]), np.concatenate([offered, *got_w]))
        return app_s, cell, fit, offered

    def _workable(self, searchers: np.ndarray, n_u: int) -> np.ndarray:
        """Per searcher, the number of applications that find a workable match (the only ones built).

        Of an unemployed searcher's ``applications_per_month`` (an employed searcher's ``on_the_job_applications``),
        each is workable with probability ``match_probability``, independently of everything else; a searcher
        receiving benefits searches less (:func:`.insurance.insured_effort` of that, which falls with their
        replacement ratio). Binomial counts, drawn by inverse CDF.
        """
        mk = self.cfg.market
        otj = self._counts_table((mk.on_the_job_applications, mk.match_probability))
        n_otj = searchers.size - n_u
        return np.concatenate([self._workable_unemployed(searchers[:n_u]),
                               otj.draw(0, self.rng.random(n_otj))])

    def _counts_table(self, *rows: tuple[int, float], at_least_one: bool = False) -> RowInverseCDF:
        """Inverse-CDF draws of Binomial(n, p) for each row ``(n, p)`` (``at_least_one``: given at least 1, less 1), built once and kept."""
        key = (rows, at_least_one)
        if key not in self._count_tables:
            cdfs = [binomial_cdf(n, p) for n, p in rows]
            if at_least_one:  # P(K <= k | K >= 1) for k = 1..n
                cdfs = [(c[1:] - c[0]) / (1.0 - c[0]) if c[0] < 1.0 else np.ones(c.size - 1) for c in cdfs]
            self._count_tables[key] = RowInverseCDF(np.stack(cdfs))
        return self._count_tables[key]

    def _workable_unemployed(self, unemployed: np.ndarray) -> np.ndarray:
        """Per unemployed searcher, their workable applications: Binomial(``applications_per_month``, p x effort).

        effort is 1 for the uninsured; for a searcher with benefit months left it falls with their replacement ratio
        (:func:`.insurance.insured_effort`), looked up on a grid of 1/``insurance.EFFORT_STEPS``.
        """
        mk, w = self.cfg.market, self.model.workers
        p, steps = mk.match_probability, insurance.EFFORT_STEPS
        key = (mk.applications_per_month, p, steps)
        if key not in self._effort_tables:  # the rows' tuple is long to build and hash every month: the table is looked up by its key
            self._effort_tables[key] = self._counts_table(*((mk.applications_per_month, p * (k / steps)) for k in range(steps + 1)))
        table = self._effort_tables[key]
        row = np.full(unemployed.size, steps, dtype=np.int64)
        insured = flatnonzero(w.ui_months_left.take(unemployed) > 0)
        if insured.size:
            effort = insurance.insured_effort(insurance.replacement_ratio(w, unemployed.take(insured)), mk)
            row[insured] = np.rint(effort * steps).astype(np.int64)
        return table.draw(row, self.rng.random(unemployed.size))

    def _on_the_job(self, n_emp: int, counts_u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The on-the-job searchers who send a workable application, and all searchers' workable application counts.

        A binomial number (``on_the_job_search_rate`` of the ``n_emp`` employed) of employees is drawn uniformly
        (:func:`.grouping.draw_among`), repeats dropped; each of them has Binomial(``on_the_job_applications``, ``match_probability``) workable applications.
        Those with none do nothing, so only the others are kept: each with probability 1 - (1 - p)^n, then their
        counts from the binomial conditioned on at least one (the same distribution as drawing them all).
        Returns the searchers kept (ascending) and ``counts_u`` followed by their counts.
        """
        mk, rng = self.cfg.market, self.rng
        n_otj = rng.binomial(n_emp, mk.on_the_job_search_rate)
        status = self.model.workers.status[: self.model.next_slot]
        drawn = draw_among(rng, status.size, n_otj, lambda c: status.take(c) == EMPLOYED, n_emp / max(status.size, 1))
        cdf = self._counts_table((mk.on_the_job_applications, mk.match_probability)).cdf[0]  # binomial_cdf, kept
        # every position drawn gets a uniform; a position drawn more than once keeps one of them (whichever numpy
        # writes last, chosen without regard to their values), so each distinct searcher is kept with probability 1 - cdf[0]
        kept = np.zeros(status.size, dtype=bool)
        kept[drawn] = rng.random(n_otj) >= cdf[0]
        active = flatnonzero(kept)
        table = self._counts_table((mk.on_the_job_applications, mk.match_probability), at_least_one=True)
        counts = table.draw(0, rng.random(active.size)) + 1
        return active, np.concatenate([counts_u, counts])

    def _outside(self, at, other_s, occ_s, occ_vac, place, fit_of, offer_of, bar_s, got) -> np.ndarray:
        """Directed search outside the own occupation (see the module docstring): accepted applications go to ``got``.

        ``at`` are the applications' indices and ``other_s`` their searcher positions. Returns the indices of the
        applications that found no position the searcher would take and qualifies for.
        """
        mk, rng, n_occ = self.cfg.market, self.rng, self.model.occupations.n
        weight = self.search_kernel * occ_vac[None, :]
        empty = np.flatnonzero(weight.sum(axis=1) <= 0)
        weight[empty, empty] = 1.0  # nowhere else to go: the application stays in the own occupation
        cdf = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
        cdf[:, -1] = 1.0
        draws = RowInverseCDF(cdf)
        tight = self.model.market.tightness
        # (own, other) occupations worth a try: another occupation with open positions where prospects are better than at
        # home (tightness above outside_tightness_ratio times the own occupation's)
        better = (occ_vac[None, :] > 0) & ~np.eye(n_occ, dtype=bool) & (tight[None, :] > tight[:, None] * mk.outside_tightness_ratio)
        better = better.ravel()
        for _ in range(mk.outside_search_tries):
            own = occ_s.take(other_s)
            o = np.minimum(draws.draw(own, rng.random(other_s.size)), n_occ - 1)
            has = better.take(own * n_occ + o)
            # every try draws a slot, but only the positions found are placed, screened and applied to
            found = np.flatnonzero(has)
            u = rng.random(other_s.size).take(found)
            s_h, o_h = other_s.take(found), o.take(found)
            c_h = place(o_h, u)
            f = fit_of(s_h, o_h)
            offered = offer_of(s_h, c_h, f, o_h)
            ok = (offered >= bar_s.take(s_h)) & (f >= mk.min_fit)
            for out, x in zip(got, (s_h, c_h, f, offered), strict=True):
                out.append(x.compress(ok))
            left = np.ones(other_s.size, dtype=bool)
            left[found.compress(ok)] = False
            other_s, at = other_s.compress(left), at.compress(left)
            if other_s.size == 0:
                break
        return at

    def _count_ai_core_hires(self, ids: np.ndarray, new_occ: np.ndarray) -> None:
        """Count hires into AI-core occupations by where the hired come from (their occupation before the hire) and training."""
        m = self.model
        lane = m.occupations.lane
        into = np.flatnonzero(lane.take(new_occ) == LANES.index("ai_core"))
        ids = ids.take(into)
        origin = lane.take(m.workers.occupation.take(ids))
        from_core = origin == LANES.index("ai_core")
        retrained = from_core & m.workers.retrained.take(ids)
        fl = m.flows
        fl["ai_core_hires_retrained"] += int(retrained.sum())
        fl["ai_core_hires_from_ai_core"] += int(from_core.sum()) - int(retrained.sum())
        fl["ai_core_hires_from_ai_adjacent"] += int((origin == LANES.index("ai_adjacent")).sum())
        fl["ai_core_hires_from_traditional"] += int((origin == LANES.index("traditional")).sum())

    def _hire(self, bw: np.ndarray, hired_c: np.ndarray, bwage: np.ndarray, employed_now: np.ndarray) -> None:
        """Move the hired workers into their new cells at the wages offered them, and count the flows."""
        m = self.model
        w, firms, fl, n_occ, n_firms = m.workers, m.firms, m.flows, m.occupations.n, m.firms.n
        new_occ, new_firm = np.divmod(hired_c, n_firms)
        from_unemployment = ~employed_now
        movers = bw.compress(employed_now)
        fl["hires"] += bw.size
        fl["job_to_job"] += movers.size
        fl["separations_other"] += movers.size
        fl["separations_other_occ"] += np.bincount(w.occupation.take(movers), minlength=n_occ)
        from_u = bw.compress(from_unemployment)
        fl["hires_from_unemployed"] += from_u.size
        fl["hires_occ"] += np.bincount(new_occ, minlength=n_occ)
        fl["hires_from_unemployed_occ"] += np.bincount(new_occ.compress(from_unemployment), minlength=n_occ)
        fl["hires_stage"] += np.bincount(m.stage_of(bw), minlength=3)
        fl["hires_from_unemployed_by_own_occ"] += np.bincount(w.occupation.take(from_u), minlength=n_occ)
        domain.count_hires(m, bw, new_firm, new_occ)
        self._subsidise(bw, new_occ, from_unemployment)

        # displaced workers' first re-employment
        first = from_unemployment & w.displaced.take(bw) & (w.reemployed_month.take(bw) < 0)
        rid = bw.compress(first)
        w.reemployed_month[rid] = m.month
        w.reemployed_wage[rid] = bwage.compress(first)

        m.leave_firm(movers)
        m.join_firm(bw, new_firm, new_occ)
        w.wage[bw] = bwage
        w.pay_factor[bw] = bwage / m.firms.posted_wage.T.ravel().take(hired_c)
        w.tenure[bw] = 0
        w.months_unemployed[bw] = 0
        w.ui_months_left[bw] = 0
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)
        self._first_hires_after_training(from_u)

    def _rounds(self, app_s, cell, score, n_searchers, open_v, offered):
        """Offer rounds: firms offer open positions to their best remaining applicants; workers take their best offer.

        Every application pays at least what its sender takes (the wage screen in
        :meth:`step`), so a searcher with an offer takes their best one and is
        done; positions they turned down go, in the next round, to the next
        applicants. Returns the hired searchers, their cells and their wages.
        """
        fl = self.model.flows
        hired_s, hired_c, hired_w = [], [], []
        # sort once by (cell, -score); later rounds filter the sorted arrays, which keeps them sorted
        order, rank, cell = rank_within_groups(cell, -score, return_sorted=True)
        app_s, offered = app_s.take(order), offered.take(order)
        done = np.zeros(n_searchers, dtype=bool)
        for round_no in range(self.cfg.market.matching_rounds):
            if app_s.size == 0:
                break
            if round_no:
                rank = ranks_of_sorted(cell)
            is_offer = rank < open_v.take(cell)
            if not is_offer.any():
                break
            off_s, off_cell, off_wage = app_s.compress(is_offer), cell.compress(is_offer), offered.compress(is_offer)
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
            hired_w.append(off_wage.take(best))
            open_v -= np.bincount(bcell, minlength=open_v.size)
            if round_no + 1 == self.cfg.market.matching_rounds:
                break  # no round left to offer the rest
            done[off_s] = True
            keep = np.flatnonzero(~done.take(app_s) & (open_v.take(cell) > 0))
            app_s, cell, offered = app_s.take(keep), cell.take(keep), offered.take(keep)
        if not hired_s:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(hired_s), np.concatenate(hired_c), np.concatenate(hired_w)

    def _reservation(self, ids: np.ndarray, at_hire: np.ndarray | None = None, occ: np.ndarray | None = None) -> np.ndarray:
        """Reservation wage: a share of the worker's market value that falls once benefits run out; stored and returned.

        r = value (floor + (start - floor) (1 - decay)^months_uninsured),
        months_uninsured = max(months unemployed - benefit months granted for the spell, 0), 0 while benefits last;
        the months granted are the worker's own (``ui_months_granted``): 0 for a quitter, a graduate or an entrant,
        who are uninsured from their first month. An insured spell starts from the reservation ratio of the worker's
        replacement ratio (benefit / last wage, :func:`.insurance.insured_reservation`), an uninsured one from
        ``reservation_ratio_insured`` (the ratio at the reference replacement ratio). The market value is what an average
        employer of their occupation pays someone of their fit, experience and AI skills at hire,
        base_wage_o x index_o x pay_at_hire: the tenure and firm premium of a lost job are not part of it, which
        is why re-employment pays less than the lost job did. A graduate's reference is
        ``graduate_reservation_ratio`` of their market value. ``at_hire``: their hire pay factors in their own
        occupation, if known (``model.hire_pay``); ``occ``: their occupations, if already gathered.
        """
        m, mk = self.model, self.cfg.market
        w = m.workers
        occ = w.occupation.take(ids) if occ is None else occ
        if at_hire is None:
            at_hire = m.hire_pay(ids, w.fit.ravel().take(ids * m.occupations.n + occ), occ)
        last = m.occupations.base_wage.take(occ) * m.market.wage_index.take(occ) * at_hire
        never = np.isnan(w.wage.take(ids))  # never employed: graduates
        last[never] *= mk.graduate_reservation_ratio
        granted = w.ui_months_granted.take(ids)
        uninsured = np.where(w.ui_months_left.take(ids) > 0, 0, np.maximum(w.months_unemployed.take(ids) - granted, 0))
        # the spell's starting ratio: an insured spell's follows its replacement ratio, an uninsured one's is the constant
        start = np.full(ids.size, mk.reservation_ratio_insured)
        insured = flatnonzero((granted > 0) & (w.ui_benefit.take(ids) > 0))
        start[insured] = insurance.insured_reservation(insurance.replacement_ratio(w, ids.take(insured)), mk)
        # the decay for each whole number of uninsured months, looked up
        months = np.arange(int(uninsured.max(initial=0)) + 1)
        kept = np.exp(months * np.log1p(-min(mk.reservation_decay, 1 - 1e-12)))
        ratio = mk.reservation_ratio_floor + (start - mk.reservation_ratio_floor) * kept.take(uninsured)
        reservation = (last * ratio).astype(w.reservation_wage.dtype)
        w.reservation_wage[ids] = reservation
        return reservation
