"""The month's census: stocks by status, the indicators built on them, wages and the displaced.

The census does not step: when the month is recorded it counts the workers
by status, occupation and career stage, and computes

    unemployment rate        U / (E + U)
    vacancy rate             V / (E + V), V the positions posted this month (month 0: in the burn-in's last month)
    unemployment by age      U / (E + U) in the official age groups (NBS: 16-24, 25-29, 30-59; and 60+)
    displaced out 1-3 years  among workers displaced by AI 12 to 36 months ago, the share out of the labour force
    long-term share          unemployed LONG_TERM_MONTHS months or more / U
    cohort re-employment     among workers displaced by AI at least h months ago,
                             the share re-employed within h months (h in COHORT_HORIZONS)
    displaced wage change    mean(wage at re-employment / wage in the job lost - 1)
    later wage change        among displaced workers employed now, displaced 13-24 (25-36) months ago,
                             mean(current wage / wage in the job lost - 1)
    mean wages               mean of employees' own wages (cell wage x pay factor), overall and by lane
    AI wage premium          mean wage AI-core / mean wage traditional - 1 (between lanes)
    AI skill premium         within each occupation, mean wage of employees with AI skills / without - 1,
                             averaged over occupations weighted by their employment
    wage Gini, p90/p10       of employees' wages
    by sector                firms, employees (by their employer's sector, all and in AI-core and AI-adjacent
                             roles) and the labour force whose domain experience is in the sector
"""

from __future__ import annotations

import numpy as np

from ..config import LANES
from ..metrics import safe_ratio, wage_distribution
from ..outputs import BY_OCCUPATION, BY_SECTOR, BY_STAGE, stock, value
from ..state import EMPLOYED, LEFT_SECTOR, OUT_OF_LABOR_FORCE, RETIRED, RETRAINING, STAGES, UNEMPLOYED
from .base import Process
from .grouping import flatnonzero

# The OECD and Eurostat definition of long-term unemployment (a year or more); the age at which exits from it rise
# is a parameter (market.exit_age_threshold), this is only how the indicator is defined.
LONG_TERM_MONTHS = 12
# Horizons (months) of the displaced cohorts' re-employment shares: the BLS Displaced Worker Survey asks about jobs
# lost up to three years before, and 12 months is the horizon the report and the career-stage table use.
COHORT_HORIZONS = (6, 12, 24)
STAGE_HORIZON = 12
# Ages of the unemployment rates by age group: the groups China's NBS publishes (16-24, 25-29, 30-59 excluding
# students), and 60 and over (with retirement at 60, only those who reached the retirement age this month and retire
# next month); bounds are [lo, hi) in years.
AGE_GROUPS = {"16_24": (16.0, 25.0), "25_29": (25.0, 30.0), "30_59": (30.0, 60.0), "60_plus": (60.0, np.inf)}
# The BLS Displaced Worker Survey asks in January about jobs lost in the three previous calendar years; the share out
# of the labour force is measured here on those displaced 12 to 36 months ago (the survey's 18.2%, Jan 2024).
OLF_WINDOW = (12, 36)


def reemployment_share(disp_month, reemp_month, month: int, horizon: int, mask=None) -> tuple[int, float]:
    """Cohort size and share re-employed within ``horizon`` months among workers displaced at least ``horizon`` months ago.

    The cohort is those displaced in months 1 .. ``month - horizon`` (``disp_month > 0``: month 0 is the end of the
    burn-in, in which no one is displaced by AI, and -1 marks never displaced).
    """
    cohort = (disp_month > 0) & (disp_month <= month - horizon)
    if mask is not None:
        cohort &= mask
    n = int(cohort.sum())
    done = cohort & (reemp_month >= 0) & (reemp_month - disp_month <= horizon)
    return n, safe_ratio(done.sum(), n)


