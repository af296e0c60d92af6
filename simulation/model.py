"""The labour-market model: a ``mesa.Model`` around a core of numpy arrays."""

from __future__ import annotations

import logging
import time

import mesa
import numpy as np

from .agents import Firm, Worker
from .allocator import MIN_WORKERS, keep_freed_memory
from .config import LANES, Config, PolicyConfig, calendar_start, to_config
from .occupations import load_occupations, load_sectors, scale_ai_core_pay
from .policies import PolicySet
from .processes import STEP_ORDER, Census, Fiscal, check_order, insurance
from .processes.domain import assign_initial as assign_domains
from .processes.drivers import capability
from .processes.retraining import draw_traits
from .processes.wages import HirePay, MarketStats, ability_pay_term, pay_at_hire, tenure_factor
from .resources import reserved_slots
from .results import Recorder, new_flows
from .state import EMPLOYED, LEFT_SECTOR, NEVER_MONTH, OUT_OF_LABOR_FORCE, RETIRED, UNEMPLOYED, FirmArrays, WorkerArrays
from .streams import Streams

logging.getLogger("MESA").setLevel(logging.WARNING)

# Firms registered as Mesa agents when the model is built (model.agents_by_type[Firm]); above this many firms
# (4 million workers at the default size) views are built on demand, so that building a large model stays cheap.
FIRM_AGENTS_MAX = 20_000
# Initial workers drawn older than the retirement age are set to retire within 1 to this many months, so that their
# retirements spread over the first months instead of all falling in month 1 (the burn-in absorbs them).
RETIRE_WITHIN_MONTHS = 6
ARRAY_GROWTH = 1.25  # the worker arrays grow by at least a quarter when entrants outrun the room set aside for them
FIT_BLOCK = 32_768  # rows per block when refreshing the fit matrix
# Products per matrix-multiply call (rows x skills x occupations) in the fit refresh. OpenBLAS runs a
# product this small on one thread: its threads only wait on one another when other work shares the
# cores, and the rounding of the result no longer depends on how many cores the machine has.
SINGLE_THREAD_PRODUCTS = 2**17


