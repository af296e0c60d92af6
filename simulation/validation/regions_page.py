"""The two-region validation page (``laborshift-validate regions=china_us``): ``VALIDATION_regions.md``.

MacroPolo's Global AI Talent Tracker 2.0 (``simulation/data/profiles/regions_targets.csv``, from
``scripts/build_regions.py``) against the model's talent table in ``global_race`` over seeds: where the pair's
AI-core workers work, how many of them are China-born, where China-born AI-core workers work, and whether talent
moves both ways. Verdict per fact: pass within 10 percentage points of the target, partial within 20, else miss.
MacroPolo counts top-tier AI researchers (NeurIPS 2022 authors, all countries); the model counts every AI-core worker
of two regions of equal simulated size: the notes say where that matters.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .settings import REPO

PAGE = "VALIDATION_regions.md"
TARGETS = REPO / "simulation" / "data" / "profiles" / "regions_targets.csv"
SCENARIO = "global_race"
PASS_PP, PARTIAL_PP = 10.0, 20.0


class RegionFact(NamedTuple):
    """One fact of the page: its title, the table rows (measure, model, target), verdict and note."""

    title: str
    table: list[tuple[str, str, str]]
    verdict: str
    note: str


def load_targets(path: Path = TARGETS) -> dict[str, dict[str, str]]:
    """The MacroPolo moments by name."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["moment"]: r for r in csv.DictReader(fh)}


def shares(talent, months: Sequence[int]) -> dict[str, list[float]]:
    """The model's MacroPolo-like shares (%) of AI-core employment at each month of ``months``."""
    ai = talent[talent["lane"] == "ai_core"]
    out: dict[str, list[float]] = {"in_china": [], "china_born": [], "china_born_in_china": [], "china_born_of_us": []}
    for m in months:
        t = ai[ai["month"] == m]
        total = t["employed"].sum()
        born = t[t["home"] == "china"]
        us = t[t["region"] == "us"]
        out["in_china"].append(100 * t.loc[t["region"] == "china", "employed"].sum() / total)
        out["china_born"].append(100 * born["employed"].sum() / total)
        out["china_born_in_china"].append(100 * born.loc[born["region"] == "china", "employed"].sum() / born["employed"].sum())
        out["china_born_of_us"].append(100 * us.loc[us["home"] == "china", "employed"].sum() / us["employed"].sum())
    return out


def run_seeds(workers: int, seeds: int, months: int, master_seed: int, overrides: Sequence[str] = (),
              log: Callable[[str], None] = lambda s: None) -> list[dict]:
    """``global_race`` once per seed; each run's shares at month 0 and at the end, and its AI-core flows."""
    from ..regions import run_regions

    run_seeds_ = np.random.SeedSequence(master_seed).generate_state(seeds, dtype=np.uint32)
    runs = []
    for i, s in enumerate(run_seeds_):
        res = run_regions("china_us", SCENARIO, [f"workers={workers}", f"months={months}", f"seed={int(s)}", *overrides])
        mig = res.migration[res.migration["lane"] == "ai_core"]
        runs.append({"seed": int(s), "shares": shares(res.talent, [0, months]),
                     "emigration": int(mig.loc[mig["direction"] == "emigration", "count"].sum()),
                     "returns": int(mig.loc[mig["direction"] == "return", "count"].sum())})
        log(f"  {SCENARIO} seed {i + 1}/{seeds}: {runs[-1]['emigration']} AI-core emigrants, {runs[-1]['returns']} returns")
    return runs


def _mr(values: Sequence[float], digits: int = 1) -> str:
    v = np.asarray(values, dtype=float)
    return f"{np.median(v):.{digits}f} [{v.min():.{digits}f}, {v.max():.{digits}f}]"


def _verdict(model: float, target: float) -> str:
    gap = abs(model - target)
    return "pass" if gap <= PASS_PP else "partial" if gap <= PARTIAL_PP else "miss"


def _share_fact(title: str, key: str, target: float, target_text: str, runs: list[dict], note: str) -> RegionFact:
    start = [r["shares"][key][0] for r in runs]
    end = [r["shares"][key][1] for r in runs]
    verdict = _verdict(float(np.median(end)), target)
    return RegionFact(title, [("month 0 (%)", _mr(start), target_text), ("last month (%)", _mr(end), target_text)], verdict, note)


