"""laborshift: an agent-based simulation of a tech labour market that AI adoption reshapes.

Public API::

    from simulation import run
    result = run(scenario="baseline", workers=10_000, months=120, seed=7)
    result.timeseries.head()
"""

import importlib
from typing import TYPE_CHECKING

# the names are imported on first use: `import simulation` (and every console command's start) stays light
_HOME = {"Config": "config", "ConfigError": "config", "LaborMarketModel": "model", "Results": "results", "compose": "runner", "run": "runner"}

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config, ConfigError
    from .model import LaborMarketModel
    from .results import Results
    from .runner import compose, run


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Config", "ConfigError", "LaborMarketModel", "Results", "compose", "run"]
