"""Validation and calibration: does the model reproduce what labour economics has measured.

Modules (each imports only the ones above it in this list):

* :mod:`~simulation.validation.settings`: paths, run sizes, parameter look-ups, the fitted config as overrides;
* :mod:`~simulation.validation.targets`: every empirical target (value, source, status), defined once;
* :mod:`~simulation.validation.stats`: pure statistics of measured runs;
* :mod:`~simulation.validation.experiments`: the experiment runs and the panels that measure them;
* :mod:`~simulation.validation.prose`: the page's fixed text;
* :mod:`~simulation.validation.facts`: each fact's numbers, verdict and reason;
* :mod:`~simulation.validation.figures`: each fact's figure;
* :mod:`~simulation.validation.story`: the story's runs, points and figures (the page's section "The story");
* :mod:`~simulation.validation.args`: command-line helpers of both commands;
* :mod:`~simulation.validation.profile_data`: a profile's targets, monthly data and calibration record;
* :mod:`~simulation.validation.china_facts`: the China profile's runs, moments and verdicts;
* :mod:`~simulation.validation.china_figures`, :mod:`~simulation.validation.china_page`: its figures and page;
* :mod:`~simulation.validation.page`: the US page, the index of the pages, and ``laborshift-validate``;
* :mod:`~simulation.validation.initial_state`: the derived initial state (the ``no_ai`` steady state);
* :mod:`~simulation.validation.smm`: the calibration per profile (``laborshift-calibrate profile=china``): specs,
  targets with standard errors, Levenberg-Marquardt, the sandwich covariance, the record per profile;
* :mod:`~simulation.validation.calibration`: the calibration of the baseline, and ``laborshift-calibrate``.
"""

from .calibration import FREE_PARAMS, RECORD, CalibrationResult, Evaluation, FreeParam, Objective, calibrate, moments_of, write_fitted
from .experiments import DisplacedPanel, run_experiments, simulate
from .facts import Fact
from .initial_state import INITIAL_STATE_PARAMS, derive_initial_state, steady_state
from .lottery import LotteryPanel, follow_lottery, itt, panel_frame
from .page import build_facts, calibration_section, refresh_calibration_section, render_page, write_validation
from .settings import (
    CALIBRATION_RECORD,
    CYCLE_MONTHS,
    DEFAULT_MONTHS,
    DEFAULT_OUT,
    DEFAULT_SEEDS,
    DEFAULT_WORKERS,
    EXPERIMENTS,
    FITTED_CONFIG,
    IMAGE_DIR,
    PAGE_NAME,
    PROFILE_PAGES,
    REPO,
    fitted_overrides,
)
from .stats import (
    beveridge,
    dws_shares,
    employed_share_by_month,
    flow_rates,
    matching_regression,
    reemployed_within,
    training_effect,
)
from .targets import EMPIRICAL, TARGETS, UNTARGETED, Target

__all__ = [
    "CALIBRATION_RECORD",
    "CYCLE_MONTHS",
    "DEFAULT_MONTHS",
    "DEFAULT_OUT",
    "DEFAULT_SEEDS",
    "DEFAULT_WORKERS",
    "EMPIRICAL",
    "EXPERIMENTS",
    "FITTED_CONFIG",
    "FREE_PARAMS",
    "IMAGE_DIR",
    "INITIAL_STATE_PARAMS",
    "PAGE_NAME",
    "PROFILE_PAGES",
    "RECORD",
    "REPO",
    "TARGETS",
    "UNTARGETED",
    "CalibrationResult",
    "DisplacedPanel",
    "Evaluation",
    "Fact",
    "FreeParam",
    "Objective",
    "Target",
    "LotteryPanel",
    "beveridge",
    "build_facts",
    "calibrate",
    "calibration_section",
    "derive_initial_state",
    "dws_shares",
    "employed_share_by_month",
    "fitted_overrides",
    "flow_rates",
    "follow_lottery",
    "itt",
    "matching_regression",
    "moments_of",
    "panel_frame",
    "reemployed_within",
    "refresh_calibration_section",
    "render_page",
    "run_experiments",
    "simulate",
    "steady_state",
    "training_effect",
    "write_fitted",
    "write_validation",
]
