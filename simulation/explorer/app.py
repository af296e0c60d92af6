"""The explorer page: Mesa's SolaraViz around :class:`~simulation.explorer.model.ExplorerModel`.

Served by ``laborshift-explore`` (``solara run simulation.explorer.app``). The
sidebar holds Mesa's Reset / Play / Step controls and the model's parameters;
the page shows the trajectory so far, redrawn after every step. Figures are
drawn from the model's own preallocated series (:mod:`simulation.results`),
so the page needs no DataCollector.

With ``regions=china_us`` the four trajectory panels show one region (the
``region`` control, or the region buttons of the status card while the run
goes on), and two more panels show what passes between the regions: the
migrants who arrived, by destination and direction, and the shown region's
share of each shared sector's market.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import solara
from matplotlib.figure import Figure

from ..composition import scenario_names
from ..regions import REGION_COLUMNS, regions_names
from ..results import TIMESERIES_COLUMNS
from .launch import REGIONS_ENV
from .model import LEVER_CHOICES, LEVERS, ExplorerModel, region_names

# Mesa's own ComponentsView trips Solara's rules-of-hooks check when Mesa's module loads; the page is not affected
warnings.filterwarnings("ignore", message=r".*ComponentsView: `use_state` found despite early return", category=UserWarning)
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

COLUMN = {name: i for i, name in enumerate(TIMESERIES_COLUMNS)}
FLOW = {name: i for i, name in enumerate(REGION_COLUMNS)}
REGIONS_CHOICES = ["none", *[r for r in regions_names() if r != "none"]]
REGION_CHOICES = list(dict.fromkeys(name for regions in REGIONS_CHOICES for name in region_names(regions)))
START_REGIONS = os.environ.get(REGIONS_ENV, "none")  # laborshift-explore --regions ...

# the page's controls: Mesa rebuilds ExplorerModel(**values) on Reset
MODEL_PARAMS = {
    "preset": {"type": "Select", "value": "baseline", "values": scenario_names(), "label": "Scenario"},
    "regions": {"type": "Select", "value": START_REGIONS, "values": REGIONS_CHOICES, "label": "Regions"},
    "region": {"type": "Select", "value": REGION_CHOICES[0], "values": REGION_CHOICES, "label": "Region shown"},
    "workers": {"type": "SliderInt", "value": 5_000, "min": 1_000, "max": 20_000, "step": 1_000, "label": "Workers"},
    "months": {"type": "SliderInt", "value": 120, "min": 24, "max": 240, "step": 12, "label": "Months"},
    "seed": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1, "label": "Seed"},
    "capability_growth_x": {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 3.0, "step": 0.1,
                            "label": "AI growth ×"},
    "adoption_speed_x": {"type": "SliderFloat", "value": 1.0, "min": 0.25, "max": 4.0, "step": 0.25,
                         "label": "Adoption speed ×"},
    "adoption_cost_x": {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 3.0, "step": 0.1, "label": "Adoption cost ×"},
    "automation_strength_x": {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 1.0, "step": 0.05,
                              "label": "Automation ×"},
    "retraining_subsidy": {"type": "Select", "value": "scenario", "values": list(LEVER_CHOICES), "label": "Retraining subsidy"},
    "retraining_cost_share": {"type": "SliderFloat", "value": 0.5, "min": 0.0, "max": 1.0, "step": 0.05,
                              "label": "Retraining share"},
    "retraining_seats_per_1000": {"type": "SliderFloat", "value": 2.0, "min": 0.0, "max": 10.0, "step": 0.5,
                                  "label": "Retraining seats/1,000"},
    "hiring_subsidy": {"type": "Select", "value": "scenario", "values": list(LEVER_CHOICES), "label": "Hiring subsidy for displaced workers"},
    "adoption_subsidy": {"type": "Select", "value": "scenario", "values": list(LEVER_CHOICES), "label": "AI adoption subsidy"},
    "automation_tax": {"type": "Select", "value": "scenario", "values": list(LEVER_CHOICES), "label": "Automation tax"},
    "unemployment_insurance": {"type": "Select", "value": "scenario", "values": list(LEVER_CHOICES), "label": "Unemployment insurance"},
}


# posted during the month (step 5), so month 0 has none: plotted from month 1
FROM_MONTH_1 = ("vacancies", "vacancy_rate")


def series(model: ExplorerModel, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Months and values of one time-series column recorded so far (from month 1 for vacancies)."""
    rows = model.recorder.rows
    first = 1 if name in FROM_MONTH_1 else 0
    ts = model.recorder.ts
    return ts[first:rows, COLUMN["month"]], ts[first:rows, COLUMN[name]]


