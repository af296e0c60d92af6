"""Random streams: one generator per mechanism (and per policy draw) and month, from the run's seed.

The run's seed makes one ``numpy.random.SeedSequence``; every stream is a
child of it, ``SeedSequence(seed, spawn_key=(name_id, month))``, exactly what
``SeedSequence(seed).spawn`` would give with that key. The key is a stable
number of the stream's name (so adding a mechanism does not renumber the
others) and the month, so

* a change in one mechanism leaves every other mechanism's draws alone, and
* a draw whose size depends on the state (say, one number per unemployed
  worker) cannot shift the draws of any later month.

Common random numbers then hold across scenarios as far as they can: two
scenarios that differ in one lever draw the same numbers in every mechanism
that lever does not touch, and their paired differences carry less noise.
Mesa's own generator (``model.rng``) is a further child, used by nothing in
the monthly step.
"""

from __future__ import annotations

import zlib

import numpy as np

# months are keyed from this offset, so that the burn-in's months (-burn_in_months + 1 .. 0) have non-negative keys
MONTH_OFFSET = 1_000_000


def stream_id(name: str) -> int:
    """A stable number for a stream's name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The random streams of one run."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._month: int | None = None
        self._cache: dict[str, np.random.Generator] = {}

    def sequence(self, name: str, month: int | None = None) -> np.random.SeedSequence:
        """The ``SeedSequence`` of stream ``name`` (in ``month``, or once per run if ``month`` is None)."""
        key = (stream_id(name),) if month is None else (stream_id(name), int(month) + MONTH_OFFSET)
        return np.random.SeedSequence(self.seed, spawn_key=key)

    def generator(self, name: str, month: int | None = None) -> np.random.Generator:
        """A new generator on stream ``name`` (in ``month``, or once per run if ``month`` is None)."""
        return np.random.Generator(np.random.PCG64(self.sequence(name, month)))

    def monthly(self, name: str, month: int) -> np.random.Generator:
        """Stream ``name``'s generator for ``month``, the same object for every call in that month."""
        if month != self._month:
            self._month, self._cache = month, {}
        if name not in self._cache:
            self._cache[name] = self.generator(name, month)
        return self._cache[name]
