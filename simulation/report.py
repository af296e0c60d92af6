"""Comparison report: figures, tables and a Markdown page from a :class:`~simulation.compare.Comparison`.

:func:`write_report` writes into one directory every table of the comparison (CSV
and Parquet), every figure (PNG) and, last, ``report.md``, a page readable on its
own: what was run, the configuration, a ranking of the scenarios on the summary
indicators, the paired differences against the references, the figures with
captions and how to read them. Every file is written under a temporary name and
renamed into place, and ``report.md`` comes last: its presence marks a complete
report.

The figure functions take a :class:`~simulation.compare.Comparison` and return a
:class:`matplotlib.figure.Figure` (built without pyplot); each scenario keeps one
colour in every figure (:data:`SCENARIO_COLORS`, other names get colours from
:data:`FALLBACK_COLORS` in the order they come).

Numbers in ``report.md`` come straight from ``comp.summary`` through
:func:`format_value`, with these rounding rules:

* shares and rates (peak unemployment rate, share of displaced re-employed within
  12 months, AI wage premium): in %, one decimal (``5.8%``); paired differences
  in percentage points, two decimals, signed (``+0.35 pp``);
* counts (AI-displaced, retraining completions): whole workers, thousands
  separated (``1,234``); differences signed (``+8``);
* months: whole months (``31``); differences signed;
* the wage Gini (an index from 0 to 1): three decimals (``0.122``), differences
  signed (``+0.005``);
* a missing value (a run whose unemployment never returns near its start has no
  months to recover): ``n/a``.

Rounding is Python's string formatting (to nearest, exact ties to even) and a value
that rounds to zero prints without a sign (``0.0%``, ``0.00 pp``, ``0``). A cell of
the tables is ``median [lo, hi]`` (:func:`format_interval`), each part formatted as
above, sometimes followed by a note: `` (k/R runs)`` when the indicator is defined in
only k of the R replications, `` (no cohort)`` for a re-employment share of a
scenario where nobody was displaced by AI 12 months or more before the last month.

Bands, whiskers and brackets are the ``lo`` and ``hi`` columns of the comparison's
tables: the 90% confidence band of the median (the spread of single runs is in the
``p05`` and ``p95`` columns).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .compare import HIGHER_IS_BETTER, INDICATORS, REFERENCES, Comparison
from .composition import compose
from .config import LANES
from .files import atomic_write
from .policy_eval import policy_sections
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

PERCENT_INDICATORS = frozenset({"unemployment_rate_peak", "displaced_reemployed_12m_share_final", "ai_wage_premium_final"})
COUNT_INDICATORS = frozenset({"ai_displaced_by_month_60", "ai_displaced_final", "retraining_completed_total"})
MONTH_INDICATORS = frozenset({"months_to_recover_unemployment"})
INDEX_INDICATORS = frozenset({"wage_gini_final"})
# indicators the scenarios are ranked on (higher is better for those in compare.HIGHER_IS_BETTER, lower for the others)
HEADLINE_INDICATORS = ("unemployment_rate_peak", "ai_displaced_final", "displaced_reemployed_12m_share_final", "wage_gini_final")

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
        A figure with one panel per lane (each with its own y axis: the small AI-core lane is much noisier), median lines
        and 90% bands.

    """
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(13, 4.8), layout="constrained")
    axes = fig.subplots(1, len(LANES))
    handles = []
    for ax, lane in zip(axes, LANES, strict=True):
        handles = _band_lines(ax, comp.bands, f"unemployment_rate_{lane}", comp.scenarios, colors, scale=100.0)
        ax.set_title(f"{LANE_TITLES.get(lane, lane.replace('_', ' '))} lane")
        ax.set_ylabel("unemployment rate (%)")
        ax.set_ylim(bottom=0)
        _style(ax)
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


