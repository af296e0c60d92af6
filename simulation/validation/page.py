"""The validation pages: ``laborshift-validate [profile=china|us]`` runs a profile's experiments and writes its page.

``profile=china`` (the default) writes ``VALIDATION_china.md`` (:mod:`.china_page`: NBS's unemployment, the lanes, the
AI pay ratio); ``profile=us`` writes ``VALIDATION_us.md``, described below; either rewrites the index ``VALIDATION.md``
(each profile's verdict table, with links to its page).

The US page has one section per stylised fact, each with the target and its source, how the
experiment measures it, the model's figure with its range across seeds, and a
verdict (pass, partial or miss, with the reason); then "The story", one experiment
per point of the story the model exists to tell (:mod:`.story`); then the policy
channels (the duration elasticity of unemployment benefits, :mod:`.benefits`); the
last section reports the profile's calibration record (``simulation/data/profiles/us_calibration.json``,
:func:`.profile_data.record_section`, as on the China page).

Usage::

    laborshift-validate                      # the China profile: docs/VALIDATION_china.md, and the index docs/VALIDATION.md
    laborshift-validate profile=us           # the US profile: docs/VALIDATION_us.md
    laborshift-validate profile=us --workers 3000 --seeds 2 --out /tmp/v
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import benefits, profile_data, prose
from .args import Parser, check_jobs, check_writable, positive_int
from .experiments import run_experiments
from .facts import Fact, fact_ai, fact_beveridge, fact_displaced, fact_flows, fact_matching, fact_training
from .figures import ai_figure, beveridge_figure, displaced_figure, flows_figure, matching_figure, training_figure
from .settings import (
    CYCLE_MONTHS,
    DEFAULT_MONTHS,
    DEFAULT_OUT,
    DEFAULT_PROFILE,
    DEFAULT_SEEDS,
    DEFAULT_WORKERS,
    EXPERIMENTS,
    PAGE_NAME,
    PROFILE_PAGES,
    US_IMAGE_DIR,
)
from .story import STORY_RUNS, run_story, story_points, story_section


# --------------------------------------------------------------------------- the facts and their figures
def demand_cycle_period() -> int:
    """Period of the ``demand_cycle`` scenario, in months."""
    from ..runner import compose

    return int(compose("demand_cycle").cycle.period_months)


def build_facts(runs: dict[str, list[dict]], period: int) -> list[tuple[Fact, object]]:
    """Every fact of the page, in order, each with its figure, from the runs of :func:`run_experiments`."""
    cycle, base = runs["cycle"], runs["baseline"]
    beveridge, _ = fact_beveridge(cycle, period)
    matching, est = fact_matching(cycle)
    flows, rates = fact_flows(base)
    displaced, panel = fact_displaced(base)
    training, effect = fact_training(runs["training"])
    ai, _ = fact_ai(base, runs["national_ai_push"])
    return [
        (beveridge, beveridge_figure(cycle)),
        (matching, matching_figure(cycle, est)),
        (flows, flows_figure(base, rates)),
        (displaced, displaced_figure(base, panel)),
        (training, training_figure(runs["training"], effect)),
        (ai, ai_figure(base, runs["national_ai_push"])),
    ]


# --------------------------------------------------------------------------- the page
def _anchor(title: str) -> str:
    return title.lower().replace(" ", "-").replace(":", "").replace(",", "")


def render_page(facts: list[Fact], settings: dict, record_path: Path | None = None, story: Sequence[Fact] = (),
                policy: Sequence[str] = (), image_dir: Path = US_IMAGE_DIR) -> str:
    """The markdown of the validation page (``policy``: the lines of the section on the policy channels, if any).

    ``record_path``: the US profile's calibration record (default ``simulation/data/profiles/us_calibration.json``).
    """
    overrides = f" plus {', '.join(f'`{o}`' for o in settings['overrides'])}" if settings["overrides"] else ""
    lines = [
        prose.PAGE_TITLE,
        "",
        prose.PAGE_GENERATED,
        "",
        f"Settings: {settings['workers']:,} workers per run, {settings['seeds']} seeds per experiment (spawned from master seed "
        f"{settings['master_seed']}), {settings['months']} months ({CYCLE_MONTHS} for the demand cycle), shipped defaults{overrides}; "
        f"{settings['runs']} runs in {settings['wall_time_s']:.0f} s. A model figure is the median across seeds with the range "
        "(minimum, maximum) across seeds in brackets.",
        "",
        prose.PAGE_VERDICTS,
        "",
        "| fact | verdict | in one line |",
        "|---|---|---|",
    ]
    lines += [f"| [{f.title}](#{_anchor(f.title)}) | **{f.verdict}** | {f.why.split('. ')[0].split('; ')[0]} |" for f in facts]
    lines.append("")
    for f in facts:
        lines += [f"## {f.title}", "", f"**Target.** {f.target}", "", f"**Experiment.** {f.method}", ""]
        lines += ["| measure | model: median [min, max] | target |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in f.table]
        lines += ["", f"**Verdict: {f.verdict}.** {f.why.rstrip('. ')}.", "", f"![{f.title}]({image_dir.as_posix()}/{f.figure})", ""]
        lines += [f"*{f.caption}*", ""]
    if story:
        lines += story_section(story, image_dir.as_posix())
    lines += list(policy)
    lines += profile_data.record_section("us", profile_data.record_path("us") if record_path is None else record_path)
    return "\n".join(lines)


def write_validation(
    out_dir: str | Path = DEFAULT_OUT,
    workers: int = DEFAULT_WORKERS,
    seeds: int = DEFAULT_SEEDS,
    months: int = DEFAULT_MONTHS,
    master_seed: int = 2024,
    jobs: int = 0,
    overrides: Sequence[str] = (),
    log: Callable[[str], None] = print,
) -> tuple[Path, list[Fact]]:
    """Run every experiment under ``profile=us``, write ``VALIDATION_us.md`` and its figures into ``out_dir``; return the page's path and the facts."""
    start = time.perf_counter()
    overrides = ["profile=us", *overrides]
    runs = run_experiments(workers, seeds, months, master_seed, jobs, overrides, log)
    built = build_facts(runs, demand_cycle_period())
    from ..compare import replication_seeds

    story_runs = run_story(workers, replication_seeds(master_seed, seeds), months, jobs, overrides, log)
    told = story_points(story_runs)
    log("policy channels: unemployment benefits at two replacement rates")
    benefit = benefits.run_pair(seeds=replication_seeds(master_seed, seeds), workers=workers, months=months, overrides=overrides)
    out = Path(out_dir)
    img = out / US_IMAGE_DIR
    img.mkdir(parents=True, exist_ok=True)
    for fact, fig in [*built, *told]:
        fig.savefig(img / fact.figure, dpi=110)
    facts = [f for f, _ in built]
    settings = {
        "workers": workers,
        "seeds": seeds,
        "months": months,
        "master_seed": master_seed,
        "overrides": list(overrides),
        "runs": sum(len(v) for v in runs.values()) + sum(len(v) for v in story_runs.values()) + 2 * seeds,
        "wall_time_s": time.perf_counter() - start,
    }
    page = out / PROFILE_PAGES["us"]
    page.write_text(render_page(facts, settings, story=[f for f, _ in told], policy=benefits.markdown_section(benefit)))
    return page, facts + [f for f, _ in told]


