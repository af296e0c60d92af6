"""Write docs/PARAMETERS.md from the typed config schema (the one home of every parameter).

    python scripts/gen_param_docs.py            # write the page
    python scripts/gen_param_docs.py --check    # exit 1 if the page is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.config import iter_params

PAGE = Path(__file__).resolve().parent.parent / "docs" / "PARAMETERS.md"


def _range(meta: dict) -> str:
    if meta.get("choices"):
        return " / ".join(meta["choices"])
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is None and hi is None:
        return ""
    left = "(" if meta.get("lo_open") else "["
    return f"{left}{'' if lo is None else f'{lo:g}'}, {'' if hi is None else f'{hi:g}'}]"


def render() -> str:
    """The page's text."""
    lines = [
        "# Parameters",
        "",
        "Every parameter of a run, generated from the typed schema in `simulation/config.py`",
        "(`python scripts/gen_param_docs.py`; a test checks the page is current). Set any of them",
        "on the command line with its dotted name, e.g. `laborshift ai.adoption_cost=0.05`, or in a",
        "scenario file under `configs/scenario/`.",
        "",
        "| key | default | unit | allowed | meaning | source / rationale |",
        "|---|---|---|---|---|---|",
    ]
    for name, f, default in iter_params():
        meta = f.metadata
        doc = meta.get("doc", "").replace("|", "\\|")
        src = meta.get("source", "").replace("|", "\\|")
        lines.append(f"| `{name}` | `{default}` | {meta.get('unit', '')} | {_range(meta)} | {doc} | {src} |")
    lines += [
        "",
        "## Calibration",
        "",
        "`laborshift-calibrate` (`simulation/calibrate.py`) fits `market.quit_rate`, `demography.displacement_skill_loss` and",
        "`market.exit_rate_long_term` to target moments of the `baseline` scenario by the simulated method of moments: monthly",
        "hires and separations as shares of employment (US JOLTS, September 2024: 3.5% and 3.3%) and the status of displaced",
        "workers 1-36 months after displacement (BLS Displaced Worker Survey, January 2024: 65.7% re-employed, 18.2% out of",
        "the labour force). It writes the fitted values to `configs/calibration/fitted.yaml` and its record to",
        "`docs/calibration.json`; `docs/VALIDATION.md` (written by `laborshift-validate`) shows the moments matched, the",
        "distance and how the fitted values compare with the defaults above.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if the page differs from the schema")
    args = ap.parse_args()
    text = render()
    if args.check:
        if not PAGE.exists() or PAGE.read_text() != text:
            print(f"{PAGE.name} is out of date: run python scripts/gen_param_docs.py", file=sys.stderr)
            sys.exit(1)
        return
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text)
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
