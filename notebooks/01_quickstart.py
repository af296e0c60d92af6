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
# # 01 · Quickstart: one run of the baseline, read as a story
#
# This notebook runs the model once, under current policy (`baseline`), and reads what
# comes out. By the end you will know
#
# 1. how to run a scenario from Python and what a run returns;
# 2. what the columns of the monthly table mean: stocks, flows, and the
#    **displacement and retraining trajectory** (who lost a job to AI, when, where they
#    are now, who retrained, who found work again);
# 3. how to plot displacement and retraining, and how to check that the numbers add up.
#
# The story in one sentence: as AI capability rises, firms adopt it; exposed traditional
# roles shrink while AI roles grow; some workers lose their job to automation, most find
# another, a few retrain, and some give up searching.
#
# The run uses the default **profile**, `china`: China's tech labour market, with wages and
# money in CNY, China's unemployment insurance, campus recruitment of graduates and lane
# trends. For the US-calibrated market (USD) set `OVERRIDES = ["profile=us"]` below (from the
# command line: `laborshift profile=us`).
#
# Everything here runs in a few seconds and writes no file.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from simulation import run
from simulation.plotting import trajectory_figure

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)

WORKERS = 10_000  # initial population
MONTHS = 120  # one step is one month: ten years
SEED = 7  # the same seed gives the same run on any machine
OVERRIDES = []  # Hydra overrides for every run here, e.g. ["profile=us"] for the US market

# %% [markdown]
# ## 1. Run the baseline
#
# `run` composes the configuration (the schema's defaults, then the scenario file
# `configs/scenario/baseline.yaml`, then your overrides), builds the model, steps it
# `MONTHS` times and returns a `Results` object holding four tables and a summary. The
# configuration it ran is in `res.config`, the profile and its currency among it.

# %%
res = run(scenario="baseline", workers=WORKERS, months=MONTHS, seed=SEED, overrides=OVERRIDES)
profile = res.config["profile"]
CURRENCY = profile["currency"]
print(f"{res.scenario}, seed {res.seed}, profile {profile['name']} (money in {CURRENCY}, month 1 = {profile['start']}): "
      f"{res.summary['wall_time_s']} s")
print({name: table.shape for name, table in res.tables().items()})

# %% [markdown]
# | table | one row per | use it for |
# |---|---|---|
# | `res.timeseries` | month (month 0 is the starting state) | the market as a whole and the trajectory |
# | `res.by_occupation` | month and occupation (15 roles in three lanes) | which roles shrink, grow, lose workers to AI |
# | `res.by_stage` | month and career stage (early < 30, mid 30-44, late 45+ years) | who bears the cost (notebook 03) |
# | `res.by_sector` | month and firms' sector (healthcare, finance, ...) | where AI roles are hired, and who brings domain knowledge |
# | `res.summary` | the run | headline indicators (money, `outlay_*` and `fiscal_*`, in the run's currency) |

# %%
display(pd.Series(res.summary, name="summary").to_frame())

# %% [markdown]
# ## 2. Read the trajectory
#
# `res.timeseries` has one row per month and about sixty columns, all documented in
# `docs/OUTPUTS.md`. They come in kinds:
#
# * **Stocks**, counted at the end of the month: `employed`, `unemployed`, `retraining`,
#   `out_of_labor_force` (every living worker is in exactly one of these four), `population`.
# * **Flows**, counted during the month: `hires`, `quits`, `layoffs_other`,
#   `separations_ai` (layoffs caused by automation: *AI displacement*), `graduates`,
#   `retirements`, `retraining_started`, `retraining_completed`, `retraining_dropped`;
#   `graduates` counts every entrant from school, of whom `graduates_hired_on_entry` start
#   with a campus offer (most of them under the China profile).
# * **The displacement trajectory**: `ai_displaced_cumulative` (every AI displacement
#   since month 0); `displaced_employed`, `displaced_unemployed`, `displaced_retraining`,
#   `displaced_out_of_labor_force` (where the workers ever displaced are *now*);
#   `displaced_reemployed_12m_share` (of those displaced at least 12 months ago, the share
#   who found a job within 12 months; `displaced_cohort_12m` says how many that is);
#   `displaced_wage_change` (wage in the new job against the job lost, minus one).
# * **Rates and prices**: `unemployment_rate`, `vacancy_rate`,
#   `long_term_unemployment_share`, mean wages by lane, `ai_wage_premium`, `wage_gini`,
#   and unemployment by age group (`unemployment_rate_16_24`, `_25_29`, `_30_59`, NBS's groups).
# * **The AI drivers**: `ai_capability` (an exogenous logistic path) and
#   `mean_ai_adoption` (what firms chose).
#
# Counts are workers, wages and money are the profile's currency per month (`CURRENCY`,
# printed above), shares are fractions (0.05 = 5%). Here are the columns of the trajectory
# at a few months:

# %%
ts = res.timeseries
story = [
    "ai_capability", "mean_ai_adoption", "employed", "unemployed", "retraining", "out_of_labor_force",
    "unemployment_rate", "separations_ai", "ai_displaced_cumulative", "displaced_employed",
    "displaced_unemployed", "displaced_retraining", "displaced_out_of_labor_force",
    "retraining_started", "retraining_completed", "displaced_reemployed_12m_share",
]
display(ts.set_index("month").loc[[0, 12, 24, 48, 72, 96, 120], story].T.round(3))
first = ts.loc[ts["separations_ai"] > 0, "month"].min()
end = ts.iloc[-1]
print(f"first AI displacement: month {first}; of the {end['ai_displaced_cumulative']:.0f} ever displaced, in month {MONTHS}: "
      f"{end['displaced_employed']:.0f} in work, {end['displaced_unemployed']:.0f} searching, "
      f"{end['displaced_retraining']:.0f} in retraining, {end['displaced_out_of_labor_force']:.0f} out of the labour force "
      f"(the rest retired or left the sector)")

# %% [markdown]
# Read the first rows: capability starts low, so at first adoption barely moves and
# nobody is displaced by AI. Displacement starts once capability is high enough for
# adoption to pay (the month is printed above), and the cumulative count climbs over the
# rest of the decade. Where the displaced are at the end, and the share of them back in
# work within a year (`displaced_reemployed_12m_share`), are in the last column and line.
#
# ### The numbers add up
#
# Stocks and flows are two views of the same workers, so the stock of employed this
# month is last month's, plus hires, minus every kind of separation, retirement and
# departure from a job out of the labour force (the full set of identities is in
# `docs/OUTPUTS.md`). Checking it is a good habit
# whenever you read a model's output:

# %%
expected = (ts["employed"].shift(1) + ts["hires"] - ts["separations_ai"] - ts["separations_other"]
            - ts["retirements_employed"] - ts["exits_to_olf_employed"]).iloc[1:]
gap = (ts["employed"].iloc[1:] - expected).abs().max()
print(f"largest gap in the employment identity over {len(expected)} months: {gap:.0f} workers")
assert gap == 0, "the employment stock does not follow from the flows"
assert (ts["ai_displaced_cumulative"] == ts["separations_ai"].cumsum()).all()

# %% [markdown]
# ## 3. Plot displacement
#
# AI displacement is driven by adoption, and adoption by capability. The left panel puts
# the drivers side by side; the right panel shows displacement month by month (bars) and
# cumulated (line).

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
a1.plot(ts["month"], ts["ai_capability"], color="black", ls=":", label="AI capability")
a1.plot(ts["month"], ts["mean_ai_adoption"], color="#7570b3", label="mean firm AI adoption")
a1.set(xlabel="month", ylabel="index (0-1)", ylim=(0, 1), title="AI capability and adoption")
a1.legend()
a2.bar(ts["month"], ts["separations_ai"], color="#d95f02", alpha=0.7, label="displaced in the month")
a2.set(xlabel="month", ylabel="workers per month", title="AI displacement")
a2b = a2.twinx()
a2b.plot(ts["month"], ts["ai_displaced_cumulative"], color="black", lw=2, label="cumulative (right axis)")
a2b.set_ylabel("workers")
a2.legend(loc="upper left")
a2b.legend(loc="center left")
plt.show()

# %% [markdown]
# Which roles lose workers to AI? `by_occupation` splits every flow by occupation. The
# losses fall on traditional roles whose tasks are exposed to automation (exposure from
# Eloundou et al. 2024, *GPTs are GPTs*, Science 384), in proportion to exposure and to
# how many people hold the role; AI-core roles, whose demand AI raises, lose none.

# %%
bo = res.by_occupation
lost = bo.groupby(["occupation", "lane"])["separations_ai"].sum().reset_index().sort_values("separations_ai")
lane_color = {"ai_core": "#1b9e77", "ai_adjacent": "#7570b3", "traditional": "#d95f02"}
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
ax.barh(lost["occupation"], lost["separations_ai"], color=lost["lane"].map(lane_color))
ax.set(xlabel="workers displaced by AI over the run", title="AI displacement by occupation (colour: lane)")
plt.show()

