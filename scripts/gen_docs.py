"""Write the generated documentation: docs/PARAMETERS.md and the column tables of docs/OUTPUTS.md.

PARAMETERS.md comes from the typed config schema (the one home of every
parameter); the column tables of OUTPUTS.md from the output declarations of
the processes (simulation/outputs.py), between its two GENERATED markers (the
rest of that page is prose).

    python scripts/gen_docs.py            # write the pages
    python scripts/gen_docs.py --check    # exit 1 if a page is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.config import iter_params
from simulation.outputs import collect, columns_markdown
from simulation.processes import RECORDED

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "PARAMETERS.md"
OUTPUTS = DOCS / "OUTPUTS.md"
BEGIN = "<!-- GENERATED: the column tables, from the output declarations (python scripts/gen_docs.py) -->"
END = "<!-- END GENERATED -->"


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
        "(`python scripts/gen_docs.py`; a test checks the page is current). Set any of them",
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
        "`laborshift-calibrate` (`simulation/validation/calibration.py`) fits `market.quit_rate`, `demography.displacement_skill_loss` and",
        "`market.exit_rate_long_term` to target moments of the `baseline` scenario by the simulated method of moments: monthly",
        "hires and separations as shares of employment (US JOLTS, September 2024: 3.5% and 3.3%) and the status of displaced",
        "workers 1-36 months after displacement (BLS Displaced Worker Survey, January 2024: 65.7% re-employed, 18.2% out of",
        "the labour force). It writes the fitted values to `configs/calibration/fitted.yaml` and its record to",
        "`docs/calibration.json`; `docs/VALIDATION.md` (written by `laborshift-validate`) shows the moments matched, the",
        "distance and how the fitted values compare with the defaults above.",
    ]
    return "\n".join(lines) + "\n"


def render_outputs(current: str) -> str:
    """OUTPUTS.md with its generated region (between the markers) rewritten from the declarations."""
    if BEGIN not in current or END not in current:
        raise SystemExit(f"{OUTPUTS.name}: the markers {BEGIN!r} and {END!r} are missing")
    head, rest = current.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{BEGIN}\n\n{columns_markdown(collect(RECORDED))}\n{END}{tail}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if a page differs from what the code declares")
    args = ap.parse_args()
    pages = {PAGE: render(), OUTPUTS: render_outputs(OUTPUTS.read_text())}
    stale = [p.name for p, text in pages.items() if not p.exists() or p.read_text() != text]
    if args.check:
        if stale:
            print(f"{', '.join(stale)} out of date: run python scripts/gen_docs.py", file=sys.stderr)
            sys.exit(1)
        return
    for p, text in pages.items():
        p.write_text(text)
    print(f"wrote {', '.join(p.name for p in pages)}")


if __name__ == "__main__":
    main()
