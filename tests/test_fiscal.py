"""The fiscal ledger (simulation/processes/fiscal.py): lines that add up, zero without policy, priced as documented.

Every ``outlay_*`` and ``revenue_*`` line is summed into ``fiscal_outlays``, ``fiscal_revenue`` and
``fiscal_net_cost`` each month, and summary.json holds their totals plain and discounted to month 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config import iter_params
from simulation.model import LaborMarketModel
from simulation.results import fiscal_summary
from simulation.runner import compose, run_config

WORKERS, MONTHS = 2_000, 24
LEVERS = sorted({name.split(".")[1] for name, *_ in iter_params() if name.startswith("policy.")})


def _cfg(scenario: str, *extra: str):
    return compose(scenario, [f"workers={WORKERS}", f"months={MONTHS}", "seed=3", "burn_in_months=12", "progress=false",
                              "figures=false", *extra])


def _lines(ts):
    return [c for c in ts.columns if c.startswith(("outlay_", "revenue_"))]


@pytest.fixture(scope="module")
def push():
    """national_ai_push with the automation tax on too: outlays and a revenue."""
    return run_config(_cfg("national_ai_push", "policy.automation_tax.enabled=true", "policy.automation_tax.rate=0.05"))


def test_monthly_totals_are_the_sum_of_the_lines(push):
    ts = push.timeseries
    outlays = ts[[c for c in _lines(ts) if c.startswith("outlay_")]].sum(axis=1)
    revenue = ts[[c for c in _lines(ts) if c.startswith("revenue_")]].sum(axis=1)
    np.testing.assert_allclose(ts["fiscal_outlays"], outlays, rtol=1e-12)
    np.testing.assert_allclose(ts["fiscal_revenue"], revenue, rtol=1e-12)
    np.testing.assert_allclose(ts["fiscal_net_cost"], outlays - revenue, rtol=1e-12, atol=1e-6)
    assert ts["outlay_adoption_subsidy"].iloc[1:].gt(0).all() and ts["outlay_public_ai"].iloc[1:].gt(0).all()
    assert ts["revenue_automation_tax"].iloc[1:].gt(0).all()
    assert (ts.loc[0, _lines(ts) + ["fiscal_net_cost"]] == 0).all(), "month 0 is the initial state, with no flows"


def test_summary_totals_equal_the_sum_of_the_monthly_lines(push):
    ts, s = push.timeseries, push.summary
    for c in _lines(ts) + ["fiscal_outlays", "fiscal_revenue", "fiscal_net_cost"]:
        assert s[f"{c}_total"] == pytest.approx(ts[c].sum(), rel=1e-12)
    r = push.config["fiscal"]["discount_rate"]
    assert r > 0
    weights = (1 + r) ** (-ts["month"] / 12)
    assert s["fiscal_net_cost_discounted"] == pytest.approx((ts["fiscal_net_cost"] * weights).sum(), rel=1e-12)
    assert 0 < s["fiscal_net_cost_discounted"] < s["fiscal_net_cost_total"]
    assert fiscal_summary(ts, 0.0)["fiscal_net_cost_discounted"] == pytest.approx(s["fiscal_net_cost_total"])


def test_no_policy_means_no_outlays_and_no_revenue():
    off = [f"policy.{lever}.enabled=false" for lever in LEVERS]
    res = run_config(_cfg("baseline", *off))
    ts = res.timeseries
    assert (ts[_lines(ts) + ["fiscal_outlays", "fiscal_revenue", "fiscal_net_cost"]] == 0).all().all()
    assert res.summary["fiscal_net_cost_total"] == 0.0


def test_adoption_levers_are_priced_on_firms_adoption_and_budgets():
    """outlay = rate x cost x sum_f a_f B_f x scale; tax = rate x sum_f a_f B_f x scale (at the recorded month)."""
    cfg = _cfg("national_ai_push", "policy.automation_tax.enabled=true", "policy.automation_tax.rate=0.05",
               "fiscal.adoption_money_scale=2.0", "months=6")
    model = LaborMarketModel(cfg)
    model.run()
    row = model.results().timeseries.iloc[-1]
    spend = float(model.firms.adoption @ model.firms.base_budget) * 2.0
    assert row["outlay_adoption_subsidy"] == pytest.approx(0.5 * cfg.ai.adoption_cost * spend, rel=1e-12)
    assert row["revenue_automation_tax"] == pytest.approx(0.05 * spend, rel=1e-12)


def test_public_ai_outlay_grows_with_the_public_share():
    """The public AI line is the public share of AI-core wage bills: a larger share costs more."""
    small = run_config(_cfg("national_ai_push", "policy.public_ai_demand.share=0.1")).summary["outlay_public_ai_total"]
    large = run_config(_cfg("national_ai_push", "policy.public_ai_demand.share=0.5")).summary["outlay_public_ai_total"]
    assert 0 < small < large
