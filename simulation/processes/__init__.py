"""The mechanisms of one month, one module each, all with the same lifecycle.

A process is built once from the model (``__init__``: set up its own state) and
then called once a month (``step``); it reads and writes the model's worker and
firm arrays and adds what it did to the month's flows. The order in which the
model calls them is written in :class:`simulation.model.LaborMarketModel`.
"""

from .adoption import Adoption
from .demand import Demand
from .drivers import Drivers
from .lifecycle import Lifecycle
from .matching import Matching
from .retraining import Retraining
from .separations import Separations
from .vacancies import Vacancies
from .wages import Wages

__all__ = ["Adoption", "Demand", "Drivers", "Lifecycle", "Matching", "Retraining", "Separations", "Vacancies", "Wages"]
