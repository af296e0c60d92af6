"""The golden runs: every output table of three small fixed runs equals its stored reference.

A change meant to move the model's outputs regenerates the references with
``make golden`` in the same commit, so the diff of ``tests/golden/`` shows in
review what moved. Any other change must leave them alone.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

_spec = importlib.util.spec_from_file_location("golden", Path(__file__).resolve().parent.parent / "scripts" / "golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


@pytest.fixture(scope="module")
def tables():
    return golden.golden_tables()


def test_every_golden_table_is_stored(tables):
    stored = {p.stem for p in golden.GOLDEN_DIR.glob("*.csv")}
    assert stored == set(tables), f"stored golden tables {sorted(stored)} do not match the runs' tables {sorted(tables)}; run `make golden`"


@pytest.mark.parametrize("scenario", golden.SCENARIOS)
def test_golden_outputs_unchanged(tables, scenario):
    problems = []
    for key, df in tables.items():
        if key.startswith(f"{scenario}."):
            problems += golden.differences(key, df, pd.read_csv(golden.path_of(key)))
    assert not problems, "outputs changed against tests/golden/ (regenerate with `make golden` only if the change is meant):\n" + "\n".join(problems)


def test_golden_comparison_catches_a_one_unit_change(tables):
    key = "baseline.timeseries"
    changed = tables[key].copy()
    changed.loc[5, "hires"] += 1
    assert golden.differences(key, changed, pd.read_csv(golden.path_of(key))), "a one-worker change in hires went unnoticed"
    changed = tables[key].copy()
    changed.loc[5, "unemployment_rate"] += 1.0 / 2_000
    assert golden.differences(key, changed, pd.read_csv(golden.path_of(key))), "a one-in-2,000 change in a rate went unnoticed"
