"""One process at a time, on tiny hand-built states.

Each test builds a 400-worker model from the real composed config (no burn-in),
sets month 1 and zeroes the flows, hand-crafts the state it needs (a parameter
set to 0 or 1 through a Hydra override isolates the mechanism), steps ONE process
and asserts the exact consequences that the process's module docstring states.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from simulation.config import to_config
from simulation.model import LaborMarketModel
from simulation.processes.wages import MIN_SEPARATION_RATE, PSEUDO_SEARCHERS, PSEUDO_VACANCIES
from simulation.runner import compose
from simulation.state import CERTIFICATE, EMPLOYED, NO_ROUTE, OUT_OF_LABOR_FORCE, PROJECT, RETIRED, RETRAINING, UNEMPLOYED

WORKERS = 400
BASE = (f"workers={WORKERS}", "months=3", "burn_in_months=0", "seed=1", "progress=false", "figures=false")
NO_QUITS = ("market.quit_rate=0", "market.layoff_rate=0")  # no quits and no match/firm-shock layoffs: only the excess is laid off
# completion is tested on the project route (never drops out), drop-out on the certificate route (always drops out)
TRAINING = ("retraining.project.dropout_rate=0", "retraining.certificate.dropout_rate=1")


@functools.cache
def _config(extra: tuple[str, ...]):
    return to_config(compose("baseline", [*BASE, *extra]))


def build(*extra: str, month: int = 1):
    """A fresh small model at ``month`` with zero flows, and its processes by name."""
    m = LaborMarketModel(_config(tuple(extra)))
    m.month = month
    m.flows.reset()
    return m, {p.name: p for p in m.processes}


def live(m) -> slice:
    return slice(0, m.next_slot)


def nobody_retires(m) -> None:
    """Every living worker strictly below the retirement age."""
    age = m.workers.age[live(m)]
    np.minimum(age, np.float32(m.cfg.demography.retirement_age - 1.0), out=age)


def demand_equals_headcount(m) -> None:
    """No layoffs and no vacancies anywhere, and no automation gap."""
    f = m.firms
    f.demand[:] = f.headcount
    f.demand_wanted[:] = f.demand.astype(np.float64)
    f.demand_no_automation[:] = f.demand_wanted


def expected_fit(m, ids: np.ndarray) -> np.ndarray:
    """fit = 1 - RMS(skills - profile) / d_max for every occupation, computed independently in float64."""
    sk = m.workers.skills[ids].astype(np.float64)
    prof = m.occupations.profiles
    rms = np.sqrt(((sk[:, None, :] - prof[None, :, :]) ** 2).mean(axis=-1))
    return 1.0 - rms / m.occupations.max_distance


def employed_in(m, f: int, o: int) -> np.ndarray:
    w = m.workers
    n = m.next_slot
    return np.flatnonzero((w.status[:n] == EMPLOYED) & (w.firm[:n] == f) & (w.occupation[:n] == o))


# ------------------------------------------------------------------ separations
def test_layoffs_cut_the_excess_and_count_the_automation_gap_as_ai_displacement():
    m, proc = build(*NO_QUITS)
    w, firms, fl = m.workers, m.firms, m.flows
    nobody_retires(m)
    demand_equals_headcount(m)
    f, o = (int(x) for x in np.argwhere(firms.headcount >= 5)[0])
    firms.demand[f, o] -= 3
    firms.demand_wanted[f, o] = firms.demand[f, o]
    firms.demand_no_automation[f, o] = firms.demand_wanted[f, o] + 2.0
    head0 = firms.headcount.copy()
    cell = employed_in(m, f, o)
    status0, skills0 = w.status[live(m)].copy(), w.skills[live(m)].copy()
    wage_fo = m.current_wage[f, o]

    proc["separations"].step()

    changed = np.flatnonzero(w.status[live(m)] != status0)
    assert np.isin(changed, cell).all(), f"only workers of cell ({f}, {o}) may change status; changed {changed}"
    assert changed.size == 3, f"expected exactly 3 layoffs (headcount - demand), got {changed.size}"
    assert (w.status[changed] == UNEMPLOYED).all() and (w.firm[changed] == -1).all(), "the laid off should be unemployed with firm -1"
    assert (w.months_unemployed[changed] == 0).all(), "a layoff starts a new unemployment spell at 0 months"
    ai = changed[w.displaced[changed]]
    other = changed[~w.displaced[changed]]
    assert ai.size == 2, f"expected floor(D0* - D*) = 2 AI displacements, got {ai.size}"
    assert not w.displaced[live(m)][np.setdiff1d(np.arange(m.next_slot), ai)].any(), "nobody but the 2 should be marked displaced"
    assert (fl["separations_ai"], fl["layoffs_other"], fl["separations_other"], fl["quits"]) == (2, 1, 1, 0), (
        "expected flows separations_ai 2, layoffs_other 1, separations_other 1, quits 0; got "
        f"{fl['separations_ai']}, {fl['layoffs_other']}, {fl['separations_other']}, {fl['quits']}")
    assert fl["separations_ai_occ"][o] == 2 and fl["separations_ai_occ"].sum() == 2, "the 2 AI displacements belong to occupation o"
    assert fl["separations_other_occ"][o] == 1 and fl["separations_other_occ"].sum() == 1, "the other layoff belongs to occupation o"
    assert (w.displaced_month[ai] == 1).all() and (w.displaced_occupation[ai] == o).all(), "displacement month 1, occupation o"
    np.testing.assert_allclose(w.displaced_wage[ai], np.float32(wage_fo) * w.pay_factor[ai], rtol=1e-6,
                               err_msg="displaced wage = the cell's current wage x the worker's pay factor")
    np.testing.assert_array_equal(firms.headcount, np.minimum(head0, firms.demand), err_msg="headcount should be min(headcount, demand)")
    recount = firms.headcount.copy()
    m.refresh_headcount()
    np.testing.assert_array_equal(firms.headcount, recount, err_msg="the incremental headcount should match a recount")

    loss = m.cfg.demography.displacement_skill_loss
    assert loss > 0
    np.testing.assert_array_equal(w.skills[ai], skills0[ai] * np.float32(1.0 - loss),
                                  err_msg="the AI-displaced should keep exactly 1 - displacement_skill_loss of their skills")
    np.testing.assert_array_equal(w.skills[other], skills0[other], err_msg="a layoff not caused by AI costs no skills")
    np.testing.assert_allclose(w.fit[ai], expected_fit(m, ai), atol=1e-5, err_msg="the displaced's fit should be refreshed")


def test_no_quits_at_quit_rate_zero():
    m, proc = build(*NO_QUITS)
    nobody_retires(m)
    demand_equals_headcount(m)
    status0, head0 = m.workers.status[live(m)].copy(), m.firms.headcount.copy()
    proc["separations"].step()
    assert m.flows["quits"] == 0, f"quit_rate 0: expected no quits, got {m.flows['quits']}"
    np.testing.assert_array_equal(m.workers.status[live(m)], status0, err_msg="quit_rate 0, no excess: nobody should change status")
    np.testing.assert_array_equal(m.firms.headcount, head0, err_msg="quit_rate 0, no excess: headcount should not change")


def test_quits_are_counted_and_binomial():
    m, proc = build("market.quit_rate=0.05", "market.layoff_rate=0", "market.new_match_separation_rate=0")
    w, fl = m.workers, m.flows
    nobody_retires(m)
    demand_equals_headcount(m)
    status0, head_total = w.status[live(m)].copy(), int(m.firms.headcount.sum())
    firm0 = w.firm[live(m)].copy()
    proc["separations"].step()

    quitters = np.flatnonzero((status0 == EMPLOYED) & (w.status[live(m)] == UNEMPLOYED))
    changed = np.flatnonzero(w.status[live(m)] != status0)
    np.testing.assert_array_equal(changed, quitters, err_msg="the only status changes should be employed -> unemployed quits")
    assert fl["quits"] == quitters.size == fl["separations_other"], (
        f"flows quits {fl['quits']} and separations_other {fl['separations_other']} should equal the {quitters.size} quitters")
    assert fl["layoffs_other"] == 0 and fl["separations_ai"] == 0, "demand == headcount: no layoffs"
    assert fl["separations_other_occ"].sum() == quitters.size, "quits by occupation should add up to the quits"
    assert int(m.firms.headcount.sum()) == head_total - quitters.size, "headcount should fall by the quits"
    assert (w.firm[quitters] == -1).all(), "quitters should have left their firm"
    assert (w.ui_months_left[quitters] == 0).all() and (w.ui_months_granted[quitters] == 0).all(), "quitters draw no benefits"
    np.testing.assert_allclose(w.wage[quitters], m.current_wage[firm0[quitters], w.occupation[quitters]] * w.pay_factor[quitters],
                               rtol=1e-6, err_msg="a quitter keeps the wage of the job they left (cell wage x pay factor)")
    n, p = head_total, m.cfg.market.quit_rate
    mean, sd = n * p, np.sqrt(n * p * (1 - p))
    assert max(1, mean - 4 * sd) <= quitters.size <= mean + 4 * sd, (
        f"{quitters.size} quits of {n} employees at rate {p}: expected within 4 sd of {mean:.1f} (sd {sd:.1f})")


def test_retirement_at_the_retirement_age_from_every_status():
    m, proc = build(*NO_QUITS)
    w, fl, firms = m.workers, m.flows, m.firms
    nobody_retires(m)
    demand_equals_headcount(m)
    age_r = m.cfg.demography.retirement_age
    emp = np.flatnonzero(w.status[live(m)] == EMPLOYED)
    unemp = np.flatnonzero(w.status[live(m)] == UNEMPLOYED)
    e, u, r, olf, young = int(emp[0]), int(unemp[0]), int(unemp[1]), int(unemp[2]), int(emp[1])
    w.status[r], w.status[olf] = RETRAINING, OUT_OF_LABOR_FORCE
    w.age[[e, u, r, olf]] = age_r
    w.age[young] = age_r - 0.01
    f_e, o_e = int(w.firm[e]), int(w.occupation[e])
    head0 = firms.headcount.copy()
    status0 = w.status[live(m)].copy()

    proc["separations"].step()

    old = [e, u, r, olf]
    assert (w.status[old] == RETIRED).all(), f"workers at the retirement age should retire; statuses {w.status[old]}"
    counts = {k: fl[k] for k in ("retirements", "retirements_employed", "retirements_unemployed", "retirements_retraining", "retirements_olf")}
    assert counts == {"retirements": 4, "retirements_employed": 1, "retirements_unemployed": 1,
                      "retirements_retraining": 1, "retirements_olf": 1}, f"one retirement from each status expected, got {counts}"
    assert w.status[young] == EMPLOYED, "a worker just below the retirement age should not retire"
    others = np.setdiff1d(np.arange(m.next_slot), old)
    np.testing.assert_array_equal(w.status[others], status0[others], err_msg="nobody else should change status")
    assert w.firm[e] == -1, "a retiring employee leaves their firm"
    expected = head0.copy()
    expected[f_e, o_e] -= 1
    np.testing.assert_array_equal(firms.headcount, expected, err_msg="only the retiree's cell should lose one head")
    assert fl["layoffs_other"] == 0 and fl["separations_ai"] == 0, "a retirement leaves a vacancy, not an excess: no layoffs"


# ------------------------------------------------------------------ vacancies
def test_vacancies_are_unfilled_demand_and_wages_are_posted():
    m, proc = build(*NO_QUITS)
    firms, fl = m.firms, m.flows
    rng = np.random.default_rng(0)
    firms.demand[:] = np.maximum(firms.headcount + rng.integers(-3, 4, size=firms.headcount.shape), 0)
    firms.posted_wage *= 1.1  # posted wages that differ from last month's
    m.current_wage[:] = np.nan
    head0 = firms.headcount.copy()
    proc["vacancies"].step()
    expected = np.maximum(firms.demand - firms.headcount, 0)
    assert expected.sum() > 0 and (firms.headcount > firms.demand).any(), "the test needs both open and overfull cells"
    np.testing.assert_array_equal(firms.vacancies, expected, err_msg="vacancies should be max(demand - headcount, 0) in every cell")
    np.testing.assert_array_equal(m.current_wage, firms.posted_wage, err_msg="this month's wages should be the posted wages")
    assert fl["vacancies"] == expected.sum(), f"flows vacancies {fl['vacancies']} should be the total {expected.sum()}"
    np.testing.assert_array_equal(fl["vacancies_occ"], expected.sum(axis=0), err_msg="vacancies by occupation")
    np.testing.assert_array_equal(firms.headcount, head0, err_msg="posting vacancies should not change headcount")


# ------------------------------------------------------------------ retraining
def start_training(m, ids, targets, routes, months_left) -> None:
    w = m.workers
    w.status[ids] = RETRAINING
    w.train_target[ids] = targets
    w.train_route[ids] = routes
    w.train_months_left[ids] = months_left


def test_retraining_completion_moves_the_worker_into_the_target():
    m, proc = build(*TRAINING)
    w, fl, occ = m.workers, m.flows, m.occupations
    assert not (w.status[live(m)] == RETRAINING).any(), "nobody should be training at month 0 without a burn-in"
    unemp = np.flatnonzero(w.status[live(m)] == UNEMPLOYED)
    i, k = int(unemp[0]), int(unemp[1])
    own = int(w.occupation[i])
    j = int(np.argmax(occ.distance[own]))  # the farthest occupation: a clear skill gap
    assert j != own
    start_training(m, [i, k], [j, j], [PROJECT, PROJECT], [1.0, 3.0])
    w.months_unemployed[i] = 5
    skills0 = w.skills[i].copy()

    still = proc["retraining"].progress()

    assert w.occupation[i] == j, f"on completion the occupation should become the target {j}, got {w.occupation[i]}"
    assert w.status[i] == UNEMPLOYED, "a graduate of retraining is unemployed, searching"
    assert w.credential[i] == PROJECT and w.retrained[i], "completion grants the route's credential and marks retrained"
    assert (w.train_target[i], w.train_route[i], w.train_months_left[i], w.months_unemployed[i]) == (-1, NO_ROUTE, 0.0, 0), (
        "completion should clear the training fields and restart the unemployment clock")
    gain = m.cfg.retraining.project.skill_gain
    prof = occ.profiles[j].astype(np.float32)
    np.testing.assert_allclose(w.skills[i], skills0 + np.float32(gain) * (prof - skills0), rtol=1e-6, atol=1e-7,
                               err_msg="skills should close exactly skill_gain of the gap to the target profile")
    assert not np.allclose(w.skills[i], skills0), "the skills should have moved"
    np.testing.assert_allclose(w.fit[i], expected_fit(m, np.array([i]))[0], atol=1e-5, err_msg="fit should be refreshed")
    assert fl["retraining_completed"] == 1 and fl["retraining_dropped"] == 0, (
        f"expected 1 completion, 0 drop-outs; got {fl['retraining_completed']}, {fl['retraining_dropped']}")
    assert fl["retraining_completed_occ"][j] == 1 and fl["retraining_completed_occ"].sum() == 1, "the completion counts in j"
    np.testing.assert_array_equal(still, [k], err_msg="only the trainee with months left should still be training")
    assert w.status[k] == RETRAINING and w.train_months_left[k] == 2.0, "the other trainee advances one month (3 -> 2 left)"


def test_retraining_dropout_returns_trainees_to_unemployment():
    m, proc = build(*TRAINING)
    w, fl = m.workers, m.flows
    unemp = np.flatnonzero(w.status[live(m)] == UNEMPLOYED)
    a, b, c = (int(x) for x in unemp[:3])
    targets = [(int(w.occupation[x]) + 1) % m.occupations.n for x in (a, b, c)]
    start_training(m, [a, b, c], targets, [CERTIFICATE, CERTIFICATE, PROJECT], [1.0, 4.0, 3.0])
    occ0, skills0 = w.occupation[[a, b]].copy(), w.skills[[a, b]].copy()

    still = proc["retraining"].progress()

    dropped = [a, b]
    assert (w.status[dropped] == UNEMPLOYED).all(), "at dropout_rate 1 every certificate trainee drops out, to unemployment"
    assert (w.train_target[dropped] == -1).all() and (w.train_route[dropped] == NO_ROUTE).all(), "drop-outs have no target, no route"
    assert (w.train_months_left[dropped] == 0).all(), "drop-outs have no months left"
    np.testing.assert_array_equal(w.occupation[dropped], occ0, err_msg="drop-outs keep their occupation")
    np.testing.assert_array_equal(w.skills[dropped], skills0, err_msg="drop-outs gain no skills")
    assert (w.credential[dropped] == NO_ROUTE).all() and not w.retrained[dropped].any(), "drop-outs earn no credential"
    assert fl["retraining_dropped"] == 2 and fl["retraining_completed"] == 0, (
        f"expected 2 drop-outs (even the one due to finish), 0 completions; got {fl['retraining_dropped']}, {fl['retraining_completed']}")
    np.testing.assert_array_equal(still, [c], err_msg="the project trainee (dropout 0) should still be training")


# ------------------------------------------------------------------ wages
def test_wages_follow_the_tightness_equations():
    m, proc = build()
    mk, stats, fl, occ, firms = m.cfg.market, m.market, m.flows, m.occupations, m.firms
    n = occ.n
    rng = np.random.default_rng(3)
    searchers = rng.integers(0, 40, size=n)
    vacancies = rng.integers(0, 30, size=n)
    hires = rng.integers(0, 10, size=n)
    sep_ai, sep_other = rng.integers(0, 3, size=n), rng.integers(0, 5, size=n)
    searchers[2] = 0  # no searcher: finding rate kept, tightness from the pseudo-counts
    hires[3], searchers[3] = 9, 4  # more hires than searchers: observed rate capped at 1
    sep_ai[4] = sep_other[4] = 0  # no separation: observed rate floored
    vacancies[0], searchers[0] = 10**6, 0  # very tight: the target hits wage_index_max
    vacancies[1], searchers[1] = 0, 1000
    stats.tightness[1] = 1e-9  # very slack: the target hits wage_index_min
    stats.wage_index[:] = np.linspace(0.9, 1.3, n)
    stats.finding_rate[:] = np.linspace(0.1, 0.4, n)
    stats.separation_rate[:] = np.linspace(0.01, 0.03, n)
    for key, arr in (("searchers_occ", searchers), ("vacancies_occ", vacancies), ("hires_from_unemployed_by_own_occ", hires),
                     ("separations_ai_occ", sep_ai), ("separations_other_occ", sep_other)):
        fl[key] = arr.astype(np.int64)
    tight0, index0 = stats.tightness.copy(), stats.wage_index.copy()
    f0, s0, ref = stats.finding_rate.copy(), stats.separation_rate.copy(), stats.reference_tightness.copy()
    employed = firms.headcount.sum(axis=0).astype(np.float64)

    proc["wages"].step()

    a = mk.rate_smoothing
    assert (PSEUDO_VACANCIES, PSEUDO_SEARCHERS) == (0.5, 1.0), "the docstring's tightness is (V + 0.5) / (U + 1)"
    theta = (vacancies + 0.5) / (searchers + 1.0)
    tight = tight0 + a * (theta - tight0)
    np.testing.assert_allclose(stats.tightness, tight, rtol=1e-12, err_msg="smoothed tightness")
    f_exp = f0.copy()
    has_u = searchers > 0
    f_exp[has_u] = f0[has_u] + a * (np.minimum(hires[has_u] / searchers[has_u], 1.0) - f0[has_u])
    np.testing.assert_allclose(stats.finding_rate, f_exp, rtol=1e-12, err_msg="smoothed finding rate (kept where no searcher)")
    s_exp = s0.copy()
    has_e = employed > 0
    s_obs = np.maximum((sep_ai + sep_other) / np.maximum(employed, 1.0), MIN_SEPARATION_RATE)
    s_exp[has_e] = s0[has_e] + a * (s_obs[has_e] - s0[has_e])
    np.testing.assert_allclose(stats.separation_rate, s_exp, rtol=1e-12, err_msg="smoothed separation rate")
    target = np.clip((tight / ref) ** mk.wage_tightness_elasticity, mk.wage_index_min, mk.wage_index_max)
    assert target[0] == mk.wage_index_max and target[1] == mk.wage_index_min, "the test should hit both clips"
    index = index0 + mk.wage_adjustment * (target - index0)
    np.testing.assert_allclose(stats.wage_index, index, rtol=1e-12, err_msg="wage index moves by adjustment x (target - index)")
    np.testing.assert_allclose(firms.posted_wage, occ.base_wage[None, :] * index[None, :] * firms.wage_premium[:, None], rtol=1e-12,
                               err_msg="posted wage = base wage x index x firm premium")


# ------------------------------------------------------------------ lifecycle
def test_lifecycle_ages_ticks_clocks_and_long_term_unemployed_leave():
    # the other labour-force flows (short spells, employees, re-entry) off: tests/test_lifecycle_flows.py checks them
    m, proc = build("market.exit_rate_long_term=1.0", "market.exit_rate_unemployed=0", "market.exit_rate_employed=0", "market.reentry_rate=0")
    m.levers = m.policies.step(1)  # month 1's levers: the insurance pays (while the lever is off, entitlements lapse)
    w, fl, mk = m.workers, m.flows, m.cfg.market
    m.firms.vacancies[:] = 0  # no entrants from other sectors
    n0 = m.next_slot
    unemp = np.flatnonzero(w.status[:n0] == UNEMPLOYED)
    w.months_unemployed[unemp] = 0
    a, b, c = (int(x) for x in unemp[:3])
    # the clock ticks before the exit check: a worker whose spell reaches exit_min_months this month may leave
    w.months_unemployed[a] = mk.exit_min_months + 3
    w.months_unemployed[b] = mk.exit_min_months - 1
    w.months_unemployed[c] = mk.exit_min_months - 2
    w.ui_months_left[c] = 2
    status0, age0, months0 = w.status[:n0].copy(), w.age[:n0].copy(), w.months_unemployed[:n0].copy()

    proc["lifecycle"].step()

    assert m.next_slot == n0, "no graduates outside the graduation month and no entrants without vacancies"
    assert w.status[a] == OUT_OF_LABOR_FORCE and w.status[b] == OUT_OF_LABOR_FORCE, (
        "at exit rate 1 a spell of exit_min_months or more (after this month's tick) ends in leaving the labour force")
    assert w.status[c] == UNEMPLOYED, "a spell of exit_min_months - 1 (after the tick) should not leave"
    assert fl["exits_to_olf"] == 2, f"expected 2 exits to inactivity, got {fl['exits_to_olf']}"
    others = np.setdiff1d(np.arange(n0), [a, b])
    np.testing.assert_array_equal(w.status[others], status0[others], err_msg="nobody else should change status")
    np.testing.assert_array_equal(w.age[:n0], age0 + np.float32(1.0 / 12.0), err_msg="everyone ages by one month")
    np.testing.assert_array_equal(w.months_unemployed[:n0], months0 + (status0 == UNEMPLOYED),
                                  err_msg="the unemployed's clock rises by 1, nobody else's")
    assert w.ui_months_left[c] == 1, "an unemployed worker's benefit months fall by 1"


@pytest.mark.parametrize("month", [6, 7])
def test_graduates_enter_in_the_graduation_month(month):
    # the whole cohort in July, none with a campus offer (the China profile spreads it over July-August and hires most
    # on entry: tests/test_profiles.py)
    m, proc = build("demography.graduation_spread_months=1", "demography.graduate_offer_share=0", month=month)
    w, fl, demo = m.workers, m.flows, m.cfg.demography
    m.firms.vacancies[:] = 0  # no entrants from other sectors
    n0 = m.next_slot
    proc["lifecycle"].step()
    cohort = round(demo.graduate_rate * WORKERS) if month == demo.graduation_month else 0
    assert demo.graduation_month == 7
    assert m.next_slot - n0 == cohort == fl["graduates"], f"month {month}: expected {cohort} graduates, got {m.next_slot - n0}"
    new = np.arange(n0, m.next_slot)
    assert (w.status[new] == UNEMPLOYED).all() and (w.entry_month[new] == month).all(), "graduates enter unemployed this month"
    assert (w.months_unemployed[new] == 0).all(), "graduates' unemployment clock starts at 0"
    assert ((w.age[new] >= demo.age_entry) & (w.age[new] <= demo.age_entry + demo.graduate_age_span)).all(), "graduates' entry ages"
    np.testing.assert_array_equal(fl["graduates_occ"], np.bincount(w.occupation[new], minlength=m.occupations.n),
                                  err_msg="graduates by field should match the entrants' occupations")
    if cohort:
        np.testing.assert_allclose(w.fit[new], expected_fit(m, new), atol=1e-5, err_msg="graduates' fit is computed")


# ------------------------------------------------------------------ demand
@pytest.mark.parametrize("budget_share", [1.0, 0.6])
def test_demand_wage_bill_within_budget(budget_share):
    m, proc = build()
    firms = m.firms
    firms.budget *= budget_share
    firms.base_budget *= budget_share
    proc["drivers"].step()
    proc["demand"].step()
    bill = (firms.demand * firms.posted_wage).sum(axis=1)
    assert (bill <= firms.budget).all(), f"every firm's wage bill of demand should be within its budget: {bill / firms.budget}"
    assert (firms.demand >= 0).all() and (np.abs(firms.demand - firms.demand_wanted) < 1).all(), "demand is D* rounded"
    scaled_cost = (firms.demand_wanted * firms.posted_wage).sum(axis=1)
    assert (scaled_cost <= firms.budget * (1 + 1e-12)).all(), "D* after the budget scaling costs at most the budget"
    if budget_share < 1:
        binding = np.isclose(scaled_cost, firms.budget, rtol=1e-12)
        assert binding.any(), "a squeezed budget should bind (D* scaled by B / cost) at some firm"


@pytest.mark.parametrize("frozen", [True, False])
def test_demand_has_no_automation_gap_with_capability_frozen(frozen):
    m, proc = build(f"ai.capability_frozen={str(frozen).lower()}")
    proc["drivers"].step()  # month 1's capability (adoption left at its month-0 level)
    proc["demand"].step()
    gap = m.firms.demand_no_automation - m.firms.demand_wanted
    if frozen:
        np.testing.assert_array_equal(m.firms.demand_no_automation, m.firms.demand_wanted,
                                      err_msg="frozen capability: D0* should equal D* (no automation gap)")
    else:
        assert gap.max() > 0 and gap.min() >= 0, "growing capability: demand lost to automation should be positive somewhere"


def test_adoption_intercept_makes_the_mean_return_firm_desire_the_initial_adoption():
    """Documented in adoption.py: b is set so that a firm at the mean month-0 net return desires ai.adoption_initial."""
    m, proc = build("ai.capability_frozen=true")
    ad, ai = proc["adoption"], m.cfg.ai
    mean_r0 = float(np.mean(ai.return_scale * m.capability * ad.affinity))
    desired = 1.0 / (1.0 + np.exp(-(ad.intercept + ai.adoption_sensitivity * (mean_r0 - ai.adoption_cost))))
    assert desired == pytest.approx(ai.adoption_initial, rel=1e-12)


# ------------------------------------------------------------------ matching
def test_matching_fills_vacancies_at_posted_wages_times_hire_pay():
    m, proc = build(*NO_QUITS)
    w, firms, fl = m.workers, m.firms, m.flows
    rng = np.random.default_rng(5)
    firms.demand[:] = firms.headcount + rng.integers(0, 3, size=firms.headcount.shape)
    proc["vacancies"].step()
    vac0 = firms.vacancies.copy()
    status0, firm0 = w.status[live(m)].copy(), w.firm[live(m)].copy()

    proc["matching"].step()

    status1, firm1 = w.status[live(m)], w.firm[live(m)]
    assert (firms.headcount <= firms.demand).all(), "no cell's headcount should exceed its demand after matching"
    assert 0 < fl["hires"] <= vac0.sum(), f"hires {fl['hires']} should be positive and at most the {vac0.sum()} vacancies"
    from_u = np.flatnonzero((status0 == UNEMPLOYED) & (status1 == EMPLOYED))
    movers = np.flatnonzero((status0 == EMPLOYED) & (firm1 != firm0))
    assert fl["hires_from_unemployed"] == from_u.size, "hires from unemployment should be the unemployed now employed"
    assert fl["job_to_job"] == movers.size and fl["hires"] == from_u.size + movers.size, "hires = from unemployment + job to job"
    changed = np.flatnonzero(status1 != status0)
    np.testing.assert_array_equal(changed, from_u, err_msg="the only status changes should be unemployed -> employed")
    hired = np.concatenate([from_u, movers])
    fit = w.fit[hired, w.occupation[hired]]
    np.testing.assert_allclose(w.wage[hired], firms.posted_wage[w.firm[hired], w.occupation[hired]] * m.hire_pay(hired, fit, w.occupation[hired]), rtol=1e-5,
                               err_msg="a hire is paid the posted wage of their new cell x their hire pay factor")
    assert (w.tenure[hired] == 0).all(), "a hire starts at tenure 0"
    assert (w.months_unemployed[from_u] == 0).all(), "a hire ends the unemployment spell"
    np.testing.assert_array_equal(firms.vacancies, np.maximum(firms.demand - firms.headcount, 0), err_msg="vacancies left open")
    assert firms.vacancies.sum() == vac0.sum() - fl["hires"] + fl["job_to_job"], "each hire fills a vacancy, each mover opens one"
    recount = firms.headcount.copy()
    m.refresh_headcount()
    np.testing.assert_array_equal(firms.headcount, recount, err_msg="the incremental headcount should match a recount")


def test_matching_hires_nobody_without_vacancies():
    m, proc = build(*NO_QUITS)
    w, firms, fl = m.workers, m.firms, m.flows
    firms.demand[:] = firms.headcount
    proc["vacancies"].step()
    assert firms.vacancies.sum() == 0
    status0, firm0, head0 = w.status[live(m)].copy(), w.firm[live(m)].copy(), firms.headcount.copy()
    proc["matching"].step()
    assert fl["hires"] == 0 and fl["offers"] == 0, f"no vacancies: expected no offers or hires, got {fl['offers']}, {fl['hires']}"
    np.testing.assert_array_equal(w.status[live(m)], status0, err_msg="no vacancies: nobody changes status")
    np.testing.assert_array_equal(w.firm[live(m)], firm0, err_msg="no vacancies: nobody changes employer")
    np.testing.assert_array_equal(firms.headcount, head0, err_msg="no vacancies: headcount unchanged")
    unemp = np.flatnonzero(status0 == UNEMPLOYED)
    np.testing.assert_array_equal(fl["searchers_occ"], np.bincount(w.occupation[unemp], minlength=m.occupations.n),
                                  err_msg="the unemployed are still counted as searchers by occupation")
