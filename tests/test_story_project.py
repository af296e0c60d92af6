"""Issue 15, item 5: a shipped project beats certificates, as employer learning.

Workers differ in a latent ability (standard normal) and in the time cost of effort; employers see only what
a completed route reveals (certificate 0.1 of the gap to the truth, shipped project 0.8), and rank and pay on it.
The project costs more of one's own time, so the able and time-rich choose it. One experiment per claim at
20,000 workers x 120 months on seed 1, plus attributions that switch the mechanism off. Values measured on the
China profile of 2026-12-02 (seed 1; 12-month re-employment pools seeds 1 and 2 and compares the routes within the
same target occupations, the certificate rates weighted by the project completers' occupations):

* both routes are chosen: the project takes 33.3% of enrolments in baseline (2,675 enrolments) and 33.0% in
  retraining_push (6,766); with nothing revealed (retraining.project.reveal=0) 1.1% and 0.2%.
* who chooses: the able and time-rich (test_the_able_and_time_rich_choose_the_project).
* re-employment within 12 months of completing: project 95.6% against certificate 90.8% in baseline, 93.2% against
  89.3% in retraining_push. With employers ranking without regard to ability (market.ability_rank_weight=0) the
  gap falls from 4.8 to 0.1 points (baseline) and from 3.9 to -0.6 (retraining_push). (At the profile's
  2026-12-01 refit, before its AI race, seed 1 alone: 11.1 and 5.8 points; the race makes AI-core roles easier to
  enter for certificate completers too.)
* pay at the first hire after completing (pay factor: pay relative to the cell's wage), within the same occupations:
  project 0.887 against certificate 0.796 in baseline (see test_project_completers_paid_more for where it comes from).
(Values after the retraining pay valuation and upskilling in place were merged; before, the shares were 35.8% and 40.3%.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.model import LaborMarketModel
from simulation.state import CERTIFICATE, PROJECT
from simulation.validation.story import route_first_hire_pay

WORKERS, MONTHS, SEED = 20_000, 120, 1
# 12-month re-employment pools two seeds: at this size one seed's project-over-certificate gap ranges from 2.5 to 6.5
# points in retraining_push and from 4.3 to 7.9 in baseline (seeds 1-5, China profile of 2026-12-02), while with
# employers blind to ability it ranges from -2.4 to +1.7
REEMPLOYMENT_SEEDS = (1, 2)
SCENARIOS = ("baseline", "retraining_push")


@pytest.fixture(scope="module")
def run(run_scenario_fn):
    """run(scenario, *overrides) at the module's size and seed (cached)."""
    return lambda scenario, *extra: run_scenario_fn(scenario, SEED, WORKERS, MONTHS, extra)


@pytest.fixture(scope="module")
def pooled(run_scenario_fn):
    """pooled(scenario, *overrides): the runs on :data:`REEMPLOYMENT_SEEDS` at the module's size (cached)."""
    return lambda scenario, *extra: [run_scenario_fn(scenario, s, WORKERS, MONTHS, extra) for s in REEMPLOYMENT_SEEDS]


def project_share(res) -> float:
    """Share of enrolments (months 1-120) on the project route."""
    ts = res.timeseries.query("month >= 1")
    return float(ts.retraining_started_project.sum() / ts.retraining_started.sum())


def reemployment_12m(*results) -> tuple[float, float]:
    """12-month re-employment of project and certificate completers in the same target occupations, pooled over ``results``.

    Over the occupations with completers of both routes: the project completers' rate, and the certificate
    completers' rate per occupation weighted by the project completers' numbers there.
    """
    cols = ["completed_12m_ago_certificate", "found_job_12m_certificate", "completed_12m_ago_project", "found_job_12m_project"]
    by = pd.concat([r.by_occupation for r in results]).query("month >= 1").groupby("occupation")[cols].sum()
    both = by[(by.completed_12m_ago_certificate > 0) & (by.completed_12m_ago_project > 0)]
    weight = both.completed_12m_ago_project
    assert weight.sum() >= 50, f"{results[0].scenario}: too few project completers to compare ({int(weight.sum())})"
    project = both.found_job_12m_project.sum() / weight.sum()
    certificate = (weight * both.found_job_12m_certificate / both.completed_12m_ago_certificate).sum() / weight.sum()
    return float(project), float(certificate)


