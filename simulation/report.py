"""Comparison report: figures, tables and a Markdown page from a :class:`~simulation.compare.Comparison`.

:func:`write_report` writes into one directory every table of the comparison (CSV
and Parquet), every figure (PNG) and, last, ``report.md``, a page readable on its
own, with a line of contents under its title: what was run (and what ``no_ai`` displaced
in these runs, and every lever as run), then the results: the decision table (paired
differences against ``baseline`` and ``no_ai`` with their bands, each marked better,
worse or not distinguishable from 0; no ranking), unemployment at the checkpoint
months and its gap to ``no_ai`` with the month the gap stops widening, the policy
evaluation against ``baseline`` (what each policy cost and bought, its lever
decomposition and take-up), "for whom" tables by career stage, age group, lane and
occupation, and every indicator's level; then what the bands include (simulation
noise, and parameter uncertainty when the runs drew their parameters, with the
headline indicators' band widths with and without it), the figures with captions,
the configuration and how to read the page. Every sentence that states a number is generated from the tables
(``tests/test_report_claims.py`` reads each back). Every file is written under a
temporary name and renamed into place, and ``report.md`` comes last: its presence
marks a complete report.

The figure functions take a :class:`~simulation.compare.Comparison` and return a
:class:`matplotlib.figure.Figure` (built without pyplot); each scenario keeps one
colour in every figure (:data:`SCENARIO_COLORS`, other names get colours from
:data:`FALLBACK_COLORS` in the order they come).

Numbers in ``report.md`` come straight from the comparison's tables through
:func:`format_value`, with these rounding rules:

* shares and rates (unemployment rates, share of displaced re-employed within
  12 months, AI wage premium): in %, one decimal (``5.8%``); paired differences
  in percentage points, two decimals, signed (``+0.35 pp``);
* counts (AI-displaced, employed, retraining completions): whole workers, thousands
  separated (``1,234``); differences signed (``+8``);
* months: whole months (``31``); differences signed;
* the wage Gini (an index from 0 to 1): three decimals (``0.122``), differences
  signed (``+0.005``);
* a missing value (an indicator undefined in every run): ``n/a``.

Rounding is Python's string formatting (to nearest, exact ties to even) and a value
that rounds to zero prints without a sign (``0.0%``, ``0.00 pp``, ``0``). A cell of
the tables is ``median [lo, hi]`` (:func:`format_interval`), each part formatted as
above; a paired difference whose band excludes 0 is in bold; `` (k/R runs)`` notes
an indicator defined in only k of the R replications, and a paired difference
defined in fewer than :func:`simulation.compare.min_runs` replications prints as
``n/a (k/R runs)``, with no verdict.

Bands, whiskers and brackets are the ``lo`` and ``hi`` columns of the comparison's
tables: the 90% confidence band of the median (the spread of single runs is in the
``p05`` and ``p95`` columns).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .compare import (
    BETTER,
    GAP_TOLERANCE,
    GAP_WINDOW,
    GROUP_DIMENSIONS,
    INDICATORS,
    MIN_GROUP,
    REFERENCES,
    Comparison,
    checkpoint_months,
    min_runs,
)
from .composition import compose
from .config import LANES, flatten
from .files import atomic_write
from .policy_eval import levers_section, money_currency, policy_sections
from .state import STAGES

SCENARIO_COLORS = {
    "no_ai": "#7f7f7f",
    "baseline": "#000000",
    "rapid_adoption": "#d62728",
    "national_ai_push": "#ff7f0e",
    "retraining_push": "#2ca02c",
    "hype_cycle": "#9467bd",
    "safety_net": "#1f77b4",
}
# colours for scenarios not in SCENARIO_COLORS, in order of appearance (none of them is a fixed colour above)
FALLBACK_COLORS = ("#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79", "#843c39", "#637939", "#7b4173")
# the counterfactual is dashed so that it stays apart from the others in greyscale prints
SCENARIO_LINESTYLES = {"no_ai": "--"}

PERCENT_INDICATORS = frozenset({"unemployment_rate_peak", "unemployment_rate_month_60", "unemployment_rate_final",
                                "jobless_rate_final", "displaced_reemployed_12m_share_final", "ai_wage_premium_final",
                                "unemployment_rate", "jobless_rate", "reemployed_12m_share"})
COUNT_INDICATORS = frozenset({"ai_displaced_by_month_60", "ai_displaced_final", "retraining_completed_total", "employed_final"})
MONTH_INDICATORS = frozenset({"months_to_widest_gap"})
INDEX_INDICATORS = frozenset({"wage_gini_final"})
# how to read the jobless rate beside the unemployment rate (the decision, recovery and "for whom" sections)
JOBLESS_NOTE = ("The jobless rate counts workers in training with the unemployed (over the labour force and those in "
                "training): trainees do not search, so where a scenario lowers the unemployment rate much more than the "
                "jobless rate, the difference is workers moved into training, not into jobs.")
DIMENSION_TITLES = {"stage": "career stage", "age": "age group", "lane": "lane", "occupation": "occupation"}

LANE_TITLES = {"ai_core": "AI-core", "ai_adjacent": "AI-adjacent", "traditional": "traditional"}

BAND_ALPHA = 0.2
LINE_WIDTH = 2.0
LEGEND_SIZE = 10
TICK_SIZE = 10
DPI = 110


# ---------------------------------------------------------------- formatting


def _fixed(x: float, decimals: int, sign: bool = False, thousands: bool = False) -> str:
    """Fixed-point text of ``x``; a value that rounds to zero has no sign (no ``-0.0``)."""
    spec = f"{'+' if sign else ''}{',' if thousands else ''}.{decimals}f"
    text = format(x, spec)
    if float(format(abs(x), f".{decimals}f")) == 0.0:
        text = format(0.0, f"{',' if thousands else ''}.{decimals}f")
    return text


def format_value(indicator: str, value: float | None, difference: bool = False) -> str:
    """Text of one value of a summary indicator, as printed in ``report.md``.

    Args:
        indicator: an indicator name (a key of :data:`simulation.compare.INDICATORS`).
        value: its value in the model's units (shares as fractions, counts, months); None or NaN print as ``n/a``.
        difference: format a paired difference (signed; shares in percentage points) rather than a level.

    Returns:
        The text, following the rounding rules of the module docstring.

    """
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return "n/a"
    v = float(value)
    if indicator in PERCENT_INDICATORS:
        return f"{_fixed(100 * v, 2, sign=True)} pp" if difference else f"{_fixed(100 * v, 1)}%"
    if indicator in COUNT_INDICATORS:
        return _fixed(v, 0, sign=difference, thousands=True)
    if indicator in MONTH_INDICATORS:
        return _fixed(v, 0, sign=difference)
    if indicator in INDEX_INDICATORS:
        return _fixed(v, 3, sign=difference)
    return format(v, "+.4g" if difference else ".4g")


def format_interval(indicator: str, median: float | None, lo: float | None, hi: float | None, difference: bool = False) -> str:
    """Text ``median [lo, hi]`` of one table cell, each part formatted by :func:`format_value`.

    Args:
        indicator: the indicator name.
        median: the median across replications.
        lo: the lower end of the 90% interval.
        hi: the upper end of the 90% interval.
        difference: the values are paired differences.

    Returns:
        The cell text, or ``n/a`` when the median is missing.

    """
    m = format_value(indicator, median, difference)
    if m == "n/a":
        return m
    return f"{m} [{format_value(indicator, lo, difference)}, {format_value(indicator, hi, difference)}]"


def scenario_colors(scenarios: list[str]) -> dict[str, str]:
    """One colour per scenario: the fixed colour of a known scenario, else the next fallback colour.

    Args:
        scenarios: scenario names in the order they are plotted.

    Returns:
        A colour (hex string) by scenario name.

    """
    colors = {}
    k = 0
    for s in scenarios:
        if s in SCENARIO_COLORS:
            colors[s] = SCENARIO_COLORS[s]
        else:
            colors[s] = FALLBACK_COLORS[k % len(FALLBACK_COLORS)]
            k += 1
    return colors


def _style(ax, xlabel: str | None = "month") -> None:
    if xlabel:
        ax.set_xlabel(xlabel)
    if xlabel == "month":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(alpha=0.3)


def _metric(frame: pd.DataFrame, metric: str, **keys) -> pd.DataFrame:
    sel = frame["metric"] == metric
    for k, v in keys.items():
        sel &= frame[k] == v
    return frame.loc[sel].sort_values("month")


def _band_lines(ax, frame: pd.DataFrame, metric: str, scenarios: list[str], colors: dict[str, str], scale: float = 1.0,
                **keys) -> list[tuple]:
    """Median line and translucent 90% band of ``metric`` per scenario; returns legend handles."""
    handles = []
    for s in scenarios:
        d = _metric(frame, metric, scenario=s, **keys)
        if d.empty:
            continue
        c = colors[s]
        ax.fill_between(d["month"], scale * d["lo"], scale * d["hi"], color=c, alpha=BAND_ALPHA, lw=0)
        (line,) = ax.plot(d["month"], scale * d["median"], color=c, lw=LINE_WIDTH, ls=SCENARIO_LINESTYLES.get(s, "-"), label=s)
        handles.append(((Patch(facecolor=c, alpha=BAND_ALPHA), line), s))
    return handles


def _legend(target, handles: list[tuple], **kw) -> None:
    if handles:
        target.legend([h for h, _ in handles], [lab for _, lab in handles], fontsize=LEGEND_SIZE, **kw)


def _band_text(comp: Comparison, median: str = "median") -> str:
    return f"{median} and its 90% confidence band"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _replication_text(comp: Comparison) -> str:
    return f"{_band_text(comp)} over {_plural(comp.replications, 'replication')} of {comp.workers:,} workers"


def _interval_name(comp: Comparison) -> str:
    return "90% confidence band of the median"


def _runs_defined(summary: pd.DataFrame) -> pd.Series | None:
    """Replications where each indicator is defined."""
    return summary["runs"]


# ---------------------------------------------------------------- figures


def trajectory_figure(comp: Comparison) -> Figure:
    """The displacement and retraining trajectory per scenario: AI-displaced, in retraining, displaced re-employed.

    Args:
        comp: the comparison.

    Returns:
        A figure with three panels, month on the x axis, median lines and 90% bands.

    """
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(13, 4.8), layout="constrained")
    axes = fig.subplots(1, 3)
    panels = (("ai_displaced_cumulative", "AI-displaced (cumulative)", "workers displaced by AI since month 0"),
              ("retraining", "In retraining (stock)", "workers in retraining"),
              ("displaced_employed", "AI-displaced now re-employed (stock)", "AI-displaced workers employed"))
    handles = []
    for ax, (metric, title, ylabel) in zip(axes, panels, strict=True):
        handles = _band_lines(ax, comp.bands, metric, comp.scenarios, colors)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_ylim(0, max(ax.get_ylim()[1], 1.0))
        _style(ax)
    _legend(fig, handles, loc="outside lower center", ncols=min(len(handles), 7))
    fig.suptitle(f"Displacement and retraining trajectory by scenario: {_replication_text(comp)}")
    return fig


def unemployment_by_lane_figure(comp: Comparison) -> Figure:
    """Unemployment rate by lane (AI core, AI adjacent, traditional) per scenario, in %.

    Args:
        comp: the comparison.

    Returns:
        A figure with one panel per lane, on one shared y axis (so that the lanes compare), median lines and 90% bands.

    """
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(13, 4.8), layout="constrained")
    axes = fig.subplots(1, len(LANES), sharey=True)
    handles = []
    for ax, lane in zip(axes, LANES, strict=True):
        handles = _band_lines(ax, comp.bands, f"unemployment_rate_{lane}", comp.scenarios, colors, scale=100.0)
        ax.set_title(f"{LANE_TITLES.get(lane, lane.replace('_', ' '))} lane")
        if ax is axes[0]:
            ax.set_ylabel("unemployment rate (%)")
        _style(ax)
    axes[0].set_ylim(bottom=0)  # once all panels are drawn: the shared axis spans every lane
    _legend(fig, handles, loc="outside lower center", ncols=min(len(handles), 7))
    fig.suptitle(f"Unemployment rate by lane: {_replication_text(comp)}")
    return fig


def wage_premium_figure(comp: Comparison) -> Figure:
    """AI wage premium (mean AI-core wage over mean traditional wage, minus 1) per scenario, in %.

    Args:
        comp: the comparison.

    Returns:
        A one-panel figure, median lines and 90% bands.

    """
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(9, 5.2), layout="constrained")
    ax = fig.subplots()
    handles = _band_lines(ax, comp.bands, "ai_wage_premium", comp.scenarios, colors, scale=100.0)
    ax.set_ylabel("AI wage premium (%)")
    _style(ax)
    _legend(ax, handles, loc="best")
    ax.set_title(f"AI wage premium (mean AI-core wage / mean traditional wage - 1) by scenario\n{_replication_text(comp)}")
    return fig


def _beveridge_start(comp: Comparison) -> int:
    """First month of the Beveridge curve: month 1 (month 0 has no vacancies posted yet) unless the run has only month 0."""
    months = comp.bands["month"]
    return 1 if months.max() >= 1 else 0


def _beveridge_panel(ax, comp: Comparison, s: str, color: str, start: int, window: int) -> None:
    """One scenario's Beveridge curve: smoothed medians, circle and square at the ends, yearly crosses of the 90% bands."""
    b = comp.bands
    sub = b[(b["scenario"] == s) & b["metric"].isin(["unemployment_rate", "vacancy_rate"]) & (b["month"] >= start)]
    if sub.empty:
        return
    wide = {c: sub.pivot(index="month", columns="metric", values=c).sort_index().rolling(window, min_periods=1).mean()
            for c in ("median", "lo", "hi")}
    u, v = 100 * wide["median"]["unemployment_rate"], 100 * wide["median"]["vacancy_rate"]
    ax.plot(u, v, color=color, lw=1.8, ls=SCENARIO_LINESTYLES.get(s, "-"))
    ax.plot(u.iloc[[0]], v.iloc[[0]], marker="o", ms=8, color=color, mec="black", mew=0.6, ls="none", zorder=3)
    ax.plot(u.iloc[[-1]], v.iloc[[-1]], marker="s", ms=8, color=color, mec="black", mew=0.6, ls="none", zorder=3)
    yearly = [m for m in u.index if m % 12 == 0]
    if yearly:
        uu, vv = u.loc[yearly], v.loc[yearly]
        xerr = np.vstack([uu - 100 * wide["lo"]["unemployment_rate"].loc[yearly], 100 * wide["hi"]["unemployment_rate"].loc[yearly] - uu])
        yerr = np.vstack([vv - 100 * wide["lo"]["vacancy_rate"].loc[yearly], 100 * wide["hi"]["vacancy_rate"].loc[yearly] - vv])
        ax.errorbar(uu, vv, xerr=np.clip(xerr, 0, None), yerr=np.clip(yerr, 0, None), fmt="none", ecolor=color, elinewidth=1.0,
                    alpha=0.7, capsize=2)


