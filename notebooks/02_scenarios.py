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
# differences on common random numbers, the displacement *attributable to AI*, and what
# a policy costs the state according to the model's fiscal ledger.
#
# Every run uses the default profile, `china` (China's tech labour market, money in CNY);
# set `OVERRIDES = ["profile=us"]` below to compare the scenarios in the US market.

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
OVERRIDES = []  # Hydra overrides for every run, e.g. ["profile=us"]

profile = compose("baseline", OVERRIDES).profile
CURRENCY = profile.currency
print(f"profile {profile.name}: money in {CURRENCY}\n")
for name in SCENARIOS:
    print(f"{name}: {compose(name, OVERRIDES).description}\n")

# %% [markdown]
# ## 1. Run the comparison
#
# `compare` runs every scenario `REPLICATIONS` times, in parallel on all cores.
# Replication *i* of every scenario uses the same seed (spawned from one master seed), so
# the scenarios start from the same market and share their random draws until policy
# makes them diverge: **common random numbers**. Differences between scenarios are then
# mostly policy, not luck.

# %%
comp = compare(SCENARIOS, replications=REPLICATIONS, workers=WORKERS, months=MONTHS, seed=0, progress=False, overrides=OVERRIDES)
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
# market in the same month, and those without a job offer (under the China profile, a
# campus offer) enter as unemployed searchers. The re-employment share is drawn from the
# month when every replication has a displaced cohort at least 12 months old.
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
# Why pair? Compare the spread of the difference *baseline minus no_ai* in the last month
# when each replication is matched with its twin on the same seed, and when the same
# runs are matched with a different replication (as if the seeds were independent), for
# the number employed and for the unemployment rate:

# %%
last = comp.runs.query("month == @MONTHS")
for metric, scale, unit, digits in (("employed", 1, "workers", 0), ("unemployment_rate", 100, "percentage points", 2)):
    u = last.pivot(index="replication", columns="scenario", values=metric)
    paired_diff = scale * (u["baseline"] - u["no_ai"])
    shuffled_diff = scale * (u["baseline"] - np.roll(u["no_ai"].to_numpy(), 1))
    print(f"baseline - no_ai, {metric} in month {MONTHS} ({unit}): mean {paired_diff.mean():+.{digits}f}; standard deviation "
          f"paired on the same seed {paired_diff.std():.{digits}f}, mismatched seeds {shuffled_diff.std():.{digits}f}")

# %% [markdown]
# Pairing cancels the part of the randomness that the twins share: which firms are large,
# who is close to retirement, the demand cycle. That part sets the size of the market, so
# pairing narrows the spread of `employed`. The unemployment rate of a single month also
# carries noise that the twins do not share once policy makes their draws diverge (who
# happens to be hired or laid off that month), and pairing narrows it less, or not at
# all. With only `REPLICATIONS` replications each standard deviation is itself rough: the
# mismatched one can even come out the smaller.
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
# The traditional lane is the one exposed to automation; AI-core demand grows with
# adoption (and, in the national push, with publicly funded AI projects); the retraining
# push moves trainees into AI-core and AI-adjacent occupations, where they queue if jobs
# open more slowly than they complete. Which of these wins in each lane is for the
# numbers to say: the mean unemployment rate of each lane over the last two years, and
# the paired differences between scenarios (medians over the replications):

# %%
late = comp.lanes[comp.lanes["month"] > MONTHS - 24].groupby(["scenario", "replication", "lane"])["unemployment_rate"].mean()
late = late.unstack("lane")[["ai_core", "ai_adjacent", "traditional"]]
pairs = (("baseline", "no_ai"), ("national_ai_push", "baseline"), ("retraining_push", "baseline"))
lane_table = pd.concat({"rate, %": 100 * late.groupby("scenario").median().reindex(SCENARIOS),
                        "paired difference, points": pd.DataFrame({f"{a} - {b}": 100 * (late.loc[a] - late.loc[b]).median()
                                                                   for a, b in pairs}).T})
