"""The model's house rules: the step order is checked, flows are declared, every declared output is filled."""

from __future__ import annotations

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
