"""The story on one page: one experiment per point of the story laborshift exists to tell.

China's tech sector races to staff AI roles while older platform roles cool; hiring is strategy with a payroll
attached; a national priority keeps AI demand from collapsing when private projects stall; workers retrain into
AI-adjacent work, and a shipped project beats certificates; early and mid-career workers bet differently; domain
knowledge wins; the market splits into two lanes with a salary story. Each point is measured on plain runs of the
shipped scenarios (:data:`STORY_RUNS`: a scenario plus overrides, on every seed), with its numbers (median [min, max]
over seeds), the check it must pass, a verdict and a figure. :func:`story_points` builds them; the validation page
(:mod:`.page`) shows them in its section "The story".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..parallel import run_many
from .facts import Fact
from .stats import median_range

PUSH = ("policy.adoption_subsidy.enabled=true", "policy.public_ai_demand.enabled=true", "policy.public_ai_demand.share=0.3")
# an AI boom that the AI budget pays for (tests/test_story_demand.py): far more wish for AI-core staff than the envelope
# allows, an envelope growing twice as fast and half taken from other roles (the China profile's values), firms training
# their own engineers
AI_BOOM = ("ai.builder_demand_gain=5.0", "firms.ai_budget_share=0.5", "firms.ai_new_money=0.5", "firms.internal_transfer_rate=0.1")
# half the AI budget share of the profile (and of the run's other overrides): resolved by :func:`story_run`
HALF_AI_BUDGET = "firms.ai_budget_share=half"
STORY_RUNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "baseline": ("baseline", ()),
    "no_ai": ("no_ai", ()),
    "half_budget": ("baseline", (HALF_AI_BUDGET,)),
    "rapid": ("rapid_adoption", ()),
    "rapid_half": ("rapid_adoption", (HALF_AI_BUDGET,)),
    "no_envelope_growth": ("baseline", ("firms.ai_budget_share=0",)),
    "boom": ("baseline", AI_BOOM),
    "boom_half": ("baseline", (*AI_BOOM, "firms.ai_budget_share=0.25")),
    "hype": ("hype_cycle", ()),
    "hype_push": ("hype_cycle", PUSH),
    "retraining_push": ("retraining_push", ()),
    "no_domain": ("baseline", ("domain.fit_bonus=0", "domain.pay_premium=0")),
}
LANE_COLORS = {"ai_core": "tab:red", "ai_adjacent": "tab:orange", "traditional": "tab:blue"}
STAGES = ("early", "mid", "late")


def story_run(key: str, seed: int, workers: int, months: int, overrides: Sequence[str] = ()) -> dict:
    """Run one of :data:`STORY_RUNS` on one seed; return its tables (picklable)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from ..runner import compose, run_config

    scenario, extra = STORY_RUNS[key]
    base = [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false", *overrides]
    cfg = compose(scenario, resolve_half_budget(scenario, [*base, *extra]))
    res = run_config(cfg, progress=False)
    return {"key": key, "seed": int(seed), "ts": res.timeseries, "bo": res.by_occupation, "bs": res.by_stage, "bsec": res.by_sector}


def resolve_half_budget(scenario: str, overrides: Sequence[str]) -> list[str]:
    """``overrides`` with :data:`HALF_AI_BUDGET` replaced by half the AI budget share the rest of them compose to."""
    from ..composition import compose

    if HALF_AI_BUDGET not in overrides:
        return list(overrides)
    rest = [o for o in overrides if o != HALF_AI_BUDGET]
    return [*rest, f"firms.ai_budget_share={float(compose(scenario, rest).firms.ai_budget_share) / 2}"]


def run_story(workers: int, seeds: Sequence[int], months: int, jobs: int = 0, overrides: Sequence[str] = (),
              log: Callable[[str], None] = print) -> dict[str, list[dict]]:
    """Every story run on every seed, in ``jobs`` processes; the runs of each key in the order of the seeds."""
    tasks = [(k, s, workers, months, tuple(overrides)) for k in STORY_RUNS for s in seeds]
    start, done = time.perf_counter(), 0

    def progress(_i: int, r: dict) -> None:
        nonlocal done
        done += 1
        log(f"  [story {done}/{len(tasks)}] {r['key']} seed {r['seed']} ({time.perf_counter() - start:.0f} s)")

    out: dict[str, list[dict]] = {k: [] for k in STORY_RUNS}
    for r in run_many(story_run, tasks, jobs, on_done=progress):  # in the order of the tasks
        out[r["key"]].append(r)
    return out


# --------------------------------------------------------------------------- measures of one run
def mid_month(r: dict) -> int:
    """Month 60, where the issue's checks read the mid-run state (the last month of a shorter run)."""
    return min(60, int(r["ts"].month.max()))


def lanes(r: dict, column: str):
    """Monthly totals of a by-occupation column per lane (month x lane)."""
    return r["bo"].groupby(["month", "lane"])[column].sum().unstack("lane")


def tightness_by_year(r: dict):
    """Vacancies per unemployed searcher by year (1, 2, ...) and lane."""
    bo = r["bo"].query("month >= 1")
    year = (bo.month - 1) // 12 + 1
    per = bo.groupby([year, "lane"])[["vacancies", "unemployed"]].sum()
    return (per.vacancies / per.unemployed.clip(lower=1)).unstack("lane")


def lane_wage_index(r: dict, lane: str, month: int) -> float:
    """Employment-weighted wage index of a lane's occupations in ``month``."""
    e = r["bo"].query("month == @month and lane == @lane")
    return float((e.wage_index * e.employed).sum() / max(e.employed.sum(), 1))


def lane_wage_series(r: dict, lane: str):
    """Employment-weighted wage index of a lane's occupations, month by month."""
    bo = r["bo"][r["bo"].lane == lane]
    weighted = (bo.wage_index * bo.employed).groupby(bo.month).sum()
    return weighted / bo.groupby("month").employed.sum().clip(lower=1)


def ai_core_fall(r: dict) -> float:
    """Largest relative fall of AI-core demand from its running peak (peak to trough)."""
    d = lanes(r, "demand")["ai_core"]
    return float((1.0 - d / d.cummax()).max())


def completions_by_target_lane(r: dict):
    """Retraining completions (months 1 onwards) by the lane retrained into."""
    return r["bo"].query("month >= 1").groupby("lane").retraining_completed.sum()


def per_1000_years(r: dict, column: str) -> np.ndarray:
    """A by-stage flow per 1,000 worker-years of the stage's labour force (months 1 onwards), early, mid, late."""
    bs = r["bs"].query("month >= 1").groupby("stage")
    flow, force = bs[column].sum(), (bs.employed.sum() + bs.unemployed.sum() + bs.retraining.sum()) / 12.0
    return np.array([1000.0 * flow[s] / max(force[s], 1) for s in STAGES])


def route_reemployment(r: dict) -> tuple[float, float]:
    """12-month re-employment of project and certificate completers in the same target occupations.

    The certificate rates are weighted by the project completers' occupations.
    """
    cols = ["completed_12m_ago_certificate", "found_job_12m_certificate", "completed_12m_ago_project", "found_job_12m_project"]
    by = r["bo"].query("month >= 1").groupby("occupation")[cols].sum()
    both = by[(by.completed_12m_ago_certificate > 0) & (by.completed_12m_ago_project > 0)]
    weight = both.completed_12m_ago_project
    if weight.sum() == 0:
        return float("nan"), float("nan")
    project = both.found_job_12m_project.sum() / weight.sum()
    certificate = (weight * both.found_job_12m_certificate / both.completed_12m_ago_certificate).sum() / weight.sum()
    return float(project), float(certificate)


def route_first_hire_pay(r: dict) -> tuple[float, float, int]:
    """Mean pay factor at the first hire after completing, project and certificate completers, in the same occupations.

    Pay factors are relative to each occupation's own cell wages, so the routes are compared within the occupations both
    routes' completers were hired into: the project completers' mean, and the certificate completers' mean per occupation
    weighted by the project completers' first hires there. Returns both and the number of project first hires compared.
    """
    cols = [f"retrained_first_{kind}_{route}" for kind in ("hires", "hire_pay") for route in ("project", "certificate")]
    by = r["bo"].query("month >= 1").groupby("occupation")[cols].sum()
    both = by[(by.retrained_first_hires_project > 0) & (by.retrained_first_hires_certificate > 0)]
    weight = both.retrained_first_hires_project
    if weight.sum() == 0:
        return float("nan"), float("nan"), 0
    project = both.retrained_first_hire_pay_project.sum() / weight.sum()
    certificate = (weight * both.retrained_first_hire_pay_certificate / both.retrained_first_hires_certificate).sum() / weight.sum()
    return float(project), float(certificate), int(weight.sum())


def domain_success(r: dict, lane: str = "ai_adjacent") -> tuple[float, float]:
    """Hires per application to a lane's roles at a sector's firms: applicants whose domain is the sector, and the others."""
    bs = r["bsec"].query("month >= 1")
    app, app_d = bs[f"applications_{lane}"].sum(), bs[f"applications_{lane}_domain"].sum()
    hires, hires_d = bs[f"hires_{lane}"].sum(), bs[f"hires_{lane}_domain"].sum()
    return float(hires_d / max(app_d, 1)), float((hires - hires_d) / max(app - app_d, 1))


# --------------------------------------------------------------------------- helpers for the points
def fmt(values, digits: int = 1, scale: float = 100.0, unit: str = "%") -> str:
    """Median [min, max] over seeds."""
    med, lo, hi = median_range([scale * v for v in values])
    return f"{med:.{digits}f}{unit} [{lo:.{digits}f}, {hi:.{digits}f}]"


def _figure(ncols: int = 2, width: float = 11.0, height: float = 4.0):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols)
    return fig, np.atleast_1d(axes)


