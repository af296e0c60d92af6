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
# # 04 · Sweeps and sensitivity: which assumptions drive the answer?
#
# One run answers "what happens under these assumptions". A researcher also asks
# "how much does the answer depend on them?". This notebook
#
# 1. runs a small **parameter sweep** with the command line (`laborshift -m`), every
#    combination of two parameters on three seeds, on all local cores;
# 2. reads it back as **one tidy dataset** with `collect` (one row per run and month, the
#    swept parameters and the seed as columns) and plots what the sweep shows;
# 3. runs a **global sensitivity analysis** (`laborshift-sensitivity`, Morris screening
#    with SALib) and reads which parameters move AI displacement and displaced workers'
#    re-employment the most.
#
# The question of the sweep: how much AI displacement comes from how strongly AI
# substitutes for labour (`ai.automation_strength`), and does paying for retraining
# (`policy.retraining_subsidy.cost_share`) change how fast the displaced find work?
#
# Populations are small so that the notebook runs in about a minute; every command is
# the one you would type at a terminal, with larger `workers` and more seeds. Outputs go
# under `results/notebooks/` (ignored by git).

# %%
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from simulation.sweep import collect

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)

# the repository's results/ folder (Jupyter starts notebooks in notebooks/)
ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
OUT = ROOT / "results" / "notebooks" / "04"
WORKERS, MONTHS = 3_000, 120


