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
# # 03 · Inside the market: individual workers and firms
#
# Notebooks 01 and 02 read aggregates. Behind every line of those tables are individual
# workers and firms making decisions month by month. This notebook opens the model up:
#
# 1. **A displaced worker who retrains**: we find one in a baseline run, then replay
#    the same run month by month and follow them through displacement, search,
#    retraining and a new job.
# 2. **A firm caught in a hype cycle**: in the `hype_cycle` scenario, firms over-estimate
#    the return on AI, over-hire for AI projects, stall and lay off. We follow the firm
#    with the sharpest boom and bust.
# 3. **Who bears the cost**: the distribution of outcomes of the displaced by career
#    stage (early < 30, mid 30-44, late 45+ years).
#
# The tools: `LaborMarketModel` (a `mesa.Model` you can step yourself), its agent views
# `model.worker(i)` and `model.firm(j)` (thin `mesa.Agent` objects that read the model's
# arrays), and the `AgentSet` of firms.
#
# The runs use the default profile, `china` (money in CNY); set `OVERRIDES = ["profile=us"]`
# below for the US market. Who is displaced, who retrains and which firm busts differ with
# the profile and the seed, so every example below is picked by a rule, and the cells say
# which one they found.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from simulation import LaborMarketModel, compose
from simulation.agents import Firm
from simulation.state import STAGES, STATUS_NAMES

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)

WORKERS = 10_000
MONTHS = 120
SEED = 7
OVERRIDES = []  # e.g. ["profile=us"]
STATUS_COLORS = {"employed": "#1b9e77", "unemployed": "#d95f02", "retraining": "#7570b3", "out_of_labor_force": "#999999",
                 "retired": "#cccccc"}

# %% [markdown]
# ## 1. A model you step yourself
#
# `run()` (notebook 01) builds a model and steps it to the horizon. Here we do it by hand.
# One step is one month, made of named sub-steps in a fixed order:

# %%
cfg = compose("baseline", [f"workers={WORKERS}", f"months={MONTHS}", f"seed={SEED}", *OVERRIDES])
model = LaborMarketModel(cfg)
CURRENCY = model.cfg.profile.currency
print(f"profile {model.cfg.profile.name}, money in {CURRENCY}")
print(" -> ".join(model.STEP_ORDER))
print(f"{model.population:,} workers, {model.firms.n} firms; firms are mesa agents: {len(model.agents_by_type[Firm])}")

# %% [markdown]
# Every worker is a row in a set of arrays (`simulation/state.py` declares each field);
# `model.worker(i)` is a view onto one row, with readable names for the coded fields:

# %%
SCALARS = ["status", "occupation", "lane", "stage", "age", "employer", "wage", "reservation_wage", "months_unemployed",
           "displaced", "retraining_target", "retraining_route", "retrained"]
print(pd.Series({k: model.worker(0).snapshot()[k] for k in SCALARS}).to_string())

# %% [markdown]
# ## 2. Find a displaced worker who retrained
#
# Run the ten years, then search the arrays for workers who lost a job to AI and have
# since completed retraining into another occupation. Which roles lose workers to AI, and
# whose displaced retrain, depends on the profile and the seed, so we follow the
# occupation whose displaced workers most often retrained into another one on this run
# (`OCC`; failing any, the one that lost most workers to AI):

# %%
model.run()
w, n = model.workers, model.next_slot
names = model.occupations.names
displaced = np.flatnonzero(w.displaced[:n])
assert displaced.size, "nobody was displaced by AI in this run: try a longer run or another SEED"
moved = displaced[w.retrained[displaced] & (w.occupation[displaced] != w.displaced_occupation[displaced])]
occ = int(np.bincount(w.displaced_occupation[moved if moved.size else displaced]).argmax())
OCC, LABEL = names[occ], names[occ].replace("_", " ")
displaced_occ = displaced[w.displaced_occupation[displaced] == occ]
candidates = displaced_occ[w.retrained[displaced_occ] & (w.occupation[displaced_occ] != occ)]
print(f"{displaced.size} workers displaced by AI, {moved.size} of them retrained into another occupation; "
      f"following {LABEL}: {displaced_occ.size} displaced, {candidates.size} retrained into another occupation")