def _band(ax, x, rows, color, label, style="-"):
    arr = np.asarray(rows, dtype=float)
    ax.fill_between(x, arr.min(axis=0), arr.max(axis=0), color=color, alpha=0.15, lw=0)
    ax.plot(x, np.median(arr, axis=0), color=color, lw=2, ls=style, label=label)


def _paired_bars(groups: Sequence[str], left, right, labels: tuple[str, str], colors: tuple[str, str], ylabel: str):
    """A figure of two bars per group (``left`` and ``right`` values, in the groups' order)."""
    fig, axes = _figure(1, 6.0)
    xs = np.arange(len(groups))
    axes[0].bar(xs - 0.2, left, 0.4, label=labels[0], color=colors[0])
    axes[0].bar(xs + 0.2, right, 0.4, label=labels[1], color=colors[1])
    axes[0].set_xticks(xs, list(groups))
    axes[0].set(ylabel=ylabel)
    axes[0].legend(fontsize=8)
    return fig


@dataclass(frozen=True)
class Point:
    """The fixed text of one story point."""

    title: str
    claim: str
    method: str
    caption: str


def _fact(key: str, p: Point, table, verdict: str, why: str, numbers: dict) -> Fact:
    return Fact(key, p.title, p.claim, p.method, table, verdict, why, f"story_{key}.png", p.caption, numbers)


