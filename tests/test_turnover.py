"""Turnover with real sources: match and firm shocks (layoffs), quits mostly job to job, who draws benefits.

* The JOLTS composition of separations holds in ``no_ai``: layoffs about 1.1% of
  employment a month, quits 1.6-2.5% of which at least half job to job, hires
  near 3.3-3.5%, unemployment flat after the first year.
* ``market.layoff_rate`` drives the idiosyncratic layoffs: at 0 they vanish in
  ``no_ai``; raised, unemployment rises.
* A quitter draws no unemployment insurance; a laid-off worker does.
* A graduate (never insured) has the reservation-wage path of an uninsured
  worker, not that of a worker still within the lever's benefit duration.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import LaborMarketModel
from simulation.processes import insurance
from simulation.runner import compose
from simulation.state import EMPLOYED, UNEMPLOYED

PROFILE = "us"  # JOLTS turnover is the US profile's target (China publishes no turnover series) (tests/conftest.py pins it)

COMPOSITION_WORKERS, COMPOSITION_MONTHS, COMPOSITION_SEEDS = 8_000, 120, (1, 2)


def make_config(scenario: str, seed: int, workers: int, months: int, extra_overrides=()):
    return compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false", *extra_overrides])


def _rates(ts) -> dict:
    """Mean monthly flows (percent of last month's employment) over months 1..end, and unemployment at months 12 and end."""
    e = ts["employed"].shift(1)

    def pct(x):
        return float((x / e).iloc[1:].mean() * 100)

    u = ts["unemployment_rate"].to_numpy() * 100
    return {"layoffs": pct(ts["separations_ai"] + ts["layoffs_other"]), "quits_u": pct(ts["quits"]), "job_to_job": pct(ts["job_to_job"]),
            "quits": pct(ts["quits"] + ts["job_to_job"]), "hires": pct(ts["hires"]), "u12": float(u[12]), "u_end": float(u[-1]),
            "u_mean": float(u[12:].mean())}


@pytest.fixture(scope="module")
def composition(run_scenario_fn):
    runs = [run_scenario_fn("no_ai", seed=s, workers=COMPOSITION_WORKERS, months=COMPOSITION_MONTHS) for s in COMPOSITION_SEEDS]
    per_seed = [_rates(r.timeseries) for r in runs]
    return runs, {k: float(np.mean([p[k] for p in per_seed])) for k in per_seed[0]}


def test_jolts_composition_in_no_ai(composition):
    """Layoffs 0.8-1.5%, quits 1.6-2.5% (at least half job to job), quits into unemployment 0.4-0.9%, hires within 15% of 3.3-3.5%."""
    _, r = composition
    shown = ", ".join(f"{k} {v:.2f}" for k, v in r.items())
    assert 0.8 <= r["layoffs"] <= 1.5, f"layoffs should be 0.8-1.5% of employment a month (JOLTS 1.1-1.2%); {shown}"
    assert 1.6 <= r["quits"] <= 2.5, f"quits (into unemployment + job to job) should be 1.6-2.5% a month (JOLTS 2.0%); {shown}"
    assert r["job_to_job"] >= 0.5 * r["quits"], f"at least half of all quits should be job to job; {shown}"
    assert 0.4 <= r["quits_u"] <= 0.9, f"quits into unemployment should be a modest flow, 0.4-0.9% a month; {shown}"
    assert 3.3 * 0.85 <= r["hires"] <= 3.5 * 1.15, f"hires should be within 15% of 3.3-3.5% a month (JOLTS); {shown}"


def test_unemployment_is_flat_in_no_ai(composition):
    """Unemployment moves less than a point from month 12 to month 120 and stays in 3-6%.

    Before the flow out of the sector (market.olf_leave_rate) unemployment sat at about 7% and drifted: entrants came
    from other sectors and no one left for them, so the population outgrew the trend of demand and aged.
    """
    _, r = composition
    shown = ", ".join(f"{k} {v:.2f}" for k, v in r.items())
    assert abs(r["u_end"] - r["u12"]) < 1.0, f"unemployment should drift less than a point from month 12 to the end; {shown}"
    assert 3.0 <= r["u_mean"] <= 6.0, f"unemployment should be 3-6% in no_ai; {shown}"


def test_rate_outputs_match_the_flows(composition):
    """``layoff_rate`` and ``quit_rate_total`` are the month's layoffs and quits over last month's employment."""
    runs, _ = composition
    ts = runs[0].timeseries
    e = ts["employed"].shift(1).iloc[1:].to_numpy()
    lay = (ts["separations_ai"] + ts["layoffs_other"]).iloc[1:].to_numpy() / e
    quits = (ts["quits"] + ts["job_to_job"]).iloc[1:].to_numpy() / e
    np.testing.assert_allclose(ts["layoff_rate"].iloc[1:], lay, rtol=1e-12, err_msg="layoff_rate != all layoffs / last month's employment")
    np.testing.assert_allclose(ts["quit_rate_total"].iloc[1:], quits, rtol=1e-12, err_msg="quit_rate_total != all quits / last month's employment")
    assert ts["layoff_rate"].iloc[0] == 0 and ts["quit_rate_total"].iloc[0] == 0, "month 0 has no flows"


def test_layoff_rate_drives_layoffs_and_unemployment(run_scenario_fn):
    """No match and firm shocks: layoffs near zero in no_ai; more of them: higher unemployment."""
    rates = {lr: _rates(run_scenario_fn("no_ai", 4, 4_000, 36, (f"market.layoff_rate={lr}",)).timeseries)
             for lr in (0.0, 0.011, 0.03)}
    assert rates[0.0]["layoffs"] < 0.1, f"with layoff_rate=0, no_ai should have almost no layoffs; got {rates[0.0]['layoffs']:.3f}%"
    assert rates[0.011]["layoffs"] > 0.8, f"with layoff_rate=0.011 layoffs should be about 1.1%; got {rates[0.011]['layoffs']:.3f}%"
    u = {lr: r["u_mean"] for lr, r in rates.items()}
    assert u[0.0] < u[0.011] < u[0.03], f"unemployment should rise with the layoff rate; got {u}"


def _one_month(quit_rate: float, layoff_rate: float):
    """no_ai (status-quo insurance: 6 months at 30%) with only one kind of separation; the workers who left a job in month 1."""
    cfg = make_config("no_ai", seed=5, workers=3_000, months=2,
                      extra_overrides=(f"market.quit_rate={quit_rate}", f"market.layoff_rate={layoff_rate}", "burn_in_months=0"))
    m = LaborMarketModel(cfg)
    n0 = m.next_slot
    was_employed = m.workers.status[:n0] == EMPLOYED
    m.step()
    left = np.flatnonzero(was_employed & (m.workers.status[:n0] == UNEMPLOYED))
    return m, left


def test_a_quitter_draws_no_benefits_a_laid_off_worker_does():
    m, quitters = _one_month(quit_rate=0.2, layoff_rate=0.0)
    assert m.flows["layoffs_other"] + m.flows["separations_ai"] == 0 and m.flows["quits"] > 100, "expected quits only"
    assert quitters.size > 30  # the quitters still unemployed at the end of the month (many are hired again within it)
    w = m.workers
    assert (w.ui_months_left[quitters] == 0).all(), "quitters must not draw unemployment insurance"
    assert (w.ui_months_granted[quitters] == 0).all(), "quitters are granted no benefit months"

    m, laid_off = _one_month(quit_rate=0.0, layoff_rate=0.2)
    assert m.flows["quits"] == 0 and m.flows["layoffs_other"] > 100, "expected layoffs only"
    duration = m.levers.ui_duration
    assert duration > 0 and m.levers.ui_replacement > 0, "the status-quo insurance should be on"
    w = m.workers
    assert (w.ui_months_granted[laid_off] == duration).all(), "a laid-off worker is granted the lever's benefit months"
    assert (w.ui_months_left[laid_off] == duration - 1).all(), "a laid-off worker draws benefits (one month used)"


def test_graduate_reservation_wage_is_that_of_an_uninsured_worker():
    """r = value (floor + (insured - floor)(1 - decay)^months): from the first month for a graduate, after the benefit months for a laid-off worker."""
    m = LaborMarketModel(make_config("baseline", seed=6, workers=1_000, months=1, extra_overrides=("burn_in_months=0",)))
    m.levers = m.policies.step(1)  # month 1's levers: the status-quo insurance is on
    mk, w = m.cfg.market, m.workers
    duration = m.levers.ui_duration
    assert duration > 0
    matching = next(p for p in m.processes if p.name == "matching")
    months = np.arange(13)
    ids = np.flatnonzero(w.status[: m.next_slot] == UNEMPLOYED)[: months.size]
    assert ids.size == months.size

    def path(granted: int, last: np.ndarray) -> np.ndarray:
        w.status[ids] = UNEMPLOYED
        w.wage[ids] = last
        w.months_unemployed[ids] = months
        w.ui_months_granted[ids] = granted
        w.ui_months_left[ids] = np.maximum(granted - months, 0)
        # the benefit a layoff grants at this last wage (replacement ratio 0.3, the reference: reservation_ratio_insured holds)
        w.ui_benefit[ids] = insurance.benefit(last, m.levers, m.ui_reference_wage) if granted else 0.0
        return matching._reservation(ids).astype(np.float64)

    def expected(last: np.ndarray, uninsured: np.ndarray) -> np.ndarray:
        return last * (mk.reservation_ratio_floor + (mk.reservation_ratio_insured - mk.reservation_ratio_floor) * (1 - mk.reservation_decay) ** uninsured)

    # the reference is the worker's market value (what an average employer of their occupation pays them at hire); a
    # graduate (never employed: no last wage) holds out for graduate_reservation_ratio of it and is never insured
    occ = w.occupation[ids]
    value = m.occupations.base_wage[occ] * m.market.wage_index[occ] * m.hire_pay(ids, w.fit[ids, occ], occ)
    np.testing.assert_allclose(path(0, np.full(ids.size, np.nan)), expected(mk.graduate_reservation_ratio * value, months), rtol=1e-5,
                               err_msg="a graduate's reservation wage should fall from the first month, as an uninsured worker's")
    # a laid-off worker: insured for the benefit months, then the same decline
    np.testing.assert_allclose(path(duration, value), expected(value, np.maximum(months - duration, 0)), rtol=1e-5,
                               err_msg="a laid-off worker's reservation wage should hold while insured")


# --------------------------------------------------------------------------- recruiting raises
def _recruiting_market(seed: int, *extra: str) -> tuple[float, float, float]:
    """no_ai, 3,000 workers x 24 months: (mean vacancy rate, mean unemployment rate, worst firm's vacancy rate at the end)."""
    m = LaborMarketModel(compose("no_ai", ["workers=3000", "months=24", f"seed={seed}", "progress=false", "figures=false", *extra]))
    for _ in range(24):
        m.step()
    demand, open_ = m.firms.demand.sum(axis=1), m.firms.vacancies.sum(axis=1)
    ts = m.results().timeseries
    return float(ts.vacancy_rate.mean()), float(ts.unemployment_rate.mean()), float((open_ / np.maximum(demand, 1)).max())


@pytest.mark.parametrize("seed", [1, 2])
def test_firms_that_cannot_hire_raise_pay(seed):
    """Attribution of market.recruiting_raise: without it, firms drawn with low pay premia keep most positions open.

    Measured (no_ai, 3,000 x 24): vacancy rate 5.6-5.9% and unemployment 4.6-4.9% with recruiting raises, the worst
    firm 10-11% open; without them 11-12% and 10-12%, the worst firm 64-71% open (no searcher takes its wage).
    """
    v, u, worst = _recruiting_market(seed)
    v0, u0, worst0 = _recruiting_market(seed, "market.recruiting_raise=0")
    assert worst < 0.25 < worst0, f"worst firm's share of positions open: {worst:.2f} with raises, {worst0:.2f} without"
    assert v0 > v + 0.03 and u0 > u + 0.03, f"vacancy and unemployment rates: with raises {v:.3f}, {u:.3f}; without {v0:.3f}, {u0:.3f}"
