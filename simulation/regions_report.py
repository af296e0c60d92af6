"""The report of a regional comparison (:mod:`simulation.regions_compare`): tables, figures and ``report.md``.

Two sections: each region's trajectory (unemployment, AI-core employment, AI-displaced, the mean wage in the region's own
currency, with bands) and the flows between the regions (migrants by direction, lane and occupation; the net AI-core
inflow over time; market shares in the shared sectors over time). Figures: ``region_trajectories.png``,
``migration.png``, ``net_ai_core.png``, ``market_share.png``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .compare import SIMULATION, WITH_PARAMETERS
from .files import atomic_write
from .regions_compare import MONEY, PERCENT, RATIO, REGION_INDICATORS, REGION_METRICS, RegionalComparison
from .report import BAND_ALPHA, DPI, LANE_TITLES, LINE_WIDTH, scenario_colors
from .report import figure_legend as _legend
from .report import markdown_table as _markdown_table
from .report import style_axis as _style

TRAJECTORY_METRICS = ("unemployment_rate", "employed_ai_core", "ai_displaced_cumulative", "mean_wage")
TOP_OCCUPATIONS = 8  # occupations listed in the report's migration table


def _fmt(indicator: str, v: float, diff: bool = False) -> str:
    if v is None or pd.isna(v):
        return "n/a"
    sign = "+" if diff and v > 0 else ""
    if indicator in PERCENT:
        return f"{sign}{100 * v:.1f}{' pp' if diff else '%'}"
    if indicator in RATIO:
        return f"{sign}{v:.3f}" if diff else f"x{v:.3f}"
    if indicator in MONEY:
        return f"{sign}{v:,.0f}"
    return f"{sign}{v:,.1f}" if v != round(v) and abs(v) < 100 else f"{sign}{v:,.0f}"  # counts: whole workers from 100 up


def _cell(indicator: str, m, lo, hi, diff: bool = False) -> str:
    return f"{_fmt(indicator, m, diff)} [{_fmt(indicator, lo, diff)}, {_fmt(indicator, hi, diff)}]"


def _band_lines(ax, d: pd.DataFrame, color: str, label: str, scale: float = 1.0, ls: str = "-"):
    d = d.sort_values("month")
    ax.fill_between(d["month"], scale * d["lo"], scale * d["hi"], color=color, alpha=BAND_ALPHA, lw=0)
    (line,) = ax.plot(d["month"], scale * d["median"], color=color, lw=LINE_WIDTH, ls=ls, label=label)
    return line


def trajectories_figure(comp: RegionalComparison) -> Figure:
    """One row per region, one panel per trajectory metric; a line and band per scenario."""
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(15, 3.6 * len(comp.regions) + 0.8), layout="constrained")
    axes = np.atleast_2d(fig.subplots(len(comp.regions), len(TRAJECTORY_METRICS)))
    b = comp.bands
    handles = []
    for i, region in enumerate(comp.regions):
        for j, metric in enumerate(TRAJECTORY_METRICS):
            ax = axes[i, j]
            title, unit = REGION_METRICS[metric]
            handles = []
            for s in comp.scenarios:
                d = b[(b["scenario"] == s) & (b["region"] == region) & (b["metric"] == metric)]
                line = _band_lines(ax, d, colors[s], s, 100.0 if unit == "%" else 1.0)
                handles.append(((line,), s))
            ax.set_title(f"{region}: {title}")
            ax.set_ylabel(comp.currencies[region] + " a month" if unit == "money" else unit)
            _style(ax)
    _legend(fig, handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle(f"Each region's trajectory: median and 90% band over {comp.replications} replications of {comp.workers:,} workers a region")
    return fig


def migration_figure(comp: RegionalComparison) -> Figure:
    """Migrants over the horizon by origin-destination, direction and lane: bars of the median with the 90% band per scenario."""
    colors = scenario_colors(comp.scenarios)
    f = comp.flows[comp.flows["dimension"] == "lane"]
    routes = [(a, b, d) for a in comp.regions for b in comp.regions if a != b for d in ("emigration", "return")
              if f.loc[(f["from"] == a) & (f["to"] == b) & (f["direction"] == d), "hi"].sum() > 0]
    routes = routes or [(comp.regions[0], comp.regions[-1], "emigration")]
    fig = Figure(figsize=(4.5 * len(routes) + 1, 4.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(routes)))
    lanes = list(LANE_TITLES)
    width = 0.8 / len(comp.scenarios)
    for ax, (a, b, d) in zip(axes, routes, strict=True):
        for k, s in enumerate(comp.scenarios):
            sel = f[(f["scenario"] == s) & (f["from"] == a) & (f["to"] == b) & (f["direction"] == d)].set_index("group").reindex(lanes)
            x = np.arange(len(lanes)) + (k - (len(comp.scenarios) - 1) / 2) * width
            med = sel["median"].to_numpy(float)
            err = np.vstack([med - sel["lo"].to_numpy(float), sel["hi"].to_numpy(float) - med])
            ax.bar(x, med, width, color=colors[s], label=s, yerr=err, capsize=3)
        ax.set_xticks(np.arange(len(lanes)), [LANE_TITLES[x] for x in lanes])
        ax.set_title(f"{a} -> {b}: {'returns' if d == 'return' else 'emigration'}")
        ax.set_ylabel(f"migrants over {comp.months} months")
        _style(ax, xlabel=None)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    fig.suptitle("Migrants between the regions by direction and lane: median and 90% band")
    return fig


def net_ai_core_figure(comp: RegionalComparison) -> Figure:
    """The cumulative net AI-core inflow into each region, per scenario, over time."""
    colors = scenario_colors(comp.scenarios)
    fig = Figure(figsize=(5.5 * len(comp.regions), 4.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(comp.regions)))
    handles = []
    for ax, region in zip(axes, comp.regions, strict=True):
        handles = []
        for s in comp.scenarios:
            d = comp.net_ai_core[(comp.net_ai_core["scenario"] == s) & (comp.net_ai_core["region"] == region)]
            handles.append(((_band_lines(ax, d, colors[s], s),), s))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title(f"net AI-core inflow into {region} (cumulative)")
        ax.set_ylabel("workers")
        _style(ax)
    _legend(fig, handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle("Net AI-core migration: arrivals less departures, by month of departure; median and 90% band")
    return fig


def market_share_figure(comp: RegionalComparison) -> Figure:
    """The first region's market share in each shared sector over time, per scenario (the others' is one minus it for two regions)."""
    colors = scenario_colors(comp.scenarios)
    sectors = comp.shared_sectors
    region = comp.regions[0]
    fig = Figure(figsize=(3.6 * len(sectors) + 1, 4.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(sectors), sharey=True))
    m = comp.market_share
    handles = []
    for ax, sector in zip(axes, sectors, strict=True):
        handles = []
        for s in comp.scenarios:
            d = m[(m["scenario"] == s) & (m["region"] == region) & (m["sector"] == sector) & (m["metric"] == "share")]
            handles.append(((_band_lines(ax, d, colors[s], s, 100.0),), s))
        ax.set_title(sector)
        _style(ax)
    axes[0].set_ylabel(f"{region}'s market share, %")
    _legend(fig, handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle(f"Shared product markets: {region}'s share by sector (median and 90% band)")
    return fig


FIGURES = {
    "region_trajectories": (trajectories_figure, "Each region's trajectory"),
    "migration": (migration_figure, "Migrants by direction and lane"),
    "net_ai_core": (net_ai_core_figure, "Net AI-core inflow"),
    "market_share": (market_share_figure, "Market shares in the shared sectors"),
}


def _summary_row(comp: RegionalComparison, scenario: str, region: str, indicator: str) -> str:
    s = comp.summary
    r = s[(s["scenario"] == scenario) & (s["region"] == region) & (s["indicator"] == indicator)]
    if r.empty:
        return "n/a"
    r = r.iloc[0]
    text = _cell(indicator, r["median"], r["lo"], r["hi"])
    if scenario != comp.scenarios[0]:
        text += f"; {_cell(indicator, r['vs_first_median'], r['vs_first_lo'], r['vs_first_hi'], diff=True)}"
    return text


def region_sections(comp: RegionalComparison) -> list[str]:
    """The per-region section: each region's indicators by scenario, with bands and paired differences."""
    first = comp.scenarios[0]
    lines = ["## Each region's trajectory", "",
             f"Median [90% band] over the {comp.replications} replications; after `;` the paired difference against `{first}` "
             "on the same replication seeds. Figure 1 shows the trajectories month by month.", ""]
    for region in comp.regions:
        cur = comp.currencies[region]
        lines += [f"### {region} (money in {cur})", ""]
        header = ["indicator", *comp.scenarios]
        rows = [[REGION_INDICATORS[k].replace("own currency", cur), *[_summary_row(comp, s, region, k) for s in comp.scenarios]]
                for k in ("unemployment_rate_peak", "unemployment_rate_final", "employed_ai_core_growth", "ai_displaced_final",
                          "mean_wage_final")]
        lines += [_markdown_table(header, rows), ""]
    return lines


