"""``laborshift-calibrate``: the calibration of a profile by the simulated method of moments (:mod:`.smm`).

``laborshift-calibrate [profile=china|us] [key=value ...]`` calibrates the profile named (the default profile,
``china``, when none is named) and writes its record ``simulation/data/profiles/<profile>_calibration.json`` and its
fitted snippet ``configs/calibration/<profile>.yaml``, whose values belong in ``configs/profile/<profile>.yaml``. Its
words are :data:`.smm.OPTIONS`; ``--help`` lists them. Options in the ``--name`` form (those of a former calibration
of the schema's defaults on the baseline) are refused with the usage error and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from . import smm
from .settings import DEFAULT_PROFILE

PROG = "laborshift-calibrate"
HELP = ("-h", "--help")


def usage() -> str:
    """The command's usage line: :data:`.smm.USAGE` with the profile optional."""
    words = smm.USAGE.split()
    return " ".join(["usage:", words[0], *(f"[{w}]" if w.startswith("profile=") else w for w in words[1:])])


def help_text() -> str:
    """The text of ``laborshift-calibrate --help``: usage, what the command does, its words and examples."""
    width = max(len(k) for k in smm.OPTIONS) + 3
    lines = [
        usage(),
        "",
        "Calibrate a profile by the simulated method of moments (simulation/validation/smm.py): estimates with standard",
        "errors and every moment's fit, written to simulation/data/profiles/<profile>_calibration.json and",
        "configs/calibration/<profile>.yaml (copy its values into configs/profile/<profile>.yaml).",
        "",
        "key=value words:",
    ]
    for key, what in smm.OPTIONS.items():
        default = f" (default {DEFAULT_PROFILE})" if key == "profile" else ""
        lines.append(f"  {key + '=':{width}s}{what}{default}")
    lines += [
        "",
        "Examples:",
        f"  {PROG}                         # the {DEFAULT_PROFILE} profile (the default), at its spec's run size",
        f"  {PROG} profile=us jobs=2",
        f"  {PROG} profile=china workers=2000 seeds=2 iterations=1 record=/tmp/r.json config=/tmp/c.yaml",
    ]
    return "\n".join(lines)


def dash_problems(words: Sequence[str]) -> list[str]:
    """One usage problem per word in the ``--name`` form: the command takes ``key=value`` words only."""
    allowed = ", ".join(f"{k}=" for k in smm.OPTIONS)
    return [f"{w}: unknown option; allowed: the key=value words {allowed} ({usage()})" for w in words if w.startswith("-")]


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-calibrate``: the per-profile calibration, of the default profile unless one is named."""
    words = list(sys.argv[1:] if argv is None else argv)
    if any(w in HELP for w in words):
        print(help_text())
        return None
    problems = dash_problems(words)
    if problems:
        for p in problems:
            print(f"{PROG}: error: {p}", file=sys.stderr)
        raise SystemExit(2)
    if not any(w.startswith("profile=") for w in words):
        words = [f"profile={DEFAULT_PROFILE}", *words]
    return smm.main(words)
