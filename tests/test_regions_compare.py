"""The regional comparison (issue 18): ``laborshift-compare regions=china_us scenarios=[...]`` (simulation/regions_compare.py,
simulation/regions_report.py).

Measured at 1,500 workers a region x 36 months, 2 replications, master seed 0 (re-measured on the China profile of
2026-12-02; the market shares did not move):

* market shares at month 36, China's share of the shared sectors: global_race 49.6-52.1%, chip_controls 47.6-49.1%
  (every shared sector lower: internet_platform 52.06% -> 48.29%, semiconductors 50.61% -> 47.65%); with
  ``regions.trade_elasticity=0`` every share stays at 50.00% in both scenarios.
* AI-core employment, month 36 / month 0 (medians): China x1.311 (global_race), x1.289 (chip_controls), x1.368
  (talent_return); US x1.103, x1.102, x1.069. Migrants over 36 months: China -> US AI-core emigrants 4.5, 5.5, 4; US -> China
  AI-core returns 0, 0, 2 (too few at this size for a claim; the regions' own tests make those at 5,000 workers).
* common random numbers: replication i of every scenario has the same seed and the same month-0 tables per region.
* a one-region comparison is untouched (tests/test_compare.py, tests/test_report.py, tests/test_golden.py); a regional
  scenario without ``regions=`` now exits 2 from ``laborshift-compare`` as it does from ``laborshift``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.cli import compare_main
from simulation.regions_compare import REGION_INDICATORS, compare_regions
from simulation.regions_report import FIGURES, write_regional_report

SCENARIOS = ["global_race", "chip_controls", "talent_return"]
W, M, R = 1_500, 36, 2


@pytest.fixture(scope="module")
def comp():
    return compare_regions("china_us", SCENARIOS, replications=R, workers=W, months=M, seed=0, jobs=1, progress=False,
                           parameter_uncertainty="off")


@pytest.fixture(scope="module")
def drawn():
    """The default: parameter uncertainty on (both profiles have calibration records), 2 of the 3 seeds also at the estimates."""
    return compare_regions("china_us", ["global_race"], replications=3, workers=600, months=12, seed=0, jobs=1, progress=False,
                           noise_replications=2)


@pytest.fixture(scope="module")
def report(comp, tmp_path_factory):
    out = tmp_path_factory.mktemp("regional_report")
    write_regional_report(comp, out)
    return out


def test_tables_carry_region_and_scenario(comp):
    tables = comp.tables()
    for stem in ("runs", "bands", "indicators", "summary", "net_ai_core", "market_share"):
        df = tables[stem]
        assert {"scenario", "region"} <= set(df.columns), stem
        assert set(df["region"]) == {"china", "us"}, stem
        assert set(df["scenario"]) == set(SCENARIOS), stem
    assert {"from", "to", "direction", "lane", "occupation", "count"} <= set(tables["migration"].columns)
    assert set(tables["flows"]["dimension"]) == {"lane", "occupation"}
    assert set(tables["flows"]["direction"]) == {"emigration", "return"}
    assert set(comp.summary["indicator"]) == set(REGION_INDICATORS)
    assert comp.currencies == {"china": "CNY", "us": "USD"}
    # only the shared sectors are in the market-share table
    assert set(tables["market_share"]["sector"]) == set(comp.shared_sectors) and "health_care" not in comp.shared_sectors


def test_bands_contain_their_median(comp):
    for df in (comp.bands, comp.flows, comp.net_ai_core, comp.market_share, comp.summary):
        d = df.dropna(subset=["median"])
        assert (d["lo"] <= d["median"] + 1e-12).all() and (d["median"] <= d["hi"] + 1e-12).all()


def test_common_random_numbers(comp):
    runs = comp.runs
    seeds = runs.groupby(["scenario", "replication"])["seed"].first().unstack("scenario")
    assert (seeds.nunique(axis=1) == 1).all() and seeds.iloc[:, 0].nunique() == R
    m0 = runs[runs["month"] == 0].set_index(["replication", "region"])
    cols = ["population", "employed", "unemployed", "employed_ai_core"]
    base = m0[m0["scenario"] == SCENARIOS[0]][cols].sort_index()
    for s in SCENARIOS[1:]:
        pd.testing.assert_frame_equal(m0[m0["scenario"] == s][cols].sort_index(), base)


def test_flows_add_up_to_the_runs_migration(comp):
    """Per run, the lane totals equal the migration table, and each region's emigrants equal its indicator."""
    mig = comp.migration
    for (s, rep), d in mig.groupby(["scenario", "replication"]):
        ind = comp.indicators[(comp.indicators["scenario"] == s) & (comp.indicators["replication"] == rep)].set_index("region")
        for region in ("china", "us"):
            assert ind.loc[region, "emigrants_total"] == d.loc[d["from"] == region, "count"].sum()
    # the paired difference of the first scenario with itself is 0
    first = comp.summary[comp.summary["scenario"] == SCENARIOS[0]]
    assert (first["vs_first_median"].fillna(0) == 0).all()
    lane = comp.flows[comp.flows["dimension"] == "lane"]
    assert lane["runs"].eq(R).all()  # a flow no run had is 0 in every run, not missing


