"""Shared fixtures: compose the real Hydra config, shrink it, and run scenarios once per session.

Every test composes the shipped config (schema + ``configs/config.yaml`` + a
scenario file + overrides) through :func:`simulation.runner.compose`, exactly
as the command line does, then shrinks it (fewer workers, a shorter horizon,
no progress bar, no figures). Runs are cached per session by their full
specification, so a scenario run on a seed is computed once and shared by
every test that asks for it. Tests must treat the returned results as
read-only.
"""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from simulation.runner import compose, run_config

REPO = Path(__file__).resolve().parent.parent

# shrink every composed config: no progress bar, no figures unless a test asks for them
SHRINK = ("progress=false", "figures=false")

# the smoke size: every scenario runs at this size (test files choose larger sizes where they need them)
SMOKE_WORKERS, SMOKE_MONTHS = 2_000, 24


def shrunk_overrides(seed: int, workers: int, months: int, extra: Sequence[str] = ()) -> list[str]:
    """Hydra overrides that shrink a run (population, horizon, seed, no progress bar or figures)."""
    return [f"workers={workers}", f"months={months}", f"seed={seed}", *SHRINK, *extra]


def make_config(scenario: str = "baseline", seed: int = 0, workers: int = SMOKE_WORKERS, months: int = SMOKE_MONTHS,
                extra_overrides: Sequence[str] = ()):
    """The real composed config of a scenario, shrunk."""
    return compose(scenario, shrunk_overrides(seed, workers, months, extra_overrides))


@functools.cache
def _run_cached(scenario: str, seed: int, workers: int, months: int, extra_overrides: tuple[str, ...]):
    return run_config(make_config(scenario, seed, workers, months, extra_overrides))


def run_scenario(name: str, seed: int = 0, workers: int = SMOKE_WORKERS, months: int = SMOKE_MONTHS,
                 extra_overrides: Sequence[str] = ()):
    """Run (once per session) a scenario with a seed, population, horizon and extra overrides; return its Results.

    The result is shared between tests: do not modify its tables.
    """
    return _run_cached(name, int(seed), int(workers), int(months), tuple(extra_overrides))


@pytest.fixture(scope="session")
def run_scenario_fn():
    """The cached :func:`run_scenario` helper."""
    return run_scenario


@pytest.fixture(scope="session")
def compose_cfg():
    """The :func:`make_config` helper (real composed config, shrunk)."""
    return make_config


@pytest.fixture(scope="session")
def laborshift_cmd() -> list[str]:
    """The console script, found portably.

    The script installed beside this interpreter comes first (so a ``laborshift``
    from another environment on PATH is not picked up), then PATH, then the
    entry point run through this interpreter.
    """
    beside = Path(sys.executable).with_name("laborshift")
    if beside.exists():
        return [str(beside)]
    exe = shutil.which("laborshift")
    if exe is not None:
        return [exe]
    return [sys.executable, "-c", "from simulation.cli import main; main()"]
