"""The China page's figures (matplotlib, without pyplot): model median and range over seeds against NBS and the job platforms."""

from __future__ import annotations

import numpy as np

from .china_facts import AGE_GROUPS, CHINA_MONTHS, CRITERIA, DATA, LANES, at, seekers_per_opening
from .figures import figure_row, median_band
from .stats import median_range

COLORS = {"no_ai": "tab:blue", "baseline": "tab:orange"}
MONTHS = np.arange(1, CHINA_MONTHS + 1)


def _calendar_axis(ax, first: int = 1) -> None:
    ticks = [m for m in MONTHS if m >= first and (m - 1) % 6 == 0]
    ax.set_xticks(ticks, [f"{2023 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}" for m in ticks], fontsize=7)
    ax.set_xlim(first - 0.5, CHINA_MONTHS + 0.5)


def _nbs(ax, series: dict[int, float], label: str = "NBS") -> None:
    if not series:
        return
    x = list(range(min(series), max(series) + 1))  # months NBS did not publish break the line
    ax.plot(x, [series.get(m, np.nan) for m in x], "o-", color="black", ms=3.5, lw=1, label=label, zorder=4)


def _scenarios(ax, runs: dict[str, list[dict]], column: str, months) -> None:
    for scenario, rs in runs.items():
        median_band(ax, list(months), [at(r, column, months) for r in rs], COLORS.get(scenario, "grey"), f"model, {scenario}")


def urban_figure(runs: dict[str, list[dict]], nbs: dict):
    """The urban rate month by month: model (median and range over seeds) against NBS, with the acceptance band."""
    fig, ax = figure_row(1, 8.0, 3.8)
    c = CRITERIA["urban_rate"]
    ax.axhspan(c.lo, c.hi, color="grey", alpha=0.12, lw=0, label=f"acceptance band {c.lo:g}-{c.hi:g}%")
    _scenarios(ax, runs, "unemployment_rate", MONTHS)
    _nbs(ax, nbs.get("urban_rate", {}), "NBS urban surveyed rate")
    _calendar_axis(ax)
    ax.set(ylabel="unemployment rate, %")
    ax.legend(fontsize=7)
    return fig


def age_figure(runs: dict[str, list[dict]], nbs: dict):
    """The three age groups month by month from December 2023: model (median and range over seeds) against NBS (students excluded)."""
    fig, axes = figure_row(3, 13.0, 3.8)
    first = 12
    months = MONTHS[MONTHS >= first]
    for ax, (key, col, label) in zip(axes, AGE_GROUPS, strict=True):
        c = CRITERIA[key]
        ax.axhspan(c.lo, c.hi, color="grey", alpha=0.12, lw=0, label=f"acceptance {c.lo:g}-{c.hi:g}%")
        _scenarios(ax, runs, col, months)
        _nbs(ax, nbs.get(key, {}), "NBS, students excluded")
        _calendar_axis(ax, first)
        ax.set(title=f"ages {label}", ylabel="unemployment rate, %" if key == "age_16_24" else None)
    axes[0].legend(fontsize=7)
    return fig


