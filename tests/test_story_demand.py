"""Issue 15, items 1-3: two lanes, payroll-bound hiring, stubborn AI demand under a national priority.

One experiment per acceptance check at 20,000 workers x 120 months on seed 1, plus attributions that switch
the mechanism off. Values measured on the US profile (seed 1; seeds 2 and 3 in brackets), re-measured on 2026-12-01:

* two lanes (baseline): AI-core vacancies per unemployed 1.62, 1.79, 2.19, 3.25, 4.16, ... 1.82 in years 1-10 against
  1.15, 1.06, 0.97, 0.84, 0.66, ... 0.58 for traditional roles; AI-core wage index 1.109 [1.120, 1.132] at month 60.
* payroll-bound hiring (baseline): the payroll budget or the AI envelope binds in 41.5% [42.5, 41.7] of firm-months
  (7.6% [6.4, 7.3] with a far larger envelope, firms.ai_budget_share=5); halving firms.ai_budget_share lowers AI-core
  demand at month 60 by 9.2% [7.7, 6.7] but AI-core employment by only 4.8% [4.1, 3.4] (the issue's 10% is an expected
  failure), for two measured reasons. The AI-core lane is supply-bound: less money removes open positions more than
  staff. And by month 60 the envelope has funded little of AI-core growth: with no growth of the envelope at all
  (firms.ai_budget_share=0) AI-core demand at month 60 is 15.9% [15.0, 14.4] lower and AI-core employment 7.6% [7.5, 7.0]
  lower, so no budget share can make a halving reach 10% at month 60 without a faster AI-core path than the one the
  profile is calibrated to (AI-core employment about doubling over ten years, most of it after month 60); by month 120
  the same halving lowers AI-core employment by 9.2% [11.1, 10.9]. In an AI boom that the budget pays for (``AI_BOOM``:
  firms want far more AI-core staff than their envelope allows and train their own engineers into the roles the market
  cannot fill) the halving lowers AI-core employment at month 60 by 12.4% [12.1, 12.5], and by 5.8% [5.4, 6.9] without
  the internal transfers. That boom is not the default: it loosens the AI-core lane and makes re-employment so easy for
  the displaced that the issue-14 targets (the late-career gap, the displaced out of the labour force) are missed with
  today's other parameters. With the transfers alone (``laborshift-validate profile=us firms.internal_transfer_rate=0.1``)
  late-career re-employment within 12 months is 8.8 points below mid-career against the 10 required, and 7.4% of the
  displaced are out of the labour force against the survey's 18.2%.
* stubborn demand: AI-core demand falls 6.6% [2.9, 5.0] peak to trough under hype_cycle (ai.hype_disillusion: the
  expectation undershoots the realised return after a stall; 2.6% without it) and 0.5% [1.4, 1.3] with the national
  push; with the push but without its backstop (policy.public_ai_demand.backstop=0), 4.8% [2.9, 3.5].
"""

from __future__ import annotations

import pytest

PROFILE = "us"  # the budget checks were measured on the US profile; the China profile's AI-core lane trend grows the AI envelope (tests/conftest.py pins it)

WORKERS, MONTHS, SEED = 20_000, 120, 1
DEFAULT_AI_BUDGET_SHARE = 0.25
# an AI boom that the AI budget pays for: firms want far more AI-core staff than their envelope allows (ai.builder_demand_gain),
# the envelope grows twice as fast, half of it taken from other roles, and firms fill what the market cannot by training
# their own engineers
AI_BOOM = ("ai.builder_demand_gain=5.0", "firms.ai_budget_share=0.5", "firms.ai_new_money=0.5", "firms.internal_transfer_rate=0.1")
PUSH = ("policy.adoption_subsidy.enabled=true", "policy.public_ai_demand.enabled=true", "policy.public_ai_demand.share=0.3")


def lane_totals(res, column: str) -> object:
    """Monthly totals of a by-occupation column per lane (a DataFrame: month x lane)."""
    return res.by_occupation.groupby(["month", "lane"])[column].sum().unstack("lane")


def ai_core_fall(res) -> float:
    """Largest relative fall of AI-core demand from a running peak (peak to trough)."""
    d = lane_totals(res, "demand")["ai_core"]
    return float((1.0 - d / d.cummax()).max())


