"""The cluster launchers run a sweep for real and give the same results as the local launcher.

The same small sweep (2 seeds x 2 values of a parameter = 4 runs) runs three
ways: with the default local launcher (joblib), through SLURM with
``hydra/launcher=slurm`` (hydra-submitit-launcher, a job array), and on a
Ray cluster with ``hydra/launcher=ray_cluster`` (hydra-ray-launcher attached
to a running cluster). ``laborshift-collect``'s tables of the cluster sweeps
must equal the local ones exactly, wall times aside.

SLURM: a running cluster with an idle node is needed (CI starts a single-node
one with ``.ci/slurm.sh``). Ray: a head node is started for the test inside
new network and PID namespaces (``unshare -n -p -f --mount-proc --kill-child``) where only
loopback is up, so Ray can reach no outside address, and every Ray process
ends with the namespace. Without SLURM, or without the right to create
namespaces (not root), the test is skipped, unless ``LABORSHIFT_REQUIRE_SLURM=1``
or ``LABORSHIFT_REQUIRE_RAY=1`` asks for it (as CI does): then it fails.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from simulation.sweep import collect, job_dirname

# False as Hydra spells it in run folder names
BASE = ["scenario=rapid_adoption", "workers=1000", "months=24", "progress=False", "figures=False"]
SWEEP = [*BASE, "seed=0,1", "ai.automation_strength=0.5,1.0"]
RUNS = [[*BASE, f"seed={s}", f"ai.automation_strength={a}"] for s in (0, 1) for a in (0.5, 1.0)]
# columns that legitimately differ between two executions of the same run
NONDETERMINISTIC = ("wall_time_s",)
# a bound on a hung sweep, not a speed check: in the suite the Ray sweep shares 2 cores with the other worker's tests
# (25 s alone, 138 s there on 2026-12-01), so the bound leaves room for a slower machine
SWEEP_TIMEOUT_S = 600


def _required(var: str) -> bool:
    return os.environ.get(var, "") not in ("", "0")


def _unavailable(var: str, why: str) -> None:
    """Skip the test, or fail it when the environment variable ``var`` requires the cluster."""
    if _required(var):
        pytest.fail(f"{why} ({var}=1 requires this test to run)")
    pytest.skip(why)


def _tail(text: str, n: int = 4000) -> str:
    return text[-n:] if text else "(nothing)"


def _comparable(c) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The collected timeseries and summary, in a fixed order, without the wall-time columns."""
    ts = c.timeseries.drop(columns=[k for k in NONDETERMINISTIC if k in c.timeseries])
    ts = ts.sort_values(["run", "month"]).reset_index(drop=True)
    summary = c.summary.drop(columns=[k for k in NONDETERMINISTIC if k in c.summary])
    summary = summary.sort_values("run").reset_index(drop=True)
    return ts, summary


def _assert_complete(c, label: str) -> None:
    assert not c.missing and not c.incomplete, f"{label} sweep is not complete:\n{c.report()}"
    assert sorted(c.summary["run"]) == sorted(job_dirname(r) for r in RUNS), f"{label} sweep ran {sorted(c.summary['run'])}"
    assert len(c.timeseries) == len(RUNS) * 25, f"{label}: expected 4 runs x 25 months, got {len(c.timeseries)} rows"


def _assert_same_results(cluster, local, label: str) -> None:
    """The cluster sweep's collected tables equal the local sweep's exactly (wall times aside)."""
    _assert_complete(local, "the local")
    _assert_complete(cluster, label)
    ts_c, sum_c = _comparable(cluster)
    ts_l, sum_l = _comparable(local)
    pd.testing.assert_frame_equal(sum_c, sum_l, check_exact=True, obj=f"{label} vs local summary")
    pd.testing.assert_frame_equal(ts_c, ts_l, check_exact=True, obj=f"{label} vs local timeseries")


