"""``compose`` gives exactly the config Hydra composes, though it composes each set of group choices only once.

:func:`simulation.composition.compose` merges the defaults list (schema, profile, scenario) through Hydra once per set
of group choices and sets the plain ``key=value`` overrides on a copy, as Hydra does after its merge. These tests
compare it with Hydra's own composition on every scenario and profile and on the kinds of values the command line
takes, and check that the cached part is never shared or stale.
"""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from simulation import composition
from simulation.composition import compose, hydra_compose, profile_names, scenario_names
from simulation.config import ConfigError

VALUES = [
    [],
    ["workers=500", "months=12", "seed=3", "progress=false", "figures=false"],
    ["market.layoff_rate=0.0125", "ai.adoption_cost=5e-2", "firms.ai_budget_share=1"],  # an int where a float is wanted
    ["description=two words", "check_memory=false", "demography.graduate_offer_share=0.5"],
]


def same(a, b) -> bool:
    return OmegaConf.to_yaml(a) == OmegaConf.to_yaml(b) and OmegaConf.get_type(a) is OmegaConf.get_type(b)


@pytest.mark.parametrize("profile", profile_names())
def test_compose_equals_hydra_on_every_scenario(profile):
    """Every scenario on the default profile; the others on two scenarios (each new set of choices costs a Hydra composition)."""
    for scenario in scenario_names() if profile == "china" else ["baseline", "no_ai"]:
        overrides = [f"profile={profile}", *VALUES[1], *VALUES[2]]
        fast = compose(scenario, overrides)
        slow = hydra_compose([f"scenario={scenario}", *overrides])
        assert same(fast, slow), f"profile={profile} scenario={scenario}: compose differs from Hydra's composition"


@pytest.mark.parametrize("values", VALUES, ids=["none", "size", "numbers", "text-and-flags"])
def test_compose_equals_hydra_on_every_kind_of_value(values):
    assert same(compose("hype_cycle", values), hydra_compose(["scenario=hype_cycle", *values])), values


def test_group_choices_anywhere_in_the_list_and_the_last_value_wins_as_in_hydra():
    overrides = ["workers=800", "scenario=no_ai", "market.quit_rate=0.02", "profile=us"]
    assert same(compose(None, overrides), hydra_compose(overrides))


def test_a_returned_config_is_the_callers_own():
    first = compose("baseline", ["workers=500"])
    first.workers = 12345
    first.market.layoff_rate = 0.5
    again = compose("baseline", ["workers=500"])
    assert again.workers == 500 and again.market.layoff_rate != 0.5


def test_a_replaced_composer_gets_its_own_cache(monkeypatch):
    """A test module that pins a profile replaces ``hydra_compose``; the cache must not hand it the other profile's config."""
    china = compose("baseline", [])
    original = composition.hydra_compose
    monkeypatch.setattr(composition, "hydra_compose", lambda ov, name=composition.CONFIG_NAME: original(["profile=us", *ov], name))
    pinned = compose("baseline", [])
    assert OmegaConf.to_yaml(pinned) == OmegaConf.to_yaml(hydra_compose(["profile=us", "scenario=baseline"]))
    assert OmegaConf.to_yaml(pinned) != OmegaConf.to_yaml(china)


@pytest.mark.parametrize(("overrides", "says"), [
    (["market.layoff_rate=abc"], "market.layoff_rate"),
    (["scenario=mars"], "scenario: got 'mars'"),
    (["workers=[1,2]"], "workers"),
])
def test_errors_are_hydras_own(overrides, says):
    with pytest.raises(ConfigError) as err:
        compose(None, overrides)
    assert any(says in p for p in err.value.problems), err.value.problems