def facts(runs: list[dict], tg: dict[str, dict[str, str]]) -> list[RegionFact]:
    """The page's facts from the runs and the targets."""
    cn, us = float(tg["top_ai_talent_working_in_china"]["value"]), 42.0  # US: the same source's note ("vs 42% working in the US")
    born_cn, born_us = float(tg["china_undergrad_share_of_top_tier_ai_researchers"]["value"]), float(tg["us_undergrad_share_of_top_tier_ai_researchers"]["value"])
    stay = float(tg["china_undergrads_staying_in_china_for_grad_school"]["value"])
    in_china = 100 * cn / (cn + us)
    born = 100 * born_cn / (born_cn + born_us)
    flows = [(r["emigration"], r["returns"]) for r in runs]
    both = all(e > 0 and r > 0 for e, r in flows)
    return [
        _share_fact("Where the pair's AI talent works", "in_china", in_china,
                    f"{in_china:.0f} (top talent working in China, {cn:.0f}%, of China and the US, {cn:.0f}% + {us:.0f}%)", runs,
                    "The two regions have equal simulated sizes (`members.<r>.size` = 1), so the model's share stays near half "
                    "by construction; MacroPolo's top tier is more concentrated in the US than the wider AI-core workforce is."),
        _share_fact("China-born share of the pair's AI talent", "china_born", born,
                    f"{born:.0f} (China-undergraduate top-tier researchers, {born_cn:.0f}%, of China and US undergraduates, "
                    f"{born_cn:.0f}% + {born_us:.0f}%)", runs,
                    "Again set mostly by the equal sizes and `born_abroad`; MacroPolo's shares are of researchers by undergraduate "
                    "country, a far narrower and more mobile group than the model's AI-core workers."),
        _share_fact("China-born AI talent that stays in China", "china_born_in_china", stay,
                    f"{stay:.0f} (China-undergraduate top-tier researchers staying for graduate school; ~36% go to the US)", runs,
                    "MacroPolo's 51% is a graduate-school choice of the top tier, most of whom then stay where they studied; the "
                    "model's China-born AI-core workers are mostly engineers who never left, so a higher share is expected. Not "
                    "used to set the move rates: the populations differ too much for a calibration."),
        RegionFact("Talent moves both ways", [("AI-core emigrants over the run", _mr([e for e, _ in flows], 0), "> 0"),
                                              ("AI-core returns over the run", _mr([r for _, r in flows], 0), "> 0")],
                   "pass" if both else "miss",
                   "MacroPolo gives stocks, not flows; the issue asks for flows in both directions. Qualitative check only."),
    ]


def render(fs: list[RegionFact], runs: list[dict], workers: int, months: int, tg: dict[str, dict[str, str]]) -> str:
    """The page's Markdown."""
    lines = ["# Validation: two regions (China and the US)", "",
             f"Generated by `laborshift-validate regions=china_us`; do not edit by hand. `{SCENARIO}`, {len(runs)} seeds of "
             f"{workers:,} workers a region, {months} months; model values are median [min, max] over seeds of the talent "
             "table (`docs/REGIONS.md`), AI-core employees. Targets: MacroPolo Global AI Talent Tracker 2.0 "
             "(`simulation/data/profiles/regions_targets.csv`, from `scripts/build_regions.py`). Verdict: pass within "
             f"{PASS_PP:.0f} percentage points of the target at the last month, partial within {PARTIAL_PP:.0f}, else miss.", "",
             "**Populations differ.** MacroPolo counts top-tier AI researchers (NeurIPS 2022 authors, all countries); the model "
             "counts every AI-core employee of two regions of equal simulated size. The comparison shows how far the wider "
             "workforce is from the top tier; it does not calibrate the move rates.", "",
             "| fact | verdict | in one line |", "|---|---|---|"]
    for f in fs:
        anchor = f.title.lower().replace(" ", "-").replace("'", "")
        lines.append(f"| [{f.title}](#{anchor}) | {f.verdict} | {f.table[-1][0]}: {f.table[-1][1]} against {f.table[-1][2].split(' (')[0]} |")
    lines.append("")
    for f in fs:
        lines += [f"## {f.title}", "", "| measure | model | target |", "|---|---|---|", *[f"| {a} | {b} | {c} |" for a, b, c in f.table], "",
                  f"**Verdict: {f.verdict}.** {f.note}", ""]
    lines += ["## Targets", "", "| moment | value | unit | period | status | use | source |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {k} | {r['value']} | {r['unit']} | {r['period']} | {r['status']} | {r['use']} | [{r['source']}]({r['source_url']}) |" for k, r in tg.items()]
    return "\n".join(lines) + "\n"


def write_regions(out_dir: str | Path, workers: int, seeds: int, months: int, master_seed: int, overrides: Sequence[str] = (),
                  log: Callable[[str], None] = lambda s: None) -> tuple[Path, list[RegionFact]]:
    """Run the seeds, write ``VALIDATION_regions.md`` into ``out_dir``; return its path and the facts."""
    tg = load_targets()
    runs = run_seeds(workers, seeds, months, master_seed, overrides, log)
    fs = facts(runs, tg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / PAGE
    page.write_text(render(fs, runs, workers, months, tg))
    return page, fs