def reemployment_cohorts(disp_month, reemp_month, stage, month: int, horizons, stage_horizon: int, n_stages: int):
    """:func:`reemployment_share` for several horizons at once, and per career stage at one horizon.

    Returns ``({horizon: (n, share)}, [(n, share) per stage at stage_horizon])``.
    """
    h = np.asarray(horizons)[:, None]
    cohort = (disp_month > 0) & (disp_month <= month - h)
    done = cohort & (reemp_month >= 0) & (reemp_month - disp_month <= h)
    n, n_done = np.count_nonzero(cohort, axis=1), np.count_nonzero(done, axis=1)
    by_horizon = {int(k): (int(a), safe_ratio(b, a)) for k, a, b in zip(horizons, n, n_done, strict=True)}
    row = list(horizons).index(stage_horizon)
    n_s = np.bincount(stage.compress(cohort[row]), minlength=n_stages)
    done_s = np.bincount(stage.compress(done[row]), minlength=n_stages)
    return by_horizon, [(int(a), safe_ratio(b, a)) for a, b in zip(n_s, done_s, strict=True)]


def _cohort_outputs() -> tuple:
    out = tuple(stock(f"displaced_cohort_{h}m", f"workers displaced by AI at least {h} months ago") for h in COHORT_HORIZONS)
    return out + tuple(value(f"displaced_reemployed_{h}m_share", f"share of that cohort re-employed within {h} months of displacement",
                             "share") for h in COHORT_HORIZONS)


