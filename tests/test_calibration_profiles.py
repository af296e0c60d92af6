"""``laborshift-calibrate profile=...``: the per-profile calibration's command, record, moments and the configs it feeds.

* The command at a tiny size (300 workers, 2 seeds, no iteration: the start, its Jacobian and the sandwich), with no
  ``profile=`` word, calibrates the default profile (china) and writes the record in the format the comparison and the
  validation page read (exactly its keys), and a snippet whose values are the estimates.
* ``--help`` shows the per-profile usage and every ``key=value`` word; bad requests (unknown profile, bad numbers,
  unknown words, options in the ``--name`` form of the removed calibration of the defaults) end with the one-line
  exit-2 message, no traceback.
* The China moment functions measure what their definitions say, on hand-made series.
* The composed profile config equals each calibration record's estimates, for every profile whose record exists
  (``simulation/data/profiles/<profile>_calibration.json``); the check itself is tested on a record made here.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import yaml
from omegaconf import OmegaConf

from simulation.runner import compose
from simulation.validation import calibration, smm
from tests.conftest import console_script

RECORD_KEYS = {"profile", "scenario", "settings", "parameters", "covariance", "moments", "distance", "convergence", "method"}


@pytest.fixture(scope="module")
def tiny_calibration(tmp_path_factory):
    """The command at the tiny size, once for the module: (record path, config path, what it printed)."""
    import contextlib
    import io

    folder = tmp_path_factory.mktemp("calibration")
    rec_path, cfg_path = folder / "china_calibration.json", folder / "china.yaml"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        calibration.main(["workers=300", "seeds=2", "iterations=0", "jobs=1", f"record={rec_path}", f"config={cfg_path}"])
    return rec_path, cfg_path, out.getvalue()


def test_command_writes_the_record_and_the_snippet(tiny_calibration):
    rec_path, cfg_path, out = tiny_calibration
    assert "Jacobian" in out and "wrote" in out, out
    rec = json.loads(rec_path.read_text())
    assert set(rec) == RECORD_KEYS, sorted(rec)
    assert rec["profile"] == "china" and rec["scenario"] == "no_ai"
    assert rec["settings"] == {"workers": 300, "months": 36, "seeds": [11, 12]}
    names = [p["name"] for p in rec["parameters"]]
    assert names == [p.name for p in smm.SPECS["china"].params]
    assert np.array(rec["covariance"]).shape == (len(names), len(names))
    assert all(p["se"] > 0 for p in rec["parameters"]), rec["parameters"]
    targets, _ = smm.read_targets(smm.SPECS["china"])
    assert [(m["name"], m["role"]) for m in rec["moments"]] == [(t.name, t.role) for t in targets]
    assert {m["role"] for m in rec["moments"]} == {"target", "check"}
    fitted = OmegaConf.create(yaml.safe_load(cfg_path.read_text()))
    for p in rec["parameters"]:
        assert OmegaConf.select(fitted, p["name"]) == float(f"{p['estimate']:.4g}"), p


@pytest.mark.parametrize(("args", "says"), [
    (["profile=mars"], "profile: got 'mars'; allowed: one of china, us"),
    (["profile=china", "workers=lots"], "workers: got 'lots'; allowed: an integer >= 1"),
    (["profile=china", "seeds=1"], "seeds: got '1'; allowed: an integer >= 2"),
    (["profile=us", "iterations=-1"], "iterations: got '-1'; allowed: an integer >= 0"),
    (["profile=us", "colour=red"], "'colour=red': unknown option"),
    (["--workers", "5000"], "--workers: unknown option; allowed: the key=value words profile=, workers="),
    (["profile=us", "--start-from-fitted"], "--start-from-fitted: unknown option"),
    (["profile=us", "se_only=maybe"], "se_only: got 'maybe'; allowed: check or adopt"),
    (["profile=us", "step_scale=3"], "step_scale: only with se_only=check or se_only=adopt"),
    (["profile=us", "se_only=check", "step_scale=-1"], "step_scale: got '-1'; allowed: a number > 0"),
    (["profile=us", "se_only=check", "record=nowhere.json"], "record: nowhere.json does not exist"),
])
def test_bad_requests_get_the_exit_2_message(tmp_path, args, says):
    proc = subprocess.run([*console_script("laborshift-calibrate", "simulation.calibrate:main"), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "laborshift-calibrate: error: " in proc.stderr and says in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_se_only_recomputes_the_standard_errors_at_the_estimate(tiny_calibration, tmp_path, capsys):
    """``se_only=check`` adds the standard errors counting the Jacobian's noise beside the record's; ``adopt`` puts them in
    its place (same design, same numbers: common random numbers), with the covariance, and says so in the method."""
    rec_path, cfg_path = tmp_path / "china_calibration.json", tmp_path / "china.yaml"
    shutil.copyfile(tiny_calibration[0], rec_path)
    shutil.copyfile(tiny_calibration[1], cfg_path)
    before = json.loads(rec_path.read_text())
    words = ["profile=china", "jobs=1", "jacobian_seeds=2", "step_scale=2", f"record={rec_path}", f"config={cfg_path}"]
    calibration.main([*words, "se_only=check"])
    checked = json.loads(rec_path.read_text())
    assert checked["covariance"] == before["covariance"]
    assert [p["se"] for p in checked["parameters"]] == [p["se"] for p in before["parameters"]]
    noisy = [p["se_with_jacobian_noise"] for p in checked["parameters"]]
    assert all(np.isfinite(x) and x > 0 for x in noisy), noisy
    assert checked["jacobian_noise_check"]["seeds"] == [1001, 1002] and checked["jacobian_noise_check"]["step_scale"] == 2
    calibration.main([*words, "se_only=adopt"])
    adopted = json.loads(rec_path.read_text())
    assert [p["se"] for p in adopted["parameters"]] == pytest.approx(noisy, rel=1e-9)
    assert "jacobian_noise_check" not in adopted and adopted["settings"]["jacobian"]["seeds"] == [1001, 1002]
    assert "recomputed at the estimate" in adopted["method"] and adopted["covariance"] != before["covariance"]
    assert [p["estimate"] for p in adopted["parameters"]] == [p["estimate"] for p in before["parameters"]]
    assert "se, noise counted" in capsys.readouterr().out


def test_help_shows_the_per_profile_usage(tmp_path):
    proc = subprocess.run([*console_script("laborshift-calibrate", "simulation.calibrate:main"), "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-2000:]
    text = proc.stdout
    assert text.startswith("usage: laborshift-calibrate [profile=china|us] [workers=N]"), text
    for key in smm.OPTIONS:
        assert f"\n  {key}=" in text, f"--help does not list {key}=:\n{text}"
    assert "(default china)" in text and "Examples:" in text and "--workers" not in text, text
    assert list(tmp_path.iterdir()) == []


def _series(months: int = 36) -> dict:
    m = np.arange(0, months + 1)
    cal = (m - 1) % 12 + 1
    u = 0.05 + 0.01 * np.isin(cal, (7, 8))  # one point higher in July-August
    young = 0.15 + 0.05 * (cal == 8) + 0.02 * (cal == 12)  # August 5 points, December 2 points above June
    ts = pd.DataFrame({"month": m, "unemployment_rate": u, "unemployment_rate_16_24": young, "ai_wage_premium": 0.3,
                       "graduates": np.where(cal == 7, 120, 0), "employed": 1000.0})
    rows = [{"month": t, "occupation": o, "lane": lane, "unemployed": un, "vacancies": v}
            for t in m for o, lane, un, v in (("a", "ai_core", 10, 20), ("b", "ai_core", 0, 20), ("c", "traditional", 40, 20))]
    return {"timeseries": ts, "by_occupation": pd.DataFrame(rows), "panel_counts": None}


def test_china_moments_measure_their_definitions():
    run, mom = _series(), smm.CHINA_MOMENTS
    expected = {"urban_rate": 5 + 2 / 12, "urban_graduation_bump": 1.0, "age_16_24": 15 + 7 / 12, "age_16_24_june": 15.0,
                "age_16_24_august_over_june": 5.0, "age_16_24_december_over_june": 2.0,
                "seekers_per_opening_ratio_ai_core_traditional": (10 / 40) / (40 / 20), "ai_pay_ratio": 1.3, "graduates_per_employed": 0.12}
    got = {k: mom[k](run) for k in expected}
    assert all(np.isclose(got[k], v) for k, v in expected.items()), {k: (got[k], v) for k, v in expected.items()}


def _record_from_config(profile: str) -> dict:
    spec = smm.SPECS[profile]
    cfg = compose(spec.scenario, [f"profile={profile}"])
    params = [{"name": p.name, "estimate": float(OmegaConf.select(cfg, p.name)), "se": 0.001} for p in spec.params]
    return {"profile": profile, "scenario": spec.scenario, "parameters": params}


def test_the_config_check_finds_a_parameter_off_its_estimate():
    rec = _record_from_config("china")
    assert smm.config_disagreements(rec) == []
    rec["parameters"][0]["estimate"] *= 1.5
    problems = smm.config_disagreements(rec)
    assert len(problems) == 1 and rec["parameters"][0]["name"] in problems[0], problems


RECORDS = sorted(smm.PROFILE_DATA.glob("*_calibration.json"))


@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_profile_config_is_the_calibration(path):
    rec = json.loads(path.read_text())
    assert path.name == f"{rec['profile']}_calibration.json"
    assert {p["name"] for p in rec["parameters"]} == {p.name for p in smm.SPECS[rec["profile"]].params}, (
        f"{path.name}: its parameters are not the spec's: rerun laborshift-calibrate profile={rec['profile']}"
    )
    problems = smm.config_disagreements(rec)
    assert not problems, f"configs/profile/{rec['profile']}.yaml differs from {path.name}:\n  " + "\n  ".join(problems)
