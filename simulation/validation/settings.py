"""Paths, run sizes and parameter look-ups shared by the validation page and the calibration."""

from __future__ import annotations

from pathlib import Path

from ..config import ConfigError, iter_params

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_OUT = REPO / "docs"
IMAGE_DIR = Path("images") / "validation"
PAGE_NAME = "VALIDATION.md"  # the index: one page per profile, each with its verdicts
PROFILE_PAGES = {"china": "VALIDATION_china.md", "us": "VALIDATION_us.md"}  # the page of each profile
US_IMAGE_DIR = IMAGE_DIR / "us"
DEFAULT_PROFILE = "china"  # the profile of configs/config.yaml
CALIBRATION_RECORD = REPO / "docs" / "calibration.json"
FITTED_CONFIG = REPO / "configs" / "calibration" / "fitted.yaml"

DEFAULT_WORKERS = 10_000
DEFAULT_SEEDS = 6
DEFAULT_MONTHS = 120
CYCLE_MONTHS = 156  # three 48-month cycles after a 12-month burn-in
BURN_IN = 12
PANEL_MONTHS = 48  # months since displacement followed in the displaced panel
TRAINING_MONTHS = 36  # months since the seat lottery followed in the training evaluation
# the training evaluation: retraining_push with its seats rationed (1 a month per 1,000 workers instead of 5), so that
# subsidised seats go by lottery nearly every month (simulation.validation.lottery)
TRAINING_SCENARIO = "retraining_push"
TRAINING_SUBSIDY = ("policy.retraining_subsidy.seats_per_1000=1.0",)
EXPERIMENTS = ("cycle", "baseline", "national_ai_push", "training")


def param_default(name: str) -> float:
    """The current default of the parameter ``name`` (dotted) in the config schema."""
    for key, _f, value in iter_params():
        if key == name:
            return float(value)
    raise ConfigError([f"{name}: unknown parameter; see docs/PARAMETERS.md for every key"])


def fitted_overrides(path: str | Path = FITTED_CONFIG) -> list[str]:
    """The fitted config as Hydra overrides (``key=value``), e.g. to pass to ``simulation.run(overrides=...)``."""
    from omegaconf import OmegaConf

    cfg = OmegaConf.to_container(OmegaConf.load(path))

    def flat(node, prefix=""):
        for k, v in node.items():
            if isinstance(v, dict):
                yield from flat(v, f"{prefix}{k}.")
            else:
                yield f"{prefix}{k}={v}"

    return list(flat(cfg))
