"""The validation page's figures (matplotlib, without pyplot): one per fact, from the runs and the fact's per-seed measurements."""

from __future__ import annotations

import numpy as np

from ..state import EMPLOYED, OUT_OF_LABOR_FORCE, RETRAINING, UNEMPLOYED
from .facts import FLOW_ROWS, percent
from .settings import BURN_IN, PANEL_MONTHS, TRAINING_MONTHS
from .stats import median_range, monthly_flow_rates, status_shares_by_month
from .targets import EMPIRICAL, value


def figure_row(ncols: int = 2, width: float = 11.0, height: float = 4.2):
    """A figure with ``ncols`` axes side by side (constrained layout)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(1, ncols)


def median_band(ax, x, rows, color, label, scale=100.0):
    """The median over rows as a line and their range as a band (values times ``scale``)."""
    import warnings

    arr = scale * np.asarray(rows, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med, lo, hi = np.nanmedian(arr, axis=0), np.nanmin(arr, axis=0), np.nanmax(arr, axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=0.2, lw=0)
    ax.plot(x, med, color=color, lw=2, label=label)


def beveridge_figure(runs: list[dict]):
    """Left: the u-v path of the first seed. Right: both rates over the cycle (median and range over seeds) and the demand index."""
    fig, (ax1, ax2) = figure_row()
    ts = runs[0]["timeseries"]
    u, v = 100 * ts["unemployment_rate"][BURN_IN + 1 :], 100 * ts["vacancy_rate"][BURN_IN + 1 :]
    pts = ax1.scatter(u, v, c=np.arange(u.size) + BURN_IN + 1, cmap="viridis", s=14, zorder=3)
    ax1.plot(u, v, color="grey", lw=0.8, alpha=0.7)
    for i in range(0, u.size - 3, 6):
        ax1.annotate("", xy=(u[i + 3], v[i + 3]), xytext=(u[i], v[i]), arrowprops={"arrowstyle": "->", "color": "black", "lw": 0.8})
    fig.colorbar(pts, ax=ax1, label="month")
    ax1.set_xlabel("unemployment rate (%)")
    ax1.set_ylabel("vacancy rate (%)")
    ax1.set_title(f"Beveridge curve, seed {runs[0]['seed']}")
    ax1.grid(alpha=0.3)
    months = ts["month"]
    median_band(ax2, months, [r["timeseries"]["unemployment_rate"] for r in runs], "#d95f02", "unemployment rate")
    median_band(ax2, months, [r["timeseries"]["vacancy_rate"] for r in runs], "#1b9e77", "vacancy rate")
    ax3 = ax2.twinx()
    ax3.plot(months, ts["demand_cycle"], color="black", lw=1, ls="--", label="demand (right axis)")
    ax3.set_ylabel("demand index")
    ax2.set_xlabel("month")
    ax2.set_ylabel("%")
    ax2.set_ylim(bottom=0)
    ax2.set_title(f"Over the cycle: median and range over {len(runs)} seeds")
    ax2.legend(loc="upper left", fontsize=8)
    ax3.legend(loc="upper right", fontsize=8)
    ax2.grid(alpha=0.3)
    return fig


def matching_figure(runs: list[dict], est: dict):
    """Left: log hires against the fitted matching function, first seed. Right: the elasticities per seed (``est``: pooled, fe)."""
    pooled, fe = est["pooled"], est["fe"]
    fig, (ax1, ax2) = figure_row()
    r0 = runs[0]
    h, uu, vv = r0["hires_u"][BURN_IN:], r0["searchers"][BURN_IN:], r0["vacancies"][BURN_IN:]
    ok = (h > 0) & (uu > 0) & (vv > 0)
    p0 = pooled[0]
    X = np.column_stack([np.ones(ok.sum()), np.log(uu[ok]), np.log(vv[ok])])
    coef = np.linalg.lstsq(X, np.log(h[ok]), rcond=None)[0]
    ax1.scatter(X @ coef, np.log(h[ok]), s=6, alpha=0.4, color="#7570b3")
    lim = [min((X @ coef).min(), np.log(h[ok]).min()), max((X @ coef).max(), np.log(h[ok]).max())]
    ax1.plot(lim, lim, color="black", lw=1)
    ax1.set_xlabel(f"fitted: {coef[0]:.2f} + {p0['u']:.2f} log U + {p0['v']:.2f} log V")
    ax1.set_ylabel("log hires from unemployment")
    ax1.set_title(f"Occupation-months, seed {r0['seed']} ({p0['cells']} cells)")
    ax1.grid(alpha=0.3)
    lo, hi = EMPIRICAL["matching_u_elasticity"].band
    ax2.axhspan(lo, hi, color="#d95f02", alpha=0.15, label=f"unemployment elasticity, survey range {lo}-{hi}")
    ax2.axhline(1.0, color="black", lw=0.8, ls=":", label="constant returns (sum = 1)")
    xs = np.arange(3)
    for j, (ests, lab, mk) in enumerate(((pooled, "pooled OLS", "o"), (fe, "occupation fixed effects", "s"))):
        vals = np.array([[p["u"] for p in ests], [p["v"] for p in ests], [p["rts"] for p in ests]])
        for i in range(3):
            ax2.scatter(
                np.full(len(vals[i]), xs[i] + (j - 0.5) * 0.25),
                vals[i],
                marker=mk,
                color=["#d95f02", "#1b9e77", "black"][i],
                alpha=0.7,
                label=lab if i == 0 else None,
                facecolors="none" if j else None,
            )
    ax2.set_xticks(xs, ["on log U", "on log V", "sum"])
    ax2.set_ylabel("elasticity")
    ax2.set_title(f"Estimates per seed ({len(runs)} seeds)")
    ax2.legend(fontsize=7, loc="upper left")
    ax2.grid(alpha=0.3)
    return fig


def flows_figure(runs: list[dict], data: dict):
    """Left: mean monthly flows against JOLTS (``data["rates"]``: flow rates per seed). Right: hires and separations by month."""
    rates = data["rates"]
    fig, (ax1, ax2) = figure_row()
    xs = np.arange(len(FLOW_ROWS))
    for i, (key, _label) in enumerate(FLOW_ROWS):
        med_, lo, hi = median_range([x[key] for x in rates])
        ax1.bar(
            i - 0.18,
            100 * med_,
            width=0.35,
            color="#7570b3",
            label="model (median, range)" if i == 0 else None,
            yerr=[[100 * (med_ - lo)], [100 * (hi - med_)]],
            capsize=3,
        )
        ax1.bar(i + 0.18, 100 * value(key), width=0.35, color="#999999", label="US JOLTS, Sept 2024" if i == 0 else None)
    ax1.set_xticks(xs, ["hires", "separations", "quits", "layoffs", "openings\nrate"])
    ax1.set_ylabel("% of employment a month (openings: % of jobs)")
    ax1.set_title("Flows, baseline")
    ax1.legend(fontsize=8)
    ax1.grid(alpha=0.3, axis="y")
    months = runs[0]["timeseries"]["month"][1:]
    for key, col in (("hires", "#1b9e77"), ("separations", "#d95f02")):
        median_band(ax2, months, [monthly_flow_rates(r["timeseries"], key) for r in runs], col, key)
    ax2.axhline(100 * value("hires"), color="#1b9e77", ls=":", lw=1, label=f"JOLTS hires {percent('hires')}")
    ax2.axhline(100 * value("separations"), color="#d95f02", ls=":", lw=1, label=f"JOLTS separations {percent('separations')}")
    ax2.set_xlabel("month")
    ax2.set_ylabel("% of employment")
    ax2.set_title(f"Monthly rates, median and range over {len(runs)} seeds")
    ax2.legend(fontsize=8)
    ax2.grid(alpha=0.3)
    return fig


def displaced_figure(runs: list[dict], data: dict):
    """Left: status of displaced workers by months since displacement, with the DWS shares. Right: their earnings (``data``)."""
    fig, (ax1, ax2) = figure_row()
    k = np.arange(PANEL_MONTHS + 1)
    shares = np.array([status_shares_by_month(r["panel_counts"]) for r in runs])
    for s, col, lab in (
        (EMPLOYED, "#1b9e77", "employed"),
        (UNEMPLOYED, "#d95f02", "unemployed"),
        (RETRAINING, "#7570b3", "retraining"),
        (OUT_OF_LABOR_FORCE, "#999999", "out of the labour force"),
    ):
        median_band(ax1, k[1:], shares[:, 1:, s], col, lab)
    for key, col, lab in (
        ("displaced_employed", "#1b9e77", "DWS Jan 2024: employed"),
        ("displaced_unemployed", "#d95f02", "DWS: unemployed"),
        ("displaced_out_of_labor_force", "#999999", "DWS: out of the labour force"),
    ):
        ax1.scatter([18], [100 * value(key)], marker="*", s=120, color=col, edgecolor="black", zorder=5, label=f"{lab} {percent(key)}")
    ax1.set_xlabel("months since displacement (DWS: about 1-36)")
    ax1.set_ylabel("% of displaced workers")
    ax1.set_ylim(0, 100)
    ax1.set_title("Status of AI-displaced workers, baseline")
    ax1.legend(fontsize=7, loc="center right")
    ax1.grid(alpha=0.3)
    med_wage = median_range(data["wage_change"])[0]
    loss = value("displaced_earnings_change")
    median_band(ax2, k[1:], data["earnings"][:, 1:], "black", "earnings / wage in the lost job (0 when not employed)")
    ax2.axhline(100 * (1 + loss), color="#d95f02", ls=":", label=f"JLS 1993: about {-100 * loss:.0f}% below, long run")
    ax2.axhline(100 * (1 + med_wage), color="#1b9e77", ls="--", lw=1, label=f"model: wage at re-employment ({100 * med_wage:+.0f}%)")
    ax2.set_xlabel("months since displacement")
    ax2.set_ylabel("% of pre-displacement wage")
    ax2.set_ylim(0, 130)
    ax2.set_title("Earnings after displacement")
    ax2.legend(fontsize=7, loc="lower right")
    ax2.grid(alpha=0.3)
    return fig


def training_figure(runs: list[dict], data: dict):
    """Seat-lottery winners and losers by months since the lottery, and the contrast between them.

    Left: employment (and training) of winners and losers. Right: winners minus losers (intention to treat) in employment and
    earnings, from ``data`` (:func:`.facts.training_measures`).
    """
    fig, (ax1, ax2) = figure_row()
    k = np.arange(TRAINING_MONTHS + 1)
    sums = np.array([r["lottery"] for r in runs])  # (seed, k, group, measure)
    n = np.maximum(sums[..., 0], 1)
    for g, color, label in ((0, "#7570b3", "winners"), (1, "#999999", "losers")):
        median_band(ax1, k, sums[:, :, g, 1] / n[:, :, g], color, f"{label}: employed")
        ax1.plot(k, 100 * np.median(sums[:, :, g, 3] / n[:, :, g], axis=0), color=color, ls="--", lw=1.2, label=f"{label}: in training")
    ax1.set_xlabel("months since the lottery")
    ax1.set_ylabel("% of entrants")
    ax1.set_ylim(0, 100)
    ax1.set_title("Seat-lottery winners and losers")
    ax1.legend(fontsize=8)
    ax1.grid(alpha=0.3)
    losers_earn = np.maximum(sums[:, :, 1, 2] / n[:, :, 1], 1e-9)
    median_band(ax2, k, data["effect"], "black", "employment (points)")
    median_band(ax2, k, data["earnings_effect"] / losers_earn, "#d95f02", "earnings (% of the losers')")
    ax2.axhline(0, color="black", lw=0.8)
    for lo_, hi_, lab in ((0, 12, "short run"), (12, 24, "medium run"), (24, 36, "long run")):
        ax2.axvspan(lo_, hi_, alpha=0.06 if lo_ % 24 == 0 else 0.0, color="black")
        ax2.text((lo_ + hi_) / 2, ax2.get_ylim()[1] * 0.9, lab, ha="center", fontsize=8)
    ax2.set_xlabel("months since the lottery")
    ax2.set_ylabel("winners minus losers")
    ax2.set_title(f"Intention to treat, median and range over {len(runs)} seeds")
    ax2.legend(fontsize=8, loc="lower right")
    ax2.grid(alpha=0.3)
    return fig


def ai_figure(base: list[dict], push: list[dict]):
    """Left: the AI wage premium in baseline and national_ai_push. Right: mean AI adoption; both against the surveys."""
    fig, (ax1, ax2) = figure_row()
    colors = {"baseline": "#1b9e77", "national_ai_push": "#d95f02"}
    for name, runs in (("baseline", base), ("national_ai_push", push)):
        m = runs[0]["timeseries"]["month"]
        median_band(ax1, m, [r["timeseries"]["ai_wage_premium"] for r in runs], colors[name], name)
        median_band(ax2, m, [r["timeseries"]["mean_ai_adoption"] for r in runs], colors[name], name)
    pwc = percent("ai_wage_premium", 0)
    ax1.axhline(100 * value("ai_wage_premium"), color="black", ls=":", lw=1, label=f"PwC 2025: AI-skill premium {pwc} (2024)")
    ax1.axhline(100 * value("ai_wage_premium_china"), color="grey", ls="--", lw=1, label="Liepin H1 2023: gen-AI vs EV pay, about +80%")
    ax1.set_xlabel("month")
    ax1.set_ylabel("% (AI-core over traditional mean wage)")
    ax1.set_title("AI wage premium")
    ax1.legend(fontsize=7)
    ax1.grid(alpha=0.3)
    eu24, eu23 = percent("ai_adoption_2024"), percent("ai_adoption_2023")
    ax2.axhline(100 * value("ai_adoption_2024"), color="black", ls=":", lw=1, label=f"Eurostat: {eu24} of EU firms used AI (2024)")
    ax2.axhline(100 * value("ai_adoption_2023"), color="grey", ls="--", lw=1, label=f"Eurostat: {eu23} (2023)")
    ax2.set_xlabel("month")
    ax2.set_ylabel("% (mean adoption)")
    ax2.set_ylim(0, 100)
    ax2.set_title("AI adoption")
    ax2.legend(fontsize=7)
    ax2.grid(alpha=0.3)
    return fig