def test_chip_controls_move_market_share_to_the_us(comp):
    """In every shared sector China's share at the last month is lower under chip_controls than under global_race."""
    m = comp.market_share
    last = m[(m["month"] == M) & (m["metric"] == "share") & (m["region"] == "china")].set_index(["scenario", "sector"])["median"]
    for sector in comp.shared_sectors:
        assert last[("chip_controls", sector)] < last[("global_race", sector)] - 0.005, sector


def test_without_trade_elasticity_the_shares_stay_put():
    """Attribution: with regions.trade_elasticity=0 the product market does not move shares (the effect above vanishes)."""
    c = compare_regions("china_us", ["global_race", "chip_controls"], replications=1, workers=500, months=12, seed=0, jobs=1,
                        progress=False, regions_overrides=["trade_elasticity=0"], parameter_uncertainty="off")
    share = c.market_share[c.market_share["metric"] == "share"]
    assert share["median"].between(0.5 - 1e-9, 0.5 + 1e-9).all()


def test_report_has_a_per_region_and_a_cross_region_section(report):
    text = (report / "report.md").read_text()
    for needle in ("## Each region's trajectory", "### china (money in CNY)", "### us (money in USD)", "## Between the regions",
                   "### Migrants by direction and lane", "### Migrants by occupation", "### Net AI-core flows",
                   "### Market shares in the shared sectors", "Parameter uncertainty: off", "mean monthly wage in the last month (CNY)"):
        assert needle in text, needle
    for stem in FIGURES:
        assert (report / f"{stem}.png").stat().st_size > 10_000
        assert f"]({stem}.png)" in text
    for stem in ("runs", "bands", "summary", "migration", "flows", "net_ai_core", "market_share"):
        assert (report / f"{stem}.csv").exists() and (report / f"{stem}.parquet").exists()


def test_same_seed_same_tables_other_seed_other_tables():
    kw = dict(replications=2, workers=500, months=12, jobs=1, progress=False)
    a = compare_regions("china_us", ["global_race"], seed=3, **kw)
    b = compare_regions("china_us", ["global_race"], seed=3, **kw)
    c = compare_regions("china_us", ["global_race"], seed=4, **kw)
    for stem, df in a.tables().items():
        pd.testing.assert_frame_equal(df, b.tables()[stem], obj=stem)
    assert not a.runs["employed"].equals(c.runs["employed"])


