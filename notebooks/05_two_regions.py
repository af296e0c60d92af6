# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Two regions: a talent market and a product market shared by China and the US
#
# Notebooks 01-04 model one closed market. Here two run side by side, China and the US, each
# with its own calibrated profile (workers, firms, wages, currency, policy levers), joined by two
# channels (`docs/REGIONS.md`):
#
# * **talent**: workers, AI-core workers above all, move to the other region when the move is worth
#   more than it costs (the wage gap in purchasing power, a migration cost, a pull towards home,
#   return incentives), within the destination's visa quota; a move into one's home region is a
#   *return*, any other an *emigration*;
# * **products**: in the sectors both serve (internet platforms, semiconductors, cloud, consumer
#   apps, manufacturing) a region's AI adoption lowers its firms' costs and wins it market share,
#   which moves labour demand in the *other* region.
#
# Three stories, each a scenario:
#
# * `global_race`: both regions adopt AI faster, China with its national push;
# * `chip_controls`: the same race, but China's AI capability grows more slowly and its AI
#   infrastructure costs more;
# * `talent_return`: the race, plus an incentive for China's diaspora to come home.
#
# The runs are small (3,000 workers a region, 60 months, 3 replications), so the notebook runs in
# about a minute; flows of a few workers are noisy at this size. The command line runs the same
# comparison at any size and writes a report (section 5).

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from simulation.regions import load_regions
from simulation.regions_compare import compare_regions

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)

SCENARIOS = ["global_race", "chip_controls", "talent_return"]
COLORS = {"global_race": "black", "chip_controls": "#d95f02", "talent_return": "#1b9e77"}
WORKERS = 3_000  # a region (times its size: 1 for both in china_us)
MONTHS = 60
REPLICATIONS = 3

rc = load_regions("china_us")
for name, spec in rc.members.items():
    print(f"{name}: profile {spec.profile}, size {spec.size}, visa quota {spec.visa_quota} a month per 1,000 workers")
print(f"shared sectors: {', '.join(rc.shared_sectors)}; trade elasticity {rc.trade_elasticity}")

# %% [markdown]
# ## 1. Run the comparison
#
# `compare_regions` runs every scenario `REPLICATIONS` times. Replication *i* of every scenario gets
# the same seed, which spawns each region's seed and the talent channel's: the scenarios share their
# random numbers (common random numbers, as in notebook 02), so their differences are mostly the
# scenario, not luck. Replication *i* also draws each profile's calibrated parameters (China's and
# the US's, from their calibration records), so the bands include the parameters' uncertainty; one
# seed also runs at the point estimates (`noise_replications=1`), for the widths without it
# (`comp.widths`).

# %%
comp = compare_regions("china_us", SCENARIOS, replications=REPLICATIONS, workers=WORKERS, months=MONTHS, seed=0, progress=False,
                       noise_replications=1)
CURRENCY = comp.currencies  # each region's own currency, from its profile
print(f"{len(SCENARIOS)} scenarios x {REPLICATIONS} replications in {comp.wall_time_s:.0f} s; money: {CURRENCY}")
print({name: table.shape for name, table in comp.tables().items()})


# %%
def fan(ax, table, scale=1.0, **keys):
    """Median (line) and 90% band of the median per scenario, from a bands table filtered by ``keys``."""
    for s in SCENARIOS:
        sel = table[table["scenario"] == s]
        for k, v in keys.items():
            sel = sel[sel[k] == v]
        sel = sel.sort_values("month")
        ax.fill_between(sel["month"], scale * sel["lo"], scale * sel["hi"], color=COLORS[s], alpha=0.25, lw=0)
        ax.plot(sel["month"], scale * sel["median"], color=COLORS[s], lw=1.8, label=s)
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)


# %% [markdown]
# ## 2. Each region's trajectory
#
# AI-core employment, unemployment and the mean wage, each region in its own currency:

# %%
fig, axes = plt.subplots(2, 3, figsize=(15, 7.5), layout="constrained")
for row, region in zip(axes, comp.regions, strict=True):
    fan(row[0], comp.bands, region=region, metric="employed_ai_core")
    row[0].set(title=f"{region}: employed in AI-core occupations", ylabel="workers")
    fan(row[1], comp.bands, 100, region=region, metric="unemployment_rate")
    row[1].set(title=f"{region}: unemployment rate", ylabel="%")
    fan(row[2], comp.bands, region=region, metric="mean_wage")
    row[2].set(title=f"{region}: mean monthly wage", ylabel=f"{CURRENCY[region]} a month")
axes[0, 0].legend()
fig.suptitle(f"Median and 90% band of {REPLICATIONS} replications ({WORKERS:,} workers a region)")
plt.show()

# %% [markdown]
# The summary table holds each region's indicators per scenario, with the paired difference against
# `global_race` on the same seeds (`vs_first_*`). AI-core employment growth (last month over month 0):

