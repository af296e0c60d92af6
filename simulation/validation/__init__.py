"""Validation and calibration: does the model reproduce what labour economics has measured.

Modules (each imports only the ones above it in this list):

* :mod:`~simulation.validation.settings`: paths and run sizes;
* :mod:`~simulation.validation.targets`: every empirical target of the US page (value, source), defined once;
* :mod:`~simulation.validation.stats`: pure statistics of measured runs;
* :mod:`~simulation.validation.experiments`: the experiment runs and the panels that measure them;
* :mod:`~simulation.validation.prose`: the page's fixed text;
* :mod:`~simulation.validation.facts`: each fact's numbers, verdict and reason;
* :mod:`~simulation.validation.figures`: each fact's figure;
* :mod:`~simulation.validation.story`: the story's runs, points and figures (the page's section "The story");
* :mod:`~simulation.validation.args`: command-line helpers of ``laborshift-validate``;
* :mod:`~simulation.validation.profile_data`: a profile's targets, monthly data and calibration record;
* :mod:`~simulation.validation.china_facts`: the China profile's runs, moments and verdicts;
* :mod:`~simulation.validation.china_figures`, :mod:`~simulation.validation.china_page`: its figures and page;
* :mod:`~simulation.validation.page`: the US page, the index of the pages, and ``laborshift-validate``;
* :mod:`~simulation.validation.smm`: the calibration per profile (``laborshift-calibrate profile=china``): specs,
  targets with standard errors, Levenberg-Marquardt, the sandwich covariance, the record per profile;
* :mod:`~simulation.validation.calibration`: ``laborshift-calibrate``, its help and its usage errors.
"""

from .experiments import DisplacedPanel, run_experiments, simulate
from .facts import Fact
from .lottery import LotteryPanel, follow_lottery, itt, panel_frame
from .page import build_facts, render_page, write_validation
from .settings import (
    CYCLE_MONTHS,
    DEFAULT_MONTHS,
    DEFAULT_OUT,
    DEFAULT_SEEDS,
    DEFAULT_WORKERS,
    EXPERIMENTS,
    IMAGE_DIR,
    PAGE_NAME,
    PROFILE_PAGES,
    REPO,
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
from .targets import EMPIRICAL, Target

__all__ = [
    "CYCLE_MONTHS",
    "DEFAULT_MONTHS",
    "DEFAULT_OUT",
    "DEFAULT_SEEDS",
    "DEFAULT_WORKERS",
    "EMPIRICAL",
    "EXPERIMENTS",
    "IMAGE_DIR",
    "PAGE_NAME",
    "PROFILE_PAGES",
    "REPO",
    "DisplacedPanel",
    "Fact",
    "Target",
    "LotteryPanel",
    "beveridge",
    "build_facts",
    "dws_shares",
    "employed_share_by_month",
    "flow_rates",
    "follow_lottery",
    "itt",
    "matching_regression",
    "panel_frame",
    "reemployed_within",
    "render_page",
    "run_experiments",
    "simulate",
    "training_effect",
    "write_validation",
]
