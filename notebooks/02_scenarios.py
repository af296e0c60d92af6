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
# # 02 · Scenarios: what policy changes, and what it costs
#
# One run is one draw (notebook 01). To say what a policy *does*, run each scenario
# several times and compare them on the same random numbers. This notebook compares four
# scenarios:
#
# * `no_ai`: the counterfactual, AI capability frozen at its starting level;
# * `baseline`: current policy, AI capability grows and firms adopt as it pays;
# * `national_ai_push`: the state subsidises adoption, funds AI projects and tilts
#   education towards AI fields (the Chinese case that motivates the model);
# * `retraining_push`: baseline AI plus a large subsidised retraining programme and a
#   hiring subsidy for AI-displaced workers.
#
# You will learn to read a comparison: medians with uncertainty bands, paired
# differences on common random numbers, the displacement *attributable to AI*, and how
# far the model can (and cannot) speak about the cost of a policy.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from simulation import compose
from simulation.compare import compare

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)

SCENARIOS = ["no_ai", "baseline", "national_ai_push", "retraining_push"]
COLORS = {"no_ai": "#999999", "baseline": "black", "national_ai_push": "#d95f02", "retraining_push": "#1b9e77"}
WORKERS = 5_000  # small enough to run in seconds; the bands narrow as it grows
MONTHS = 120
REPLICATIONS = 5

for name in SCENARIOS:
    print(f"{name}: {compose(name).description}\n")

# %% [markdown]
# ## 1. Run the comparison
#
# `compare` runs every scenario `REPLICATIONS` times, in parallel on all cores.
# Replication *i* of every scenario uses the same seed (spawned from one master seed), so
# the scenarios start from the same market and share their random draws until policy
# makes them diverge: **common random numbers**. Differences between scenarios are then
# mostly policy, not luck.

# %%
comp = compare(SCENARIOS, replications=REPLICATIONS, workers=WORKERS, months=MONTHS, seed=0, progress=False)
print(f"{len(comp.scenarios)} scenarios x {comp.replications} replications in {comp.wall_time_s:.0f} s; seeds {comp.seeds}")
print({name: table.shape for name, table in comp.tables().items()})

# %% [markdown]
# The comparison is a set of tidy tables (all described in `docs/OUTPUTS.md`):
# `runs` holds every replication's monthly table; `bands` holds, per scenario, month and
# metric, the **median** across replications, a **90% confidence band of that median**
# (`lo`, `hi`: how sure we are of the typical outcome; it narrows as replications grow)
# and the **spread of the runs** (`p05`, `p95`: how different one run can be from
# another; it does not narrow). `paired` holds the same statistics for the differences
# scenario minus `baseline` and scenario minus `no_ai`, replication by replication.

# %%
display(comp.bands.query("metric == 'unemployment_rate' and month == 120").round(4))


# %%
def fan(ax, metric, scale=1.0, table=None, reference=None):
    """Median (line), 90% band of the median (dark) and 5-95% spread of the runs (light) per scenario."""
    table = comp.bands if table is None else table
    for name in SCENARIOS:
        sel = table[(table["scenario"] == name) & (table["metric"] == metric)]
        if reference is not None:
            sel = sel[sel["reference"] == reference]
        # a share over an empty cohort is undefined: draw months where every replication defines it
        sel = sel[sel["runs"] == REPLICATIONS].sort_values("month")
        if sel.empty or (reference is not None and name == reference):
            continue
        c = COLORS[name]
        ax.fill_between(sel["month"], scale * sel["p05"], scale * sel["p95"], color=c, alpha=0.10, lw=0)
        ax.fill_between(sel["month"], scale * sel["lo"], scale * sel["hi"], color=c, alpha=0.30, lw=0)
        ax.plot(sel["month"], scale * sel["median"], color=c, lw=1.8, label=name)
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)


fig, axes = plt.subplots(2, 2, figsize=(13, 8), layout="constrained")
fan(axes[0, 0], "ai_displaced_cumulative")
axes[0, 0].set(ylabel="workers", title="AI-displaced, cumulative")
fan(axes[0, 1], "unemployment_rate", 100)
axes[0, 1].set(ylabel="%", title="Unemployment rate")
fan(axes[1, 0], "retraining")
axes[1, 0].set(ylabel="workers", title="Workers in retraining")
fan(axes[1, 1], "displaced_reemployed_12m_share", 100)
axes[1, 1].set(ylabel="%", ylim=(0, 100), title="Displaced re-employed within 12 months")
axes[0, 0].legend(loc="upper left")
fig.suptitle(f"Median of {REPLICATIONS} replications; dark: 90% band of the median; light: 5-95% of the runs ({WORKERS:,} workers)")
plt.show()

