"""Agent views: hold one worker or firm as a ``mesa.Agent`` that reads and writes the arrays.

The model keeps all state in :mod:`simulation.state`; these views are for
people who want to follow one agent (``model.worker(42)``, ``model.firm(3)``).
Firms are registered with the model as mesa agents, so
``model.agents_by_type[Firm]`` is an ``AgentSet`` of them; a worker view is
created on demand.
"""

from __future__ import annotations

import itertools
import weakref

import mesa
import numpy as np

from .config import LANES
from .state import ROUTES, STAGES, STATUS_NAMES


class ModelCounters:
    """Each model's counter of agent ids, held weakly so that a finished model can be freed.

    mesa 3.3 numbers agents from ``Agent._ids``, a class-level dictionary keyed
    by model: every model that ever made an agent stays alive through it (about
    2.5 MB per 2,000-worker run, growing in any long-lived process). The views
    number their agents here instead; mesa versions that number agents
    elsewhere never read it.
    """

    def __init__(self):
        self._counters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __getitem__(self, model) -> itertools.count:
        if model not in self._counters:
            self._counters[model] = itertools.count(1)
        return self._counters[model]

    def __len__(self) -> int:
        return len(self._counters)


class _View(mesa.Agent):
    _arrays = ""
    _ids = ModelCounters()

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)

    def _get(self, name):
        value = getattr(getattr(self.model, self._arrays), name)[self.index]
        return value.item() if np.ndim(value) == 0 else value.copy()

    def __getattr__(self, name):
        """Any declared field of the agent's arrays reads as an attribute."""
        if name.startswith("_") or name == "model":
            raise AttributeError(name)
        if name in type(getattr(self.model, self._arrays)).FIELDS:
            return self._get(name)
        raise AttributeError(name)


class Worker(_View):
    """One worker: occupation, skills, age and stage, status, employer, wages, retraining, displacement."""

    _arrays = "workers"

    @property
    def status(self) -> str:
        """employed, unemployed, retraining, out_of_labor_force, retired or unborn."""
        return STATUS_NAMES[self._get("status")]

    @property
    def occupation(self) -> str:
        """Name of the worker's occupation."""
        return self.model.occupations.names[self._get("occupation")]

    @property
    def lane(self) -> str:
        """Lane of the worker's occupation."""
        return LANES[self.model.occupations.lane[self._get("occupation")]]

    @property
    def stage(self) -> str:
        """Career stage: early, mid or late."""
        return STAGES[int(self.model.stage_of(np.array([self.index]))[0])]

    @property
    def employer(self) -> int | None:
        """Index of the employing firm, or None."""
        f = self._get("firm")
        return None if f < 0 else f

    @property
    def retraining_target(self) -> str | None:
        """Occupation being retrained into, or None."""
        t = self._get("train_target")
        return None if t < 0 else self.model.occupations.names[t]

    @property
    def retraining_route(self) -> str | None:
        """certificate, project or None."""
        r = self._get("train_route")
        return None if r < 0 else ROUTES[r]

    def snapshot(self) -> dict:
        """Every field of this worker, with readable names."""
        out = {k: self._get(k) for k in type(self.model.workers).FIELDS}
        out.update(status=self.status, occupation=self.occupation, lane=self.lane, stage=self.stage,
                   employer=self.employer, retraining_target=self.retraining_target, retraining_route=self.retraining_route)
        return out


class Firm(_View):
    """One firm: sector, size, budget, AI adoption and expected return, headcount and wages per occupation."""

    _arrays = "firms"

    @property
    def sector(self) -> str:
        """Sector name."""
        return self.model.sectors.names[self._get("sector")]

    def headcount_by_occupation(self) -> dict[str, int]:
        """Employees per occupation."""
        return dict(zip(self.model.occupations.names, self._get("headcount").tolist(), strict=True))

    def snapshot(self) -> dict:
        """Every field of this firm."""
        out = {k: self._get(k) for k in type(self.model.firms).FIELDS}
        out["sector"] = self.sector
        return out
