"""Step 8: wages respond to tightness; the market's smoothed rates are updated.

In the burn-in the wage indices stay at 1 (the base wages of the data) while
the smoothed rates are updated; when it ends, the reference tightness becomes
the market's smoothed tightness, so wages only move when the market moves away
from where it settled.

Tightness of occupation o is theta_o = (V_o + 0.5) / (U_o + 1), vacancies per
unemployed searcher, smoothed over months (weight ``market.rate_smoothing``). Its wage index moves
towards a target set by tightness relative to the market at month 0
(the smoothed tightness at the end of the burn-in, before any policy acts),
theta_o^ref:

    target_o = clip((theta_o / theta_o^ref) ^ elasticity, lo, hi)
    index_o <- index_o + adjustment (target_o - index_o)

and next month's posted wages are w_fo = base_wage_o * index_o * premium_f.
Individual pay: an employee earns their cell's wage times their own pay
factor. The factor is set at hire (:func:`pay_at_hire`: skill fit for the
occupation, experience, AI skills, and the ability employers see in the worker,
exp(ability_wage_return x ability_seen): employer learning, :func:`ability_pay_term`), rises by ``tenure_wage_growth`` a month
for up to ``tenure_wage_cap_months`` with the same employer, and is lost when
the job ends: a displaced worker starts again from the hire pay of their next
job, at their (reduced) fit and without tenure. In an AI-core or AI-adjacent
role at a firm of the worker's domain sector the pay at hire is further
multiplied by 1 + ``domain.pay_premium`` x strength (:mod:`.domain`). An employee without AI skills
learns them on the job with probability ``ai_skill_learning_rate`` x the
employer's adoption a month, and their pay rises by ``ai_skill_premium``.

The smoothed job-finding rate f_o (hires from unemployment / unemployed) and
separation rate s_o (separations / employment) feed workers' retraining
decisions (exponential smoothing with the same weight).
"""

from __future__ import annotations

import numpy as np

from ..outputs import BY_OCCUPATION, flow, value
from ..state import EMPLOYED, UNEMPLOYED
from .base import Process
from .grouping import distinct, draw_among

# Pseudo-counts in tightness, (V + 0.5) / (U + 1), so that it is defined for an occupation with no searcher.
PSEUDO_VACANCIES, PSEUDO_SEARCHERS = 0.5, 1.0
# Smoothed rates before any month has been observed; the burn-in replaces them with the market's own (at the default
# smoothing, 0.8^48 of the prior is left after 48 months).
PRIOR_FINDING_RATE, PRIOR_SEPARATION_RATE = 0.25, 0.015
MIN_SEPARATION_RATE = 1e-4  # keeps the value of a job finite in the retraining decision


EXPERIENCE_CAP_YEARS = 25.0  # experience raises hire pay for this many years after age_entry (the profile is flat after)


def pay_at_hire(fit: np.ndarray, years: np.ndarray, ai_skill: np.ndarray, mk, norm, ability: np.ndarray | float = 0.0) -> np.ndarray:
    """A new hire's pay factor: exp(r_s (fit - 1) + r_x min(max(years, 0), 25) + r_a a_seen) (1 + premium x AI skills) / norm.

    ``years``: the experience credited in the occupation (:meth:`.model.LaborMarketModel.experience_years`).
    ``norm`` (per occupation) makes the initial employees' mean pay factor 1 in each occupation, so that cell wages stay
    the occupations' mean wages. ``ability``: the term r_a a_seen of :func:`ability_pay_term` (0 for no one seen).
    """
    years = np.clip(np.asarray(years, dtype=np.float64), 0.0, EXPERIENCE_CAP_YEARS)
    log_pay = mk.skill_wage_return * (np.asarray(fit, dtype=np.float64) - 1.0) + (mk.experience_wage_return * years + ability)
    return np.exp(log_pay) * (1.0 + mk.ai_skill_premium * np.asarray(ai_skill, dtype=np.float64)) / norm


