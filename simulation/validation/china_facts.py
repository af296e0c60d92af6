"""The China profile's facts: its runs, the moments measured on them, and each fact's verdict against NBS and the job platforms.

The runs are ``no_ai`` and ``baseline`` under ``profile=china`` for 36 months: month 1 is January 2023
(``profile.start``), so months 1-36 are NBS's 2023-01 .. 2025-12. Every moment of ``china_targets.csv`` is measured
on each run over the months its target covers (:func:`china_moments`, in the target's units: percent, points, ratio),
and every verdict is computed from the median over seeds against a stated tolerance (:class:`Criterion`): pass inside
the band, partial inside the wider one, miss outside; a fact's verdict is the worst of its criteria.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .profile_data import targets
from .stats import median_range

CHINA_MONTHS = 36  # months 1-36 = 2023-01 .. 2025-12
CHINA_SCENARIOS = ("no_ai", "baseline")
VERDICT_SCENARIO = "no_ai"  # the acceptance: no_ai over 2023-2025-like months (the calibration record's scenario if there is one)
AGE_MONTHS = range(13, 37)  # 2024-01 .. 2025-12, the period of the age targets
LANE_MONTHS = range(13, 37)  # 2024-2025, Maimai's reports
PAY_MONTHS = range(25, 35)  # 2025-01 .. 2025-10, Maimai 2025 (to October)
GRADUATE_MONTHS = range(13, 25)  # 2024, the MoE cohort of 11.79 million
JUNE, AUGUST, DECEMBER = (18, 30), (20, 32), (24, 36)  # run months of June, August, December 2024 and 2025
AGE_GROUPS = (("age_16_24", "unemployment_rate_16_24", "16-24"), ("age_25_29", "unemployment_rate_25_29", "25-29"),
              ("age_30_59", "unemployment_rate_30_59", "30-59"))
TS_COLUMNS = ("unemployment_rate", "unemployment_rate_16_24", "unemployment_rate_25_29", "unemployment_rate_30_59",
              "mean_wage_ai_core", "mean_wage_traditional", "graduates", "employed")
LANES = ("ai_core", "ai_adjacent", "traditional")


@dataclass(frozen=True)
class Criterion:
    """A tolerance: pass inside [lo, hi], partial inside [lo_partial, hi_partial], miss outside (the median over seeds)."""

    label: str
    lo: float
    hi: float
    lo_partial: float
    hi_partial: float

    def verdict(self, x: float) -> str:
        """The verdict of the value ``x`` (a miss if it is NaN)."""
        if x != x:
            return "miss"
        if self.lo <= x <= self.hi:
            return "pass"
        return "partial" if self.lo_partial <= x <= self.hi_partial else "miss"

    def text(self) -> str:
        """The tolerance in words."""
        def rng(lo, hi):
            return f"at least {lo:.3g}" if math.isinf(hi) else f"within [{lo:.3g}, {hi:.3g}]"
        return f"pass {rng(self.lo, self.hi)}, partial {rng(self.lo_partial, self.hi_partial)}"


DATA = {k: t["value"] for k, t in targets("china").items()}  # the data's values the tolerances are centred on
_BUMP, _PAY, _GRAD = DATA["urban_graduation_bump"], DATA["ai_pay_ratio"], DATA["graduates_per_employed"]
CRITERIA = {  # the fixed bands are the acceptance; the others are stated around the data's value
    "urban_rate": Criterion("urban rate, mean of months 1-36 (%)", 4.5, 6.0, 4.0, 6.5),
    "urban_graduation_bump": Criterion("July-August less May-June (points)", _BUMP - 0.5, _BUMP + 0.5, _BUMP - 1.0, _BUMP + 1.0),
    "age_16_24": Criterion("16-24, mean 2024-2025 (%)", 12.0, 22.0, 10.0, 24.0),
    # the acceptance asks for at least 3 points; the cap (twice NBS's 5.0) keeps a peak five times NBS's from passing
    "age_16_24_august_over_june": Criterion("16-24, August less June (points)", 3.0, 10.0, 1.5, 15.0),
    "age_25_29": Criterion("25-29, mean 2024-2025 (%)", 5.0, 9.0, 4.0, 10.0),
    "age_30_59": Criterion("30-59, mean 2024-2025 (%)", 3.0, 5.0, 2.5, 5.5),
    "seekers_per_opening_ratio_ai_core_traditional": Criterion("AI-core over traditional seekers per opening", 0.0, 0.5, 0.0, 1.0),
    "ai_pay_ratio": Criterion("mean AI-core wage / mean traditional wage", _PAY * 0.9, _PAY * 1.1, _PAY * 0.9 - 0.15, _PAY * 1.1 + 0.15),
    "graduates_per_employed": Criterion("graduates a year per employed", _GRAD / 1.5, _GRAD * 1.5, _GRAD / 3, _GRAD * 3),
}


def worst(verdicts: Sequence[str]) -> str:
    """The worst of some verdicts (miss < partial < pass)."""
    order = ("miss", "partial", "pass")
    return min(verdicts, key=order.index) if verdicts else "miss"


# --------------------------------------------------------------------------- runs
def simulate_china(scenario: str, seed: int, workers: int, months: int, overrides: Sequence[str] = ()) -> dict:
    """One run under the China profile: the monthly columns the page reads, and unemployed and vacancies by lane and month."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from ..config import to_config
    from ..model import LaborMarketModel
    from ..runner import compose

    cfg = to_config(compose(scenario, ["profile=china", f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false",
                                       "figures=false", *overrides]))
    m = LaborMarketModel(cfg)
    for _ in range(months):
        m.step()
    res = m.results()
    ts = res.timeseries.set_index("month")
    occ = res.by_occupation.groupby(["lane", "month"])[["unemployed", "vacancies"]].sum()
    months_idx = ts.index.to_numpy()
    lane = {f"{c}_{ln}": occ.loc[ln, c].reindex(months_idx, fill_value=0).to_numpy(dtype=float) for ln in LANES for c in ("unemployed", "vacancies")}
    return {"scenario": scenario, "seed": int(seed), "month": months_idx, **{c: ts[c].to_numpy(dtype=float) for c in TS_COLUMNS}, **lane,
            "ui_duration_months": float(cfg.policy.unemployment_insurance.duration_months)}


