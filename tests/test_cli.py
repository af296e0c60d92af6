"""The command line and the Python API: a good run writes every output; bad input fails fast and clearly.

The console script is run as a subprocess, as a user runs it. Bad input must
exit with code 2 and one message on stderr that names the field, the value
given and what is allowed, without a traceback and before any run directory
is created.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import simulation
from simulation.cli import check_overrides
from simulation.config import ConfigError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIGURES = ("trajectory.png", "market.png", "wages.png", "occupations.png")


def _run_cli(cmd: list[str], args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


# --------------------------------------------------------------------------- a good run
@pytest.fixture(scope="module")
def good_run(laborshift_cmd, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cli_good")
    out = cwd / "run"
    proc = _run_cli(laborshift_cmd, ["workers=2000", "months=12", "seed=3", "progress=false", f"hydra.run.dir={out}"], cwd)
    return proc, out


def test_good_run_exits_zero(good_run):
    proc, _ = good_run
    assert proc.returncode == 0, f"laborshift exited {proc.returncode}; stderr:\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr, f"a good run printed a traceback:\n{proc.stderr[-3000:]}"


def test_good_run_writes_tables(good_run):
    _, out = good_run
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 13, f"timeseries.parquet: expected 13 rows (months 0..12), got {len(ts)}"
    assert ts["month"].tolist() == list(range(13)), f"timeseries months expected 0..12, got {ts['month'].tolist()}"
    summary = json.loads((out / "summary.json").read_text())
    month0 = (2000 + summary["burn_in_graduates"] + summary["burn_in_entrants_other_sectors"] - summary["burn_in_retirements"]
              - summary["burn_in_left_sector"])
    assert int(ts["population"].iloc[0]) == month0, f"month-0 population expected {month0} (workers=2000 and the burn-in), got {ts['population'].iloc[0]}"
    bo = pd.read_parquet(out / "by_occupation.parquet")
    bs = pd.read_parquet(out / "by_stage.parquet")
    assert len(bo) == 13 * bo["occupation"].nunique() and len(bo) > 0, f"by_occupation.parquet: expected one row per month and occupation, got {len(bo)} rows"
    assert len(bs) == 13 * 3, f"by_stage.parquet: expected 39 rows (13 months x 3 stages), got {len(bs)}"
    bsec = pd.read_parquet(out / "by_sector.parquet")
    assert len(bsec) == 13 * bsec["sector"].nunique() and len(bsec) > 0, f"by_sector.parquet: expected one row per month and sector, got {len(bsec)} rows"


def test_good_run_writes_summary_and_config(good_run):
    _, out = good_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary.get("months") == 12 and summary.get("workers") == 2000 and summary.get("scenario") == "baseline", (
        f"summary.json should describe this run (baseline, 2000 workers, 12 months); got {summary}")
    cfg_text = (out / "config.yaml").read_text()
    assert re.search(r"^workers: 2000$", cfg_text, re.M) and re.search(r"^months: 12$", cfg_text, re.M), (
        f"config.yaml should hold the resolved config with workers: 2000 and months: 12; got:\n{cfg_text[:500]}")


@pytest.mark.parametrize("name", FIGURES)
def test_good_run_writes_figures(good_run, name):
    _, out = good_run
    path = out / name
    assert path.exists(), f"{name} missing from the run directory; found {sorted(p.name for p in out.iterdir())}"
    head = path.read_bytes()[:8]
    assert head == PNG_MAGIC and path.stat().st_size > 1000, f"{name} is not a PNG image ({path.stat().st_size} bytes, header {head!r})"


def test_good_run_leaves_no_partial_files(good_run):
    _, out = good_run
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".partial")]
    assert not leftovers, f"temporary files left in the run directory: {leftovers}"


# --------------------------------------------------------------------------- bad input
def _error_line(stderr: str, field: str) -> str:
    lines = [ln for ln in stderr.splitlines() if field in ln]
    assert lines, f"stderr should name the field {field!r}; got:\n{stderr}"
    return lines[0]


def _assert_rejected(cmd, tmp_path, args) -> str:
    out = tmp_path / "run"
    before = set(tmp_path.iterdir())
    proc = _run_cli(cmd, [*args, f"hydra.run.dir={out}"], tmp_path)
    assert proc.returncode == 2, f"{args}: expected exit code 2, got {proc.returncode}; stderr:\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr, f"{args}: a user error must not print a traceback:\n{proc.stderr[-3000:]}"
    assert not out.exists(), f"{args}: a rejected run must not create its run directory {out}"
    created = sorted(p.name for p in set(tmp_path.iterdir()) - before)
    assert not created, f"{args}: a rejected run must not write anything; created {created} in the working directory"
    return proc.stderr


def _assert_names_bound(line: str, value: str, bound_patterns: list[str]) -> None:
    rest = line.replace(value, "", 1)
    for pat in bound_patterns:
        assert re.search(pat, rest), f"the message should say what is allowed (expected {pat!r}); got: {line!r}"


def test_unknown_key_rejected(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["foo=1"])
    line = _error_line(err, "foo")
    assert "unknown" in line.lower(), f"the message should say 'foo' is an unknown key; got: {line!r}"


def test_misspelt_key_rejected_with_suggestion(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["market.quitrate=0.1"])
    line = _error_line(err, "market.quitrate")
    assert "unknown" in line.lower(), f"the message should say market.quitrate is unknown; got: {line!r}"
    assert "market.quit_rate" in line, f"the message should suggest the key meant, market.quit_rate; got: {line!r}"


def test_unknown_scenario_rejected(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["scenario=nope"])
    line = _error_line(err, "scenario")
    assert "nope" in line, f"the message should repeat the value given ('nope'); got: {line!r}"
    missing = [s for s in ("baseline", "no_ai", "hype_cycle", "safety_net") if s not in line]
    assert not missing, f"the message should list the scenarios allowed (missing {missing}); got: {line!r}"


@pytest.mark.parametrize(
    ("arg", "field", "value", "bounds"),
    [
        ("months=0", "months", "0", [r"\b1\b"]),
        ("workers=-5", "workers", "-5", [r"\b10\b"]),
        ("market.quit_rate=1.5", "market.quit_rate", "1.5", [r"\b0\b", r"\b1\b"]),
    ],
    ids=["months=0", "workers=-5", "quit_rate=1.5"],
)
def test_out_of_range_rejected(laborshift_cmd, tmp_path, arg, field, value, bounds):
    err = _assert_rejected(laborshift_cmd, tmp_path, [arg])
    line = _error_line(err, field)
    assert re.search(rf"(?<![\w.]){re.escape(value)}(?![\w.])", line), f"the message should repeat the value given ({value}); got: {line!r}"
    _assert_names_bound(line, value, bounds)


def test_wrong_type_rejected(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["workers=abc"])
    line = _error_line(err, "workers")
    assert "abc" in line, f"the message should repeat the value given ('abc'); got: {line!r}"
    assert re.search(r"int", line, re.I), f"the message should say an integer is expected; got: {line!r}"


def test_bad_choice_rejected(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["policy.retraining_subsidy.targeting=x"])
    line = _error_line(err, "policy.retraining_subsidy.targeting")
    assert re.search(r"\bx\b", line.replace("policy.retraining_subsidy.targeting", "")), f"the message should repeat the value given ('x'); got: {line!r}"
    missing = [c for c in ("displaced", "mid_career", "all") if c not in line]
    assert not missing, f"the message should list the choices allowed (missing {missing}); got: {line!r}"


def test_several_bad_values_reported_together_by_the_cli(laborshift_cmd, tmp_path):
    err = _assert_rejected(laborshift_cmd, tmp_path, ["months=0", "workers=-5", "market.quit_rate=1.5"])
    missing = [f for f in ("months", "workers", "market.quit_rate") if f not in err]
    assert not missing, f"every bad value should be reported in one go; missing {missing} in:\n{err}"


# --------------------------------------------------------------------------- check_overrides in process
def test_check_overrides_accepts_valid_overrides():
    check_overrides(["scenario=hype_cycle", "workers=2000", "months=12", "market.quit_rate=0.02",
                     "policy.retraining_subsidy.targeting=mid_career", "ai.hype_patience=12"])


def test_check_overrides_collects_every_bad_value():
    bad = ["months=0", "workers=-5", "market.quit_rate=1.5", "policy.retraining_subsidy.targeting=x"]
    with pytest.raises(ConfigError) as info:
        check_overrides(bad)
    problems = info.value.problems
    for field in ("months", "workers", "market.quit_rate", "policy.retraining_subsidy.targeting"):
        assert any(p.startswith(field) for p in problems), f"{field} should be among the problems reported at once; got {problems}"
    assert len(problems) == 4, f"one problem per bad override expected (4); got {len(problems)}: {problems}"


def test_check_overrides_collects_every_unknown_key():
    with pytest.raises(ConfigError) as info:
        check_overrides(["foo=1", "market.quitrate=0.1", "scenario=nope"])
    problems = info.value.problems
    for field in ("foo", "market.quitrate", "scenario"):
        assert any(p.startswith(field) for p in problems), f"{field} should be among the problems reported at once; got {problems}"


def test_unknown_key_hints_name_parameters_not_groups():
    """A mistyped parameter is pointed at the parameters near it; a group that holds parameters is not one of them."""
    with pytest.raises(ConfigError) as info:
        check_overrides(["market.quitrate=0.1", "market.bogus=1", "marke.quit_rate=0.1"])
    hint = {p.split(":")[0]: p for p in info.value.problems}
    assert "did you mean market.quit_rate" in hint["market.quitrate"], hint["market.quitrate"]
    assert "did you mean" not in hint["market.bogus"], f"'market' is a group, not a parameter to suggest: {hint['market.bogus']}"
    assert "did you mean market.quit_rate" in hint["marke.quit_rate"], hint["marke.quit_rate"]


def test_check_overrides_reports_unknown_keys_and_bad_values_together():
    with pytest.raises(ConfigError) as info:
        check_overrides(["foo=1", "months=0"])
    problems = info.value.problems
    for field in ("foo", "months"):
        assert any(p.startswith(field) for p in problems), (
            f"an unknown key and a bad value should both be reported in one go (collect every error); got {problems}")


def test_check_overrides_checks_every_sweep_value():
    with pytest.raises(ConfigError) as info:
        check_overrides(["months=12,0"])
    assert any(p.startswith("months") and "0" in p for p in info.value.problems), f"the bad sweep value months=0 should be reported; got {info.value.problems}"


# --------------------------------------------------------------------------- the Python API
def test_python_api_returns_dataframes():
    res = simulation.run(scenario="baseline", workers=1_000, months=6, seed=2)
    for name in ("timeseries", "by_occupation", "by_stage", "by_sector"):
        df = getattr(res, name)
        assert isinstance(df, pd.DataFrame) and len(df) > 0, f"run(...).{name} expected a non-empty DataFrame, got {type(df).__name__}"
    assert len(res.timeseries) == 7, f"6 months expected 7 rows (months 0..6), got {len(res.timeseries)}"
    bi = res.summary
    month0 = 1_000 + bi["burn_in_graduates"] + bi["burn_in_entrants_other_sectors"] - bi["burn_in_retirements"] - bi["burn_in_left_sector"]
    assert int(res.timeseries["population"].iloc[0]) == month0, f"workers=1000 and the burn-in: month-0 population expected {month0}"
    assert res.seed == 2 and res.scenario == "baseline", f"results should carry scenario and seed; got {res.scenario!r}, {res.seed}"
    tidy = res.to_frame("timeseries")
    assert {"scenario", "seed"} <= set(tidy.columns), f"to_frame() should add scenario and seed columns; got {list(tidy.columns)[:5]}"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"workers": -5}, "workers"),
        ({"months": 0}, "months"),
        ({"overrides": ["market.quit_rate=1.5"]}, "market.quit_rate"),
        ({"overrides": ["policy.retraining_subsidy.targeting=x"]}, "policy.retraining_subsidy.targeting"),
    ],
    ids=["workers=-5", "months=0", "quit_rate=1.5", "targeting=x"],
)
def test_python_api_rejects_invalid_values(kwargs, field):
    kwargs = {"workers": 500, "months": 2, **kwargs}
    with pytest.raises(ConfigError) as info:
        simulation.run(scenario="baseline", **kwargs)
    assert any(p.startswith(field) for p in info.value.problems), f"ConfigError should name {field}; got {info.value.problems}"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scenario": "nope"}, "scenario"),
        ({"overrides": ["workers=abc"]}, "workers"),
        ({"overrides": ["foo=1"]}, "foo"),
    ],
    ids=["scenario=nope", "workers=abc", "foo=1"],
)
def test_python_api_rejects_bad_names_and_types_with_config_error(kwargs, field):
    """The Python API is a user entry point too: an unknown scenario, key or a wrong type is a ConfigError naming it."""
    kwargs = {"workers": 500, "months": 2, **kwargs}
    with pytest.raises(ConfigError) as info:
        simulation.run(**kwargs)
    assert any(p.startswith(field) for p in info.value.problems), f"ConfigError should name {field}; got {info.value.problems}"


# --------------------------------------------------------------------------- help that helps
SCENARIO_FILES = sorted(p.stem for p in (Path(simulation.__file__).resolve().parent.parent / "configs" / "scenario").glob("*.yaml"))


@pytest.mark.parametrize(("which", "keys"), [
    ("laborshift", ("scenario=", "workers=", "months=", "seed=", "hydra.run.dir=")),
    ("compare", ("scenarios=[", "replications=", "workers=", "months=", "seed=", "jobs=", "overrides=", "variants=", "decompose=")),
])
def test_help_describes_the_command_its_keys_and_examples(which, keys, laborshift_cmd, compare_cmd, tmp_path):
    cmd = laborshift_cmd if which == "laborshift" else compare_cmd
    proc = _run_cli(cmd, ["--help"], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    text = proc.stdout
    assert len(text.splitlines()) < 60, f"--help should be a page, not a config dump: {len(text.splitlines())} lines"
    assert "agent-based" in text or "compare scenarios" in text, f"--help has no description:\n{text}"
    for key in keys:
        assert key in text, f"--help does not mention {key!r}:\n{text}"
    assert "Examples:" in text and text.count("\n  laborshift") >= 3, f"--help has no examples:\n{text}"
    for name in SCENARIO_FILES:
        assert name in text, f"--help does not list the scenario {name!r} (configs/scenario/{name}.yaml)"
    assert "== Config ==" not in text and "market:" not in text, "--help still dumps the configuration"
    if which == "compare":
        assert not re.search(r"^\s*scenario: ", text, re.M) and "== Configuration groups ==" not in text, \
            "laborshift-compare --help lists a scenario group the command rejects"


def test_help_shows_the_values_of_the_command_line(laborshift_cmd, tmp_path):
    proc = _run_cli(laborshift_cmd, ["--help", "workers=1234", "scenario=no_ai"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "[1234]" in proc.stdout and "[no_ai]" in proc.stdout, proc.stdout


@pytest.mark.parametrize(("arg", "hint"), [
    ("scenarios=baseline,retraining_push", "scenarios=[baseline,retraining_push]"),
    ("scenarios=baseline", "scenarios=[baseline]"),
])
def test_compare_scenarios_without_brackets_says_to_use_brackets(arg, hint, compare_cmd, tmp_path):
    out = tmp_path / "cmp"
    proc = _run_cli(compare_cmd, [arg, "replications=1", "workers=100", "months=2", f"hydra.run.dir={out}"], tmp_path)
    assert proc.returncode == 2, f"exit {proc.returncode}; stderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Ambiguous" not in proc.stderr, proc.stderr
    assert "brackets" in proc.stderr and hint in proc.stderr, proc.stderr
    assert not out.exists(), "a rejected request must not leave a report folder"
