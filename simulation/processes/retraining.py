"""Step 6: retraining (progress, drop-outs, completions, enrolments).

Progress: each trainee's months left fall by one; a trainee drops out with
probability ``dropout_route * (1 + age_cost * max(age - age_cost_from, 0))`` a month and
returns to unemployment; a trainee with no months left completes: their
occupation becomes the target, they close ``skill_gain`` of the skill gap to
the target's profile, hold the target's occupation-specific skills (no
``market.specialisation_gap`` for it any more) and the route's credential (a ranking signal).

Employer learning (Farber and Gibbons 1996; Altonji and Pierret 2001): every worker has a latent ability a
(standard normal) and a time cost t (log-normal, mean 1, ``time_cost_dispersion``), drawn at entry
(:func:`draw_traits`). Employers do not see a; they see a_seen (0, the population mean, at entry), which
completing route r moves its ``reveal`` share of the way to the truth:

    a_seen <- a_seen + reveal_r (a - a_seen)       (certificate 0.1: a weak signal; shipped project 0.8)

Firms rank applicants ``market.ability_rank_weight`` x a_seen higher (:mod:`.matching`) and pay them
exp(``market.ability_wage_return`` x a_seen) more at hire (:mod:`.wages`). A project costs its builder more
of their own time (``effort``), so workers of high ability and low time cost choose it, the others a
certificate. The completers of 12 months before are recorded by route and occupation retrained into, with
those of them hired from unemployment within 12 months (the routes' 12-month re-employment).

Enrolment is a decision. A worker unemployed at least ``min_unemployed_months``
weighs it with probability ``consider_rate`` (or the subsidy's ``outreach``
for the workers a retraining subsidy targets); for every target occupation j and
route r, with own occupation o, relative skill distance d = d(o, j) / d_max, months to
retirement T, horizon H = min(T, horizon_months), discount factor delta:

    job finding, separation   f_j, s_j                 (observed rates, smoothed)
    crowding by trainees      f'_j = f_j U_j / (U_j + T_j)  (T_j: trainees already heading to j)
    ability seen after r      a_r = a_seen + reveal_r (a - a_seen)   (the worker knows their own a)
    with a credential         f_jr = clip(f'_j (1 + signal_finding_gain (signal_r + ability_rank_weight a_r)), 0, 1 - s_j)
    value of searching in j   S(f, s, n) w_j, the discounted expected months employed
                              over n months starting unemployed:
                              S = e (A(n) - q (1 - q^n) / (1 - q)),  e = f / (f + s),  q = (1 - f - s) / (1 + r)
    AI-core barrier           b_j = 1 + ai_core_barrier if j is an AI-core role, else 1
    duration                  tau = duration_r (1 + distance_duration d) b_j
    cost                      c = [cost_r w_j (1 + distance_cost d) (1 + age_cost max(age - a0, 0)) b_j
                                   + effort_cost_months effort_r t w_o] (1 - subsidy)
                              (a subsidised seat pays its share of tuition and of a living stipend)
    pay for ability seen      p(x) = exp(ability_wage_return x)
    completion chance         pi = (1 - dropout_r)^tau
    the worker's pay          p_o: their hire pay factor in o (:func:`.wages.pay_at_hire`: fit, all their
                              experience, AI skills); p_jr: in j after route r: fit 1 - (1 - gain_r)(1 - fit_j),
                              experience_transfer of their experience, AI skills if j is an AI-core role
                              (a course into an AI-adjacent role teaches that role, not the AI skills that
                              earn ``market.ai_skill_premium``: those come from AI-core training or on the job)
    net value                 pi delta^tau S(f_jr, s_j, H - tau) w_j p_jr p(a_r) - S(f_o, s_o, H) w_o p_o p(a_seen) - c
                              + noise w_o p_o eps

with a0 = ``age_cost_from``, A(n) the annuity factor of n months and eps a logistic taste shock (the effort
cost is in months of w_o p_o). With ``pay_valuation`` false, p_o = p_jr = 1 (every occupation at its mean
wage). The worker enrols in the best (j, r) if its net value is positive. Subsidised seats
(a policy) go first to eligible workers in random order; the rest decide at
full cost. Trainees do not search.

Money (the fiscal ledger's ``outlay_training``): a subsidised seat's cost share is paid by the state, of the course's
tuition, cost_r w_j (1 + distance_cost d) (1 + age_cost max(age - a0, 0)) b_j, and of a living stipend worth the
effort cost, effort_cost_months effort_r t w_o p_o (the cost the worker weighs, so what the state pays is what the
seat takes off the worker's cost). The payment is spread evenly over the course's months, tuition as a monthly fee
and the stipend as a monthly allowance: ``train_outlay`` = cost_share x (tuition + stipend) / the course's months,
paid in every month of training that ends without a drop-out (the month of completion included, so a completer costs
the whole share). A drop-out stops the payments: the months attended are spent, nothing is refunded. Unsubsidised
trainees (those who pay in full, employees who quit to retrain) cost the state nothing.

The seat lottery (the in-model randomised evaluation): in a month with more takers of a subsidised seat than seats,
the seats go to takers drawn at random; the others weigh retraining again at full cost. A worker's first lottery is
kept (``lottery_month``, ``lottery_won``), so winners and losers can be followed by months since it, whatever they
did after (intention to treat; :mod:`simulation.validation.lottery`). Losers may enter later lotteries and win a
seat there: that crossover is part of the intention-to-treat contrast.

Employees weigh the same switch (:mod:`.upskilling`, beside upskilling in place): staying is then worth
E(f_o, s_o, H) w_o p_o, the discounted months employed starting employed (:func:`employed_value`:
E = e A(n) + (1 - e) q (1 - q^n) / (1 - q)), with p_o their current pay over w_o (tenure and employer
included); a switcher quits and enrols the same month.

Outputs: completions by the stage of the worker and those that change lane, and the flow matrix: by
occupation (the target), ``retraining_completed_from_<origin>`` for every origin occupation.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..config import LANES
from ..occupations import load_occupation_frame
from ..outputs import BY_OCCUPATION, BY_STAGE, TIMESERIES, flow, money, stock
from ..state import CERTIFICATE, NEVER_MONTH, NO_ROUTE, PROJECT, RETRAINING, ROUTES, UNEMPLOYED
from .base import Process
from .grouping import flatnonzero
from .wages import HirePay, pay_at_hire

# the origins of the flow matrix: one by_occupation column per occupation a completer came from (the shipped table's)
ORIGINS = tuple(load_occupation_frame()["occupation"])


def annuity(n: np.ndarray, r: float) -> np.ndarray:
    """Present value of 1 a month for n months at monthly rate r."""
    n = np.maximum(n, 0.0)
    if r == 0:
        return n
    return (1.0 - np.exp(-n * np.log1p(r))) / r


def search_value(f: np.ndarray, s: np.ndarray, n: np.ndarray, r: float) -> np.ndarray:
    """Discounted expected months employed over n months, starting unemployed (see module docstring).

    Exact for monthly probabilities with 0 < f + s <= 1 (at most one transition a month). The model's
    smoothed rates keep s >= 1e-4; where f + s > 1 the oscillating term q^n is dropped (q is clipped to
    a tiny positive number), which leaves e A(n), the value of being employed a share e of the time.
    f = s = 0 is outside the domain (NaN).
    """
    n = np.maximum(n, 0.0)
    e = f / (f + s)
    q = (1.0 - f - s) / (1.0 + r)
    q = np.clip(q, 1e-300, 1.0 - 1e-12)
    return e * (annuity(n, r) - q * (1.0 - np.exp(n * np.log(q))) / (1.0 - q))


def _search_value_into(f: np.ndarray, s: np.ndarray, n: np.ndarray, r: float, a: np.ndarray) -> np.ndarray:
    """:func:`search_value` in the float64 arrays the caller hands over (the result is returned in ``a``).

    ``f`` and ``n`` (already >= 0) are overwritten, ``a`` holds the annuity factor A(n) and then the result. The same
    operations in the same order as :func:`search_value`, so the same bits; working in the given arrays spares the
    temporaries of the (route, target, worker) grid of :meth:`Retraining.net_values`.
    """
    e = f + s
    np.divide(f, e, out=e)
    q = np.subtract(1.0, f, out=f)
    q -= s
    q /= 1.0 + r
    np.clip(q, 1e-300, 1.0 - 1e-12, out=q)
    t = np.log(q)
    t *= n
    np.exp(t, out=t)
    np.subtract(1.0, t, out=t)
    t *= q
    t /= np.subtract(1.0, q, out=n)
    np.subtract(a, t, out=a)
    a *= e
    return a


def employed_value(f: np.ndarray, s: np.ndarray, n: np.ndarray, r: float, a: np.ndarray | None = None) -> np.ndarray:
    """Discounted expected months employed over n months, starting employed: E = e A(n) + (1 - e) q (1 - q^n) / (1 - q).

    The counterpart of :func:`search_value` (same e, q, domain and clipping): employed in month t with probability
    e + (1 - e)(1 - f - s)^t. ``a``: ``annuity(n, r)``, if already computed (several rates over the same months).
    """
    n = np.maximum(n, 0.0)
    e = f / (f + s)
    q = (1.0 - f - s) / (1.0 + r)
    q = np.clip(q, 1e-300, 1.0 - 1e-12)
    return e * (annuity(n, r) if a is None else a) + (1.0 - e) * q * (1.0 - np.exp(n * np.log(q))) / (1.0 - q)


def cohort_outputs() -> tuple:
    """The 12-month outcomes of completers by route: in the timeseries and by the occupation retrained into."""
    out = []
    for table in (TIMESERIES, BY_OCCUPATION):
        for route in ROUTES:
            out.append(stock(f"completed_12m_ago_{route}", f"workers who completed retraining on the {route} route 12 months ago "
                             "(into this occupation)", table=table))
            out.append(stock(f"found_job_12m_{route}", f"of the {route} completers of 12 months ago, those hired from unemployment "
                             "within 12 months of completing (in months 0-11 after it): the route's 12-month re-employment", table=table))
    return tuple(out)


def draw_traits(workers, ids: np.ndarray, rng: np.random.Generator, rt) -> None:
    """Entering workers' latent ability (standard normal) and time cost (log-normal with mean 1, ``time_cost_dispersion``)."""
    n = ids.size
    workers.ability[ids] = rng.standard_normal(n)
    sigma = rt.time_cost_dispersion
    workers.time_cost[ids] = rng.lognormal(-0.5 * sigma * sigma, sigma, n)