def _flow_rows(comp: RegionalComparison, dimension: str, groups: list[str]) -> list[list[str]]:
    f = comp.flows[comp.flows["dimension"] == dimension]
    rows = []
    for a in comp.regions:
        for b in comp.regions:
            if a == b:
                continue
            for d in ("emigration", "return"):
                for g in groups:
                    sel = f[(f["from"] == a) & (f["to"] == b) & (f["direction"] == d) & (f["group"] == g)].set_index("scenario")
                    if sel.empty or sel["hi"].max() <= 0:
                        continue
                    rows.append([f"{a} -> {b}", d, LANE_TITLES.get(g, g),
                                 *[_cell("count", sel.loc[s, "median"], sel.loc[s, "lo"], sel.loc[s, "hi"]) for s in comp.scenarios]])
    return rows


def cross_region_section(comp: RegionalComparison) -> list[str]:
    """Migrants by direction and lane (and the leading occupations), the net AI-core inflow, and the market shares."""
    lines = ["## Between the regions", "",
             f"### Migrants by direction and lane (over the {comp.months} months)", "",
             "A move into one's home region is a `return`, any other an `emigration` (docs/REGIONS.md). Median [90% band] of "
             "the migrants over the horizon; a route no run used is left out. Figure 2.", ""]
    header = ["route", "direction", "lane", *comp.scenarios]
    rows = _flow_rows(comp, "lane", list(LANE_TITLES))
    lines += [_markdown_table(header, rows) if rows else "No migrant moved in any run.", ""]
    occ = comp.flows[comp.flows["dimension"] == "occupation"]
    top = occ.groupby("group")["median"].sum().sort_values(ascending=False)
    top = [g for g in top.index[:TOP_OCCUPATIONS] if top[g] > 0]
    if top:
        lines += [f"### Migrants by occupation (the {len(top)} occupations with the most migrants)", ""]
        lines += [_markdown_table(["route", "direction", "occupation", *comp.scenarios], _flow_rows(comp, "occupation", top)), ""]
    lines += ["### Net AI-core flows", "",
              "Cumulative AI-core arrivals less departures, counted in the month of departure, at the last month. Figure 3.", ""]
    last = comp.net_ai_core[comp.net_ai_core["month"] == comp.months].set_index(["scenario", "region"])
    lines += [_markdown_table(["region", *comp.scenarios],
                              [[r, *[_cell("count", *last.loc[(s, r), ["median", "lo", "hi"]]) if (s, r) in last.index else "n/a"
                                     for s in comp.scenarios]] for r in comp.regions]), ""]
    m = comp.market_share
    lines += ["### Market shares in the shared sectors", "",
              f"Each region's share of the shared markets at the last month (month {comp.months}; both regions start at their "
              "size's share) and its demand multiplier (the factor on its firms' demand in the sector). Figure 4.", ""]
    rows = []
    for sector in comp.shared_sectors:
        for r in comp.regions:
            cells = []
            for s in comp.scenarios:
                sh = m[(m["scenario"] == s) & (m["region"] == r) & (m["sector"] == sector) & (m["month"] == comp.months)]
                d = sh.set_index("metric")
                cells.append(f"{100 * d.loc['share', 'median']:.2f}% [{100 * d.loc['share', 'lo']:.2f}, {100 * d.loc['share', 'hi']:.2f}]; "
                             f"x{d.loc['demand_multiplier', 'median']:.4f}" if {"share", "demand_multiplier"} <= set(d.index) else "n/a")
            rows.append([sector, r, *cells])
    lines += [_markdown_table(["sector", "region", *comp.scenarios], rows), ""]
    return lines