def first_hire_pay_within(res) -> tuple[float, float, int]:
    """:func:`simulation.validation.story.route_first_hire_pay` of a run's results (the same occupations for both routes)."""
    return route_first_hire_pay({"bo": res.by_occupation})


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_both_routes_are_chosen(run, scenario):
    """Issue 15's acceptance: the project route takes 20-70% of enrolments."""
    share = project_share(run(scenario))
    assert 0.2 <= share <= 0.7, f"{scenario}: the project route should take 20-70% of enrolments; got {share:.3f}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_project_share_needs_revealed_ability(run, scenario):
    """Attribution: when a project shows employers nothing of ability, almost no one builds one."""
    default, blind = project_share(run(scenario)), project_share(run(scenario, "retraining.project.reveal=0"))
    assert blind < 0.05 and blind < 0.25 * default, (f"{scenario}: without revealed ability the project's share should collapse; "
                                                     f"{blind:.3f} against {default:.3f}")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_project_completers_reemployed_faster(pooled, scenario):
    """Issue 15's acceptance: project completers' 12-month re-employment exceeds certificate completers' in the same occupations."""
    project, certificate = reemployment_12m(*pooled(scenario))
    assert project > certificate + 0.03, (f"{scenario}: project completers should be re-employed within 12 months more often "
                                          f"than certificate completers of the same occupations; {project:.3f} against {certificate:.3f}")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reemployment_advantage_is_employers_ranking_ability(pooled, scenario):
    """Attribution: with employers ranking applicants without regard to the ability they see, the advantage shrinks by half or more."""
    project, certificate = reemployment_12m(*pooled(scenario))
    blind_p, blind_c = reemployment_12m(*pooled(scenario, "market.ability_rank_weight=0"))
    assert blind_p - blind_c < 0.5 * (project - certificate), (
        f"{scenario}: the project's re-employment advantage should shrink without ranking on ability; "
        f"{blind_p - blind_c:+.3f} against {project - certificate:+.3f}")


def test_project_completers_paid_more(run):
    """Project completers are paid more at their first hire after completing than certificate completers of the same occupation.

    Attribution (China profile of 2026-12-02, seed 1; seed 2 in brackets): within the same occupations the advantage
    is 0.887 against 0.796, +11.5% (+12.7%), 652 first hires of project completers; with pay blind to ability
    (market.ability_wage_return=0) and the AI-skills premium off (market.ai_skill_premium=0) 0.802 against 0.793,
    +1.2% (-0.2%): the pay for revealed ability and for the AI skills the able learn make all of it. (At the
    2026-12-01 refit: 0.884 against 0.800, +10.5%, blind +0.5%; before it: 0.855 against 0.784, +9.1%, blind +0.5%; before courses into AI-adjacent roles stopped teaching premium AI skills:
    1.180 against 1.070, +10.3%.) Compared across occupations instead, a residual of 2-3% was left (0.788 against
    0.760) that is composition, not pay: pay factors are relative to each occupation's own cell wages, and project
    completers are hired more often into the occupations whose factors run higher (the product-manager roles).
    """
    project, certificate, n = first_hire_pay_within(run("baseline"))
    assert n >= 40, f"too few first hires of project completers to compare ({n})"
    assert project > 1.05 * certificate, f"project completers should be paid over 5% more at hire; {project:.3f} against {certificate:.3f}"
    blind_p, blind_c, _ = first_hire_pay_within(run("baseline", "market.ability_wage_return=0", "market.ai_skill_premium=0"))
    assert blind_p < 1.02 * blind_c, f"without ability pay and the AI-skills premium the pay advantage should vanish; {blind_p:.3f} against {blind_c:.3f}"


def test_subsidised_seats_narrow_the_pay_gap_through_the_ai_skill_premium(run):
    """Attribution for the story page's verdict: under retraining_push the first-hire pay gap narrows, and the
    within-occupation AI-skill premium is what narrows it.

    China profile of 2026-12-02, seed 1: project 0.919 against certificate 0.871 under retraining_push (4.8 points;
    9.1 in baseline); with market.ai_skill_premium=0, 0.873 against 0.777 (9.6 points; 9.7 in baseline). The
    premium raises certificate completers' pay more than project completers' when seats are subsidised.
    """
    def gap(*args):
        project, certificate, _ = first_hire_pay_within(run(*args))
        return project - certificate
    push, base = gap("retraining_push"), gap("baseline")
    push_0, base_0 = gap("retraining_push", "market.ai_skill_premium=0"), gap("baseline", "market.ai_skill_premium=0")
    assert push < base - 0.03, f"the push should narrow the pay gap: {push:+.3f} against {base:+.3f} in baseline"
    assert push_0 > push + 0.04, f"without the AI-skill premium the push's pay gap should reopen: {push_0:+.3f} against {push:+.3f}"
    assert abs(push_0 - base_0) < 0.03, f"without the premium the gap should be about baseline's: {push_0:+.3f} against {base_0:+.3f}"


def test_the_able_and_time_rich_choose_the_project(compose_cfg):
    """Project completers have higher ability and lower time cost than certificate completers (selection on both)."""
    m = LaborMarketModel(compose_cfg("baseline", SEED, WORKERS, MONTHS))
    m.run()
    w, n = m.workers, m.next_slot
    done = np.flatnonzero(w.trained_month[:n] >= 1)
    project, certificate = (done[w.credential[done] == code] for code in (PROJECT, CERTIFICATE))
    assert project.size >= 50 and certificate.size >= 50, f"too few completers: project {project.size}, certificate {certificate.size}"
    a_p, a_c = float(w.ability[project].mean()), float(w.ability[certificate].mean())
    t_p, t_c = float(w.time_cost[project].mean()), float(w.time_cost[certificate].mean())
    assert a_p > a_c + 0.5, f"project completers should be abler: mean ability {a_p:+.2f} against {a_c:+.2f}"
    assert t_p < t_c, f"project completers should have a lower time cost: {t_p:.2f} against {t_c:.2f}"
    seen = w.ability_seen[project]
    assert np.all(np.abs(seen) <= np.abs(w.ability[project]) + 1e-5), "employers' belief moves towards the ability, never past it"
