"""Sensitivity analysis: the SALib design, the indices it yields, and the command end to end on a small problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.config import ConfigError
from simulation.sensitivity import SensitivityConfig, analyze, check, compose_problem, design, ranges, run_overrides

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _cmd() -> list[str]:
    beside = Path(sys.executable).with_name("laborshift-sensitivity")
    return [str(beside)] if beside.exists() else [sys.executable, "-c", "from simulation.sensitivity import main; main()"]


def test_shipped_problem_composes_and_checks():
    cfg = compose_problem([])
    check(cfg)
    assert "ai.automation_strength" in ranges(cfg) and len(ranges(cfg)) >= 4
    assert {"ai_displaced_final", "displaced_reemployed_12m_share_final"} <= set(cfg.outputs)


def test_design_size_and_bounds():
    cfg = compose_problem(["samples=8"])
    x = design(cfg)
    k = len(ranges(cfg))
    assert len(x) == 8 * (k + 2), "Saltelli design without second-order terms: N x (k + 2) runs"
    for name, (lo, hi) in ranges(cfg).items():
        assert x[name].between(lo, hi).all(), f"{name} leaves its range"
    pd.testing.assert_frame_equal(x, design(cfg))  # the same seed draws the same design
    morris = design(compose_problem(["method=morris", "samples=5"]))
    assert len(morris) == 5 * (k + 1)
    overrides = run_overrides(cfg, x.iloc[3])
    assert f"ai.automation_strength={float(x['ai.automation_strength'].iloc[3])!r}" in overrides


def test_indices_recover_a_known_function():
    """On y = 4 x_a + x_b (x_c, x_d inert), Sobol ranks a over b and gives the inert ones ~0; Morris agrees."""
    unit = {"ai": {"capability_growth": [0.0, 1.0], "augmentation_strength": [0.0, 1.0], "return_scale": [0.0, 1.0]},
            "market": {"quit_rate": [0.0, 1.0]}}
    cfg = SensitivityConfig(samples=256, parameters=unit)
    check(cfg)
    names = list(ranges(cfg))
    x = design(cfg)
    y = pd.DataFrame({o: 4 * x[names[0]] + x[names[1]] for o in cfg.outputs})
    ind = analyze(cfg, x, y)
    first = ind[ind["output"] == cfg.outputs[0]].set_index("parameter")
    assert first.loc[names[0], "S1"] == pytest.approx(16 / 17, abs=0.1)
    assert first.loc[names[1], "S1"] == pytest.approx(1 / 17, abs=0.05)
    assert abs(first.loc[names[2], "ST"]) < 0.02 and abs(first.loc[names[3], "ST"]) < 0.02
    assert (first["S1_conf"] > 0).iloc[:2].all(), "confidence intervals come with the indices"

    mcfg = SensitivityConfig(method="morris", samples=20, parameters={"ai": unit["ai"]})
    mx = design(mcfg)
    my = pd.DataFrame({o: 4 * mx[names[0]] + mx[names[1]] for o in mcfg.outputs})
    mind = analyze(mcfg, mx, my).query("output == @mcfg.outputs[0]").set_index("parameter")
    assert mind.loc[names[0], "mu_star"] == pytest.approx(4, rel=1e-6)
    assert mind.loc[names[1], "mu_star"] == pytest.approx(1, rel=1e-6)
    assert mind.loc[names[2], "mu_star"] == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize(("args", "named"), [
    (["+parameters.ai.no_such=[0,1]"], "parameters.ai.no_such: not a model parameter"),
    (["parameters.ai.automation_strength=[0.5,1.5]"], "parameters.ai.automation_strength: got [0.5, 1.5]; allowed: a range within [0.0, 1.0]"),
    (["parameters.ai.automation_strength=[0.9,0.5]"], "allowed: [low, high] with low < high"),
    (["samples=12"], "samples: got 12; allowed: a power of 2"),
    (["method=fast"], "method: got 'fast'"),
    (["outputs=[no_output]"], "outputs: got ['no_output']"),
    (["+parameters.market.applications_per_month=[1,5]"], "numeric (float) parameters only"),
    (["scenario=atlantis"], "scenario: got 'atlantis'"),
    (["colour=blue"], "colour: unknown key of laborshift-sensitivity"),
])
def test_bad_problem_is_named(args, named):
    with pytest.raises(ConfigError) as err:
        compose_problem(args)
    assert named in str(err.value)


def test_bad_problem_exits_2_before_any_run(tmp_path):
    out = tmp_path / "sens"
    proc = subprocess.run([*_cmd(), "samples=12", f"hydra.sweep.dir={out}"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 2 and "samples: got 12" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not out.exists()


def test_command_end_to_end_and_resume(tmp_path):
    out = tmp_path / "sens"
    args = ["method=morris", "samples=2", "workers=1000", "months=24", "~parameters",
            "+parameters={ai:{automation_strength:[0.3,1.0],capability_growth:[0.02,0.12]}}",
            "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={out}"]
    proc = subprocess.run([*_cmd(), *args], capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ind = pd.read_parquet(out / "indices.parquet")
    assert len(ind) == 2 * 2 and set(ind["parameter"]) == {"ai.automation_strength", "ai.capability_growth"}
    assert np.isfinite(ind["mu_star"]).all()
    assert len(pd.read_csv(out / "indices.csv")) == 4
    assert (out / "indices.png").read_bytes()[:8] == PNG_MAGIC
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 2 * 3 and runs["ai_displaced_final"].notna().all()
    assert "## ai_displaced_final" in (out / "indices.md").read_text()
    again = subprocess.run([*_cmd(), *args], capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.count("already complete, skipped") == 6 and "done in" not in again.stdout.replace("runs and", "")
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indices.parquet"), ind)