# %% [markdown]
# The yearly teeth in unemployment are graduation: each year's graduates enter the
# market, unemployed, in the same month. The re-employment share is drawn from the month
# when every replication has a displaced cohort at least 12 months old.
#
# ## 2. Displacement attributable to AI
#
# `no_ai` runs the same market with AI capability frozen. A layoff is only recorded as AI
# displacement when automation beyond its month-0 level causes it, so `no_ai` displaces
# (almost) nobody; the paired difference *scenario minus `no_ai`* on the same seed is the
# effect of AI. For unemployment, which has many causes besides AI, the paired difference
# is what isolates AI's share:

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
fan(a1, "unemployment_rate", 100, table=comp.paired, reference="no_ai")
a1.axhline(0, color="black", lw=0.6)
a1.set(ylabel="percentage points", title="Unemployment rate: scenario minus no_ai, same seed")
a1.legend()
fan(a2, "unemployment_rate", 100, table=comp.paired, reference="baseline")
a2.axhline(0, color="black", lw=0.6)
a2.set(ylabel="percentage points", title="Unemployment rate: scenario minus baseline, same seed")
a2.legend()
plt.show()

# %% [markdown]
# Why pair? Compare the spread of the difference *baseline minus no_ai* in month 120
# when each replication is matched with its twin on the same seed, and when the same
# runs are matched with a different replication (as if the seeds were independent):

# %%
u120 = comp.runs.query("month == 120").pivot(index="replication", columns="scenario", values="unemployment_rate")
paired_diff = u120["baseline"] - u120["no_ai"]
shuffled_diff = u120["baseline"] - np.roll(u120["no_ai"].to_numpy(), 1)
print(f"baseline - no_ai, month 120, percentage points: mean {100 * paired_diff.mean():.2f}")
print(f"  standard deviation, paired on the same seed: {100 * paired_diff.std():.2f}")
print(f"  standard deviation, mismatched seeds:        {100 * shuffled_diff.std():.2f}")

# %% [markdown]
# With only five replications the estimate of a standard deviation is itself rough, but
# the pattern is general: the shared part of the randomness (which firms are large, who
# is close to retirement, the demand cycle) cancels in the paired difference.
#
# ## 3. What each policy changes
#
# Unemployment by lane shows *where* the pressure lands:

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained", sharey=True)
for ax, lane in zip(axes, ("ai_core", "ai_adjacent", "traditional"), strict=True):
    fan(ax, f"unemployment_rate_{lane}", 100)
    ax.set(title=f"Unemployment rate, {lane.replace('_', ' ')} lane", ylabel="%")
axes[0].legend()
plt.show()

# %% [markdown]
# In every AI scenario unemployment climbs most steadily in the traditional lane, the
# one exposed to automation. The lanes then part ways by policy: the national push keeps
# AI-core unemployment at or below the baseline (stubborn demand for AI talent), while
# the retraining push *raises* it, because trainees complete into AI-core occupations
# faster than AI-core jobs open, and queue there.
#
# The summary table puts the headline indicators side by side: the median across
# replications with its 90% band, and the paired difference against `baseline` (a band
# that excludes 0 is a difference the replications agree on).

# %%
s = comp.summary.copy()
s["value"] = s.apply(lambda r: f"{r['median']:.3g} [{r['lo']:.3g}, {r['hi']:.3g}]" if r["runs"] else "undefined", axis=1)
s["vs baseline"] = s.apply(lambda r: f"{r['vs_baseline_median']:+.3g} [{r['vs_baseline_lo']:+.3g}, {r['vs_baseline_hi']:+.3g}]"
                           if pd.notna(r["vs_baseline_median"]) else "", axis=1)
table = s.pivot(index="indicator", columns="scenario", values=["value", "vs baseline"]).reindex(columns=SCENARIOS, level=1)
display(table)


# %%
def med(indicator, scenario, column="median"):
    """One cell of the summary table."""
    return float(comp.summary.query("indicator == @indicator and scenario == @scenario")[column].iloc[0])