class HirePay:
    """Hire pay factors (:func:`pay_at_hire`) of a fixed group of workers, for many (worker, occupation, fit) queries.

    The per-worker terms (the experience credited in their own occupation and in another, their AI skills) are
    gathered and scaled once, so a query only looks up the group's own short arrays; every factor is the one
    ``model.hire_pay`` gives for that worker, occupation and fit, bit for bit.

    Args:
        occupation: each worker's occupation.
        years_own: experience credited in their own occupation (float32, as ``model.experience_years``).
        ai_skill: whether each holds AI skills.
        mk: the market config.
        norm: ``model.pay_norm`` (per occupation).
        ai_core_role: per occupation, whether it is AI-core (whose pay already includes AI skills).
        ability: each worker's :func:`ability_pay_term` (the pay for the ability employers see), or 0.
        n_other: only the workers at the first ``n_other`` positions are queried in other occupations than their own
            (None: all of them).

    """

    def __init__(self, occupation: np.ndarray, years_own: np.ndarray, ai_skill: np.ndarray, mk, norm: np.ndarray,
                 ai_core_role: np.ndarray, ability: np.ndarray | float = 0.0, n_other: int | None = None):
        self.occupation = occupation
        self.ai_skill = ai_skill
        self.mk = mk
        self.norm = norm
        self.not_core = ~ai_core_role
        self.x_own = mk.experience_wage_return * np.clip(years_own.astype(np.float64), 0.0, EXPERIENCE_CAP_YEARS) + ability
        part = slice(None) if n_other is None else slice(0, n_other)
        years_other = years_own[part] * mk.experience_transfer  # in another occupation (float32, as experience_years)
        ability_other = ability[part] if np.ndim(ability) else ability
        self.x_other = mk.experience_wage_return * np.clip(years_other.astype(np.float64), 0.0, EXPERIENCE_CAP_YEARS) + ability_other
        self.skill_factor = 1.0 + mk.ai_skill_premium * np.array([0.0, 1.0])  # without, with paid AI skills

    def factor(self, pos: np.ndarray, fit: np.ndarray, occupations: np.ndarray) -> np.ndarray:
        """Pay factors at hire of the workers at positions ``pos`` of the group in these occupations, at this fit."""
        own = self.occupation.take(pos) == occupations
        return self._pay(fit, np.where(own, self.x_own.take(pos), self.x_other.take(pos)), self.ai_skill.take(pos), occupations)

    def own_factor(self, fit: np.ndarray) -> np.ndarray:
        """Pay factors at hire of every worker of the group in their own occupation, at this fit (``factor`` for them all)."""
        return self._pay(fit, self.x_own, self.ai_skill, self.occupation)

    def _pay(self, fit: np.ndarray, x: np.ndarray, ai_skill: np.ndarray, occupations: np.ndarray) -> np.ndarray:
        """:func:`pay_at_hire` from the experience term ``x`` already scaled (the same operations, so the same bits)."""
        log_pay = self.mk.skill_wage_return * (np.asarray(fit, dtype=np.float64) - 1.0)
        log_pay += x
        paid = ai_skill & self.not_core.take(occupations)
        pay = np.exp(log_pay, out=log_pay)
        pay *= self.skill_factor.take(paid.view(np.int8))
        pay /= self.norm.take(occupations)
        return pay


def ability_pay_term(seen: np.ndarray, mk) -> np.ndarray:
    """Employer learning in pay: r_a a_seen, the log pay at hire for the ability employers see (``ability_wage_return``).

    ``seen`` is ``workers.ability_seen`` (employers' belief, moved by a completed retraining route's ``reveal``).
    """
    return mk.ability_wage_return * np.asarray(seen, dtype=np.float64)


def tenure_factor(tenure_months: np.ndarray, mk) -> np.ndarray:
    """The pay growth from tenure: exp(tenure_wage_growth x min(tenure, cap))."""
    return np.exp(mk.tenure_wage_growth * np.minimum(np.asarray(tenure_months, dtype=np.float64), mk.tenure_wage_cap_months))


class MarketStats:
    """Per-occupation market state: wage index, smoothed finding and separation rates."""

    def __init__(self, n_occupations: int):
        self.wage_index = np.ones(n_occupations)
        self.finding_rate = np.full(n_occupations, PRIOR_FINDING_RATE)
        self.separation_rate = np.full(n_occupations, PRIOR_SEPARATION_RATE)
        self.reference_tightness = np.full(n_occupations, np.nan)
        self.tightness = np.zeros(n_occupations)


