"""No inert parameter (issue 16, item 2): perturbing any parameter of the schema moves some output.

One at a time, every leaf of :func:`simulation.config.iter_params` is moved a step inside its range (:func:`step`:
booleans flipped, the next choice for choices, +1/10 of the range for shares, x1.5 for other numbers, at least +1 for
integers, a smaller step where x1.5 breaks a cross-field constraint) from a base configuration in which every optional
mechanism can act (:data:`BASE`). Each perturbed run is compared with the base run on every table (timeseries,
by_occupation, by_stage, by_sector) and on summary.json's values (which hold the discounted fiscal totals); a
parameter that moves none of them on either seed of :data:`SEEDS` fails, unless :data:`STRUCTURAL` declares why it cannot
move an economic output (a run setting, a label). :data:`STEPS` gives the few parameters whose generic step cannot act
in a short small run a step that can, with the reason.

Parameters that act only in some configurations, and how the base lets them act (``rapid_adoption``, 2,000 workers x
30 months after a 6-month burn-in, so AI displaces workers from month 6 on seed 1 and month 10 on seed 2, on the China
profile of 2026-12-02):

* ``ai.hype_*``: only with ``ai.hype_optimism`` > 0 (``hype_cycle``), and at the shipped tolerance (0.15) a firm's
  expectation passes the realised return by that much only after years; the base has optimism 3 and tolerance 0.03.
* ``cycle.period_months``: only with ``cycle.amplitude`` > 0 (``demand_cycle``); ``cycle.shock_*``: only with
  ``cycle.shock_month`` > 0 (no shipped scenario): the base has both.
* ``firms.internal_transfer_min_fit``: only with ``firms.internal_transfer_rate`` > 0 (0 by default): 0.2 in the base.
* ``market.search_benefit_elasticity`` and ``market.reservation_benefit_slope``: only when a recipient's replacement
  ratio differs from ``market.ui_reference_ratio`` (0.3, the shipped replacement rate): 0.45 in the base.
* ``upskilling.*``: few employees upskill in 30 months at the shipped ``consider_rate`` (0.005): 0.05 in the base, and
  ``quit_to_retrain`` on.
* ``policy.*``: each lever's parameters only with the lever on: every lever is on in the base, the adoption subsidy
  from month 3 and the automation tax from month 15 (both act); the hiring subsidy from month 12 (its ranking bonus only
  acts once AI-displaced workers search: 10 -> 15 moved nothing when they were few); the education shift from month 6
  (graduates enter in July, month 7: 6 -> 9 skips a cohort; 3 -> 4 moved nothing); the retraining subsidy open to all
  (``targeting`` steps to ``displaced``).
* ``fiscal.discount_rate``: only the discounted totals of summary.json, which the screen compares.
* ``demography.field_premium_elasticity``: acts from the third graduate cohort (:data:`SLOW`: 48 months).

Known inert parameters that another change fixes are marked strict xfail (:data:`KNOWN_INERT`, naming the issue):
when the fix lands the test passes and the strict marker turns it into a failure, so the entry must be removed.

Measured before benefits were paid (a 2-core machine shared with other jobs): 180 parameters screened, 8 structural;
one run 0.4-0.8 s, the whole screen 78 s of CPU (75-500 s wall with other jobs running). Inert then:
``policy.unemployment_insurance.replacement_rate`` (no benefit was paid; it now sets the benefit, which moves search effort
and reservation wages, simulation/processes/insurance.py). Inert on one seed, not on the other:
``market.reentry_age_factor`` (0.05 -> 0.15: few workers over 45 out of the labour force in 30 months).
"""

from __future__ import annotations

import copy
import dataclasses
from functools import cache

import pandas as pd
import pytest

from simulation.config import Config, ConfigError, iter_params, to_config
from simulation.runner import run_config
from tests.conftest import make_config

WORKERS, MONTHS, BURN_IN = 2_000, 30, 6
# a parameter of small effect can leave every output of a small run unchanged by chance (a graduate cohort of 46 draws the
# same fields, no worker over 45 is out of the labour force); it is called inert only if it moves nothing on either seed
SEEDS = (1, 2)

# a configuration in which every lever and every optional mechanism acts within the horizon
BASE = (
    f"burn_in_months={BURN_IN}",
    "policy.adoption_subsidy.enabled=true", "policy.adoption_subsidy.start_month=3",
    "policy.public_ai_demand.enabled=true", "policy.public_ai_demand.start_month=3",
    "policy.retraining_subsidy.enabled=true", "policy.retraining_subsidy.start_month=3",
    "policy.retraining_subsidy.seats_per_1000=2.0", "policy.retraining_subsidy.targeting=all",
    "policy.unemployment_insurance.enabled=true", "policy.unemployment_insurance.start_month=1",
    "policy.unemployment_insurance.replacement_rate=0.45",
    # the China profile's cap (0.10 of the mean wage) binds for nearly everyone, which makes the benefit flat and the
    # replacement rate and the floor inert: the base lifts it to the schema's 1.5 so that they act
    "policy.unemployment_insurance.cap_share=1.5",
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
    "seed": "a run setting, not a parameter of the economy: it changes every random draw",
    "progress": "run setting: the progress bar",
    "figures": "run setting: whether PNG figures are written beside the tables",
    "check_memory": "run setting: refuses a run too big for the machine, before it starts",
    "workers": "run setting: the population (moves everything)",
    "months": "run setting: the horizon (changes the tables' length)",
    "profile.name": "a label: names the profile (configs/profile/<name>.yaml sets its values)",
    "profile.currency": "a label: the currency the money figures are in (the wage data set the amounts)",
}

