"""Scenario comparison: common random numbers, bands, paired differences, determinism, bad requests."""

import numpy as np
import pandas as pd
import pytest

from simulation.compare import compare, replication_seeds
from simulation.config import ConfigError

SMALL = {"workers": 1500, "months": 36, "jobs": 2, "progress": False}


@pytest.fixture(scope="module")
def comp():
    return compare(["no_ai", "baseline", "retraining_push"], replications=4, seed=11, **SMALL)


def test_replication_seeds_are_shared_and_distinct():
    seeds = replication_seeds(5, 6)
    assert seeds == replication_seeds(5, 6), "the same master seed must give the same replication seeds"
    assert len(set(seeds)) == 6, f"replication seeds must differ: {seeds}"
    assert replication_seeds(5, 3) == seeds[:3], "the first R seeds must not depend on how many replications follow"


def test_common_random_numbers(comp):
    # replication i of every scenario runs on the same seed
    per_rep = comp.runs.groupby("replication")["seed"].nunique()
    assert (per_rep == 1).all(), f"each replication should use one seed across scenarios: {per_rep.to_dict()}"
    # month 0 is drawn from the seed before any scenario acts: identical across scenarios
    m0 = comp.runs[comp.runs["month"] == 0].drop(columns=["scenario"]).groupby("replication").nunique()
    assert (m0[["employed", "unemployed", "population"]] == 1).all().all(), "month-0 states differ across scenarios on one seed"


def test_bands_contain_the_median(comp):
    for name, df in (("bands", comp.bands), ("paired", comp.paired), ("summary", comp.summary.dropna(subset=["median"]))):
        assert (df["lo"] <= df["median"] + 1e-12).all() and (df["median"] <= df["hi"] + 1e-12).all(), f"{name}: a band excludes its median"
        assert not df[["median", "lo", "hi"]].isna().any().any(), f"{name}: NaN in median or band"


def test_paired_difference_with_itself_is_zero(comp):
    self_pairs = comp.paired[comp.paired["scenario"] == comp.paired["reference"]]
    assert len(self_pairs) > 0
    assert (self_pairs[["median", "lo", "hi", "p05", "p95"]] == 0).all().all(), "a scenario minus itself must be exactly zero"


def test_paired_median_matches_the_runs(comp):
    runs = comp.runs[comp.runs["month"] == comp.months].set_index(["scenario", "replication"])["ai_displaced_cumulative"]
    diff = runs.loc["baseline"] - runs.loc["no_ai"]
    got = comp.paired.query("scenario == 'baseline' and reference == 'no_ai' and metric == 'ai_displaced_cumulative' "
                            f"and month == {comp.months}")["median"].item()
    assert got == pytest.approx(float(np.median(diff))), f"paired median {got} vs median of run differences {np.median(diff)}"
    assert got > 0, "baseline displaces more than no_ai on the same seeds"


def test_summary_covers_every_indicator_and_scenario(comp):
    from simulation.compare import INDICATORS

    assert set(comp.summary["scenario"]) == {"no_ai", "baseline", "retraining_push"}
    assert set(comp.summary["indicator"]) == set(INDICATORS)
    assert {"vs_baseline_median", "vs_no_ai_median"} <= set(comp.summary.columns)


def test_same_master_seed_gives_identical_tables(comp):
    again = compare(["no_ai", "baseline", "retraining_push"], replications=4, seed=11, **SMALL)
    for name, df in comp.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name], check_exact=True, obj=name)


def test_more_replications_narrow_the_band():
    few = compare(["baseline"], replications=3, seed=3, **SMALL)
    many = compare(["baseline"], replications=16, seed=3, **SMALL)

    def width(c):
        b = c.bands[(c.bands["metric"] == "unemployment_rate") & (c.bands["month"] > 0)]
        return float((b["hi"] - b["lo"]).mean())

    assert width(many) < width(few), f"band of the median should narrow with R: R=3 width {width(few):.4f}, R=16 width {width(many):.4f}"


def test_single_scenario_comparison_has_no_paired_table_rows():
    one = compare(["hype_cycle"], replications=2, seed=1, **SMALL)
    assert set(one.bands["scenario"]) == {"hype_cycle"}
    assert one.paired.empty, "with neither baseline nor no_ai there is no reference to pair with"
    assert set(one.summary["scenario"]) == {"hype_cycle"}


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"scenarios": []}, "scenarios: got an empty list"),
        ({"scenarios": ["baseline", "nope"]}, "scenarios: got 'nope'"),
        ({"scenarios": ["baseline"], "replications": 0}, "replications: got 0"),
        ({"scenarios": ["baseline", "baseline"]}, "duplicates"),
    ],
)
def test_bad_requests_raise_config_error(kwargs, needle):
    args = {"replications": 2, **SMALL, **kwargs}
    with pytest.raises(ConfigError) as err:
        compare(**args)
    assert needle in str(err.value), str(err.value)


def test_jobs_above_the_cores_are_capped_with_a_note(capsys):
    import os

    from simulation import parallel

    cores = os.cpu_count() or 1
    parallel._noted_cores.clear()
    assert parallel.n_jobs(cores + 10, 100) == cores, "more processes than cores should be capped at the cores"
    assert f"jobs={cores + 10} is more than this machine's {cores} cores" in capsys.readouterr().err
    assert parallel.n_jobs(0, 100) == cores and parallel.n_jobs(1, 100) == 1 and parallel.n_jobs(cores, 1) == 1