class Retraining(Process):
    """Trainees progress, drop out or complete; the unemployed decide whether to enrol."""

    name = "retraining"
    reads = ("levers",)
    writes = ("workers.status", "workers.occupation", "workers.ai_skill", "workers.ability_seen")
    outputs = (
        flow("retraining_started", "enrolments in retraining"),
        flow("retraining_completed", "completions (the worker's occupation becomes the target)"),
        flow("retraining_dropped", "drop-outs (back to unemployment)"),
        flow("retraining_started_subsidized", "enrolments on a subsidised seat"),
        stock("retraining_seats_offered", "subsidised seats offered this month (policy.retraining_subsidy; 0 when the lever is off)",
              "seats / month"),
        flow("retraining_lottery_entrants", "takers of a subsidised seat in a month with more takers than seats: they enter the "
             "seat lottery"),
        flow("retraining_lottery_winners", "lottery entrants who won a seat (the seats offered, in a month with a lottery)"),
        money("outlay_training", "the state's share (policy.retraining_subsidy.cost_share) of subsidised trainees' tuition and "
              "living stipend, paid over the course's months: a drop-out stops it"),
        flow("retraining_started_project", "enrolments on the project-based route (the rest are certificates)"),
        flow("retraining_completed_project", "completions on the project-based route (the rest are certificates)"),
        *cohort_outputs(),
        stock("retraining_into", "trainees whose target is this occupation", table=BY_OCCUPATION),
        flow("retraining_started", "enrolments by workers of this occupation (moving out of it)", table=BY_OCCUPATION),
        flow("retraining_completed", "completions into this occupation", table=BY_OCCUPATION),
        flow("retraining_completed_project", "completions into this occupation on the project-based route", table=BY_OCCUPATION),
        flow("retraining_started", "enrolments of workers in the stage", table=BY_STAGE),
        flow("retraining_completed", "completions by workers in the stage", table=BY_STAGE),
        flow("retraining_lane_switches", "completions into an occupation of another lane than the one the worker left"),
        flow("retraining_lane_switches", "completions by workers in the stage into another lane than the one they left", table=BY_STAGE),
        *(flow(f"retraining_completed_from_{o}", f"completions into this occupation by workers who left `{o}` (the flow "
               "matrix: origin in the column, target in the row)", table=BY_OCCUPATION) for o in ORIGINS),
    )

    def __init__(self, model):
        super().__init__(model)
        rt = self.cfg.retraining
        self.routes = [rt.certificate, rt.project]
        self.route_codes = [CERTIFICATE, PROJECT]
        self.barrier = 1.0 + rt.ai_core_barrier * (model.occupations.lane == LANES.index("ai_core"))
        # the courses that teach the AI skills market.ai_skill_premium pays: those into AI-core roles (a course into an
        # AI-adjacent role teaches that role's work, compliance or sales, not AI engineering)
        self.teaches_ai = model.occupations.lane == LANES.index("ai_core")
        self.reveal = np.array([r.reveal for r in self.routes])
        self.effort = np.array([r.effort for r in self.routes])
        self.signal = np.array([r.signal for r in self.routes])
        self._route_grid_key, self._route_grid = None, None  # the per-(route, target, own) terms of net_values (route_grid)
        self._paid_ai = None  # where AI skills are paid, by target and AI skills of one's own (expected_pay)

    def step(self) -> None:
        """Advance this mechanism by one month (equations in the module docstring)."""
        self.enrol(self.progress())

    def progress(self) -> np.ndarray:
        """Trainees advance a month, drop out or complete; returns those still in training."""
        m, rt = self.model, self.cfg.retraining
        w, fl = m.workers, m.flows
        tr = np.flatnonzero(w.status[: m.next_slot] == RETRAINING)
        if tr.size == 0:
            return tr
        w.train_months_left[tr] -= 1.0
        route = w.train_route[tr]
        dropout = np.where(route == PROJECT, rt.project.dropout_rate, rt.certificate.dropout_rate)
        dropout = dropout * (1.0 + rt.age_cost * np.maximum(w.age[tr] - rt.age_cost_from, 0.0))
        drop = self.rng.random(tr.size) < dropout
        done = (~drop) & (w.train_months_left[tr] <= 0.0)
        dropped, completed = tr[drop], tr[done]
        if not m.burning_in:  # a month of training done (completion included) is paid; a drop-out's month is not
            fl["outlay_training"] += float(w.train_outlay.take(tr.compress(~drop)).sum(dtype=np.float64))
        w.train_outlay[dropped] = 0.0
        w.train_outlay[completed] = 0.0

        w.status[dropped] = UNEMPLOYED
        w.train_target[dropped] = -1
        w.train_route[dropped] = NO_ROUTE
        w.train_months_left[dropped] = 0.0

        if completed.size:
            target = w.train_target[completed]
            self.count_completions(completed, target)
            gain = np.where(w.train_route[completed] == PROJECT, rt.project.skill_gain, rt.certificate.skill_gain)
            prof = m.occupations.profiles[target].astype(np.float32)
            w.skills[completed] += gain[:, None].astype(np.float32) * (prof - w.skills[completed])
            m.refresh_fit(completed)
            # the target's occupation-specific skills come with the course (its lane is now their own); they keep their old lane's
            w.specialisms[completed] = m.lanes_held(completed)
            m.change_occupation(completed, target)
            self.complete_route(completed)
            w.retrained[completed] = True
            w.ai_skill[completed.compress(self.teaches_ai.take(target))] = True  # training into an AI-core role teaches AI skills
            w.status[completed] = UNEMPLOYED
            w.months_unemployed[completed] = 0
            w.train_target[completed] = -1
            w.train_route[completed] = NO_ROUTE
            w.train_months_left[completed] = 0.0
            fl["retraining_completed_occ"] += np.bincount(target, minlength=fl["retraining_completed_occ"].size)
            project = target.compress(w.credential.take(completed) == PROJECT)
            fl["retraining_completed_project_occ"] += np.bincount(project, minlength=fl["retraining_completed_project_occ"].size)
            fl["retraining_completed_project"] += project.size
        fl["retraining_dropped"] += dropped.size
        fl["retraining_completed"] += completed.size
        return tr[~(drop | done)]

    def count_completions(self, completed: np.ndarray, target: np.ndarray) -> None:
        """Completions by stage, the lane switches among them and the origin x target flow matrix (before the move)."""
        m, fl = self.model, self.model.flows
        n_occ, lane = m.occupations.n, m.occupations.lane
        origin = m.workers.occupation.take(completed).astype(np.int64)
        stage = m.stage_of(completed)
        switch = lane.take(origin) != lane.take(target)
        fl["retraining_completed_stage"] += np.bincount(stage, minlength=len(fl["retraining_completed_stage"]))
        fl["retraining_lane_switches"] += int(np.count_nonzero(switch))
        fl["retraining_lane_switches_stage"] += np.bincount(stage.compress(switch), minlength=len(fl["retraining_lane_switches_stage"]))
        matrix = np.bincount(origin * n_occ + target, minlength=n_occ * n_occ).reshape(n_occ, n_occ)
        for i, name in enumerate(ORIGINS):
            fl[f"retraining_completed_from_{name}_occ"] += matrix[i]

    def complete_route(self, ids: np.ndarray) -> None:
        """Completers (still holding their route and target) earn the route's credential and show employers their ability.

        Employers' belief moves the route's ``reveal`` share of the way to the worker's ability,
        a_seen <- a_seen + reveal_r (a - a_seen); the completion's month and occupation are kept for the 12-month outcomes.
        """
        w = self.model.workers
        route = w.train_route.take(ids)
        w.credential[ids] = route
        seen = w.ability_seen.take(ids)
        seen += self.reveal.take(route).astype(np.float32) * (w.ability.take(ids) - seen)
        w.ability_seen[ids] = seen
        w.trained_month[ids] = self.model.month
        w.trained_occupation[ids] = w.train_target.take(ids)
        w.trained_job_months[ids] = -1

    def route_terms(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per route (axis 0) and worker: the ability employers would see after completing, its pay factor, and the effort cost.

        a_seen_r = a_seen + reveal_r (a - a_seen) (the worker knows their own ability a), pay factor
        exp(ability_wage_return a_seen_r), effort cost effort_cost_months x effort_r x time cost (in months of own wage).
        """
        m, rt = self.model, self.cfg.retraining
        w = m.workers
        seen = w.ability_seen.take(ids).astype(np.float64)
        seen_r = seen[None, :] + self.reveal[:, None] * (w.ability.take(ids).astype(np.float64) - seen)[None, :]
        pay_r = np.exp(self.cfg.market.ability_wage_return * seen_r)
        effort_r = rt.effort_cost_months * self.effort[:, None] * w.time_cost.take(ids).astype(np.float64)[None, :]
        return seen_r, pay_r, effort_r

    def route_finding(self, f_target: np.ndarray, s: np.ndarray, seen_r: np.ndarray) -> np.ndarray:
        """Expected job finding in each target with each route's credential, (route, target, worker).

        f_jr = clip(f'_j (1 + signal_finding_gain (signal_r + ability_rank_weight a_seen_r)), 0, 1 - s_j): the
        credential's ranking signal and the ranking for the ability employers would see (``seen_r``: (route, worker)).
        """
        rt = self.cfg.retraining
        rank = self.signal[:, None] + self.cfg.market.ability_rank_weight * seen_r  # (route, worker)
        f_r = f_target[:, None] * (1.0 + rt.signal_finding_gain * rank)[:, None, :]
        return np.clip(f_r, 0.0, (1.0 - s)[:, None], out=f_r)

    def crowded_finding_rate(self, unemployed: np.ndarray, trainees: np.ndarray) -> np.ndarray:
        """f'_j = f_j U_j / (U_j + T_j): job finding in j, shared with the trainees already heading there."""
        m = self.model
        w, n_occ = m.workers, m.occupations.n
        counts = np.bincount(w.occupation[unemployed], minlength=n_occ)
        heading = np.bincount(w.train_target[trainees], minlength=n_occ)
        return m.market.finding_rate * counts / np.maximum(counts + heading, 1)

    def net_values(self, ids: np.ndarray, subsidy: np.ndarray, f_target: np.ndarray, rng=None,
                   employed: bool = False, current_wage: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Best (target, route) per worker: returns (net value, target, route index).

        ``f_target`` is :meth:`crowded_finding_rate`; the taste shocks come from ``rng`` (default: this process's stream). The value of
        staying depends on a worker through their occupation and horizon (and the ability employers see in them and their
        pay); the routes' gains and costs depend on each worker's ability and time cost (:meth:`route_terms`).
        ``employed``: the workers hold a job, and staying is worth E(f, s, H) (:func:`employed_value`) rather than
        S(f, s, H); p_o, p_jr: :meth:`expected_pay`. ``current_wage``: the employees' ``model.current_wage_of``, if
        already computed.
        """
        m, rt, demo = self.model, self.cfg.retraining, self.cfg.demography
        w, occ, mk = m.workers, m.occupations, m.market
        own = w.occupation.take(ids).astype(np.int64)
        age = w.age.take(ids).astype(np.float64)
        months_left = (demo.retirement_age - age) * 12.0
        horizon = np.minimum(months_left, rt.horizon_months)
        wage = occ.base_wage * mk.wage_index  # (O,)
        wage_o = wage.take(own)
        f, s = mk.finding_rate, mk.separation_rate

        paid_now = employed and rt.pay_valuation  # an employee gives up what they are paid now (tenure and employer included)
        pay_own, pay = self.expected_pay(ids, own, with_own=not paid_now)  # (N,), (N, routes, O): the worker's own pay factors
        if paid_now:
            pay_own = (m.current_wage_of(ids) if current_wage is None else current_wage) / wage_o
        stay = employed_value if employed else search_value
        # per worker (the same operations on the same inputs as per distinct (occupation, horizon) pair, so the same bits)
        value_own = stay(f.take(own), s.take(own), horizon, rt.discount_rate) * wage_o * pay_own
        # every route at once, as (route, target occupation, worker): the workers on the last axis, so that every term
        # that varies by worker, by target or by route broadcasts along long contiguous rows. The routes' terms depend on
        # the worker's ability and time cost (route_terms). The terms that depend on a worker only through their
        # occupation are computed once per (route, target, own occupation) and gathered (the same operations, so the
        # same bits).
        seen_r, pay_r, effort_r = self.route_terms(ids)
        grid = self.route_grid()
        tau = grid.tau.take(own, axis=2)
        too_long = tau > horizon  # (the own occupation too: its tau is infinite)
        months = np.subtract(horizon, tau, out=tau)  # H - tau
        np.maximum(months, 0.0, out=months)
        annuities = annuity(months, rt.discount_rate)
        gain = _search_value_into(self.route_finding(f_target, s, seen_r), s[:, None], months, rt.discount_rate, annuities)
        gain *= grid.complete_discounted.take(own, axis=2)
        gain *= wage[:, None]
        gain *= pay_r[:, None, :]
        gain *= pay

        age_factor = 1.0 + rt.age_cost * np.maximum(age - rt.age_cost_from, 0.0)
        keep_share = 1.0 - subsidy
        tuition = (wage[:, None] * grid.distance_cost).take(own, axis=1) * age_factor * self.barrier[:, None] * keep_share
        cost = np.multiply(tuition, grid.cost_months)
        wage_own = wage_o * pay_own  # what the worker is worth in their own occupation
        cost += (effort_r * (wage_own * keep_share)[None, :])[:, None, :]
        if not employed:  # an employee's current pay already holds the ability employers see
            value_own *= np.exp(self.cfg.market.ability_wage_return * w.ability_seen.take(ids).astype(np.float64))
        net = gain
        net -= value_own
        net -= cost
        np.putmask(net, too_long, -np.inf)  # too long for the horizon, or the worker's own occupation (retraining means moving)
        flat = net.reshape(-1, ids.size)  # per worker (column), route-major: route r, target j at row r x O + j
        pick = np.argmax(flat, axis=0)
        best = flat[pick, np.arange(ids.size)]
        best_route, best_target = pick // occ.n, pick % occ.n
        noise = rt.decision_noise * wage_own * (self.rng if rng is None else rng).logistic(size=ids.size)
        return best + noise, best_target, best_route

    def route_grid(self) -> SimpleNamespace:
        """The terms of :meth:`net_values` that depend on a worker only through their occupation, per (route, target, own).

        ``tau`` (the course's months, longer for a farther move and into the AI core; infinite into the own occupation,
        so that net_values' test of a course too long for the horizon also rules out staying put: retraining means
        moving), ``complete_discounted`` (the chance of completing it, discounted over its months), ``distance_cost``
        (the tuition's distance factor, per (target, own)) and ``cost_months`` (per route). Laid out with the own
        occupation last, so that gathering the workers' columns gives (route, target, worker) grids. They depend on the
        configuration and the occupation table alone, so they are computed once and kept while the parameters they read
        stay as they are.
        """
        rt, occ, routes = self.cfg.retraining, self.model.occupations, self.routes
        key = (tuple((r.duration_months, r.dropout_rate, r.cost_months) for r in routes), rt.distance_duration, rt.distance_cost,
               rt.discount_rate)
        if self._route_grid_key != key:
            dist = occ.distance / occ.max_distance  # (own, target), relative
            dur = np.array([r.duration_months for r in routes])[:, None, None]
            tau = dur * ((1.0 + rt.distance_duration * dist) * self.barrier[None, :])[None]  # (route, own, target)
            log_keep = np.log1p(-np.minimum([r.dropout_rate for r in routes], 1.0 - 1e-12))[:, None, None]
            complete_discounted = np.exp(tau * (log_keep - np.log1p(rt.discount_rate)))
            tau_moving = tau.transpose(0, 2, 1).copy()
            tau_moving[:, np.arange(occ.n), np.arange(occ.n)] = np.inf
            self._route_grid = SimpleNamespace(
                tau=tau_moving, complete_discounted=complete_discounted.transpose(0, 2, 1).copy(),
                distance_cost=(1.0 + rt.distance_cost * dist).T.copy(), cost_months=np.array([r.cost_months for r in routes])[:, None, None])
            self._route_grid_key = key
        return self._route_grid

    def expected_pay(self, ids: np.ndarray, own: np.ndarray, with_own: bool = True) -> tuple[np.ndarray | None, np.ndarray]:
        """Hire pay factors (:func:`.wages.pay_at_hire`) these workers expect, now in their own occupation and after training.

        Returns ``(own, after)``: ``own`` per worker (None if not ``with_own``), ``after`` per route, target and worker
        (``(routes, occupations, workers)``).

        After a route's course the worker's skill distance to the target shrinks by its ``skill_gain`` (fit
        1 - (1 - gain)(1 - fit)), only ``market.experience_transfer`` of their experience counts there, and a course into
        an AI-core role brings AI skills (paid their premium outside AI-core roles; a course into an AI-adjacent role does
        not). So a far move into a well-paid occupation pays a newcomer's wage, not the occupation's mean.
        """
        m, mk = self.model, self.cfg.market
        w, n_occ = m.workers, m.occupations.n
        if not self.cfg.retraining.pay_valuation:  # every target valued at its occupation's mean wage
            return np.ones(ids.size), np.ones((len(self.routes), n_occ, ids.size))
        fit = w.fit.take(ids, axis=0)  # (N, O), float32
        ai_skill = w.ai_skill.take(ids)
        # pay_at_hire's terms per worker, once: the experience term in their own occupation and in another (HirePay)
        hire = HirePay(own, m.credited_years(ids), ai_skill, mk, m.pay_norm, m.ai_core_role)
        rows = np.arange(ids.size)
        pay_own = hire.own_factor(fit[rows, own].astype(np.float64)) if with_own else None
        x = np.repeat(hire.x_other[None, :], n_occ, axis=0)  # (O, N): the experience term in each target
        x[own, rows] = hire.x_own
        # the AI-skill factor per target: with AI skills of their own, outside AI-core roles; without, nowhere (the courses that
        # teach them lead into AI-core roles, where the premium is not paid)
        if self._paid_ai is None:  # (O, 2): whether AI skills are paid in each target, without and with AI skills of one's own
            self._paid_ai = (np.stack([self.teaches_ai, np.ones(n_occ, dtype=bool)], axis=1) & ~m.ai_core_role[:, None]).view(np.int8)
        ai_factor = hire.skill_factor.take(self._paid_ai).take(ai_skill.view(np.int8), axis=1)  # (O, N)
        gains = np.array([r.skill_gain for r in self.routes])[:, None, None]
        # pay_at_hire of the fit after the course, 1 - (1 - gain)(1 - fit): its operations in order, in one array
        pay = np.multiply(1.0 - gains, 1.0 - fit.T.astype(np.float64, order="C"))
        np.subtract(1.0, pay, out=pay)
        pay -= 1.0
        pay *= mk.skill_wage_return
        pay += x
        np.exp(pay, out=pay)
        pay *= ai_factor
        pay /= m.pay_norm[:, None]
        return pay_own, pay

    def own_pay(self, ids: np.ndarray, own: np.ndarray, years: np.ndarray | None = None) -> np.ndarray:
        """The hire pay factor (:func:`.wages.pay_at_hire`, ability apart) these workers expect in their own occupation.

        1 without ``pay_valuation`` (every occupation valued at its mean wage). ``years``: their
        ``model.experience_years`` in their own occupation, if already computed.
        """
        m = self.model
        if not self.cfg.retraining.pay_valuation:
            return np.ones(ids.size)
        fit = m.workers.fit[ids, own].astype(np.float64)
        ai_own = m.workers.ai_skill.take(ids) & ~m.ai_core_role.take(own)
        years = m.experience_years(ids, own) if years is None else years
        return pay_at_hire(fit, years, ai_own, self.cfg.market, m.pay_norm.take(own))

    def course_cost(self, ids: np.ndarray, tgt: np.ndarray, rte: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(tuition, stipend) in money of these workers' courses (targets ``tgt``, route indices ``rte``), before any subsidy.

        As they weigh them: tuition cost_r w_j (1 + distance_cost d) (1 + age_cost max(age - a0, 0)) b_j, the living stipend
        their effort cost effort_cost_months effort_r t w_o p_o (module docstring).
        """
        m, rt = self.model, self.cfg.retraining
        w, occ = m.workers, m.occupations
        wage = occ.base_wage * m.market.wage_index
        own = w.occupation.take(ids).astype(np.int64)
        dist = occ.distance[own, tgt] / occ.max_distance
        age_factor = 1.0 + rt.age_cost * np.maximum(w.age.take(ids).astype(np.float64) - rt.age_cost_from, 0.0)
        cost_months = np.array([r.cost_months for r in self.routes]).take(rte)
        tuition = cost_months * wage.take(tgt) * (1.0 + rt.distance_cost * dist) * age_factor * self.barrier.take(tgt)
        stipend = (rt.effort_cost_months * self.effort.take(rte) * w.time_cost.take(ids).astype(np.float64)
                   * wage.take(own) * self.own_pay(ids, own))
        return tuition, stipend

    def enrol(self, trainees: np.ndarray) -> None:
        """Unemployed workers weigh retraining and the best-placed enrol (``trainees``: those in training now)."""
        m, rt, lev = self.model, self.cfg.retraining, self.model.levers
        w, fl = m.workers, m.flows
        unemp = flatnonzero(w.status[: m.next_slot] == UNEMPLOYED)
        pool = unemp.compress(w.months_unemployed.take(unemp) >= rt.min_unemployed_months)
        seats = lev.retraining_seats if lev.retraining_cost_share > 0 else 0
        eligible = self.targeted(pool) if seats > 0 else np.zeros(pool.size, dtype=bool)
        consider = np.where(eligible, max(rt.consider_rate, lev.retraining_outreach), rt.consider_rate)
        weigh = self.rng.random(pool.size) < consider
        pool, eligible = pool.compress(weigh), eligible.compress(weigh)
        if pool.size == 0:
            return
        subsidy = np.where(eligible, lev.retraining_cost_share, 0.0)
        f_target = self.crowded_finding_rate(unemp, trainees)
        value, target, route = self.net_values(pool, subsidy, f_target)
        enrol = value > 0
        if seats > 0:
            subsidised = np.flatnonzero(enrol & (subsidy > 0))
            if subsidised.size > seats:
                # the seat lottery and the second thoughts of those who lost it draw from the policy's own stream, so the
                # lever leaves the retraining decisions of everyone else drawing the same numbers
                lottery = m.streams.monthly("policy.retraining_subsidy", m.month)
                keep = lottery.permutation(subsidised)[:seats]
                lost = np.setdiff1d(subsidised, keep)
                self.record_lottery(pool[subsidised], pool[keep])
                v2, t2, r2 = self.net_values(pool[lost], np.zeros(lost.size), f_target, rng=lottery)
                enrol[lost] = v2 > 0
                target[lost], route[lost] = t2, r2
                subsidy[lost] = 0.0
            fl["retraining_started_subsidized"] += int(np.count_nonzero(enrol & (subsidy > 0)))
        self.start_training(pool[enrol], target[enrol], route[enrol], subsidy[enrol])

    def record_lottery(self, entrants: np.ndarray, winners: np.ndarray) -> None:
        """A seat lottery: its entrants and winners are counted, and those in their first lottery keep its month and outcome."""
        m, w = self.model, self.model.workers
        m.flows["retraining_lottery_entrants"] += entrants.size
        m.flows["retraining_lottery_winners"] += winners.size
        first = entrants.compress(w.lottery_month.take(entrants) == NEVER_MONTH)
        w.lottery_won[first] = np.isin(first, winners)
        w.lottery_month[first] = m.month

    def start_training(self, ids: np.ndarray, tgt: np.ndarray, rte: np.ndarray, share: np.ndarray | None = None) -> None:
        """These (unemployed) workers enrol into these targets by these routes (indices into ``self.routes``).

        ``share``: the state's share of each one's tuition and stipend (a subsidised seat; default none), paid over the
        course's months (``train_outlay``, module docstring).
        """
        m, rt = self.model, self.cfg.retraining
        w, fl = m.workers, m.flows
        dist = m.occupations.distance[w.occupation[ids], tgt] / m.occupations.max_distance
        base = np.array([r.duration_months for r in self.routes])[rte]
        w.status[ids] = RETRAINING
        w.train_target[ids] = tgt
        w.train_route[ids] = np.array(self.route_codes)[rte]
        w.train_months_left[ids] = np.round(base * (1.0 + rt.distance_duration * dist) * self.barrier[tgt])
        w.train_outlay[ids] = 0.0  # unsubsidised: the state pays nothing (a stale payment of an earlier course is cleared)
        if share is not None and np.any(share > 0):
            paid = np.flatnonzero(share > 0)
            tuition, stipend = self.course_cost(ids[paid], tgt[paid], rte[paid])
            months = np.maximum(w.train_months_left[ids[paid]].astype(np.float64), 1.0)
            w.train_outlay[ids[paid]] = share[paid] * (tuition + stipend) / months
        fl["retraining_started"] += ids.size
        fl["retraining_started_project"] += int(np.count_nonzero(rte == 1))
        fl["retraining_started_stage"] += np.bincount(m.stage_of(ids), minlength=fl["retraining_started_stage"].size)
        fl["retraining_started_occ"] += np.bincount(w.occupation[ids], minlength=fl["retraining_started_occ"].size)

    def targeted(self, ids: np.ndarray) -> np.ndarray:
        """Which of these workers the retraining subsidy's targeting admits."""
        m, lev = self.model, self.model.levers
        if lev.retraining_targeting == "displaced":
            return m.workers.displaced[ids]
        if lev.retraining_targeting == "mid_career":
            return m.stage_of(ids) == 1
        return np.ones(ids.size, dtype=bool)

    def record(self, values: dict) -> None:
        """Trainees by the occupation they are retraining into."""
        m = self.model
        live = slice(0, m.next_slot)
        in_training = m.workers.status[live] == RETRAINING
        lev = m.levers
        values["retraining_seats_offered"] = int(lev.retraining_seats) if lev.retraining_cost_share > 0 else 0
        values["retraining_into_occ"] = np.bincount(m.workers.train_target[live].compress(in_training).astype(np.int64),
                                                    minlength=m.occupations.n)
        self.record_cohort(values)

    def record_cohort(self, values: dict) -> None:
        """The completers of 12 months ago by route and occupation retrained into, and those of them hired within 12 months."""
        m = self.model
        w, n_occ = m.workers, m.occupations.n
        cohort = flatnonzero(w.trained_month[: m.next_slot] == m.month - 12)
        route = w.credential.take(cohort)
        occ = w.trained_occupation.take(cohort).astype(np.int64)
        found = (w.trained_job_months.take(cohort) >= 0) & (w.trained_job_months.take(cohort) < 12)
        for code, name in zip((CERTIFICATE, PROJECT), ROUTES, strict=True):
            on = route == code
            completed = np.bincount(occ.compress(on), minlength=n_occ)
            hired = np.bincount(occ.compress(on & found), minlength=n_occ)
            values[f"completed_12m_ago_{name}"], values[f"completed_12m_ago_{name}_occ"] = int(completed.sum()), completed
            values[f"found_job_12m_{name}"], values[f"found_job_12m_{name}_occ"] = int(hired.sum()), hired
