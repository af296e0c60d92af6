"""Per-agent state as structs of numpy arrays, declared in one place.

Workers and firms are :class:`Arrays`: every field is declared in a registry
(name, dtype, fill value, trailing shape, meaning). Slots are filled with a
sentinel (-1, NaN) on creation, never left uninitialised, and setting a field
that is not declared raises. The agent views in :mod:`simulation.agents` read
and write these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Worker status codes: every living worker is in exactly one of the first four.
EMPLOYED, UNEMPLOYED, RETRAINING, OUT_OF_LABOR_FORCE = 0, 1, 2, 3
RETIRED = 4  # left the population (kept for its history)
LEFT_SECTOR = 5  # left the sector's labour market for good from outside its labour force (another sector, emigration)
UNBORN = -1  # a preallocated slot for a future graduate
STATUS_NAMES = {EMPLOYED: "employed", UNEMPLOYED: "unemployed", RETRAINING: "retraining",
                OUT_OF_LABOR_FORCE: "out_of_labor_force", RETIRED: "retired", LEFT_SECTOR: "left_sector",
                UNBORN: "unborn"}
STAGES = ("early", "mid", "late")
ROUTES = ("certificate", "project")
NO_ROUTE, CERTIFICATE, PROJECT = -1, 0, 1
NEVER_MONTH = int(np.iinfo(np.int32).min)  # a month field's "never" (-1 is a month of the burn-in)


@dataclass(frozen=True)
class Field:
    """One declared per-agent field."""

    dtype: str
    fill: float
    doc: str
    shape: tuple[int, ...] = ()


class Arrays:
    """A struct of arrays with a fixed, declared set of fields."""

    FIELDS: dict[str, Field] = {}

    def __init__(self, n: int, **shapes: int):
        object.__setattr__(self, "n", n)
        for name, spec in self.FIELDS.items():
            extra = tuple(shapes[s] if isinstance(s, str) else s for s in spec.shape)
            object.__setattr__(self, name, np.full((n, *extra), spec.fill, dtype=spec.dtype))

    def __setattr__(self, name: str, value) -> None:
        if name not in self.FIELDS:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}; declared: {', '.join(self.FIELDS)}")
        current = getattr(self, name)
        if not isinstance(value, np.ndarray) or value.shape != current.shape:
            raise ValueError(f"{type(self).__name__}.{name}: assign in place or with an array of shape {current.shape}")
        object.__setattr__(self, name, value.astype(current.dtype, copy=False))

    def grow(self, n: int) -> None:
        """Extend every field to ``n`` slots, filling the new ones with the sentinel."""
        if n <= self.n:
            return
        for name, spec in self.FIELDS.items():
            old = getattr(self, name)
            new = np.full((n, *old.shape[1:]), spec.fill, dtype=spec.dtype)
            new[: self.n] = old
            object.__setattr__(self, name, new)
        object.__setattr__(self, "n", n)

    def compact(self, keep: np.ndarray) -> None:
        """Move the rows ``keep`` (increasing indices) to the front, in order, and reset the rest to the sentinel."""
        n_keep = keep.size
        for name, spec in self.FIELDS.items():
            arr = getattr(self, name)
            arr[:n_keep] = arr[keep]
            arr[n_keep:] = spec.fill


class WorkerArrays(Arrays):
    """State of every worker slot (living, retired and not yet entered)."""

    FIELDS = {
        "status": Field("int8", UNBORN, "employed 0, unemployed 1, retraining 2, out of the labour force 3, retired 4, left the sector 5, unborn -1"),
        "occupation": Field("int16", -1, "occupation code (row of the occupation table)"),
        "skills": Field("float32", np.nan, "O*NET basic-skill levels in [0, 1]", ("n_skills",)),
        "fit": Field("float32", np.nan, "fit for each occupation, 1 - d(skills, profile) / d_max; derived from skills and refreshed whenever they change", ("n_occupations",)),
        "age": Field("float32", np.nan, "age in years"),
        "firm": Field("int64", -1, "employer (firm index), -1 if not employed"),
        "wage": Field("float32", np.nan, "wage when last hired or, after leaving, in the last job (in the profile currency a month); NaN if never employed. An employee is paid their cell's wage times their pay_factor, model.current_wage_of"),
        "pay_factor": Field("float32", np.nan, "an employee's pay relative to their (firm, occupation) cell's wage: set at hire from skill fit, experience and AI skills (wages.pay_at_hire), then growing with tenure"),
        "experience_lost": Field("float32", 0.0, "years of potential experience (age - demography.age_entry) that do not count in the current occupation: the occupation-specific part of experience built elsewhere (market.experience_transfer)"),
        "tenure": Field("int16", 0, "months with the current employer (0 if not employed)"),
        "ai_skill": Field("bool", False, "holds AI skills (earns market.ai_skill_premium within an occupation): learnt on the job at an adopting firm, or by retraining into an AI-core or AI-adjacent role"),
        "reservation_wage": Field("float32", np.nan, "lowest wage accepted (in the profile currency a month)"),
        "months_unemployed": Field("int16", 0, "months in the current unemployment spell"),
        "ui_months_left": Field("int16", 0, "months of unemployment insurance left"),
        "ui_months_granted": Field("int16", 0, "months of unemployment insurance granted at the start of the current (or last) unemployment spell: the lever's duration for a layoff, 0 for a quit, a graduate or an entrant"),
        "ui_benefit": Field("float32", 0.0, "monthly unemployment benefit granted at the layoff that started the current insured spell (in the profile currency a month; processes.insurance): paid while ui_months_left > 0, kept until the next hire, quit or layoff (its ratio to the last wage sets search effort and the reservation wage, also after it has run out and for a re-entrant resuming the spell); 0 if the spell is not insured"),
        "ui_spell_start": Field("int32", NEVER_MONTH, "month of the layoff that started the current insured spell (its duration runs to the first hire, training months included); the int32 minimum if not in one"),
        "train_target": Field("int16", -1, "occupation being retrained into, -1 if none"),
        "train_route": Field("int8", NO_ROUTE, "retraining route: certificate 0, project 1, none -1"),
        "train_months_left": Field("float32", 0.0, "months of retraining left"),
        "credential": Field("int8", NO_ROUTE, "last retraining credential held: certificate 0, project 1, none -1"),
        "displaced": Field("bool", False, "ever displaced by AI automation"),
        "displaced_month": Field("int32", -1, "month of the last AI displacement, -1 if never"),
        "displaced_wage": Field("float32", np.nan, "wage in the job lost to AI (in the profile currency a month)"),
        "displaced_occupation": Field("int16", -1, "occupation of the job lost to AI"),
        "displaced_stage": Field("int8", -1, "career stage at AI displacement"),
        "reemployed_month": Field("int32", -1, "first month re-employed after the last AI displacement, -1 if not yet"),
        "reemployed_wage": Field("float32", np.nan, "wage at re-employment after AI displacement (in the profile currency a month)"),
        "entry_month": Field("int32", -1, "month the worker entered (0 for the initial population)"),
        "retrained": Field("bool", False, "ever completed retraining"),
        "specialisms": Field("int8", 0, "bit mask of the lanes (bit i: config.LANES[i]) whose occupation-specific task and technology skills the worker holds beyond their current occupation's lane (which they always hold): lanes of occupations worked in before and of retraining targets"),
        "upskilled": Field("bool", False, "added one AI-adjacent capability to their occupation by upskilling in place: paid upskilling.wage_premium in the job they held, less often laid off (upskilling.layoff_protection)"),
        "upskill_months_left": Field("float32", 0.0, "months of the upskilling course left, 0 if none (an employee upskilling in place)"),
        "ability": Field("float32", np.nan, "latent ability (standard normal), drawn at entry; employers do not see it, only ability_seen"),
        "time_cost": Field("float32", np.nan, "cost of the worker's own time in retraining effort, as a multiple of the mean (log-normal with mean 1, retraining.time_cost_dispersion); drawn at entry"),
        "ability_seen": Field("float32", 0.0, "employers' belief about the worker's ability (0: the population mean). Completing a retraining route moves it its reveal share of the way to the ability; it ranks applicants (market.ability_rank_weight) and raises hire pay (market.ability_wage_return)"),
        "trained_month": Field("int32", NEVER_MONTH, "month of the last retraining completion (burn-in months are negative); the int32 minimum if never"),
        "trained_occupation": Field("int16", -1, "occupation retrained into at the last retraining completion, -1 if never"),
        "trained_job_months": Field("int16", -1, "months from the last retraining completion to the first hire from unemployment after it, -1 if not hired since"),
        "domain": Field("int16", -1, "sector of the worker's domain experience (row of the sector table), -1 if none: the employer's sector for the initial population, none for graduates, some entrants from other sectors bring one (processes.domain)"),
        "domain_years": Field("float32", 0.0, "years of experience in the domain sector (0 if none): grows while employed at a firm of that sector, shrinks at a firm of another until that sector becomes the domain (processes.domain)"),
        "subsidy_months_left": Field("int16", 0, "months of hiring subsidy left on the current job (policy.hiring_subsidy; 0: none): set to duration_months at an eligible hire, paid and counted down each month while the match lasts, cleared when it ends (processes.matching)"),
        "train_outlay": Field("float32", 0.0, "the state's payment a month for this trainee's subsidised seat (policy.retraining_subsidy.cost_share of the course's tuition and of the living stipend, spread evenly over the course's months; USD / month), 0 if the trainee pays in full or is not training (processes.retraining)"),
        "lottery_month": Field("int32", NEVER_MONTH, "month of the first subsidised-seat lottery the worker entered (they chose a subsidised seat in a month with more takers than seats), the int32 minimum if never (processes.retraining)"),
        "home_region": Field("int8", -1, "region the worker comes from, in a regional run (simulation.regions): -1 if native to the region whose model holds them (always, in a one-region run), else that region's index. A move into one's home region is a return, any other an emigration"),
        "lottery_won": Field("bool", False, "won a seat in that first lottery (the in-model randomised evaluation: winners against losers, intention to treat)"),
    }


class FirmArrays(Arrays):
    """State of every firm."""

    FIELDS = {
        "sector": Field("int16", -1, "sector code (row of the sector table)"),
        "size": Field("float64", np.nan, "size weight (Pareto draw)"),
        "budget": Field("float64", np.nan, "monthly hiring budget: the most the wage bill may be (in the profile currency a month)"),
        "base_budget": Field("float64", np.nan, "budget before AI projects and the cycle (in the profile currency a month)"),
        "adoption": Field("float64", np.nan, "AI adoption level in [0, 1]"),
        "expected_return": Field("float64", np.nan, "expected return on AI per unit adoption"),
        "optimism": Field("float64", 0.0, "over-estimate of the AI return (share of true return)"),
        "patience": Field("float64", np.nan, "months of disappointment tolerated before stalling AI projects"),
        "months_disappointed": Field("float64", 0.0, "months the expected return has exceeded the realised return by more than the tolerance"),
        "stalled_month": Field("int32", -1, "month the firm stalled its AI projects, -1 if never"),
        "wage_premium": Field("float64", 1.0, "firm wage premium (multiplies posted wages)"),
        "base_demand": Field("float64", np.nan, "initial labour demand per occupation (workers)", ("n_occupations",)),
        "demand": Field("int64", 0, "labour demand per occupation this month (workers)", ("n_occupations",)),
        "demand_wanted": Field("float64", np.nan, "labour demand per occupation this month before rounding, within the budget (workers)", ("n_occupations",)),
        "demand_no_automation": Field("float64", np.nan, "what demand_wanted would be had automation stayed at its month-0 level (workers)", ("n_occupations",)),
        "headcount": Field("int64", 0, "employees per occupation", ("n_occupations",)),
        "posted_wage": Field("float64", np.nan, "wage per occupation this month (in the profile currency a month)", ("n_occupations",)),
        "vacancies": Field("int64", 0, "open positions per occupation", ("n_occupations",)),
    }
