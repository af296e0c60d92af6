"""Paths and run sizes shared by the validation pages and the calibration."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_OUT = REPO / "docs"
IMAGE_DIR = Path("images") / "validation"
PAGE_NAME = "VALIDATION.md"  # the index: one page per profile, each with its verdicts
PROFILE_PAGES = {"china": "VALIDATION_china.md", "us": "VALIDATION_us.md"}  # the page of each profile
US_IMAGE_DIR = IMAGE_DIR / "us"
DEFAULT_PROFILE = "china"  # the profile of configs/config.yaml

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

