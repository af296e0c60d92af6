"""``laborshift-calibrate``: the console entry point; the calibration lives in :mod:`simulation.validation.calibration`."""

import sys

from .validation.calibration import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
