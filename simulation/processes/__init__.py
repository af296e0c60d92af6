"""The mechanisms of one month, one module each, all with the same lifecycle (:mod:`.base`).

``STEP_ORDER`` is the order in which the model steps them, written out in
:class:`simulation.model.LaborMarketModel`; ``RECORDED`` adds the census, which
only records. Each declares its outputs (:mod:`simulation.outputs`).
"""

from .adoption import Adoption
from .base import Process, check_order
from .census import Census
from .demand import Demand
from .drivers import Drivers
from .fiscal import Fiscal
from .lifecycle import Lifecycle
from .matching import Matching
from .retraining import Retraining
from .separations import Separations
from .transfers import Transfers
from .upskilling import Upskilling
from .vacancies import Vacancies
from .wages import Wages

STEP_ORDER = (Drivers, Adoption, Demand, Separations, Vacancies, Retraining, Upskilling, Matching, Transfers, Wages, Lifecycle)
RECORDED = (Census, *STEP_ORDER, Fiscal)  # the fiscal ledger last: it totals the money the others moved

__all__ = ["RECORDED", "STEP_ORDER", "Census", "Fiscal", "Process", "check_order", "Adoption", "Demand", "Drivers", "Lifecycle", "Matching", "Retraining", "Separations", "Upskilling", "Transfers", "Vacancies", "Wages"]
