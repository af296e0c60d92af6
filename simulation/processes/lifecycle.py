"""Step 9: skills, ageing, unemployment clocks, leaving the labour force, graduates.

* Skills (updated once a year, with the monthly rates compounded):
  employees learn towards their occupation's profile,
  s <- s + learning_rate (profile - s); out of work skills decay,
  s <- s (1 - skill_decay).
* Ageing: age += 1/12.
* Clocks: months unemployed +1 for the unemployed; benefit months -1 for the
  unemployed and trainees who have some left, who are paid their benefit this
  month (``outlay_benefits``, ``ui_recipients``; none while the lever is off,
  when running entitlements lapse). Insured spells that ended in a hire are
  counted with their months from layoff to hire (:mod:`.insurance`).
* Three labour-force states (employed or unemployed, and out of the labour
  force), with flows both ways:

  - unemployed -> out: with probability
    h (1 + exit_age_factor max(age - exit_age_threshold, 0)), where
    h = exit_rate_long_term for a spell of ``exit_min_months`` or more and
    exit_rate_unemployed before;
  - employed -> out (care, study): with probability exit_rate_employed;
  - out -> left the sector (for good: another sector, emigration): with
    probability olf_leave_rate, for those who did not re-enter; they leave
    the population, as retirees do;
  - out -> unemployed (re-entry, searching): with probability
    reentry_rate / (1 + reentry_age_factor max(age - exit_age_threshold, 0));
    a re-entrant resumes their spell (months unemployed as they left them,
    no benefits). Those who left this month do not re-enter in it.
* Graduates (in the graduation month): round(graduate_rate x P) enter
  unemployed, P the population at month 0 (the end of the burn-in; in the
  burn-in, the initial population); their fields follow
  share_j exp(elasticity ln(w_j(t - lag) / mean_w(t - lag))) (1 + boost ai_j),
  where ai_j marks AI-core and AI-adjacent fields and boost is the education
  policy. Every entrant (graduate or from another sector) draws a latent ability
  and a time cost (:func:`.retraining.draw_traits`, on its own stream).
* Entrants from other sectors (every month): Poisson(outside_entry_rate V_o)
  experienced workers enter unemployed in occupation o, where V_o are the
  positions left open after matching. Low-wage occupations that tech workers
  leave are refilled from the wider labour market, as they are in practice.
  Some bring domain experience of a sector (:mod:`.domain`).
* Domain experience (every ``domain.DOMAIN_PERIOD`` months): employees build
  experience in their employer's sector, or move their domain to it
  (:func:`.domain.accrue`).
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..outputs import BY_OCCUPATION, flow, money
from ..state import EMPLOYED, LEFT_SECTOR, NEVER_MONTH, OUT_OF_LABOR_FORCE, RETRAINING, UNEMPLOYED
from . import domain
from .base import Process
from .grouping import flatnonzero, subset_among
from .retraining import draw_traits

SKILL_PERIOD = 12  # months between skill updates
BLOCK = 32_768  # rows per block in the skill update and its fit refresh (model.FIT_BLOCK, so the fit is computed in the same blocks)


class Lifecycle(Process):
    """Learning and decay, ageing, exits to inactivity and graduate entry."""

    name = "lifecycle"
    reads = ("levers", "firms.vacancies")
    writes = ("workers.status", "workers.skills", "firms.headcount", "workers.domain")
    outputs = (
        flow("graduates", "new graduates entering this month (unemployed, or hired on entry: graduates_hired_on_entry)"),
        flow("graduates_hired_on_entry", "graduates hired on entry with a campus offer (demography.graduate_offer_share); counted in hires"),
        flow("graduates_ai", "graduates in AI-core and AI-adjacent fields"),
        flow("entrants_other_sectors", "experienced workers entering from other sectors (unemployed), drawn by open positions"),
        flow("exits_to_olf", "unemployed workers who left the labour force"),
        flow("exits_to_olf_employed", "employees who left the labour force (care, study)"),
        flow("reentries", "workers out of the labour force who re-entered it, unemployed (searching)"),
        flow("left_sector", "workers out of the labour force who left the sector's labour market for good (another sector, "
             "emigration); they leave the population"),
        flow("graduates", "graduates entering in this field", table=BY_OCCUPATION),
        money("outlay_benefits", "unemployment benefits paid this month: the benefit (workers.ui_benefit) of every unemployed "
              "worker and trainee with benefit months left, each paid once a month (processes.insurance)"),
        flow("ui_recipients", "workers paid an unemployment benefit this month (unemployed or in training, with benefit months "
             "left): the stock of recipients", "workers"),
        flow("insured_spells_ended", "insured unemployment spells (begun by a layoff in month 1 or later) that ended this month "
             "in a hire; with insured_spell_months_ended, the mean completed duration of benefit recipients' spells"),
        flow("insured_spell_months_ended", "months from layoff to hire (training months included) of those spells, summed",
             "months / month"),
    )

    def __init__(self, model):
        super().__init__(model)
        occ = model.occupations
        self.ai_field = (occ.lane != LANES.index("traditional")).astype(np.float64)
        self.per_cohort = int(round(self.cfg.demography.graduate_rate * model.initial_population))

    def end_burn_in(self) -> None:
        """From month 0 the cohorts are a share of the population the burn-in ended with, not of the initial draw."""
        self.per_cohort = int(round(self.cfg.demography.graduate_rate * self.model.population))

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        m, demo = self.model, self.cfg.demography
        w = m.workers
        st = w.status
        if m.month % SKILL_PERIOD == 0:
            profiles = m.occupations.profiles.astype(np.float32)
            n = m.next_slot
            learn = 1.0 - (1.0 - demo.learning_rate) ** SKILL_PERIOD
            decay = 1.0 - (1.0 - demo.skill_decay) ** SKILL_PERIOD
            # by status code (employed, unemployed, retraining, out of the labour force, retired): the share of
            # skills kept, and the pull towards the occupation's profile (employees only: a table row per
            # occupation with the profile scaled by the pull, and one of zeros for everyone else)
            keep_of = np.ones(LEFT_SECTOR + 1)
            keep_of[EMPLOYED] = 1.0 - learn
            keep_of[[UNEMPLOYED, OUT_OF_LABOR_FORCE]] = 1.0 - decay
            keep_of = np.repeat(keep_of.astype(np.float32)[:, None], profiles.shape[1], axis=1)  # one full row per status
            n_occ = profiles.shape[0]
            pulled = np.zeros((n_occ + 1, profiles.shape[1]), dtype=np.float32)
            pulled[:n_occ] = profiles * np.float32(learn)
            for lo in range(0, n, BLOCK):  # in blocks, so that the temporaries stay in cache
                hi = min(lo + BLOCK, n)
                status = st[lo:hi]
                skills = w.skills[lo:hi]
                skills *= keep_of.take(status, axis=0)  # full rows: numpy multiplies them faster than a broadcast column
                row = np.where(status == EMPLOYED, w.occupation[lo:hi], n_occ)
                skills += pulled.take(row, axis=0)
                m.refresh_fit(slice(lo, hi))  # while the block's skills are in cache (the same blocks as refresh_fit's own)

        n = m.next_slot
        w.age[:n] += np.float32(1.0 / 12.0)  # everyone who has entered, retired included
        st = st[:n]
        others = flatnonzero(st != EMPLOYED)  # one pass over the live slice; each status below is found among these
        st_o = st.take(others)
        unemp = others.compress(st_o == UNEMPLOYED)
        w.months_unemployed[unemp] += 1
        self.benefits(unemp, others.compress(st_o == RETRAINING))
        self.insured_spell_ends(n)

        self.labour_force_flows(unemp, others.compress(st_o == OUT_OF_LABOR_FORCE), n - others.size)

        domain.accrue(m)
        if (m.calendar_month() - demo.graduation_month) % 12 < demo.graduation_spread_months:
            self.graduates(1.0 / demo.graduation_spread_months)
        self.outside_entrants()

    def benefits(self, unemp: np.ndarray, trainees: np.ndarray) -> None:
        """Benefit clocks and payments: the unemployed and trainees with benefit months left are paid their benefit and lose a month.

        While the lever is off (not enabled, not yet started, or a zero replacement rate) nothing is paid and running
        entitlements lapse (the programme is closed). Money is counted from month 1, not in the burn-in.
        """
        m, w, fl = self.model, self.model.workers, self.model.flows
        paying = m.levers.ui_replacement > 0
        for group in (unemp, trainees):
            ins = group.compress(w.ui_months_left.take(group) > 0)
            if not paying:
                w.ui_months_left[ins] = 0
                continue
            w.ui_months_left[ins] -= 1
            if not m.burning_in:
                fl["ui_recipients"] += ins.size
                fl["outlay_benefits"] += float(w.ui_benefit.take(ins).sum(dtype=np.float64))

    def insured_spell_ends(self, n: int) -> None:
        """Insured spells that ended in a job since last month's clocks: count those begun in month 1 or later; clear the benefits of the hired.

        An insured spell runs from its layoff (``ui_spell_start``) to the first hire, training months included; it
        ends without a job at an exit from the labour force (:meth:`labour_force_flows`, which keeps the benefit so that
        a re-entrant's reservation wage goes on as before) or a retirement. A worker keeps ``ui_benefit`` until hired.
        """
        m, w = self.model, self.model.workers
        ended = w.ui_benefit[:n] > 0
        ended &= w.status[:n] == EMPLOYED
        ended = flatnonzero(ended)
        began = w.ui_spell_start.take(ended)
        counted = (began >= 1) & (began != NEVER_MONTH)
        m.flows["insured_spells_ended"] += int(counted.sum())
        m.flows["insured_spell_months_ended"] += int((m.month - began.compress(counted)).sum())
        w.ui_spell_start[ended] = NEVER_MONTH
        w.ui_benefit[ended] = 0.0

    def labour_force_flows(self, unemp: np.ndarray, olf: np.ndarray, n_emp: int) -> None:
        """Re-entries of those out of the labour force, then exits of the unemployed and of a few of the ``n_emp`` employees (module docstring)."""
        m, mk, rng = self.model, self.cfg.market, self.rng
        w, fl = m.workers, m.flows
        over = np.maximum(w.age.take(olf) - mk.exit_age_threshold, 0.0)
        back = olf.compress(rng.random(olf.size) < mk.reentry_rate / (1.0 + mk.reentry_age_factor * over))
        w.status[back] = UNEMPLOYED
        fl["reentries"] += back.size
        if mk.olf_leave_rate > 0:  # of those who stay out, some leave the sector for good
            stay = olf.compress(w.status.take(olf) == OUT_OF_LABOR_FORCE)
            gone = stay.compress(rng.random(stay.size) < mk.olf_leave_rate)
            w.status[gone] = LEFT_SECTOR
            fl["left_sector"] += gone.size

        base = np.where(w.months_unemployed.take(unemp) >= mk.exit_min_months, mk.exit_rate_long_term, mk.exit_rate_unemployed)
        hazard = base * (1.0 + mk.exit_age_factor * np.maximum(w.age.take(unemp) - mk.exit_age_threshold, 0.0))
        leave = unemp.compress(rng.random(unemp.size) < hazard)
        w.status[leave] = OUT_OF_LABOR_FORCE
        w.ui_months_left[leave] = 0
        w.ui_spell_start[leave] = NEVER_MONTH  # the insured spell ends without a job (a re-entrant resumes it unpaid)
        fl["exits_to_olf"] += leave.size

        if mk.exit_rate_employed > 0:
            # each employee leaves with probability exit_rate_employed: a binomial number of them, a uniform subset
            status = w.status[: m.next_slot]
            n_quit = rng.binomial(n_emp, mk.exit_rate_employed)
            quit_lf = subset_among(rng, status.size, n_quit, lambda c: status.take(c) == EMPLOYED, n_emp / max(status.size, 1))
            m.leave_firm(quit_lf)
            w.status[quit_lf] = OUT_OF_LABOR_FORCE
            w.months_unemployed[quit_lf] = 0
            w.ui_months_left[quit_lf] = 0
            fl["exits_to_olf_employed"] += quit_lf.size

    def field_weights(self) -> np.ndarray:
        """Graduates' field mix from lagged wage premia and education policy."""
        m, demo = self.model, self.cfg.demography
        occ = m.occupations
        lagged = m.wage_index_lagged(demo.premium_lag_months)
        wage = occ.base_wage * lagged
        premium = np.log(wage / np.average(wage, weights=occ.initial_share))
        base_premium = np.log(occ.base_wage / np.average(occ.base_wage, weights=occ.initial_share))
        weight = occ.initial_share * np.exp(demo.field_premium_elasticity * (premium - base_premium))
        weight *= 1.0 + m.levers.education_ai_boost * self.ai_field
        return weight / weight.sum()

    def graduates(self, part: float = 1.0) -> None:
        """Let this part of the year's cohort of graduates enter (unemployed, or hired on entry with a campus offer)."""
        m, demo, rng = self.model, self.cfg.demography, self.rng
        # cohorts grow with trend demand (cycle.trend_growth) from the population they are a share of
        since = m.month + self.cfg.burn_in_months if m.burning_in else m.month
        size = int(round(part * self.per_cohort * (1.0 + self.cfg.cycle.trend_growth) ** (since / 12.0)))
        field = rng.choice(m.occupations.n, size=size, p=self.field_weights())
        ages = demo.age_entry + rng.random(field.size) * demo.graduate_age_span
        ids = self.enter(field, ages, demo.graduate_skill_share, demo.graduate_skill_noise)
        if demo.graduate_offer_share > 0:
            self.campus_hires(ids.compress(rng.random(ids.size) < demo.graduate_offer_share))
        by_field = np.bincount(field, minlength=m.occupations.n)
        m.flows["graduates"] += field.size
        m.flows["graduates_occ"] += by_field
        m.flows["graduates_ai"] += int(by_field[self.ai_field > 0].sum())

    def campus_hires(self, ids: np.ndarray) -> None:
        """Graduates with a campus offer are hired on entry into open positions of their field's occupation.

        Per occupation, as many of them as there are open positions are hired, each into a position drawn uniformly
        among the open ones (a firm with more open positions is drawn more often), at the posted wage times their
        hire pay factor; the others search. Counted as hires (``graduates_hired_on_entry``).
        """
        m, rng = self.model, self.rng
        firms, w, n_occ = m.firms, m.workers, m.occupations.n
        if ids.size == 0:
            return
        ids = ids.take(rng.permutation(ids.size))
        occ = w.occupation.take(ids)
        open_pos = np.maximum(firms.demand - firms.headcount, 0).astype(np.int64)  # (firms, occupations)
        order = np.argsort(occ, kind="stable")
        ids, occ = ids.take(order), occ.take(order)
        starts = np.searchsorted(occ, np.arange(n_occ))
        rank = np.arange(occ.size) - starts.take(occ)  # each graduate's place among their occupation's
        n_open = open_pos.sum(axis=0)
        hired = rank < n_open.take(occ)
        ids, occ, rank = ids.compress(hired), occ.compress(hired), rank.compress(hired)
        if ids.size == 0:
            return
        # each occupation's hires take distinct open positions drawn uniformly (firm-major order of the positions)
        cum = np.cumsum(open_pos, axis=0)  # (firms, occupations)
        firm = np.empty(ids.size, dtype=np.int64)
        for o in np.unique(occ):  # one draw per occupation (a loop over occupations, not workers)
            sel = flatnonzero(occ == o)
            pos = rng.choice(int(n_open[o]), size=sel.size, replace=False)
            firm[sel] = np.searchsorted(cum[:, o], pos, side="right")
        fit = w.fit[ids, occ]
        pay = m.hire_pay(ids, fit, occ)
        m.join_firm(ids, firm, occ)
        cell_wage = firms.posted_wage.take(firm * n_occ + occ)
        w.pay_factor[ids] = pay
        w.wage[ids] = cell_wage * pay
        w.tenure[ids] = 0
        firms.vacancies[:] = np.maximum(firms.demand - firms.headcount, 0)
        m.flows["hires"] += ids.size
        m.flows["hires_occ"] += np.bincount(occ, minlength=n_occ)
        domain.count_hires(m, ids, firm, occ)
        m.flows["hires_stage"] += np.bincount(m.stage_of(ids), minlength=3)
        m.flows["graduates_hired_on_entry"] += ids.size

    def outside_entrants(self) -> None:
        """Experienced workers from other sectors enter, unemployed, drawn to open vacancies.

        Entrants into occupation o: Poisson(outside_entry_rate x V_o), with V_o
        the positions still open after matching; aged ``entrant_age_min`` to
        ``entrant_age_min + entrant_age_span``, with skills near
        the occupation's profile.
        """
        m = self.model
        rate = self.cfg.demography.outside_entry_rate
        if rate <= 0:
            return
        counts = self.rng.poisson(rate * m.firms.vacancies.sum(axis=0))
        if counts.sum() == 0:
            return
        field = np.repeat(np.arange(m.occupations.n), counts)
        demo = self.cfg.demography
        ages = demo.entrant_age_min + self.rng.random(field.size) * demo.entrant_age_span
        ids = self.enter(field, ages, demo.entrant_skill_share, demo.entrant_skill_noise)
        # their experience was built in another sector: only experience_transfer of it counts here
        m.workers.experience_lost[ids] = (1.0 - self.cfg.market.experience_transfer) * np.maximum(ages - demo.age_entry, 0.0)
        domain.assign_entrants(m, ids, ages)
        m.flows["entrants_other_sectors"] += field.size

    def enter(self, field: np.ndarray, ages: np.ndarray, skill_share: float, noise: float) -> np.ndarray:
        """New workers enter unemployed in these fields, at these ages; returns their indices."""
        m, rng = self.model, self.rng
        n = field.size
        m.ensure_capacity(n)
        w = m.workers
        ids = np.arange(m.next_slot, m.next_slot + n)
        m.next_slot += n
        prof = m.occupations.profiles.take(field, axis=0)
        w.skills[ids] = np.clip(prof * skill_share + rng.normal(0.0, noise, size=prof.shape), 0.0, 1.0)
        m.refresh_fit(ids)
        w.occupation[ids] = field
        w.age[ids] = ages
        w.status[ids] = UNEMPLOYED
        w.months_unemployed[ids] = 0
        w.entry_month[ids] = m.month
        draw_traits(w, ids, m.streams.monthly("lifecycle.traits", m.month), self.cfg.retraining)
        return ids
