"""Variants, lever decompositions and the policy evaluation of a comparison (issue 16, items 3 to 5).

One small comparison (``baseline``, ``retraining_push``, ``national_ai_push`` and two
variants of ``retraining_push``; 3 replications x 1,000 workers x 48 months, master seed 3;
``retraining_push`` and ``national_ai_push`` decomposed into their levers) is checked
against its own tables, and ``laborshift-compare`` is run end to end with a variant.

Measured on the China profile of 2026-12-02 (means of the 3 replications): the variant with
the retraining subsidy's cost share at 0.4 had 112 subsidised retraining starts a run against
151 for ``retraining_push`` (0.8); the variant with the cost share at 0.8 (the scenario's
own value) reproduced ``retraining_push``'s runs table exactly; ``national_ai_push`` cost
$39.8M net (adoption subsidy $9.6M, public AI projects $30.2M) for +22.4 job-years
[+16.0, +28.8], $1.78M per job-year [$1.30M, $2.55M]; ``retraining_push`` cost $20.7M
(training and wage subsidy, and more benefits) for -49.8 job-years, so no cost per job-year
(not defined); its subsidised starts used 67% of the 229 seats offered a run (the cheaper
variant 49%); the retraining subsidy alone had 153 subsidised starts and no subsidised hire,
the hiring subsidy alone 8.7 subsidised hires and no subsidised start.
"""

from __future__ import annotations

import math
import re
import subprocess

import numpy as np
import pandas as pd
import pytest

from simulation.compare import compare
from simulation.config import ConfigError
from simulation.policy_eval import DECOMPOSED, OUTCOMES, alone_names, levers_section, mean_band, policy_sections, ratio_band
from simulation.results import fiscal_summary
from simulation.variants import lever_parts, parse_variants, resolve_decompose

SIZE = {"workers": 1000, "months": 48, "jobs": 2, "progress": False}
VARIANTS = {
    "push_cheap": {"scenario": "retraining_push", "policy.retraining_subsidy.cost_share": 0.4},
    "push_same": {"scenario": "retraining_push", "overrides": ["policy.retraining_subsidy.cost_share=0.8"]},
}


@pytest.fixture(scope="module")
def comp():
    return compare(["baseline", "retraining_push", "national_ai_push"], replications=3, seed=3, variants=VARIANTS,
                   decompose=["retraining_push", "national_ai_push"], **SIZE)


@pytest.fixture(scope="module")
def text(comp):
    return "\n".join(levers_section(comp) + policy_sections(comp))


def _outcome(comp, name: str, col: str) -> pd.Series:
    o = comp.policy["policy_outcomes"]
    return o[o["scenario"] == name].set_index("replication")[col]


# --------------------------------------------------------------------------- variants
def test_variants_run_under_their_own_name_on_the_same_seeds(comp):
    assert comp.scenarios == ["baseline", "retraining_push", "national_ai_push", "push_cheap", "push_same"]
    seeds = comp.runs.groupby("scenario")["seed"].unique()
    for name in comp.scenarios:
        assert sorted(seeds[name]) == sorted(comp.seeds), f"{name}: not on the comparison's seeds"
    assert set(comp.summary["scenario"]) == set(comp.scenarios), "a variant has no row in the summary table"


