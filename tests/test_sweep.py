"""Sweeps: every combination runs in its own folder, runs resume by config hash, and collect merges them tidily.

The console script is run as a user runs it (``laborshift -m ...`` with the
default joblib launcher); the sweeps are small (1,000 workers, 12-18 months).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import with_sweep_dir
from simulation.files import current_umask
from simulation.runner import run
from simulation.sweep import collect, job_dirname, run_dir_name, sweep_id, write_collected

BASE = ["workers=1000", "months=12", "progress=False", "figures=False"]  # as Hydra spells them in run folder names
SWEEP = [*BASE, "seed=0,1", "ai.automation_strength=0.5,1.0"]
COMBOS = [(s, a) for s in (0, 1) for a in (0.5, 1.0)]


def _laborshift(laborshift_cmd, args, cwd, **kw):
    return subprocess.run([*laborshift_cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=600, **kw)


def _collect_cmd() -> list[str]:
    beside = Path(sys.executable).with_name("laborshift-collect")
    return [str(beside)] if beside.exists() else [sys.executable, "-c", "from simulation.sweep import collect_main; collect_main()"]


def _run_dir(seed: int, strength: float) -> str:
    return job_dirname([*BASE, f"seed={seed}", f"ai.automation_strength={strength}"])


@pytest.fixture(scope="module")
def sweep(laborshift_cmd, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("sweep")
    out = cwd / "sw"
    proc = _laborshift(laborshift_cmd, ["-m", *SWEEP, "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={out}"], cwd)
    assert proc.returncode == 0, f"the sweep exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return cwd, out, proc


def test_every_combination_runs_in_its_own_folder(sweep):
    _, out, proc = sweep
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == sorted(_run_dir(s, a) for s, a in COMBOS), f"run folders: {folders}"
    for s, a in COMBOS:
        d = out / _run_dir(s, a)
        cfg = (d / "config.yaml").read_text()
        assert f"seed: {s}" in cfg and f"automation_strength: {a}" in cfg, f"{d.name}/config.yaml does not hold its overrides"
        assert json.loads((d / "summary.json").read_text())["seed"] == s
    assert proc.stdout.count("done in") == 4, f"expected 4 runs reported done:\n{proc.stdout}"


def test_collect_is_one_row_per_run_and_month_with_parameters(sweep):
    _, out, _ = sweep
    c = collect(out)
    assert not c.missing and not c.incomplete, c.report()
    assert len(c.summary) == 4 and len(c.timeseries) == 4 * 13
    for col in ("run", "config_hash", "scenario", "seed", "ai.automation_strength", "workers", "months", "month", "unemployment_rate"):
        assert col in c.timeseries.columns, f"collected timeseries lacks {col}"
    got = sorted(zip(c.summary["seed"], c.summary["ai.automation_strength"], strict=True))
    assert got == sorted(COMBOS), f"summary rows hold the parameters {got}"
    assert c.timeseries.groupby("run")["month"].apply(list).map(lambda m: m == list(range(13))).all()
    assert c.summary["config_hash"].nunique() == 4, "each run has its own config hash"


def test_collect_merges_the_by_tables_asked_for(sweep, tmp_path):
    """by_occupation, by_stage and by_sector are merged when asked, one row per run, month and group, and written."""
    _, out, _ = sweep
    assert collect(out).tables() == {}, "by default only the timeseries and the summary are merged"
    c = collect(out, by_occupation=True, by_stage=True, by_sector=True)
    for name, group in (("by_occupation", "occupation"), ("by_stage", "stage"), ("by_sector", "sector")):
        df = c.tables()[name]
        assert df.groupby(["run", "month"])[group].nunique().nunique() == 1, f"{name}: every run and month has every {group}"
        assert df["run"].nunique() == 4 and "ai.automation_strength" in df.columns, f"{name} lacks the runs' parameters"
    written = {p.name for p in write_collected(c, tmp_path / "ds")}
    assert {"by_occupation.parquet", "by_stage.parquet", "by_sector.parquet"} <= written, written


def test_collected_run_equals_a_direct_run(sweep):
    """The sweep machinery changes nothing: a collected run equals the same run made with the Python API."""
    _, out, _ = sweep
    c = collect(out)
    direct = run(scenario="baseline", overrides=[*BASE, "seed=1", "ai.automation_strength=0.5"]).timeseries
    got = c.timeseries.loc[(c.timeseries["seed"] == 1) & (c.timeseries["ai.automation_strength"] == 0.5), direct.columns]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), direct.reset_index(drop=True))


def test_collect_cli_writes_the_dataset(sweep, tmp_path):
    cwd, out, _ = sweep
    dest = tmp_path / "dataset"
    proc = subprocess.run([*_collect_cmd(), str(out), "--out", str(dest), "--strict"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "collected 4 complete runs" in proc.stdout
    ts = pd.read_parquet(dest / "timeseries.parquet")
    summary = pd.read_parquet(dest / "summary.parquet")
    assert len(ts) == 52 and len(summary) == 4
    assert len(pd.read_csv(dest / "summary.csv")) == 4
    assert json.loads((dest / "status.json").read_text())["missing"] == []


def test_rerun_skips_complete_runs_and_redoes_the_rest(sweep, laborshift_cmd, tmp_path):
    cwd, out, _ = sweep
    # a copy, so the other tests keep the pristine sweep
    import shutil

    copy = tmp_path / "sw"
    shutil.copytree(out, copy)
    stamps = {p.parent.name: p.stat().st_mtime_ns for p in copy.glob("*/summary.json")}
    redo = copy / _run_dir(1, 1.0)
    (redo / "summary.json").unlink()  # as if killed before the end
    (redo / ".timeseries.parquet.x.partial").write_text("half")
    proc = _laborshift(laborshift_cmd, ["-m", *SWEEP, "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={copy}"], cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("already complete, skipped") == 3, proc.stdout
    assert proc.stdout.count("done in") == 1, proc.stdout
    for name, stamp in stamps.items():
        if name != redo.name:
            assert (copy / name / "summary.json").stat().st_mtime_ns == stamp, f"{name} was re-run although complete"
    assert not list(redo.glob(".*.partial")), "a re-run left the interrupted run's temporary file"
    pd.testing.assert_frame_equal(collect(copy).timeseries.drop(columns="run"), collect(out).timeseries.drop(columns="run"))


def test_a_changed_config_is_not_taken_for_complete(sweep, laborshift_cmd, tmp_path):
    """Same folder, different resolved config (another default via a scenario file): the run is redone, not skipped."""
    import shutil

    cwd, out, _ = sweep
    copy = tmp_path / "sw"
    shutil.copytree(out, copy)
    target = copy / _run_dir(0, 0.5) / "summary.json"
    summary = json.loads(target.read_text())
    target.write_text(json.dumps({**summary, "config_hash": "0" * 16}))
    proc = _laborshift(laborshift_cmd, ["-m", *SWEEP, "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={copy}"], cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("done in") == 1 and proc.stdout.count("skipped") == 3, proc.stdout
    assert json.loads(target.read_text())["config_hash"] == summary["config_hash"]


def test_a_killed_sweep_resumes_without_losing_or_duplicating_runs(laborshift_cmd, tmp_path):
    args = ["-m", "workers=3000", "months=18", "progress=false", "seed=0,1,2,3,4,5",
            "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={tmp_path / 'sw'}"]
    proc = subprocess.Popen([*laborshift_cmd, *args], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((tmp_path / "sw").glob("*/summary.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.parent.name: p.stat().st_mtime_ns for p in (tmp_path / "sw").glob("*/summary.json")}
    assert 2 <= len(finished) < 6, f"the kill came too late to test anything: {len(finished)} runs finished"

    again = _laborshift(laborshift_cmd, args, tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.count("already complete, skipped") == len(finished), again.stdout
    assert again.stdout.count("done in") == 6 - len(finished), again.stdout
    for name, stamp in finished.items():
        assert (tmp_path / "sw" / name / "summary.json").stat().st_mtime_ns == stamp, f"finished run {name} was redone"
    c = collect(tmp_path / "sw")
    assert sorted(c.summary["seed"]) == [0, 1, 2, 3, 4, 5], "every seed exactly once"
    assert not c.missing and not c.incomplete, c.report()
    assert len(c.timeseries) == 6 * 19
    assert not list((tmp_path / "sw").glob("*/*.png")), "a sweep's runs write no figures unless figures=true is given"
    modes = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "sw").glob("*/*.parquet")}
    assert modes == {oct(0o666 & ~current_umask())}, f"outputs are created with a plain file's permissions, got {modes}"


def test_collect_names_missing_and_incomplete_runs(sweep, tmp_path):
    import shutil

    _, out, _ = sweep
    copy = tmp_path / "sw"
    shutil.copytree(out, copy)
    shutil.rmtree(copy / _run_dir(0, 1.0))  # never written
    (copy / _run_dir(1, 0.5) / "summary.json").unlink()  # killed before the end
    (copy / _run_dir(1, 1.0) / "timeseries.parquet").write_bytes(b"PAR1 not a parquet file")  # corrupt
    c = collect(copy)
    assert len(c.summary) == 1
    assert c.missing == [{"workers": 1000, "months": 12, "progress": False, "figures": False, "seed": 0, "ai.automation_strength": 1.0}]
    reasons = {(m["seed"], m["ai.automation_strength"]): m["reason"] for m in c.incomplete}
    assert set(reasons) == {(1, 0.5), (1, 1.0)}
    assert "summary.json" in reasons[(1, 0.5)] and "unreadable table" in reasons[(1, 1.0)]
    report = c.report()
    assert "seed=0 ai.automation_strength=1.0" in report and "seed=1 ai.automation_strength=0.5" in report
    write_collected(c)
    status = json.loads((copy / "collected" / "status.json").read_text())
    assert len(status["missing"]) == 1 and len(status["incomplete"]) == 2
    strict = subprocess.run([*_collect_cmd(), str(copy), "--strict"], capture_output=True, text=True, timeout=300)
    assert strict.returncode == 1 and "missing (1 runs" in strict.stdout


def test_collect_rejects_a_folder_that_is_not_a_sweep(tmp_path):
    proc = subprocess.run([*_collect_cmd(), str(tmp_path / "nope")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([*_collect_cmd(), str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "holds no runs" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("bad", "named"), [
    ("ai.no_such_parameter=0.1,0.2", "ai.no_such_parameter"),
    ("ai.automation_strength=0.5,1.5", "ai.automation_strength: got 1.5"),
    ("months=12,0", "months: got 0"),
])
def test_bad_sweep_fails_before_any_run(laborshift_cmd, tmp_path, bad, named):
    out = tmp_path / "sw"
    proc = _laborshift(laborshift_cmd, ["-m", "workers=1000", "months=12", "seed=0,1", bad, f"hydra.sweep.dir={out}"], tmp_path)
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert named in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not out.exists(), "a failed sweep created its folder"


def test_default_sweep_folder_is_named_by_the_sweep():
    args = ["-m", "seed=0,1", "ai.automation_strength=0.5,1.0", "hydra.launcher.n_jobs=2"]
    named = with_sweep_dir(args)
    assert named[-1] == f"hydra.sweep.dir=results/sweeps/{sweep_id(['seed=0,1', 'ai.automation_strength=0.5,1.0'])}"
    assert with_sweep_dir(args) == named, "the same sweep gets the same folder (so re-running resumes it)"
    assert with_sweep_dir(["-m", "seed=0,1,2"]) != named
    assert with_sweep_dir(["-m", "seed=0,1", "hydra.sweep.dir=x"]) == ["-m", "seed=0,1", "hydra.sweep.dir=x"]
    assert with_sweep_dir(["seed=0"]) == ["seed=0"], "a single run keeps Hydra's run folder"


def test_run_folder_names_are_safe():
    assert run_dir_name("a=1,seed=0") == "a=1,seed=0"
    assert run_dir_name("") == "defaults"
    long = ",".join(f"p{i}=0.123456" for i in range(40))
    assert run_dir_name(long).startswith("run-") and run_dir_name(long) == run_dir_name(long)
    assert run_dir_name("x=[1, 2]").startswith("run-")
    assert job_dirname(["seed=1", "a=2"]) == "a=2,seed=1"
