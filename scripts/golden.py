"""Regenerate (or check) the golden reference tables in tests/golden/.

The golden runs are small, fixed runs of a few scenarios whose every output
table is stored as CSV. ``tests/test_golden.py`` reruns them and fails when any
value differs. Regenerate them deliberately, when a change is meant to move the
model's outputs, and commit the new files with that change so the diff shows in
review:

    make golden            # or: python scripts/golden.py
    python scripts/golden.py --check   # what the test does, from the command line
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.runner import compose, run_config

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"
# runs named <scenario> use the default profile (china), us.<scenario> the US profile
SCENARIOS = ("baseline", "hype_cycle", "retraining_push", "us.baseline", "us.hype_cycle", "us.retraining_push")
WORKERS, MONTHS, SEED = 2_000, 36, 1
OVERRIDES = (f"workers={WORKERS}", f"months={MONTHS}", f"seed={SEED}", "progress=false", "figures=false")
# floats are stored with 17 significant digits (exact round trip) and compared with this relative tolerance,
# far below any real change (one worker in 2,000 moves a share by 5e-4) and above the rounding differences between
# machines: wages are float32, whose sums depend on the CPU's vector instructions (relative 1e-9 to 5e-7 between
# two 2-core cloud machines, mean wages and first-hire pay)
RTOL = 1e-5


def golden_tables() -> dict[str, pd.DataFrame]:
    """The golden runs' tables, keyed ``<scenario>.<table>``."""
    out = {}
    for scenario in SCENARIOS:
        profile, _, name = scenario.rpartition(".")
        res = run_config(compose(name, [*OVERRIDES, *([f"profile={profile}"] if profile else [])]))
        for name, df in res.tables().items():
            out[f"{scenario}.{name}"] = df
    return out


def path_of(key: str) -> Path:
    """The CSV file of one golden table."""
    return GOLDEN_DIR / f"{key}.csv"


def differences(key: str, new: pd.DataFrame, old: pd.DataFrame) -> list[str]:
    """Every column in which ``new`` differs from the stored ``old`` (one line each, with the first differing row).

    Columns are matched by name: their order follows the order of the declarations (simulation/outputs.py),
    which is not an output value.
    """
    problems = []
    if set(new.columns) != set(old.columns):
        return [f"{key}: columns changed: new {sorted(set(new.columns) - set(old.columns))}, gone {sorted(set(old.columns) - set(new.columns))}"]
    if len(new) != len(old):
        return [f"{key}: {len(new)} rows, the reference has {len(old)}"]
    for c in new.columns:
        a, b = new[c].to_numpy(), old[c].to_numpy()
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            same = np.isclose(a.astype(float), b.astype(float), rtol=RTOL, atol=1e-12, equal_nan=True)
        else:
            same = a == b
        if not np.all(same):
            i = int(np.flatnonzero(~same)[0])
            problems.append(f"{key}: column {c!r} differs in {int((~same).sum())} rows; first at row {i}: {a[i]}, reference {b[i]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write the golden tables, or with ``--check`` compare against them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the stored tables instead of writing them")
    args = ap.parse_args(argv)
    tables = golden_tables()
    if args.check:
        problems = [p for k, df in tables.items() for p in differences(k, df, pd.read_csv(path_of(k)))]
        print("\n".join(problems) if problems else f"golden tables unchanged ({len(tables)} tables)")
        return 1 if problems else 0
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN_DIR.glob("*.csv"):
        old.unlink()
    for k, df in tables.items():
        df.to_csv(path_of(k), index=False, float_format="%.17g")
    print(f"wrote {len(tables)} golden tables to {GOLDEN_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