def run_china(workers: int, seeds: Sequence[int], months: int = CHINA_MONTHS, jobs: int = 0, overrides: Sequence[str] = (),
              scenarios: Sequence[str] = CHINA_SCENARIOS, log: Callable[[str], None] = print) -> dict[str, list[dict]]:
    """Every China run (``scenarios`` x ``seeds``) in ``jobs`` processes; runs by scenario, in the order of the seeds."""
    from ..parallel import run_many

    tasks = [(s, seed, workers, months, tuple(overrides)) for s in scenarios for seed in seeds]
    done = 0

    def progress(_i: int, r: dict) -> None:
        nonlocal done
        done += 1
        log(f"  [{done}/{len(tasks)}] china {r['scenario']} seed {r['seed']}")

    out: dict[str, list[dict]] = {s: [] for s in scenarios}
    for r in run_many(simulate_china, tasks, jobs, on_done=progress):
        out[r["scenario"]].append(r)
    return out


# --------------------------------------------------------------------------- moments
def at(run: dict, column: str, months) -> np.ndarray:
    """The values of ``column`` at the run months ``months`` (those the run has)."""
    idx = {int(m): i for i, m in enumerate(run["month"])}
    return np.array([run[column][idx[m]] for m in months if m in idx], dtype=float)


def _calendar(months, cal: Sequence[int]) -> list[int]:
    return [m for m in months if (m - 1) % 12 + 1 in cal]


