"""The benchmark's split of a month's step time into a fixed part and a part per worker (``benchmarks/benchmark.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "benchmark.py"


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("laborshift_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(workers: int, fixed: float, per_worker: float, growth: float = 1.1, months: int = 120) -> dict:
    """A full-model record whose step time is exactly ``fixed + per_worker x population`` every month."""
    population = workers * growth  # the mean living population (graduates and entrants make it grow)
    return {"workers": workers, "months": months, "worker_months": int(population * months),
            "step_s": months * (fixed + per_worker * population)}


def test_month_cost_recovers_the_fixed_and_per_worker_parts(benchmark):
    a, b = _run(10_000, 0.011, 2.75e-7), _run(100_000, 0.011, 2.75e-7)
    cost = benchmark.month_cost(a, b)
    assert cost["fixed_s_per_month"] == pytest.approx(0.011, rel=1e-4)
    assert cost["s_per_worker_month"] == pytest.approx(2.75e-7, rel=1e-4)
    step_b = b["step_s"] / b["months"]
    assert cost["fixed_share_at_larger"] == pytest.approx(0.011 / step_b, rel=1e-4)
    assert (cost["from"], cost["to"]) == (10_000, 100_000)


def test_month_cost_counts_the_living_population_not_the_initial_one(benchmark):
    """The line runs through worker-months a month: a population that grew more costs more per month, not a larger fixed part."""
    grown = benchmark.month_cost(_run(10_000, 0.01, 3e-7, growth=1.5), _run(100_000, 0.01, 3e-7, growth=1.5))
    assert grown["fixed_s_per_month"] == pytest.approx(0.01, rel=1e-4)
    assert grown["s_per_worker_month"] == pytest.approx(3e-7, rel=1e-4)
