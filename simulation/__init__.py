"""laborshift: an agent-based simulation of a tech labour market that AI adoption reshapes.

Public API::

    from simulation import run
    result = run(scenario="baseline", workers=10_000, months=120, seed=7)
    result.timeseries.head()
"""

from .config import Config, ConfigError
from .model import LaborMarketModel
from .results import Results
from .runner import compose, run

__all__ = ["Config", "ConfigError", "LaborMarketModel", "Results", "compose", "run"]
