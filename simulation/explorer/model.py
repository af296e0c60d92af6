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

Regions (issue 18): ``regions=none`` is the one-region model, exactly as
before; ``regions=china_us`` composes the regional run as ``laborshift
regions=china_us`` does (:func:`~simulation.regions.compose_regions`: each
region's profile, its overrides and the scenario's for it), the controls then
act on every region's config alike (``workers`` is each region's population at
``size`` 1), and :class:`ExplorerModel` steps a
:class:`~simulation.regions.RegionalModel`; ``region`` picks the region whose
series the page shows. The regional scenarios (``global_race``,
``chip_controls``, ``talent_return``) need ``regions=china_us``.
"""

from __future__ import annotations

import functools
import threading

import mesa
import numpy as np

from ..composition import REGIONAL_SCENARIOS, compose, scenario_names
from ..config import Config, ConfigError, to_config
from ..model import LaborMarketModel
from ..regions import REGION_COLUMNS, RegionalModel, compose_regions, load_regions, regions_names

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


@functools.lru_cache(maxsize=8)
def _region_names(regions: str) -> tuple[str, ...]:
    if regions == "none":
        with _COMPOSE_LOCK:
            return (str(compose("baseline", ["progress=false"]).profile.name),)
    return tuple(load_regions(regions).members)


def region_names(regions: str) -> list[str]:
    """The regions a ``regions`` choice holds, in order (``none``: the one region, named by the default profile)."""
    return list(_region_names(regions))


def _control_problems(preset: str, regions: str, choices: dict, multipliers: dict) -> list[str]:
    problems = []
    if preset not in scenario_names():
        problems.append(f"preset: got {preset!r}; allowed: one of {', '.join(scenario_names())}")
    if regions not in regions_names():
        problems.append(f"regions: got {regions!r}; allowed: one of {', '.join(regions_names())}")
    elif regions == "none" and preset in REGIONAL_SCENARIOS:
        problems.append(f"preset: got {preset!r}, a regional scenario; allowed: with regions={', '.join(r for r in regions_names() if r != 'none')}, "
                        "or one of the one-region scenarios")
    for name, choice in choices.items():
        if choice not in LEVER_CHOICES:
            problems.append(f"{name}: got {choice!r}; allowed: one of {', '.join(LEVER_CHOICES)}")
    for name, value in multipliers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            problems.append(f"{name}: got {value!r}; allowed: a number >= 0 (multiplier of the scenario's value)")
    return problems


def _apply_controls(cfg, multipliers: dict, choices: dict, retraining_cost_share: float, retraining_seats_per_1000: float) -> None:
    """The controls acting on one composed config (a region's, or the one-region run's), in place."""
    for name, key in AI_MULTIPLIERS.items():
        _set(cfg, key, float(_get(cfg, key)) * float(multipliers[name]))
    for name, lever in LEVERS.items():
        if choices[name] != "scenario":
            _set(cfg, f"policy.{lever}.enabled", choices[name] == "on")
    if choices["retraining_subsidy"] == "on":
        _set(cfg, "policy.retraining_subsidy.cost_share", float(retraining_cost_share))
        _set(cfg, "policy.retraining_subsidy.seats_per_1000", float(retraining_seats_per_1000))


def explorer_runs(
    preset: str = "baseline",
    regions: str = "none",
    region: str = "china",
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
) -> tuple[dict[str, Config], object, int]:
    """Every region's validated config (one region for ``regions=none``), the regions config (None for ``none``) and the run's seed.

    With ``regions=none`` the one region is the run of today's
    explorer, named by its profile; otherwise each region's config is composed as ``laborshift regions=...``
    composes it (:func:`~simulation.regions.compose_regions`) and the controls act on each.

    Args:
        preset: scenario name (one of ``configs/scenario``; a regional one needs ``regions`` other than ``none``).
        regions: ``none`` (the one-region model) or a regions config of ``configs/regions`` (``china_us``).
        region: the region shown (with ``regions=none``: the one region, named by its profile, ``china``).
        workers: initial population (of each region at ``size`` 1).
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

    Raises:
        ConfigError: every problem named: an unknown scenario, regions config, region or lever choice, a
            regional scenario with ``regions=none``, a value out of range (a region's prefixed with its name).

    """
    choices = {"retraining_subsidy": retraining_subsidy, "hiring_subsidy": hiring_subsidy, "adoption_subsidy": adoption_subsidy,
               "automation_tax": automation_tax, "unemployment_insurance": unemployment_insurance}
    multipliers = {"capability_growth_x": capability_growth_x, "adoption_speed_x": adoption_speed_x,
                   "adoption_cost_x": adoption_cost_x, "automation_strength_x": automation_strength_x}
    problems = _control_problems(preset, regions, choices, multipliers)
    names = region_names(regions) if regions in regions_names() else []
    if names and region not in names:
        problems.append(f"region: got {region!r}; allowed: one of {', '.join(names)} (the regions of regions={regions})")
    if problems:
        raise ConfigError(problems)

    overrides = [f"workers={int(workers)}", f"months={int(months)}", f"seed={int(seed)}", "progress=false", "figures=false"]
    with _COMPOSE_LOCK:
        if regions == "none":
            composed, rc = {names[0]: compose(preset, overrides)}, None
        else:
            composed, rc, _ = compose_regions(load_regions(regions), preset, overrides)
    configs = {}
    for name, cfg in composed.items():
        _apply_controls(cfg, multipliers, choices, retraining_cost_share, retraining_seats_per_1000)
        try:
            configs[name] = to_config(cfg)
        except ConfigError as err:
            problems += err.problems if rc is None else [f"regions.members.{name}: {p}" for p in err.problems]
    if problems:
        raise ConfigError(problems)
    return configs, rc, int(seed)


def explorer_config(**controls) -> Config:
    """The validated config of the run the page shows (the region ``region``): a scenario composed as on the command line, then the controls.

    Takes :func:`explorer_runs`' controls (each one a control of the page) and returns that region's
    :class:`~simulation.config.Config` (:func:`explorer_runs` gives every region's).

    Raises:
        ConfigError: as :func:`explorer_runs`.

    """
    return explorer_runs(**controls)[0][controls.get("region", "china")]


class ExplorerModel(mesa.Model):
    """The run the explorer drives, built from its flat controls; stops at its horizon.

    Takes the keyword arguments of :func:`explorer_runs` (each one a control of the page). Holds one
    :class:`~simulation.model.LaborMarketModel` (``regions=none``: today's model, exactly) or a
    :class:`~simulation.regions.RegionalModel` (``regional``); ``shown`` is the region the page plots
    (:meth:`show` switches it), and ``cfg``, ``month``, ``recorder``, ``population``, ``initial_population``
    and :meth:`results` are the shown region's. ``running`` turns false once the horizon is reached, which
    greys out Mesa's Step and Play buttons.
    """

    # The controls are spelled out again here, not taken as **kwargs: Mesa reads them from this signature, and
    # under mesa 3.5 a **kwargs signature also receives Mesa's own ``scenario`` object on Reset.
    def __init__(
        self,
        preset: str = "baseline",
        regions: str = "none",
        region: str = "china",
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
        configs, rc, run_seed = explorer_runs(**controls)
        super().__init__(rng=np.random.default_rng(run_seed))  # the wrapper draws nothing: each model has its own streams
        self.names = list(configs)
        if rc is None:
            self.regional = None
            self.models = [LaborMarketModel(configs[self.names[0]])]
        else:
            self.regional = RegionalModel(rc, configs, seed=run_seed)
            self.models = self.regional.models
        self.region = region
        self.horizon = self.models[0].cfg.months
        n, n_sectors = len(self.models), self.models[0].sectors.n
        # market shares, one row a month (preallocated: a month writes one row); the flows are the regional run's own
        self.share_history = np.full((self.horizon + 1, n, n_sectors), np.nan)
        self._record_regions()
        self.running = self.month < self.horizon

    # ------------------------------------------------------------------ the shown region
    @property
    def shown(self) -> LaborMarketModel:
        """The model of the region the page shows."""
        return self.models[self.names.index(self.region)]

    def show(self, region: str) -> None:
        """Show another region of the run (the run itself is not touched).

        Raises:
            ConfigError: ``region`` is not one of the run's regions.

        """
        if region not in self.names:
            raise ConfigError([f"region: got {region!r}; allowed: one of {', '.join(self.names)}"])
        self.region = region

    @property
    def cfg(self) -> Config:
        """The shown region's config."""
        return self.shown.cfg

    @property
    def flow_history(self) -> np.ndarray:
        """The talent channel's flows by month, region and column (:data:`~simulation.regions.REGION_COLUMNS`), months 0..now."""
        if self.regional is None:
            return np.zeros((self.month + 1, 1, len(REGION_COLUMNS)), dtype=np.int64)
        return np.stack(self.regional.region_flows)

    @property
    def month(self) -> int:
        """The month reached (every region's)."""
        return self.models[0].month

    @property
    def recorder(self):
        """The shown region's recorder: its preallocated time series (``ts``, ``rows``)."""
        return self.shown.recorder

    @property
    def population(self) -> int:
        """Living workers of the shown region."""
        return self.shown.population

    @property
    def initial_population(self) -> int:
        """The shown region's workers at month 0."""
        return self.shown.initial_population

    def results(self):
        """The shown region's :class:`~simulation.results.Results` (a regional run's with its migration columns)."""
        if self.regional is None:
            return self.shown.results()
        return self.regional.results().regions[self.region]

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """Advance one month unless the horizon is reached (then stop)."""
        if self.month < self.horizon:
            (self.models[0] if self.regional is None else self.regional).step()
            self._record_regions()
        self.running = self.month < self.horizon

    def _record_regions(self) -> None:
        if self.regional is not None:
            self.share_history[self.month] = self.regional.share