display(lane_table.round(2))
for a, b in pairs:
    d = lane_table.loc[("paired difference, points", f"{a} - {b}")]
    print(f"{a} against {b}: the largest change is in the {d.abs().idxmax().replace('_', ' ')} lane ({d[d.abs().idxmax()]:+.2f} points)")

# %% [markdown]
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


print(f"AI-displaced by month {MONTHS}: baseline {med('ai_displaced_final', 'baseline'):.0f}, "
      f"national push {med('ai_displaced_final', 'national_ai_push'):.0f}, retraining push {med('ai_displaced_final', 'retraining_push'):.0f}")
print(f"peak unemployment: no_ai {med('unemployment_rate_peak', 'no_ai'):.1%}, baseline {med('unemployment_rate_peak', 'baseline'):.1%}, "
      f"national push {med('unemployment_rate_peak', 'national_ai_push'):.1%}, retraining push {med('unemployment_rate_peak', 'retraining_push'):.1%}")
print(f"displaced re-employed within 12 months: baseline {med('displaced_reemployed_12m_share_final', 'baseline'):.0%}, "
      f"national push {med('displaced_reemployed_12m_share_final', 'national_ai_push'):.0%}, "
      f"retraining push {med('displaced_reemployed_12m_share_final', 'retraining_push'):.0%}")

# %% [markdown]
# `comp.decisions` reads the paired differences for you: for each scenario against a
# reference and each indicator, the median difference, its 90% band and a verdict
# (`better`/`worse` for an indicator with a better direction, `higher`/`lower` otherwise,
# when the band excludes 0; `not distinguishable` when it includes 0). What AI itself
# does is `baseline` against `no_ai`; what a policy does is the policy against `baseline`:

# %%
dec = comp.decisions


def verdicts(scenario, reference):
    """The indicators a scenario moves against a reference (band excluding 0), and those it does not."""
    d = dec[(dec["scenario"] == scenario) & (dec["reference"] == reference) & (dec["verdict"] != "undefined")]
    moved = d[d["verdict"] != "not distinguishable"]
    up = ", ".join(f"{r.indicator} {r.median:+.3g}" for r in moved.itertuples() if r.median > 0)
    down = ", ".join(f"{r.indicator} {r.median:+.3g}" for r in moved.itertuples() if r.median < 0)
    same = ", ".join(d.loc[d["verdict"] == "not distinguishable", "indicator"])
    return f"{scenario} against {reference}:\n  higher: {up or '-'}\n  lower: {down or '-'}\n  not distinguishable: {same or '-'}"


for scenario, reference in pairs:
    print(verdicts(scenario, reference))

# %% [markdown]
# How to read it (check each line against the table and figures above; the numbers move
# with the seed, the population and the profile):
#
# * **AI itself** (`baseline` against `no_ai`) displaces workers from exposed roles and
#   raises unemployment above the counterfactual; the AI wage premium and wage
#   inequality (Gini) move with how fast AI-core demand and supply grow.
# * **The national AI push** speeds adoption, so more workers are displaced, and earlier;
#   against that, publicly funded AI projects and the budgets that expected AI returns
#   unlock create jobs. The verdicts say which wins for unemployment and employment.
# * **The retraining push** does not touch adoption, but trainees leave exposed
#   occupations, so fewer may remain to be displaced; far more workers complete retraining,
#   and more trained into AI roles narrows the AI wage premium. In the model the hiring
#   subsidy moves displaced applicants up the queue and training moves workers between
#   occupations; neither creates a vacancy, so any gain of the displaced may be someone
#   else's wait (exercise 3 asks you to check). Trainees do not search, so they are not
#   unemployed: compare `unemployment_rate_final` with `jobless_rate_final`, which counts
#   them with the unemployed. Where the first falls and the second does not, the programme
#   moved workers into training, not into jobs.
#
# ## 4. What it costs
#
# Every run keeps a **fiscal ledger**, a month at a time, in the profile's currency: the
# state's outlays and revenue from each lever (`docs/OUTPUTS.md`).
#
# | lever | ledger line |
# |---|---|
# | unemployment insurance (every scenario) | `outlay_benefits`: the benefits paid |
# | retraining subsidy (`retraining_push`) | `outlay_training`: the state's share of subsidised trainees' tuition and living stipend |
# | hiring subsidy (`retraining_push`) | `outlay_wage_subsidy`: the share of subsidised hires' wages paid to employers |
# | adoption subsidy (`national_ai_push`) | `outlay_adoption_subsidy`: the state's share of firms' AI adoption cost |
# | public AI demand (`national_ai_push`) | `outlay_public_ai`: the wages of publicly funded AI-core positions |
# | automation tax (off in these scenarios) | `revenue_automation_tax` |
#
# `fiscal_net_cost` is the outlays minus the revenue. The ledger counts only these lines:
# no tax or contribution on the wages earned, no administration. Each line's total over
# the run, median over the replications, in millions of the currency:

# %%
lines = [c for c in comp.runs.columns if c.startswith(("outlay_", "revenue_"))] + ["fiscal_net_cost"]
ledger = comp.runs.query("month >= 1").groupby(["scenario", "replication"])[lines].sum().groupby("scenario").median()
display((ledger.reindex(SCENARIOS).T / 1e6).round(1).rename_axis(f"{CURRENCY} million over {MONTHS} months"))

# %% [markdown]
# ### The retraining push in seats and enrolments
#
# The programme offers `seats_per_1000` subsidised places a month per thousand workers
# of the population at month 0 from its start month. How many are taken, and what does
# the market get for them? (`comp.policy["policy_take_up"]` has the same counts with bands.)

# %%
sub = compose("retraining_push", OVERRIDES).policy.retraining_subsidy
totals = comp.runs.query("month >= 1").groupby(["scenario", "replication"])[
    ["retraining_seats_offered", "retraining_started_subsidized", "retraining_started", "retraining_completed"]].sum()
final = comp.runs.query("month == @MONTHS").set_index(["scenario", "replication"])
per_run = totals.join(final[["displaced_employed", "ai_displaced_cumulative"]])
push, base = per_run.loc["retraining_push"], per_run.loc["baseline"]
extra = (push - base).median()  # paired: replication by replication on the same seed

enrolments = push["retraining_started_subsidized"].median()
seats_offered = push["retraining_seats_offered"].median()
print(f"seats offered: {sub.seats_per_1000} a month per 1,000 from month {sub.start_month}, {seats_offered:.0f} in all (median per run)")
print(f"subsidised enrolments (median per run): {enrolments:.0f}, a take-up of {enrolments / seats_offered:.0%} of the seats")
print(f"extra retraining completions against baseline (median paired difference): {extra['retraining_completed']:+.0f}")
print(f"extra AI-displaced workers in a job in month {MONTHS}: {extra['displaced_employed']:+.0f} "
      f"(out of about {push['ai_displaced_cumulative'].median():.0f} displaced)")

# %% [markdown]
# ### Cost per outcome
#
# `comp.policy["policy_cost_effectiveness"]` sets each policy's net fiscal cost against
# its gains, both as paired differences against `baseline` (means over the replications,
# with 90% paired-bootstrap bands): the additional displaced workers re-employed within
# 12 months, the additional job-years, and the cost per unit of each. A cost per unit is
# **not defined** when the gain's band does not lie above 0: a ratio to a gain that may
# be zero, or negative, is not a cost.

# %%
ce = comp.policy["policy_cost_effectiveness"]
shown = ce.set_index(["scenario", "metric"])[["estimate", "lo", "hi", "note"]]
display(shown.assign(**{c: shown[c].map("{:,.1f}".format) for c in ("estimate", "lo", "hi")}))