def _verdict(ok: Sequence[bool]) -> str:
    return "pass" if all(ok) else "partial" if any(ok) else "miss"


# --------------------------------------------------------------------------- the points
DEMAND = Point(
    "AI-core roles in demand, a second layer growing, traditional roles cooling",
    "Firms race to staff AI-core roles (machine learning, data, AI infrastructure, AI product, applied research); a second "
    "layer (compliance and model safety, enterprise AI sales, localization) grows with them; older internet and platform roles cool.",
    "`baseline` against `no_ai` (AI capability frozen): labour demand by lane at month 120 relative to month 0.",
    "Labour demand by lane relative to month 0: baseline (solid) and no_ai (dashed); median and range over seeds.",
)


def point_demand(runs) -> tuple[Fact, object]:
    """AI-core and AI-adjacent demand grow faster than without AI; traditional demand falls behind."""
    def growth(rs, lane):
        return [lanes(r, "demand")[lane].iloc[-1] / lanes(r, "demand")[lane].iloc[0] - 1 for r in rs]
    base, flat = runs["baseline"], runs["no_ai"]
    rows, ok = [], []
    for lane, label in (("ai_core", "AI-core"), ("ai_adjacent", "AI-adjacent"), ("traditional", "traditional")):
        g, g0 = growth(base, lane), growth(flat, lane)
        rows.append((f"{label} demand, change month 0 to 120 (baseline; no_ai)", f"{fmt(g)}; {fmt(g0)}",
                     "above no_ai" if lane != "traditional" else "below no_ai"))
        ok.append(np.median(g) > np.median(g0) if lane != "traditional" else np.median(g) < np.median(g0))
    fig, axes = _figure(1, 6.5)
    ax = axes[0]
    for lane, color in LANE_COLORS.items():
        x = lanes(base[0], "demand").index.to_numpy()
        _band(ax, x, [lanes(r, "demand")[lane] / lanes(r, "demand")[lane].iloc[0] for r in base], color, lane)
        _band(ax, x, [lanes(r, "demand")[lane] / lanes(r, "demand")[lane].iloc[0] for r in flat], color, f"{lane} (no_ai)", "--")
    ax.set(xlabel="month", ylabel="demand / month 0")
    ax.legend(fontsize=7)
    why = ("AI-core demand grows with adoption and firms' AI projects (`ai.builder_demand_gain`, funded within the AI envelope), "
           "AI-adjacent roles with augmentation, and traditional roles lose to automation")
    return _fact("demand", DEMAND, rows, _verdict(ok), why, {}), fig


LANES_POINT = Point(
    "Two lanes: a tight AI-core lane and a crowded traditional one",
    "AI-core vacancies per unemployed searcher exceed the traditional lane's in every year after the first, and AI-core "
    "wages rise (wage index above 1.05 by month 60). Chinese job platforms: cloud computing 0.27 and search algorithms 0.39 "
    "seekers per opening against 2.06-2.27 across the new economy (Maimai 2024, `china_ai_talent.csv`).",
    "`baseline`: vacancies over unemployed searchers by year and lane (sums over the year's months); the employment-weighted "
    "wage index of AI-core occupations at month 60.",
    "Vacancies per unemployed searcher by year and lane (median and range over seeds); right: wage index by lane.",
)


