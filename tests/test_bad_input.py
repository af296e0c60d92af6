"""Bad input gets one clear message naming every problem at once (issue 13, items 4, 10, 11).

The console scripts run as a subprocess, as a user runs them: exit code 2,
each problem on stderr naming its key, the value given and what is allowed,
no traceback, and no run folder written.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import console_script

from simulation.compare import compare
from simulation.composition import compose
from simulation.config import ConfigError, validate


def _rejected(cmd: list[str], tmp_path: Path, args: list[str], run_dir: bool = True) -> str:
    """Run a command that must refuse its input; return its stderr."""
    out = tmp_path / "run"
    extra = [f"hydra.run.dir={out}"] if run_dir else []
    proc = subprocess.run([*cmd, *args, *extra], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, f"{args}: expected exit code 2, got {proc.returncode}; stderr:\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr, f"{args}: printed a traceback:\n{proc.stderr[-2000:]}"
    assert not out.exists(), f"{args}: a run folder was written although the input was refused"
    assert sorted(p.name for p in tmp_path.iterdir()) == [], f"{args}: files written into the current folder: {list(tmp_path.iterdir())}"
    return proc.stderr


def _line(err: str, key: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip().startswith(f"- {key}:") or f"'{key}'" in ln or f" {key}:" in ln]
    assert lines, f"no line of the message names {key!r}; stderr:\n{err}"
    return lines[0]


# --------------------------------------------------------------------------- 1. compare overrides may not set what the comparison controls
@pytest.mark.parametrize(("override", "key", "instead"), [
    ("scenario=no_ai", "scenario", "scenarios="),
    ("+scenario=no_ai", "scenario", "scenarios="),
    ("seed=5", "seed", "seed=... (the master seed)"),
    ("workers=50", "workers", "workers="),
    ("months=3", "months", "months="),
    ("progress=false", "progress", "progress="),
])
def test_compare_overrides_may_not_set_what_the_comparison_controls(compare_cmd, tmp_path, override, key, instead):
    err = _rejected(compare_cmd, tmp_path, [f'overrides=["{override}"]', "replications=1", "workers=100", "months=2"])
    line = _line(err, key)
    assert "overrides" in line and "set by the comparison" in line and instead in line, (
        f"the message should say {key!r} is set by the comparison and name {instead!r}; got: {line!r}")


@pytest.mark.parametrize("override", ["scenario=no_ai", "seed=5", "workers=50", "months=3", "progress=true", "+scenario=baseline"])
def test_compare_api_refuses_overrides_the_comparison_controls(override):
    key = override.lstrip("+").split("=")[0]
    with pytest.raises(ConfigError, match=rf"'{key}' is set by the comparison"):
        compare(["baseline"], replications=1, workers=100, months=2, overrides=[override], jobs=1, progress=False)


# --------------------------------------------------------------------------- 2. every problem at once
def test_type_and_range_errors_reported_together(laborshift_cmd, tmp_path):
    err = _rejected(laborshift_cmd, tmp_path, ["months=-5", "market.quit_rate=2", "workers=abc"])
    workers = _line(err, "workers")
    assert "'abc'" in workers and "integer" in workers, f"workers: the message should repeat 'abc' and ask for an integer; got: {workers!r}"
    months = _line(err, "months")
    assert "-5" in months and "[1, 100000]" in months, f"months: the message should repeat -5 and the range; got: {months!r}"
    quit_rate = _line(err, "market.quit_rate")
    assert "2" in quit_rate and "[0, 1]" in quit_rate, f"market.quit_rate: the message should repeat 2 and the range; got: {quit_rate!r}"


def test_several_type_errors_reported_together(laborshift_cmd, tmp_path):
    err = _rejected(laborshift_cmd, tmp_path, ["workers=abc", "ai.adoption_cost=cheap", "seed=1.5"])
    for key, value in (("workers", "abc"), ("ai.adoption_cost", "cheap"), ("seed", "1.5")):
        assert value in _line(err, key), f"{key}: the message should repeat {value!r}; stderr:\n{err}"


# --------------------------------------------------------------------------- 3. duplicated keys
def test_duplicate_key_refused(laborshift_cmd, tmp_path):
    line = _line(_rejected(laborshift_cmd, tmp_path, ["workers=2000", "workers=3000"]), "workers")
    assert "2 times" in line and "workers=2000" in line and "workers=3000" in line and "once" in line, (
        f"the message should name both values of the duplicated key and ask for it once; got: {line!r}")


def test_duplicate_key_refused_by_compare(compare_cmd, tmp_path):
    line = _line(_rejected(compare_cmd, tmp_path, ["seed=1", "seed=2"]), "seed")
    assert "2 times" in line and "seed=1" in line and "seed=2" in line, f"the message should name both values; got: {line!r}"


def test_duplicate_key_in_compare_overrides_refused(compare_cmd, tmp_path):
    err = _rejected(compare_cmd, tmp_path, ['overrides=["ai.adoption_cost=0.1","ai.adoption_cost=0.2"]'])
    line = _line(err, "ai.adoption_cost")
    assert "overrides" in line and "2 times" in line, f"the message should name the duplicated override; got: {line!r}"


# --------------------------------------------------------------------------- 4. booleans are true or false
@pytest.mark.parametrize("value", ["-1", "1", "yes"])
def test_boolean_must_be_true_or_false(laborshift_cmd, tmp_path, value):
    line = _line(_rejected(laborshift_cmd, tmp_path, [f"figures={value}"]), "figures")
    assert value in line and "true or false" in line, f"the message should repeat {value!r} and ask for true or false; got: {line!r}"


# --------------------------------------------------------------------------- 5. age_mean between age_entry and retirement_age
def test_age_mean_beyond_retirement_refused(laborshift_cmd, tmp_path):
    args = ["demography.age_mean=65", "demography.retirement_age=40", "demography.early_career_max_age=25",
            "demography.mid_career_max_age=35"]
    line = _line(_rejected(laborshift_cmd, tmp_path, args), "demography.age_mean")
    assert "65" in line and "demography.retirement_age (40)" in line and "demography.age_entry (22)" in line, (
        f"the message should name age_mean's value and both bounds; got: {line!r}")


@pytest.mark.parametrize(("age_mean", "ok"), [(33.0, True), (22.0, False), (60.0, False), (59.0, True)])
def test_validate_checks_age_mean_between_entry_and_retirement(age_mean, ok):
    cfg = compose(None, [f"demography.age_mean={age_mean}"])
    if ok:
        validate(cfg)
    else:
        with pytest.raises(ConfigError, match=r"demography\.age_mean: got .*demography\.age_entry .*demography\.retirement_age"):
            validate(cfg)


# --------------------------------------------------------------------------- 6. an empty output folder
@pytest.mark.parametrize("arg", ["hydra.run.dir=", "hydra.sweep.dir="])
def test_empty_output_folder_refused(laborshift_cmd, tmp_path, arg):
    extra = ["-m", "workers=100,200", "months=2"] if "sweep" in arg else ["workers=100", "months=2"]
    line = _line(_rejected(laborshift_cmd, tmp_path, [*extra, arg], run_dir=False), arg.split("=")[0])
    assert "''" in line and "folder" in line, f"the message should say an empty folder is not allowed; got: {line!r}"


def test_empty_output_folder_refused_by_compare(compare_cmd, tmp_path):
    line = _line(_rejected(compare_cmd, tmp_path, ["hydra.run.dir="], run_dir=False), "hydra.run.dir")
    assert "folder" in line, f"the message should say an empty folder is not allowed; got: {line!r}"


# --------------------------------------------------------------------------- 7. the comparison's master seed has a range
@pytest.mark.parametrize("seed", ["-1", str(2**63)])
def test_compare_seed_out_of_range(compare_cmd, tmp_path, seed):
    line = _line(_rejected(compare_cmd, tmp_path, [f"seed={seed}", "replications=1", "workers=100", "months=2"]), "seed")
    assert seed in line and f"[0, {2**63 - 1}]" in line, f"the message should repeat {seed} and the range; got: {line!r}"


def test_duplicated_key_still_has_its_values_checked():
    from simulation.composition import check_overrides, duplicate_problems, parse_overrides

    with pytest.raises(ConfigError) as err:
        check_overrides(["months=12", "months=0"])
    text = str(err.value)
    assert "months: given 2 times" in text and "months: got 0" in text, f"both the duplicate and the range error should be named; got:\n{text}"
    assert duplicate_problems(parse_overrides(["~market", "+market={}"])) == [], "a deletion then a new value is not a duplicate"


# --------------------------------------------------------------------------- size guards (issue 13, item 6)
def test_estimate_matches_the_benchmark():
    from simulation.resources import peak_slots, run_peak_mb

    est = run_peak_mb(peak_slots(1_000_000, 120, 48, 0.025, 0.02, 0.06, 0.02))
    # make bench measured 562 MB for 1M workers x 120 months; the estimate may err on the safe side, not the other
    assert 562 <= est <= 1_200, f"estimated {est:.0f} MB for 1M workers x 120 months against 562 MB measured"


def _too_big_for_this_machine(mb: float) -> None:
    from simulation.resources import available_mb

    have = available_mb()
    if have is None or have > mb:
        pytest.skip(f"this machine has {have} MB available: the refused size would fit")


@pytest.mark.parametrize("args", [["workers=100000000"], ["months=100000"]], ids=["workers", "months"])
def test_a_run_that_cannot_fit_is_refused_before_allocating(laborshift_cmd, tmp_path, args):
    _too_big_for_this_machine(40_000)
    err = _rejected(laborshift_cmd, tmp_path, args)
    assert "memory available" in err and "check_memory=false" in err, err


def test_check_memory_false_lets_the_guard_pass():
    _too_big_for_this_machine(40_000)
    with pytest.raises(ConfigError, match="memory available"):
        validate(compose("baseline", ["workers=100000000"]))
    validate(compose("baseline", ["workers=100000000", "check_memory=false"]))  # no error: the user forces it


def test_a_comparison_whose_tables_cannot_fit_is_refused(compare_cmd, tmp_path):
    _too_big_for_this_machine(100_000)
    err = _rejected(compare_cmd, tmp_path, ["replications=100000"])
    assert "for the comparison's tables" in err, err


@pytest.mark.parametrize(("args", "says"), [(["+scenario=no_ai"], "scenario: got '+scenario=no_ai'"),
                                            (["seed=1,2"], "add -m to sweep over them")], ids=["plus-scenario", "list-without-m"])
def test_hydra_composition_errors_are_one_line_and_leave_no_folder(laborshift_cmd, tmp_path, args, says):
    err = _rejected(laborshift_cmd, tmp_path, [*args, "workers=500", "months=2"])
    assert says in err, err


# --------------------------------------------------------------------------- the Python API checks what the command line checks
@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, "7", True])
def test_compare_api_refuses_a_bad_master_seed(seed):
    # compare(seed=-1) used to fail inside numpy's SeedSequence ("expected non-negative integer") after composing
    with pytest.raises(ConfigError) as err:
        compare(["baseline"], replications=1, workers=100, months=1, seed=seed, progress=False)
    assert f"seed: got {seed!r}" in str(err.value) and f"[0, {2**63 - 1}]" in str(err.value), str(err.value)


def test_trend_growth_is_bounded(laborshift_cmd, tmp_path):
    # cycle.trend_growth=1 was allowed: 2,000 workers became 6.8 million in 120 months
    line = _line(_rejected(laborshift_cmd, tmp_path, ["cycle.trend_growth=1"]), "cycle.trend_growth")
    assert "got 1.0" in line and "[-0.3, 0.3]" in line, line


# --------------------------------------------------------------------------- output paths are checked before any work
ENTRIES = {"laborshift-calibrate": "simulation.calibrate:main", "laborshift-validate": "simulation.validate:main"}


@pytest.mark.parametrize(("cmd", "option", "path", "says"), [
    ("laborshift-calibrate", "config", "/proc/laborshift-x.yaml", "cannot write into /proc"),
    ("laborshift-calibrate", "config", "{tmp}", "is a folder"),
    ("laborshift-calibrate", "record", "{tmp}/missing/record.json", "does not exist"),
    ("laborshift-validate", "--out", "/proc/laborshift-x", "cannot write into /proc"),
    ("laborshift-validate", "--out", "{tmp}/a_file", "not a folder"),
])
def test_unwritable_outputs_are_refused_before_any_run(tmp_path, cmd, option, path, says):
    # laborshift-calibrate with an unwritable output (once --config-out, now config=) used to calibrate for minutes, then fail writing
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "a_file").write_text("x")
    started = time.monotonic()
    words = [option, path.format(tmp=tmp_path)] if option.startswith("-") else [f"{option}={path.format(tmp=tmp_path)}"]  # calibrate: key=value
    proc = subprocess.run([*console_script(cmd, ENTRIES[cmd]), *words], cwd=work, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"{cmd}: error: {option}: " in proc.stderr and says in proc.stderr, proc.stderr
    assert time.monotonic() - started < 30, "the path must be checked before the runs start"
    assert list(work.iterdir()) == []


def test_config_error_keeps_its_problems_across_processes():
    """A ConfigError raised in a worker process (a parallel calibration's run) reaches the parent with its problems intact."""
    import pickle

    err = pickle.loads(pickle.dumps(ConfigError(["market.layoff_rate: got 2; allowed: [0, 1]", "seed: got -1"])))
    assert err.problems == ["market.layoff_rate: got 2; allowed: [0, 1]", "seed: got -1"]
    assert str(err) == "invalid configuration:\n  - market.layoff_rate: got 2; allowed: [0, 1]\n  - seed: got -1"
