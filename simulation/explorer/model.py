"""The model the explorer drives: flat keyword arguments (one per control) into a validated config.

Mesa's SolaraViz rebuilds the model on Reset by calling its class with the
controls' values as keyword arguments, so :class:`ExplorerModel` takes flat
keywords and builds the run's :class:`~simulation.config.Config` with
:func:`explorer_config`: the chosen scenario is composed as the command line
composes it, then the controls act on it.

How the controls act on the scenario:

* AI sliders are multipliers (``x scenario``) of the scenario's own value, so
  ``1.0`` everywhere reproduces the scenario exactly (``rapid_adoption``'s
  faster adoption stays faster, ``hype_cycle`` keeps its own revision rate);
* each policy lever is a choice: ``scenario`` keeps the scenario's setting,
  ``on`` switches the lever on (from the scenario's start month), ``off``
  switches it off; the retraining subsidy's cost share and seats apply when
  the lever is switched ``on`` here.
"""

from __future__ import annotations

import threading

from ..composition import compose, scenario_names
from ..config import Config, ConfigError, to_config
from ..model import LaborMarketModel

LEVER_CHOICES = ("scenario", "on", "off")

# control name -> dotted config key it multiplies (the AI sliders)
AI_MULTIPLIERS = {
    "capability_growth_x": "ai.capability_growth",
    "adoption_speed_x": "ai.adoption_revision_rate",
    "adoption_cost_x": "ai.adoption_cost",
    "automation_strength_x": "ai.automation_strength",
}

# control name -> policy lever it switches
LEVERS = {
    "retraining_subsidy": "retraining_subsidy",
    "hiring_subsidy": "hiring_subsidy",
    "adoption_subsidy": "adoption_subsidy",
    "automation_tax": "automation_tax",
    "unemployment_insurance": "unemployment_insurance",
}

_COMPOSE_LOCK = threading.Lock()  # Hydra's global state is not thread-safe; Solara serves sessions on threads


def _set(cfg, dotted: str, value) -> None:
    *parents, leaf = dotted.split(".")
    node = cfg
    for part in parents:
        node = node[part]
    node[leaf] = value


def _get(cfg, dotted: str):
    node = cfg
    for part in dotted.split("."):
        node = node[part]
    return node


def explorer_config(
    preset: str = "baseline",
    workers: int = 5_000,
    months: int = 120,
    seed: int = 0,
    capability_growth_x: float = 1.0,
    adoption_speed_x: float = 1.0,
    adoption_cost_x: float = 1.0,
    automation_strength_x: float = 1.0,
    retraining_subsidy: str = "scenario",
    retraining_cost_share: float = 0.5,
    retraining_seats_per_1000: float = 2.0,
    hiring_subsidy: str = "scenario",
    adoption_subsidy: str = "scenario",
    automation_tax: str = "scenario",
    unemployment_insurance: str = "scenario",
) -> Config:
    """The validated config of one explorer run: a scenario composed as on the command line, then the controls.

    Args:
        preset: scenario name (one of ``configs/scenario``).
        workers: initial population.
        months: horizon; the model stops there.
        seed: seed of the run.
        capability_growth_x: multiplier of the scenario's ``ai.capability_growth``.
        adoption_speed_x: multiplier of the scenario's ``ai.adoption_revision_rate``.
        adoption_cost_x: multiplier of the scenario's ``ai.adoption_cost``.
        automation_strength_x: multiplier of the scenario's ``ai.automation_strength``.
        retraining_subsidy: ``scenario``, ``on`` or ``off``.
        retraining_cost_share: cost share of the retraining subsidy when switched ``on`` here.
        retraining_seats_per_1000: seats per month per 1,000 workers when switched ``on`` here.
        hiring_subsidy: ``scenario``, ``on`` or ``off``.
        adoption_subsidy: ``scenario``, ``on`` or ``off``.
        automation_tax: ``scenario``, ``on`` or ``off``.
        unemployment_insurance: ``scenario``, ``on`` or ``off``.

    Returns:
        The typed, validated :class:`~simulation.config.Config`.

    Raises:
        ConfigError: a value out of its allowed range, an unknown scenario or lever choice (every problem named).

    """
    problems = []
    if preset not in scenario_names():
        problems.append(f"preset: got {preset!r}; allowed: one of {', '.join(scenario_names())}")
    choices = {"retraining_subsidy": retraining_subsidy, "hiring_subsidy": hiring_subsidy, "adoption_subsidy": adoption_subsidy,
               "automation_tax": automation_tax, "unemployment_insurance": unemployment_insurance}
    for name, choice in choices.items():
        if choice not in LEVER_CHOICES:
            problems.append(f"{name}: got {choice!r}; allowed: one of {', '.join(LEVER_CHOICES)}")
    multipliers = {"capability_growth_x": capability_growth_x, "adoption_speed_x": adoption_speed_x,
                   "adoption_cost_x": adoption_cost_x, "automation_strength_x": automation_strength_x}
    for name, value in multipliers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            problems.append(f"{name}: got {value!r}; allowed: a number >= 0 (multiplier of the scenario's value)")
    if problems:
        raise ConfigError(problems)

    overrides = [f"workers={int(workers)}", f"months={int(months)}", f"seed={int(seed)}", "progress=false", "figures=false"]
    with _COMPOSE_LOCK:
        cfg = compose(preset, overrides)
    for name, key in AI_MULTIPLIERS.items():
        _set(cfg, key, float(_get(cfg, key)) * float(multipliers[name]))
    for name, lever in LEVERS.items():
        if choices[name] != "scenario":
            _set(cfg, f"policy.{lever}.enabled", choices[name] == "on")
    if retraining_subsidy == "on":
        _set(cfg, "policy.retraining_subsidy.cost_share", float(retraining_cost_share))
        _set(cfg, "policy.retraining_subsidy.seats_per_1000", float(retraining_seats_per_1000))
    return to_config(cfg)


class ExplorerModel(LaborMarketModel):
    """:class:`~simulation.model.LaborMarketModel` built from the explorer's flat controls; stops at its horizon.

    Takes the keyword arguments of :func:`explorer_config` (each one a control
    of the page). ``running`` turns false once the horizon is reached, which
    greys out Mesa's Step and Play buttons.
    """

    # The controls are spelled out again here, not taken as **kwargs: Mesa reads them from this signature, and
    # under mesa 3.5 a **kwargs signature also receives Mesa's own ``scenario`` object on Reset.
    def __init__(
        self,
        preset: str = "baseline",
        workers: int = 5_000,
        months: int = 120,
        seed: int = 0,
        capability_growth_x: float = 1.0,
        adoption_speed_x: float = 1.0,
        adoption_cost_x: float = 1.0,
        automation_strength_x: float = 1.0,
        retraining_subsidy: str = "scenario",
        retraining_cost_share: float = 0.5,
        retraining_seats_per_1000: float = 2.0,
        hiring_subsidy: str = "scenario",
        adoption_subsidy: str = "scenario",
        automation_tax: str = "scenario",
        unemployment_insurance: str = "scenario",
    ):
        controls = dict(locals())
        controls.pop("self")
        controls.pop("__class__", None)
        self.controls = controls
        super().__init__(explorer_config(**controls))
        self.running = self.month < self.cfg.months

    def step(self) -> None:
        """Advance one month unless the horizon is reached (then stop)."""
        if self.month < self.cfg.months:
            super().step()
        self.running = self.month < self.cfg.months
