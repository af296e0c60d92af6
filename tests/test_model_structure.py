"""The model's structure: the step order is checked, flows are declared, every declared output is filled."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import LaborMarketModel
from simulation.outputs import BY_OCCUPATION, Flows, flow, value
from simulation.processes import RECORDED, STEP_ORDER, check_order
from simulation.results import TIMESERIES_COLUMNS


@pytest.fixture(scope="module")
def model(compose_cfg):
    from simulation.config import to_config

    return LaborMarketModel(to_config(compose_cfg("baseline", 1, 600, 3)))


def test_step_order_is_the_declared_one(model):
    assert [p.name for p in model.processes] == [c.name for c in STEP_ORDER]
    assert model.STEP_ORDER == (*[c.name for c in STEP_ORDER], "record")


@pytest.mark.parametrize(("first", "second"), [("adoption", "demand"), ("demand", "separations"), ("vacancies", "matching"),
                                               ("matching", "wages"), ("drivers", "demand")])
def test_swapping_two_dependent_steps_fails_naming_them(model, first, second):
    order = list(model.processes)
    i, j = (next(k for k, p in enumerate(order) if p.name == n) for n in (first, second))
    order[i], order[j] = order[j], order[i]
    with pytest.raises(ValueError, match=rf"{second} reads .* written by .*{first}"):
        check_order(order)


def test_burn_in_order_skips_adoption_and_allows_its_state_held(model):
    check_order(model.processes, burning_in=True)  # demand reads adoption's state, held at month 0 in the burn-in
    assert [p.name for p in model.processes if not p.in_burn_in] == ["adoption"]


def test_an_undeclared_flow_raises_naming_the_declared_ones():
    fl = Flows([flow("quits", "q"), flow("hires", "h", table=BY_OCCUPATION)], {BY_OCCUPATION: 3})
    fl["quits"] += 2
    assert fl["quits"] == 2 and fl["hires_occ"].tolist() == [0, 0, 0]
    with pytest.raises(KeyError, match="not a declared flow.*quits"):
        fl["quitz"] += 1
    fl.reset()
    assert fl["quits"] == 0


def test_every_declared_output_is_filled_and_nothing_else(model):
    assert len(TIMESERIES_COLUMNS) == len(set(TIMESERIES_COLUMNS))
    rec = model.recorder
    original = model.census.record

    def forgetful(values):
        original(values)
        del values["wage_gini"]

    model.census.record = forgetful
    try:
        with pytest.raises(RuntimeError, match=r"missing \['wage_gini'\]"):
            rec.record()
    finally:
        model.census.record = original


def test_a_value_output_needs_a_recorder_and_a_cumulative_its_flow():
    with pytest.raises(ValueError, match="names the flow it sums"):
        from simulation.outputs import Output

        Output("x", "doc", "unit", kind="cumulative")
    assert value("x", "doc", "share").dtype == "float64"


def test_every_process_declares_its_name_and_only_known_kinds():
    names = [c.name for c in RECORDED]
    assert len(set(names)) == len(names) and all(names), names
    for c in RECORDED:
        for o in c.outputs:
            assert o.doc and o.unit, f"{c.name}.{o.name}: every output has a meaning and a unit"


def test_views_are_cached_not_leaked(model):
    n_agents = len(model.agents)
    for _ in range(3):
        model.worker(5)
        model.firm(0)
    model.worker(5)
    assert model.worker(5) is model.worker(5) and model.firm(0) is model.firm(0)
    assert len(model.agents) <= n_agents + 1, "asking for the same views again registered new Mesa agents"
    assert model.firm(0) is model.firm_agents[0]


# every parameter that was a literal in a mechanism, or that a mechanism added, moves an output: (key, another value, scenario)
FORMER_LITERALS = [
    ("market.exit_min_months", 6, "baseline"),
    ("market.exit_age_threshold", 15.0, "baseline"),
    ("market.long_term_penalty_months", 3, "baseline"),
    ("market.graduate_reservation_ratio", 1.2, "baseline"),
    ("market.rate_smoothing", 0.9, "baseline"),
    ("market.initial_spell_exit", 0.05, "baseline"),
    ("ai.hype_dispersion", 1.5, "hype_cycle"),
    ("firms.initial_adoption_concentration", 1.0, "baseline"),
    ("demography.initial_skill_noise", 0.2, "baseline"),
    ("demography.age_shape", 8.0, "baseline"),
    ("demography.graduate_age_span", 10.0, "baseline"),
    ("demography.graduate_skill_noise", 0.3, "baseline"),
    ("demography.entrant_age_min", 40.0, "baseline"),
    ("demography.entrant_age_span", 2.0, "baseline"),
    ("demography.entrant_skill_share", 0.5, "baseline"),
    ("demography.entrant_skill_noise", 0.3, "baseline"),
    ("retraining.age_cost_from", 50.0, "baseline"),
    ("retraining.signal_finding_gain", 40.0, "baseline"),
    # parameters added with the labour-market mechanisms (issue 14); their effects are attributed in test_turnover,
    # test_wages, test_lifecycle_flows and test_mobility, this only guards against a stub
    ("market.layoff_rate", 0.02, "baseline"),
    ("market.skill_wage_return", 2.0, "baseline"),
    ("market.experience_wage_return", 0.05, "baseline"),
    ("market.tenure_wage_growth", 0.01, "baseline"),
    ("market.tenure_wage_cap_months", 6, "baseline"),
    ("market.ai_skill_premium", 0.0, "baseline"),
    ("market.ai_skill_learning_rate", 0.2, "baseline"),
    ("market.initial_tenure_mean_months", 6.0, "baseline"),
    ("market.exit_rate_unemployed", 0.1, "baseline"),
    ("market.exit_rate_employed", 0.02, "baseline"),
    ("market.reentry_rate", 0.2, "baseline"),
    ("market.reentry_age_factor", 1.0, "baseline"),
    ("market.olf_leave_rate", 0.2, "baseline"),
    ("market.age_penalty", 0.1, "baseline"),
    ("market.age_preference_threshold", 25.0, "baseline"),
    ("market.specialisation_gap", 0.0, "baseline"),
    ("market.outside_search_tries", 1, "baseline"),
    ("firms.size_dispersion", 2.0, "baseline"),
    ("market.experience_transfer", 1.0, "baseline"),
    ("market.outside_tightness_ratio", 0.0, "baseline"),
    ("market.match_probability", 0.5, "baseline"),
    ("market.insured_search_effort", 1.0, "baseline"),
    ("market.recruiting_raise", 0.0, "baseline"),
    ("market.recruiting_threshold", 0.02, "baseline"),
]


@pytest.mark.parametrize(("key", "other", "scenario"), FORMER_LITERALS, ids=[k for k, _, _ in FORMER_LITERALS])
def test_former_literal_moves_an_output(run_scenario_fn, key, other, scenario):
    run_scenario = run_scenario_fn
    size = {"workers": 3000, "months": 24}  # large enough that the rarer paths (long spells, late-career trainees) occur
    base = run_scenario(scenario, seed=2, **size, extra_overrides=("burn_in_months=30",))
    moved = run_scenario(scenario, seed=2, **size, extra_overrides=("burn_in_months=30", f"{key}={other}"))
    same = all(base.tables()[t].equals(moved.tables()[t]) for t in ("timeseries", "by_occupation", "by_stage", "by_sector"))
    assert not same, f"{key}={other} changed no output of {scenario}: the parameter is a stub"


def test_streams_are_stable_per_name_and_month():
    from simulation.streams import Streams

    s = Streams(7)
    a = s.generator("matching", 3).random(4)
    assert np.array_equal(a, Streams(7).generator("matching", 3).random(4)), "the same stream must give the same numbers"
    assert not np.array_equal(a, s.generator("matching", 4).random(4)), "another month must give other numbers"
    assert not np.array_equal(a, s.generator("separations", 3).random(4)), "another process must give other numbers"
    assert not np.array_equal(a, Streams(8).generator("matching", 3).random(4)), "another seed must give other numbers"
    assert s.monthly("x", 1) is s.monthly("x", 1) and s.monthly("x", 2) is not s.monthly("x", 1)
    child = np.random.SeedSequence(7, spawn_key=s.sequence("matching", 3).spawn_key)
    assert np.array_equal(np.random.default_rng(child).random(4), a), "a stream is a spawned child of the run's SeedSequence"


def test_a_lever_leaves_the_processes_it_does_not_touch_drawing_the_same_numbers(run_scenario_fn):
    """retraining_push changes retraining and hiring levers only: adoption (its own stream) must not notice."""
    run_scenario = run_scenario_fn
    base = run_scenario("baseline", seed=3, workers=1_500, months=36)
    push = run_scenario("retraining_push", seed=3, workers=1_500, months=36)
    assert push.timeseries["retraining_started_subsidized"].sum() > 0, "the lever should act"
    assert not base.timeseries["unemployed"].equals(push.timeseries["unemployed"]), "the lever should move the market"
    for col in ("mean_ai_adoption", "mean_expected_return", "ai_capability", "demand_cycle"):
        assert base.timeseries[col].equals(push.timeseries[col]), f"{col} differs: a lever that does not touch adoption changed its draws"


@pytest.mark.parametrize("overrides", [("workers=10", "months=1"), ("workers=10", "months=12", "firms.workers_per_firm=1")])
def test_no_nan_warning_or_impossible_value_at_the_smallest_allowed_sizes(overrides):
    import warnings

    from simulation import run

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = run(scenario="baseline", overrides=list(overrides))
    for name, df in res.tables().items():
        nan = [c for c in df if df[c].isna().any()]
        assert not nan, f"{name}: NaN in {nan} at {overrides}"
    ts = res.timeseries
    assert (ts["ai_wage_premium"] > -1.0).all(), "an AI wage premium of -100% (no AI-core employee) is not a premium"
    assert (ts["min_budget_slack"] >= 0).all()