if not candidates.size:  # nobody of OCC retrained: follow (up to 20 of) its displaced anyway
    candidates = displaced_occ[:20]
display(pd.DataFrame([{"worker": int(i), **{k: model.worker(int(i)).snapshot()[k] for k in ("status", "occupation", "stage")},
                       "displaced_month": int(w.displaced_month[i]), "reemployed_month": int(w.reemployed_month[i])}
                      for i in candidates]).set_index("worker"))

# %% [markdown]
# The arrays tell us where they ended up, not how they got there. To see the path, replay
# the run: the same configuration and seed give the same run, month for month, so we can
# build a fresh model, step it, and record the candidates' state after every month.


# %%
def record(m, uid):
    """One month of one worker, read through the agent view."""
    v = m.worker(uid)
    employed = v.status == "employed"
    return {"month": m.month, "worker": uid, "status": v.status, "occupation": v.occupation, "employer": v.employer,
            "wage_paid": float(m.current_wage_of(np.array([uid]))[0]) if employed else np.nan,
            "months_unemployed": v.months_unemployed, "retraining_target": v.retraining_target,
            "retraining_route": v.retraining_route, "train_months_left": v.train_months_left}


replay = LaborMarketModel(cfg)
rows = []
for month in range(MONTHS + 1):
    if month:
        replay.step()
    rows += [record(replay, int(i)) for i in candidates if i < replay.next_slot]  # graduates exist from the month they enter
paths = pd.DataFrame(rows)
assert (replay.workers.status[:n] == w.status[:n]).all(), "the replay differs from the first run"

# %% [markdown]
# Pick the candidate whose path shows most of the story. Best: employed in `OCC`,
# displaced, without work until retraining, then hired in the occupation trained for;
# next, the same but hired in another occupation; next, retraining and a job in a new
# occupation after spells of work in between; failing all of these, the first candidate.


# %%
def spells(path):
    """Consecutive months with the same status and occupation."""
    key = path["status"] + " / " + path["occupation"]
    block = (key != key.shift()).cumsum()
    return path.groupby(block).agg(status=("status", "first"), occupation=("occupation", "first"), start=("month", "first"),
                                   end=("month", "last"), target=("retraining_target", "first"), route=("retraining_route", "first"),
                                   wage_paid=("wage_paid", "mean")).reset_index(drop=True)


STORIES = {3: "displaced, without work until retraining, then hired in the occupation trained for",
           2: "displaced, without work until retraining, then hired in another occupation",
           1: "displaced, back in work for a while, later retrained and hired in a new occupation",
           0: "displaced (no candidate shows retraining followed by a job in a new occupation)"}


def story(path, displaced_month):
    """How much of the story a path shows (a key of STORIES)."""
    s = spells(path)
    before, after = s[s["start"] < displaced_month], s[s["start"] >= displaced_month]
    if before.empty or before["status"].iloc[-1] != "employed" or before["occupation"].iloc[-1] != OCC:
        return 0
    seq = list(after["status"])
    if "retraining" not in seq:
        return 0
    i = seq.index("retraining")
    later = after.iloc[i:]
    jobs = later[(later["status"] == "employed") & (later["occupation"] != OCC)]
    if jobs.empty:
        return 0
    if "employed" in seq[:i]:
        return 1
    return 3 if jobs["occupation"].iloc[0] == later["target"].iloc[0] else 2


tiers = {uid: story(p, int(w.displaced_month[uid])) for uid, p in paths.groupby("worker")}
uid = max(tiers, key=lambda i: (tiers[i], -i))  # the best story; among equals, the first worker
path = paths[paths["worker"] == uid].reset_index(drop=True)
s = spells(path)
print(f"worker {uid}: {STORIES[tiers[uid]]} ({sum(t == tiers[uid] for t in tiers.values())} of {len(tiers)} candidates tell this story)")
display(s)

# %%
d_month = int(w.displaced_month[uid])
lost_wage = float(w.displaced_wage[uid])
stage = STAGES[int(w.displaced_stage[uid])]
print(f"Worker {uid} was {'an' if stage == 'early' else 'a'} {stage}-career {LABEL} worker earning {CURRENCY} {lost_wage:,.0f} a month "
      f"when the job went to AI in month {d_month}. From then on:")