def panel_figure(model: ExplorerModel, panel: str) -> Figure:
    """One panel of the page as a matplotlib Figure, the x axis spanning the whole horizon."""
    fig = Figure(figsize=(6.4, 3.6), dpi=100)  # a fixed layout: constrained layout doubles the drawing time of every step
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.13, top=0.91)
    ax = fig.subplots()
    per_1000 = 1000.0 / model.initial_population
    if panel == "labour":
        for name, label, color in (("unemployment_rate", "unemployment rate", "#d95f02"), ("vacancy_rate", "vacancy rate", "#1b9e77")):
            t, y = series(model, name)
            ax.plot(t, 100 * y, label=label, color=color, lw=2)
        ax.set_ylabel("%")
        ax.set_title("Unemployment and vacancies")
    elif panel == "displacement":
        for name, label, color in (("ai_displaced_cumulative", "displaced by AI (cumulative)", "black"),
                                   ("retraining", "in retraining", "#7570b3"), ("displaced_unemployed", "displaced, still unemployed", "#d95f02"),
                                   ("vacancies", "vacancies", "#1b9e77")):
            t, y = series(model, name)
            ax.plot(t, y * per_1000, label=label, color=color, lw=2)
        ax.set_ylabel("per 1,000 workers at month 0")
        ax.set_title("AI displacement, retraining and vacancies")
    elif panel == "adoption":
        for name, label, color in (("ai_capability", "AI capability", "#7570b3"), ("mean_ai_adoption", "mean AI adoption of firms", "black")):
            t, y = series(model, name)
            ax.plot(t, y, label=label, color=color, lw=2)
        ax.set_ylim(0, 1)
        ax.set_ylabel("index 0-1")
        ax.set_title("AI capability and adoption")
    elif panel == "wages":
        t, y = series(model, "ai_wage_premium")
        ax.plot(t, 100 * y, label="AI wage premium (AI-core over traditional)", color="#1b9e77", lw=2)
        ax.set_ylabel("%")
        ax.set_title("AI wage premium")
    elif panel in CROSS_REGION:
        if model.regional is None:
            raise ValueError(f"panel: got {panel!r}, a cross-region panel; allowed: with regions other than none")
        CROSS_REGION[panel](model, ax)
    else:
        raise ValueError(f"panel: got {panel!r}; allowed: labour, displacement, adoption, wages, {', '.join(CROSS_REGION)}")
    if model.recorder.rows == 1:  # month 0 alone: show the starting point
        for line in ax.get_lines():
            line.set_marker("o")
    ax.set_xlim(0, model.cfg.months)
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _migration(model: ExplorerModel, ax) -> None:
    """Migrants who arrived in each region so far, by direction (returning home, or not), by month of arrival."""
    rows = model.month + 1
    flows = model.flow_history[:rows].cumsum(axis=0)
    t = np.arange(rows)
    for r, name in enumerate(model.names):
        returns = flows[:, r, FLOW["returns_in"]]
        ax.plot(t, flows[:, r, FLOW["migrants_in"]] - returns, label=f"into {name}: not returning home", lw=2, color=PALETTE[r])
        ax.plot(t, returns, label=f"into {name}: returning home", lw=2, ls="--", color=PALETTE[r])
    ax.set_ylabel("migrants so far")
    ax.set_title("Migrants between the regions (cumulative, by month of arrival)")


def _market(model: ExplorerModel, ax) -> None:
    """The shown region's share of each shared sector's market (the product market between the regions)."""
    r = model.names.index(model.region)
    shared = model.regional.shared
    sectors = np.asarray(model.shown.sectors.names)
    t = np.arange(model.month + 1)
    for k, s in enumerate(np.flatnonzero(shared)):
        ax.plot(t, 100 * model.share_history[: t.size, r, s], label=str(sectors[s]), lw=2, color=PALETTE[k % len(PALETTE)])
    ax.axhline(100 * model.regional.s0[r], color="#999", lw=1, ls=":")
    ax.set_ylabel("%")
    ax.set_title(f"{model.region}'s market share in the shared sectors")