def beveridge_figure(comp: Comparison) -> Figure:
    """Beveridge curve per scenario: vacancy rate against unemployment rate, one panel per scenario.

    Each panel plots the medians over replications, smoothed with a 12-month
    moving average (which removes the yearly wave of graduates), with a circle at
    the first month and a square at the last, and at every 12th month a cross whose
    arms are the (smoothed) 90% bands of the two rates; month 0 is left out (no
    vacancy has been posted before the first month). Panels share their axes, and
    every panel whose slot below is empty keeps its x-axis labels.

    Args:
        comp: the comparison.

    Returns:
        A figure with one panel per scenario.

    """
    colors = scenario_colors(comp.scenarios)
    start = _beveridge_start(comp)
    n = len(comp.scenarios)
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig = Figure(figsize=(3.6 * cols + 0.6, 3.3 * rows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    window = 12 if comp.months >= 24 else 1
    for ax, s in zip(axes, comp.scenarios, strict=False):
        _beveridge_panel(ax, comp, s, colors[s], start, window)
        ax.set_title(s, fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[n:]:
        ax.set_visible(False)
    for k, ax in enumerate(axes[:n]):
        if k + cols >= n:  # the last panel of its column: label its x axis (sharex hides the labels of all but the last row)
            ax.set_xlabel("unemployment rate (%)")
            ax.tick_params(labelbottom=True)
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel("vacancy rate (%)")
    smooth = f"{window}-month moving average of the " if window > 1 else ""
    fig.suptitle(f"Beveridge curve per scenario: {smooth}median over {_plural(comp.replications, 'replication')} per month\n"
                 f"circle: month {start}, square: month {comp.months}; crosses every 12 months: 90% bands of the two rates")
    return fig


def _stage_cohorts(comp: Comparison, month: int) -> pd.DataFrame:
    """Median size of the 12-month displaced cohort by scenario and stage in ``month`` (and the largest over replications)."""
    st = comp.stages[comp.stages["month"] == month]
    g = st.groupby(["scenario", "stage"], sort=False)["displaced_cohort_12m"]
    return pd.concat({"median": g.median(), "max": g.max()}, axis=1)


def _last_month(comp: Comparison) -> int:
    return int(comp.bands["month"].max())


def _no_cohort_scenarios(comp: Comparison) -> list[str]:
    """Scenarios whose 12-month displaced cohort in the last month is below MIN_GROUP workers in every replication."""
    last = comp.runs[comp.runs["month"] == comp.runs["month"].max()]
    most = last.groupby("scenario", sort=False)["displaced_cohort_12m"].max()
    return [s for s in comp.scenarios if s in most.index and most[s] < MIN_GROUP]


def _stage_bars(comp: Comparison, s: str, month: int) -> list[pd.Series | None]:
    """The band row of each stage's 12-month re-employment share for one scenario in ``month`` (None: undefined in every run)."""
    out = []
    for stage in STAGES:
        d = _metric(comp.bands, f"displaced_reemployed_12m_share_{stage}", scenario=s, month=month)
        out.append(d.iloc[0] if len(d) else None)
    return out


def undefined_stage_bars(comp: Comparison) -> list[tuple[str, str]]:
    """(scenario, stage) pairs with no bar in the stage figure: no replication had a cohort of MIN_GROUP workers or more."""
    month = _last_month(comp)
    return [(s, stage) for s in comp.scenarios for stage, row in zip(STAGES, _stage_bars(comp, s, month), strict=True) if row is None]


def reemployment_by_stage_figure(comp: Comparison) -> Figure:
    """Share of the AI-displaced re-employed within 12 months, by career stage at displacement, in the last month.

    Args:
        comp: the comparison.

    Returns:
        Grouped bars (one group per stage, one bar per scenario) of the median with 90% interval error bars,
        each bar labelled with the median cohort size ``n``; a stage whose cohort is below ``MIN_GROUP`` workers in
        every replication has no bar and is labelled ``n/a``.

    """
    colors = scenario_colors(comp.scenarios)
    month = _last_month(comp)
    cohorts = _stage_cohorts(comp, month)
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.subplots()
    n = len(comp.scenarios)
    width = 0.8 / n
    x = np.arange(len(STAGES))
    legend = []
    for k, s in enumerate(comp.scenarios):
        rows = _stage_bars(comp, s, month)
        med = np.array([np.nan if r is None else 100 * r["median"] for r in rows])
        lo = np.array([np.nan if r is None else 100 * r["lo"] for r in rows])
        hi = np.array([np.nan if r is None else 100 * r["hi"] for r in rows])
        pos = x - 0.4 + width * (k + 0.5)
        ok = ~np.isnan(med)
        yerr = np.vstack([np.clip(med - lo, 0, None), np.clip(hi - med, 0, None)])[:, ok]
        legend.append((Patch(facecolor=colors[s], edgecolor=colors[s], alpha=0.85), s if ok.any() else f"{s} (n/a)"))
        ax.bar(pos[ok], med[ok], width=width * 0.92, color=colors[s], alpha=0.85, edgecolor=colors[s], linewidth=1.5,
               yerr=yerr, capsize=4, error_kw={"elinewidth": 1.5, "ecolor": "#333333"})
        for p, stage, top, defined in zip(pos, STAGES, np.fmax(hi, med), ok, strict=True):
            size = cohorts["median"].get((s, stage), 0.0)
            label = f"n={size:,.0f}" if defined else "n/a"
            ax.text(p, (top if defined else 0.0) + 1.5, label, ha="center", va="bottom", fontsize=9, rotation=90 if n > 4 else 0)
    ax.set_xticks(x, [f"{stage} career" for stage in STAGES])
    ax.set_xlabel("career stage at displacement")
    ax.set_ylabel("% of the cohort re-employed within 12 months")
    ax.set_ylim(0, 125 if n > 4 else 112)
    ax.set_yticks(np.arange(0, 101, 20))
    _style(ax, xlabel=None)
    ax.grid(axis="x", visible=False)
    _legend(fig, legend, loc="outside lower center", ncols=min(n, 4))
    ax.set_title(f"Re-employment within 12 months of AI displacement by career stage, month {month}\n"
                 f"bars: median, whiskers: {_interval_name(comp)} over {_plural(comp.replications, 'replication')}\n"
                 f"n: median cohort size; n/a: the cohort has fewer than {MIN_GROUP} workers in every replication")
    return fig


def paired_reference(comp: Comparison, order: tuple[str, ...] = ("no_ai", "baseline")) -> str | None:
    """The first of ``order`` that was run alongside another scenario (the reference of a paired figure), else None.

    Args:
        comp: the comparison.
        order: the references in order of preference.

    Returns:
        The reference scenario, or None when none was run or no other scenario is there to compare.

    """
    for ref in order:
        if ref in comp.scenarios and any(s != ref for s in comp.scenarios):
            return ref
    return None


def unemployment_figure(comp: Comparison) -> Figure:
    """The overall unemployment rate per scenario (left) and its paired gap to ``no_ai`` (right; else to ``baseline``).

    Args:
        comp: the comparison.

    Returns:
        A figure of median lines and 90% bands, in % and percentage points; one panel when there is no reference.

    """
    colors = scenario_colors(comp.scenarios)
    ref = paired_reference(comp)
    fig = Figure(figsize=(13 if ref else 9, 5.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, 2 if ref else 1))
    handles = _band_lines(axes[0], comp.bands, "unemployment_rate", comp.scenarios, colors, scale=100.0)
    axes[0].set_ylabel("unemployment rate (%)")
    axes[0].set_title("Unemployment rate")
    _style(axes[0])
    if ref:
        ax = axes[1]
        others = [s for s in comp.scenarios if s != ref]
        _band_lines(ax, comp.paired, "unemployment_rate", others, colors, scale=100.0, reference=ref)
        ax.axhline(0, color=colors.get(ref, "#7f7f7f"), lw=1.5, ls=SCENARIO_LINESTYLES.get(ref, "-"))
        ax.set_ylabel(f"unemployment rate, scenario - {ref} (percentage points)")
        ax.set_title(f"Gap to {ref} on the same seeds")
        _style(ax)
    for ax in axes:
        for m in checkpoint_months(comp.months):
            ax.axvline(m, color="#999999", lw=0.8, ls=":")
    _legend(fig, handles, loc="outside lower center", ncols=min(len(handles), 7))
    fig.suptitle(f"Unemployment by scenario: {_replication_text(comp)}")
    return fig


PAIRED_PANELS = (("unemployment_rate", 100.0, "unemployment rate (pp)"),
                 ("jobless_rate", 100.0, "jobless rate, unemployed or in training (pp)"),
                 ("displaced_reemployed_12m_share", 100.0, "displaced re-employed within 12 months (pp)"),
                 ("employed", 1.0, "employed (workers)"))


def paired_figure(comp: Comparison) -> Figure | None:
    """Paired differences against ``baseline`` (else ``no_ai``) month by month: unemployment, joblessness, re-employment, employment.

    The panels: unemployment rate, jobless rate (the unemployed and those in training, :func:`simulation.results.jobless_rate`),
    share of the AI-displaced re-employed within 12 months, employed workers.

    Args:
        comp: the comparison.

    Returns:
        A four-panel figure of the median paired difference and its 90% band per scenario, or None when neither
        ``baseline`` nor ``no_ai`` is among the scenarios (or no other scenario is there).

    """
    ref = paired_reference(comp, ("baseline", "no_ai"))
    if ref is None:
        return None
    colors = scenario_colors(comp.scenarios)
    others = [s for s in comp.scenarios if s != ref]
    fig = Figure(figsize=(17, 4.8), layout="constrained")
    axes = fig.subplots(1, len(PAIRED_PANELS), sharex=True)
    handles = []
    for ax, (metric, scale, label) in zip(axes, PAIRED_PANELS, strict=True):
        h = _band_lines(ax, comp.paired, metric, others, colors, scale=scale, reference=ref)
        handles = h if len(h) > len(handles) else handles
        ax.axhline(0, color=colors.get(ref, "#7f7f7f"), lw=1.5, ls=SCENARIO_LINESTYLES.get(ref, "-"))
        ax.set_title(label)
        ax.set_ylabel(f"scenario - {ref}")
        ax.set_xlim(0, comp.months)
        _style(ax)
    handles.append((Line2D([], [], color=colors.get(ref, "#7f7f7f"), lw=1.5, ls=SCENARIO_LINESTYLES.get(ref, "-")), f"{ref} (reference)"))
    _legend(fig, handles, loc="outside lower center", ncols=min(len(handles), 7))
    fig.suptitle(f"Paired differences against {ref} on the same seeds: {_replication_text(comp)}")
    return fig


# ---------------------------------------------------------------- captions


def _caption_trajectory(comp: Comparison) -> str:
    return (f"Cumulative AI-displaced workers (left), workers in retraining (middle) and AI-displaced workers now "
            f"re-employed (right) by month, per scenario: {_replication_text(comp)}.")


def _caption_unemployment(comp: Comparison) -> str:
    ref = paired_reference(comp)
    gap = (f" Right: each scenario's unemployment rate minus {ref}'s in the same replication (same seed), in percentage points."
           if ref else "")
    marks = " and ".join(str(m) for m in checkpoint_months(comp.months))
    return (f"Left: unemployment rate (%) by month, per scenario: {_replication_text(comp)}.{gap} Dotted lines: month{'s' if ' and ' in marks else ''} "
            f"{marks}, where the tables below take their values.")


def _caption_lanes(comp: Comparison) -> str:
    return (f"Unemployment rate (%) of the AI-core, AI-adjacent and traditional lanes by month, per scenario, on one y axis: "
            f"{_replication_text(comp)}.")


def _caption_premium(comp: Comparison) -> str:
    return (f"AI wage premium (mean AI-core wage / mean traditional wage - 1, in %) by month, per scenario: "
            f"{_replication_text(comp)}.")


def _caption_beveridge(comp: Comparison) -> str:
    start = _beveridge_start(comp)
    skip = "; month 0 is left out, as no vacancy is posted before the first month" if start == 1 else ""
    smooth = "12-month moving average of the " if comp.months >= 24 else ""
    return (f"Beveridge curve, one panel per scenario: {smooth}median vacancy rate against median unemployment rate (%), "
            f"from month {start} (circle) to month {_last_month(comp)} (square){skip}; crosses at every 12th month span the "
            f"{_interval_name(comp)} of the two rates over {_plural(comp.replications, 'replication')}"
            + ("; the moving average removes the yearly wave of graduates." if smooth else "."))


def _caption_stage(comp: Comparison) -> str:
    missing = undefined_stage_bars(comp)
    note = ""
    if missing:
        note = " No bar (n/a): " + ", ".join(f"{s} {stage} career" for s, stage in missing) + "."
    return (f"Share (%) of AI-displaced workers re-employed within 12 months, by career stage at displacement, in month "
            f"{_last_month(comp)}: median bars, whiskers the {_interval_name(comp)}, median cohort size n. A replication "
            f"whose cohort in a stage has fewer than {MIN_GROUP} workers is left out of that stage's median and band "
            f"(the share is undefined there, not 0).{note}")


def _caption_paired(comp: Comparison) -> str:
    ref = paired_reference(comp, ("baseline", "no_ai"))
    return (f"Each scenario minus {ref} in the same replication (same seed), by month: unemployment rate, jobless rate "
            f"(the unemployed and those in training) and share of the AI-displaced re-employed within 12 months (percentage points; a replication whose cohort has fewer than "
            f"{MIN_GROUP} workers is left out), and employed workers: {_band_text(comp, 'median paired difference')} over "
            f"{_plural(comp.replications, 'replication')}.")


# file stem -> (figure function, caption function, short title)
FIGURES: dict[str, tuple[Callable[[Comparison], Figure | None], Callable[[Comparison], str], str]] = {
    "unemployment": (unemployment_figure, _caption_unemployment, "Unemployment rate and its gap to the counterfactual"),
    "paired_differences": (paired_figure, _caption_paired, "Paired differences against the reference"),
    "trajectory": (trajectory_figure, _caption_trajectory, "Displacement and retraining trajectory"),
    "unemployment_by_lane": (unemployment_by_lane_figure, _caption_lanes, "Unemployment rate by lane"),
    "reemployment_by_stage": (reemployment_by_stage_figure, _caption_stage, "Re-employment within 12 months by career stage"),
    "wage_premium": (wage_premium_figure, _caption_premium, "AI wage premium"),
    "beveridge": (beveridge_figure, _caption_beveridge, "Beveridge curve"),
}


# ---------------------------------------------------------------- tables


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _runs_note(defined: int, total: int) -> str:
    return f" ({defined}/{total} runs)" if defined < total else ""


# how a verdict of the decision table reads in a cell; a difference whose band excludes 0 is also in bold
VERDICT_TEXT = {"better": "better", "worse": "worse", "higher": "higher", "lower": "lower", "not distinguishable": "not distinguishable"}


def paired_cell(indicator: str, median, lo, hi, runs: int, replications: int) -> str:
    """A paired-difference cell: ``median [lo, hi]``, in bold when the band excludes 0.

    ``n/a (k/R runs)`` when it is defined in fewer than :func:`simulation.compare.min_runs` replications.
    """
    if runs < min_runs(replications) or pd.isna(median):
        return f"n/a ({runs}/{replications} runs)"
    text = format_interval(indicator, median, lo, hi, difference=True)
    return f"**{text}**" if (lo > 0 or hi < 0) else text


def decision_cell(row: Mapping, replications: int) -> str:
    """One cell of the decision table: the paired difference (:func:`paired_cell`) and its verdict."""
    cell = paired_cell(row["indicator"], row["median"], row["lo"], row["hi"], int(row["runs"]), replications)
    return cell if row["verdict"] == "undefined" else f"{cell} {VERDICT_TEXT[row['verdict']]}"




def decision_markdown(comp: Comparison, ref: str) -> tuple[str, list[str]] | None:
    """The decision table against ``ref``: one row per indicator, one column per other scenario.

    Args:
        comp: the comparison.
        ref: the reference scenario (``baseline`` or ``no_ai``).

    Returns:
        The Markdown table and the indicators left out (undefined for every scenario), or None when ``ref`` was not run
        or no other scenario is there.

    """
    d = comp.decisions
    if d.empty or ref not in comp.scenarios:
        return None
    d = d[d["reference"] == ref]
    others = [s for s in comp.scenarios if s != ref]
    if d.empty or not others:
        return None
    cells = d.set_index(["indicator", "scenario"])
    rows, left_out = [], []
    for k in INDICATORS:
        sub = d[d["indicator"] == k]
        if (sub["verdict"] == "undefined").all():
            left_out.append(k)
            continue
        rows.append([INDICATORS[k], BETTER.get(k, "none")] + [decision_cell({**cells.loc[(k, s)], "indicator": k}, comp.replications) for s in others])
    header = ["indicator", "better", *[f"`{s}` - `{ref}`" for s in others]]
    return _markdown_table(header, rows), left_out


def decision_sentences(comp: Comparison, ref: str) -> list[str]:
    """One generated sentence per scenario: the indicators on which it is better, worse, higher or lower than ``ref``."""
    d = comp.decisions
    d = d[d["reference"] == ref] if not d.empty else d
    out = []
    for s in [x for x in comp.scenarios if x != ref]:
        sub = d[d["scenario"] == s]
        if sub.empty:
            continue
        parts = []
        for v in ("better", "worse", "higher", "lower"):
            rows = sub[sub["verdict"] == v]
            if len(rows):
                items = ", ".join(f"{INDICATORS[r['indicator']]} ({format_value(r['indicator'], r['median'], difference=True)})"
                                  for _, r in rows.iterrows())
                parts.append(f"{v} on {items}")
        same = int((sub["verdict"] == "not distinguishable").sum())
        undefined = int((sub["verdict"] == "undefined").sum())
        tail = [f"not distinguishable from `{ref}` on {_plural(same, 'indicator')}"] if same else []
        tail += [f"n/a on {_plural(undefined, 'indicator')}"] if undefined else []
        body = "; ".join(parts + tail) if parts or tail else "nothing to compare"
        out.append(f"`{s}` against `{ref}`: {body}.")
    return out


def levels_markdown(comp: Comparison) -> str:
    """The levels table of ``report.md``: one row per scenario, the median [90% band] of every indicator.

    Args:
        comp: the comparison.

    Returns:
        A Markdown table, scenarios in the order they were given (no ranking: see the decision table).

    """
    summ = comp.summary.set_index(["scenario", "indicator"])
    rows = []
    for s in comp.scenarios:
        row = [f"`{s}`"]
        for k in INDICATORS:
            r = summ.loc[(s, k)]
            cell = format_interval(k, r["median"], r["lo"], r["hi"])
            row.append(cell + (_runs_note(int(r["runs"]), comp.replications) if cell != "n/a" else f" ({int(r['runs'])}/{comp.replications} runs)"))
        rows.append(row)
    return _markdown_table(["scenario", *INDICATORS.values()], rows)


def _group_level_cell(comp: Comparison, row: pd.Series | None, metric: str) -> str:
    if row is None or row["runs"] < min_runs(comp.replications):
        return f"n/a ({0 if row is None else int(row['runs'])}/{comp.replications} runs)"
    return format_interval(metric, row["median"], row["lo"], row["hi"])


def group_markdown(comp: Comparison, dimension: str, metric: str, months: Sequence[int]) -> str | None:
    """A "for whom" table: one row per group (and month), the reference's level, then every other scenario's paired difference.

    The reference is ``baseline`` if it was run, else ``no_ai``; without either, every scenario's level.

    Args:
        comp: the comparison.
        dimension: ``stage``, ``age``, ``lane`` or ``occupation``.
        metric: ``unemployment_rate``, ``jobless_rate`` or ``reemployed_12m_share``.
        months: the checkpoint months to show.

    Returns:
        A Markdown table, or None when the comparison has no group table.

    """
    gb, gp = comp.group_bands, comp.group_paired
    if gb.empty:
        return None
    ref = paired_reference(comp, ("baseline", "no_ai"))
    level_cols = [ref] if ref else list(comp.scenarios)
    others = [s for s in comp.scenarios if s != ref] if ref else []
    lv = gb[(gb["dimension"] == dimension) & (gb["metric"] == metric)].set_index(["scenario", "month", "group"])
    pp = gp[(gp["dimension"] == dimension) & (gp["metric"] == metric) & (gp["reference"] == ref)].set_index(["scenario", "month", "group"])
    groups = list(dict.fromkeys(comp.groups.loc[comp.groups["dimension"] == dimension, "group"]))
    rows = []
    for g in groups:
        for m in months:
            row = [LANE_TITLES.get(g, g) if dimension == "lane" else g, str(m)]
            row += [_group_level_cell(comp, lv.loc[(s, m, g)] if (s, m, g) in lv.index else None, metric) for s in level_cols]
            for s in others:
                r = pp.loc[(s, m, g)] if (s, m, g) in pp.index else None
                row.append(f"n/a (0/{comp.replications} runs)" if r is None else
                           paired_cell(metric, r["median"], r["lo"], r["hi"], int(r["runs"]), comp.replications))
            rows.append(row)
    rows = [r for r in rows if not all(c.startswith("n/a") for c in r[2:])]  # a group too small in every scenario and run
    if not rows:
        return None
    header = [DIMENSION_TITLES[dimension], "month", *[f"`{s}`" for s in level_cols], *[f"`{s}` - `{ref}`" for s in others]]
    return _markdown_table(header, rows)


# ---------------------------------------------------------------- configuration


def _compose_plain(comp: Comparison, scenario: str) -> dict:
    from omegaconf import OmegaConf

    seed = comp.seeds[0] if comp.seeds else comp.master_seed
    variant = comp.variants.get(scenario)  # a variant: its scenario, the comparison's overrides, then its own
    scenario, own = (variant["scenario"], list(variant["overrides"])) if variant else (scenario, [])
    cfg = compose(scenario, [f"workers={comp.workers}", f"months={comp.months}", f"seed={seed}", "progress=false", *comp.overrides, *own])
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def profile_of(configs: dict[str, dict]) -> tuple[str, str, str]:
    """``(name, currency, start)`` of the profile the comparison ran (every scenario runs the same one)."""
    prof = next(iter(configs.values()), {}).get("profile", {}) if configs else {}
    return str(prof.get("name", "us")), str(prof.get("currency", "USD")), str(prof.get("start", ""))


def profile_sentence(configs: dict[str, dict]) -> str:
    """The sentence that says which market the comparison represents and the currency of its money figures."""
    name, currency, start = profile_of(configs)
    names = {p: sorted({str(c.get("profile", {}).get("name")) for c in configs.values()}) for p in ("x",)}["x"]
    mixed = f" (the scenarios ran profiles {', '.join(names)})" if len(names) > 1 else ""
    return (f"**Profile: `{name}`**{mixed}: wages, benefits and fiscal figures are in **{currency}** a month (totals in "
            f"{currency}); month 1 is {start or 'the first month'} (`profile={name}`; configs/profile/{name}.yaml).")


def scenario_configs(comp: Comparison) -> dict[str, dict]:
    """The resolved configuration of every scenario: the comparison's workers, months and overrides, replication 0's seed.

    Args:
        comp: the comparison.

    Returns:
        A plain dict of the configuration by scenario name.

    """
    return {s: _compose_plain(comp, s) for s in comp.scenarios}


def _config_differences(configs: dict[str, dict], first: str) -> dict[str, list[str]]:
    """Keys where each other scenario's configuration differs from the first one's (scenario name and description aside)."""
    if first not in configs:
        return {}
    base = flatten(configs[first])
    out = {}
    for s, cfg in configs.items():
        if s == first:
            continue
        flat = flatten(cfg)
        keys = sorted(k for k in set(base) | set(flat) if k not in ("scenario", "description") and base.get(k) != flat.get(k))
        out[s] = [f"`{k}={flat.get(k)!r}`" if not isinstance(flat.get(k), str) else f"`{k}={flat.get(k)}`" for k in keys]
    return out


# ---------------------------------------------------------------- the page


def _how_to_read(comp: Comparison) -> str:
    """The "How to read this" paragraph."""
    r = comp.replications
    text = f"Each scenario ran {r} time{'s' if r != 1 else ''} with different seeds. Lines, bars and table cells give the median across those replications. "
    if (comp.uncertainty or {}).get("on"):
        text += ("Each replication also drew the calibrated parameters from their uncertainty, the same draw in every scenario "
                 "(\"What the bands include\"), so the page's bands include parameter uncertainty. ")
    text += ("Shaded bands, whiskers and brackets give the 90% confidence band of that median: median -/+ 1.645 x 1.2533 x s / sqrt(R), "
             "s the standard deviation across the R replications (the normal approximation of the standard error of a median; "
             "kept within the range the runs took). It says how precisely the replications pin down the median, narrows as R "
             "grows and is only a rough guide with a handful of replications; it collapses onto the median with one replication "
             "or when the runs agree. How far single runs spread is in the p05 and p95 columns (5th and 95th percentiles of the "
             "runs) of the bands, paired and summary tables. ")
    zero = "an interval of paired differences that excludes 0 marks a difference distinguishable from 0 at about the 90% level"
    text += ("Replication i of every scenario uses the same seed (common random numbers), so the scenarios share their random "
             "draws until their policies make them diverge. A paired difference is computed replication by replication (scenario "
             "minus reference on the same seed) before taking the median and band: it removes most of the run-to-run noise, so "
             f"it is tighter than the gap between two medians; {zero}. Displacement \"attributable to AI\" is the paired "
             "difference against `no_ai`, where AI capability stays at its month-0 level. Every metric is defined in "
             "docs/OUTPUTS.md; the tables behind this page are in the CSV and Parquet files next to it.")
    return text


def _what_was_run(comp: Comparison, configs: dict[str, dict]) -> list[str]:
    """The "What was run" section: each scenario's description and the settings of the comparison."""
    lines = ["## What was run", ""]
    for s in comp.scenarios:
        desc = " ".join(str(configs.get(s, {}).get("description", "")).split()) or "(no description)"
        if s in comp.variants:  # a variant: its scenario and overrides, not the scenario's story with other lever values
            v = comp.variants[s]
            desc = f"variant of `{v['scenario']}` with {', '.join(f'`{o}`' for o in v['overrides']) or 'no overrides'}"
        lines.append(f"- **`{s}`**: {desc}")
    sentence = no_ai_sentence(comp)
    if sentence:
        lines += ["", sentence]
    lines.append("")
    seeds = ", ".join(str(x) for x in comp.seeds)
    overrides = ", ".join(f"`{o}`" for o in comp.overrides) if comp.overrides else "none"
    lines += _markdown_table(["setting", "value"], [
        ["profile (the market represented)", f"`{profile_of(configs)[0]}`"],
        ["currency of wages and money figures", profile_of(configs)[1]],
        ["scenarios", ", ".join(f"`{s}`" for s in comp.scenarios)],
        ["replications per scenario", str(comp.replications)],
        ["workers", f"{comp.workers:,}"],
        ["months", str(comp.months)],
        ["master seed", str(comp.master_seed)],
        ["replication seeds (spawned from the master seed, the same for every scenario)", seeds],
        ["overrides (applied to every run)", overrides],
    ]).splitlines()
    lines.append("")
    return lines


# the headline indicators of the band-width table: their levels, and the gap to the reference in the last month
HEADLINE_INDICATORS = ("unemployment_rate_peak", "unemployment_rate_final", "displaced_reemployed_12m_share_final")
NOT_INCLUDED = ("model (structural) uncertainty: which mechanisms the model has and their functional forms",
                "revisions of the data the targets and inputs come from",
                "the scenario's own assumptions (the AI path, the policy settings), which are its premises, not estimates",
                "the uncertainty of the parameters that were not calibrated (set from a source or by assumption): they are held at "
                "their values")


def _width(indicator: str, value: float) -> str:
    """Text of a band's width: a difference's format without its sign (pp for shares)."""
    return format_value(indicator, value, difference=True).lstrip("+")


def band_width_rows(comp: Comparison) -> list[list[str]]:
    """Rows of the band-width table: each scenario's headline indicators (and the gap to the reference), both widths."""
    bw = comp.band_widths
    ref = paired_reference(comp)
    wide = bw.pivot_table(index=["reference", "scenario", "indicator"], columns="uncertainty", values="width", aggfunc="first")
    items = [("", k, INDICATORS[k]) for k in HEADLINE_INDICATORS]
    if ref:
        items.append((ref, "unemployment_rate_final", f"gap to `{ref}` in the last month"))
    rows = []
    for s in comp.scenarios:
        for r, k, label in items:
            if (r, s, k) not in wide.index or s == r:
                continue
            w = wide.loc[(r, s, k)]
            both, sim = float(w.get("simulation+parameters", np.nan)), float(w.get("simulation", np.nan))
            ratio = f"{both / sim:.2f}" if sim > 0 and not np.isnan(both) else "n/a"
            rows.append([f"`{s}`", label, _width(k, both), _width(k, sim), ratio])
    return rows


NOT_IDENTIFIED_RATIO = 3.0  # a parameter whose se counting the Jacobian's noise is this many times the record's is flagged


def calibrated_parameters_table(params: list[dict]) -> list[str]:
    """The calibrated parameters drawn from, with the record's check of its standard errors where it has one."""
    checked = [p for p in params if p.get("se_with_jacobian_noise") is not None]
    if not checked:
        return [_markdown_table(["calibrated parameter", "estimate", "standard error"],
                                [[f"`{p['name']}`", f"{float(p['estimate']):.4g}", f"{float(p['se']):.2g}"] for p in params])]
    rows = [[f"`{p['name']}`", f"{float(p['estimate']):.4g}", f"{float(p['se']):.2g}",
             f"{float(p['se_with_jacobian_noise']):.2g}" if p.get("se_with_jacobian_noise") is not None else "n/a"] for p in params]
    weak = [p["name"] for p in checked if float(p["se_with_jacobian_noise"]) > NOT_IDENTIFIED_RATIO * float(p["se"])]
    lines = [_markdown_table(["calibrated parameter", "estimate", "standard error (drawn from)",
                              "standard error counting the Jacobian's noise (not drawn from)"], rows)]
    if weak:
        lines += ["", f"**The calibration does not identify {', '.join(f'`{w}`' for w in weak)} at its design.** The standard "
                  "errors drawn from ignore the noise of the finite-difference Jacobian they rest on; counted (the last column: "
                  "`laborshift-calibrate se_only=check`), they are more than "
                  f"{NOT_IDENTIFIED_RATIO:g} times larger, so the bands understate the uncertainty of these parameters. Read "
                  "results that depend on them as conditional on their estimates."]
    return lines


def uncertainty_section(comp: Comparison) -> list[str]:
    """The "What the bands include" section: the kinds of uncertainty in the bands, the calibration drawn from, both widths."""
    u = comp.uncertainty or {}
    r = comp.replications
    lines = ["## What the bands include", ""]
    noise = (f"simulation noise: the spread of the {_plural(r, 'replication')} of each scenario, on common random numbers "
             "(replication i of every scenario has the same seed)")
    not_included = ["Not included: " + "; ".join(NOT_INCLUDED) + "."]
    if not u.get("on"):
        why = u.get("reason", "parameter uncertainty was not requested")
        return lines + [f"The bands are {noise}, only: every parameter is held at its value, because {why}. They do not "
                        "include the uncertainty of the calibrated parameters.", "", *not_included, ""]
    cal = u.get("calibration", {})
    seeds = ", ".join(str(x) for x in cal.get("seeds", [])) or "n/a"
    k = u.get("noise_replications", r)
    lines += [f"The bands include two kinds of uncertainty: {noise}; and parameter uncertainty: replication i of every "
              f"scenario (and of every lever-alone run) sets the calibrated parameters to draw i from the multivariate normal "
              f"of the calibration of the profile `{u.get('profile')}` (estimates and covariance; each value kept within the "
              "parameter's allowed range), the same draw in every scenario, so paired differences share their parameters as "
              "well as their random numbers (the draws: `parameter_draws.csv`). A parameter a scenario, variant or override "
              "sets itself keeps its value.", "",
              *calibrated_parameters_table(u.get("parameters", [])), "",
              f"The calibration ran on `{u.get('calibration_scenario')}` with {int(cal.get('workers', 0)):,} workers x "
              f"{cal.get('months', 'n/a')} months, seeds {seeds}.", "", *not_included, ""]
    scaled = (f" from the first {_plural(k, 'replication')}, scaled to {r} (x sqrt({k}/{r})); with so few runs the "
              "simulation-only width is itself a rough estimate, its standard deviation resting on "
              f"{_plural(k - 1, 'degree')} of freedom; `noise_replications=0` runs all {r}" if k != r else "")
    lines += [f"Width of the 90% band of the median with parameter uncertainty (the runs of every table and figure of this page) "
              f"and with simulation noise alone (the same seeds at the estimates{scaled}; `noise_summary.csv`), "
              "2 x 1.645 x 1.2533 x s / sqrt(R), s the standard deviation across the runs; the ratio is the first over the second:",
              "", _markdown_table(["scenario", "indicator", "width: simulation + parameters", "width: simulation only", "ratio"],
                                  band_width_rows(comp)), ""]
    return lines


def _configuration_section(configs: dict[str, dict], first: str, draws: bool = False) -> list[str]:
    """The "Configuration" section: the first scenario's resolved config and how the others differ from it."""
    from omegaconf import OmegaConf

    lines = ["## Configuration", ""]
    if first not in configs:
        return lines + [f"The configuration of `{first}` could not be composed.", ""]
    differs = ("its seed and its draw of the calibrated parameters (`parameter_draws.csv`; the values below are the "
               "estimates)" if draws else "its seed")
    lines += [f"The resolved configuration of the first scenario, `{first}` (the seed is replication 0's; "
              f"every other replication differs only by {differs}).", ""]
    diffs = _config_differences(configs, first)
    for s, keys in diffs.items():
        lines.append(f"- `{s}` differs from `{first}` in: {', '.join(keys) if keys else 'nothing but its name and description'}")
    if diffs:
        lines.append("")
    lines += ["<details><summary>config.yaml</summary>", "", "```yaml", OmegaConf.to_yaml(OmegaConf.create(configs[first])).rstrip(),
              "```", "", "</details>", ""]
    return lines


def no_ai_sentence(comp: Comparison) -> str | None:
    """What ``no_ai`` displaced in these runs, from the indicators (it freezes AI capability; a few workers can still be displaced)."""
    if "no_ai" not in comp.scenarios:
        return None
    x = comp.indicators.loc[comp.indicators["scenario"] == "no_ai", "ai_displaced_final"].astype(float)
    some = int((x > 0).sum())
    text = (f"In these runs `no_ai` displaced a median of {format_value('ai_displaced_final', float(x.median()))} workers by AI by "
            f"month {comp.months}")
    if some:
        text += (f"; {some} of its {_plural(len(x), 'replication')} displaced some (at most "
                 f"{format_value('ai_displaced_final', float(x.max()))})")
    return text + "."


def _decision_section(comp: Comparison) -> list[str]:
    """The "Decision table" section: one table per reference present, the generated sentences and the notes."""
    lines = ["## Decision table", ""]
    tables = [(ref, decision_markdown(comp, ref)) for ref in REFERENCES]
    tables = [(ref, t) for ref, t in tables if t is not None]
    if not tables:
        return lines + ["None: a decision table needs `baseline` or `no_ai` and at least one other scenario.", ""]
    r = comp.replications
    drawn = (" The bands include the calibrated parameters' uncertainty as well as simulation noise ([What the bands include]"
             "(#what-the-bands-include), after the results)." if (comp.uncertainty or {}).get("on") else "")
    lines += [f"Scenario minus reference, replication by replication on the same seed: median [{_interval_name(comp)}] of the "
              f"{_plural(r, 'paired difference')}. A difference whose band excludes 0 is in bold and marked better or worse "
              "(for the people the policy is for; higher or lower for an indicator with no better direction); the others are "
              f"not distinguishable from 0 at about the 90% level. \"n/a (k/{r} runs)\": defined in fewer than "
              f"{min_runs(r)} replications (a re-employment share needs a 12-month displaced cohort of at least {MIN_GROUP} "
              "workers; the month the gap to `no_ai` stops widening needs `no_ai`); no verdict is given on it. "
              f"Shares and rates in percentage points (pp). {JOBLESS_NOTE} "
              f"Scenarios are not ranked: read the rows that matter for the decision.{drawn}", ""]
    for ref, (table, left_out) in tables:
        lines += [f"### Against `{ref}`", "", table, ""]
        if left_out:
            lines += [f"Left out against `{ref}` (undefined for every scenario): " + ", ".join(INDICATORS[k] for k in left_out) + ".", ""]
        lines += [f"- {s}" for s in decision_sentences(comp, ref)] + [""]
    return lines


def _recovery_section(comp: Comparison) -> list[str]:
    """The "Unemployment and recovery" section: levels at the checkpoints, the paired gap to ``no_ai`` and when it stops widening."""
    lines = ["## Unemployment and recovery", ""]
    summ = comp.summary.set_index(["scenario", "indicator"])
    at60 = "unemployment_rate_month_60"
    m60 = min(60, comp.months)
    header = ["scenario", f"unemployment rate, month {m60}", f"unemployment rate, month {comp.months}",
              f"jobless rate (unemployed or in training), month {comp.months}"]
    has_gap = "no_ai" in comp.scenarios and "vs_no_ai_median" in comp.summary.columns
    if has_gap:
        header += [f"gap to `no_ai`, month {m60}", f"gap to `no_ai`, month {comp.months}", INDICATORS["months_to_widest_gap"]]
    rows = []
    for s in comp.scenarios:
        row = [f"`{s}`"] + [format_interval(k, *summ.loc[(s, k)][["median", "lo", "hi"]])
                            for k in (at60, "unemployment_rate_final", "jobless_rate_final")]
        if has_gap:
            for k in (at60, "unemployment_rate_final"):
                r = summ.loc[(s, k)]
                row.append("reference" if s == "no_ai" else paired_cell(k, r["vs_no_ai_median"], r["vs_no_ai_lo"], r["vs_no_ai_hi"],
                                                                         int(r["vs_no_ai_runs"]), comp.replications))
            r = summ.loc[(s, "months_to_widest_gap")]
            row.append("reference" if s == "no_ai" else
                       format_interval("months_to_widest_gap", r["median"], r["lo"], r["hi"]) + _runs_note(int(r["runs"]), comp.replications))
        rows.append(row)
    text = (f"Median [{_interval_name(comp)}]. Unemployment may settle at a new level rather than return to where it started, "
            "so recovery is measured against the counterfactual: ")
    if has_gap:
        text += (f"the gap is the scenario's unemployment rate minus `no_ai`'s on the same seed (pp; bold: the band excludes 0), "
                 f"and it stops widening in the first month whose {GAP_WINDOW}-month moving average comes within "
                 f"{100 * GAP_TOLERANCE:.1f} points of its largest value (a month near {comp.months} means it was still widening).")
    else:
        text += "the gap to `no_ai` needs `no_ai` among the scenarios, and it is not here."
    text += f" {JOBLESS_NOTE}"
    notes = [f"The runs end at month {comp.months}, before month 60: the month-60 columns hold the last month."] if comp.months < 60 else []
    return lines + [text, "", _markdown_table(header, rows), ""] + [f"- {n}" for n in notes] + ([""] if notes else [])


def _for_whom_section(comp: Comparison) -> list[str]:
    """The "For whom" section: unemployment, joblessness and re-employment by career stage, age group, lane and occupation."""
    lines = ["## For whom", ""]
    if comp.group_bands.empty:
        return lines + ["No group table in this comparison.", ""]
    ref = paired_reference(comp, ("baseline", "no_ai"))
    months = checkpoint_months(comp.months)
    what = (f"the level of `{ref}` (median [{_interval_name(comp)}]), then each scenario minus `{ref}` on the same seeds "
            "(pp; bold: the band excludes 0)") if ref else f"each scenario's level (median [{_interval_name(comp)}])"
    lines += [f"By group: {what}. Unemployment and training are counted by current age, stage and last occupation; re-employment within "
              "12 months by age, stage and occupation at displacement, among those displaced by AI at least 12 months before. "
              f"Ages follow China's NBS groups 16-24, 25-29 and 30-59, the last split at 35 (the age threshold of tech hiring). "
              f"A group of fewer than {MIN_GROUP} workers in a run (labour force, or displaced cohort) is left out of that run; "
              f"\"n/a (k/{comp.replications} runs)\": defined in fewer than {min_runs(comp.replications)} replications; a group "
              f"that is n/a in every column is not shown. {JOBLESS_NOTE}", ""]
    for dim in GROUP_DIMENSIONS:
        unemp = group_markdown(comp, dim, "unemployment_rate", months)
        jobless = group_markdown(comp, dim, "jobless_rate", months)
        reemp = group_markdown(comp, dim, "reemployed_12m_share", months[-1:])
        title = DIMENSION_TITLES[dim]
        none = f"none: every group has fewer than {MIN_GROUP} workers in too many runs."
        body = [f"Unemployment rate by {title}:", "", unemp or none, "", f"Jobless rate (unemployed or in training) by {title}:", "",
                jobless or none, "", f"Share of the AI-displaced re-employed within 12 months "
                f"by {title} at displacement, month {months[-1]}:", "", reemp or none, ""]
        if dim == "occupation":
            body = ["<details><summary>by occupation</summary>", "", *body, "</details>", ""]
        lines += [f"### By {title}", "", *body]
    return lines


def _levels_section(comp: Comparison) -> list[str]:
    """The "Levels by scenario" section: every indicator's median and band, and its notes."""
    r = comp.replications
    lines = ["## Levels by scenario", "", f"Median [{_interval_name(comp)}] across the {_plural(r, 'replication')} of each scenario, "
             "in the order the scenarios were given.", "", levels_markdown(comp), ""]
    notes = []
    if bool((comp.summary["runs"] < r).any()):
        notes.append(f"\"(k/{r} runs)\": the indicator is defined in only k of the {r} replications (a re-employment share "
                     f"needs a 12-month displaced cohort of at least {MIN_GROUP} workers; the month the gap stops widening needs "
                     "`no_ai`, and is not defined for `no_ai` itself); the median and band are over those k.")
    if comp.months < 60:
        notes.append(f"The runs end at month {comp.months}, before month 60: \"{INDICATORS['ai_displaced_by_month_60']}\" and "
                     f"\"{INDICATORS['unemployment_rate_month_60']}\" are the values at the last month.")
    notes.append("Shares and rates in % (one decimal), counts in workers, months in whole months, the wage Gini as an index from 0 to 1.")
    return lines + [f"- {n}" for n in notes] + [""]


def report_markdown(comp: Comparison, figures: list[tuple[str, str, str]]) -> str:
    """The text of ``report.md``.

    Args:
        comp: the comparison.
        figures: ``(file name, short title, caption)`` of every figure written, in order.

    Returns:
        The Markdown page.

    """
    configs = scenario_configs(comp)
    r = comp.replications
    lines = [f"# laborshift scenario comparison: {', '.join(comp.scenarios)}", ""]
    n_s = len(comp.scenarios)
    seeds_text = "on the same replication seeds (common random numbers)" if n_s > 1 else "with seeds spawned from one master seed"
    lines += [f"{n_s} scenario{'s' if n_s != 1 else ''}, {'each ' if n_s > 1 else ''}run {r} time{'s' if r != 1 else ''} "
              f"{seeds_text}, {comp.workers:,} workers, {comp.months} months.", ""]
    lines += [profile_sentence(configs), ""]
    # the results come first, after what was run (every lever as run belongs there); what the bands include, the
    # figures and the configuration follow them
    body = _what_was_run(comp, configs)
    with money_currency(profile_of(configs)[1]):
        body += levers_section(comp)
        body += _decision_section(comp)
        body += _recovery_section(comp)
        body += policy_sections(comp)
    body += _for_whom_section(comp)
    body += _levels_section(comp)
    body += uncertainty_section(comp)
    body += ["## Figures", ""]
    for k, (fname, title, caption) in enumerate(figures, 1):
        body += [f"![{title}]({fname})", "", f"*Figure {k}. {caption}*", ""]
    body += _configuration_section(configs, comp.scenarios[0], bool((comp.uncertainty or {}).get("on")))
    body += ["## How to read this", "", _how_to_read(comp), ""]
    return "\n".join(lines + contents_line(body) + body)


def heading_anchor(title: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation other than - and _ dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def contents_line(lines: Sequence[str]) -> list[str]:
    """A one-line table of contents linking every level-2 heading (``## ...``) of ``lines``, and a blank line."""
    titles = [ln[3:].strip() for ln in lines if ln.startswith("## ")]
    if not titles:
        return []
    return ["Contents: " + " · ".join(f"[{t.replace('`', '')}](#{heading_anchor(t)})" for t in titles), ""]


# public names of the figure and table helpers, for the reports built on this one (simulation.regions_report)
style_axis = _style
figure_legend = _legend
markdown_table = _markdown_table


def write_report(comp: Comparison, out_dir: str | Path) -> list[Path]:
    """Write the comparison's tables (CSV and Parquet), figures (PNG) and, last, ``report.md`` into ``out_dir``.

    Every file is written under a temporary name and renamed into place; ``report.md`` comes last, so its presence
    marks a complete report.

    Args:
        comp: the comparison.
        out_dir: the directory to write into (created if missing).

    Returns:
        The paths written, ``report.md`` last.

    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, df in comp.tables().items():
        p = out / f"{stem}.csv"
        atomic_write(p, lambda t, df=df: df.to_csv(t, index=False))
        written.append(p)
        p = out / f"{stem}.parquet"
        atomic_write(p, lambda t, df=df: df.to_parquet(t, index=False))
        written.append(p)
    figures = []
    for stem, (make, caption, title) in FIGURES.items():
        fig = make(comp)
        if fig is None:
            continue
        p = out / f"{stem}.png"
        atomic_write(p, lambda t, fig=fig: fig.savefig(t, dpi=DPI, format="png"))
        written.append(p)
        figures.append((p.name, title, caption(comp)))
    text = report_markdown(comp, figures)
    p = out / "report.md"
    atomic_write(p, lambda t: Path(t).write_text(text + "\n"))
    written.append(p)
    return written


__all__ = [
    "FIGURES", "SCENARIO_COLORS", "band_width_rows", "beveridge_figure", "contents_line", "decision_cell", "decision_markdown", "decision_sentences",
    "figure_legend", "format_interval", "heading_anchor",
    "format_value", "group_markdown", "levels_markdown", "markdown_table", "no_ai_sentence", "paired_cell", "paired_figure", "paired_reference",
    "reemployment_by_stage_figure", "report_markdown", "scenario_colors", "scenario_configs", "style_axis", "trajectory_figure", "uncertainty_section",
    "undefined_stage_bars", "unemployment_by_lane_figure", "unemployment_figure", "wage_premium_figure", "write_report",
]
