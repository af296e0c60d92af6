"""Sensitivity analysis on a regional scenario (issue 18): the product market's elasticity among the varied parameters.

``regions=china_us`` makes every design row a regional run (``run_regional_row``) and its outputs
``<region>.<indicator>`` (``regional_outputs``). Measured (Morris, 3 trajectories, 4 levels, chip_controls, 1,000
workers a region, 48 months, seed 2; on the China profile of 2026-12-02): mu* of the trade elasticity on the US's
labour-demand growth in the shared sectors 0.0568 (mu +0.0568: steps of 5.33 in the elasticity raise US demand; sigma
0, as every trajectory draws the same step under common random numbers). The share the US wins builds up over the
months, and at this size the step's effect is clear of the noise only after a few years: at 36 months it was 0.0209 on
seed 2 and 0.0447 on seed 3 (and 0.0329 on seed 2 before courses into AI-adjacent roles stopped teaching premium AI
skills), at 24 months and 2 trajectories 0.0149 (just under the test's 0.015); mu* of
``policy.retraining_subsidy.cost_share`` (the subsidy is off in chip_controls: a dummy) exactly 0, as the runs share
their seed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.config import ConfigError
from simulation.sensitivity import SensitivityConfig, analyze, check, compose_problem, design, ranges, run_regional_row

OUT = "us.shared_demand_growth"


def _problem() -> SensitivityConfig:
    return SensitivityConfig(name="t", method="morris", samples=3, scenario="chip_controls", workers=1000, months=48, seed=2,
                             regions="china_us", outputs=[OUT, "china.net_ai_core_inflow"],
                             parameters={"regions": {"trade_elasticity": [0.0, 8.0]},
                                         "policy": {"retraining_subsidy": {"cost_share": [0.0, 0.9]}}})


def test_shipped_regional_problem_checks():
    cfg = compose_problem(["sensitivity=product_market"])
    assert cfg.regions == "china_us" and cfg.scenario == "chip_controls"
    assert {"regions.trade_elasticity", "regions.migration_cost", "regions.move_rate_ai_core"} <= set(ranges(cfg))


@pytest.mark.parametrize("change, named", [({"outputs": ["us.nonsense"]}, "outputs"), ({"regions": "mars"}, "regions"),
                                           ({"parameters": {"regions": {"trade_elasticity": [0.0, 30.0]}, "ai": {"capability_growth": [0.03, 0.1]}}},
                                            "parameters.regions.trade_elasticity")])
def test_bad_regional_problem_is_named(change, named):
    cfg = _problem()
    for k, v in change.items():
        setattr(cfg, k, v)
    with pytest.raises(ConfigError, match=named):
        check(cfg)


def test_elasticity_moves_the_other_regions_shared_demand_and_a_dummy_does_not(tmp_path):
    cfg = _problem()
    check(cfg)
    x = design(cfg)
    summaries = [run_regional_row(cfg, r, tmp_path / f"row-{int(r['row'])}") for _, r in x.iterrows()]
    y = pd.DataFrame([{"row": i, **{o: s[o] for o in cfg.outputs}} for i, s in enumerate(summaries)])
    assert run_regional_row(cfg, x.iloc[0], tmp_path / "row-0") == {"skipped": True}, "a complete row is not run again"
    ind = analyze(cfg, x, y)
    us = ind[ind["output"] == OUT].set_index("parameter")
    assert us.loc["regions.trade_elasticity", "mu_star"] > 0.015, f"the elasticity should move US shared-sector demand: {us}"
    assert us.loc["regions.trade_elasticity", "mu"] > 0, "a higher elasticity should raise US demand under chip controls (the US gains share)"
    assert us.loc["policy.retraining_subsidy.cost_share", "mu_star"] == pytest.approx(0.0, abs=1e-12), "a parameter the runs do not use"