def test_a_variant_with_the_scenarios_own_values_reproduces_the_scenario(comp):
    """The variant machinery adds nothing but its overrides: cost share 0.8 (the scenario's value) gives the same runs."""
    a = comp.runs[comp.runs["scenario"] == "retraining_push"].drop(columns="scenario").reset_index(drop=True)
    b = comp.runs[comp.runs["scenario"] == "push_same"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_a_cheaper_subsidy_variant_changes_take_up(comp):
    """Cost share 0.4 against 0.8: fewer subsidised starts on the same seeds (the variant's override reaches the runs)."""
    cheap = _outcome(comp, "push_cheap", "retraining_started_subsidized")
    full = _outcome(comp, "retraining_push", "retraining_started_subsidized")
    assert cheap.sum() < full.sum(), f"subsidised starts: cost share 0.4 {cheap.tolist()}, 0.8 {full.tolist()}"


def test_report_prints_the_variants_actual_lever_values(comp, text):
    row = next(ln for ln in text.splitlines() if ln.startswith("| `retraining_subsidy.cost_share`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    by_name = dict(zip(comp.scenarios, cells[1:], strict=True))
    assert by_name == {"baseline": "off", "retraining_push": "0.8", "national_ai_push": "off", "push_cheap": "0.4",
                       "push_same": "0.8"}, row
    levers = comp.policy["policy_levers"]
    on = set(levers[levers["enabled"]]["lever"])
    off = re.search(r"Switched off everywhere: (.*)\.", text)
    assert set(re.findall(r"`(\w+)`", off.group(1))) == set(levers["lever"]) - on, off.group(0)
    rows = {ln.split("`")[1].split(".")[0] for ln in text.splitlines() if ln.startswith("| `") and "." in ln.split("`")[1]}
    assert rows == on, f"lever rows {rows} against levers switched on {on}"
    from simulation.report import _what_was_run, scenario_configs

    what = "\n".join(_what_was_run(comp, scenario_configs(comp)))
    line = next(ln for ln in what.splitlines() if ln.startswith("- **`push_cheap`**"))
    assert "policy.retraining_subsidy.cost_share=0.4" in line and "80%" not in line, line


def test_variant_definitions_are_checked():
    with pytest.raises(ConfigError) as err:
        parse_variants({"baseline": {"scenario": "retraining_push"}, "x": {"scenario": "nope"}, "y": {"policy.a": 1}, "1z": 3})
    text = str(err.value)
    for part in ("variants.baseline: the name clashes", "variants.x.scenario: got 'nope'", "variants.y.scenario: missing",
                 "variants.1z: the name '1z' is not allowed"):
        assert part in text, f"{part!r} missing from:\n{text}"
    with pytest.raises(ConfigError, match=r"variants.v: policy.retraining_subsidy.cost_share: got 1.5"):
        compare(["baseline"], replications=1, workers=100, months=2, jobs=1, progress=False,
                variants={"v": {"scenario": "retraining_push", "policy": {"retraining_subsidy": {"cost_share": 1.5}}}})


def test_default_decomposition_is_retraining_push_with_baseline():
    assert resolve_decompose(None, ["baseline", "retraining_push", "no_ai"]) == ["retraining_push"]
    assert resolve_decompose(None, ["no_ai", "retraining_push"]) == []
    assert resolve_decompose([], ["baseline", "retraining_push"]) == []


# --------------------------------------------------------------------------- decomposition
def test_decomposition_adds_up_on_every_seed(comp):
    """Each lever alone plus the interaction equals the bundle's effect, seed by seed, for every outcome."""
    seeds = comp.policy["policy_decomposition_seeds"]
    assert set(seeds["bundle"]) == {"retraining_push", "national_ai_push"}
    for (bundle, outcome), g in seeds.dropna(subset=["value"]).groupby(["bundle", "outcome"]):
        wide = g.pivot(index="replication", columns="component", values="value")
        parts = [c for c in wide.columns if c not in ("bundle", "interaction")]
        assert len(parts) == {"retraining_push": 2, "national_ai_push": 3}[bundle]
        # a share undefined in one of a seed's runs (no displaced cohort yet) leaves that seed undecomposed
        wide = wide.dropna()
        total = wide[parts].sum(axis=1) + wide["interaction"]
        np.testing.assert_allclose(total, wide["bundle"], rtol=1e-9, atol=1e-9, err_msg=f"{bundle} {outcome}")
        assert len(wide) == comp.replications or outcome == "reemployed_12m_share"


def test_the_bundle_and_the_parts_are_real_runs(comp):
    """The bundle's effect is the scenario's run minus baseline's, and each part's run carries only its own lever."""
    seeds = comp.policy["policy_decomposition_seeds"]
    got = seeds[(seeds["bundle"] == "national_ai_push") & (seeds["component"] == "bundle") & (seeds["outcome"] == "job_years")]
    want = _outcome(comp, "national_ai_push", "job_years") - _outcome(comp, "baseline", "job_years")
    np.testing.assert_allclose(got.set_index("replication")["value"].sort_index(), want.sort_index())
    assert _outcome(comp, "retraining_push|retraining_subsidy", "retraining_started_subsidized").sum() > 0
    assert _outcome(comp, "retraining_push|hiring_subsidy", "retraining_started_subsidized").sum() == 0
    assert _outcome(comp, "retraining_push|hiring_subsidy", "hires_subsidised").sum() > 0
    assert _outcome(comp, "retraining_push|retraining_subsidy", "hires_subsidised").sum() == 0
    assert _outcome(comp, "national_ai_push|adoption_subsidy", "outlay_adoption_subsidy").min() > 0
    assert _outcome(comp, "national_ai_push|adoption_subsidy", "outlay_public_ai").max() == 0
    assert _outcome(comp, "national_ai_push|public_ai_demand", "outlay_public_ai").min() > 0
    assert _outcome(comp, "national_ai_push|public_ai_demand", "outlay_adoption_subsidy").max() == 0


def test_lever_parts_group_settings_by_lever():
    base = {"policy": {"a": {"enabled": False, "x": 1}, "b": {"enabled": False}}, "ai": {"c": 1}, "description": "x"}
    bundle = {"policy": {"a": {"enabled": True, "x": 2}, "b": {"enabled": False}}, "ai": {"c": 2}, "description": "y"}
    assert lever_parts(base, bundle) == {"a": ["policy.a.enabled=true", "policy.a.x=2"], "other settings": ["ai.c=2"]}


# --------------------------------------------------------------------------- cost-effectiveness
def test_net_fiscal_cost_and_job_years_come_from_the_runs(comp):
    ce = comp.policy["policy_cost_effectiveness"].set_index(["scenario", "metric"])
    runs = comp.runs
    by = runs[runs["month"] >= 1].groupby(["scenario", "replication"])
    cost = by["fiscal_net_cost"].sum()
    disc = {k: fiscal_summary(g, 0.02)["fiscal_net_cost_discounted"] for k, g in runs.groupby(["scenario", "replication"])}
    jobs = by["employed"].sum() / 12
    for name in ("national_ai_push", "push_cheap"):
        d_cost = (cost[name] - cost["baseline"]).mean()
        assert ce.loc[(name, "net_fiscal_cost"), "estimate"] == pytest.approx(d_cost, rel=1e-9, abs=1e-6)
        d_disc = np.mean([disc[(name, r)] - disc[("baseline", r)] for r in range(comp.replications)])
        assert ce.loc[(name, "net_fiscal_cost_discounted"), "estimate"] == pytest.approx(d_disc, rel=1e-9, abs=1e-6)
        d_jobs = (jobs[name] - jobs["baseline"]).mean()
        assert ce.loc[(name, "additional_job_years"), "estimate"] == pytest.approx(d_jobs)
        per = ce.loc[(name, "cost_per_additional_job_year")]
        if ce.loc[(name, "additional_job_years"), "lo"] > 0:
            assert per["estimate"] == pytest.approx(d_cost / d_jobs) and per["lo"] <= per["estimate"] <= per["hi"]
        else:
            assert math.isnan(per["estimate"]) and per["note"].startswith("not defined")
    assert ce.loc[("national_ai_push", "net_fiscal_cost"), "estimate"] > 0, "national_ai_push has outlays: its net cost is positive"
    assert "baseline" not in ce.index.get_level_values(0)


def test_average_cost_per_reemployed_is_the_net_cost_over_everyone_reemployed(comp):
    """Defined wherever the scenario re-employs anyone, including where it adds no re-employed worker to baseline's."""
    ce = comp.policy["policy_cost_effectiveness"].set_index(["scenario", "metric"])
    last = comp.runs.sort_values("month").groupby(["scenario", "replication"]).tail(1).set_index(["scenario", "replication"])
    count = (last["displaced_cohort_12m"] * last["displaced_reemployed_12m_share"]).round()
    cost = comp.runs[comp.runs["month"] >= 1].groupby(["scenario", "replication"])["fiscal_net_cost"].sum()
    for name in dict.fromkeys(comp.policy["policy_cost_effectiveness"]["scenario"]):
        row = ce.loc[(name, "cost_per_reemployed_12m")]
        if count[name].mean() <= 0:
            assert row["note"].startswith("not defined")
            continue
        assert row["estimate"] == pytest.approx((cost[name] - cost["baseline"]).mean() / count[name].mean(), rel=1e-9)
        assert row["lo"] <= row["estimate"] <= row["hi"]


def test_ratio_band_is_not_defined_when_the_gain_may_be_zero():
    est, lo, hi, n, note = ratio_band([10.0, 12.0, 8.0, 10.0], [1.0, -1.0, 0.5, -0.4])
    assert math.isnan(est) and n == 4 and note.startswith("not defined"), "a gain whose band includes 0 must not give a cost"
    est, lo, hi, n, note = ratio_band([10.0, 12.0, 8.0, 10.0], [2.0, 2.2, 1.8, 2.0])
    assert note == "" and est == pytest.approx(40.0 / 8.0) and lo <= est <= hi
    m, lo, hi, n = mean_band([1.0, 2.0, float("nan"), 3.0])
    assert (m, n) == (2.0, 3) and 1.0 <= lo <= m <= hi <= 3.0


# --------------------------------------------------------------------------- every sentence from its numbers
MONEY = r"([+-]?)\$([0-9.]+)(bn|M|k|)"
SCALE = {"bn": 1e9, "M": 1e6, "k": 1e3, "": 1.0}


def _money(text: str) -> list[float]:
    return [(-1 if s == "-" else 1) * float(v) * SCALE[u] for s, v, u in re.findall(MONEY, text)]


def _close(printed: float, value: float) -> bool:
    return abs(printed - value) <= max(0.006 * abs(value), 0.51)  # three significant digits, or a whole dollar


def test_cost_sentences_state_the_tables_numbers(comp, text):
    ce = comp.policy["policy_cost_effectiveness"].set_index(["scenario", "metric"])
    names = list(dict.fromkeys(comp.policy["policy_cost_effectiveness"]["scenario"]))
    assert names == ["retraining_push", "national_ai_push", "push_cheap", "push_same"]
    for name in names:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"- `{name}` against `baseline`: net fiscal cost"))
        money = _money(line)
        want = [ce.loc[(name, "net_fiscal_cost"), k] for k in ("estimate", "lo", "hi")]
        want += [ce.loc[(name, "net_fiscal_cost_discounted"), k] for k in ("estimate", "lo", "hi")]
        for metric in ("cost_per_additional_reemployed_12m", "cost_per_additional_job_year", "cost_per_reemployed_12m"):
            row = ce.loc[(name, metric)]
            if math.isnan(row["estimate"]):
                assert "is not defined" in line
            else:
                want += [row["estimate"], row["lo"], row["hi"]]
        assert len(money) == len(want) and all(_close(p, w) for p, w in zip(money, want, strict=True)), f"{line}\n{want}"
        jy = re.search(r"and ([+-]?[0-9,.]+) \[([+-]?[0-9,.]+), ([+-]?[0-9,.]+)\] job-years", line)
        for printed, key in zip(jy.groups(), ("estimate", "lo", "hi"), strict=True):
            assert float(printed.replace(",", "")) == pytest.approx(ce.loc[(name, "additional_job_years"), key], abs=0.051)


def test_decomposition_sentences_state_the_tables_numbers(comp, text):
    dec = comp.policy["policy_decomposition"].set_index(["bundle", "component", "outcome"])
    for bundle in ("retraining_push", "national_ai_push"):
        for outcome in DECOMPOSED:
            doc, kind = OUTCOMES[outcome]
            line = next(ln for ln in text.splitlines() if ln.startswith(f"- {doc[0].upper() + doc[1:]}: `{bundle}`"))
            parts = re.findall(r"`(\w+)` alone (\S+)", line)
            assert {p for p, _ in parts} == {c for b, c, o in dec.index if b == bundle and o == outcome} - {"bundle", "interaction"}
            for part, printed in parts:
                value = dec.loc[(bundle, part, outcome), "mean"]
                if printed.startswith("n/a"):
                    assert math.isnan(value), line
                elif kind == "share":
                    assert float(printed) == pytest.approx(100 * value, abs=0.0051), line
                elif kind == "money":
                    assert _close(_money(printed)[0], value), line
                else:
                    assert float(printed.replace(",", "")) == pytest.approx(value, abs=0.51), line
            top = re.search(r"largest effect in absolute value is `(\w+)`", line)
            means = {p: abs(dec.loc[(bundle, p, outcome), "mean"]) for p, _ in parts}
            if top:
                assert means[top.group(1)] == max(means.values()), line
            else:  # no claim: one part, a tie, no effect, or undefined
                ranked = sorted(means.values())
                assert len(parts) < 2 or ranked[-1] == ranked[-2] or not ranked[-1] > 0, line


def test_take_up_table_states_the_runs(comp, text):
    row = next(ln for ln in text.splitlines() if ln.startswith("| subsidised retraining starts"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    names = [*comp.scenarios, *alone_names(comp.policy["policy_outcomes"])]  # the scenarios, then the lever-alone runs
    for name, cell in zip(names, cells, strict=True):
        mean = _outcome(comp, name, "retraining_started_subsidized").mean()
        assert float(cell.split(" ")[0].replace(",", "")) == pytest.approx(mean, abs=0.51), f"{name}: {cell}"
    if "retraining_seats_offered" not in comp.runs.columns:
        pytest.skip("no retraining_seats_offered column in this branch")
    row = next(ln for ln in text.splitlines() if ln.startswith("| seat use"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    for name, cell in zip(names, cells, strict=True):
        use = _outcome(comp, name, "retraining_started_subsidized") / _outcome(comp, name, "retraining_seats_offered").where(
            _outcome(comp, name, "retraining_seats_offered") > 0)
        if use.isna().all():
            assert cell == "n/a", f"{name}: {cell}"
        else:
            assert float(cell.split("%")[0]) == pytest.approx(100 * use.mean(), abs=0.051), f"{name}: {cell}"
    assert _outcome(comp, "push_cheap", "retraining_started_subsidized").sum() < _outcome(
        comp, "push_cheap", "retraining_seats_offered").sum(), "the cheaper variant leaves seats unused"


# --------------------------------------------------------------------------- the command, end to end
def test_compare_command_runs_a_variant_in_one_command(compare_cmd, tmp_path):
    """laborshift-compare: baseline against a variant of retraining_push with another cost share, and one from a file."""
    (tmp_path / "more.yaml").write_text("push_file:\n  scenario: retraining_push\n  policy:\n    retraining_subsidy:\n      seats_per_1000: 9.0\n")
    out = tmp_path / "out"
    args = ["scenarios=[baseline]", "variants={push_cheap: {scenario: retraining_push, policy.retraining_subsidy.cost_share: 0.3}}",
            f"variants_file={tmp_path / 'more.yaml'}", "decompose=[push_cheap]", "replications=2", "workers=300", "months=18",
            "jobs=2", "progress=false", f"hydra.run.dir={out}"]
    proc = subprocess.run([*compare_cmd, *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = (out / "report.md").read_text()
    row = next(ln for ln in report.splitlines() if ln.startswith("| `retraining_subsidy.cost_share`"))
    assert [c.strip() for c in row.strip("|").split("|")] == ["`retraining_subsidy.cost_share`", "off", "0.3", "0.8"], row
    row = next(ln for ln in report.splitlines() if ln.startswith("| `retraining_subsidy.seats_per_1000`"))
    assert [c.strip() for c in row.strip("|").split("|")][1:] == ["off", "5.0", "9.0"], row
    assert "- **`push_cheap`**: variant of `retraining_push` with `policy.retraining_subsidy.cost_share=0.3`" in report
    ce = pd.read_csv(out / "policy_cost_effectiveness.csv")
    assert set(ce["scenario"]) == {"push_cheap", "push_file"}
    dec = pd.read_parquet(out / "policy_decomposition.parquet")
    assert set(dec["component"]) == {"retraining_subsidy", "hiring_subsidy", "interaction", "bundle"}


def test_compare_command_refuses_bad_variants(compare_cmd, tmp_path):
    args = ["scenarios=[baseline]", "variants={retraining_push: {scenario: retraining_push}, v: {scenario: nope}, "
            "w: {scenario: retraining_push, policy.retraining_subsidy.cost_share: 2, seed: 4}}", "decompose=[x]",
            "replications=1", "workers=100", "months=2", f"hydra.run.dir={tmp_path / 'out'}"]
    proc = subprocess.run([*compare_cmd, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for part in ("variants.retraining_push: the name clashes", "variants.v.scenario: got 'nope'",
                 "variants.w: 'seed' is set by the comparison", "variants.w: policy.retraining_subsidy.cost_share: got 2"):
        assert part in proc.stderr, f"{part!r} missing from:\n{proc.stderr}"
    assert not (tmp_path / "out").exists()


def test_hiring_subsidy_effects_in_the_take_up_table_are_hiring_effects(comp):
    """Deadweight, substitution and net jobs: the means of ``subsidy_effects.hiring_effects`` per replication against baseline."""
    effects = pytest.importorskip("simulation.subsidy_effects")
    tu = comp.policy["policy_take_up"].set_index(["scenario", "metric"])
    per = effects.hiring_effects(comp.runs, "push_cheap", "baseline")
    for metric in ("deadweight_share", "substitution_share", "net_jobs_mean"):
        assert tu.loc[("push_cheap", metric), "mean"] == pytest.approx(per[metric].mean()), metric
    assert ("national_ai_push", "deadweight_share") not in tu.index, "no subsidised hire: no deadweight row"


def test_take_up_has_each_lever_alone_column(comp, text):
    """A decomposition's lever-alone runs get their own take-up column: the hiring subsidy's deadweight without the bundle's
    other levers (the retraining subsidy alone makes no subsidised hire, so it has no deadweight row)."""
    tu = comp.policy["policy_take_up"].set_index(["scenario", "metric"])
    assert ("retraining_push|hiring_subsidy", "deadweight_share") in tu.index
    assert ("retraining_push|retraining_subsidy", "deadweight_share") not in tu.index
    assert tu.loc[("retraining_push|retraining_subsidy", "retraining_started_subsidized"), "mean"] > 0
    assert tu.loc[("retraining_push|hiring_subsidy", "retraining_started_subsidized"), "mean"] == 0
    header = next(ln for ln in text.splitlines() if ln.startswith("|  | `baseline`"))
    assert "`hiring_subsidy` alone (of `retraining_push`)" in header and "`retraining_subsidy` alone (of `retraining_push`)" in header