def point_lanes(runs) -> tuple[Fact, object]:
    """AI-core tighter than traditional in every year after the first; AI-core wages rise."""
    base = runs["baseline"]
    th = [tightness_by_year(r) for r in base]
    tight = [bool((t.ai_core > t.traditional).loc[2:].all()) for t in th]
    wi = [lane_wage_index(r, "ai_core", mid_month(r)) for r in base]
    rows = [
        ("AI-core vacancies per unemployed, year 2; year 10", f"{fmt([t.ai_core.loc[2] for t in th], 2, 1, '')}; "
         f"{fmt([t.ai_core.iloc[-1] for t in th], 2, 1, '')}", "above traditional"),
        ("traditional vacancies per unemployed, year 2; year 10", f"{fmt([t.traditional.loc[2] for t in th], 2, 1, '')}; "
         f"{fmt([t.traditional.iloc[-1] for t in th], 2, 1, '')}", ""),
        ("seeds with AI-core tighter in every year after the first", f"{sum(tight)} of {len(tight)}", "all"),
        ("AI-core wage index at month 60", fmt(wi, 3, 1, ""), "above 1.05"),
    ]
    verdict = _verdict([all(tight), min(wi) > 1.05])
    fig, (ax1, ax2) = _figure()
    years = th[0].index.to_numpy()
    for lane, color in LANE_COLORS.items():
        _band(ax1, years, [t[lane] for t in th], color, lane)
        x = lanes(base[0], "employed").index.to_numpy()
        _band(ax2, x, [lane_wage_series(r, lane) for r in base], color, lane)
    ax1.set(xlabel="year", ylabel="vacancies per unemployed")
    ax2.set(xlabel="month", ylabel="wage index (month 0 = 1)")
    ax1.legend(fontsize=8)
    why = ("AI-core demand outgrows trained supply (training takes time and entry needs AI-core skills, `market.specialisation_gap`), "
           "while generalist traditional roles lose demand to automation; firms that cannot fill AI-core roles raise pay "
           "(`market.recruiting_raise`)")
    return _fact("lanes", LANES_POINT, rows, verdict, why, {"wage_index_60": wi}), fig


BUDGET = Point(
    "Payroll-bound hiring",
    "Hiring is strategy with a payroll attached: in an AI scenario the budget binds in at least 5% of firm-months, and "
    "halving the AI budget share lowers AI-core employment at month 60 by at least 10%.",
    "`rapid_adoption` (the AI scenario the check is judged on) and `baseline`, each with the profile's "
    "`firms.ai_budget_share` and with half of it; `baseline` with the share at 0 (the AI envelope does not grow with "
    "firms' AI returns at all: the most any cut of the share can do); and the first `baseline` pair again in an AI boom "
    "with internal transfers (`" + " ".join(AI_BOOM) + "`: the China profile's AI race, which the US profile does not "
    "set, and firms training their own engineers into AI-core roles the market cannot fill).",
    "AI-core employment in `rapid_adoption` (red) and `baseline` (blue; dotted: no envelope growth; green: the AI boom with internal "
    "transfers), with the full AI budget share (solid) and half of it (dashed).",
)


def point_budget(runs) -> tuple[Fact, object]:
    """The budget binds often; halving the AI budget share lowers AI-core employment (judged in rapid_adoption)."""
    def bound_share(key):
        return [float(r["ts"].query("month >= 1").budget_bound_share.mean()) for r in runs[key]]

    def drop(full, half, column="employed", last=False):
        def at(r):
            return lanes(r, column).loc[int(r["ts"].month.max()) if last else mid_month(r), "ai_core"]
        return [1 - at(h) / at(f) for f, h in zip(full, half, strict=True)]
    bound, bound_rapid = bound_share("baseline"), bound_share("rapid")
    d, d_rapid = drop(runs["baseline"], runs["half_budget"]), drop(runs["rapid"], runs["rapid_half"])
    d_boom = drop(runs["boom"], runs["boom_half"])
    d_demand, d_none = drop(runs["baseline"], runs["half_budget"], "demand"), drop(runs["baseline"], runs["no_envelope_growth"])
    d_last = drop(runs["baseline"], runs["half_budget"], last=True)
    last = int(runs["baseline"][0]["ts"].month.max())
    rows = [
        ("firm-months in which the payroll budget or the AI envelope binds, `rapid_adoption`", fmt(bound_rapid), "at least 5%"),
        ("AI-core employment at month 60, fall when the AI budget share is halved, `rapid_adoption`", fmt(d_rapid), "at least 10%"),
        ("firm-months in which the payroll budget or the AI envelope binds, `baseline`", fmt(bound), ""),
        ("AI-core employment at month 60, fall when the AI budget share is halved, `baseline`", fmt(d), ""),
        ("AI-core demand at month 60, fall when the AI budget share is halved, `baseline`", fmt(d_demand), ""),
        ("AI-core employment at month 60, fall with no envelope growth at all (share 0), `baseline`", fmt(d_none), "the most any cut can do"),
        (f"AI-core employment at month {last}, fall when the AI budget share is halved, `baseline`", fmt(d_last), ""),
        ("AI-core employment at month 60, fall when halved, `baseline` in the AI boom with internal transfers", fmt(d_boom), ""),
    ]
    met = min(bound_rapid) >= 0.05 and np.median(d_rapid) >= 0.10
    verdict = "pass" if met else "partial"
    why = (f"In `rapid_adoption` budgets bind in {100 * np.median(bound_rapid):.0f}% of firm-months and halving the AI budget "
           f"share lowers AI-core employment at month 60 by {100 * np.median(d_rapid):.1f}%"
           + (": firms want more AI-core staff than their AI envelope pays for, so the envelope sets how many they hire. "
              if met else ", short of 10%. ")
           + f"In `baseline` the halving lowers it {100 * np.median(d):.1f}% at month 60, for two reasons. The AI-core lane is "
           f"supply-bound (its positions stay open for want of qualified workers), so less money removes open positions more "
           f"than staff: AI-core demand falls {100 * np.median(d_demand):.1f}%. And by month 60 the envelope has funded "
           f"less of AI-core growth than it does later: with no envelope growth at all AI-core employment at month 60 is "
           f"{'only ' if np.median(d_none) < 0.10 else ''}{100 * np.median(d_none):.1f}% lower"
           + (" (so on this AI-core path no cut of the share reaches 10% at month 60)" if np.median(d_none) < 0.10 else "")
           + f"; by month {last} the halving lowers it {100 * np.median(d_last):.1f}%. "
           f"In the AI boom where firms also train their own engineers into AI-core roles the market cannot fill (internal "
           f"transfers), the halving lowers it {100 * np.median(d_boom):.1f}% in `baseline`; transfers are off by default, because each one "
           "opens a traditional position, and the crowded traditional lane then has more openings per searcher than China's "
           "job-platform data show")
    fig, axes = _figure(1, 6.5)
    ax = axes[0]
    for key, color, style, label in (("rapid", "tab:red", "-", "rapid_adoption"), ("rapid_half", "tab:red", "--", "rapid_adoption, half AI budget"),
                                     ("baseline", "tab:blue", "-", "baseline"), ("half_budget", "tab:blue", "--", "baseline, half AI budget"),
                                     ("no_envelope_growth", "tab:blue", ":", "baseline, no envelope growth"),
                                     ("boom", "tab:green", "-", "baseline, AI boom, transfers"), ("boom_half", "tab:green", "--", "baseline, AI boom, transfers, half AI budget")):
        x = lanes(runs[key][0], "employed").index.to_numpy()
        _band(ax, x, [lanes(r, "employed")["ai_core"] for r in runs[key]], color, label, style)
    ax.set(xlabel="month", ylabel="AI-core employment")
    ax.legend(fontsize=8)
    return _fact("budget", BUDGET, rows, verdict, why, {"drop": d, "drop_rapid": d_rapid, "bound_rapid": bound_rapid, "drop_boom": d_boom,
                                                         "drop_demand": d_demand, "drop_no_envelope_growth": d_none, "drop_last": d_last}), fig


