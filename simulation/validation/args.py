"""Command-line helpers of ``laborshift-validate`` (``laborshift-calibrate`` takes key=value words: :mod:`.calibration`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..files import writable_problem


def positive_int(name: str) -> Callable[[str], int]:
    """An argparse ``type`` accepting a positive integer; ``name`` is the option (for the caller's error messages)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a positive integer") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"got {value}; allowed: a positive integer")
        return value

    return parse


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2, without the usage dump."""

    def error(self, message: str):  # noqa: D102
        self.exit(2, f"{self.prog}: error: {message}\n")


def check_jobs(ap: argparse.ArgumentParser, jobs: int) -> None:
    """Exit with a usage error unless ``--jobs`` is an integer >= 0."""
    if jobs < 0:
        ap.error(f"--jobs: got {jobs}; allowed: an integer >= 0 (0: one per core)")


def check_writable(ap: argparse.ArgumentParser, option: str, path: str | Path, folder: bool = False) -> None:
    """Exit with a usage error, before any work, when the output ``path`` of ``option`` cannot be written."""
    problem = writable_problem(path, folder)
    if problem:
        ap.error(f"{option}: {problem}")
