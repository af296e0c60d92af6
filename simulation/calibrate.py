"""``laborshift-calibrate``: the console entry point; the command is :mod:`simulation.validation.calibration`.

The calibration itself is :mod:`simulation.validation.smm`.
"""

import sys
from collections.abc import Sequence

from .parallel import exit_on_signals
from .validation import calibration


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``laborshift-calibrate`` (Ctrl-C and SIGTERM stop its runs and exit 130 and 143, without a traceback)."""
    return exit_on_signals("laborshift-calibrate", lambda: calibration.main(argv))


__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
