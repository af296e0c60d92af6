"""``laborshift-validate``: the console entry point; the validation lives in :mod:`simulation.validation`."""

import sys

from .validation.page import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