@pytest.fixture(scope="module")
def local_sweep(laborshift_cmd, tmp_path_factory):
    """The sweep run with the default (local joblib) launcher, collected; checked to be a sweep worth comparing."""
    cwd = tmp_path_factory.mktemp("local")
    out = cwd / "sweep"
    proc = subprocess.run([*laborshift_cmd, "-m", *SWEEP, f"hydra.sweep.dir={out}"], cwd=cwd, capture_output=True,
                          text=True, timeout=SWEEP_TIMEOUT_S)
    assert proc.returncode == 0, f"the local sweep exited {proc.returncode}:\n{_tail(proc.stderr)}"
    c = collect(out)
    _assert_complete(c, "the local")
    # the four runs differ (seeds and the swept parameter reach the model), so equal tables mean something
    ts, _ = _comparable(c)
    per_run = ts.drop(columns=["run", "config_hash", "seed", "ai.automation_strength"]).groupby(ts["run"])
    assert per_run.ngroups == 4
    fingerprints = {tuple(pd.util.hash_pandas_object(g, index=False)) for _, g in per_run}
    assert len(fingerprints) == 4, "two runs of the sweep have identical time series"
    assert c.summary["ai_displaced_final"].max() > 0, "no AI displacement in any run: the comparison would be weak"
    return c