for _, sp in s[s["end"] >= d_month].iterrows():
    months = f"months {max(int(sp['start']), d_month)}-{int(sp['end'])}"
    if sp["status"] == "employed":
        what = (f"employed as {sp['occupation'].replace('_', ' ')} at {CURRENCY} {sp['wage_paid']:,.0f} a month "
                f"({sp['wage_paid'] / lost_wage - 1:+.0%} against the job lost)")
    elif sp["status"] == "retraining":
        what = f"in {sp['route']} retraining towards {sp['target'].replace('_', ' ')}"
    else:
        what = sp["status"].replace("_", " ")
    print(f"  {months}: {what}")

# %%
fig, (a1, a2) = plt.subplots(2, 1, figsize=(12, 5), sharex=True, height_ratios=[1, 2], layout="constrained")
for _, sp in s.iterrows():
    a1.broken_barh([(sp["start"] - 0.5, sp["end"] - sp["start"] + 1)], (0, 1), color=STATUS_COLORS[sp["status"]])
    if sp["end"] - sp["start"] >= 6:
        label = sp["occupation"] if sp["status"] == "employed" else sp["status"]
        a1.text((sp["start"] + sp["end"]) / 2, 0.5, label.replace("_", " "), ha="center", va="center", fontsize=8, color="white")
a1.set(yticks=[], title=f"Worker {uid}: status and occupation, month by month")
for name, c in STATUS_COLORS.items():
    if name in set(s["status"]):
        a1.bar(0, 0, color=c, label=name.replace("_", " "))
a1.legend(loc="upper left", fontsize=8, ncol=4)
a2.plot(path["month"], path["wage_paid"], color="black", drawstyle="steps-mid", label="wage paid")
a2.axhline(lost_wage, color="#d95f02", ls="--", lw=1, label="wage of the job lost to AI")
a2.axvline(d_month, color="#d95f02", lw=1)
a2.set(xlabel="month", ylabel=f"{CURRENCY} per month", title="Wage while employed")
a2.legend(fontsize=8)
plt.show()

# %% [markdown]
# One story is an anecdote. How did *all* the workers of `OCC` displaced by AI fare? Their
# status and occupation at the end of the run:

# %%
lanes = model.occupations.lane_names
outcome = pd.DataFrame({"status": [STATUS_NAMES[int(x)] for x in w.status[displaced_occ]],
                        "occupation now": [names[int(o)] for o in w.occupation[displaced_occ]],
                        "retrained": w.retrained[displaced_occ]})
display(pd.crosstab(outcome["occupation now"], outcome["status"], margins=True))
working = outcome[outcome["status"] == "employed"]
same_lane = working["occupation now"].map(lambda o: lanes[names.index(o)] == lanes[occ])
print(f"{LABEL}, displaced by AI: {len(outcome)}; in work in month {MONTHS}: {len(working)}, of whom "
      f"{(working['occupation now'] == OCC).mean():.0%} in {LABEL} and {same_lane.mean():.0%} in its lane "
      f"({lanes[occ].replace('_', ' ')}); {outcome['retrained'].mean():.0%} of the displaced completed retraining at some point")

# %% [markdown]
# Compare where the displaced who are back in work are (their own occupation, their lane)
# with the share who retrained. Retraining costs tuition, months without pay and effort,
# all of which grow with the skill distance to the target and with age, so it pays only
# for some (the decision rule is in `simulation/processes/retraining.py`).
#
# ## 3. A firm that over-hires for AI, then lays off
#
# In `hype_cycle`, firms over-estimate the return on AI (by `ai.hype_optimism`, printed
# below). They adopt fast, and their hiring budgets, which grow with the expected return,
# pay for AI-core hires. When the realised return keeps falling short for longer than a
# firm's patience (`ai.hype_patience`), it stalls its AI projects: the budget falls back
# and the AI hires are laid off.
#
# Step the scenario and record every firm each month through the `AgentSet` of firm
# agents (`model.agents_by_type[Firm]`):

