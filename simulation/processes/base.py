"""The lifecycle every process shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import LaborMarketModel


class Process:
    """A mechanism: set up from the model once, stepped once a month."""

    def __init__(self, model: LaborMarketModel):
        self.model = model
        self.cfg = model.cfg

    def step(self) -> None:  # pragma: no cover - interface
        """Advance the mechanism by one month."""
        raise NotImplementedError