def beveridge_figure(comp: Comparison) -> Figure:
    """Beveridge curve per scenario: vacancy rate against unemployment rate, one panel per scenario.

    Each panel plots the medians over replications, smoothed with a 12-month
    moving average (which removes the yearly wave of graduates), with a circle at
    the first month and a square at the last; month 0 is left out (no vacancy has
    been posted before the first month). Panels share their axes.

    Args:
        comp: the comparison.

    Returns:
        A figure with one panel per scenario.

    """
    colors = scenario_colors(comp.scenarios)
    start = _beveridge_start(comp)
    b = comp.bands
    n = len(comp.scenarios)
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig = Figure(figsize=(3.6 * cols + 0.6, 3.3 * rows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    window = 12 if comp.months >= 24 else 1
    for ax, s in zip(axes, comp.scenarios, strict=False):
        sub = b[(b["scenario"] == s) & b["metric"].isin(["unemployment_rate", "vacancy_rate"]) & (b["month"] >= start)]
        w = sub.pivot(index="month", columns="metric", values="median").sort_index()
        if w.empty:
            continue
        w = w.rolling(window, min_periods=1).mean()
        u, v = 100 * w["unemployment_rate"], 100 * w["vacancy_rate"]
        c = colors[s]
        ax.plot(u, v, color=c, lw=1.8, ls=SCENARIO_LINESTYLES.get(s, "-"))
        ax.plot(u.iloc[[0]], v.iloc[[0]], marker="o", ms=8, color=c, mec="black", mew=0.6, ls="none", zorder=3)
        ax.plot(u.iloc[[-1]], v.iloc[[-1]], marker="s", ms=8, color=c, mec="black", mew=0.6, ls="none", zorder=3)
        ax.set_title(s, fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax in axes[:n]:
        if ax.get_subplotspec().is_last_row() or not axes[min(n - 1, list(axes).index(ax) + cols)].get_visible():
            ax.set_xlabel("unemployment rate (%)")
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel("vacancy rate (%)")
    smooth = f"{window}-month moving average of the " if window > 1 else ""
    fig.suptitle(f"Beveridge curve per scenario: {smooth}median over {comp.replications} replication"
                 f"{'s' if comp.replications != 1 else ''} per month (circle: month {start}, square: month {comp.months})")
    return fig


def _stage_cohorts(comp: Comparison, month: int) -> pd.DataFrame:
    """Median size of the 12-month displaced cohort by scenario and stage in ``month`` (and the largest over replications)."""
    st = comp.stages[comp.stages["month"] == month]
    g = st.groupby(["scenario", "stage"], sort=False)["displaced_cohort_12m"]
    return pd.concat({"median": g.median(), "max": g.max()}, axis=1)


def _last_month(comp: Comparison) -> int:
    return int(comp.bands["month"].max())


def _no_cohort_scenarios(comp: Comparison) -> list[str]:
    """Scenarios with no worker displaced by AI at least 12 months before the last month, in any replication."""
    last = comp.runs[comp.runs["month"] == comp.runs["month"].max()]
    most = last.groupby("scenario", sort=False)["displaced_cohort_12m"].max()
    return [s for s in comp.scenarios if s in most.index and most[s] == 0]


def reemployment_by_stage_figure(comp: Comparison) -> Figure:
    """Share of the AI-displaced re-employed within 12 months, by career stage at displacement, in the last month.

    Args:
        comp: the comparison.

    Returns:
        Grouped bars (one group per stage, one bar per scenario) of the median with 90% interval error bars,
        each bar labelled with the median cohort size ``n``.

    """
    colors = scenario_colors(comp.scenarios)
    month = _last_month(comp)
    cohorts = _stage_cohorts(comp, month)
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.subplots()
    n = len(comp.scenarios)
    width = 0.8 / n
    x = np.arange(len(STAGES))
    for k, s in enumerate(comp.scenarios):
        med, lo, hi = [], [], []
        for stage in STAGES:
            d = _metric(comp.bands, f"displaced_reemployed_12m_share_{stage}", scenario=s, month=month)
            row = d.iloc[0] if len(d) else pd.Series({"median": 0.0, "lo": 0.0, "hi": 0.0})
            med.append(100 * row["median"])
            lo.append(100 * row["lo"])
            hi.append(100 * row["hi"])
        med_a, lo_a, hi_a = np.array(med), np.array(lo), np.array(hi)
        pos = x - 0.4 + width * (k + 0.5)
        yerr = np.vstack([np.clip(med_a - lo_a, 0, None), np.clip(hi_a - med_a, 0, None)])
        ax.bar(pos, med_a, width=width * 0.92, color=colors[s], alpha=0.85, label=s, edgecolor=colors[s], linewidth=1.5,
               yerr=yerr, capsize=4, error_kw={"elinewidth": 1.5, "ecolor": "#333333"})
        for p, stage, top in zip(pos, STAGES, np.maximum(hi_a, med_a), strict=True):
            size = cohorts["median"].get((s, stage), 0.0)
            ax.text(p, top + 1.5, f"n={size:,.0f}", ha="center", va="bottom", fontsize=9, rotation=90 if n > 4 else 0)
    ax.set_xticks(x, [f"{stage} career" for stage in STAGES])
    ax.set_xlabel("career stage at displacement")
    ax.set_ylabel("% of the cohort re-employed within 12 months")
    ax.set_ylim(0, 125 if n > 4 else 112)
    ax.set_yticks(np.arange(0, 101, 20))
    _style(ax, xlabel=None)
    ax.grid(axis="x", visible=False)
    fig.legend(fontsize=LEGEND_SIZE, loc="outside lower center", ncols=min(n, 4))
    ax.set_title(f"Re-employment within 12 months of AI displacement by career stage, month {month}\n"
                 f"bars: median, whiskers: {_interval_name(comp)} over {_plural(comp.replications, 'replication')}; "
                 "n: median cohort size")
    return fig


def paired_reference(comp: Comparison) -> str | None:
    """The reference of the paired-difference figure: ``no_ai`` if it was run, else ``baseline``, else None.

    Args:
        comp: the comparison.

    Returns:
        The reference scenario, or None when neither was run or no other scenario is there to compare.

    """
    for ref in ("no_ai", "baseline"):
        if ref in comp.scenarios and any(s != ref for s in comp.scenarios):
            return ref
    return None


def paired_figure(comp: Comparison) -> Figure | None:
    """Displacement attributable to AI: paired difference of ``ai_displaced_cumulative`` against ``no_ai`` (else ``baseline``).

    Args:
        comp: the comparison.

    Returns:
        A one-panel figure of the median paired difference and its 90% band per scenario, or None when
        neither ``no_ai`` nor ``baseline`` is among the scenarios (or no other scenario is there).

    """
    ref = paired_reference(comp)
    if ref is None:
        return None
    colors = scenario_colors(comp.scenarios)
    others = [s for s in comp.scenarios if s != ref]
    fig = Figure(figsize=(9, 5.2), layout="constrained")
    ax = fig.subplots()
    handles = _band_lines(ax, comp.paired, "ai_displaced_cumulative", others, colors, reference=ref)
    ax.axhline(0, color=colors.get(ref, "#7f7f7f"), lw=1.5, ls=SCENARIO_LINESTYLES.get(ref, "-"))
    handles.append((Line2D([], [], color=colors.get(ref, "#7f7f7f"), lw=1.5, ls=SCENARIO_LINESTYLES.get(ref, "-")), f"{ref} (reference)"))
    _legend(ax, handles, loc="upper left")
    ax.set_ylabel(f"AI-displaced workers (cumulative), scenario - {ref}")
    _style(ax)
    what = "Displacement attributable to AI" if ref == "no_ai" else "AI displacement relative to baseline"
    ax.set_title(f"{what}: paired difference against {ref} on the same seeds\n{_replication_text(comp)}")
    return fig


# ---------------------------------------------------------------- captions


def _caption_trajectory(comp: Comparison) -> str:
    return (f"Cumulative AI-displaced workers (left), workers in retraining (middle) and AI-displaced workers now "
            f"re-employed (right) by month, per scenario: {_replication_text(comp)}.")


def _caption_lanes(comp: Comparison) -> str:
    return (f"Unemployment rate (%) of the AI-core, AI-adjacent and traditional lanes by month, per scenario: "
            f"{_replication_text(comp)}.")


def _caption_premium(comp: Comparison) -> str:
    return (f"AI wage premium (mean AI-core wage / mean traditional wage - 1, in %) by month, per scenario: "
            f"{_replication_text(comp)}.")


def _caption_beveridge(comp: Comparison) -> str:
    start = _beveridge_start(comp)
    skip = "; month 0 is left out, as no vacancy is posted before the first month" if start == 1 else ""
    smooth = "12-month moving average of the " if comp.months >= 24 else ""
    return (f"Beveridge curve, one panel per scenario: {smooth}median vacancy rate against median unemployment rate (%), "
            f"from month {start} (circle) to month {_last_month(comp)} (square){skip}; the moving average removes the yearly "
            f"wave of graduates.")


def _caption_stage(comp: Comparison) -> str:
    none = _no_cohort_scenarios(comp)
    note = ""
    if none:
        note = (f" {', '.join(none)} {'has' if len(none) == 1 else 'have'} no worker displaced by AI 12 months "
                f"or more before month {_last_month(comp)}: {'its' if len(none) == 1 else 'their'} bars are 0.")
    return (f"Share (%) of AI-displaced workers re-employed within 12 months, by career stage at displacement, in month "
            f"{_last_month(comp)}: median bars, whiskers the {_interval_name(comp)}, median cohort size n; a replication with an empty "
            f"cohort counts as 0.{note}")


def _caption_paired(comp: Comparison) -> str:
    ref = paired_reference(comp)
    return (f"Cumulative AI-displaced workers of each scenario minus those of {ref} in the same replication (same seed), "
            f"by month: {_band_text(comp, 'median paired difference')} over {_plural(comp.replications, 'replication')}.")


# file stem -> (figure function, caption function, short title)
FIGURES: dict[str, tuple[Callable[[Comparison], Figure | None], Callable[[Comparison], str], str]] = {
    "trajectory": (trajectory_figure, _caption_trajectory, "Displacement and retraining trajectory"),
    "unemployment_by_lane": (unemployment_by_lane_figure, _caption_lanes, "Unemployment rate by lane"),
    "wage_premium": (wage_premium_figure, _caption_premium, "AI wage premium"),
    "beveridge": (beveridge_figure, _caption_beveridge, "Beveridge curve"),
    "reemployment_by_stage": (reemployment_by_stage_figure, _caption_stage, "Re-employment within 12 months by career stage"),
    "paired_displacement": (paired_figure, _caption_paired, "Displacement attributable to AI (paired difference)"),
}


# ---------------------------------------------------------------- tables


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def headline_ranks(comp: Comparison) -> pd.DataFrame:
    """Rank of every scenario on the headline indicators, by median across replications.

    Rank 1 is best: highest for indicators in :data:`simulation.compare.HIGHER_IS_BETTER`, lowest for the others;
    ties share the best rank. A scenario with no 12-month displaced cohort in the last month (in any replication)
    is not ranked on the re-employment share, and a missing median is not ranked.

    Args:
        comp: the comparison.

    Returns:
        One row per scenario (in ``comp.scenarios`` order), one column per headline indicator and ``mean_rank``
        (the mean of the ranks the scenario has).

    """
    med = comp.summary.pivot(index="scenario", columns="indicator", values="median").reindex(comp.scenarios)
    ranks = pd.DataFrame(index=pd.Index(comp.scenarios, name="scenario"))
    no_cohort = set(_no_cohort_scenarios(comp))
    for ind in HEADLINE_INDICATORS:
        col = med[ind].astype(float) if ind in med else pd.Series(np.nan, index=med.index)
        if ind == "displaced_reemployed_12m_share_final":
            col = col.where(~col.index.isin(list(no_cohort)))
        ranks[ind] = col.rank(ascending=ind not in HIGHER_IS_BETTER, method="min", na_option="keep")
    ranks["mean_rank"] = ranks[list(HEADLINE_INDICATORS)].mean(axis=1, skipna=True)
    return ranks


def _runs_note(defined: int, total: int) -> str:
    return f" ({defined}/{total} runs)" if defined < total else ""


def _paired_defined(comp: Comparison, ref: str) -> dict[tuple[str, str], int]:
    """Replications where both the scenario and the reference have the indicator (the paired difference is defined)."""
    ind = comp.indicators.set_index(["scenario", "replication"])
    out = {}
    for s in comp.scenarios:
        for k in INDICATORS:
            try:
                a = ind.loc[s][k].astype(float)
                b = ind.loc[ref][k].astype(float)
            except KeyError:
                continue
            both = pd.concat([a, b], axis=1).notna().all(axis=1)
            out[(s, k)] = int(both.sum())
    return out


def ranking_markdown(comp: Comparison) -> str:
    """The ranking table of ``report.md``: one row per scenario, ranks on the headline indicators, then every indicator.

    Rows are sorted by mean headline rank (ties keep the order of ``comp.scenarios``). With one scenario there is
    nothing to rank and the rank columns are left out.

    Args:
        comp: the comparison.

    Returns:
        A Markdown table.

    """
    summ = comp.summary.set_index(["scenario", "indicator"])
    defined = _runs_defined(summ)
    no_cohort = set(_no_cohort_scenarios(comp))
    ranked = len(comp.scenarios) > 1
    ranks = headline_ranks(comp)
    order = list(comp.scenarios)
    if ranked:
        pos = {s: i for i, s in enumerate(comp.scenarios)}
        order = sorted(comp.scenarios, key=lambda s: (math.inf if pd.isna(ranks.loc[s, "mean_rank"]) else ranks.loc[s, "mean_rank"], pos[s]))
    header = ["scenario"]
    if ranked:
        header += ["mean rank"] + [f"rank: {INDICATORS[k]}" for k in HEADLINE_INDICATORS]
    header += list(INDICATORS.values())
    rows = []
    for s in order:
        row = [f"`{s}`"]
        if ranked:
            mr = ranks.loc[s, "mean_rank"]
            row.append("n/a" if pd.isna(mr) else f"{mr:.2f}")
            row += ["n/a" if pd.isna(ranks.loc[s, k]) else f"{int(ranks.loc[s, k])}" for k in HEADLINE_INDICATORS]
        for k in INDICATORS:
            if (s, k) not in summ.index:
                row.append("n/a")
                continue
            r = summ.loc[(s, k)]
            cell = format_interval(k, r["median"], r["lo"], r["hi"])
            if defined is not None:
                cell += _runs_note(int(defined.loc[(s, k)]), comp.replications)
            if k == "displaced_reemployed_12m_share_final" and s in no_cohort:
                cell += " (no cohort)"
            row.append(cell)
        rows.append(row)
    return _markdown_table(header, rows)


def paired_markdown(comp: Comparison, ref: str) -> str | None:
    """Table of the paired differences (scenario minus ``ref``, replication by replication) of every indicator.

    Args:
        comp: the comparison.
        ref: the reference scenario (``baseline`` or ``no_ai``).

    Returns:
        A Markdown table with one row per scenario other than ``ref``, or None when ``ref`` was not run
        or no other scenario is there.

    """
    cols = [f"vs_{ref}_median", f"vs_{ref}_lo", f"vs_{ref}_hi"]
    others = [s for s in comp.scenarios if s != ref]
    if ref not in comp.scenarios or not others or not set(cols) <= set(comp.summary.columns):
        return None
    summ = comp.summary.set_index(["scenario", "indicator"])
    defined = _paired_defined(comp, ref)
    no_cohort = set(_no_cohort_scenarios(comp))
    header = ["scenario", *INDICATORS.values()]
    rows = []
    for s in others:
        row = [f"`{s}` - `{ref}`"]
        for k in INDICATORS:
            if (s, k) not in summ.index:
                row.append("n/a")
                continue
            r = summ.loc[(s, k)]
            cell = format_interval(k, r[cols[0]], r[cols[1]], r[cols[2]], difference=True)
            cell += _runs_note(defined.get((s, k), comp.replications), comp.replications)
            if k == "displaced_reemployed_12m_share_final" and no_cohort & {s, ref}:
                cell += f" (no cohort in {' and '.join(f'`{x}`' for x in (s, ref) if x in no_cohort)})"
            row.append(cell)
        rows.append(row)
    return _markdown_table(header, rows)


# ---------------------------------------------------------------- configuration


def _compose_plain(comp: Comparison, scenario: str) -> dict:
    from omegaconf import OmegaConf

    seed = comp.seeds[0] if comp.seeds else comp.master_seed
    variant = comp.variants.get(scenario)  # a variant: its scenario, the comparison's overrides, then its own
    scenario, own = (variant["scenario"], list(variant["overrides"])) if variant else (scenario, [])
    cfg = compose(scenario, [f"workers={comp.workers}", f"months={comp.months}", f"seed={seed}", "progress=false", *comp.overrides, *own])
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def scenario_configs(comp: Comparison) -> dict[str, dict]:
    """The resolved configuration of every scenario: the comparison's workers, months and overrides, replication 0's seed.

    Args:
        comp: the comparison.

    Returns:
        A plain dict of the configuration by scenario name.

    """
    return {s: _compose_plain(comp, s) for s in comp.scenarios}


def _flatten(d: Mapping, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _config_differences(configs: dict[str, dict], first: str) -> dict[str, list[str]]:
    """Keys where each other scenario's configuration differs from the first one's (scenario name and description aside)."""
    if first not in configs:
        return {}
    base = _flatten(configs[first])
    out = {}
    for s, cfg in configs.items():
        if s == first:
            continue
        flat = _flatten(cfg)
        keys = sorted(k for k in set(base) | set(flat) if k not in ("scenario", "description") and base.get(k) != flat.get(k))
        out[s] = [f"`{k}={flat.get(k)!r}`" if not isinstance(flat.get(k), str) else f"`{k}={flat.get(k)}`" for k in keys]
    return out


# ---------------------------------------------------------------- the page


def _how_to_read(comp: Comparison) -> str:
    """The "How to read this" paragraph."""
    r = comp.replications
    text = f"Each scenario ran {r} time{'s' if r != 1 else ''} with different seeds. Lines, bars and table cells give the median across those replications. "
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
    lines.append("")
    seeds = ", ".join(str(x) for x in comp.seeds)
    overrides = ", ".join(f"`{o}`" for o in comp.overrides) if comp.overrides else "none"
    lines += _markdown_table(["setting", "value"], [
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


def _configuration_section(configs: dict[str, dict], first: str) -> list[str]:
    """The "Configuration" section: the first scenario's resolved config and how the others differ from it."""
    from omegaconf import OmegaConf

    lines = ["## Configuration", ""]
    if first not in configs:
        return lines + [f"The configuration of `{first}` could not be composed.", ""]
    lines += [f"The resolved configuration of the first scenario, `{first}` (the seed is replication 0's; "
              f"every other replication differs only by its seed).", ""]
    diffs = _config_differences(configs, first)
    for s, keys in diffs.items():
        lines.append(f"- `{s}` differs from `{first}` in: {', '.join(keys) if keys else 'nothing but its name and description'}")
    if diffs:
        lines.append("")
    lines += ["<details><summary>config.yaml</summary>", "", "```yaml", OmegaConf.to_yaml(OmegaConf.create(configs[first])).rstrip(),
              "```", "", "</details>", ""]
    return lines


def _ranking_section(comp: Comparison) -> list[str]:
    """The "Ranking on the summary indicators" section: how the ranking is made, the table and its notes."""
    r = comp.replications
    lines = ["## Ranking on the summary indicators", ""]
    if len(comp.scenarios) > 1:
        lines += [f"Median [{_interval_name(comp)}] across the {_plural(r, 'replication')} of each scenario. Scenarios are ranked on "
                  f"{len(HEADLINE_INDICATORS)} headline indicators by their median (1 = best: lowest "
                  + ", ".join(INDICATORS[k] for k in HEADLINE_INDICATORS if k not in HIGHER_IS_BETTER)
                  + "; highest " + ", ".join(INDICATORS[k] for k in HEADLINE_INDICATORS if k in HIGHER_IS_BETTER)
                  + "; ties share the best rank) and sorted by their mean rank."
                  + (" `no_ai` is a counterfactual, not a policy: it displaces nobody by construction." if "no_ai" in comp.scenarios else ""),
                  ""]
    else:
        lines += [f"Median [{_interval_name(comp)}] across the {_plural(r, 'replication')} (one scenario: nothing to rank).", ""]
    lines += [ranking_markdown(comp), ""]
    notes = []
    defined = _runs_defined(comp.summary)
    if defined is not None and bool((defined < r).any()):
        notes.append("\"(k/R runs)\": the indicator is defined in only k of the R replications (unemployment never came back "
                     "within 0.5 points of its start in the others); the median and interval are over those k.")
    if _no_cohort_scenarios(comp):
        notes.append("\"(no cohort)\": no worker was displaced by AI 12 months or more before the last month, so the share "
                     "is reported as 0 and the scenario is not ranked on it.")
    if comp.months < 60:
        notes.append(f"The runs end at month {comp.months}, before month 60: \"{INDICATORS['ai_displaced_by_month_60']}\" "
                     f"is the value at the last month.")
    notes.append("Shares and rates in % (one decimal), counts in workers, months in whole months, the wage Gini as an index from 0 to 1.")
    return lines + [f"- {n}" for n in notes] + [""]


def _paired_section(comp: Comparison) -> list[str]:
    """The "Paired differences" section: one table per reference scenario present."""
    lines = ["## Paired differences", ""]
    tables = [(ref, paired_markdown(comp, ref)) for ref in REFERENCES]
    tables = [(ref, t) for ref, t in tables if t is not None]
    if not tables:
        return lines + ["None: paired differences need `baseline` or `no_ai` and at least one other scenario.", ""]
    lines += [f"Scenario minus reference, replication by replication on the same seed: median [{_interval_name(comp)}] of the "
              f"{_plural(comp.replications, 'difference')}. Shares and rates in percentage points (pp)."
              + (" \"(no cohort in ...)\": that scenario's re-employment share is reported as 0 for want of a displaced cohort, "
                 "so the difference of shares says nothing about re-employment." if _no_cohort_scenarios(comp) else ""), ""]
    for ref, t in tables:
        lines += [f"### Against `{ref}`", "", t, ""]
    return lines


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
    lines += _what_was_run(comp, configs)
    lines += policy_sections(comp)
    lines += _configuration_section(configs, comp.scenarios[0])
    lines += _ranking_section(comp)
    lines += _paired_section(comp)
    lines += ["## Figures", ""]
    for k, (fname, title, caption) in enumerate(figures, 1):
        lines += [f"![{title}]({fname})", "", f"*Figure {k}. {caption}*", ""]
    lines += ["## How to read this", "", _how_to_read(comp), ""]
    return "\n".join(lines)


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
    "FIGURES", "HEADLINE_INDICATORS", "SCENARIO_COLORS", "beveridge_figure", "format_interval", "format_value", "headline_ranks",
    "paired_figure", "paired_markdown", "paired_reference", "ranking_markdown", "reemployment_by_stage_figure", "report_markdown",
    "scenario_colors", "scenario_configs", "trajectory_figure", "unemployment_by_lane_figure", "wage_premium_figure", "write_report",
]