# %%
hype = LaborMarketModel(compose("hype_cycle", [f"workers={WORKERS}", f"months={MONTHS}", f"seed={SEED}", *OVERRIDES]))
firms = hype.agents_by_type[Firm]
lane_of = np.array(hype.occupations.lane)
core = lane_of == 0  # lanes: 0 AI core, 1 AI adjacent, 2 traditional
frames = []
for _ in range(MONTHS + 1):
    if frames:
        hype.step()
    heads = np.array(firms.get("headcount"))
    frames.append(pd.DataFrame({"month": hype.month, "firm": firms.get("index"), "sector": firms.get("sector"),
                                "ai_core": heads[:, core].sum(axis=1), "other": heads[:, ~core].sum(axis=1),
                                "adoption": firms.get("adoption"), "expected_return": firms.get("expected_return"),
                                "budget": firms.get("budget"), "stalled_month": firms.get("stalled_month")}))
panel = pd.concat(frames, ignore_index=True)
stalled = firms.select(lambda f: f.stalled_month >= 0)
print(f"expected return over-estimated by {hype.cfg.ai.hype_optimism:.0%}, patience {hype.cfg.ai.hype_patience} months: "
      f"{len(stalled)} of {len(firms)} firms stalled their AI projects within {MONTHS} months")

# %% [markdown]
# Which firm had the sharpest boom and bust? Score each stalled firm (every firm, if none
# stalled) by the smaller of its AI-core build-up (peak minus start) and its cut after the
# peak (peak minus the low that follows), in workers:

# %%
ai = panel.pivot(index="month", columns="firm", values="ai_core")
scores = {}
for f in stalled if len(stalled) else firms:
    col = ai[f.index]
    peak_month = int(col.idxmax())
    rise = col.max() - col.iloc[0]
    cut = col.max() - col.loc[peak_month:].min()
    scores[f.index] = min(rise, cut)
best = max(scores, key=scores.get)
firm = hype.firm(best)
one = panel[panel["firm"] == best].set_index("month")
peak = int(one["ai_core"].idxmax())
print(f"firm {best} ({firm.sector}): AI-core headcount {one['ai_core'].iloc[0]} at the start, {one['ai_core'].max()} at its peak "
      f"(month {peak}), as low as {one.loc[peak:, 'ai_core'].min()} after it, {one['ai_core'].iloc[-1]} at the end; "
      + (f"stalled in month {firm.stalled_month}" if firm.stalled_month >= 0 else "it never stalled"))
display(pd.DataFrame({"start": frames[0].set_index("firm").loc[best, ["ai_core", "other"]],
                      "peak": one.loc[one["ai_core"].idxmax(), ["ai_core", "other"]],
                      "end": one.iloc[-1][["ai_core", "other"]]}))

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
a1.plot(one.index, one["ai_core"], color="#1b9e77", lw=2, label="AI-core headcount")
a1.plot(one.index, one["other"], color="#d95f02", label="other headcount")
if firm.stalled_month >= 0:
    a1.axvline(firm.stalled_month, color="black", ls="--", lw=1, label="stalls its AI projects")
    a2.axvline(firm.stalled_month, color="black", ls="--", lw=1)
a1.set(xlabel="month", ylabel="employees", title=f"Firm {best} ({firm.sector}): headcount")
a1.legend(fontsize=8)
a2.plot(one.index, one["expected_return"], color="#7570b3", label="expected return on AI")
a2.plot(one.index, one["adoption"], color="black", label="AI adoption")
a2b = a2.twinx()
a2b.plot(one.index, one["budget"] / 1e6, color="#999999", ls=":", label=f"hiring budget (right, {CURRENCY} m / month)")
a2.set(xlabel="month", title="Expectations, adoption and budget")
a2.legend(loc="upper left", fontsize=8)
a2b.legend(loc="lower right", fontsize=8)
plt.show()

# %% [markdown]
# The firm's expectations run ahead, its budget follows them up, and it hires AI-core
# staff; when it stalls, the budget falls back and the AI-core headcount is cut. Across
# the market these individual busts add up, staggered by each firm's patience:

