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
from collections.abc import Callable


def _command(prog: str, target: str, doc: str) -> Callable[[], object]:
    """The console entry point ``prog``: start-up signal handling, then ``module:function`` imported and called."""

    def during_start_up(signum: int, frame: object) -> None:
        what = "terminated" if signum == signal.SIGTERM else "interrupted"
        os.write(2, f"{prog}: {what} while starting\n".encode())
        os._exit(128 + signum)

    def launch() -> object:
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, during_start_up)
        module, function = target.split(":")
        return getattr(importlib.import_module(module), function)()

    launch.__doc__ = f"``{prog}``: {doc}"
    return launch


laborshift = _command("laborshift", "simulation.cli:main", "one run, or a sweep with ``-m``.")
compare = _command("laborshift-compare", "simulation.cli:compare_main", "a scenario comparison and its report.")
explore = _command("laborshift-explore", "simulation.explorer:main", "the interactive explorer.")
collect = _command("laborshift-collect", "simulation.sweep:collect_main", "a sweep's runs in one dataset.")
sensitivity = _command("laborshift-sensitivity", "simulation.sensitivity:main", "a global sensitivity analysis.")
validate = _command("laborshift-validate", "simulation.validate:main", "the validation page.")
calibrate = _command("laborshift-calibrate", "simulation.calibrate:main", "the calibration.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(laborshift())
