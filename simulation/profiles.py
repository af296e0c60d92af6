"""A profile's calibration record, and draws of its parameters from the calibration's uncertainty.

The calibration of a profile (``simulation/data/profiles/<profile>_calibration.json``) records every calibrated
parameter's estimate and standard error, their covariance, the fit of every moment and the settings it ran at::

    {"profile": str, "scenario": str, "settings": {"workers": int, "months": int, "seeds": [int]},
     "parameters": [{"name": dotted key, "estimate": float, "se": float}],
     "covariance": [[float]] (in the order of "parameters"),
     "moments": [{"name", "target", "target_se", "model", "model_se", "role"}], "distance": float}

* :func:`calibration_record` reads it (``None``: the profile has none; a corrupt file raises
  :class:`CalibrationRecordError` naming the file);
* :func:`parameter_draws` draws the parameters of replications 0..n-1 from the multivariate normal
  N(estimate, covariance), each value clipped to the parameter's allowed range (``simulation.config``),
  reproducibly from a seed on its own ``SeedSequence`` child, so that the runs' own random streams do not move.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .config import Config, ConfigError, iter_params

PROFILE_DATA_DIR = Path(__file__).resolve().parent / "data" / "profiles"
# the SeedSequence child of the master seed that the parameter draws use: spawn key 1 of a child path the replication seeds
# (SeedSequence(seed).spawn(R), spawn keys (0,), (1,), ...) never take
DRAW_SPAWN_KEY = (2**31 - 1, 1)


class CalibrationRecordError(ValueError):
    """A calibration record that cannot be read or does not have the record's format."""


def calibration_path(profile_name: str) -> Path:
    """Where the calibration record of ``profile_name`` is (whether or not it exists)."""
    return PROFILE_DATA_DIR / f"{profile_name}_calibration.json"


def _check_record(record: Any) -> list[str]:
    """What is wrong with a record's structure (empty: nothing)."""
    if not isinstance(record, Mapping):
        return ["the file does not hold a JSON object"]
    problems = []
    params = record.get("parameters")
    if not isinstance(params, list) or not all(isinstance(p, Mapping) for p in params):
        return ["'parameters' is not a list of objects"]
    known = {name for name, _f, _d in iter_params(Config())}
    for i, p in enumerate(params):
        name = p.get("name")
        if not isinstance(name, str) or name not in known:
            problems.append(f"parameters[{i}].name {name!r} is not a parameter of the model")
        for key in ("estimate", "se"):
            v = p.get(key)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                problems.append(f"parameters[{i}].{key} is {v!r}, not a finite number")
    cov = record.get("covariance")
    if cov is not None:
        try:
            c = np.asarray(cov, dtype=float)
        except (TypeError, ValueError):
            return [*problems, "'covariance' is not a matrix of numbers"]
        k = len(params)
        if c.shape != (k, k):
            problems.append(f"'covariance' has shape {c.shape}, not ({k}, {k}) (one row and column per parameter)")
        elif not np.all(np.isfinite(c)) or not np.allclose(c, c.T, rtol=1e-6, atol=1e-12):
            problems.append("'covariance' is not a finite symmetric matrix")
        elif k and np.linalg.eigvalsh(c).min() < -1e-9 * max(1.0, float(np.abs(c).max())):
            problems.append("'covariance' is not positive semi-definite")
    return problems


def calibration_record(profile_name: str) -> dict | None:
    """The calibration record of a profile, or ``None`` when the profile has none.

    Raises:
        CalibrationRecordError: the file exists but is not valid JSON or not in the record's format (the message names the file).

    """
    path = calibration_path(profile_name)
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CalibrationRecordError(f"calibration record {path}: cannot be read as JSON ({err})") from None
    problems = _check_record(record)
    if problems:
        raise CalibrationRecordError(f"calibration record {path}: " + "; ".join(problems))
    return record


def has_covariance(record: Mapping | None) -> bool:
    """Whether a record can give parameter draws: at least one parameter and a covariance matrix."""
    return bool(record) and bool(record.get("parameters")) and record.get("covariance") is not None