class LaborMarketModel(mesa.Model):
    """A tech labour market that AI adoption reshapes, one step per month.

    Workers and firms are structs of arrays (:mod:`simulation.state`); the
    mechanisms are modules in :mod:`simulation.processes`. One step (one
    month) runs, in this order:

    1. ``drivers``      exogenous drivers: AI capability, demand cycle, policy levers;
    2. ``adoption``     firms update expected AI returns (and hype stalls) and adoption;
    3. ``demand``       firms set labour demand per occupation within their budget;
    4. ``separations``  retirements; layoffs where headcount exceeds demand (AI
                        displacement when the drop comes from automation); layoffs
                        from match and firm shocks; quits into unemployment;
    5. ``vacancies``    vacancies and this month's posted wages;
    6. ``retraining``   progress, drop-outs, completions, then enrolments;
    7. ``matching``     applications, firm ranking, offers, acceptances, hires;
    8. ``wages``        wage index per occupation responds to tightness;
    9. ``lifecycle``    learning and skill decay, ageing, exits to inactivity, graduates;
    10. ``record``      this month's stocks (the ``census``) and flows into the results.

    ``self.processes`` holds the process objects in this order
    (:data:`simulation.processes.STEP_ORDER`); each declares what it reads
    and writes, and the order is checked when the model is built. The burn-in
    runs the same month with ``self.burning_in`` set, which the processes read.

    Randomness comes from ``self.streams`` (:mod:`simulation.streams`): the
    run's seed makes one ``SeedSequence`` and every process, every policy draw
    and the construction of firms and workers draw from their own child of it
    (one per month for the processes), so common random numbers hold across
    scenarios. Mesa's ``self.rng`` is another child, unused by the month.

    Args:
        cfg: a :class:`~simulation.config.Config` or a Hydra/OmegaConf config
            with the same fields; it is validated here.

    """

    STEP_ORDER = (*(p.name for p in STEP_ORDER), "record")

    def __init__(self, cfg: Config | None = None):
        cfg = to_config(cfg if cfg is not None else Config())
        if cfg.workers >= MIN_WORKERS:
            keep_freed_memory()  # a large run's monthly temporaries stay in the heap (simulation.allocator)
        streams = Streams(int(cfg.seed))
        super().__init__(rng=streams.generator("mesa"))  # Mesa's generator is a child stream; the month never draws from it
        self.streams = streams
        self.cfg = cfg
        self.month = 0
        self.burning_in = False
        self.occupations = scale_ai_core_pay(load_occupations(self.cfg.profile.occupation_data), cfg.market.ai_core_pay_scale)
        self.sectors = load_sectors()
        self.initial_population = int(cfg.workers)
        self.capability = capability(0, cfg.ai.capability_initial, cfg.ai.capability_growth, cfg.ai.capability_frozen)
        self.cycle = 1.0
        # per-sector multiplier of demand and budgets set from outside the model (a regional run's product market,
        # simulation.regions); None in a one-region run, which leaves every number as it was
        self.demand_shift: np.ndarray | None = None
        self.ui_reference_wage = insurance.reference_wage(self.occupations)  # W of the benefit's floor and cap
        self.policies = PolicySet(cfg.policy, self.initial_population)
        self.levers = self.policies.step(0)
        self.market = MarketStats(self.occupations.n)
        self._wage_index_history = [self.market.wage_index.copy()]

        self._build_firms()
        self._build_workers()
        self.ai_core_role = self.occupations.in_lane("ai_core")
        self._build_pay()
        assign_domains(self)
        self.current_wage = self.firms.posted_wage.copy()  # wages paid this month (posted at step 5)
        self.refresh_headcount()

        self.processes = [cls(self) for cls in STEP_ORDER]
        check_order(self.processes)
        check_order(self.processes, burning_in=True)
        self.census = Census(self)
        self.fiscal = Fiscal(self)
        producers = [self.census, *self.processes, self.fiscal]  # the ledger last: it totals the others' money
        self.flows = new_flows(producers, self.occupations.n, self.sectors.n)
        self.recorder = Recorder(self, producers)
        self.timings = dict.fromkeys(self.STEP_ORDER, 0.0)  # seconds spent in each sub-step
        self.burn_in(int(cfg.burn_in_months))
        self.recorder.record()  # month 0
        self._views: dict[tuple[str, int], Worker | Firm] = {}
        self.firm_agents = [self.firm(f) for f in range(self.firms.n)] if self.firms.n <= FIRM_AGENTS_MAX else []

    # ------------------------------------------------------------------ set-up
    def _build_firms(self) -> None:
        cfg, occ, sec = self.cfg, self.occupations, self.sectors
        rng = self.streams.generator("build.firms")
        n = max(sec.n, self.initial_population // cfg.firms.workers_per_firm)
        f = FirmArrays(n, n_occupations=occ.n)
        f.sector[:] = rng.choice(sec.n, size=n, p=sec.employment_share)
        f.sector[: sec.n] = np.arange(sec.n)  # every sector has a firm
        sigma = cfg.firms.size_dispersion  # log-normal sizes with mean 1 (relative to workers_per_firm), whatever n is
        f.size[:] = rng.lognormal(-0.5 * sigma * sigma, sigma, size=n)
        a0 = cfg.ai.adoption_initial
        conc = cfg.firms.initial_adoption_concentration
        f.adoption[:] = np.clip(rng.beta(max(a0 * conc, 1e-3), max((1 - a0) * conc, 1e-3), size=n), 0.0, 1.0)
        f.expected_return[:] = cfg.ai.return_scale * self.capability * sec.ai_affinity[f.sector]  # the realised return at month 0
        f.optimism[:] = cfg.ai.hype_optimism * rng.lognormal(0.0, cfg.ai.hype_dispersion, size=n)
        f.patience[:] = cfg.ai.hype_patience * rng.lognormal(0.0, cfg.ai.hype_dispersion, size=n)
        f.wage_premium[:] = np.exp(rng.normal(0.0, cfg.market.firm_wage_dispersion, size=n))
        f.posted_wage[:] = occ.base_wage[None, :] * f.wage_premium[:, None]
        self.firms = f

    def _build_workers(self) -> None:
        cfg, occ = self.cfg, self.occupations
        rng = self.streams.generator("build.workers")
        demo = cfg.demography
        n0 = self.initial_population
        capacity = reserved_slots(n0, cfg.months + cfg.burn_in_months, demo.graduate_rate, demo.outside_entry_rate,
                                  cfg.market.initial_vacancy_rate)
        w = WorkerArrays(capacity, n_skills=len(occ.skill_names), n_occupations=occ.n)
        ids = np.arange(n0)
        o = rng.choice(occ.n, size=n0, p=occ.initial_share)
        w.occupation[ids] = o
        skills = rng.normal(0.0, demo.initial_skill_noise, size=(n0, len(occ.skill_names)))  # profile + noise, built in place in blocks
        for lo in range(0, n0, FIT_BLOCK):
            skills[lo : lo + FIT_BLOCK] += occ.profiles[o[lo : lo + FIT_BLOCK]]
        w.skills[:n0] = np.clip(skills, 0.0, 1.0, out=skills)
        del skills
        span = max(demo.age_mean - demo.age_entry, 0.5)
        age = demo.age_entry + rng.gamma(demo.age_shape, span / demo.age_shape, size=n0)
        w.age[ids] = np.minimum(age, demo.retirement_age - rng.random(n0) * (RETIRE_WITHIN_MONTHS - 1) / 12.0 - 1.0 / 12.0)
        w.entry_month[ids] = 0
        draw_traits(w, ids, self.streams.generator("build.traits"), cfg.retraining)
        unemployed = rng.random(n0) < cfg.market.initial_unemployment_rate
        w.status[ids] = np.where(unemployed, UNEMPLOYED, EMPLOYED)
        w.months_unemployed[ids[unemployed]] = rng.geometric(cfg.market.initial_spell_exit, size=int(unemployed.sum())) - 1
        # the initial unemployed count as laid off under the status-quo insurance (the burn-in's): their spell was insured
        status_quo = PolicySet(PolicyConfig(), n0).step(1)
        insured = ids[unemployed] if status_quo.ui_replacement > 0 else ids[:0]
        w.ui_months_granted[insured] = status_quo.ui_duration

        # employers: a worker of occupation o joins firm f with weight size_f x tilt(sector_f, lane_o)
        f = self.firms
        tilt = self.sectors.lane_tilt[f.sector]  # (F, lanes)
        emp = ids[~unemployed]
        # the employed grouped by occupation (ascending within each), one stable sort
        by_occupation = emp[np.argsort(o[emp].astype(np.int16), kind="stable")]
        groups = np.split(by_occupation, np.cumsum(np.bincount(o[emp], minlength=occ.n))[:-1])
        for j, members in enumerate(groups):
            if members.size == 0:
                continue
            p = f.size * tilt[:, occ.lane[j]]
            w.firm[members] = rng.choice(f.n, size=members.size, p=p / p.sum())
        w.wage[ids] = occ.base_wage[o]
        w.wage[emp] = f.posted_wage[w.firm[emp], o[emp]]
        w.ui_benefit[insured] = insurance.benefit(w.wage[insured], status_quo, self.ui_reference_wage)  # their spells began before the burn-in
        self.workers = w
        self.next_slot = n0
        # occupation-specific skills: each lane's bit, and the fit gap for every (lanes held, occupation); index -1 (no
        # occupation yet) holds no lane
        lane_bit = (1 << occ.lane.astype(np.int8)).astype(np.int8)
        self._lane_bit = np.append(lane_bit, np.int8(0))
        ai_bit = 1 << LANES.index("ai_core")
        masks = np.arange(1 << len(LANES))
        self._gap_by_mask = (cfg.market.specialisation_gap * (((masks[:, None] & ai_bit) == 0) & (occ.lane[None, :] == LANES.index("ai_core")))).ravel()
        self._profiles32 = occ.profiles.astype(np.float32)
        self._matmul_rows = max(1, SINGLE_THREAD_PRODUCTS // occ.profiles.size)
        self._pp_rows = np.tile((self._profiles32 * self._profiles32).sum(axis=1), (FIT_BLOCK, 1))  # p.p, one row per worker
        self.refresh_fit(slice(0, n0))

        head = np.bincount(w.firm[emp] * occ.n + o[emp], minlength=f.n * occ.n).reshape(f.n, occ.n).astype(np.float64)
        f.base_demand[:] = head / (1.0 - cfg.market.initial_vacancy_rate)
        f.base_budget[:] = (1.0 + cfg.firms.budget_slack) * (f.base_demand * f.posted_wage).sum(axis=1)
        f.budget[:] = f.base_budget

    def _build_pay(self) -> None:
        """Initial employees' pay factors: hire pay at their fit and age, AI skills, and the tenure they have so far.

        An employee holds AI skills with the probability of their employer's adoption (an unemployed worker: the mean
        adoption); tenure is exponential with mean ``initial_tenure_mean_months``, at most their months since entry.
        ``pay_norm`` (one per occupation) then makes each occupation's mean factor 1, so the cells' wages stay the
        occupations' mean wages of the data.
        """
        w, f, mk, demo = self.workers, self.firms, self.cfg.market, self.cfg.demography
        rng = self.streams.generator("build.pay")
        n0 = self.initial_population
        ids = np.arange(n0)
        emp = ids[w.status[:n0] == EMPLOYED]
        adoption = np.full(n0, float(f.adoption.mean()))
        adoption[emp] = f.adoption[w.firm[emp]]
        w.ai_skill[:n0] = (rng.random(n0) < adoption) | self.ai_core_role[w.occupation[:n0]]  # AI-core roles require them
        months_in = np.maximum((w.age[emp] - demo.age_entry) * 12.0, 0.0)
        tenure = np.minimum(rng.exponential(max(mk.initial_tenure_mean_months, 1e-9), size=emp.size), months_in)
        w.tenure[emp] = np.minimum(np.floor(tenure), np.iinfo(np.int16).max).astype(np.int16)
        fit_own = w.fit[emp, w.occupation[emp]]
        paid_skill = w.ai_skill[emp] & ~self.ai_core_role[w.occupation[emp]]
        raw = pay_at_hire(fit_own, w.age[emp] - demo.age_entry, paid_skill, mk, 1.0) * tenure_factor(w.tenure[emp], mk)
        o = w.occupation[emp]
        count = np.bincount(o, minlength=self.occupations.n)
        total = np.bincount(o, weights=raw, minlength=self.occupations.n)
        self.pay_norm = np.where(count > 0, total / np.maximum(count, 1), 1.0)  # per occupation
        w.pay_factor[emp] = raw / self.pay_norm[o]
        w.wage[emp] *= w.pay_factor[emp]

    def hire_pay(self, ids: np.ndarray, fit: np.ndarray, occupations: np.ndarray) -> np.ndarray:
        """Pay factors these workers are offered at hire in these occupations, at their fit (:func:`~.processes.wages.pay_at_hire`).

        AI skills earn their premium outside AI-core roles only: an AI-core role requires them, and its posted wage
        (the occupation's mean wage) already pays for them.
        """
        w = self.workers
        paid_skill = w.ai_skill.take(ids) & ~self.ai_core_role.take(occupations)
        return pay_at_hire(fit, self.experience_years(ids, occupations), paid_skill, self.cfg.market, self.pay_norm.take(occupations),
                           ability_pay_term(w.ability_seen.take(ids), self.cfg.market))

    def experience_years(self, ids: np.ndarray, occupations: np.ndarray) -> np.ndarray:
        """Years of experience that count for these workers' hire pay in these occupations.

        In their own occupation: potential experience (age - age_entry) less the years that did not carry over into
        it (``experience_lost``); in another occupation, ``market.experience_transfer`` of that (occupation-specific
        experience stays behind).
        """
        w = self.workers
        years = self.credited_years(ids)
        return np.where(w.occupation.take(ids) == occupations, years, years * self.cfg.market.experience_transfer)

    def credited_years(self, ids: np.ndarray) -> np.ndarray:
        """Years of experience that count for these workers' hire pay in their own occupation (float32)."""
        w = self.workers
        return np.maximum(w.age.take(ids) - (self.cfg.demography.age_entry + w.experience_lost.take(ids)), 0.0)

    def hire_pay_of(self, ids: np.ndarray, occupations: np.ndarray | None = None, n_other: int | None = None) -> HirePay:
        """These workers' hire pay, for many queries (:class:`~.processes.wages.HirePay`; the values of :meth:`hire_pay`).

        ``occupations``: their occupations, if already gathered; ``n_other``: only the first ``n_other`` of them are
        queried in other occupations than their own (all if None).
        """
        w = self.workers
        occupations = w.occupation.take(ids) if occupations is None else occupations
        return HirePay(occupations, self.credited_years(ids), w.ai_skill.take(ids), self.cfg.market, self.pay_norm,
                       self.ai_core_role, ability_pay_term(w.ability_seen.take(ids), self.cfg.market), n_other)

    def change_occupation(self, ids: np.ndarray, occupations: np.ndarray) -> None:
        """Move workers into these occupations: those who change one keep ``experience_transfer`` of their credited experience."""
        w = self.workers
        moved = ids.compress(w.occupation.take(ids) != occupations)
        if moved.size:
            age_years = w.age.take(moved) - self.cfg.demography.age_entry
            w.experience_lost[moved] = age_years - self.cfg.market.experience_transfer * self.credited_years(moved)
        w.occupation[ids] = occupations

    # ------------------------------------------------------------------ helpers used by the processes
    def alive_index(self) -> np.ndarray:
        """Indices of living workers (in one of the four statuses)."""
        st = self.workers.status[: self.next_slot]
        return np.flatnonzero((st >= 0) & (st <= OUT_OF_LABOR_FORCE))

    def employed_index(self) -> np.ndarray:
        """Indices of employed workers."""
        return np.flatnonzero(self.workers.status[: self.next_slot] == EMPLOYED)

    def refresh_headcount(self) -> None:
        """Recount headcount per firm and occupation from the workers."""
        w, f = self.workers, self.firms
        emp = self.employed_index()
        n_occ = self.occupations.n
        cells = w.firm[emp].astype(np.int64) * n_occ + w.occupation[emp]
        f.headcount[:] = np.bincount(cells, minlength=f.n * n_occ).reshape(f.n, n_occ)

    def stage_of(self, ids: np.ndarray | slice) -> np.ndarray:
        """Career stage code (0 early, 1 mid, 2 late) of these workers (indices or a slice)."""
        demo = self.cfg.demography
        age = self.workers.age[ids] if isinstance(ids, slice) else self.workers.age.take(ids)
        return (age >= demo.early_career_max_age).astype(np.int64) + (age >= demo.mid_career_max_age)

    def ensure_capacity(self, extra: int) -> None:
        """Make room for ``extra`` more workers (growing the arrays by at least a quarter)."""
        need = self.next_slot + extra
        if need > self.workers.n:
            self.workers.grow(max(need, int(self.workers.n * ARRAY_GROWTH)))

    def refresh_fit(self, ids: np.ndarray | slice) -> None:
        """Recompute workers' fit for every occupation from their skills (after skills change).

        A slice is processed in blocks of ``FIT_BLOCK`` rows so that the temporaries stay in cache.
        """
        if isinstance(ids, slice):
            start, stop, _ = ids.indices(self.workers.n)
            for lo in range(start, stop, FIT_BLOCK):
                self._refresh_fit(slice(lo, min(lo + FIT_BLOCK, stop)))
        else:
            self._refresh_fit(ids)

    def _refresh_fit(self, ids: np.ndarray | slice) -> None:
        occ = self.occupations
        sk = self.workers.skills[ids]
        prof = self._profiles32
        # |s - p|^2 = s.s - 2 s.p + p.p, in place on one (n, n_occupations) array
        minus_2p = np.float32(-2.0) * prof.T
        # a block of rows is computed in place in the fit array; scattered rows in a temporary
        sq = self.workers.fit[ids] if isinstance(ids, slice) else np.empty((sk.shape[0], prof.shape[0]), dtype=np.float32)
        rows = self._matmul_rows
        for lo in range(0, sk.shape[0], rows):
            np.matmul(sk[lo : lo + rows], minus_2p, out=sq[lo : lo + rows])
        n, n_occ = sq.shape
        # the broadcast terms are added as full arrays, which numpy adds several times faster
        sq += np.repeat(np.einsum("ij,ij->i", sk, sk), n_occ).reshape(n, n_occ)
        sq += self._pp_rows[:n] if n <= FIT_BLOCK else self._pp_rows[:1]
        np.maximum(sq, np.float32(0.0), out=sq)  # rounding can leave a tiny negative square
        sq *= np.float32(1.0 / sk.shape[1])
        np.sqrt(sq, out=sq)
        sq *= np.float32(-1.0 / occ.max_distance)
        sq += np.float32(1.0)
        if not isinstance(ids, slice):
            self.workers.fit[ids] = sq

    def cells_of(self, ids: np.ndarray) -> np.ndarray:
        """Flat (firm, occupation) cell of employed workers: firm x n_occupations + occupation."""
        w = self.workers
        cells = w.firm.take(ids)
        cells *= self.occupations.n
        cells += w.occupation.take(ids)
        return cells

    def lanes_held(self, ids: np.ndarray) -> np.ndarray:
        """Bit mask of the lanes whose occupation-specific skills these workers hold: their occupation's and their specialisms."""
        w = self.workers
        return w.specialisms.take(ids) | self._lane_bit.take(w.occupation.take(ids))

    def specialisation_gap(self, held: np.ndarray, occupations: np.ndarray) -> np.ndarray:
        """Fit lost for these occupations by workers holding these lane masks (``lanes_held``).

        ``market.specialisation_gap`` for an AI-core occupation without AI-core specific skills, else 0.
        """
        return self._gap_by_mask.take(held.astype(np.int64) * self.occupations.n + occupations)

    def join_firm(self, ids: np.ndarray, firms: np.ndarray, occupations: np.ndarray) -> None:
        """Employ workers (who must not be employed) at these firms and occupations; headcount follows.

        Workers who change occupation keep the occupation-specific skills of the one they leave (``specialisms``).
        """
        w, f = self.workers, self.firms
        if ids.size:
            w.specialisms[ids] = self.lanes_held(ids)
        w.status[ids] = EMPLOYED
        w.firm[ids] = firms
        self.change_occupation(ids, occupations)
        cells = np.asarray(firms, dtype=np.int64) * self.occupations.n + occupations
        f.headcount.ravel()[:] += np.bincount(cells, minlength=f.headcount.size)

    def current_wage_of(self, ids: np.ndarray) -> np.ndarray:
        """Wage this month of employed workers: their (firm, occupation) cell's wage times their own pay factor."""
        return self.current_wage.ravel().take(self.cells_of(ids)) * self.workers.pay_factor.take(ids)

    def leave_firm(self, ids: np.ndarray) -> None:
        """Detach employed workers from their employer, keeping their last wage; headcount follows (status is the caller's)."""
        f = self.firms
        cells = self.cells_of(ids)
        self.workers.wage[ids] = self.current_wage.ravel().take(cells) * self.workers.pay_factor.take(ids)
        f.headcount.ravel()[:] -= np.bincount(cells, minlength=f.headcount.size)
        self.workers.firm[ids] = -1
        self.workers.tenure[ids] = 0

    def lay_off(self, ids: np.ndarray) -> None:
        """Employed workers become unemployed and start a benefit spell: this month's levers set its months and benefit.

        The benefit is the replacement rate times the last wage, between the floor and the cap (:mod:`.processes.insurance`).
        """
        w, lev = self.workers, self.levers
        self.leave_firm(ids)
        w.status[ids] = UNEMPLOYED
        w.months_unemployed[ids] = 0
        granted = lev.ui_duration if lev.ui_replacement > 0 else 0
        w.ui_months_left[ids] = granted
        w.ui_months_granted[ids] = granted
        paid = insurance.benefit(w.wage.take(ids), lev, self.ui_reference_wage) if granted else np.zeros(ids.size, np.float32)
        w.ui_benefit[ids] = paid
        w.ui_spell_start[ids] = np.where(paid > 0, self.month, NEVER_MONTH)  # an insured spell: one with a benefit

    def quit(self, ids: np.ndarray) -> None:
        """Employed workers quit into unemployment: a spell without benefits (quitters are not insured)."""
        w = self.workers
        self.leave_firm(ids)
        w.status[ids] = UNEMPLOYED
        w.months_unemployed[ids] = 0
        w.ui_months_left[ids] = 0
        w.ui_months_granted[ids] = 0
        w.ui_benefit[ids] = 0.0
        w.ui_spell_start[ids] = NEVER_MONTH

    def displace(self, ids: np.ndarray) -> None:
        """Record an AI displacement for these (still employed) workers."""
        w = self.workers
        w.displaced[ids] = True
        w.displaced_month[ids] = self.month
        w.displaced_wage[ids] = self.current_wage_of(ids)
        w.displaced_occupation[ids] = w.occupation[ids]
        w.displaced_stage[ids] = self.stage_of(ids)
        w.reemployed_month[ids] = -1
        w.reemployed_wage[ids] = np.nan

    def calendar_month(self, month: int | None = None) -> int:
        """Calendar month (1-12) of a month of the run (default: this one); month 1 is ``profile.start``."""
        start = calendar_start(self.cfg.profile.start) or (2023, 1)
        return (start[1] - 1 + (self.month if month is None else month) - 1) % 12 + 1

    def wage_index_lagged(self, lag: int) -> np.ndarray:
        """The occupations' wage index ``lag`` months ago (month 0 if earlier)."""
        hist = self._wage_index_history
        return hist[max(len(hist) - 1 - lag, 0)]

    @property
    def population(self) -> int:
        """Living workers."""
        return int(self.alive_index().size)

    # ------------------------------------------------------------------ the months before month 0
    def burn_in(self, months: int) -> None:
        """Run the market ``months`` months before month 0, unrecorded, so that month 0 is its steady state.

        The initial draw (unemployment spells of a few months, no one in
        training, no long-term unemployed) is not where the market settles:
        the long-term unemployed stock alone takes about three years to build.
        The burn-in runs the same month as :meth:`step` with ``burning_in``
        set: adoption does not run (capability, firms' adoption and expected
        returns stay at their month-0 levels, so no job is lost to AI), the
        drivers hold the demand cycle to its trend and the levers to the
        status quo, and wages stay at their base level (see each process).
        Every process's ``end_burn_in`` is then called. The months are
        numbered ``-months + 1 .. 0``; month 0 is then recorded as the initial
        state, with no flows. ``burn_in_flows`` keeps the burn-in's entries and
        exits, so that the month-0 population is
        ``workers + graduates + entrants_other_sectors - retirements - left_sector``.
        """
        self.burn_in_flows = {"months": max(int(months), 0), "graduates": 0, "entrants_other_sectors": 0, "retirements": 0,
                              "left_sector": 0}
        # the vacancies month 0's vacancy rate is measured on: the open positions of the initial draw, or, after a
        # burn-in, those posted in its last month (month 0 has no flows of its own)
        self.month0_vacancies = int(self.firms.vacancies.sum())
        if months <= 0:
            return
        self.month = -months
        self.burning_in = True
        for _ in range(months):
            self._month()
            for k in ("graduates", "entrants_other_sectors", "retirements", "left_sector"):
                self.burn_in_flows[k] += self.flows[k]
        self.burning_in = False
        self.month0_vacancies = int(self.flows["vacancies"])
        # subsidised retraining seats scale with the population the burn-in ended with, not with the initial draw
        self.policies.population = self.population
        for p in self.processes:
            p.end_burn_in()
        # month 0's demand and budgets are what the firms grew to; the trend carries on from there
        self.firms.base_demand *= self.cycle
        self.firms.base_budget *= self.cycle
        self.cycle = 1.0
        self.levers = self.policies.step(0)
        self.flows.reset()
        # those who retired or left the sector in the burn-in leave the arrays (nothing refers to them yet), so monthly scans skip them
        # and retired_cumulative counts from month 0
        status = self.workers.status[: self.next_slot]
        alive = np.flatnonzero((status != RETIRED) & (status != LEFT_SECTOR))
        if alive.size < self.next_slot:
            self.workers.compact(alive)
            self.next_slot = int(alive.size)

    # ------------------------------------------------------------------ the month
    def _month(self) -> None:
        """One month: every process in order (in the burn-in, those that run in it), then the record (not in the burn-in)."""
        self.month += 1
        self.flows.reset()
        timed = not self.burning_in
        for p in self.processes:
            if self.burning_in and not p.in_burn_in:
                continue
            start = time.perf_counter()
            p.step()
            if timed:
                self.timings[p.name] += time.perf_counter() - start
        if timed:
            start = time.perf_counter()
            self._wage_index_history.append(self.market.wage_index.copy())
            self.recorder.record()
            self.timings["record"] += time.perf_counter() - start

    def step(self) -> None:
        """Advance one month, in the order written in the class docstring."""
        self._month()

    def run(self, months: int | None = None, progress=None) -> None:
        """Run ``months`` steps (default: the configured horizon); ``progress`` is called after each."""
        for _ in range(self.cfg.months if months is None else months):
            self.step()
            if progress is not None:
                progress()

    # ------------------------------------------------------------------ agent views
    def worker(self, uid: int) -> Worker:
        """A :class:`~simulation.agents.Worker` view of one worker (cached)."""
        if not 0 <= uid < self.next_slot:
            raise IndexError(f"worker {uid} does not exist (0..{self.next_slot - 1})")
        key = ("worker", int(uid))
        if key not in self._views:
            self._views[key] = Worker(self, int(uid))
        return self._views[key]

    def firm(self, index: int) -> Firm:
        """A :class:`~simulation.agents.Firm` view of one firm (cached: one Mesa agent per firm, however often asked)."""
        if not 0 <= index < self.firms.n:
            raise IndexError(f"firm {index} does not exist (0..{self.firms.n - 1})")
        key = ("firm", int(index))
        if key not in self._views:
            self._views[key] = Firm(self, int(index))
        return self._views[key]

    def results(self):
        """The run's tables so far, as a :class:`~simulation.results.Results`."""
        return self.recorder.results()