class Census(Process):
    """Stocks by status, occupation and stage; unemployment, wages and the displaced, at the end of the month."""

    name = "census"
    STATUSES = {EMPLOYED: "employed", UNEMPLOYED: "unemployed", RETRAINING: "retraining", OUT_OF_LABOR_FORCE: "out_of_labor_force"}
    outputs = (
        value("month", "month of the run (0 = the state after the burn-in, with no flows)", "month", dtype="int64"),
        stock("population", "living workers (employed + unemployed + retraining + out of the labour force)"),
        stock("employed", "workers in a job"),
        stock("unemployed", "workers without a job who search"),
        stock("retraining", "workers in a retraining programme (they do not search)"),
        stock("out_of_labor_force", "workers out of the labour force (they do not search; they may re-enter or leave the sector)"),
        stock("labor_force", "employed + unemployed"),
        stock("retired_cumulative", "workers who have retired since month 0"),
        value("unemployment_rate", "unemployed / labour force", "share"),
        value("vacancy_rate", "vacancies / (employed + vacancies)", "share"),
        *(value(f"unemployment_rate_{g}", f"unemployed / labour force aged {lo:g}{'+' if hi == np.inf else f'-{hi - 1:g}'}", "share")
          for g, (lo, hi) in AGE_GROUPS.items()),
        value("long_term_unemployment_share", f"unemployed {LONG_TERM_MONTHS} months or more / unemployed", "share"),
        *(stock(f"displaced_{s}", f"workers ever displaced by AI (and not retired) who are now {s.replace('_', ' ')}")
          for s in STATUSES.values()),
        *_cohort_outputs(),
        stock("displaced_cohort_1_3y", f"workers displaced by AI {OLF_WINDOW[0]} to {OLF_WINDOW[1]} months ago (and not retired)"),
        value("displaced_olf_1_3y_share", "share of them out of the labour force (BLS DWS Jan 2024: 18.2%)", "share"),
        value("displaced_wage_change", "mean of (wage at re-employment / wage in the job lost to AI - 1) over re-employed "
              "displaced workers so far", "share"),
        value("displaced_wage_change_13_24m", "among displaced workers employed now who were displaced 13-24 months ago, mean of "
              "(current wage / wage in the job lost to AI - 1); 0 while there are none", "share"),
        value("displaced_wage_change_25_36m", "the same for workers displaced 25-36 months ago", "share"),
        value("mean_wage", "mean wage of employed workers", "currency / month"),
        *(value(f"mean_wage_{lane}", f"mean wage of employed workers in the {lane.replace('_', '-')} lane", "currency / month") for lane in LANES),
        value("ai_wage_premium", "`mean_wage_ai_core / mean_wage_traditional - 1` (0 while either lane has no employee)", "share"),
        value("wage_gini", "Gini coefficient of employed workers' wages", "index 0-1"),
        value("wage_p90_p10", "90th over 10th percentile of employed workers' wages", "ratio"),
        value("ai_skill_share", "share of employed workers with AI skills", "share"),
        value("ai_skill_wage_premium", "within-occupation AI skill premium: in each occupation outside the AI core with employees "
              "both with and without AI skills, their mean wages' ratio - 1, averaged with the occupations' employment as weights",
              "share"),
        stock("employed", "workers employed in the occupation", table=BY_OCCUPATION),
        stock("unemployed", "unemployed workers whose occupation this is", table=BY_OCCUPATION),
        value("mean_wage", "mean wage of its employed workers", "currency / month", table=BY_OCCUPATION),
        *(stock(s, f"{s.replace('_', ' ')} workers in the stage", table=BY_STAGE) for s in STATUSES.values()),
        stock("displaced_cohort_12m", "workers displaced by AI at this stage at least 12 months ago", table=BY_STAGE),
        value("displaced_reemployed_12m_share", "share of them re-employed within 12 months", "share", table=BY_STAGE),
        stock("firms", "firms of the sector", "firms", table=BY_SECTOR),
        stock("employed", "employees of the sector's firms", table=BY_SECTOR),
        stock("employed_ai", "employees of the sector's firms in AI-core and AI-adjacent roles", table=BY_SECTOR),
        stock("with_domain", "workers in the labour force (employed or unemployed) whose domain experience is in the sector", table=BY_SECTOR),
    )

    def step(self) -> None:
        """The census only records."""

    def record(self, values: dict) -> None:
        """Every declared output of the census, for the month that just ended."""
        m = self.model
        status = m.workers.status[: m.next_slot]
        employed = status == EMPLOYED
        emp, others = flatnonzero(employed), flatnonzero(~employed)  # shared by the counts below
        st_o = status.take(others)
        unemp = others.compress(st_o == UNEMPLOYED)
        age_e = m.workers.age.take(emp)  # the employed's ages: their stages and age groups
        by_status_occ, by_status_stage, retired = self._counts(age_e, others.compress(st_o != LEFT_SECTOR))
        n_emp, n_unemp, n_train, n_olf = (int(by_status_occ[s].sum()) for s in self.STATUSES)
        # month 0 is recorded after the burn-in with no flows: its vacancies are those posted in the burn-in's last month
        V = int(self.model.flows["vacancies"]) if self.model.month > 0 else int(self.model.month0_vacancies)
        values.update(month=self.model.month, population=n_emp + n_unemp + n_train + n_olf, employed=n_emp, unemployed=n_unemp,
                      retraining=n_train, out_of_labor_force=n_olf, labor_force=n_emp + n_unemp, retired_cumulative=retired,
                      unemployment_rate=safe_ratio(n_unemp, n_emp + n_unemp), vacancy_rate=safe_ratio(V, n_emp + V))
        for code, name in self.STATUSES.items():
            values[f"{name}_stage"] = by_status_stage[code]
        values["employed_occ"], values["unemployed_occ"] = by_status_occ[EMPLOYED], by_status_occ[UNEMPLOYED]
        wage = self._wages(values, by_status_occ[EMPLOYED], emp)
        self._unemployment_and_displaced(values, unemp, emp, wage)
        self._by_age_group(values, unemp, age_e)
        self._by_sector(values)

    def _by_sector(self, values: dict) -> None:
        """Firms and employees by sector (employees by their employer's), and the labour force by domain sector."""
        m = self.model
        f, w, n_sec = m.firms, m.workers, m.sectors.n
        values["firms_sector"] = np.bincount(f.sector, minlength=n_sec)
        values["employed_sector"] = np.bincount(f.sector, weights=f.headcount.sum(axis=1), minlength=n_sec)
        ai_role = m.occupations.lane != LANES.index("traditional")
        values["employed_ai_sector"] = np.bincount(f.sector, weights=f.headcount @ ai_role.astype(np.float64), minlength=n_sec)
        live = slice(0, m.next_slot)
        # a count per sector: a few vectorised comparisons are faster than a bincount of the whole live slice, and
        # faster on one byte a worker (sector + 1, 0 without a domain: -1 wraps around to 255, then to 0)
        code = w.domain[live].astype(np.uint8 if n_sec < np.iinfo(np.uint8).max else np.int16)
        code += code.dtype.type(1)
        code *= w.status[live].view(np.uint8) <= UNEMPLOYED  # 0 out of the labour force (negative codes wrap above)
        values["with_domain_sector"] = np.array([np.count_nonzero(code == s) for s in range(1, n_sec + 1)], dtype=np.int64)

    def _counts(self, age_e: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """Workers by (status, occupation) and (status, stage), and the retired since month 0.

        ``age_e``: the ages of the employed; ``others``: the indices of everyone else but those who
        left the sector (who are out of every count).

        Within the live slice status is 0..4 (retired = 4) and the stage steps up
        at each career-age threshold. The employed, most of the population, are
        counted by occupation from the firms' headcounts and by stage from two age
        counts; everyone else in one bincount of (status, occupation, stage) codes.
        """
        m = self.model
        w, n_occ, n_stage = m.workers, m.occupations.n, len(STAGES)
        live = slice(0, m.next_slot)
        status, age = w.status[live], w.age[live]
        demo = m.cfg.demography
        t_lo, t_hi = sorted((demo.early_career_max_age, demo.mid_career_max_age))
        older = [int(np.count_nonzero(age_e >= t)) for t in (t_lo, t_hi)]
        code = status.take(others).astype(np.int64)
        code *= n_occ * n_stage
        code += w.occupation.take(others) * n_stage
        age_o = age.take(others)
        code += age_o >= demo.early_career_max_age
        code += age_o >= demo.mid_career_max_age
        cube = np.bincount(code, minlength=(RETIRED + 1) * n_occ * n_stage).reshape(RETIRED + 1, n_occ, n_stage)
        by_status_occ = cube[:RETIRED].sum(axis=2)
        by_status_stage = cube[:RETIRED].sum(axis=1)
        by_status_occ[EMPLOYED] = m.firms.headcount.sum(axis=0)
        by_status_stage[EMPLOYED] = (age_e.size - older[0], older[0] - older[1], older[1])
        return by_status_occ, by_status_stage, int(cube[RETIRED].sum())  # burn-in retirees were compacted away before month 0

    def _unemployment_and_displaced(self, values: dict, unemp: np.ndarray, emp: np.ndarray, wage: np.ndarray) -> None:
        """Long-term unemployment; the displaced by status, their cohorts' re-employment and their wage change.

        ``unemp``: the unemployed; ``emp``: the employed and ``wage`` their wages (model.current_wage_of). The
        displaced are a few percent of the slots, scattered: each array read at them costs about a cache miss a
        worker, so each is read once (the wages in the job lost) or not at all (the current wages, from ``wage``).
        """
        m = self.model
        w = m.workers
        live = slice(0, m.next_slot)
        status = w.status[live]
        ltu = int(np.count_nonzero(w.months_unemployed.take(unemp) >= LONG_TERM_MONTHS))
        values["long_term_unemployment_share"] = safe_ratio(ltu, unemp.size)
        disp = flatnonzero(w.displaced[live])
        dm, rm, dst = w.displaced_month.take(disp), w.reemployed_month.take(disp), status.take(disp)
        for code, name in self.STATUSES.items():
            values[f"displaced_{name}"] = int(np.count_nonzero(dst == code))
        dstage = w.displaced_stage.take(disp)
        cohorts, stage_cohort = reemployment_cohorts(dm, rm, dstage, m.month, COHORT_HORIZONS, STAGE_HORIZON, len(STAGES))
        for h in COHORT_HORIZONS:
            values[f"displaced_cohort_{h}m"], values[f"displaced_reemployed_{h}m_share"] = cohorts[h]
        values["displaced_cohort_12m_stage"] = [c[0] for c in stage_cohort]
        values["displaced_reemployed_12m_share_stage"] = [c[1] for c in stage_cohort]
        window = (dm > 0) & (dm <= m.month - OLF_WINDOW[0]) & (dm >= m.month - OLF_WINDOW[1]) & (dst <= OUT_OF_LABOR_FORCE)
        values["displaced_cohort_1_3y"] = n_window = int(np.count_nonzero(window))
        values["displaced_olf_1_3y_share"] = safe_ratio(np.count_nonzero(window & (dst == OUT_OF_LABOR_FORCE)), n_window)
        lost = w.displaced_wage.take(disp)
        back = rm >= 0
        values["displaced_wage_change"] = (float(np.mean(w.reemployed_wage.take(disp.compress(back)) / lost.compress(back) - 1.0))
                                           if back.any() else 0.0)
        at_work = dst == EMPLOYED
        since = m.month - dm.compress(at_work)
        now = wage.take(np.searchsorted(emp, disp.compress(at_work)))  # their current wages, found among the employed's
        change = now / lost.compress(at_work) - 1.0  # each one's, then each window's mean
        for lo, hi in ((13, 24), (25, 36)):
            sel = (since >= lo) & (since <= hi)
            values[f"displaced_wage_change_{lo}_{hi}m"] = float(change.compress(sel).mean()) if sel.any() else 0.0

    def _by_age_group(self, values: dict, unemp: np.ndarray, age_e: np.ndarray) -> None:
        """Unemployment rates by official age group (AGE_GROUPS); ``unemp``: the unemployed, ``age_e``: the employed's ages.

        The employed and the unemployed are counted at or above each group's lower bound; a group's count is the
        difference between its bound's and the next one's.
        """
        a_u = self.model.workers.age.take(unemp)
        bounds = [lo for lo, _ in list(AGE_GROUPS.values())[1:]]  # the first group takes everyone below the second's bound
        u_above = np.array([a_u.size, *(np.count_nonzero(a_u >= lo) for lo in bounds), 0])
        lf_above = u_above + np.array([age_e.size, *(np.count_nonzero(age_e >= lo) for lo in bounds), 0])
        lf, u = lf_above[:-1] - lf_above[1:], u_above[:-1] - u_above[1:]
        for i, g in enumerate(AGE_GROUPS):
            values[f"unemployment_rate_{g}"] = safe_ratio(u[i], lf[i])

    def _wages(self, values: dict, employed_occ: np.ndarray, emp: np.ndarray) -> np.ndarray:
        """Mean wages overall, by lane and by occupation; the AI premia, the Gini and p90/p10 (each employee's own wage; ``emp``: the employed).

        Returns the employed's wages (model.current_wage_of(emp)).
        """
        m = self.model
        w, occ = m.workers, m.occupations
        # every employee's own wage (model.current_wage_of); wages summed by (occupation, AI skills) in one pass
        n_emp = emp.size
        live = slice(0, m.next_slot)
        small = np.int16 if 2 * occ.n <= np.iinfo(np.int16).max else np.int32
        code = np.multiply(w.occupation[live], 2, dtype=small)  # (occupation, AI skills) of every live worker, on two
        code += w.ai_skill[live]  # bytes: two cheap passes instead of a second gather of the employed
        code = code.take(emp).astype(np.intp)
        cells = w.firm.take(emp)  # (firm, occupation, AI skills): the index in the cell wages repeated twice
        cells *= 2 * occ.n
        cells += code
        wage = np.repeat(m.current_wage.ravel(), 2).take(cells)
        wage *= w.pay_factor.take(emp)
        sums = np.bincount(code, weights=wage, minlength=2 * occ.n).reshape(occ.n, 2)  # (without, with AI skills)
        n_s = np.bincount(code, minlength=2 * occ.n)[1::2].astype(np.float64)  # the employees with AI skills, from the same codes
        w_n, w_s = sums[:, 0], sums[:, 1]
        wage_occ = w_n + w_s
        lane_wage = {}
        for i, lane in enumerate(LANES):
            sel = occ.lane == i
            lane_wage[lane] = safe_ratio(wage_occ[sel].sum(), employed_occ[sel].sum())
            values[f"mean_wage_{lane}"] = lane_wage[lane]
        values["mean_wage"] = safe_ratio(wage_occ.sum(), n_emp)
        both = lane_wage["traditional"] > 0 and lane_wage["ai_core"] > 0  # undefined while a lane has no employee: 0
        values["ai_wage_premium"] = safe_ratio(lane_wage["ai_core"], lane_wage["traditional"]) - 1.0 if both else 0.0
        values["wage_gini"], values["wage_p90_p10"] = wage_distribution(wage)
        values["mean_wage_occ"] = np.where(employed_occ > 0, wage_occ / np.maximum(employed_occ, 1), 0.0)
        values["ai_skill_share"] = safe_ratio(int(n_s.sum()), n_emp)
        n_n = employed_occ - n_s
        has = (n_s > 0) & (n_n > 0) & (occ.lane != LANES.index("ai_core"))  # AI-core roles require AI skills
        ratio = (w_s[has] / n_s[has]) / (w_n[has] / n_n[has]) - 1.0
        weight = (n_s + n_n)[has]
        # np.average(ratio, weights=weight), as it computes it, without its checks (the weights are positive)
        values["ai_skill_wage_premium"] = float((ratio * weight).sum() / weight.sum()) if has.any() else 0.0
        return wage