def lanes_figure(runs: dict[str, list[dict]]):
    """Seekers per opening by lane (2024-2025) against Maimai's AI sector and new economy; right: the AI-core / traditional ratio."""
    fig, (ax1, ax2) = figure_row(2, 11.0, 3.8)
    width = 0.8 / max(len(runs), 1)
    for j, (scenario, rs) in enumerate(runs.items()):
        stats = [median_range([seekers_per_opening(r, ln) for r in rs]) for ln in LANES]
        x = np.arange(len(LANES)) + j * width
        med = np.array([s[0] for s in stats])
        err = np.array([[s[0] - s[1] for s in stats], [s[2] - s[0] for s in stats]])
        ax1.bar(x, med, width, yerr=err, color=COLORS.get(scenario, "grey"), label=f"model, {scenario}", capsize=3)
        ratio = median_range([seekers_per_opening(r, "ai_core") / seekers_per_opening(r, "traditional") for r in rs])
        ax2.bar(j, ratio[0], 0.6, yerr=[[ratio[0] - ratio[1]], [ratio[2] - ratio[0]]], color=COLORS.get(scenario, "grey"), capsize=3)
    ax1.axhspan(1.0, 1.33, color="tab:green", alpha=0.2, lw=0, label="Maimai AI sector 1.0-1.33")
    ax1.axhspan(2.41, 2.58, color="tab:red", alpha=0.2, lw=0, label="Maimai new economy net of AI roles 2.41-2.58")
    ax1.set_xticks(np.arange(len(LANES)) + width * (len(runs) - 1) / 2, [ln.replace("_", "-") for ln in LANES])
    ax1.set(ylabel="unemployed per vacancy, 2024-2025")
    ax1.legend(fontsize=7)
    ax2.axhline(CRITERIA["seekers_per_opening_ratio_ai_core_traditional"].hi, color="grey", ls="--", lw=1, label="pass: at most 0.5")
    ratio = DATA["seekers_per_opening_ratio_ai_core_traditional"]
    ax2.axhline(ratio, color="black", lw=1, label=f"Maimai: {ratio:.2f}")
    ax2.set_xticks(range(len(runs)), list(runs))
    ax2.set(ylabel="AI-core / traditional seekers per opening")
    ax2.legend(fontsize=7)
    return fig


def pay_figure(runs: dict[str, list[dict]]):
    """The AI pay ratio month by month against Maimai (1.36) and Liepin (1.6)."""
    fig, ax = figure_row(1, 8.0, 3.6)
    for scenario, rs in runs.items():
        rows = [at(r, "mean_wage_ai_core", MONTHS) / at(r, "mean_wage_traditional", MONTHS) for r in rs]
        median_band(ax, MONTHS, rows, COLORS.get(scenario, "grey"), f"model, {scenario}", scale=1.0)
    c = CRITERIA["ai_pay_ratio"]
    ax.axhspan(c.lo, c.hi, color="grey", alpha=0.12, lw=0, label=f"pass band {c.lo:.2f}-{c.hi:.2f}")
    ax.axhline(DATA["ai_pay_ratio"], color="black", lw=1, label=f"Maimai 2025: {DATA['ai_pay_ratio']:.2f}")
    ax.axhline(1.6, color="black", ls=":", lw=1, label="Liepin 2023: 1.6 (context)")
    _calendar_axis(ax)
    ax.set(ylabel="mean AI-core wage / mean traditional wage")
    ax.legend(fontsize=7)
    return fig


def graduates_figure(runs: dict[str, list[dict]]):
    """Graduates a year per employed, by year, against the economy-wide 1.6% (MoE over NBS, 2024)."""
    fig, ax = figure_row(1, 6.5, 3.6)
    years = (2023, 2024, 2025)
    width = 0.8 / max(len(runs), 1)
    for j, (scenario, rs) in enumerate(runs.items()):
        vals = [[100 * at(r, "graduates", range(12 * i + 1, 12 * i + 13)).sum() / at(r, "employed", range(12 * i + 1, 12 * i + 13)).mean()
                 for r in rs] for i in range(len(years))]
        stats = [median_range(v) for v in vals]
        ax.bar(np.arange(len(years)) + j * width, [s[0] for s in stats], width, color=COLORS.get(scenario, "grey"), label=f"model, {scenario}",
               yerr=[[s[0] - s[1] for s in stats], [s[2] - s[0] for s in stats]], capsize=3)
    ax.axhline(100 * DATA["graduates_per_employed"], color="black", lw=1, label=f"China, all sectors, 2024: {DATA['graduates_per_employed']:.1%}")
    ax.set_xticks(np.arange(len(years)) + width * (len(runs) - 1) / 2, [str(y) for y in years])
    ax.set(ylabel="graduates a year per employed, %")
    ax.legend(fontsize=7)
    return fig
