"""The lifecycle every process shares, and the check of the order the model runs them in.

A process is one mechanism of the month. Its lifecycle:

1. ``__init__(model)``: set up its own state from the configuration and the
   state the model built (the agent arrays, the occupation and sector
   tables), never from another process: every process can be built in any
   order.
2. ``step()``: once a month, in the model's step order; it reads and writes
   the model's state and adds what it did to the month's flows. While the
   model runs its burn-in (``model.burning_in``), a process whose
   ``in_burn_in`` is false is skipped and the others may act differently
   (their docstrings say how).
3. ``end_burn_in()``: once, when the burn-in is over.
4. ``record(values)``: when the month is recorded, it sets each of its
   declared ``value`` outputs (see :mod:`simulation.outputs`).

Every random number a process draws comes from ``self.rng``, its own stream
for the month (:mod:`simulation.streams`).

Each process declares ``reads``: the state it needs this month that another
process writes earlier in the month, and ``writes``: the state it writes that
later processes read. :func:`check_order` fails, naming the pair, when a
process would read something before the process that writes it has run, so
that reordering the steps cannot silently break the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from ..outputs import Output

if TYPE_CHECKING:  # pragma: no cover
    from ..model import LaborMarketModel


class Process:
    """A mechanism: set up from the model once, stepped once a month, recorded at the end of it."""

    name: ClassVar[str] = ""
    outputs: ClassVar[tuple[Output, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    in_burn_in: ClassVar[bool] = True

    def __init__(self, model: LaborMarketModel):
        self.model = model
        self.cfg = model.cfg

    @property
    def rng(self):
        """The random stream of this process for the current month (see :mod:`simulation.streams`)."""
        return self.model.streams.monthly(self.name, self.model.month)

    def step(self) -> None:  # pragma: no cover - interface
        """Advance the mechanism by one month."""
        raise NotImplementedError

    def end_burn_in(self) -> None:
        """Called once when the burn-in is over (nothing to do by default)."""

    def record(self, values: dict) -> None:
        """Set this month's ``value`` outputs in ``values`` (none by default)."""


def check_order(processes: Sequence[Process], burning_in: bool = False) -> None:
    """Raise ``ValueError`` if a process reads state this month before the process that writes it has run.

    With ``burning_in``, the processes skipped in the burn-in are left out;
    state only they write is held at its month-0 level, which may be read.
    """
    running = [p for p in processes if p.in_burn_in or not burning_in]
    writers = {item: [q.name for q in running if item in q.writes] for p in running for item in p.reads}
    phase = " in the burn-in" if burning_in else ""
    written: set[str] = set()
    for p in running:
        for item in p.reads:
            if item in written or (burning_in and not writers[item]):
                continue
            where = f"written by {', '.join(writers[item])}, which runs after it" if writers[item] else "written by no process"
            raise ValueError(f"step order{phase}: {p.name} reads {item!r} this month, {where}; "
                             f"order: {' -> '.join(q.name for q in running)}")
        written.update(p.writes)