STUBBORN = Point(
    "Stubborn AI demand under a national priority",
    "Under `hype_cycle` with the national push (public AI projects, an adoption subsidy and a backstop of stalled projects), "
    "AI-core demand falls at least a third less, peak to trough, than under `hype_cycle` alone.",
    "`hype_cycle` and `hype_cycle` plus `" + " ".join(PUSH) + "`: the largest fall of AI-core demand from its running peak.",
    "AI-core demand under the hype cycle alone and with the national push (median and range over seeds).",
)


def point_stubborn(runs) -> tuple[Fact, object]:
    """The push makes the hype bust in AI-core demand shallower."""
    alone, pushed = [ai_core_fall(r) for r in runs["hype"]], [ai_core_fall(r) for r in runs["hype_push"]]
    rows = [("AI-core demand, largest fall from its peak: hype_cycle", fmt(alone), ""),
            ("the same with the national push", fmt(pushed), "at most two thirds of hype_cycle's")]
    verdict = _verdict([np.median(pushed) <= np.median(alone) * 2 / 3, max(pushed) <= min(alone)])
    why = ("public projects take over half of any fall of a firm's private AI-core demand below its peak "
           "(`policy.public_ai_demand.backstop`), outside firms' budgets")
    fig, axes = _figure(1, 6.5)
    for key, color, label in (("hype", "tab:purple", "hype_cycle"), ("hype_push", "tab:green", "hype_cycle + national push")):
        x = lanes(runs[key][0], "demand").index.to_numpy()
        _band(axes[0], x, [lanes(r, "demand")["ai_core"] for r in runs[key]], color, label)
    axes[0].set(xlabel="month", ylabel="AI-core demand (positions)")
    axes[0].legend(fontsize=8)
    return _fact("stubborn", STUBBORN, rows, verdict, why, {"alone": alone, "pushed": pushed}), fig


HYPE = Point(
    "Over-hiring, then stalls",
    "In a hype, firms over-estimate the return on AI, adopt fast and hire for AI ahead of the returns; after a year or two of "
    "disappointment they stall their projects and AI hiring stops growing or falls.",
    "`hype_cycle` against `baseline`: AI-core demand, its excess over baseline, and the firms that have stalled.",
    "Left: AI-core demand, hype_cycle and baseline. Right: hype_cycle's AI-core demand over baseline's, and the share of firms "
    "that have stalled their AI projects.",
)


