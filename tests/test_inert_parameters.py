"""No inert parameter (issue 16, item 2): perturbing any parameter of the schema moves some output.

One at a time, every leaf of :func:`simulation.config.iter_params` is moved a step inside its range (:func:`step`:
booleans flipped, another choice for choices, x1.5 or a step of a tenth of the range for numbers, +1 at least for
integers) from a base configuration in which every optional mechanism can act (:data:`BASE`: every policy lever on
from month 3, the adoption subsidy and the automation tax from different months so both act, a demand cycle and a
demand shock, hype, internal transfers, upskilling's quit-to-retrain). Each perturbed run is compared with the base
run on every table (timeseries, by_occupation, by_stage, by_sector) and on summary.json's values (which hold the
discounted fiscal totals); a parameter that moves none of them fails the test, unless :data:`STRUCTURAL` declares why
it cannot move an output of a run (a run setting) or :data:`SLOW` gives it a longer run where it acts.

Known inert parameters that another change fixes are marked strict xfail (:data:`KNOWN_INERT`, naming the issue):
when the fix lands the test passes and the strict marker turns it into a failure, so the marker must be removed.

Measured (2,000 workers x 30 months, burn-in 6, 2 cores): see the module's ``if __name__`` timing.
"""

from __future__ import annotations

import copy
import dataclasses
from functools import cache

import numpy as np
import pandas as pd
import pytest

from simulation.config import Config, ConfigError, iter_params, to_config
from simulation.runner import run_config
from tests.conftest import make_config

WORKERS, MONTHS, BURN_IN = 2_000, 30, 6

# a configuration in which every lever and every optional mechanism acts within the horizon
BASE = (
    f"burn_in_months={BURN_IN}",
    "policy.adoption_subsidy.enabled=true", "policy.adoption_subsidy.start_month=3",
    "policy.public_ai_demand.enabled=true", "policy.public_ai_demand.start_month=3",
    "policy.retraining_subsidy.enabled=true", "policy.retraining_subsidy.start_month=3",
    "policy.retraining_subsidy.seats_per_1000=2.0", "policy.retraining_subsidy.targeting=all",
    "policy.unemployment_insurance.enabled=true", "policy.unemployment_insurance.start_month=1",
    "policy.hiring_subsidy.enabled=true", "policy.hiring_subsidy.start_month=12",
    "policy.automation_tax.enabled=true", "policy.automation_tax.start_month=15",
    "policy.education_shift.enabled=true", "policy.education_shift.start_month=6",
    "cycle.amplitude=0.05", "cycle.shock_month=10", "cycle.shock_size=-0.1", "cycle.shock_months=6",
    "ai.hype_optimism=3.0", "ai.hype_patience=4", "ai.hype_tolerance=0.03",
    "firms.internal_transfer_rate=0.2",
    "upskilling.quit_to_retrain=true", "upskilling.consider_rate=0.05",
)

# parameters that cannot move a run's outputs, with the reason
STRUCTURAL = {
    "scenario": "a label: names the scenario in the outputs' metadata, the model never reads it",
    "description": "a label: the scenario's story for the report",
    "seed": "moves everything, but it is a run setting, not a parameter of the economy (tested: test_seed_moves_outputs)",
    "progress": "run setting: the progress bar",
    "figures": "run setting: whether PNG figures are written beside the tables",
    "check_memory": "run setting: refuses a run too big for the machine, before it starts",
    "workers": "run setting: the population (moves everything)",
    "months": "run setting: the horizon (changes the tables' length)",
}

# parameters whose generic step (:func:`step`) cannot act in the base run, stepped to a value that does, with the reason
STEPS = {
    "market.matching_rounds": (1, "in a 2,000-worker market every position turned down has found its taker by the second "
                                  "round, so 4 -> 6 and 4 -> 2 change nothing; one round leaves positions open"),
    "market.long_term_penalty_months": (6, "the ranking penalty grows linearly to long_term_unemployment_penalty at this many "
                                           "months: 24 -> 36 changes a short spell's penalty by a few thousandths of fit, below "
                                           "the ranking noise, and few searchers pass 24 months in 30 months after a 6-month "
                                           "burn-in, so it moved no hire in one base run of two; 24 -> 6 steepens it fourfold"),
    "market.wage_index_min": (1.0, "a safety rail that rarely binds (its source says so): raised to 1.0 it binds for every "
                                   "occupation whose pay falls below its base"),
    "market.wage_index_max": (1.0, "a safety rail that rarely binds: lowered to 1.0 it binds for every occupation whose pay "
                                   "rises above its base"),
}

# parameters that act only in a longer run; each is screened on its own longer horizon: (months, extra overrides)
SLOW: dict[str, tuple[int, tuple[str, ...]]] = {}

# parameters inert on main that another change of issue 16 fixes: strict xfail, remove the entry when it is fixed
KNOWN_INERT = {
    "policy.unemployment_insurance.replacement_rate": "issue 16 item 1: no benefit is paid; only whether the rate is above 0 matters",
    "policy.hiring_subsidy.wage_share": "issue 16 item 1: Levers.hiring_subsidy (the wage share) is written and never read",
}


