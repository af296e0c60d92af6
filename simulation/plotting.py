"""Figures from results only: each function takes results and returns a Figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .config import LANES
from .results import Results

LANE_COLORS = {"ai_core": "#1b9e77", "ai_adjacent": "#7570b3", "traditional": "#d95f02"}
STATUS_COLORS = {"unemployed": "#d95f02", "retraining": "#7570b3", "employed": "#1b9e77", "out_of_labor_force": "#999999"}


def _years(ax) -> None:
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)


def trajectory_figure(res: Results) -> Figure:
    """The displacement and retraining trajectory: who was displaced, where they are now, and retraining flows."""
    ts = res.timeseries
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    axes = fig.subplots(2, 2)
    t = ts["month"]

    ax = axes[0, 0]
    ax.plot(t, ts["ai_displaced_cumulative"], color="black", lw=2, label="displaced by AI (cumulative)")
    ax.bar(t, ts["separations_ai"], color="#d95f02", alpha=0.6, label="displaced in the month")
    ax.set_ylabel("workers")
    ax.set_title("AI displacement")
    ax.legend(loc="upper left", fontsize=8)
    _years(ax)

    ax = axes[0, 1]
    stocks = [ts["displaced_unemployed"], ts["displaced_retraining"], ts["displaced_employed"], ts["displaced_out_of_labor_force"]]
    labels = ["unemployed", "retraining", "re-employed", "out of the labour force"]
    ax.stackplot(t, *stocks, labels=labels, colors=[STATUS_COLORS[k] for k in ("unemployed", "retraining", "employed", "out_of_labor_force")], alpha=0.85)
    ax.set_ylabel("displaced workers")
    ax.set_title("Where the AI-displaced are now")
    ax.legend(loc="upper left", fontsize=8)
    _years(ax)

    ax = axes[1, 0]
    ax.plot(t, ts["retraining_started"], label="started", color="#7570b3")
    ax.plot(t, ts["retraining_completed"], label="completed", color="#1b9e77")
    ax.plot(t, ts["retraining_dropped"], label="dropped out", color="#e7298a")
    ax.plot(t, ts["retraining"], label="in retraining (stock)", color="black", lw=1, ls="--")
    ax.set_ylabel("workers per month / stock")
    ax.set_title("Retraining")
    ax.legend(loc="upper left", fontsize=8)
    _years(ax)

    ax = axes[1, 1]
    for col, label in (("displaced_reemployed_6m_share", "within 6 months"), ("displaced_reemployed_12m_share", "within 12 months"), ("displaced_reemployed_24m_share", "within 24 months")):
        cohort = ts[col.replace("reemployed_", "cohort_").replace("_share", "")]
        ax.plot(t[cohort > 0], 100 * ts.loc[cohort > 0, col], label=label)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of displaced re-employed")
    ax.set_title("Re-employment of the AI-displaced (cohorts old enough)")
    ax.legend(loc="lower right", fontsize=8)
    _years(ax)
    fig.suptitle(f"Displacement and retraining trajectory: {res.scenario} (seed {res.seed})")
    return fig


def market_figure(res: Results) -> Figure:
    """Unemployment, vacancies and stocks by status."""
    ts = res.timeseries
    fig = Figure(figsize=(11, 4), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    t = ts["month"]
    a1.plot(t, 100 * ts["unemployment_rate"], label="unemployment rate", color="#d95f02")
    a1.plot(t, 100 * ts["vacancy_rate"], label="vacancy rate", color="#1b9e77")
    a1.plot(t, 100 * ts["long_term_unemployment_share"], label="long-term share of unemployed", color="#999999", ls="--")
    a1.set_ylabel("%")
    a1.set_title("Unemployment and vacancies")
    a1.legend(fontsize=8)
    _years(a1)
    stocks = [ts["employed"], ts["unemployed"], ts["retraining"], ts["out_of_labor_force"]]
    a2.stackplot(t, *stocks, labels=["employed", "unemployed", "retraining", "out of the labour force"], colors=[STATUS_COLORS[k] for k in ("employed", "unemployed", "retraining", "out_of_labor_force")], alpha=0.85)
    a2.set_ylabel("workers")
    a2.set_title("Population by status")
    a2.legend(loc="lower left", fontsize=8)
    _years(a2)
    fig.suptitle(f"Labour market: {res.scenario}")
    return fig


def wages_figure(res: Results) -> Figure:
    """Mean wage by lane, the AI wage premium, the wage Gini and AI adoption."""
    ts = res.timeseries
    fig = Figure(figsize=(11, 4), layout="constrained")
    a1, a2, a3 = fig.subplots(1, 3)
    t = ts["month"]
    for lane in LANES:
        a1.plot(t, ts[f"mean_wage_{lane}"], label=lane.replace("_", " "), color=LANE_COLORS[lane])
    a1.set_ylabel(f"{(res.config or {}).get('profile', {}).get('currency', 'USD')} per month")
    a1.set_title("Mean wage by lane")
    a1.legend(fontsize=8)
    _years(a1)
    a2.plot(t, 100 * ts["ai_wage_premium"], color="#1b9e77", label="AI wage premium (AI core / traditional - 1)")
    a2.plot(t, 100 * ts["wage_gini"], color="black", ls="--", label="wage Gini x 100")
    a2.set_ylabel("%")
    a2.set_title("AI wage premium and inequality")
    a2.legend(fontsize=8)
    _years(a2)
    a3.plot(t, ts["mean_ai_adoption"], label="mean firm AI adoption", color="#7570b3")
    a3.plot(t, ts["ai_capability"], label="AI capability", color="black", ls=":")
    a3.set_ylim(0, 1)
    a3.set_ylabel("index (0-1)")
    a3.set_title("AI capability and adoption")
    a3.legend(fontsize=8)
    _years(a3)
    fig.suptitle(f"Wages and adoption: {res.scenario}")
    return fig


def occupations_figure(res: Results) -> Figure:
    """Employment per occupation relative to month 0, coloured by lane."""
    bo = res.by_occupation
    fig = Figure(figsize=(11, 4.5), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    wide = bo.pivot(index="month", columns="occupation", values="employed")
    lanes = bo.drop_duplicates("occupation").set_index("occupation")["lane"]
    for occ_name in wide.columns:
        base = wide[occ_name].iloc[0]
        if base > 0:
            a1.plot(wide.index, 100 * wide[occ_name] / base, color=LANE_COLORS[lanes[occ_name]], lw=1)
    for lane in LANES:
        a1.plot([], [], color=LANE_COLORS[lane], label=lane.replace("_", " "))
    a1.axhline(100, color="black", lw=0.5)
    a1.set_ylabel("employment, month 0 = 100")
    a1.set_title("Employment by occupation")
    a1.legend(fontsize=8)
    _years(a1)
    total_ai = bo.groupby("occupation", sort=False)["separations_ai"].sum()
    colors = [LANE_COLORS[lanes[o]] for o in total_ai.index]
    y = np.arange(len(total_ai))
    a2.barh(y, total_ai.to_numpy(), color=colors)
    a2.set_yticks(y, [o.replace("_", " ") for o in total_ai.index], fontsize=8)
    a2.invert_yaxis()
    a2.set_xlabel("workers displaced by AI (whole run)")
    a2.set_title("AI displacement by occupation")
    a2.grid(alpha=0.3, axis="x")
    fig.suptitle(f"Occupations: {res.scenario}")
    return fig


FIGURES = {
    "trajectory.png": trajectory_figure,
    "market.png": market_figure,
    "wages.png": wages_figure,
    "occupations.png": occupations_figure,
}


def save_run_figures(res: Results, out: Path, atomic_write) -> list[Path]:
    """Write every run figure as PNG into ``out``."""
    written = []
    for name, make in FIGURES.items():
        fig = make(res)
        path = Path(out) / name
        atomic_write(path, lambda t, fig=fig: fig.savefig(t, dpi=110, format="png"))
        written.append(path)
    return written