@pytest.fixture(scope="module")
def run(run_scenario_fn):
    """run(scenario, *overrides) at the module's size and seed (cached)."""
    return lambda scenario, *extra: run_scenario_fn(scenario, SEED, WORKERS, MONTHS, extra)


def test_ai_core_is_the_tight_lane(run):
    """AI-core vacancies per unemployed exceed traditional roles' in every year after the first; AI-core wages rise."""
    res = run("baseline")
    bo = res.by_occupation.query("month >= 1")
    year = (bo.month - 1) // 12 + 1
    per_year = bo.groupby([year, "lane"])[["vacancies", "unemployed"]].sum()
    theta = (per_year.vacancies / per_year.unemployed).unstack("lane")
    later = theta.loc[theta.index > 1]
    assert (later.ai_core > later.traditional).all(), f"AI-core must be the tight lane every year after the first:\n{theta}"
    emp = bo.query("month == 60 and lane == 'ai_core'")
    index = float((emp.wage_index * emp.employed).sum() / emp.employed.sum())
    assert index > 1.05, f"the AI-core wage index must rise above 1.05 by month 60; got {index:.3f}"


def test_budget_binds_often(run):
    """The payroll budget or its AI envelope binds in at least 5% of firm-months in baseline."""
    share = float(run("baseline").timeseries.query("month >= 1").budget_bound_share.mean())
    assert share >= 0.05, f"budgets must bind in at least 5% of firm-months; got {share:.4f}"


def test_budget_binding_is_the_envelope(run):
    """Attribution: with a far larger AI envelope (firms.ai_budget_share=5) budgets bind far less often."""
    def share(*extra):
        return float(run("baseline", *extra).timeseries.query("month >= 1").budget_bound_share.mean())
    default, loose = share(), share("firms.ai_budget_share=5.0")
    assert loose < 0.6 * default, f"a looser AI envelope should bind far less often: {loose:.3f} vs {default:.3f}"


def core_at_60(run, column: str, *extra) -> tuple[float, float]:
    """AI-core ``column`` at month 60 in baseline with ``extra`` and with half its AI budget share."""
    cfg = dict(o.split("=", 1) for o in extra)
    share = float(cfg.get("firms.ai_budget_share", DEFAULT_AI_BUDGET_SHARE))
    full = lane_totals(run("baseline", *extra), column).loc[60, "ai_core"]
    half = lane_totals(run("baseline", *extra, f"firms.ai_budget_share={share / 2}"), column).loc[60, "ai_core"]
    return float(full), float(half)


def test_halving_ai_budget_lowers_ai_core_demand(run):
    """Halving firms.ai_budget_share lowers AI-core demand at month 60 (the envelope binds)."""
    full, half = core_at_60(run, "demand")
    assert half < 0.97 * full, f"halving the AI budget share must lower AI-core demand at month 60: {half} vs {full}"


@pytest.mark.xfail(strict=True, reason="issue 15 item 2 not met at the defaults: AI-core employment at month 60 is 4.8% lower, not 10% "
                   "(supply-bound lane; and no envelope growth at all lowers it only 7.6%, test_month_60_is_beyond_any_halving); met in "
                   "an AI boom with internal transfers (test_ai_boom_with_transfers_...), which break issue-14 targets")
def test_halving_ai_budget_lowers_ai_core_employment(run):
    """Issue 15's acceptance: halving the AI budget share lowers AI-core employment at month 60 by at least 10%."""
    full, half = core_at_60(run, "employed")
    assert half <= 0.9 * full, f"AI-core employment at month 60: {half} with half the budget share vs {full}"


def test_month_60_is_beyond_any_halving(run):
    """Attribution of the expected failure above: by month 60 the AI envelope has funded too little of AI-core growth.

    With no growth of the envelope at all (``firms.ai_budget_share=0``) AI-core employment at month 60 is lower than at
    the defaults, by more than a halving lowers it (the envelope is the mechanism), but by less than 10%: so no halving
    can lower it by 10% at month 60 on this AI-core path.
    """
    full, half = core_at_60(run, "employed")
    none = float(lane_totals(run("baseline", "firms.ai_budget_share=0"), "employed").loc[60, "ai_core"])
    assert none < half < full, f"AI-core employment at month 60 must fall with the envelope: {none} (none), {half} (half), {full}"
    assert none > 0.9 * full, f"with no envelope growth AI-core employment falls {1 - none / full:.3f}; the halving check may now be reachable"