def point_hype(runs) -> tuple[Fact, object]:
    """Hype's AI-core demand runs ahead of baseline's, then the excess shrinks as firms stall."""
    excess = [lanes(h, "demand")["ai_core"] / lanes(b, "demand")["ai_core"] - 1 for h, b in zip(runs["hype"], runs["baseline"], strict=True)]
    peak = [float(e.max()) for e in excess]
    end = [float(e.iloc[-1]) for e in excess]
    stalled = [float(r["ts"].firms_stalled_cumulative.iloc[-1] / max(r["bsec"].query("month == 0").firms.sum(), 1)) for r in runs["hype"]]
    rows = [("hype_cycle's AI-core demand over baseline's, at its peak", fmt(peak), "positive"),
            ("the same at month 120", fmt(end), "below the peak"),
            ("firms that stalled their AI projects by month 120", fmt(stalled), ""),
            ("AI-core demand, largest fall from its peak (hype_cycle)", fmt([ai_core_fall(r) for r in runs["hype"]]), "a bust")]
    verdict = _verdict([min(peak) > 0, all(e < p for e, p in zip(end, peak, strict=True))])
    why = ("optimistic firms adopt and fund AI projects on an inflated expected return; after `ai.hype_patience` months of "
           "disappointment they stall, and their expectation undershoots the realised return (`ai.hype_disillusion`). Capability "
           "keeps rising, so the bust is shallow and AI demand resumes its growth")
    fig, (ax1, ax2) = _figure()
    for key, color in (("hype", "tab:purple"), ("baseline", "tab:blue")):
        x = lanes(runs[key][0], "demand").index.to_numpy()
        _band(ax1, x, [lanes(r, "demand")["ai_core"] for r in runs[key]], color, key)
    x = excess[0].index.to_numpy()
    _band(ax2, x, [100 * e for e in excess], "tab:purple", "AI-core demand over baseline, %")
    _band(ax2, x, [100 * r["ts"].firms_stalled_cumulative / max(r["bsec"].query("month == 0").firms.sum(), 1) for r in runs["hype"]],
          "black", "firms stalled, %", "--")
    ax1.set(xlabel="month", ylabel="AI-core demand")
    ax2.set(xlabel="month", ylabel="%")
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    return _fact("hype", HYPE, rows, verdict, why, {}), fig


RETRAIN = Point(
    "Retraining maps skills to AI-adjacent work",
    "Workers choose retraining targets on expected returns (the pay they would earn there, skill distance, the lanes' "
    "prospects), so at least half of retraining completions land in AI-core or AI-adjacent roles in `baseline`.",
    "`baseline`: retraining completions by the lane retrained into (months 1-120), and the origin x target flow matrix "
    "(`by_occupation` columns `retraining_completed_from_<origin>`).",
    "Retraining completions by target lane (median over seeds).",
)


def point_retraining(runs) -> tuple[Fact, object]:
    """Most completions land in AI lanes; the largest flows."""
    shares = [1 - completions_by_target_lane(r).get("traditional", 0) / max(completions_by_target_lane(r).sum(), 1) for r in runs["baseline"]]
    rows = [("retraining completions into AI-core or AI-adjacent roles", fmt(shares), "at least 50%")]
    origin_cols = [c for c in runs["baseline"][0]["bo"].columns if c.startswith("retraining_completed_from_")]
    if origin_cols:
        bo = runs["baseline"][0]["bo"].query("month >= 1")
        mat = bo.groupby("occupation")[origin_cols].sum().T.stack()
        top = mat.sort_values(ascending=False).head(4)
        flows = "; ".join(f"{o.removeprefix('retraining_completed_from_')} to {t} {int(n)}" for (o, t), n in top.items())
        rows.append(("largest flows (first seed, origin to target, completions)", flows, ""))
    fig, axes = _figure(1, 6.0)
    by = np.array([[completions_by_target_lane(r).get(lane, 0) for lane in LANE_COLORS] for r in runs["baseline"]])
    axes[0].bar(list(LANE_COLORS), np.median(by, axis=0), color=list(LANE_COLORS.values()))
    axes[0].set(ylabel="completions, months 1-120")
    why = ("the decision values each target at the worker's own expected pay there (fit after the course, experience carried "
           "over, AI skills) and the target's job finding; AI-adjacent roles are near in skills and pay well")
    return _fact("retraining", RETRAIN, rows, _verdict([min(shares) >= 0.5]), why, {"shares": shares}), fig


PROJECT = Point(
    "A shipped project beats certificates",
    "A certificate is a cheap, weak signal; a shipped project costs more effort and shows employers the worker's ability "
    "(employer learning: Altonji and Pierret 2001, QJE 116). Both routes are chosen (the project 20-70% of enrolments in "
    "`baseline` and `retraining_push`), and project completers are re-employed within 12 months more often, and paid more "
    "at their first hire, than certificate completers of the same occupations.",
    "`baseline` and `retraining_push`: enrolments by route; re-employment within 12 months of completing, certificate rates "
    "weighted by the project completers' target occupations; the pay factor (pay relative to the cell's wage) at the first "
    "hire after completing, certificate means weighted by the occupations project completers were hired into.",
    "Re-employment within 12 months of completing, by route (median and range over seeds).",
)


