"""Shared fixtures: compose the real Hydra config, shrink it, and run scenarios once per session.

Every test composes the shipped config (schema + ``configs/config.yaml`` + a
scenario file + overrides) through :func:`simulation.runner.compose`, exactly
as the command line does, then shrinks it (fewer workers, a shorter horizon,
no progress bar, no figures). Runs are cached per session by their full
specification, so a scenario run on a seed is computed once and shared by
every test that asks for it. Tests must treat the returned results as
read-only.

Under pytest-xdist (``make test`` runs ``-n 2 --dist loadfile``) every file runs
whole on one worker, so a module's fixtures and this session cache are computed
once (no two files share a cached run); :func:`pytest_collection_modifyitems`
hands out the slowest files first so that the two workers finish together.

Profiles: runs use the default profile (``china``) unless a test module sets ``PROFILE = "us"`` (a module whose
checks are the US profile's facts: JOLTS turnover, the Displaced Worker Survey, benefits that replace a share of the
last wage). Then every config the module composes, directly or through these helpers, gets ``profile=<PROFILE>``
first (its own overrides still win), and the session cache keeps the profiles' runs apart.
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


_PINNED: list[str] = []  # the profile the running module pins (PROFILE), as overrides


@functools.cache
def _run_cached(scenario: str, seed: int, workers: int, months: int, extra_overrides: tuple[str, ...]):
    return run_config(make_config(scenario, seed, workers, months, extra_overrides))


@pytest.fixture(scope="module", autouse=True)
def _module_profile(request):
    """Pin the module's ``PROFILE`` (if it sets one) in every composition while its tests run."""
    import simulation.composition as composition

    profile = getattr(request.module, "PROFILE", None)
    if profile is None:
        yield
        return
    original = composition.hydra_compose

    def pinned(overrides, config_name=composition.CONFIG_NAME):
        ov = list(overrides)
        if config_name == composition.CONFIG_NAME and not any(o.startswith("profile=") for o in ov):
            ov = [f"profile={profile}", *ov]
        return original(ov, config_name)

    composition.hydra_compose = pinned
    _PINNED[:] = [f"profile={profile}"]
    try:
        yield
    finally:
        composition.hydra_compose = original
        _PINNED[:] = []


def run_scenario(name: str, seed: int = 0, workers: int = SMOKE_WORKERS, months: int = SMOKE_MONTHS,
                 extra_overrides: Sequence[str] = ()):
    """Run (once per session) a scenario with a seed, population, horizon and extra overrides; return its Results.

    The result is shared between tests: do not modify its tables.
    """
    return _run_cached(name, int(seed), int(workers), int(months), (*_PINNED, *extra_overrides))


@pytest.fixture(scope="session")
def run_scenario_fn():
    """The cached :func:`run_scenario` helper."""
    return run_scenario


@pytest.fixture(scope="session")
def compose_cfg():
    """The :func:`make_config` helper (real composed config, shrunk)."""
    return make_config


def console_script(name: str, entry: str) -> list[str]:
    """A console script, found portably.

    The script installed beside this interpreter comes first (so one from another environment on PATH is not picked
    up), then PATH, then the entry point (``module:function``) run through this interpreter.
    """
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return [str(beside)]
    exe = shutil.which(name)
    if exe is not None:
        return [exe]
    module, function = entry.split(":")
    return [sys.executable, "-c", f"from {module} import {function}; {function}()"]


@pytest.fixture(scope="session")
def laborshift_cmd() -> list[str]:
    """The ``laborshift`` console script (:func:`console_script`)."""
    return console_script("laborshift", "simulation.cli:main")


@pytest.fixture(scope="session")
def compare_cmd() -> list[str]:
    """The ``laborshift-compare`` console script (:func:`console_script`)."""
    return console_script("laborshift-compare", "simulation.cli:compare_main")


# Seconds each slow file takes in the suite (`make test`: 2 workers, so a file shares the machine with the other
# worker's; the setup and call times of `pytest --durations=120` summed per file, 2026-12-01); files not listed take a
# few seconds at most. Only the order matters: under xdist the files are handed to the workers longest first (a
# worker takes its next file when it has 2 tests left), so the short ones fill in at the end and the two
# workers finish within seconds of each other; collected in their usual order, the one-minute notebook came
# last and the run took a minute longer. Update the figures when a file grows or shrinks a lot.
SLOW_FILES = {
    "tests/test_calibration_recovery.py": 354,
    "tests/test_cluster_launchers.py": 173,
    "tests/test_fuzz.py": 104,
    "tests/test_report.py": 102,
    "tests/test_policy_eval.py": 101,
    "tests/test_run_folder.py": 91,
    "notebooks/02_scenarios.ipynb": 91,
    "notebooks/05_two_regions.ipynb": 87,
    "tests/test_mechanisms.py": 85,
    "tests/test_parameter_uncertainty.py": 79,
    "tests/test_interrupt.py": 79,
    "tests/test_compare.py": 79,
    "tests/test_mobility.py": 75,
    "notebooks/04_sweeps_and_sensitivity.ipynb": 65,
    "tests/test_policy_hiring.py": 64,
    "tests/test_calibration_profiles.py": 56,
    "tests/test_sweep.py": 54,
    "tests/test_regions_compare.py": 52,
    "tests/test_regions.py": 47,
    "tests/test_validation.py": 46,
    "tests/test_profiles.py": 43,
    "tests/test_wages.py": 38,
    "tests/test_memory.py": 38,
    "tests/test_sensitivity.py": 35,
    "tests/test_explorer.py": 31,
    "tests/test_policy_ui.py": 29,
    "tests/test_lifecycle_flows.py": 28,
    "tests/test_report_claims.py": 25,
    "tests/test_sensitivity_regions.py": 24,
    "tests/test_validation_china.py": 22,
    "notebooks/03_inside_the_market.ipynb": 21,
    "notebooks/01_quickstart.ipynb": 21,
    "tests/test_story_demand.py": 17,
    "tests/test_inert_parameters.py": 13,
    "tests/test_story_page.py": 11,
    "tests/test_explorer_offline.py": 11,
    "tests/test_story_domain.py": 10,
    "tests/test_cli.py": 10,
    "tests/test_bad_input.py": 9,
}


def pytest_collection_modifyitems(config, items):
    """On an xdist worker, put the slowest files first (a stable sort: tests keep their order within a file).

    Every worker sorts the same collection the same way, as xdist requires; a run without xdist keeps pytest's order.
    """
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: -SLOW_FILES.get(item.nodeid.split("::", 1)[0], 0))