def _bounds() -> dict[str, tuple[float, float, bool]]:
    """Every parameter's allowed range (lo, hi, whether it is an integer), infinite where it has no bound."""
    out = {}
    for name, f, default in iter_params(Config()):
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        lo = -np.inf if lo is None else float(lo)
        if f.metadata.get("lo_open") and np.isfinite(lo):
            lo = float(np.nextafter(lo, np.inf))
        out[name] = (lo, np.inf if hi is None else float(hi), isinstance(default, int) and not isinstance(default, bool))
    return out


def draw_seed_sequence(seed: int) -> np.random.SeedSequence:
    """The SeedSequence of the parameter draws of master seed ``seed`` (apart from every replication's seed)."""
    return np.random.SeedSequence(int(seed), spawn_key=DRAW_SPAWN_KEY)


def parameter_draws(record: Mapping, n: int, seed: int) -> list[dict[str, float]]:
    """``n`` draws of the calibrated parameters from N(estimate, covariance): draw r is replication r's.

    Each value is clipped to the parameter's allowed range (``simulation.config``; an integer parameter is rounded).
    The draws come from their own ``SeedSequence`` child of ``seed`` (:func:`draw_seed_sequence`), so the same seed
    gives the same draws, and the replications' own random streams do not move. Draw r does not depend on ``n``.
    """
    params = list(record["parameters"])
    names = [str(p["name"]) for p in params]
    mean = np.array([float(p["estimate"]) for p in params])
    cov = np.asarray(record["covariance"], dtype=float).reshape(len(names), len(names))
    # a factor L with L L' = cov that also holds for a singular covariance (eigen-decomposition, negative rounding at 0)
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2.0) if names else (np.zeros(0), np.zeros((0, 0)))
    factor = vecs * np.sqrt(np.clip(vals, 0.0, None))
    z = np.random.default_rng(draw_seed_sequence(seed)).standard_normal((int(n), len(names)))
    x = mean + z @ factor.T
    bounds = _bounds()
    out = []
    for row in x:
        draw = {}
        for name, v in zip(names, row, strict=True):
            lo, hi, integer = bounds[name]
            v = float(np.clip(v, lo, hi))
            draw[name] = float(int(np.clip(round(v), np.ceil(lo), np.floor(hi)))) if integer else v
        out.append(draw)
    return out


def draw_overrides(draw: Mapping[str, float]) -> list[str]:
    """One draw as Hydra overrides (``key=value``; an integer parameter as an integer)."""
    bounds = _bounds()
    return [f"{k}={int(v)}" if bounds[k][2] else f"{k}={float(v)!r}" for k, v in draw.items()]


__all__ = ["PROFILE_DATA_DIR", "UNCERTAINTY_SETTINGS", "CalibrationRecordError", "resolve_uncertainty", "calibration_path", "calibration_record", "draw_overrides",
           "draw_seed_sequence", "has_covariance", "parameter_draws"]


UNCERTAINTY_SETTINGS = ("auto", "on", "off")


def resolve_uncertainty(setting: str, profile_name: str) -> dict:
    """Whether the runs draw their parameters, and why: ``{setting, on, profile, reason, record_path, record}``.

    ``auto``: on when the profile has a calibration record with a covariance; ``on``: the same, and an error without one;
    ``off``: off.

    Raises:
        ConfigError: a setting other than auto, on or off; ``on`` without a record with a covariance; a corrupt record.

    """
    if setting not in UNCERTAINTY_SETTINGS:
        raise ConfigError([f"parameter_uncertainty: got {setting!r}; allowed: one of {', '.join(UNCERTAINTY_SETTINGS)}"])
    path = calibration_path(profile_name)
    info = {"setting": setting, "on": False, "profile": profile_name, "record_path": str(path), "record": None}
    if setting == "off":
        return info | {"reason": "parameter uncertainty was turned off (parameter_uncertainty=off)"}
    try:
        record = calibration_record(profile_name)
    except CalibrationRecordError as err:
        raise ConfigError([f"parameter_uncertainty: {err}"]) from None
    if not has_covariance(record):
        why = (f"the profile `{profile_name}` has no calibration record ({path.name})" if record is None else
               f"the calibration record of the profile `{profile_name}` ({path.name}) has no covariance")
        if setting == "on":
            raise ConfigError([f"parameter_uncertainty: got 'on', but {why}; allowed: auto or off"])
        return info | {"reason": why}
    return info | {"on": True, "record": record,
                   "reason": f"the profile `{profile_name}` has a calibration record with a covariance ({path.name})"}