# %% [markdown]
# ## 4. Plot retraining and re-employment
#
# Where are the displaced now? The stacked area follows every worker ever displaced by
# AI (and not yet retired) and shows their status this month. Below it: the retraining
# flows of the whole market, and the share of each displaced cohort re-employed within
# 6, 12 and 24 months (drawn only once a cohort is old enough to be measured).

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
t = ts["month"]
axes[0].stackplot(t, ts["displaced_employed"], ts["displaced_unemployed"], ts["displaced_retraining"],
                  ts["displaced_out_of_labor_force"], labels=["re-employed", "unemployed", "retraining", "out of the labour force"],
                  colors=["#1b9e77", "#d95f02", "#7570b3", "#999999"], alpha=0.85)
axes[0].set(xlabel="month", ylabel="workers ever displaced by AI", title="Where the displaced are now")
axes[0].legend(loc="upper left", fontsize=8)
axes[1].plot(t, ts["retraining_started"], label="started", color="#7570b3")
axes[1].plot(t, ts["retraining_completed"], label="completed", color="#1b9e77")
axes[1].plot(t, ts["retraining_dropped"], label="dropped out", color="#e7298a")
axes[1].plot(t, ts["retraining"], label="in retraining (stock)", color="black", ls="--", lw=1)
axes[1].set(xlabel="month", ylabel="workers per month / stock", title="Retraining")
axes[1].legend(fontsize=8)
for h in (6, 12, 24):
    ok = ts[f"displaced_cohort_{h}m"] > 0
    axes[2].plot(t[ok], 100 * ts.loc[ok, f"displaced_reemployed_{h}m_share"], label=f"within {h} months")
axes[2].set(xlabel="month", ylabel="% re-employed", ylim=(0, 100), title="Re-employment of the displaced")
axes[2].legend(fontsize=8)
plt.show()

# %% [markdown]
# Retraining runs all decade, not just after displacement: unemployed workers of any
# background weigh it against searching in their own occupation. Where do the trainees
# go? `retraining_completed` in `by_occupation` counts completions *into* each occupation:

# %%
into = bo.groupby(["lane", "occupation"])["retraining_completed"].sum()
display(into[into > 0].sort_values(ascending=False).to_frame("completions into the occupation"))

# %% [markdown]
# The package draws the same four-panel trajectory in one call (it is the
# `trajectory.png` that `laborshift` saves with every run). Plot functions take results
# and return a matplotlib `Figure`:

# %%
display(trajectory_figure(res))

# %% [markdown]
# ## What to take away
#
# * A run is three tidy tables and a summary; stocks and flows add up month by month.
# * Under current policy, AI displacement starts when capability makes adoption pay,
#   concentrates in exposed traditional roles, and most of the displaced are re-employed
#   within a year, while the long-term unemployed and those who leave the labour force
#   pile up slowly.
# * One run is one draw. Notebook 02 compares scenarios over several seeds, with
#   uncertainty bands; notebook 03 follows individual workers and firms.
#
# ## Exercises
#
# 1. **How much is one run worth?** Run the baseline on seeds 1, 2 and 3. How much do
#    `ai_displaced_final` and `unemployment_rate_peak` vary? (Worked answer below.)
# 2. **Faster AI.** Rerun with `overrides=["ai.capability_growth=0.10"]` (the
#    `rapid_adoption` value). In which month does displacement start now, and how many
#    are displaced by month 60? Every parameter is listed in `docs/PARAMETERS.md`.
# 3. **Reading the peak.** Find the month of peak unemployment
#    (`res.summary["unemployment_rate_peak_month"]`). Around it, compare `separations_ai`,
#    `hires_from_unemployed` and `exits_to_olf`. Does unemployment fall because people
#    find work or because they give up?
# 4. **Check another identity.** Using the identity for `retraining` in `docs/OUTPUTS.md`,
#    verify that the retraining stock follows from its flows.
#
# ### Worked answer to exercise 1
#
# Run three seeds at the same size and put the indicators side by side.

# %%
rows = []
for seed in (1, 2, 3):
    r = run(scenario="baseline", workers=WORKERS, months=MONTHS, seed=seed, overrides=OVERRIDES)
    rows.append({k: r.summary[k] for k in ("seed", "ai_displaced_by_month_60", "ai_displaced_final", "unemployment_rate_peak",
                                          "displaced_reemployed_12m_share_final")})
seeds = pd.DataFrame(rows).set_index("seed")
display(seeds.round(3))
spread = seeds["ai_displaced_final"].std() / seeds["ai_displaced_final"].mean()
print(f"coefficient of variation of ai_displaced_final across seeds: {spread:.0%}")

# %% [markdown]
# The direction of the story is the same on every seed, but the levels move by a
# noticeable fraction from seed to seed at 10,000 workers: AI displacement happens in
# lumps, when a firm revises its adoption, so a few large firms make a difference. One
# run is an anecdote. That is why scenario comparisons use several replications on
# common seeds and report bands (notebook 02), and why a larger population narrows them.

# %%
assert np.isfinite(seeds.to_numpy(dtype=float)).all()