print(f"AI-displaced by month 120: baseline {med('ai_displaced_final', 'baseline'):.0f}, "
      f"national push {med('ai_displaced_final', 'national_ai_push'):.0f}, retraining push {med('ai_displaced_final', 'retraining_push'):.0f}")
print(f"peak unemployment: no_ai {med('unemployment_rate_peak', 'no_ai'):.1%}, baseline {med('unemployment_rate_peak', 'baseline'):.1%}, "
      f"national push {med('unemployment_rate_peak', 'national_ai_push'):.1%}, retraining push {med('unemployment_rate_peak', 'retraining_push'):.1%}")
print(f"displaced re-employed within 12 months: baseline {med('displaced_reemployed_12m_share_final', 'baseline'):.0%}, "
      f"retraining push {med('displaced_reemployed_12m_share_final', 'retraining_push'):.0%}")

# %% [markdown]
# How to read it (check each sentence against the table and figures above; the numbers
# move a little with the seed and the population):
#
# * **AI itself** (`baseline` against `no_ai`) displaces several percent of the initial
#   workforce over the decade, raises peak unemployment by several percentage points,
#   widens the AI wage premium and raises wage inequality (Gini).
# * **The national AI push** speeds adoption, so more workers are displaced, and earlier,
#   yet unemployment stays *below* the baseline: publicly funded AI projects and the
#   budgets that expected AI returns unlock create jobs that absorb part of the shock.
# * **The retraining push** does not change how many are displaced (it does not touch
#   adoption) and does not lower unemployment (its peak is, if anything, a little
#   higher), but it changes what happens *after* displacement: far more workers complete
#   retraining, and the share of the displaced back in work within a year jumps. In the
#   model the hiring subsidy moves displaced applicants up the queue and training moves
#   workers between occupations; neither creates a vacancy, so part of the gain of the
#   displaced may be someone else's wait (exercise 3 asks you to check). More workers
#   trained into AI roles also narrows the AI wage premium and wage inequality.
#
# ## 4. What it costs
#
# The model has **no fiscal cost columns**: `docs/OUTPUTS.md` lists every output, and
# none of them is money spent by the state. A policy's cost has to be read from what the
# model does count, together with the lever's definition. Be explicit about which is which.
#
# | lever | what the model counts | what it does not |
# |---|---|---|
# | retraining subsidy (`retraining_push`) | subsidised enrolments (`retraining_started_subsidized`), completions, drop-outs | tuition and stipends paid |
# | hiring subsidy (`retraining_push`) | nothing separately: in the model it only moves displaced applicants up firms' rankings | the wage subsidy paid |
# | adoption subsidy (`national_ai_push`) | adoption itself | the subsidy paid (adoption cost is in units of the AI return, not money) |
# | public AI demand (`national_ai_push`) | AI-core employment and wages, by lane | the share of the AI-core wage bill the state funds |
#
# ### The retraining push in seats and enrolments
#
# The programme offers `seats_per_1000` subsidised places a month per thousand workers
# of the initial population from its start month. How many are taken, and what does
# the market get for them?

# %%
cfg = compose("retraining_push", [f"workers={WORKERS}", f"months={MONTHS}"])
sub = cfg.policy.retraining_subsidy
seats_per_month = round(sub.seats_per_1000 * WORKERS / 1000)
seats_offered = seats_per_month * (MONTHS - sub.start_month + 1)

totals = comp.runs.groupby(["scenario", "replication"])[["retraining_started_subsidized", "retraining_started", "retraining_completed"]].sum()
final = comp.runs.query("month == @MONTHS").set_index(["scenario", "replication"])
per_run = totals.join(final[["displaced_employed", "ai_displaced_cumulative"]])
push, base = per_run.loc["retraining_push"], per_run.loc["baseline"]
extra = (push - base).median()  # paired: replication by replication on the same seed

enrolments = push["retraining_started_subsidized"].median()
print(f"seats offered: {seats_per_month} a month from month {sub.start_month}, {seats_offered} in all")
print(f"subsidised enrolments (median per run): {enrolments:.0f}, a take-up of {enrolments / seats_offered:.0%} of the seats")
print(f"extra retraining completions against baseline (median paired difference): {extra['retraining_completed']:+.0f}")
print(f"extra AI-displaced workers in a job in month {MONTHS}: {extra['displaced_employed']:+.0f} "
      f"(out of about {push['ai_displaced_cumulative'].median():.0f} displaced)")