def command(name: str) -> str:
    """The console script installed beside this notebook's Python (else the one on PATH)."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def shell(name: str, *args: str) -> str:
    """Run a laborshift command as at a terminal; show its last lines; stop on an error."""
    proc = subprocess.run([command(name), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


# %% [markdown]
# ## 1. A sweep from the command line
#
# `-m` turns `laborshift` into a sweep: `a=1,2` lists values, `seed=range(3)` is seeds
# 0, 1, 2. Here: 2 automation strengths x 2 subsidy cost shares x 3 seeds = 12 runs, with
# the retraining subsidy switched on in every run. Each run gets its own folder, named by
# its overrides; `hydra.sweep.dir` names the sweep's folder (without it, the folder is
# `results/sweeps/sweep-<id>`, the id a hash of the overrides).
#
# Run the cell twice: the second time every run is skipped, because its folder already
# holds a complete run of the same configuration (that is also how a killed sweep resumes).

# %%
sweep_dir = OUT / "sweep"
log = shell(
    "laborshift", "-m",
    f"workers={WORKERS}", f"months={MONTHS}", "progress=false", "figures=false",
    "policy.retraining_subsidy.enabled=true",
    "ai.automation_strength=0.5,1.0",
    "policy.retraining_subsidy.cost_share=0.0,0.9",
    "seed=range(3)",
    f"hydra.sweep.dir={sweep_dir}",
)
print("\n".join(line for line in log.splitlines() if line.startswith("[run")))
print(sorted(p.name for p in sweep_dir.iterdir() if p.is_dir())[:3], "...")

# %% [markdown]
# ## 2. One tidy dataset
#
# `collect` (or `laborshift-collect <folder>` at a terminal, which also writes the dataset
# as Parquet and CSV into `<folder>/collected/`) merges the runs. It reports runs that
# are missing or incomplete, by their parameters: here there are none.

# %%
c = collect(sweep_dir)
print(c.report())
ts, summary = c.timeseries, c.summary
swept = ["ai.automation_strength", "policy.retraining_subsidy.cost_share"]
display(summary[["seed", *swept, "ai_displaced_final", "displaced_reemployed_12m_share_final", "unemployment_rate_peak"]])

# %% [markdown]
# Average over seeds, one row per combination. The seed is a column like any other, so
# the spread across seeds is one `groupby` away.

# %%
table = summary.groupby(swept)[["ai_displaced_final", "displaced_reemployed_12m_share_final", "retraining_started_total"]]
display(table.agg(["mean", "std"]).round(3))

# %% [markdown]
# The trajectories, one panel per automation strength, one line per cost share, the band
# the range over the three seeds.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, (strength, part) in zip(axes, ts.groupby("ai.automation_strength"), strict=True):
    for share, g in part.groupby("policy.retraining_subsidy.cost_share"):
        band = g.groupby("month")["ai_displaced_cumulative"].agg(["min", "median", "max"])
        line = ax.plot(band.index, band["median"], label=f"subsidy pays {share:.0%}")[0]
        ax.fill_between(band.index, band["min"], band["max"], color=line.get_color(), alpha=0.2)
    ax.set_title(f"automation strength {strength}")
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("AI-displaced workers (cumulative)")
axes[1].legend()
fig.tight_layout()

# %% [markdown]
# Read it: automation strength scales displacement directly (it is the share of the
# automatable task content that firms actually automate), while the subsidy's cost share
# leaves displacement almost where it was; it acts afterwards, on who retrains and how
# fast the displaced find work (the table above: `retraining_started_total`).
#
# ## 3. Which assumptions matter? A sensitivity analysis
#
# A sweep varies two parameters on a grid. A global sensitivity analysis varies many at
# once and apportions the spread of an output among them. `laborshift-sensitivity` takes
# a problem from `configs/sensitivity/` (here the shipped `ai_policy`: six parameters with
# their ranges), draws a design with SALib, runs it through the same launchers as a sweep
# (all runs on one seed, so differences come from the parameters, not the draw), and
# writes the indices with confidence intervals, a table and a figure.
#
# Morris screening is the cheap first look: `samples` trajectories of (parameters + 1)
# runs each, 4 x 7 = 28 runs here. `mu*` is the mean absolute effect of moving a
# parameter across its range (in the output's units), `sigma` shows non-linearity and
# interactions. Sobol indices (`method=sobol`, the default) cost more runs and give shares
# of variance: first-order and total.

# %%
sens_dir = OUT / "sensitivity"
log = shell("laborshift-sensitivity", "method=morris", "samples=4", "workers=2000", f"months={MONTHS}",
            f"hydra.sweep.dir={sens_dir}")
print(log.splitlines()[0])
print(log.splitlines()[-1])
display(Markdown((sens_dir / "indices.md").read_text().split("## ", 1)[1].join(["## ", ""])))

# %%
indices = pd.read_parquet(sens_dir / "indices.parquet")
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for ax, (output, d) in zip(axes, indices.groupby("output", sort=False), strict=True):
    d = d.sort_values("mu_star")
    ax.barh(d["parameter"], d["mu_star"], xerr=d["mu_star_conf"], color="#4C72B0", capsize=2)
    ax.set_title(output, fontsize=10)
    ax.set_xlabel("mu* (mean |elementary effect|)")
    ax.grid(axis="x", alpha=0.3)
fig.tight_layout()

# %% [markdown]
# Every run of the design is kept, with its parameters and outputs (`runs.parquet`), so the
# indices can be checked by eye: plot an output against the parameter that ranks first.

# %%
runs = pd.read_parquet(sens_dir / "runs.parquet")
top = indices[indices["output"] == "ai_displaced_final"].sort_values("mu_star").iloc[-1]["parameter"]
ax = runs.plot.scatter(x=top, y="ai_displaced_final", figsize=(5, 3.5), title=f"each run of the design: {top}")
ax.grid(alpha=0.3)

# %% [markdown]
# With 2,000 workers and 4 trajectories the intervals are wide: this is a screen, not a
# measurement. For a paper, use `method=sobol samples=256 workers=10000` (2,048 runs), on
# a cluster with `hydra/launcher=slurm` if need be; the README shows the commands.
#
# ## Exercises
#
# 1. **Seeds or parameters?** In the sweep, how does the spread of `ai_displaced_final`
#    across seeds compare with its change between the two automation strengths?
#    (Worked answer below.)
# 2. **Paired effect of the subsidy.** For each seed and automation strength, compute the
#    difference in `displaced_reemployed_12m_share_final` between cost shares 0.9 and 0.
#    Pairing on the seed removes most of the noise; is the effect's sign the same on every
#    seed?
# 3. **A bigger sweep.** Add `ai.capability_growth=0.04,0.08` to the sweep. How many runs
#    does it make? Run it and check with `c.report()` that none is missing.
# 4. **Sobol.** Run `laborshift-sensitivity samples=16 workers=2000` (Sobol, 16 x 8 = 128
#    runs). Do the first-order and total indices rank the parameters as Morris did? Where
#    total is much larger than first-order, the parameter acts through interactions.
#
# ### Worked answer to exercise 1

# %%
by = summary.groupby("ai.automation_strength")["ai_displaced_final"]
within = summary.groupby(swept)["ai_displaced_final"].std().mean()
between = by.mean().diff().iloc[-1]
print(f"mean AI-displaced: {by.mean().round(1).to_dict()}")
print(f"average spread across seeds (std within a combination): {within:.1f}")
print(f"change from automation strength 0.5 to 1.0: {between:+.1f} ({between / within:.1f} seed standard deviations)")

# %% [markdown]
# Going from half to full automation moves displacement by several times the spread
# between seeds, so three seeds are enough to see the effect of this parameter; an effect
# the size of the seed spread would need many more (notebook 02 shows how bands narrow
# with replications).
