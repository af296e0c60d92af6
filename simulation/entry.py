"""Console entry points.

Each command installs its signal handlers before it imports anything heavy: importing numpy, pandas, Mesa and
Hydra takes a second or more, and a Ctrl-C (or SIGTERM) in that time would otherwise print a traceback of
the import machinery. During start-up a signal ends the command at once with one line and exit code
128 + the signal number; once the command runs, its own handling takes over
(:func:`simulation.parallel.exit_on_signals`).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys


def _launch(prog: str, target: str) -> object:
    """Import ``module:function`` with start-up signal handling, then call it."""

    def during_start_up(signum: int, frame: object) -> None:
        what = "terminated" if signum == signal.SIGTERM else "interrupted"
        os.write(2, f"{prog}: {what} while starting\n".encode())
        os._exit(128 + signum)

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, during_start_up)
    module, function = target.split(":")
    main = getattr(importlib.import_module(module), function)
    return main()


def laborshift() -> object:
    """``laborshift``: one run, or a sweep with ``-m``."""
    return _launch("laborshift", "simulation.cli:main")


def compare() -> object:
    """``laborshift-compare``: a scenario comparison and its report."""
    return _launch("laborshift-compare", "simulation.cli:compare_main")


def explore() -> object:
    """``laborshift-explore``: the interactive explorer."""
    return _launch("laborshift-explore", "simulation.explorer:main")


def collect() -> object:
    """``laborshift-collect``: a sweep's runs in one dataset."""
    return _launch("laborshift-collect", "simulation.sweep:collect_main")


def sensitivity() -> object:
    """``laborshift-sensitivity``: a global sensitivity analysis."""
    return _launch("laborshift-sensitivity", "simulation.sensitivity:main")


def validate() -> object:
    """``laborshift-validate``: the validation page."""
    return _launch("laborshift-validate", "simulation.validate:main")


def calibrate() -> object:
    """``laborshift-calibrate``: the calibration."""
    return _launch("laborshift-calibrate", "simulation.calibrate:main")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(laborshift())