# %%
growth = comp.summary[comp.summary["indicator"] == "employed_ai_core_growth"]
display(growth.pivot(index="scenario", columns="region", values=["median", "vs_first_median"]).reindex(SCENARIOS).round(3))

# %% [markdown]
# Chip controls slow China's AI: its firms adopt less and its AI-core employment grows more slowly
# than in the race (the paired difference above; at 5,000 workers a region and 96 months,
# `tests/test_regions.py` measures x2.33 against x3.28). With three replications of 3,000 workers the
# band of that difference is wide; the product market's response, next, is clear at any size.
#
# ## 3. Shared product markets
#
# Each region starts with its size's share (50% each). A region whose AI lowers its costs more wins
# share, and its firms' demand in that sector rises by `trade_exposure` times the relative gain:

# %%
shared = comp.shared_sectors
fig, axes = plt.subplots(1, len(shared), figsize=(3.4 * len(shared), 3.8), layout="constrained", sharey=True)
for ax, sector in zip(axes, shared, strict=True):
    fan(ax, comp.market_share, 100, region="china", sector=sector, metric="share")
    ax.axhline(50, color="grey", lw=0.8)
    ax.set(title=sector)
axes[0].set(ylabel="China's market share, %")
axes[0].legend()
plt.show()
last = comp.market_share[(comp.market_share["month"] == MONTHS) & (comp.market_share["region"] == "china")]
display(last.pivot_table(index="sector", columns=["metric", "scenario"], values="median").round(4))

# %% [markdown]
# Under chip controls China's costs fall less, so the US wins share in every shared sector, and US
# firms' demand there rises: a policy aimed at one region's AI moves the other region's labour market.
# The return incentive changes no one's AI, and its shares are the race's.
#
# ## 4. Talent flows
#
# Migrants over the five years by route, direction and lane (median and 90% band):

# %%
lanes = comp.flows[comp.flows["dimension"] == "lane"]
flows = lanes[lanes.groupby(["from", "to", "direction", "group"])["hi"].transform("max") > 0]  # the routes some run used
display(flows.pivot_table(index=["from", "to", "direction", "group"], columns="scenario", values="median")[SCENARIOS])

fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
for ax, region in zip(axes, comp.regions, strict=True):
    fan(ax, comp.net_ai_core, region=region)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set(title=f"net AI-core inflow into {region}, cumulative", ylabel="workers")
axes[0].legend()
plt.show()

# %% [markdown]
# AI-core workers leave China for the US, where their work is worth more in purchasing power, as fast
# as the US visa quota lets them in; returns need no visa. The return incentive raises the returns
# of China's diaspora in the US (at 5,000 workers a region and 48 months, `tests/test_regions.py`
# counts 8 returns against 2 in the race).
#
# ## 5. The same comparison from the command line
#
# ```bash
# laborshift-compare regions=china_us 'scenarios=[global_race,chip_controls,talent_return]' workers=20000 months=120 replications=5
# ```
#
# writes the tables (CSV and Parquet), four figures and `report.md`, with a section per region (its
# trajectory, in its currency) and a section on the flows between them (migrants by direction, lane
# and occupation; net AI-core flows; market shares).
#
# ## Exercises
#
# 1. The trade elasticity (`regions.trade_elasticity`, 4 by default; the literature's range is 3-8)
#    sets how strongly cost gaps move market shares. How much more does China lose under chip
#    controls at 8?
# 2. Lift the US visa quota (`regions_overrides=["members.us.visa_quota=1000"]`). How many more
#    AI-core workers leave China in `global_race`?
# 3. Raise China's return incentive in `talent_return` (`members.china.return_incentive=1.0`). Do
#    returns rise in proportion?
#
# ### Worked answer to exercise 1
#
# Run the race and chip controls at both elasticities (one replication each, for speed) and compare
# China's share of the semiconductor market at the last month:

# %%
for elasticity in (4, 8):
    c = compare_regions("china_us", ["global_race", "chip_controls"], replications=1, workers=WORKERS, months=MONTHS, seed=0,
                        progress=False, regions_overrides=[f"trade_elasticity={elasticity}"], parameter_uncertainty="off")
    m = c.market_share
    sel = m[(m["month"] == MONTHS) & (m["region"] == "china") & (m["sector"] == "semiconductors") & (m["metric"] == "share")]
    share = sel.set_index("scenario")["median"]
    print(f"elasticity {elasticity}: China's semiconductor share {100 * share['global_race']:.2f}% in the race, "
          f"{100 * share['chip_controls']:.2f}% under chip controls ({100 * (share['chip_controls'] - share['global_race']):+.2f} points)")

# %% [markdown]
# The same cost gap moves about twice the share at twice the elasticity (for small gaps the share
# moves in proportion to the elasticity): the product market's reach into the other region's labour
# market is only as large as this uncertain number, which is why it belongs in a sensitivity analysis.
