"""A profile's data for its validation page: its targets, its monthly series and its calibration record.

* ``simulation/data/profiles/<profile>_targets.csv``: one row per moment (value, unit, period, status, source, role), derived by
  ``scripts/build_profiles.py`` from ``../shared/data``;
* ``simulation/data/profiles/china_monthly.csv``: NBS's monthly unemployment rates (urban, and by age group with students
  excluded), ``run_month`` 1 = January 2023;
* ``simulation/data/profiles/<profile>_calibration.json``: the calibration record (parameters with their standard errors,
  the fit of every moment); the page says the profile is not yet calibrated while it does not exist.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from .settings import REPO

PROFILE_DATA = REPO / "simulation" / "data" / "profiles"
ROLE_LABELS = {"target": "used in calibration", "check": "out-of-sample check", "input": "input (set, not fitted)"}
NOT_YET = "calibration target (the profile is not yet calibrated)"


def targets(profile: str, folder: Path = PROFILE_DATA) -> dict[str, dict]:
    """The profile's targets by moment name (each a row of ``<profile>_targets.csv``, ``value`` as a float)."""
    with (folder / f"{profile}_targets.csv").open(encoding="utf-8") as fh:
        return {r["moment"]: {**r, "value": float(r["value"])} for r in csv.DictReader(fh)}


def monthly(folder: Path = PROFILE_DATA) -> dict[str, dict[int, float]]:
    """NBS's monthly series by column (``urban_rate``, ``age_16_24``, ...), each ``{run_month: percent}`` (empty cells left out)."""
    out: dict[str, dict[int, float]] = {}
    with (folder / "china_monthly.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for col in ("urban_rate", "age_16_24", "age_25_29", "age_30_59"):
                if r.get(col, "").strip():
                    out.setdefault(col, {})[int(r["run_month"])] = float(r[col])
    return out


def record_path(profile: str, folder: Path = PROFILE_DATA) -> Path:
    """Where the profile's calibration record is (it may not exist)."""
    return folder / f"{profile}_calibration.json"


def load_record(path: Path) -> dict | None:
    """The calibration record at ``path``, or None if there is none."""
    return json.loads(path.read_text()) if path.exists() else None


def role_label(moment: str, csv_role: str, record: dict | None) -> str:
    """How a moment is used: the record's role when it lists the moment, else the targets file's role."""
    roles = {m["name"]: m["role"] for m in (record or {}).get("moments", [])}
    role = roles.get(moment, csv_role)
    if record is None and role == "target":
        return NOT_YET
    return ROLE_LABELS.get(role, role)


def _pm(value: float, se: float) -> str:
    return f"{value:.4g} ± {se:.2g}" if se == se and not math.isinf(se) else f"{value:.4g}"


def record_section(profile: str, path: Path) -> list[str]:
    """The lines of the page's section on the profile's calibration record (``path``), or that there is none yet."""
    lines = ["## Calibration", ""]
    rec = load_record(path)
    if rec is None:
        return [*lines, f"The `{profile}` profile is not yet calibrated: no calibration record (`{path.relative_to(REPO) if path.is_relative_to(REPO) else path}`). "
                "Its moments marked *calibration target* are the ones the calibration will fit; until then every parameter is at its "
                "profile's value (`configs/profile/`) or the schema's default.", ""]
    s = rec.get("settings", {})
    lines += [
        f"Simulated method of moments on the `{rec['scenario']}` scenario ({s.get('workers', 0):,} workers x {s.get('months', 0)} months, "
        f"seeds {s.get('seeds', [])}); distance {rec['distance']:.4g}. Estimates with their standard errors (`laborshift-calibrate "
        f"profile={profile}`; they are the values of `configs/profile/{profile}.yaml`, which every run of the profile uses):",
        "",
        "| parameter | estimate ± SE |",
        "|---|---|",
    ]
    jac = s.get("jacobian")
    if jac:
        seeds = jac.get("seeds", [])
        jac_note = ["", f"The standard errors count the noise of the finite-difference Jacobian they rest on, recomputed at the "
                        f"estimate without a search (`laborshift-calibrate profile={profile} se_only=adopt jacobian_seeds={len(seeds)}"
                        f"{'' if jac.get('step_scale', 1) == 1 else ' step_scale=' + format(jac['step_scale'], 'g')}`: the "
                        f"Jacobian on {len(seeds)} seeds, steps x {jac.get('step_scale', 1):g})."]
    else:
        jac_note = []
    checked = any(p.get("se_with_jacobian_noise") is not None for p in rec["parameters"])
    if checked:
        lines[-2:] = ["| parameter | estimate ± SE | SE counting the Jacobian's noise |", "|---|---|---|"]
        lines += [f"| `{p['name']}` | {_pm(p['estimate'], p['se'])} | {p.get('se_with_jacobian_noise', float('nan')):.2g} |"
                  for p in rec["parameters"]]
        check = rec.get("jacobian_noise_check", {})
        seeds = check.get("seeds", [])
        lines += ["", f"The last column (`laborshift-calibrate profile={profile} se_only=check`, the Jacobian at the estimate on "
                  f"{len(seeds)} seeds, steps x {check.get('step_scale', 1):g}) counts the noise of the finite-difference Jacobian "
                  "the standard errors rest on (simulation.validation.smm). Where it is far larger than the SE beside it, the "
                  "calibration does not identify the parameter at its design: the moments move too little, against the "
                  "simulation's noise, along some combination of the parameters. The bands of `laborshift-compare` draw from the "
                  "record's SE and covariance, and its report says where they understate the uncertainty."]
    else:
        lines += [f"| `{p['name']}` | {_pm(p['estimate'], p['se'])} |" for p in rec["parameters"]]
    lines += jac_note
    lines += ["", "The fit of every moment (targeted: used in the distance; check: not used, out of sample):", "",
              "| moment | role | target ± SE | model ± SE | gap / target SE |", "|---|---|---|---|---|"]
    for m in rec["moments"]:
        z = (m["model"] - m["target"]) / m["target_se"] if m.get("target_se") else float("nan")
        lines.append(f"| {m['name']} | {ROLE_LABELS.get(m['role'], m['role'])} | {_pm(m['target'], m.get('target_se', float('nan')))} | "
                     f"{_pm(m['model'], m.get('model_se', float('nan')))} | {z:+.1f} |")
    return [*lines, ""]


def refresh_record_section(page: Path, profile: str, record: Path | None = None) -> None:
    """Rewrite the page's last section (the calibration record), keeping every other (the China page's roles in "Every moment" follow at the next run)."""
    text = page.read_text()
    head = text.split("\n## Calibration\n", 1)[0]
    page.write_text(head + "\n" + "\n".join(record_section(profile, record_path(profile) if record is None else record)))