# %% [markdown]
# ## What to take away
#
# * Compare scenarios over replications on common seeds; read medians with their bands,
#   and differences from the paired table (`comp.decisions` gives the verdicts).
# * AI's effect is measured against the `no_ai` twin of each run; a policy's against the
#   `baseline` twin.
# * Whether a policy helps, and whom, is an empirical question for each profile: the
#   national push trades earlier displacement against the jobs it funds; the retraining
#   push moves workers between occupations without creating vacancies.
# * The fiscal ledger counts what the state pays through each lever, in the profile's
#   currency; a cost per outcome is defined only when the outcome's gain is.
#
# ## Exercises
#
# 1. **Cost per outcome.** What does each policy cost the state, net, against
#    `baseline`, and what does it cost per additional job-year? Where the cost per
#    additional re-employed worker is not defined, what is the gain? (Worked answer below.)
# 2. **More seats.** Run `compare(["baseline", "retraining_push"], ...)` with
#    `overrides=["policy.retraining_subsidy.seats_per_1000=10"]`. Does doubling the seats
#    double the extra completions? What limits take-up?
# 3. **Whose gain?** Does the retraining push lift the re-employment of the displaced,
#    and employment as a whole? Compare the paired differences against `baseline` of
#    `hires_from_unemployed`, `employed` and `long_term_unemployment_share` (in
#    `comp.paired`), and `unemployment_rate_ai_core`. Then set
#    `policy.retraining_subsidy.targeting=displaced` (see `docs/PARAMETERS.md`): who
#    gains now?
# 4. **Narrower bands.** Rerun with `REPLICATIONS = 10`. Which band narrows, the 90%
#    band of the median or the 5-95% spread of the runs? Why?
# 5. **The safety net.** Add `safety_net` to `SCENARIOS` (and give it a colour). What
#    does more generous unemployment insurance do to unemployment, to re-employment and
#    to `outlay_benefits`?
#
# ### Worked answer to exercise 1
#
# The table's rows are built from `comp.policy["policy_outcomes"]`, one row per run:
# pair each policy run with the `baseline` run on the same seed, take the mean of the
# differences, and divide the mean cost by the mean gain.

# %%
out = comp.policy["policy_outcomes"].set_index(["scenario", "replication"])
for name in ("national_ai_push", "retraining_push"):
    d = out.loc[name] - out.loc["baseline"]  # paired by replication
    cost, years, reemp = d["net_fiscal_cost"].mean(), d["job_years"].mean(), d["reemployed_12m"].mean()
    print(f"{name}: net fiscal cost {CURRENCY} {cost / 1e6:,.1f} million over {MONTHS} months per {WORKERS:,} workers; "
          f"additional job-years {years:+,.0f}; additional displaced re-employed within 12 months {reemp:+,.1f}")
    for metric, col, unit in (("cost_per_additional_job_year", "job_years", "additional job-year"),
                              ("cost_per_additional_reemployed_12m", "reemployed_12m", "additional displaced worker re-employed within 12 months")):
        r = ce[(ce["scenario"] == name) & (ce["metric"] == metric)].iloc[0]
        if str(r["note"]).startswith("not defined"):
            print(f"  cost per {unit}: {r['note']}")
        else:
            print(f"  cost per {unit}: {CURRENCY} {r['estimate']:,.0f} [{r['lo']:,.0f}, {r['hi']:,.0f}] "
                  f"(by hand: {cost / d[col].mean():,.0f})")

# %% [markdown]
# Read these as orders of magnitude, with caveats that pull in opposite directions. The
# ledger leaves out administration and the taxes and contributions that the re-employed
# pay (the paired difference of the benefit line does count the benefit months a policy
# saves or adds). The gains are narrow: re-employment within 12 months counts only the
# displaced, and only whether they found work within a year; job-years count everyone, so
# they also show someone else's wait. And the bands come from only `REPLICATIONS`
# replications of `WORKERS` workers.

# %%
assert np.isfinite(ce.loc[ce["metric"] == "net_fiscal_cost", "estimate"]).all()