def seekers_per_opening(run: dict, lane: str, months=LANE_MONTHS) -> float:
    """Unemployed searchers of a lane's occupations over its vacancies, summed over ``months``."""
    v = at(run, f"vacancies_{lane}", months).sum()
    return float(at(run, f"unemployed_{lane}", months).sum() / v) if v > 0 else float("nan")


def china_moments(run: dict, nbs: dict[str, dict[int, float]] | None = None) -> dict[str, float]:
    """Every moment of ``china_targets.csv`` measured on one run, in the targets' units.

    ``nbs``: NBS's monthly series (:func:`.profile_data.monthly`); when given, the level means use only the months NBS
    published, as the targets do.
    """
    def months_of(col: str, window) -> list[int]:
        return [m for m in window if nbs is None or m in nbs.get(col, {})]

    u = "unemployment_rate"
    all_months = months_of("urban_rate", range(1, CHINA_MONTHS + 1))
    out = {
        "urban_rate": 100 * at(run, u, all_months).mean(),
        "urban_graduation_bump": 100 * (at(run, u, _calendar(all_months, (7, 8))).mean() - at(run, u, _calendar(all_months, (5, 6))).mean()),
        "urban_february_excess": 100 * (at(run, u, _calendar(all_months, (2,))).mean() - at(run, u, all_months).mean()),
    }
    for key, col, _label in AGE_GROUPS:
        out[key] = 100 * at(run, col, months_of(key, AGE_MONTHS)).mean()
    young = "unemployment_rate_16_24"
    out["age_16_24_june"] = 100 * at(run, young, JUNE).mean()
    out["age_16_24_august_over_june"] = 100 * (at(run, young, AUGUST) - at(run, young, JUNE)).mean()
    out["age_16_24_december_over_june"] = 100 * (at(run, young, DECEMBER) - at(run, young, JUNE)).mean()
    out["seekers_per_opening_ratio_ai_core_traditional"] = seekers_per_opening(run, "ai_core") / seekers_per_opening(run, "traditional")
    out["ai_pay_ratio"] = float(np.mean(at(run, "mean_wage_ai_core", PAY_MONTHS) / at(run, "mean_wage_traditional", PAY_MONTHS)))
    out["graduates_per_employed"] = at(run, "graduates", GRADUATE_MONTHS).sum() / at(run, "employed", GRADUATE_MONTHS).mean()
    out["ui_max_months"] = run["ui_duration_months"]
    return {k: float(v) for k, v in out.items()}


def moment_values(runs: list[dict], nbs: dict | None = None) -> dict[str, list[float]]:
    """Each moment's values over the runs (one per seed)."""
    per = [china_moments(r, nbs) for r in runs]
    return {k: [p[k] for p in per] for k in per[0]}


# --------------------------------------------------------------------------- formatting
def mr(values, digits: int = 1, unit: str = "") -> str:
    """Median [min, max] over seeds."""
    med, lo, hi = median_range(values)
    return f"{med:.{digits}f}{unit} [{lo:.{digits}f}, {hi:.{digits}f}]"


def judged(keys: Sequence[str], values: dict[str, list[float]]) -> tuple[str, list[dict]]:
    """The worst verdict over the criteria of ``keys`` and one record per criterion (median, band, verdict)."""
    checks = []
    for k in keys:
        c = CRITERIA[k]
        med = median_range(values[k])[0]
        checks.append({"moment": k, "label": c.label, "median": med, "lo": c.lo, "hi": c.hi, "lo_partial": c.lo_partial,
                       "hi_partial": c.hi_partial, "verdict": c.verdict(med)})
    return worst([c["verdict"] for c in checks]), checks


def tolerance_text(keys: Sequence[str]) -> str:
    """The stated tolerance of a fact's criteria."""
    return "; ".join(f"{CRITERIA[k].label}: {CRITERIA[k].text()}" for k in keys)