# %% [markdown]
# ### A rough size of the money, from the lever's definition
#
# A subsidised trainee has the state pay `cost_share` of tuition and of the effort cost
# (as a living stipend). In the model, tuition is at least `cost_months` of the target
# occupation's wage (the cheaper route's; more for distant moves, older workers and
# AI-core targets), and the effort cost is `effort_cost_months` of the worker's own wage
# times the route's `effort` and the worker's time cost (1 on average, lower for some).
# So a subsidised enrolment of a worker of average time cost costs the state at least
# `cost_share x (cheaper cost_months + effort_cost_months x smaller effort)` months of a
# wage. This is a rough guide computed from parameters, not an output of the model:

# %%
rt = cfg.retraining
tuition = min(rt.certificate.cost_months, rt.project.cost_months)
effort = rt.effort_cost_months * min(rt.certificate.effort, rt.project.effort)
floor_wage_months = sub.cost_share * (tuition + effort)
print(f"about {sub.cost_share} x ({tuition} + {effort}) = {floor_wage_months:.1f} wage-months "
      f"per subsidised enrolment of a worker of average time cost")
print(f"whole programme, per {WORKERS:,} workers: about {floor_wage_months * enrolments:,.0f} wage-months over {MONTHS} months")

# %% [markdown]
# ## What to take away
#
# * Compare scenarios over replications on common seeds; read medians with their bands,
#   and differences from the paired table.
# * AI's effect is measured against the `no_ai` twin of each run.
# * The national push trades earlier displacement for more jobs; the retraining push
#   leaves displacement alone and changes who gets back to work, and how fast.
# * The model counts people, seats and months, not money. Costs can be bounded from
#   the levers' definitions; say so when you report them.
#
# ## Exercises
#
# 1. **Cost per outcome.** Using the floor above, what does the retraining push cost
#    (at least) per extra displaced worker in a job by month 120, in wage-months and in
#    USD at the mean traditional-lane wage? (Worked answer below.)
# 2. **More seats.** Run `compare(["baseline", "retraining_push"], ...)` with
#    `overrides=["policy.retraining_subsidy.seats_per_1000=10"]`. Does doubling the seats
#    double the extra completions? What limits take-up?
# 3. **Whose gain?** The retraining push lifts the re-employment of the displaced but not
#    employment as a whole. Compare the paired differences against `baseline` of
#    `hires_from_unemployed`, `employed` and `long_term_unemployment_share` (in
#    `comp.paired`), and `unemployment_rate_ai_core`. Then set
#    `policy.retraining_subsidy.targeting=displaced` (see `docs/PARAMETERS.md`): who
#    gains now?
# 4. **Narrower bands.** Rerun with `REPLICATIONS = 10`. Which band narrows, the 90%
#    band of the median or the 5-95% spread of the runs? Why?
# 5. **The safety net.** Add `safety_net` to `SCENARIOS` (and give it a colour). What
#    does more generous unemployment insurance do to unemployment and to re-employment?
#
# ### Worked answer to exercise 1
#
# Divide the floor on the programme's cost by the paired gain in displaced workers in
# work, run by run, and convert wage-months to USD with the mean wage of the traditional
# lane, where most of the displaced come from.

# %%
gain = push["displaced_employed"] - base["displaced_employed"]
floor = floor_wage_months * push["retraining_started_subsidized"]
wage_traditional = comp.runs.query("scenario == 'retraining_push'")["mean_wage_traditional"].mean()
per_worker = (floor / gain.where(gain > 0)).median()
print(f"extra displaced in work by month {MONTHS}, per run: {gain.tolist()}")
print(f"at least {per_worker:.0f} wage-months per extra displaced worker in work, "
      f"about USD {per_worker * wage_traditional:,.0f} at a mean traditional wage of USD {wage_traditional:,.0f} a month")

# %% [markdown]
# Read this as an order of magnitude, with two caveats that pull in opposite directions.
# The cost is a floor: it leaves out longer and dearer programmes, the hiring subsidy and
# administration. The gain is narrow: it counts only the displaced who are in work in
# the last month, not the months sooner they found it, nor the other unemployed who also
# took seats (`targeting: all`); and it varies a lot between replications (a run with no
# gain is left out of the median). A fuller answer would set benefits against the cost:
# the wages earned by the re-employed, the benefit months not paid. The model records the
# ingredients of such a ledger (wages, months unemployed, statuses), not the ledger itself.

# %%
assert (gain.notna()).all() and np.isfinite(per_worker)