def point_project(runs) -> tuple[Fact, object]:
    """Both routes chosen; project completers hired faster and paid more."""
    rows, ok, bars = [], [], []
    for key in ("baseline", "retraining_push"):
        share = [float(r["ts"].query("month >= 1").retraining_started_project.sum() / max(r["ts"].query("month >= 1").retraining_started.sum(), 1))
                 for r in runs[key]]
        pc = [route_reemployment(r) for r in runs[key]]
        rows.append((f"{key}: project share of enrolments", fmt(share), "20-70%"))
        pay = [route_first_hire_pay(r)[:2] for r in runs[key]]
        rows.append((f"{key}: re-employed within 12 months, project; certificate", f"{fmt([p for p, _ in pc])}; {fmt([c for _, c in pc])}",
                     "project above certificate"))
        rows.append((f"{key}: pay factor at the first hire, project; certificate", f"{fmt([p for p, _ in pay])}; {fmt([c for _, c in pay])}",
                     "project above certificate"))
        ok += [0.2 <= min(share) and max(share) <= 0.7, all(p > c for p, c in pc), all(p > c for p, c in pay)]
        bars.append([np.nanmedian([p for p, _ in pc]), np.nanmedian([c for _, c in pc])])
    bars = 100 * np.array(bars)
    fig = _paired_bars(("baseline", "retraining_push"), bars[:, 0], bars[:, 1], ("project", "certificate"), ("tab:green", "tab:gray"),
                       "re-employed within 12 months, %")
    why = ("workers differ in ability and in the cost of their time; a project reveals most of one's ability to employers "
           "(`retraining.project.reveal`), who rank on what they see (`market.ability_rank_weight`: without it the re-employment "
           "gap all but vanishes, tests/test_story_project.py) and pay for what they see (`market.ability_wage_return`: without it "
           "and the AI-skills premium the pay gap vanishes), so able workers with time to spare build one")
    gaps = {key: [p - c for p, c in (route_first_hire_pay(r)[:2] for r in runs[key])] for key in ("baseline", "retraining_push")}
    narrow = [key for key, g in gaps.items() if not all(x > 0 for x in g)]
    if narrow:
        why += (". The pay gap at the first hire is " + ", ".join(f"{100 * np.nanmedian(gaps[k]):.1f} points in `{k}`" for k in gaps)
                + f" (median), and not above zero in every seed of {', '.join(f'`{k}`' for k in narrow)}. What narrows it is "
                "the within-occupation AI-skill premium (`market.ai_skill_premium`), which certificate completers earn more "
                "often when seats are subsidised: with the premium at 0 the gap is 9-10 points in both scenarios "
                "(tests/test_story_project.py)")
    return _fact("project", PROJECT, rows, _verdict(ok), why, {}), fig


BETS = Point(
    "Early and mid-career workers bet differently",
    "Beside switching occupation, a worker can upskill in place (add one AI-adjacent capability to their role, keeping "
    "it). From the same decision rule, with pay, experience kept and costs that depend on age, mid-career workers upskill in "
    "place more than early-career ones, and early-career workers switch lanes more.",
    "`baseline`, months 1-120: upskilling starts and retraining completions into another lane, per 1,000 worker-years of "
    "the stage's labour force.",
    "Upskilling starts and lane switches per 1,000 worker-years, by career stage (median over seeds).",
)


def point_bets(runs) -> tuple[Fact, object]:
    """Mid-career upskill in place more; early-career switch lanes more."""
    up = np.array([per_1000_years(r, "upskilling_started") for r in runs["baseline"]])
    sw = np.array([per_1000_years(r, "retraining_lane_switches") for r in runs["baseline"]])
    rows = [(f"upskilling starts per 1,000 worker-years: {', '.join(STAGES)}",
             "; ".join(fmt(up[:, i], 1, 1, "") for i in range(3)), "mid above early"),
            (f"lane switches per 1,000 worker-years: {', '.join(STAGES)}",
             "; ".join(fmt(sw[:, i], 1, 1, "") for i in range(3)), "early above mid")]
    ok = [bool((up[:, 1] > up[:, 0]).all()), bool((sw[:, 0] > sw[:, 1]).all())]
    fig = _paired_bars(STAGES, np.median(up, axis=0), np.median(sw, axis=0), ("upskilling in place (starts)", "lane switches (retraining completions)"),
                       ("tab:orange", "tab:red"), "per 1,000 worker-years")
    why = ("a mid-career worker earns more in their occupation and would lose most of that experience's pay in a move "
           "(`market.experience_transfer`), and retraining costs rise with age; upskilling keeps the experience and adds "
           "the AI-skills premium")
    return _fact("bets", BETS, rows, _verdict(ok), why, {}), fig


DOMAIN = Point(
    "Domain knowledge wins",
    "Workers carry experience in a sector (healthcare, finance, logistics, education, manufacturing, internet platforms, "
    "...); in AI-adjacent and AI-core roles at firms of that sector it raises fit and pay, so they are hired there more "
    "often than others.",
    "`baseline`, and `baseline` with `domain.fit_bonus=0 domain.pay_premium=0`: hires per application (that passed firms' "
    "fit threshold) to AI-adjacent and AI-core roles at a sector's firms, applicants whose domain is the sector against "
    "the others (table `by_sector`).",
    "Hires per application to AI-adjacent roles: applicants with the firm's domain and the others, with and without the "
    "domain terms (median over seeds).",
)


