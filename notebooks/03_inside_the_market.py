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
# 1. **A displaced IT-operations engineer who retrains**: we find one in a baseline run, then replay
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
STATUS_COLORS = {"employed": "#1b9e77", "unemployed": "#d95f02", "retraining": "#7570b3", "out_of_labor_force": "#999999",
                 "retired": "#cccccc"}

# %% [markdown]
# ## 1. A model you step yourself
#
# `run()` (notebook 01) builds a model and steps it to the horizon. Here we do it by hand.
# One step is one month, made of named sub-steps in a fixed order:

# %%
cfg = compose("baseline", [f"workers={WORKERS}", f"months={MONTHS}", f"seed={SEED}"])
model = LaborMarketModel(cfg)
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
# ## 2. Find a displaced IT-operations engineer who retrained
#
# IT operations (monitoring, provisioning, routine incident work) is among the roles most
# exposed to automation, and the one whose displaced workers retrain most often. Run the
# ten years, then search the arrays for workers who lost an IT-operations job to AI and
# have since completed retraining:

# %%
model.run()
w, n = model.workers, model.next_slot
ops = model.occupations.names.index("it_operations")
displaced_ops = np.flatnonzero(w.displaced[:n] & (w.displaced_occupation[:n] == ops))
candidates = displaced_ops[w.retrained[displaced_ops] & (w.occupation[displaced_ops] != ops)]
print(f"{displaced_ops.size} IT-operations engineers displaced by AI; {candidates.size} of them retrained into another occupation")
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
# Pick the candidate whose path shows the whole story: employed as an IT-operations engineer,
# displaced, unemployed, retraining, and employed again in the new occupation.


# %%
def spells(path):
    """Consecutive months with the same status and occupation."""
    key = path["status"] + " / " + path["occupation"]
    block = (key != key.shift()).cumsum()
    return path.groupby(block).agg(status=("status", "first"), occupation=("occupation", "first"), start=("month", "first"),
                                   end=("month", "last"), target=("retraining_target", "first"), route=("retraining_route", "first"),
                                   wage_paid=("wage_paid", "mean")).reset_index(drop=True)


def full_story(path, displaced_month):
    """Whether a path runs: employed as an IT-operations engineer, displaced, unemployed, retraining, employed in another occupation."""
    s = spells(path)
    before = s[s["start"] < displaced_month]
    after = s[s["start"] >= displaced_month]
    if before.empty or not ((before["status"] == "employed") & (before["occupation"] == "it_operations")).iloc[-1]:
        return False
    seq = list(after["status"])
    if "retraining" not in seq:
        return False
    i = seq.index("retraining")
    return "unemployed" in seq[:i] and any((after["status"].iloc[i:] == "employed") & (after["occupation"].iloc[i:] != "it_operations"))


story_ids = [uid for uid, p in paths.groupby("worker") if full_story(p, int(w.displaced_month[uid]))]
assert story_ids, "no candidate shows the full story on this seed: try another SEED"


def hired_as_trained(uid):
    """Whether the first job after retraining is in the occupation trained for."""
    s = spells(paths[paths["worker"] == uid])
    train = s[(s["status"] == "retraining") & (s["start"] >= w.displaced_month[uid])].iloc[0]
    return s.loc[(s["status"] == "employed") & (s["start"] > train["end"]), "occupation"].iloc[0] == train["target"]


uid = ([i for i in story_ids if hired_as_trained(i)] or story_ids)[0]  # prefer one hired in the occupation trained for
path = paths[paths["worker"] == uid].reset_index(drop=True)
s = spells(path)
display(s)

# %%
d_month = int(w.displaced_month[uid])
lost_wage = float(w.displaced_wage[uid])
train = s[(s["status"] == "retraining") & (s["start"] >= d_month)].iloc[0]
job = s[(s["status"] == "employed") & (s["start"] > train["end"])].iloc[0]
print(f"Worker {uid} was a {STAGES[int(w.displaced_stage[uid])]}-career IT-operations engineer earning USD {lost_wage:,.0f} a month "
      f"when the job went to AI in month {d_month}.")
print(f"After {int(train['start']) - d_month} months without work they enrolled in {train['route']} retraining towards "
      f"{train['target'].replace('_', ' ')}, which took until month {int(train['end'])}.")
print(f"In month {int(job['start'])} they were hired as {job['occupation'].replace('_', ' ')} at USD {job['wage_paid']:,.0f} a month, "
      f"{job['wage_paid'] / lost_wage - 1:+.0%} against the job lost.")

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
a2.set(xlabel="month", ylabel="USD per month", title="Wage while employed")
a2.legend(fontsize=8)
plt.show()

# %% [markdown]
# One story is an anecdote. How did *all* the IT-operations engineers displaced by AI fare? Their
# status and occupation at the end of the run:

# %%
outcome = pd.DataFrame({"status": [STATUS_NAMES[int(x)] for x in w.status[displaced_ops]],
                        "occupation now": [model.occupations.names[int(o)] for o in w.occupation[displaced_ops]],
                        "retrained": w.retrained[displaced_ops]})
display(pd.crosstab(outcome["occupation now"], outcome["status"], margins=True))
print(f"share who completed retraining at some point: {outcome['retrained'].mean():.0%}")

# %% [markdown]
# Most displaced IT-operations engineers who are back in work are back in IT operations or a neighbouring
# traditional role; retraining is the path of a minority. Retraining costs tuition,
# months without pay and effort, all of which grow with the skill distance to the target
# and with age, so it pays only for some (the decision rule is in
# `simulation/processes/retraining.py`).
#
# ## 3. A firm that over-hires for AI, then lays off
#
# In `hype_cycle`, firms over-estimate the return on AI by about 150%. They adopt fast,
# and their hiring budgets, which grow with the expected return, pay for AI-core hires.
# When the realised return keeps falling short for longer than a firm's patience, it
# stalls its AI projects: the budget falls back and the AI hires are laid off.
#
# Step the scenario and record every firm each month through the `AgentSet` of firm
# agents (`model.agents_by_type[Firm]`):

# %%
hype = LaborMarketModel(compose("hype_cycle", [f"workers={WORKERS}", f"months={MONTHS}", f"seed={SEED}"]))
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
print(f"{len(stalled)} of {len(firms)} firms stalled their AI projects within {MONTHS} months")

# %% [markdown]
# Which firm had the sharpest boom and bust? Score each stalled firm by the smaller of
# its AI-core build-up (peak minus start) and its cut after the peak (peak minus the low
# that follows), in workers:

# %%
ai = panel.pivot(index="month", columns="firm", values="ai_core")
scores = {}
for f in stalled:
    col = ai[f.index]
    peak_month = int(col.idxmax())
    rise = col.max() - col.iloc[0]
    cut = col.max() - col.loc[peak_month:].min()
    scores[f.index] = min(rise, cut)
best = max(scores, key=scores.get)
firm = hype.firm(best)
one = panel[panel["firm"] == best].set_index("month")
print(f"firm {best} ({firm.sector}): AI-core headcount {one['ai_core'].iloc[0]} at the start, {one['ai_core'].max()} at its peak "
      f"(month {one['ai_core'].idxmax()}), {one['ai_core'].iloc[-1]} at the end; stalled in month {firm.stalled_month}")
display(pd.DataFrame({"start": frames[0].set_index("firm").loc[best, ["ai_core", "other"]],
                      "peak": one.loc[one["ai_core"].idxmax(), ["ai_core", "other"]],
                      "end": one.iloc[-1][["ai_core", "other"]]}))

# %%
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
a1.plot(one.index, one["ai_core"], color="#1b9e77", lw=2, label="AI-core headcount")
a1.plot(one.index, one["other"], color="#d95f02", label="other headcount")
a1.axvline(firm.stalled_month, color="black", ls="--", lw=1, label="stalls its AI projects")
a1.set(xlabel="month", ylabel="employees", title=f"Firm {best} ({firm.sector}): headcount")
a1.legend(fontsize=8)
a2.plot(one.index, one["expected_return"], color="#7570b3", label="expected return on AI")
a2.plot(one.index, one["adoption"], color="black", label="AI adoption")
a2.axvline(firm.stalled_month, color="black", ls="--", lw=1)
a2b = a2.twinx()
a2b.plot(one.index, one["budget"] / 1e6, color="#999999", ls=":", label="hiring budget (right, USD m / month)")
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

# %% [markdown]
# Read the views together (on this seed; check another):
#
# * Unemployment is by far highest early in a career: each year's graduates enter the
#   market unemployed, and the teeth of the curve are those cohorts.
# * AI displacement falls mostly on mid-career workers, who hold most of the jobs.
# * Once displaced, early-career workers do worst: the smallest share re-employed within
#   a year and the largest share out of the labour force, as they queue with the
#   graduates. Late-career workers who are re-employed find work fastest, but some of
#   them retire instead.
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
# * Aggregates hide wide distributions: the typical displaced worker is re-employed in
#   a traditional role; retraining is a minority path; outcomes differ by career stage.
#
# ## Exercises
#
# 1. **The road not taken.** Follow a displaced IT-operations engineer who did *not* retrain
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

# %% [markdown]
# Broadly, the higher a sector's AI affinity (how much AI returns there, from
# `simulation/data/sectors.csv`), the faster its firms adopt, the sooner their inflated
# expectations run ahead of what AI delivers, and the earlier they stall. With only a
# few firms per sector at this population, one firm's patience can move a sector's row:
# increase `WORKERS` to see which differences hold.

# %%
assert by_sector["stalled"].sum() == len(stalled)