class Wages(Process):
    """Wage index per occupation from tightness, and next month's posted wages."""

    name = "wages"
    reads = ("flows.searchers", "flows.vacancies", "flows.hires_from_unemployed", "flows.separations")
    writes = ("market", "firms.posted_wage", "firms.wage_premium", "workers.pay_factor", "workers.tenure", "workers.ai_skill")
    outputs = (value("wage_index", "the occupation's wage index (1 at month 0)", "ratio", table=BY_OCCUPATION),
               flow("ai_skills_learnt", "employees who learnt AI skills on the job this month"))

    def __init__(self, model):
        super().__init__(model)
        w, f = model.workers, model.firms
        n_occ = model.occupations.n
        unemployed = np.bincount(w.occupation[: model.next_slot][w.status[: model.next_slot] == UNEMPLOYED], minlength=n_occ)
        vacancies = np.maximum(f.base_demand - f.headcount, 0.0).sum(axis=0)
        model.market.reference_tightness = (vacancies + PSEUDO_VACANCIES) / (unemployed + PSEUDO_SEARCHERS)
        model.market.tightness = model.market.reference_tightness.copy()

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, mk = self.model, self.cfg.market
        stats, firms, occ = m.market, m.firms, m.occupations
        self.observe()
        self.tenure_and_learning()
        raised = self.recruit()
        if not m.burning_in:
            target = np.clip((stats.tightness / stats.reference_tightness) ** mk.wage_tightness_elasticity, mk.wage_index_min, mk.wage_index_max)
            stats.wage_index = stats.wage_index + mk.wage_adjustment * (target - stats.wage_index)
        if raised or not m.burning_in:  # in the burn-in the indices stay at 1; only recruiting raises move posted wages
            firms.posted_wage[:] = occ.base_wage[None, :] * stats.wage_index[None, :] * firms.wage_premium[:, None]

    def recruit(self) -> bool:
        """Firms that cannot fill their positions raise their pay premium; returns whether any did.

        A firm whose vacancy rate (open positions / demand) exceeds ``recruiting_threshold`` raises its premium by
        ``recruiting_raise`` log points per unit of the excess: a firm that pays below what searchers
        take stops posting such wages (in wage-posting models no firm pays below the reservation wage, Burdett and
        Mortensen 1998). Premiums are never cut, so firm pay premia stay dispersed above that floor.
        """
        mk, firms = self.cfg.market, self.model.firms
        if mk.recruiting_raise <= 0:
            return False
        demand = firms.demand.sum(axis=1).astype(np.float64)
        vacancies = firms.vacancies.sum(axis=1).astype(np.float64)
        excess = vacancies / np.maximum(demand, 1.0) - mk.recruiting_threshold
        if not (excess > 0).any():
            return False
        firms.wage_premium *= np.exp(mk.recruiting_raise * np.maximum(excess, 0.0))
        return True

    def tenure_and_learning(self) -> None:
        """Employees gain a month of tenure (and its pay, up to the cap); some learn AI skills at adopting firms.

        In-place updates over the live slice (no gather and scatter of every employee); the learners are
        drawn by thinning: a binomial number of candidates at the highest adoption's probability, each kept with
        the ratio of their employer's adoption to it.
        """
        m, mk = self.model, self.cfg.market
        w, n = m.workers, m.next_slot
        employed = w.status[:n] == EMPLOYED
        tenure = w.tenure[:n]
        if mk.tenure_wage_growth > 0:
            grow = employed & (tenure < mk.tenure_wage_cap_months)
            # everyone's factor times 1 or the growth (x 1 leaves a value as it is), faster than a masked multiply; the
            # factors 1 + grow (g - 1) are exactly 1 and g in float32 (g - 1 is exact for g in [1, 2]), checked here
            g = np.float32(np.exp(mk.tenure_wage_growth))
            if np.float32(1.0) + (g - np.float32(1.0)) == g:
                step = np.multiply(grow, g - np.float32(1.0), dtype=np.float32)
                step += np.float32(1.0)
            else:
                step = np.array([1.0, g], dtype=np.float32).take(grow.view(np.int8))
            np.multiply(w.pay_factor[:n], step, out=w.pay_factor[:n])
        tenure += employed & (tenure < np.iinfo(np.int16).max)  # + 1 where employed (a boolean adds 0 or 1)
        p_max = mk.ai_skill_learning_rate * float(m.firms.adoption.max(initial=0.0))
        learnt = np.zeros(0, dtype=np.int64)
        if p_max > 0:
            # candidates: a binomial number of uniform draws among the employees without AI skills, repeats dropped
            learner = employed & ~w.ai_skill[:n]
            n_learners = int(np.count_nonzero(learner))
            n_cand = self.rng.binomial(n_learners, p_max)
            cand = distinct(draw_among(self.rng, n, n_cand, learner.take, n_learners / max(n, 1)), max(n, 1))
            keep = self.rng.random(cand.size) * p_max < mk.ai_skill_learning_rate * m.firms.adoption.take(w.firm.take(cand))
            learnt = cand.compress(keep)
        if learnt.size:
            w.ai_skill[learnt] = True
            paid = learnt.compress(~m.ai_core_role.take(w.occupation.take(learnt)))  # AI-core pay already includes them
            w.pay_factor[paid] *= np.float32(1.0 + mk.ai_skill_premium)
        m.flows["ai_skills_learnt"] += learnt.size

    def observe(self) -> None:
        """Update the smoothed tightness, job-finding and separation rates from this month's flows (wages stay)."""
        m = self.model
        stats, fl, firms = m.market, m.flows, m.firms
        searchers = fl["searchers_occ"].astype(np.float64)
        vac = fl["vacancies_occ"].astype(np.float64)
        theta = (vac + PSEUDO_VACANCIES) / (searchers + PSEUDO_SEARCHERS)
        smoothing = self.cfg.market.rate_smoothing
        stats.tightness += smoothing * (theta - stats.tightness)

        has_u = searchers > 0
        f_obs = fl["hires_from_unemployed_by_own_occ"] / np.maximum(searchers, 1.0)
        stats.finding_rate[has_u] += smoothing * (np.minimum(f_obs[has_u], 1.0) - stats.finding_rate[has_u])
        employed = firms.headcount.sum(axis=0).astype(np.float64)
        seps = fl["separations_ai_occ"] + fl["separations_other_occ"]
        has_e = employed > 0
        s_obs = seps / np.maximum(employed, 1.0)
        stats.separation_rate[has_e] += smoothing * (np.maximum(s_obs[has_e], MIN_SEPARATION_RATE) - stats.separation_rate[has_e])

    def end_burn_in(self) -> None:
        """Wages now respond to tightness relative to where the market settled."""
        self.model.market.reference_tightness = self.model.market.tightness.copy()

    def record(self, values: dict) -> None:
        """The wage index of every occupation."""
        values["wage_index_occ"] = self.model.market.wage_index
