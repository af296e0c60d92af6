"""A run folder has one writer at a time, and resume trusts only what it can read.

Real processes: two console-script runs aim at one folder (the second is refused
with exit code 2 and the first's outputs stay its own); two identical sweeps at
once compute each run once. Resume redoes a run whose table is truncated or whose
summary is not a JSON object.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import console_script

from simulation.files import LOCK_FILE
from simulation.runner import compose, run_and_save


def _start(cmd: list[str], args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([*cmd, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_lock(folder: Path, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        lock = folder / LOCK_FILE
        if lock.exists() and lock.read_text().startswith("pid"):
            return
        assert proc.poll() is None, f"the first run ended before it locked its folder: {proc.communicate()}"
        time.sleep(0.05)
    pytest.fail(f"the first run did not lock {folder} within {timeout} s")


def test_second_writer_to_a_run_folder_is_refused_and_the_first_is_intact(laborshift_cmd, tmp_path):
    out = tmp_path / "run"
    a_args = ["workers=200000", "months=60", "seed=11", "progress=false", "figures=false", f"hydra.run.dir={out}"]
    a = _start(laborshift_cmd, a_args, tmp_path)
    try:
        _wait_for_lock(out, a)
        b = subprocess.run([*laborshift_cmd, "workers=2000", "months=12", "seed=12", "progress=false", f"hydra.run.dir={out}"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert a.poll() is None, "the first run finished before the second started: the test needs a longer first run"
        assert b.returncode == 2, f"the second writer should be refused with exit code 2, got {b.returncode}: {b.stderr}"
        assert "being written by another laborshift process" in b.stderr and "Traceback" not in b.stderr, b.stderr
        a_out, a_err = a.communicate(timeout=300)
    finally:
        a.kill()
    assert a.returncode == 0, a_err
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["seed"], summary["workers"]) == (11, 200000), f"the first run's summary was overwritten: {summary}"
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert (config["seed"], config["workers"]) == (11, 200000), "the first run's config.yaml was overwritten"
    overrides = yaml.safe_load((out / ".hydra" / "overrides.yaml").read_text())
    assert "seed=11" in overrides and "seed=12" not in overrides, f"Hydra's record of the run was overwritten: {overrides}"
    assert len(pd.read_parquet(out / "timeseries.parquet")) == 61


@pytest.mark.parametrize("launcher", ["basic", "joblib"])
def test_two_identical_sweeps_at_once_compute_each_run_once(laborshift_cmd, tmp_path, launcher):
    # joblib (the default) runs each sweep's jobs in its own loky workers: the locks are taken there
    sweep = tmp_path / "sweep"
    args = ["-m", "seed=1,2,3,4", "workers=4000", "months=36", f"hydra/launcher={launcher}", f"hydra.sweep.dir={sweep}"]
    procs = [_start(laborshift_cmd, args, tmp_path) for _ in range(2)]
    outs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            outs.append(out)
    finally:
        for p in procs:
            p.kill()
    lines = [line for out in outs for line in out.splitlines() if line.startswith("[run ")]
    done = [line for line in lines if " done in " in line]
    assert len(done) == 4, "each of the 4 runs should be computed exactly once across the two sweeps:\n" + "\n".join(lines)
    assert len(lines) == 8, "each sweep should report every run (done, or skipped because the other has or is doing it)"
    assert len(list(sweep.glob("*/summary.json"))) == 4


@pytest.fixture
def finished_run(tmp_path):
    cfg = compose("baseline", ["workers=1000", "months=6", "seed=2", "progress=false", "figures=false", "burn_in_months=6"])
    out = tmp_path / "run"
    first = run_and_save(cfg, out)
    assert "skipped" not in first
    assert run_and_save(cfg, out).get("skipped") is True, "an intact finished run should be skipped on a rerun"
    return cfg, out


def test_resume_redoes_a_run_with_a_truncated_table(finished_run):
    cfg, out = finished_run
    table = out / "timeseries.parquet"
    table.write_bytes(table.read_bytes()[:100])
    again = run_and_save(cfg, out)
    assert "skipped" not in again, "a truncated table must not pass for a complete run"
    assert len(pd.read_parquet(table)) == 7


@pytest.mark.parametrize("content", ["[1, 2]", "\"text\"", "{\"config_hash\": 3"])
def test_resume_redoes_a_run_whose_summary_is_not_an_object(finished_run, content):
    cfg, out = finished_run
    (out / "summary.json").write_text(content)
    again = run_and_save(cfg, out)
    assert "skipped" not in again and isinstance(json.loads((out / "summary.json").read_text()), dict)


@pytest.mark.parametrize("where", ["/proc/laborshift-x", "a_file", "/dev/null"])
def test_an_unwritable_run_folder_is_refused_before_simulating(laborshift_cmd, tmp_path, where):
    (tmp_path / "a_file").write_text("not a folder")
    target = where if where.startswith("/") else str(tmp_path / where)
    started = time.monotonic()
    proc = subprocess.run([*laborshift_cmd, "workers=200000", "months=120", f"hydra.run.dir={target}"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, f"{target}: exit code {proc.returncode}: {proc.stderr}"
    assert "hydra.run.dir" in proc.stderr and "cannot write" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert time.monotonic() - started < 30, "the folder must be checked before the run, not after it"
    assert (tmp_path / "a_file").read_text() == "not a folder"


def test_a_symlinked_run_folder_is_refused_and_its_target_untouched(laborshift_cmd, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    (tmp_path / "run").symlink_to(target)
    proc = subprocess.run([*laborshift_cmd, "workers=1000", "months=6", f"hydra.run.dir={tmp_path / 'run'}"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in target.iterdir()) == ["precious.txt"], "nothing may be written through the link"


def test_collect_refuses_a_symlinked_output_folder(tmp_path):
    from simulation.sweep import Collected, CollectError, write_collected

    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "collected"
    link.symlink_to(target)
    empty = pd.DataFrame()
    with pytest.raises(CollectError, match="symbolic link"):
        write_collected(Collected(tmp_path, empty, empty, None, [], []), link)
    assert not any(target.iterdir())


def test_a_repeated_run_says_it_was_skipped_not_how_long_it_took(laborshift_cmd, tmp_path):
    # the rerun of a finished run skipped it, then printed the first run's wall time as if it had run again
    args = ["workers=500", "months=3", "figures=false", f"hydra.run.dir={tmp_path / 'run'}"]
    first = subprocess.run([*laborshift_cmd, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    again = subprocess.run([*laborshift_cmd, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and again.returncode == 0, (first.stderr, again.stderr)
    assert " months in " in first.stdout and "skipped" not in first.stdout, first.stdout
    assert "already complete" in again.stdout and "skipped" in again.stdout and " months in " not in again.stdout, again.stdout


# --------------------------------------------------------------------------- a full disk and a read-only file system
# A small tmpfs mounted in a private mount namespace (``unshare -m``, which needs root, as CI has): the run's
# outputs cannot fit, or the file system is read-only. Not skipped elsewhere: a machine without it fails loudly.
def _in_small_fs(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    shell = f"set -e; mount -t tmpfs -o size=200k tmpfs {mnt}; {script}"
    return subprocess.run(["unshare", "-m", "sh", "-c", shell], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_a_full_disk_is_one_line_and_keeps_nothing_of_the_run(laborshift_cmd, tmp_path):
    cmd = shlex.join([*laborshift_cmd, "workers=2000", "months=12", f"hydra.run.dir={tmp_path / 'mnt' / 'run'}"])
    proc = _in_small_fs(tmp_path, f"rc=0; {cmd} || rc=$?; ls -A {tmp_path / 'mnt' / 'run'}; exit $rc")
    assert proc.returncode == 1, f"exit code {proc.returncode}: {proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr and "cannot write the outputs into" in proc.stderr, proc.stderr[-2000:]
    assert "No space left on device" in proc.stderr, proc.stderr[-2000:]
    left = set(proc.stdout.split())
    assert not left & {"timeseries.parquet", "by_occupation.parquet", "by_stage.parquet", "by_sector.parquet", "config.yaml", "summary.json"}, left


def test_a_read_only_file_system_is_refused_before_simulating(laborshift_cmd, tmp_path):
    mnt = tmp_path / "mnt"
    cmd = shlex.join([*laborshift_cmd, "workers=200000", "months=120", f"hydra.run.dir={mnt / 'run'}"])
    started = time.monotonic()
    proc = _in_small_fs(tmp_path, f"mount -o remount,ro {mnt}; {cmd}")
    assert proc.returncode == 2, f"exit code {proc.returncode}: {proc.stderr[-2000:]}"
    assert "hydra.run.dir: cannot write into" in proc.stderr and "Read-only file system" in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and time.monotonic() - started < 30, proc.stderr[-2000:]


def test_a_full_disk_under_a_comparison_is_one_line(compare_cmd, tmp_path):
    cmd = shlex.join([*compare_cmd, "scenarios=[baseline]", "replications=2", "workers=200", "months=3", "progress=false",
                      f"hydra.run.dir={tmp_path / 'mnt' / 'cmp'}"])
    proc = _in_small_fs(tmp_path, f"rc=0; {cmd} || rc=$?; ls -A {tmp_path / 'mnt' / 'cmp'}; exit $rc")
    assert proc.returncode == 1, f"exit code {proc.returncode}: {proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr and "laborshift-compare: error: cannot write the report into" in proc.stderr, proc.stderr[-2000:]
    assert "report.md" not in proc.stdout.split(), "a report.md was left although the report could not be written"


def test_collect_into_an_unwritable_place_is_one_line(laborshift_cmd, tmp_path):
    collect = console_script("laborshift-collect", "simulation.sweep:collect_main")
    sweep = tmp_path / "sweep"
    made = subprocess.run([*laborshift_cmd, "-m", "seed=1,2", "workers=200", "months=2", f"hydra.sweep.dir={sweep}"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-2000:]
    out = subprocess.run([*collect, str(sweep), "--out", "/proc/laborshift-x"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr and "cannot write the dataset into /proc" in out.stderr, out.stderr
    # the sweep folder itself read-only (a bind mount in a private mount namespace)
    ro = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind -o ro {sweep} {sweep} && {shlex.join(collect)} {sweep}"],
                        capture_output=True, text=True, timeout=120)
    assert ro.returncode == 2 and "Traceback" not in ro.stderr and "Read-only file system" in ro.stderr, ro.stderr
    assert not (sweep / "collected").exists()