def point_domain(runs) -> tuple[Fact, object]:
    """Domain holders win AI-adjacent (and AI-core) roles of their sector more often; not without the domain terms."""
    rows, ok, medians = [], [], {}
    for lane in ("ai_adjacent", "ai_core"):
        with_d = [domain_success(r, lane) for r in runs["baseline"]]
        off = [domain_success(r, lane) for r in runs["no_domain"]]
        medians[lane] = [np.median([a for a, _ in x]) for x in (with_d, off)], [np.median([b for _, b in x]) for x in (with_d, off)]
        rows.append((f"{lane.replace('_', '-')}: hires per application, own domain; others",
                     f"{fmt([a for a, _ in with_d])}; {fmt([b for _, b in with_d])}", "own domain above others"))
        rows.append((f"{lane.replace('_', '-')}: the same without the domain terms",
                     f"{fmt([a for a, _ in off])}; {fmt([b for _, b in off])}", "advantage at most half as large"))
        gain, gain_off = np.median([a - b for a, b in with_d]), np.median([a - b for a, b in off])
        ok += [all(a > b for a, b in with_d), gain_off <= 0.5 * gain]
    own, others = medians["ai_adjacent"]
    fig = _paired_bars(("with domain terms", "without"), 100 * np.array(own), 100 * np.array(others), ("domain of the firm's sector", "others"),
                       ("tab:green", "tab:gray"), "AI-adjacent hires per application, %")
    why = ("domain experience adds to the ranking score (`domain.fit_bonus`) and to the offered pay (`domain.pay_premium`) in "
           "AI roles at firms of the worker's sector; what remains without both terms comes from who holds a domain (experienced "
           "workers, who fit better)")
    return _fact("domain", DOMAIN, rows, _verdict(ok), why, {}), fig


SALARY = Point(
    "The salary story",
    "As the lanes split, AI-core pay pulls away from traditional pay: the AI wage premium widens in `baseline` and not in `no_ai`.",
    "`baseline` and `no_ai`: the AI wage premium (mean AI-core wage over mean traditional wage, minus one) and the wage "
    "index of each lane.",
    "Left: the AI wage premium, baseline and no_ai. Right: wage index by lane in baseline (median and range over seeds).",
)


def point_salary(runs) -> tuple[Fact, object]:
    """The AI premium widens with AI and not without it."""
    def prem(r, m):
        return float(r["ts"].set_index("month").ai_wage_premium[m])
    rows, ok = [], []
    for key in ("baseline", "no_ai"):
        p0, p1 = [prem(r, 0) for r in runs[key]], [prem(r, r["ts"].month.max()) for r in runs[key]]
        rows.append((f"{key}: AI wage premium at month 0; month 120", f"{fmt(p0)}; {fmt(p1)}", "wider" if key == "baseline" else ""))
        if key == "baseline":
            ok.append(np.median(p1) > np.median(p0))
            widen = np.median(p1) - np.median(p0)
        else:
            ok.append(widen > np.median(p1) - np.median(p0))
    for lane in ("ai_core", "traditional"):
        rows.append((f"{lane.replace('_', '-')} wage index at month 120 (baseline)",
                     fmt([lane_wage_index(r, lane, int(r["ts"].month.max())) for r in runs["baseline"]], 3, 1, ""), ""))
    fig, (ax1, ax2) = _figure()
    for key, color in (("baseline", "tab:red"), ("no_ai", "tab:gray")):
        x = runs[key][0]["ts"].month.to_numpy()
        _band(ax1, x, [100 * r["ts"].ai_wage_premium for r in runs[key]], color, key)
    for lane, color in LANE_COLORS.items():
        x = lanes(runs["baseline"][0], "employed").index.to_numpy()
        _band(ax2, x, [lane_wage_series(r, lane) for r in runs["baseline"]], color, lane)
    ax1.set(xlabel="month", ylabel="AI wage premium, %")
    ax2.set(xlabel="month", ylabel="wage index")
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    why = "AI-core pay rises with the lane's tightness (firms that cannot fill positions raise pay), while traditional pay follows a crowded lane"
    return _fact("salary", SALARY, rows, _verdict(ok), why, {}), fig


POINTS = (point_demand, point_lanes, point_budget, point_stubborn, point_hype, point_retraining, point_project, point_bets,
          point_domain, point_salary)


def story_points(runs: dict[str, list[dict]]) -> list[tuple[Fact, object]]:
    """Every point of the story, in order, each with its figure."""
    return [p(runs) for p in POINTS]


def story_section(points: Sequence[Fact], image_dir: str) -> list[str]:
    """The lines of the page's section "The story"."""
    lines = ["## The story", "",
             "laborshift exists to tell one story: China's tech sector racing to staff AI roles while older platform roles cool. "
             "Each point below is an experiment on the shipped scenarios, with the check it must pass and a verdict.", "",
             "| point | verdict |", "|---|---|"]
    lines += [f"| [{f.title}](#{f.title.lower().replace(' ', '-').replace(':', '').replace(',', '')}) | **{f.verdict}** |" for f in points]
    lines.append("")
    for f in points:
        lines += [f"### {f.title}", "", f"**Claim.** {f.target}", "", f"**Experiment.** {f.method}", "",
                  "| measure | model: median [min, max] over seeds | check |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in f.table]
        lines += ["", f"**Verdict: {f.verdict}.** {f.why.rstrip('. ')}.", "", f"![{f.title}]({image_dir}/{f.figure})", "",
                  f"*{f.caption}*", ""]
    return lines