WIDTH_INDICATORS = ("employed_ai_core_growth", "net_ai_core_inflow", "unemployment_rate_final")  # the widths table's rows


def uncertainty_lines(comp: RegionalComparison) -> list[str]:
    """What the bands include: simulation noise, and the calibrated parameters of which profiles (with the widths table)."""
    u = comp.uncertainty
    drawn = [p for p, why in u.get("profiles", {}).items() if comp.parameter_draws is not None and p in set(comp.parameter_draws["profile"])]
    if not u.get("on"):
        why = "; ".join(f"{p}: {r}" for p, r in u.get("profiles", {}).items()) or "not asked for"
        return [f"Parameter uncertainty: off ({why}). The bands are simulation noise alone.", ""]
    lines = [f"Parameter uncertainty: on (`parameter_uncertainty={u['setting']}`). Replication r of every scenario draws the calibrated "
             f"parameters of the profiles {', '.join(f'`{p}`' for p in drawn)} from their calibration records (draw r; the profiles' "
             "draws are independent: they were calibrated apart), so the bands include simulation noise and the parameters' "
             "uncertainty. The same seeds also ran at the point estimates: the widths of the 90% band of the median, with the "
             "draws and without (simulation noise alone), at the comparison's R:", ""]
    w = comp.widths.set_index(["uncertainty", "scenario", "region", "indicator"])["width"]
    def width(kind: str, s: str, r: str, i: str) -> str:  # a width is a difference of the indicator's values: no "x", no sign
        return _fmt(i, w[(kind, s, r, i)], diff=True).lstrip("+")

    rows = [[s, r, REGION_INDICATORS[i], width(SIMULATION, s, r, i), width(WITH_PARAMETERS, s, r, i)]
            for s in comp.scenarios for r in comp.regions for i in WIDTH_INDICATORS]
    others = [p for p in u.get("profiles", {}) if p not in drawn]
    not_drawn = ", ".join(f"{p} ({u['profiles'][p]})" for p in others)
    tail = [f"Not drawn: {not_drawn}.", ""] if others else []
    return [*lines, _markdown_table(["scenario", "region", "indicator", "simulation", "simulation+parameters"], rows), "", *tail]