# %%
hts = hype.results().timeseries
fig, ax = plt.subplots(figsize=(10, 3.5), layout="constrained")
ax.bar(hts["month"], hts["layoffs_other"], color="#e7298a", alpha=0.7, label="layoffs not caused by automation (incl. stalled AI projects)")
ax.bar(hts["month"], hts["separations_ai"], bottom=hts["layoffs_other"], color="#d95f02", alpha=0.7, label="AI displacement")
ax.set(xlabel="month", ylabel="workers per month", title="hype_cycle: layoffs")
axb = ax.twinx()
axb.plot(hts["month"], hts["firms_stalled_cumulative"], color="black", label="firms stalled (cumulative, right)")
ax.legend(loc="upper left", fontsize=8)
axb.legend(loc="center left", fontsize=8)
plt.show()

# %% [markdown]
# ## 4. Who bears the cost: outcomes by career stage
#
# Back to the baseline run. `by_stage` gives the stocks and flows per career stage:

# %%
res = model.results()
bs = res.by_stage
bs = bs.assign(unemployment_rate=bs["unemployed"] / (bs["employed"] + bs["unemployed"]).clip(lower=1),
               ai_displaced_cumulative=bs.groupby("stage")["separations_ai"].cumsum())
fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
stage_colors = {"early": "#66a61e", "mid": "#e6ab02", "late": "#a6761d"}
for stage, g in bs.groupby("stage", sort=False):
    axes[0].plot(g["month"], 100 * g["unemployment_rate"], color=stage_colors[stage], label=stage)
    axes[1].plot(g["month"], g["ai_displaced_cumulative"], color=stage_colors[stage], label=stage)
    ok = g["displaced_cohort_12m"] >= 10
    axes[2].plot(g.loc[ok, "month"], 100 * g.loc[ok, "displaced_reemployed_12m_share"], color=stage_colors[stage], label=stage)
axes[0].set(xlabel="month", ylabel="%", title="Unemployment rate by stage")
axes[1].set(xlabel="month", ylabel="workers", title="AI-displaced by stage at displacement (cumulative)")
axes[2].set(xlabel="month", ylabel="%", ylim=(0, 100), title="Displaced re-employed within 12 months (cohort >= 10)")
for ax in axes:
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# The tables give shares; the arrays give the whole distribution. For every worker ever
# displaced by AI: how long until the next job, at what wage against the job lost, and
# where they are at the end of the run, by the career stage they were in when displaced.

# %%
ever = np.flatnonzero(w.displaced[:n])
d = pd.DataFrame({"stage": [STAGES[int(x)] for x in w.displaced_stage[ever]],
                  "months_to_job": np.where(w.reemployed_month[ever] >= 0, w.reemployed_month[ever] - w.displaced_month[ever], np.nan),
                  "wage_change": w.reemployed_wage[ever] / w.displaced_wage[ever] - 1,
                  "status_now": [STATUS_NAMES[int(x)] for x in w.status[ever]],
                  "months_since": MONTHS - w.displaced_month[ever]})
display(pd.crosstab(d["stage"], d["status_now"], normalize="index").reindex(STAGES).round(2))
display(d.groupby("stage")[["months_to_job", "wage_change"]].describe(percentiles=[0.5]).reindex(STAGES).round(2))

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
present = [st for st in STAGES if (d["stage"] == st).any()]
a1.boxplot([d.loc[(d["stage"] == st) & d["months_to_job"].notna(), "months_to_job"] for st in present])
a1.set(xticks=range(1, len(present) + 1), xticklabels=present, ylabel="months", title="Months from displacement to the next job (re-employed only)")
a2.boxplot([100 * d.loc[(d["stage"] == st) & d["wage_change"].notna(), "wage_change"] for st in present])
a2.axhline(0, color="black", lw=0.6)
a2.set(xticks=range(1, len(present) + 1), xticklabels=present, ylabel="%", title="Wage at re-employment against the job lost to AI")
plt.show()

# %%
old_enough = d[d["months_since"] >= 12]
by = pd.DataFrame({"unemployment rate, mean over the run": bs.groupby("stage")["unemployment_rate"].mean(),
                   "displaced by AI": d.groupby("stage").size(),
                   "re-employed within 12 months": old_enough.groupby("stage")["months_to_job"].apply(lambda m: (m <= 12).mean()),
                   "out of the labour force now": (d["status_now"] == "out_of_labor_force").groupby(d["stage"]).mean(),
                   "median months to the next job": d.groupby("stage")["months_to_job"].median()}).reindex(present)