# parameters whose generic step (:func:`step`) cannot act in the base run, stepped to a value that does, with the reason
STEPS = {
    "market.matching_rounds": (1, "4 -> 6 moved nothing on either seed: by the fourth round every position turned down has "
                                  "found its taker (4 -> 2 moves outputs on both seeds on the China profile of 2026-12-02); one "
                                  "round leaves positions open"),
    "market.wage_index_min": (1.0, "a safety rail that rarely binds (its source says so): raised to 1.0 it binds for every "
                                   "occupation whose pay falls below its base"),
    "market.wage_index_max": (1.0, "a safety rail that rarely binds: lowered to 1.0 it binds for every occupation whose pay "
                                   "rises above its base"),
    "policy.unemployment_insurance.floor_share": (0.3, "the floor binds only below the replacement rate x the lowest wages "
                                                       "(0.05 of the mean wage at the default): 0.3 lifts every benefit below "
                                                       "0.3 of the mean wage"),
    "profile.start": ("2023-03", "text: month 1 in March instead of January moves the graduation months (July-August) two "
                                 "months earlier in the run"),
    "profile.occupation_data": ("", "text: the table's own wages (US, USD) instead of the China profile's (CNY)"),
    "policy.unemployment_insurance.cap_share": (0.3, "the shipped cap (1.5 of the mean wage) never binds, so that default runs "
                                                     "keep their calibration; 0.3 caps the benefits of the better paid"),
}

# parameters that act only in a longer run; each is screened on its own longer horizon: (months, extra overrides)
SLOW: dict[str, tuple[int, tuple[str, ...]]] = {
    # graduates enter in July (months 7, 19, 31, ...) and choose fields by the wage premia of premium_lag_months (12) before:
    # the cohorts of months 7 and 19 see premia of the burn-in and of month 7, barely moved: 2.0 -> 3.0 moves a 30-month
    # run's outputs on one seed of two (seed 1 only, on the China profile of 2026-12-02; cohorts of 46 graduates, months 7-8
    # and 19-20); from the cohort of month 31 the mix moves (48 months: moved on both seeds)
    "demography.field_premium_elasticity": (48, ()),
}

# parameters inert on main that another change of issue 16 fixes: strict xfail, remove the entry when it is fixed
KNOWN_INERT: dict[str, str] = {}


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
def base_config(months: int = MONTHS, extra: tuple[str, ...] = (), seed: int = SEEDS[0]) -> Config:
    """The typed base configuration (every lever on), shrunk."""
    return to_config(make_config("rapid_adoption", seed=seed, workers=WORKERS, months=months, extra_overrides=(*BASE, *extra)))


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
def base_fingerprint(months: int = MONTHS, extra: tuple[str, ...] = (), seed: int = SEEDS[0]) -> list:
    """The base run's outputs."""
    return fingerprint(run_config(base_config(months, extra, seed), progress=False))


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


def perturbed_fingerprint(name: str, seed: int = SEEDS[0]) -> tuple[object, object, list]:
    """(default, perturbed value, fingerprint) of the run with this parameter stepped."""
    months, extra = SLOW.get(name, (MONTHS, ()))
    cfg = copy.deepcopy(base_config(months, extra, seed))
    value, new = perturbed(cfg, name)
    return value, new, fingerprint(run_config(cfg, progress=False))


def screened() -> list[str]:
    """Every parameter the screen perturbs (all but the structural ones)."""
    return [n for n, _, _ in iter_params() if n not in STRUCTURAL]


def is_inert(name: str) -> bool:
    """Whether stepping this parameter leaves every output of the base run unchanged, on every seed of :data:`SEEDS` (the
    second is run only when the first moved nothing)."""
    months, extra = SLOW.get(name, (MONTHS, ()))
    return all(same(base_fingerprint(months, extra, seed), perturbed_fingerprint(name, seed)[2]) for seed in SEEDS)


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
    for name, _f, value in iter_params(cfg):
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
            print("inert on the first seed", n, v, "->", new, flush=True)
            if is_inert(n):
                inert.append(n)
                print("INERT", n, flush=True)
    print(f"{len(screened())} parameters, {len(inert)} inert, {time.perf_counter() - t0:.1f} s")