def report_markdown(comp: RegionalComparison, figures: list[tuple[str, str]]) -> str:
    """The text of the regional comparison's ``report.md``."""
    cur = ", ".join(f"{r} in {c}" for r, c in comp.currencies.items())
    lines = [f"# laborshift regional comparison ({comp.regions_name}): {', '.join(comp.scenarios)}", "",
             f"{len(comp.scenarios)} scenarios, each run {comp.replications} times on the same replication seeds (common random "
             f"numbers: a replication's seed spawns each region's seed and the talent channel's), regions {', '.join(comp.regions)}, "
             f"{comp.workers:,} workers a region (times its size), {comp.months} months; master seed {comp.master_seed}.", "",
             f"Money in each region's own currency: {cur}.", "",
             *uncertainty_lines(comp)]
    if comp.overrides or comp.regions_overrides:
        lines += [f"Overrides: {', '.join(f'`{o}`' for o in [*comp.overrides, *[f'regions.{o}' for o in comp.regions_overrides]])}.", ""]
    lines += region_sections(comp)
    lines += cross_region_section(comp)
    lines += ["## Figures", ""]
    for k, (fname, title) in enumerate(figures, 1):
        lines += [f"![{title}]({fname})", "", f"*Figure {k}. {title}: median and 90% band over the replications.*", ""]
    lines += ["## How to read this", "",
              "The band around a median is its 90% confidence band (median -/+ 1.645 x 1.2533 s / sqrt(R)); it narrows as the "
              "replications grow. A paired difference compares a scenario with the first on the same seeds. The tables are in "
              "the report's folder (CSV and Parquet): `runs`, `bands`, `indicators`, `summary` (per region), `migration`, "
              "`flows`, `net_ai_core`, `market_share`. The model of the regions: docs/REGIONS.md.", ""]
    return "\n".join(lines)


def write_regional_report(comp: RegionalComparison, out_dir: str | Path) -> list[Path]:
    """Write the tables (CSV and Parquet), the figures (PNG) and, last, ``report.md`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, df in comp.tables().items():
        for ext, write in (("csv", lambda t, df=df: df.to_csv(t, index=False)), ("parquet", lambda t, df=df: df.to_parquet(t, index=False))):
            p = out / f"{stem}.{ext}"
            atomic_write(p, write)
            written.append(p)
    figures = []
    for stem, (make, title) in FIGURES.items():
        fig = make(comp)
        p = out / f"{stem}.png"
        atomic_write(p, lambda t, fig=fig: fig.savefig(t, dpi=DPI, format="png"))
        written.append(p)
        figures.append((p.name, title))
    p = out / "report.md"
    text = report_markdown(comp, figures)
    atomic_write(p, lambda t: Path(t).write_text(text + "\n"))
    written.append(p)
    return written


__all__ = ["FIGURES", "cross_region_section", "region_sections", "report_markdown", "write_regional_report"]