def step(name: str, f: dataclasses.Field, value):
    """A perturbed value inside the parameter's declared range."""
    meta = f.metadata
    if isinstance(value, bool):
        return not value
    if meta.get("choices"):
        choices = list(meta["choices"])
        return choices[(choices.index(value) + 1) % len(choices)]
    lo, hi = meta.get("lo"), meta.get("hi")
    if isinstance(value, int):
        new = max(int(round(value * 1.5)), value + 1)
        return new if hi is None or new <= hi else max(int(lo if lo is not None else value - 1), value - max(1, value // 3))
    value = float(value)
    span = (hi - lo) if (lo is not None and hi is not None) else max(abs(value), 1.0)
    if hi is not None and lo is not None and hi - lo <= 1.0:  # a share: a step of a tenth of the range
        new = value + 0.1 * span
        return new if new <= hi else value - 0.1 * span
    new = value * 1.5 if value != 0 else (lo if lo is not None and lo > 0 else 0.0) + 0.05 * min(span, 20.0)
    if hi is not None and new > hi:
        new = value - 0.25 * (value - (lo or 0.0))
    if lo is not None and (new < lo or (meta.get("lo_open") and new <= lo)):
        new = value + 0.1 * span
    return new


def set_param(cfg: Config, name: str, value) -> None:
    """Set a dotted parameter on a typed config."""
    *path, leaf = name.split(".")
    node = cfg
    for p in path:
        node = getattr(node, p)
    setattr(node, leaf, value)


@cache
def base_config(months: int = MONTHS, extra: tuple[str, ...] = ()) -> Config:
    """The typed base configuration (every lever on), shrunk."""
    return to_config(make_config("rapid_adoption", seed=1, workers=WORKERS, months=months, extra_overrides=(*BASE, *extra)))


def fingerprint(res) -> list:
    """Everything a run outputs: its four tables and summary.json's values (run time and config hash apart)."""
    out = [res.tables()[t].to_numpy() for t in ("timeseries", "by_occupation", "by_stage", "by_sector")]
    summary = {k: v for k, v in res.summary.items() if k not in ("wall_time_s", "config_hash")}
    return [*out, summary]


def same(a: list, b: list) -> bool:
    """Whether two fingerprints are identical (NaN equal to NaN)."""
    for x, y in zip(a[:-1], b[:-1], strict=True):
        if x.shape != y.shape:
            return False
        if not pd.DataFrame(x).equals(pd.DataFrame(y)):
            return False
    return a[-1] == b[-1]


@cache
def base_fingerprint(months: int = MONTHS, extra: tuple[str, ...] = ()) -> list:
    return fingerprint(run_config(base_config(months, extra), progress=False))


def perturbed(cfg: Config, name: str) -> tuple[object, object]:
    """Step the parameter on ``cfg`` (in place): :func:`step`, or a tenth of the way if that breaks a cross-field
    constraint (e.g. demography.age_entry below age_mean); returns (default, new value)."""
    f, value = next((f, v) for n, f, v in iter_params(cfg) if n == name)
    new = STEPS[name][0] if name in STEPS else step(name, f, value)
    for candidate in (new, value + (new - value) / 5 if isinstance(value, float) else new,
                      value - (new - value) / 5 if isinstance(value, float) else (value - 1 if isinstance(value, int) else new)):
        set_param(cfg, name, candidate)
        try:
            to_config(cfg)
            return value, candidate
        except ConfigError:
            continue
    raise AssertionError(f"no valid step for {name} from {value!r}")


def perturbed_fingerprint(name: str) -> tuple[object, object, list]:
    """(default, perturbed value, fingerprint) of the run with this parameter stepped."""
    months, extra = SLOW.get(name, (MONTHS, ()))
    cfg = copy.deepcopy(base_config(months, extra))
    value, new = perturbed(cfg, name)
    return value, new, fingerprint(run_config(cfg, progress=False))


def screened() -> list[str]:
    """Every parameter the screen perturbs (all but the structural ones)."""
    return [n for n, _, _ in iter_params() if n not in STRUCTURAL]


def is_inert(name: str) -> bool:
    """Whether stepping this parameter leaves every output of the base run unchanged."""
    months, extra = SLOW.get(name, (MONTHS, ()))
    return same(base_fingerprint(months, extra), perturbed_fingerprint(name)[2])


def _cases():
    for name in screened():
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_INERT[name])] if name in KNOWN_INERT else []
        yield pytest.param(name, id=name, marks=marks)


def test_declarations_name_parameters():
    """Every declared structural, slow or known-inert name is a parameter of the schema."""
    names = {n for n, _, _ in iter_params()}
    assert set(STRUCTURAL) <= names and set(SLOW) <= names and set(KNOWN_INERT) <= names and set(STEPS) <= names


def test_steps_stay_in_range():
    """Every step moves the value and stays inside the declared range (so the perturbed config validates)."""
    cfg = copy.deepcopy(base_config())
    for name, f, value in iter_params(cfg):
        if name in STRUCTURAL:
            continue
        _, new = perturbed(cfg, name)
        assert new != value, name
        set_param(cfg, name, value)


@pytest.mark.parametrize("name", list(_cases()))
def test_parameter_moves_an_output(name):
    """Stepping the parameter moves some output of the base run (every lever on)."""
    assert not is_inert(name), f"{name} moves no output: declare it in STRUCTURAL with a reason, or make it act"


if __name__ == "__main__":  # the screen as a script: which parameters are inert, and how long it takes
    import time

    t0 = time.perf_counter()
    base_fingerprint()
    print(f"base run {time.perf_counter() - t0:.2f} s")
    inert = []
    import sys

    for n in sys.argv[1:] or screened():
        months, extra = SLOW.get(n, (MONTHS, ()))
        v, new, fp = perturbed_fingerprint(n)
        if same(base_fingerprint(months, extra), fp):
            inert.append(n)
            print("INERT", n, v, "->", new, flush=True)
    print(f"{len(screened())} parameters, {len(inert)} inert, {time.perf_counter() - t0:.1f} s")