# --------------------------------------------------------------------------- the index
def verdict_rows(page_text: str, page_name: str) -> list[str]:
    """The rows of a page's verdict table, their links made to point into ``page_name``."""
    body = page_text.split("| fact | verdict | in one line |\n|---|---|---|\n", 1)
    if len(body) < 2:
        return []
    rows = body[1].split("\n\n", 1)[0].splitlines()
    return [row.replace("](#", f"]({page_name}#", 1) for row in rows]


INDEX_TEXT = {
    "china": ("China (the default profile)", "`laborshift-validate` or `laborshift-validate profile=china`: months 1-36 of `no_ai` and "
              "`baseline` (January 2023 to December 2025) against NBS's urban and age-group unemployment month by month, the "
              "job platforms' lane tightness and AI pay ratio, and graduates per employed; then the story's points on the China profile."),
    "us": ("United States", "`laborshift-validate profile=us`: the Beveridge curve, the matching function, JOLTS flows, the Displaced "
           "Worker Survey, a seat lottery's time profile, the AI premium, the story's points and unemployment benefits."),
}


def write_index(out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Write ``VALIDATION.md``: for each profile, a link to its page and its verdict table (from the pages in ``out_dir``)."""
    out = Path(out_dir)
    lines = ["# Validation", "", "Generated by `laborshift-validate` from the pages of the profiles; do not edit by hand. Each profile "
             "has its own page, measured against its own data, with a verdict per fact (pass, partial or miss, with the tolerance "
             "stated) and the profile's calibration record.", ""]
    for profile, name in PROFILE_PAGES.items():
        title, what = INDEX_TEXT[profile]
        page = out / name
        lines += [f"## [{title}]({name})", "", what, ""]
        if page.exists():
            lines += ["| fact | verdict | in one line |", "|---|---|---|", *verdict_rows(page.read_text(), name), ""]
        else:
            lines += [f"Not generated yet: run `laborshift-validate profile={profile}`.", ""]
    regions = out / "VALIDATION_regions.md"
    lines += ["## [Two regions: China and the US](VALIDATION_regions.md)", "", "`laborshift-validate regions=china_us`: MacroPolo's Global AI "
              "Talent Tracker shares (where top AI talent works and comes from) against the talent table of `global_race`.", ""]
    if regions.exists():
        lines += ["| fact | verdict | in one line |", "|---|---|---|", *verdict_rows(regions.read_text(), "VALIDATION_regions.md"), ""]
    else:
        lines += ["Not generated yet: run `laborshift-validate regions=china_us`.", ""]
    index = out / PAGE_NAME
    index.write_text("\n".join(lines))
    return index


# --------------------------------------------------------------------------- the command
REMOVED_FITTED = (
    "--fitted: removed; every run already uses the profile's calibrated values (configs/profile/<profile>.yaml, from "
    "laborshift-calibrate profile=<profile>): run laborshift-validate profile=us without it"
)


def parser() -> Parser:
    """The argument parser of ``laborshift-validate``."""
    ap = Parser(prog="laborshift-validate", description="Run a profile's validation experiments and write its page (VALIDATION_<profile>.md) "
                "with its figures, and the index VALIDATION.md.")
    ap.add_argument("overrides", nargs="*", metavar="key=value",
                    help=f"profile=china|us (default {DEFAULT_PROFILE}), then any model overrides applied to every run")
    ap.add_argument(
        "--workers", type=positive_int("--workers"), default=DEFAULT_WORKERS, help=f"workers per run (default {DEFAULT_WORKERS})"
    )
    ap.add_argument("--seeds", type=positive_int("--seeds"), default=DEFAULT_SEEDS, help=f"seeds per experiment (default {DEFAULT_SEEDS})")
    ap.add_argument(
        "--months",
        type=positive_int("--months"),
        default=DEFAULT_MONTHS,
        help=f"months of the US page's scenario runs and of both pages' story runs (default {DEFAULT_MONTHS}; the demand cycle runs "
        f"{CYCLE_MONTHS}); the China page's checks against its data always run 36 (the data's months)",
    )
    ap.add_argument("--master-seed", type=int, default=2024, help="master seed the run seeds are spawned from (default 2024)")
    ap.add_argument("--jobs", type=int, default=0, help="processes (0: one per core)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the pages and images/ (default docs/; there, the README's China block is updated too)")
    ap.add_argument(
        "--calibration-only",
        action="store_true",
        help="only rewrite the Calibration section of the profile's existing page from its calibration record (no runs)",
    )
    ap.add_argument("--fitted", action="store_true", help=argparse.SUPPRESS)  # removed: refused with a usage error (REMOVED_FITTED)
    return ap


def split_profile(ap: Parser, overrides: Sequence[str]) -> tuple[str, list[str]]:
    """The profile named in the overrides (the default if none) and the other overrides; a usage error if any is invalid."""
    from ..composition import check_overrides
    from ..config import ConfigError

    try:
        check_overrides([o for o in overrides if not o.startswith("regions=")])
    except ConfigError as err:
        ap.error("; ".join(err.problems))
    profile, rest = DEFAULT_PROFILE, []
    for o in overrides:
        key, _, value = o.partition("=")
        if key == "regions":
            if value != "china_us":
                ap.error(f"regions: got {value!r}; a validation page exists for china_us")
            profile = "regions"
        elif key == "profile":
            profile = value
        else:
            rest.append(o)
    if profile not in (*PROFILE_PAGES, "regions"):
        ap.error(f"profile: got {profile!r}; a validation page exists for {', '.join(PROFILE_PAGES)}")
    return profile, rest


def _refresh_only(ap: Parser, out: Path, profile: str) -> None:
    page = out / PROFILE_PAGES[profile]
    if not page.exists():
        ap.error(f"--calibration-only: {page} does not exist; run laborshift-validate profile={profile} without it first")
    profile_data.refresh_record_section(page, profile)
    print(f"rewrote the Calibration section of {page}")


def _run_china(args, out: Path, overrides: list[str]) -> tuple[Path, list[Fact]]:
    from .china_page import update_readme, write_china

    print(f"laborshift-validate profile=china: 2 scenarios x {args.seeds} seeds of {args.workers:,} workers, 36 months; "
          f"{len(STORY_RUNS)} story runs x {args.seeds} seeds, {args.months} months", flush=True)
    page, facts = write_china(out, args.workers, args.seeds, args.master_seed, args.jobs, overrides, log=lambda s: print(s, flush=True),
                              story_months=args.months)
    if out.resolve() == DEFAULT_OUT.resolve() and update_readme(page):
        print("updated the China block of README.md")
    return page, facts


def _run_regions(args, out: Path, overrides: list[str]):
    from .regions_page import write_regions

    print(f"laborshift-validate regions=china_us: global_race x {args.seeds} seeds of {args.workers:,} workers a region, {args.months} months",
          flush=True)
    return write_regions(out, args.workers, args.seeds, args.months, args.master_seed, overrides, log=lambda s: print(s, flush=True))


def _run_us(ap: Parser, args, out: Path, overrides: list[str]) -> tuple[Path, list[Fact]]:
    if args.months < 48:
        ap.error(f"--months: got {args.months}; allowed: at least 48 (the displaced and training panels follow workers for 36 months)")
    n_runs = args.seeds * (len(EXPERIMENTS) + len(STORY_RUNS) + 2)
    print(
        f"laborshift-validate profile=us: {len(EXPERIMENTS)} experiments, {len(STORY_RUNS)} story runs and 2 benefit levels x {args.seeds} seeds "
        f"= {n_runs} runs of {args.workers:,} workers", flush=True
    )
    return write_validation(out, args.workers, args.seeds, args.months, args.master_seed, args.jobs, overrides,
                            log=lambda s: print(s, flush=True))


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of ``laborshift-validate``."""
    ap = parser()
    args = ap.parse_args(argv)
    if args.fitted:
        ap.error(REMOVED_FITTED)
    check_jobs(ap, args.jobs)
    check_writable(ap, "--out", args.out, folder=True)
    profile, overrides = split_profile(ap, args.overrides)
    out = Path(args.out)
    if args.calibration_only and profile == "regions":
        ap.error("--calibration-only: the two-region page has no calibration record")
    if args.calibration_only:
        _refresh_only(ap, out, profile)
        return
    start = time.perf_counter()
    if profile == "regions":
        page, facts = _run_regions(args, out, overrides)
    else:
        page, facts = _run_china(args, out, overrides) if profile == "china" else _run_us(ap, args, out, overrides)
    index = write_index(out)
    print()
    for f in facts:
        print(f"{f.title:45s} {f.verdict:8s} " + "; ".join(f"{a}: {b}" for a, b, _ in f.table[:2]))
    print(f"\nwrote {page} ({len(facts)} facts) and the index {index} ({time.perf_counter() - start:.0f} s)")
