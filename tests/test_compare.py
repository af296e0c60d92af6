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


def test_jobless_rate_band_is_the_runs_jobless_rate(comp):
    """``jobless_rate`` in the bands: per run and month, (unemployed + retraining) / (labour force + retraining)."""
    last = comp.runs[comp.runs["month"] == comp.months]
    rate = (last["unemployed"] + last["retraining"]) / (last["labor_force"] + last["retraining"])
    for s in comp.scenarios:
        got = comp.bands.query(f"scenario == '{s}' and metric == 'jobless_rate' and month == {comp.months}")["median"].item()
        assert got == pytest.approx(float(np.median(rate[last["scenario"] == s]))), s


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
    assert {"vs_baseline_median", "vs_no_ai_median", "vs_baseline_runs", "vs_no_ai_runs"} <= set(comp.summary.columns)


def test_same_master_seed_gives_identical_tables(comp):
    again = compare(["no_ai", "baseline", "retraining_push"], replications=4, seed=11, **SMALL)
    for name, df in comp.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name], check_exact=True, obj=name)


def test_more_replications_narrow_the_band():
    # simulation noise alone: with a profile's calibration record, auto would also draw each replication's parameters,
    # and three draws are too few for a band to say how it narrows (parameter uncertainty: tests/test_parameter_uncertainty.py)
    # 4 against 24 replications: the width from 3 is itself too noisy (on an earlier calibration of the China profile
    # R=3 gave 0.0081 against 0.0083 at R=16 on seed 3; on the China profile of 2026-12-02 0.0127 against 0.0096);
    # measured on the China profile of 2026-12-02, seeds 3, 4, 5: 0.0120, 0.0110, 0.0150 at R=4 against 0.0080, 0.0061,
    # 0.0059 at R=24
    few = compare(["baseline"], replications=4, seed=3, parameter_uncertainty="off", **SMALL)
    many = compare(["baseline"], replications=24, seed=3, parameter_uncertainty="off", **SMALL)

    def width(c):
        b = c.bands[(c.bands["metric"] == "unemployment_rate") & (c.bands["month"] > 0)]
        return float((b["hi"] - b["lo"]).mean())

    assert width(many) < width(few), f"band of the median should narrow with R: R=4 width {width(few):.4f}, R=24 width {width(many):.4f}"


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


def test_groups_cover_every_dimension_and_checkpoint(comp):
    from simulation.compare import AGE_BANDS, GROUP_DIMENSIONS, checkpoint_months

    g = comp.groups
    assert set(g["dimension"]) == set(GROUP_DIMENSIONS)
    assert sorted(g["month"].unique()) == list(checkpoint_months(comp.months)) == [comp.months], "36 months: the last month only"
    assert list(g.loc[g["dimension"] == "age", "group"].unique()) == list(AGE_BANDS)
    assert checkpoint_months(120) == (60, 120) and checkpoint_months(200) == (60, 120, 200)


def test_group_counts_add_up_to_the_timeseries(comp):
    """Every dimension partitions the labour force and the trainees: its groups' counts sum to the run's totals."""
    last = comp.runs[comp.runs["month"] == comp.months].set_index(["scenario", "replication"])
    g = comp.groups[comp.groups["month"] == comp.months]
    for dim in ("stage", "lane", "occupation"):
        tot = g[g["dimension"] == dim].groupby(["scenario", "replication"])[["unemployed", "in_training", "labour_force", "cohort_12m"]].sum()
        assert (tot["unemployed"] == last.loc[tot.index, "unemployed"]).all(), f"{dim}: unemployed do not add up"
        assert (tot["in_training"] == last.loc[tot.index, "retraining"]).all(), f"{dim}: workers in training do not add up"
        assert (tot["labour_force"] == last.loc[tot.index, "employed"] + last.loc[tot.index, "unemployed"]).all(), dim
        assert (tot["cohort_12m"] == last.loc[tot.index, "displaced_cohort_12m"]).all(), f"{dim}: cohorts do not add up"


def test_small_groups_are_undefined_not_zero(comp):
    from simulation.compare import MIN_GROUP

    g = comp.groups
    small = g["cohort_12m"] < MIN_GROUP
    assert g.loc[small, "reemployed_12m_share"].isna().all(), "a share over fewer than MIN_GROUP displaced workers must be NaN"
    big = g["labour_force"] >= MIN_GROUP
    assert g.loc[big, "unemployment_rate"].notna().all()


def test_widest_gap_month_on_a_known_series():
    from simulation.compare import widest_gap_month

    months = np.arange(0, 61)
    rows = []
    for rep in (0, 1):
        for s, u in (("no_ai", np.full(61, 0.05)), ("baseline", 0.05 + 0.02 * np.minimum(months, 30) / 30)):
            rows += [{"scenario": s, "replication": rep, "month": m, "unemployment_rate": v} for m, v in zip(months, u, strict=True)]
    got = widest_gap_month(pd.DataFrame(rows))
    # the gap rises linearly to 2 points at month 30 and stays there; its 12-month trailing average first comes within
    # 0.1 points of its largest (2.0) in month 36, when the window (months 25-36) averages 2 * (1 - 15 / 360) = 1.917 points
    assert got[("baseline", 0)] == 36 and got[("baseline", 1)] == 36, got
