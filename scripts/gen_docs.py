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
from simulation.validation.smm import SPECS

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
        "The defaults above are the schema's: the US values from before the profiles were calibrated (each source says where",
        "its value comes from). A profile's file (`configs/profile/<profile>.yaml`; `profile: china` by default) sets its own",
        "values over them, its calibrated values among them. `laborshift-calibrate [profile=china|us]` (`simulation/validation/smm.py`;",
        "the default profile when none is named) fits a profile's free parameters to the moments marked `target` in",
        "`simulation/data/profiles/<profile>_targets.csv` by the simulated method of moments, with standard errors:",
        "",
    ]
    fits = [f"* {name}: {', '.join(f'`{p.name}`' for p in spec.params)} on `{spec.scenario}`" for name, spec in SPECS.items()]
    lines += [f"{f}{';' if i < len(fits) - 1 else '.'}" for i, f in enumerate(fits)]
    lines += [
        "",
        "It writes the record `simulation/data/profiles/<profile>_calibration.json` and the snippet",
        "`configs/calibration/<profile>.yaml`, whose values are copied into the profile's file (a test checks they agree);",
        "each profile's validation page (`docs/VALIDATION_<profile>.md`) shows the estimates and the fit of every moment.",
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