PALETTE = ("#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
CROSS_REGION = {"migration": _migration, "market": _market}  # panels of a regional run only
ONE_REGION_NOTE = {"migration": "Migrants between regions: choose Regions china_us and press Reset.",
                   "market": "Market shares between regions: with Regions china_us."}


@solara.component
def Panel(model: ExplorerModel, panel: str):
    """A trajectory panel, redrawn after every step (a cross-region panel: a note in a one-region run)."""
    update_counter.get()
    if panel in CROSS_REGION and model.regional is None:
        solara.Text(ONE_REGION_NOTE[panel], style={"font-size": "0.85em", "color": "#555"})
        return
    solara.FigureMatplotlib(panel_figure(model, panel), format="png", dependencies=[model, model.month, model.region])


def settings_text(model: ExplorerModel) -> str:
    """The run's effective AI settings and the policy levers that are on (the sliders show no numbers)."""
    ai, pol = model.cfg.ai, model.cfg.policy
    levers = [name.replace("_", " ") for name in LEVERS.values() if getattr(pol, name).enabled]
    if pol.retraining_subsidy.enabled:
        rs = pol.retraining_subsidy
        levers[levers.index("retraining subsidy")] = f"retraining subsidy ({rs.cost_share:.0%} of cost, {rs.seats_per_1000:g} seats/1,000)"
    return (
        f"AI growth {ai.capability_growth:.3g}/month; adoption revision rate {ai.adoption_revision_rate:.3g}/month; "
        f"adoption cost {ai.adoption_cost:.3g}; automation strength {ai.automation_strength:.3g}. "
        f"Levers on: {', '.join(levers) if levers else 'none'}."
    )


@solara.component
def Status(model: ExplorerModel):
    """What is running: scenario, month, headline numbers, the effective settings, and how the controls act."""
    update_counter.get()
    cfg = model.cfg
    _, u = series(model, "unemployment_rate")
    _, disp = series(model, "ai_displaced_cumulative")
    _, train = series(model, "retraining")
    where = "" if model.regional is None else f" ({model.region})"
    with solara.Card(f"Scenario {cfg.scenario}: month {model.month} of {cfg.months}{where}"):
        solara.Text(cfg.description.strip(), style={"font-size": "0.9em"})
        if model.regional is not None:
            RegionButtons(model)
        with solara.Column(gap="4px", style={"margin-top": "8px"}):
            solara.Text(
                f"{model.population:,} workers; unemployment {100 * u[-1]:.1f}%; "
                f"{int(disp[-1]):,} displaced by AI so far; {int(train[-1]):,} in retraining.",
                classes=["laborshift-status"],
            )
            solara.Text(settings_text(model), style={"font-size": "0.85em"})
            solara.Text(
                "Sliders marked × multiply the scenario's own value (1 keeps it); a lever left at 'scenario' keeps "
                "the scenario's setting. Change the controls, then press Reset.",
                style={"font-size": "0.8em", "color": "#555"},
            )


@solara.component
def RegionButtons(model: ExplorerModel):
    """Buttons that switch the region the panels show, while the run goes on; the migrants so far."""
    update_counter.get()  # redrawn after every step, as the panels

    def pick(region: str) -> None:
        model.show(region)
        update_counter.value += 1  # redraw every panel, as Mesa does after a step

    arrived = model.flow_history[: model.month + 1, :, FLOW["migrants_in"]].sum(axis=0)
    with solara.Row(style={"align-items": "center", "margin-top": "6px"}):
        solara.Text(f"Regions {model.controls['regions']}, shown:", style={"font-size": "0.9em"})
        solara.ToggleButtonsSingle(value=model.region, values=model.names, on_value=pick)
        solara.Text("; ".join(f"{int(n):,} migrants arrived in {name}" for name, n in zip(model.names, arrived, strict=True)),
                    style={"font-size": "0.85em"}, classes=["laborshift-migrants"])


def _labour(model):
    return Panel(model, "labour")


def _displacement(model):
    return Panel(model, "displacement")


def _adoption(model):
    return Panel(model, "adoption")


def _wages(model):
    return Panel(model, "wages")


def _migrants(model):
    return Panel(model, "migration")


def _market_share(model):
    return Panel(model, "market")


COMPONENTS = [(Status, 0), (_labour, 0), (_displacement, 0), (_adoption, 0), (_wages, 0), (_migrants, 0), (_market_share, 0)]

model = ExplorerModel(regions=START_REGIONS)
page = SolaraViz(model, components=COMPONENTS, model_params=MODEL_PARAMS, name="laborshift explorer: AI and the tech labour market")