def test_ai_boom_with_transfers_halving_ai_budget_lowers_ai_core_employment(run):
    """With firms that train their own staff and an AI envelope that binds, half the AI budget means 10% fewer AI-core staff."""
    full, half = core_at_60(run, "employed", *AI_BOOM)
    assert half <= 0.9 * full, f"AI-core employment at month 60: {half} with half the budget share vs {full}"


def test_budget_moves_employment_through_internal_transfers(run):
    """Attribution: without internal transfers the AI-core lane is more supply-bound and the budget moves employment less."""
    full, half = core_at_60(run, "employed", *AI_BOOM)
    full_0, half_0 = core_at_60(run, "employed", *AI_BOOM, "firms.internal_transfer_rate=0")
    drop, drop_0 = 1.0 - half / full, 1.0 - half_0 / full_0
    assert drop_0 < drop - 0.03, f"without internal transfers halving the AI budget should move AI-core employment less: {drop_0:.3f} vs {drop:.3f}"
    assert lane_totals(run("baseline", *AI_BOOM), "internal_transfers").loc[1:, "ai_core"].sum() > 0, "transfers happen"


def test_national_push_keeps_ai_demand_stubborn(run):
    """Under hype_cycle with the national push, AI-core demand falls at least a third less than under hype alone."""
    alone, pushed = ai_core_fall(run("hype_cycle")), ai_core_fall(run("hype_cycle", *PUSH))
    assert alone > 0.01, f"hype_cycle must have a bust in AI-core demand; fall {alone:.3f}"
    assert pushed <= alone * 2 / 3, f"the push must make the bust a third shallower: {pushed:.3f} vs {alone:.3f}"


def test_stubbornness_is_the_backstop(run):
    """Attribution: under the push, the public backstop of stalled projects is what makes the bust shallower."""
    with_backstop = ai_core_fall(run("hype_cycle", *PUSH))
    without = ai_core_fall(run("hype_cycle", *PUSH, "policy.public_ai_demand.backstop=0"))
    assert with_backstop <= without * 2 / 3, f"the backstop must make the bust shallower: {with_backstop:.3f} vs {without:.3f}"


def test_disillusion_deepens_the_hype_bust(run):
    """Attribution: the hype bust comes mostly from expectations undershooting the realised return after a stall."""
    with_trough = ai_core_fall(run("hype_cycle"))
    without = ai_core_fall(run("hype_cycle", "ai.hype_disillusion=0"))
    assert without < 0.6 * with_trough, f"without the trough of disillusionment the bust should be far shallower: {without:.3f} vs {with_trough:.3f}"


def test_the_ai_budget_competes_with_other_roles(run):
    """firms.ai_new_money below 1 takes part of the AI envelope's growth from other roles: in the AI boom, traditional demand
    at month 120 is 2.7% lower with half of it new money than with all of it and more (seed 1: 18,107 against 18,614),
    while AI-core demand is the same (5,798 against 5,788)."""
    competing = lane_totals(run("baseline", *AI_BOOM), "demand").loc[120]
    funded = lane_totals(run("baseline", *AI_BOOM, "firms.ai_new_money=2.0"), "demand").loc[120]
    assert competing["traditional"] < 0.98 * funded["traditional"], f"traditional demand: {competing['traditional']} vs {funded['traditional']}"
    assert abs(competing["ai_core"] / funded["ai_core"] - 1) < 0.01, f"AI-core demand: {competing['ai_core']} vs {funded['ai_core']}"


def test_transfers_need_fit(run):
    """firms.internal_transfer_min_fit screens who can be trained into an AI-core role: in the AI boom, 2,727 transfers
    over ten years at 0.7 (seed 1), 1,160 at 0.9."""
    def transfers(*extra):
        return int(run("baseline", *AI_BOOM, *extra).timeseries.internal_transfers.sum())
    default, strict = transfers(), transfers("firms.internal_transfer_min_fit=0.9")
    assert strict < 0.6 * default, f"a stricter fit screen should transfer far fewer: {strict} vs {default}"
