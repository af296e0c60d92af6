"""What a hiring subsidy bought: subsidised hires, deadweight, substitution and net job creation, per replication.

The standard decomposition of a targeted hiring subsidy (Calmfors 1994, OECD Econ. Stud. 22; OECD Employment Outlook
2021) splits the subsidised hires into those that would have happened anyway (*deadweight*), those that took the place
of hires of other job seekers (*substitution*) and the rest, the net job creation. The model measures each against a
reference run on the same seed (common random numbers, :mod:`simulation.compare`), so no assumption about the
counterfactual is needed: the reference *is* the counterfactual.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ("replication", "seed")
COLUMNS = ("hires_subsidised", "hires_from_unemployed_displaced", "hires_from_unemployed_other", "employed")


def hiring_effects(runs: pd.DataFrame, scenario: str, reference: str) -> pd.DataFrame:
    """The hiring subsidy's effects in ``scenario`` against ``reference``, one row per replication (same seed in both).

    ``runs`` is the comparison's ``runs`` table (columns scenario, replication, seed, month and every timeseries
    column). The *acting months* of a replication are the months from the scenario's first subsidised hire to the end
    of the run (month >= 1); every sum below runs over them, in both runs. Eligible hires are hires from unemployment of
    workers ever displaced by AI (``hires_from_unemployed_displaced``), the hires the subsidy pays for while it acts.

    Columns:

    * ``first_month``, ``acting_months``: the first acting month and the number of acting months (NaN and 0 if the
      scenario made no subsidised hire);
    * ``subsidised_hires`` S: hires the subsidy paid for (``hires_subsidised``);
    * ``eligible_hires``, ``eligible_hires_reference``: eligible hires in the scenario and in the reference;
    * ``additional_eligible_hires`` A: eligible hires in the scenario less those in the reference;
    * ``deadweight`` = S - A: subsidised hires that would have happened anyway (the reference's eligible hires when
      every eligible hire of the scenario is subsidised), and ``deadweight_share`` = (S - A) / S;
    * ``other_hires``, ``other_hires_reference``: hires from unemployment of workers never displaced by AI;
    * ``substitution``: the fall in those hires, reference less scenario (other job seekers not hired because the
      subsidised were), and ``substitution_share`` = substitution / S;
    * ``net_jobs_mean``: the mean over the acting months of employment in the scenario less the reference (net job
      creation as a stock: jobs added on average while the lever acts), ``net_jobs_end``: the same at the last month;
    * ``outlay``: the subsidy paid over the acting months (``outlay_wage_subsidy``; NaN if the column is absent), and
      ``outlay_per_net_job_year``: outlay / (net_jobs_mean x acting_months / 12) (NaN unless net_jobs_mean > 0).

    The reference is meant to be a run without the hiring subsidy; a reference with it makes A the difference of the
    two subsidies' eligible hires.
    """
    need = set(COLUMNS) | set(KEYS) | {"scenario", "month"}
    missing = need - set(runs.columns)
    if missing:
        raise ValueError(f"hiring_effects: runs lacks the columns {sorted(missing)}")
    for name in (scenario, reference):
        if not (runs["scenario"] == name).any():
            raise ValueError(f"hiring_effects: no runs of scenario {name!r} (have {sorted(runs['scenario'].unique())})")
    cols = [*COLUMNS, *(["outlay_wage_subsidy"] if "outlay_wage_subsidy" in runs.columns else [])]
    scen = runs.loc[(runs["scenario"] == scenario) & (runs["month"] >= 1), [*KEYS, "month", *cols]]
    ref = runs.loc[(runs["scenario"] == reference) & (runs["month"] >= 1), [*KEYS, "month", *cols]]
    paired = scen.merge(ref, on=[*KEYS, "month"], suffixes=("", "_ref"))
    rows = [_one_replication(key, g, "outlay_wage_subsidy" in cols) for key, g in paired.groupby(list(KEYS), sort=True)]
    return pd.DataFrame(rows)


def _one_replication(key: tuple, g: pd.DataFrame, has_outlay: bool) -> dict:
    """The row of one replication: ``g`` holds its scenario and reference months side by side (reference: ``_ref``)."""
    g = g.sort_values("month")
    started = g["month"][g["hires_subsidised"] > 0]
    first = float(started.min()) if started.size else np.nan
    on = g[g["month"] >= first] if started.size else g.iloc[0:0]
    s = float(on["hires_subsidised"].sum())
    elig, elig_ref = float(on["hires_from_unemployed_displaced"].sum()), float(on["hires_from_unemployed_displaced_ref"].sum())
    other, other_ref = float(on["hires_from_unemployed_other"].sum()), float(on["hires_from_unemployed_other_ref"].sum())
    additional = elig - elig_ref
    gap = on["employed"] - on["employed_ref"]
    net_mean = float(gap.mean()) if len(on) else np.nan
    outlay = float(on["outlay_wage_subsidy"].sum()) if has_outlay else np.nan
    job_years = net_mean * len(on) / 12.0
    return {
        "replication": key[0], "seed": key[1], "first_month": first, "acting_months": len(on),
        "subsidised_hires": s, "eligible_hires": elig, "eligible_hires_reference": elig_ref,
        "additional_eligible_hires": additional, "deadweight": s - additional,
        "deadweight_share": (s - additional) / s if s > 0 else np.nan,
        "other_hires": other, "other_hires_reference": other_ref, "substitution": other_ref - other,
        "substitution_share": (other_ref - other) / s if s > 0 else np.nan,
        "net_jobs_mean": net_mean, "net_jobs_end": float(gap.iloc[-1]) if len(on) else np.nan,
        "outlay": outlay, "outlay_per_net_job_year": outlay / job_years if job_years > 0 else np.nan,
    }
