#!/usr/bin/env python3
"""Derive the two-region validation targets (MacroPolo's Global AI Talent Tracker 2.0) from public raw data.

Usage::

    python scripts/build_regions.py --source <data dir> [--out simulation/data/profiles]

``<data dir>`` is the project's shared data folder; this script reads ``china/global_comparison.csv`` (see its
README) and writes ``regions_targets.csv``: every MacroPolo row (``source`` starting with "MacroPolo") with its
value, unit, period, status, source and note. Rows whose ``status`` is ``confirmed``, ``confirmed (secondary)``,
``confirmed (projection)`` or ``derived`` get ``use = target``; any other MacroPolo row ``use = context``.

Output is deterministic (fixed row order). A missing file or column exits with status 2 and a one-line message.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

USABLE = ("confirmed", "confirmed (secondary)", "confirmed (projection)", "derived")
COLUMNS = ("geography", "indicator", "value", "unit", "period", "status", "source", "source_url", "note")
OUT_COLUMNS = ("moment", "value", "unit", "period", "status", "use", "source", "source_url", "note")


def fail(message: str) -> None:
    """One line on stderr, exit 2."""
    print(f"build_regions: {message}", file=sys.stderr)
    raise SystemExit(2)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The file's rows; exit 2 when it or one of its columns is missing."""
    if not path.is_file():
        fail(f"{path} not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            fail(f"{path}: column(s) {', '.join(missing)} not found")
        return list(reader)


def targets(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The MacroPolo rows as moments, in the file's order."""
    out = []
    for r in rows:
        if not r["source"].startswith("MacroPolo") or not r["value"]:
            continue
        out.append({"moment": r["indicator"], "value": r["value"], "unit": r["unit"], "period": r["period"], "status": r["status"],
                    "use": "target" if r["status"] in USABLE else "context", "source": r["source"], "source_url": r["source_url"],
                    "note": r["note"]})
    if not out:
        fail("no MacroPolo rows found in global_comparison.csv")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: --source, --out."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True, help="the shared data folder (holds china/)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "simulation" / "data" / "profiles"))
    args = ap.parse_args(argv)
    rows = targets(read_rows(Path(args.source) / "china" / "global_comparison.csv"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "regions_targets.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=OUT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out / 'regions_targets.csv'} ({len(rows)} moments)")


if __name__ == "__main__":
    main()