display(by.round(3))
print(f"highest unemployment over the run: {by.iloc[:, 0].idxmax()}; most displaced by AI: {by.iloc[:, 1].idxmax()} "
      f"({by.iloc[:, 1].max():.0f} of {len(d)})")
print(f"once displaced: lowest share re-employed within 12 months: {by.iloc[:, 2].idxmin()}; largest share out of the labour "
      f"force now: {by.iloc[:, 3].idxmax()}; fastest back in work (median): {by.iloc[:, 4].idxmin()}")

# %% [markdown]
# Read the views together (the last cell names the stage at each extreme on this run;
# check another seed, and mind the counts: a stage with few displaced moves a lot):
#
# * Unemployment by stage mixes two sources: the graduates who enter each year without a
#   job offer search at the same time (the yearly teeth of the early-career curve), and
#   the displaced, who are counted by the stage they were in when they lost their job.
# * AI displacement falls where the exposed jobs are, weighted by how many workers of
#   each stage hold them.
# * Once displaced, workers of different stages queue differently: the early-career
#   displaced compete with each year's graduates, the late-career displaced may retire
#   instead of searching.
# * Within each stage the spread is wide: some find work within a month or two, others
#   search for two years or more, and the new wage can be well above or below the job
#   lost. Compare medians *and* tails, and mind the counts (the `count` column).
#
# ## What to take away
#
# * `LaborMarketModel` can be stepped by hand; `model.worker(i)` and `model.firm(j)` are
#   views of one agent, and `model.agents_by_type[Firm]` is a mesa `AgentSet`.
# * Same configuration and seed, same run: you can find a story in one run and replay it
#   to follow it month by month.
# * Aggregates hide wide distributions: where the displaced end up, how many retrain and
#   how fast they find work differ from worker to worker and by career stage.
#
# ## Exercises
#
# 1. **The road not taken.** Follow a displaced worker of `OCC` who did *not* retrain
#    (`w.retrained` is `False`). How long did they search, and at what wage were they
#    re-employed, if at all?
# 2. **Which sectors stall first?** In the `hype_cycle` run, use the `AgentSet` to find,
#    per sector, how many firms stalled and the median month they did. (Worked answer
#    below.)
# 3. **Cheaper retraining for older workers.** Rerun the baseline with
#    `retraining.age_cost=0` (see `docs/PARAMETERS.md`). Do more late-career displaced
#    workers retrain, and does their re-employment within 12 months change?
# 4. **Patience.** Rerun `hype_cycle` with `ai.hype_patience=36`. Does the boom of the
#    firm you followed last longer, and is the bust deeper?
#
# ### Worked answer to exercise 2
#
# `AgentSet.groupby` groups the firm agents by an attribute; `agg` reduces an attribute
# of each group. A firm that never stalled has `stalled_month == -1`, so select the
# stalled firms first.

# %%
by_sector = pd.DataFrame({"firms": firms.groupby("sector").count(),
                          "stalled": stalled.groupby("sector").count(),
                          "median stall month": stalled.groupby("sector").agg("stalled_month", np.median),
                          "mean adoption now": firms.groupby("sector").agg("adoption", np.mean),
                          "sector AI affinity": dict(zip(hype.sectors.names, hype.sectors.ai_affinity, strict=True))})
by_sector["stalled"] = by_sector["stalled"].fillna(0).astype(int)
display(by_sector.sort_values("median stall month"))

# %%
rho = by_sector["sector AI affinity"].corr(by_sector["median stall month"], method="spearman")
print(f"rank correlation between a sector's AI affinity and its median stall month: {rho:+.2f}")

# %% [markdown]
# The mechanism to look for: the higher a sector's AI affinity (how much AI returns there,
# from `simulation/data/sectors.csv`), the faster its firms adopt, the sooner their
# inflated expectations run ahead of what AI delivers, and the earlier they stall; if it
# dominates, the rank correlation above is negative. With only a few firms per sector at
# this population, one firm's patience can move a sector's row: increase `WORKERS` to see
# which differences hold.

# %%
assert by_sector["stalled"].sum() == len(stalled)