@pytest.mark.parametrize("args, needle", [
    (["scenarios=[global_race]"], "regional scenarios; allowed: with regions=china_us"),
    (["regions=mars", "scenarios=[global_race]"], "regions: got 'mars'"),
    (["regions=china_us", "scenarios=[global_race]", "regions.migration_cost=-1"], "regions.migration_cost: got -1.0"),
    (["regions=china_us", "scenarios=[atlantis]"], "scenarios: got 'atlantis'"),
    (["regions=china_us", "scenarios=[global_race]", "decompose=[global_race]"], "decompose: got"),
    (["regions=china_us", "scenarios=[global_race]", "parameter_uncertainty=maybe"], "parameter_uncertainty: got 'maybe'"),
    (["regions=china_us", "scenarios=[global_race]", "replications=0"], "replications: got 0"),
])
def test_bad_input_exits_2(args, needle, capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        compare_main([*args, "workers=500", "months=6", f"hydra.run.dir={tmp_path / 'out'}"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("laborshift-compare: error:") and needle in err, err
    assert not (tmp_path / "out").exists()


def test_command_writes_the_report_with_a_progress_bar(tmp_path, capsys):
    out = tmp_path / "cmp"
    compare_main(["regions=china_us", "scenarios=[global_race,talent_return]", "workers=400", "months=6", "replications=1", "jobs=1",
                  f"hydra.run.dir={out}"])
    cap = capsys.readouterr()
    assert "2 regional scenarios x 1 replications (china_us)" in cap.err  # the progress bar
    assert "global_race: AI-core employment china x" in cap.out and f"report: {out}/report.md" in cap.out
    assert (out / "report.md").exists() and (out / "region_trajectories.png").exists()


# --------------------------------------------------------------------------- parameter uncertainty
def test_each_profile_draws_its_own_calibrated_parameters(drawn):
    """Replication r draws each profile's parameters from its record (China's draws as a one-region comparison's on the seed)."""
    from simulation.profiles import calibration_record, parameter_draws

    assert drawn.uncertainty["on"] and set(drawn.uncertainty["profiles"]) == {"china", "us"}
    d = drawn.parameter_draws
    assert set(d["profile"]) == {"china", "us"} and set(d["replication"]) == {0, 1, 2}
    for profile in ("china", "us"):
        record = calibration_record(profile)
        mine = d[d["profile"] == profile]
        assert set(mine["parameter"]) == {p["name"] for p in record["parameters"]}
        assert mine.groupby("parameter")["value"].nunique().eq(3).all(), f"{profile}: every replication draws its own values"
    china = parameter_draws(calibration_record("china"), 3, 0)
    got = d[d["profile"] == "china"].pivot(index="replication", columns="parameter", values="value")
    for r, draw in enumerate(china):
        assert all(got.loc[r, k] == v for k, v in draw.items())


def test_drawn_runs_differ_from_the_point_estimates_and_both_widths_are_reported(drawn):
    w = drawn.widths
    assert set(w["uncertainty"]) == {"simulation", "simulation+parameters"}
    assert w.loc[w["uncertainty"] == "simulation", "runs"].eq(2).all() and w.loc[w["uncertainty"] != "simulation", "runs"].eq(3).all()
    assert len(drawn.noise_summary) == len(drawn.summary)
    # the noise set is the first 2 seeds at the point estimates: same seeds as replications 0 and 1, other parameters, so
    # another mean wage in every region; the point-estimate run is the one a comparison without uncertainty makes
    cols = ["replication", "seed", "region"]
    both = drawn.indicators.merge(drawn.noise_indicators, on=cols, suffixes=("", "_est"))
    assert len(both) == 4 and (both["mean_wage_final"] != both["mean_wage_final_est"]).all()
    off = compare_regions("china_us", ["global_race"], replications=1, workers=600, months=12, seed=0, jobs=1, progress=False,
                          parameter_uncertainty="off")
    est = drawn.noise_indicators[drawn.noise_indicators["replication"] == 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(off.indicators.reset_index(drop=True), est, check_dtype=False)
    assert {"parameter_draws", "noise_indicators", "noise_summary", "uncertainty"} <= set(drawn.tables())
    assert off.parameter_draws is None and "uncertainty" not in off.tables()


def test_member_overrides_set_one_region_and_yield_to_the_scenario_and_the_user():
    from simulation.regions import compose_regions, load_regions

    rc = load_regions("china_us")
    ov = ["workers=500", "months=6"]
    configs, _, _ = compose_regions(rc, "global_race", ov, {"china": ["market.layoff_rate=0.02", "policy.public_ai_demand.share=0.9"]})
    plain, _, _ = compose_regions(rc, "global_race", ov)
    assert configs["china"].market.layoff_rate == 0.02 and configs["us"].market.layoff_rate == plain["us"].market.layoff_rate
    assert configs["china"].policy.public_ai_demand.share == 0.3, "the scenario's own setting for the region wins over a draw"
    user, _, _ = compose_regions(rc, "global_race", [*ov, "market.layoff_rate=0.03"], {"china": ["market.layoff_rate=0.02"]})
    assert user["china"].market.layoff_rate == 0.03, "the comparison's overrides win over a draw"


def test_report_says_what_the_bands_include(drawn, tmp_path):
    write_regional_report(drawn, tmp_path)
    text = (tmp_path / "report.md").read_text()
    assert "Parameter uncertainty: on (`parameter_uncertainty=auto`)" in text and "`china`, `us`" in text
    assert "| scenario | region | indicator | simulation | simulation+parameters |" in text
    for stem in ("parameter_draws", "noise_summary", "uncertainty"):
        assert (tmp_path / f"{stem}.csv").exists()