# --------------------------------------------------------------------------- SLURM
def _slurm_partition() -> str | None:
    """The default partition if SLURM answers and has an idle node, else ``None``."""
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return None
    try:
        proc = subprocess.run(["sinfo", "-h", "-o", "%P %t"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    rows = [line.split() for line in proc.stdout.splitlines() if len(line.split()) == 2]
    if proc.returncode != 0 or not any(state in ("idle", "mix") for _, state in rows):
        return None
    default = [p for p, state in rows if p.endswith("*") and state in ("idle", "mix")]
    return (default or [p for p, state in rows if state in ("idle", "mix")])[0].rstrip("*")


@pytest.fixture(scope="module")
def slurm_partition() -> str:
    """A partition with an idle node of a running SLURM cluster (skip, or fail when required, without one)."""
    partition = _slurm_partition()
    if partition is None:
        _unavailable("LABORSHIFT_REQUIRE_SLURM", "no SLURM cluster with an idle node here (sinfo); CI starts one with .ci/slurm.sh")
    return partition


def _cancel_jobs(submitit_dir: Path) -> None:
    """Cancel the SLURM jobs this test submitted (after a timeout), by their ids."""
    ids = sorted({d.name.split("_")[0] for d in submitit_dir.glob("*") if re.fullmatch(r"\d+(_\d+)?", d.name)})
    if ids:
        subprocess.run(["scancel", *ids], capture_output=True, timeout=30)


def test_slurm_sweep_equals_local(slurm_partition, local_sweep, laborshift_cmd, tmp_path):
    out = tmp_path / "slurm"
    launcher = [
        "hydra/launcher=slurm",
        f"hydra.launcher.partition={slurm_partition}",
        "hydra.launcher.timeout_min=10",
        "hydra.launcher.cpus_per_task=1",
        "hydra.launcher.mem_gb=1",
        "hydra.launcher.array_parallelism=2",
    ]
    try:
        proc = subprocess.run([*laborshift_cmd, "-m", *SWEEP, *launcher, f"hydra.sweep.dir={out}"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=SWEEP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _cancel_jobs(out / ".submitit")
        pytest.fail(f"the SLURM sweep did not finish in {SWEEP_TIMEOUT_S} s (squeue: "
                    f"{subprocess.run(['squeue'], capture_output=True, text=True).stdout})")
    assert proc.returncode == 0, f"the SLURM sweep exited {proc.returncode}:\n{_tail(proc.stderr)}"

    # it really went through SLURM: one job array with a task per run, submitted with the overrides given
    scripts = list((out / ".submitit").glob("*/*_submission.sh"))
    assert len(scripts) == 1, f"expected one SLURM job array, found submission scripts {scripts}"
    sbatch = scripts[0].read_text()
    for flag in (f"--partition={slurm_partition}", "--time=10", "--cpus-per-task=1", "--mem=1GB", "--array=0-3%2"):
        assert f"#SBATCH {flag}" in sbatch, f"the job array was not submitted with {flag}:\n{sbatch}"
    tasks = [d for d in (out / ".submitit").iterdir() if re.fullmatch(r"\d+_\d+", d.name)]
    assert len(tasks) == 4 and all(list(d.glob("*_result.pkl")) for d in tasks), f"SLURM array tasks: {sorted(tasks)}"
    for run in RUNS:
        hydra_yaml = (out / job_dirname(run) / ".hydra" / "hydra.yaml").read_text()
        assert re.search(r"^    id: '?\d+_\d+'?$", hydra_yaml, re.M), f"{job_dirname(run)} did not run as a SLURM array task"

    _assert_same_results(collect(out), local_sweep, "the SLURM")


# --------------------------------------------------------------------------- Ray
# new network and PID namespaces: only loopback, and every process in it is killed when the shell ends or is killed
NAMESPACE = ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child"]


def _namespace_problem() -> str | None:
    """Why a loopback-only network namespace cannot be made here, or ``None`` if it can."""
    for tool in ("unshare", "ip"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (Debian packages util-linux and iproute2)"
    try:
        proc = subprocess.run([*NAMESPACE, "sh", "-c", "ip link set lo up"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare failed: {exc}"
    if proc.returncode != 0:
        return f"cannot create network and PID namespaces (needs root): {proc.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def ray_bin() -> str:
    """The ``ray`` command of this environment, when Ray, the Ray launcher and namespaces are available."""
    problem = _namespace_problem()
    if problem is None:
        try:
            import hydra_plugins.hydra_ray_launcher  # noqa: F401
            import ray  # noqa: F401
        except ImportError as exc:
            problem = f"the ray extra is not installed ({exc}); pip install 'laborshift[ray]'"
    exe = Path(sys.executable).with_name("ray")
    if problem is None and not exe.exists():
        problem = f"no `ray` command beside {sys.executable}"
    if problem is not None:
        _unavailable("LABORSHIFT_REQUIRE_RAY", problem)
    return str(exe)


def test_ray_sweep_equals_local(ray_bin, local_sweep, laborshift_cmd, tmp_path):
    out = tmp_path / "ray"
    # Ray's session folder holds Unix sockets, whose paths must stay short: not under pytest's tmp_path
    ray_tmp = tempfile.mkdtemp(prefix="lsray-")
    # a fresh network namespace has every port free
    port = 6379
    sweep = [*laborshift_cmd, "-m", *SWEEP, "hydra/launcher=ray_cluster", f"hydra.sweep.dir={out}"]
    script = "\n".join([
        "set -e",
        "ip link set lo up",
        f"{shlex.quote(ray_bin)} start --head --node-ip-address=127.0.0.1 --port={port} --num-cpus=2 "
        f"--object-store-memory=100000000 --include-dashboard=false --disable-usage-stats "
        f"--temp-dir={shlex.quote(ray_tmp)} > {shlex.quote(str(tmp_path / 'ray-start.log'))} 2>&1",
        f"trap '{shlex.quote(ray_bin)} stop > /dev/null 2>&1' EXIT",
        shlex.join(sweep),
    ])
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
           "RAY_ADDRESS": f"127.0.0.1:{port}"}
    try:
        proc = subprocess.run([*NAMESPACE, "sh", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=SWEEP_TIMEOUT_S)
    except subprocess.TimeoutExpired:  # the namespace's processes, Ray's among them, end with its first process
        pytest.fail(f"the Ray sweep did not finish in {SWEEP_TIMEOUT_S} s")
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
    start_log = tmp_path / "ray-start.log"
    assert proc.returncode == 0, (f"the Ray sweep exited {proc.returncode}:\n{_tail(proc.stderr)}\n"
                                  f"ray start:\n{_tail(start_log.read_text() if start_log.exists() else '', 2000)}")

    # it really ran on the cluster started above: the launcher attached to it instead of starting its own
    log = proc.stdout + proc.stderr
    assert "Ray Launcher is launching 4 jobs" in log, f"the Ray launcher did not run the sweep:\n{_tail(log)}"
    assert f"Connecting to existing Ray cluster at address: 127.0.0.1:{port}" in log, f"not attached to the cluster:\n{_tail(log)}"
    for run in RUNS:
        hydra_yaml = (out / job_dirname(run) / ".hydra" / "hydra.yaml").read_text()
        assert "hydra_ray_launcher.ray_launcher.RayLauncher" in hydra_yaml, f"{job_dirname(run)} was not launched by Ray"

    _assert_same_results(collect(out), local_sweep, "the Ray")
