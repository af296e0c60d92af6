"""Every scenario config composes, validates, tells its story and runs, producing the output contract.

The scenario files are found on disk (``configs/scenario/*.yaml``), so a new
scenario is smoke-tested without editing this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from simulation.config import validate
from simulation.occupations import load_occupations

REPO = Path(__file__).resolve().parent.parent
SCENARIO_DIR = REPO / "configs" / "scenario"
SCENARIOS = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
REQUIRED = ("no_ai", "baseline", "rapid_adoption", "national_ai_push", "retraining_push", "hype_cycle", "safety_net")
WORKERS, MONTHS, SEED = 2_000, 24, 0

TIMESERIES_CONTRACT = (
    "month", "employed", "unemployed", "retraining", "out_of_labor_force", "labor_force", "vacancies", "hires",
    "separations_ai", "separations_other", "ai_displaced_cumulative", "retraining_started", "retraining_completed",
    "retraining_dropped", "unemployment_rate", "long_term_unemployment_share", "displaced_reemployed_12m_share",
    "mean_wage_ai_core", "mean_wage_traditional", "ai_wage_premium", "wage_gini", "mean_ai_adoption",
)
OCCUPATION_CONTRACT = ("month", "occupation", "lane", "employed", "unemployed", "vacancies", "hires", "separations_ai", "mean_wage")
STAGE_CONTRACT = ("month", "stage", "employed", "unemployed", "retraining", "out_of_labor_force")


def test_required_scenarios_exist():
    missing = [s for s in REQUIRED if s not in SCENARIOS]
    assert not missing, f"required scenarios missing from {SCENARIO_DIR}: {missing}; found {SCENARIOS}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_composes_and_validates(compose_cfg, scenario):
    cfg = compose_cfg(scenario, SEED, WORKERS, MONTHS)
    validate(cfg)  # raises ConfigError listing every problem
    assert cfg.scenario == scenario, f"{scenario}.yaml must set scenario: {scenario}; got {cfg.scenario!r}"
    desc = cfg.description
    assert isinstance(desc, str) and len(desc.strip()) >= 20, f"{scenario}: description expected to tell the scenario's story; got {desc!r}"
    assert (cfg.workers, cfg.months, cfg.seed, cfg.progress, cfg.figures) == (WORKERS, MONTHS, SEED, False, False), (
        f"{scenario}: command-line overrides must win over the scenario file; got workers={cfg.workers}, months={cfg.months}, "
        f"seed={cfg.seed}, progress={cfg.progress}, figures={cfg.figures}")


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "baseline"])
def test_scenario_changes_something_beyond_its_name(compose_cfg, scenario):
    def plain(name):
        c = OmegaConf.to_container(compose_cfg(name, SEED, WORKERS, MONTHS), resolve=True)
        c.pop("scenario"), c.pop("description")
        return c

    assert plain(scenario) != plain("baseline"), f"{scenario}: composes to the same parameters as baseline; the scenario file changes nothing"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_runs_and_produces_contract(run_scenario_fn, scenario):
    res = run_scenario_fn(scenario, SEED, WORKERS, MONTHS)
    ts, bo, bs = res.timeseries, res.by_occupation, res.by_stage
    missing = [c for c in TIMESERIES_CONTRACT if c not in ts.columns]
    assert not missing, f"{scenario}: timeseries lacks contract columns {missing}"
    missing = [c for c in OCCUPATION_CONTRACT if c not in bo.columns]
    assert not missing, f"{scenario}: by_occupation lacks contract columns {missing}"
    missing = [c for c in STAGE_CONTRACT if c not in bs.columns]
    assert not missing, f"{scenario}: by_stage lacks contract columns {missing}"

    assert len(ts) == MONTHS + 1, f"{scenario}: timeseries expected {MONTHS + 1} rows (months 0..{MONTHS}), got {len(ts)}"
    occ = load_occupations()
    assert sorted(bo["occupation"].unique()) == sorted(occ.names), f"{scenario}: by_occupation must cover every occupation of the table"
    assert set(bo["lane"]) == {"ai_core", "ai_adjacent", "traditional"}, f"{scenario}: lanes expected ai_core, ai_adjacent, traditional; got {set(bo['lane'])}"
    assert set(bs["stage"]) == {"early", "mid", "late"}, f"{scenario}: stages expected early, mid, late; got {set(bs['stage'])}"
    assert res.scenario == scenario and res.summary.get("scenario") == scenario, f"{scenario}: results must carry the scenario name"
    assert ts["employed"].iloc[-1] > 0 and ts["hires"].iloc[1:].sum() > 0, f"{scenario}: a running market has employment and hires"
