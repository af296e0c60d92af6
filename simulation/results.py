"""Results: the generic recorder that fills every declared output, and the run's tidy tables.

Each output column is declared once, by the process that produces it
(:mod:`simulation.outputs`); :class:`Recorder` preallocates the series for the
horizon, fills them at the end of every month and turns them into tables whose
columns and dtypes are the declared ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .outputs import BY_OCCUPATION, BY_SECTOR, BY_STAGE, CUMULATIVE, FLOW, INDEX_COLUMNS, TABLES, TIMESERIES, VALUE, Flows, collect
from .processes import RECORDED
from .processes.census import reemployment_cohorts, reemployment_share  # noqa: F401  (part of the results API)
from .state import STAGES


def table_columns(producers=RECORDED) -> dict[str, list]:
    """The declared outputs written to each table, in declaration order (producers in order, then their outputs)."""
    declared = [o for _, o in collect(producers)]
    return {t: [o for o in declared if o.table == t and o.written] for t in TABLES}


_COLUMNS = table_columns()
TIMESERIES_COLUMNS = tuple(o.name for o in _COLUMNS[TIMESERIES])
OCCUPATION_COLUMNS = tuple(o.name for o in _COLUMNS[BY_OCCUPATION])
STAGE_COLUMNS = tuple(o.name for o in _COLUMNS[BY_STAGE])
SECTOR_COLUMNS = tuple(o.name for o in _COLUMNS[BY_SECTOR])
COUNT_COLUMNS = tuple(o.name for o in _COLUMNS[TIMESERIES] if o.dtype == "int64")


def new_flows(producers, n_occupations: int, n_sectors: int = 0) -> Flows:
    """The month's flow counters declared by these producers, at zero."""
    return Flows((o for _, o in collect(producers)), {BY_OCCUPATION: n_occupations, BY_STAGE: len(STAGES), BY_SECTOR: n_sectors})


class Recorder:
    """Preallocated monthly series of every declared output, filled by :meth:`record` at the end of every month."""

    def __init__(self, model, producers):
        self.model = model
        self.producers = list(producers)
        declared = [o for _, o in collect(self.producers)]
        self.columns = {t: [o for o in declared if o.table == t and o.written] for t in TABLES}
        self.cumulative = {o.key: 0 for o in declared if o.kind == CUMULATIVE}
        # the keys each month reads, looked up once (``Output.key`` builds its string on every call)
        self._sums = [(o.key, o.of) for o in declared if o.kind == CUMULATIVE]
        self._flows = [o.key for o in declared if o.kind == FLOW]
        self._values = {o.key for o in declared if o.kind == VALUE}
        self._keys = {t: [o.key for o in self.columns[t]] for t in TABLES}
        n_rows = model.cfg.months + 1
        self.ts = np.full((n_rows, len(self.columns[TIMESERIES])), np.nan)
        self.occ = np.full((n_rows, model.occupations.n, len(self.columns[BY_OCCUPATION])), np.nan)
        self.stage = np.full((n_rows, len(STAGES), len(self.columns[BY_STAGE])), np.nan)
        self.sector = np.full((n_rows, model.sectors.n, len(self.columns[BY_SECTOR])), np.nan)
        self.rows = 0

    def record(self) -> None:
        """Write the current month's stocks, flows and indicators: what each producer records, then the flows."""
        m = self.model
        if self.rows >= self.ts.shape[0]:
            raise RuntimeError(f"the run is longer than its configured horizon ({m.cfg.months} months)")
        values: dict = {}
        for p in self.producers:
            p.record(values)
        if values.keys() != self._values:
            missing, extra = sorted(self._values - values.keys()), sorted(values.keys() - self._values)
            raise RuntimeError(f"recorded values do not match the declared ones: missing {missing}, not declared {extra}")
        fl = m.flows
        for key in self._flows:
            values[key] = fl[key]
        for key, of in self._sums:
            self.cumulative[key] += fl[of]
            values[key] = self.cumulative[key]
        r = self.rows
        self.ts[r] = [values[key] for key in self._keys[TIMESERIES]]
        for rows, table in ((self.occ[r], BY_OCCUPATION), (self.stage[r], BY_STAGE), (self.sector[r], BY_SECTOR)):
            columns = [values[key] for key in self._keys[table]]
            try:  # the columns (one value per row each) converted to float64 in one call, as assigned one by one
                block = np.array(columns, dtype=np.float64)
            except ValueError:  # a value that is not one per row (a scalar broadcast to every row): column by column
                for j, col in enumerate(columns):
                    rows[:, j] = col
                continue
            rows[...] = block.T
        self.rows += 1

    def _frame(self, data: np.ndarray, table: str, index: dict) -> pd.DataFrame:
        cols = self.columns[table]
        df = pd.DataFrame(data, columns=[o.name for o in cols])
        for i, (name, col) in enumerate(index.items()):
            df.insert(i, name, col)
        for o in cols:
            if o.dtype == "int64":
                df[o.name] = df[o.name].astype(np.int64)
        return df

    def results(self) -> Results:
        """The tables recorded so far."""
        m = self.model
        n = self.rows
        names, lanes = list(m.occupations.names), m.occupations.lane_names
        ts = self._frame(self.ts[:n], TIMESERIES, {})
        by_occ = self._frame(self.occ[:n].reshape(n * len(names), -1), BY_OCCUPATION,
                             dict(zip(INDEX_COLUMNS[BY_OCCUPATION], (np.repeat(np.arange(n), len(names)), np.tile(names, n),
                                                                    np.tile(lanes, n)), strict=True)))
        by_stage = self._frame(self.stage[:n].reshape(n * len(STAGES), -1), BY_STAGE,
                               dict(zip(INDEX_COLUMNS[BY_STAGE], (np.repeat(np.arange(n), len(STAGES)), np.tile(STAGES, n)), strict=True)))
        sectors = list(m.sectors.names)
        by_sector = self._frame(self.sector[:n].reshape(n * len(sectors), -1), BY_SECTOR,
                                dict(zip(INDEX_COLUMNS[BY_SECTOR], (np.repeat(np.arange(n), len(sectors)), np.tile(sectors, n)), strict=True)))
        return Results(timeseries=ts, by_occupation=by_occ, by_stage=by_stage, by_sector=by_sector, scenario=m.cfg.scenario,
                       seed=int(m.cfg.seed))


@dataclass
class Results:
    """One run's tables (one row per month; per month and occupation; per month and career stage; per month and sector)."""

    timeseries: pd.DataFrame
    by_occupation: pd.DataFrame
    by_stage: pd.DataFrame
    by_sector: pd.DataFrame
    scenario: str = "baseline"
    seed: int = 0
    config: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by file stem."""
        return {"timeseries": self.timeseries, "by_occupation": self.by_occupation, "by_stage": self.by_stage,
                "by_sector": self.by_sector}

    def to_frame(self, table: str = "timeseries", **columns) -> pd.DataFrame:
        """A tidy copy of one table with ``scenario``, ``seed`` and any extra columns (swept parameters) in front."""
        df = self.tables()[table].copy()
        extra = {"scenario": self.scenario, "seed": self.seed, **columns}
        for i, (k, v) in enumerate(extra.items()):
            df.insert(i, k, v)
        return df


def jobless_rate(unemployed, retraining, labor_force):
    """Share of the jobless among those who work, search or train: (unemployed + in training) / (labour force + in training).

    Workers in training do not search, so the unemployment rate leaves them out; a programme that fills training seats
    lowers it by that alone. The jobless rate counts them, so a fall in it is a fall in joblessness. Works on numbers
    and on arrays or Series alike (0 where nobody works, searches or trains).
    """
    num = np.asarray(unemployed, dtype=float) + np.asarray(retraining, dtype=float)
    den = np.asarray(labor_force, dtype=float) + np.asarray(retraining, dtype=float)
    out = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return float(out) if out.ndim == 0 else out


def fiscal_summary(ts: pd.DataFrame, discount_rate: float = 0.0) -> dict:
    """The fiscal ledger over the run: each line's total, and the totals plain and discounted to month 0.

    Every ``outlay_*`` and ``revenue_*`` column is summed; ``fiscal_outlays``, ``fiscal_revenue`` and
    ``fiscal_net_cost`` also discounted at ``discount_rate`` a year (month t weighs ``(1 + discount_rate) ** (-t / 12)``).
    """
    lines = [c for c in ts.columns if c.startswith(("outlay_", "revenue_"))]
    weight = (1.0 + float(discount_rate)) ** (-ts["month"].to_numpy(dtype=float) / 12.0)
    out = {f"{c}_total": float(ts[c].sum()) for c in lines}
    for col in ("fiscal_outlays", "fiscal_revenue", "fiscal_net_cost"):
        if col in ts.columns:
            out[f"{col}_total"] = float(ts[col].sum())
            out[f"{col}_discounted"] = float((ts[col].to_numpy() * weight).sum())
    return out


def summarize(ts: pd.DataFrame, discount_rate: float = 0.0) -> dict:
    """Headline indicators of one run (with the fiscal ledger's totals, discounted at ``discount_rate`` a year)."""
    last = ts.iloc[-1]
    u0 = float(ts["unemployment_rate"].iloc[0])
    peak_i = int(ts["unemployment_rate"].idxmax())

    def at(month: int, col: str) -> float:
        sub = ts.loc[ts["month"] <= month, col]
        return float(sub.iloc[-1])

    after = ts.loc[ts.index > peak_i]
    back = after.loc[(after["unemployment_rate"] - u0).abs() <= 0.005, "month"]
    return {
        "months": int(last["month"]),
        "population_final": int(last["population"]),
        "unemployment_rate_initial": u0,
        "unemployment_rate_peak": float(ts["unemployment_rate"].max()),
        "unemployment_rate_peak_month": int(ts["month"].iloc[peak_i]),
        "unemployment_rate_final": float(last["unemployment_rate"]),
        "jobless_rate_final": jobless_rate(last["unemployed"], last["retraining"], last["labor_force"]),
        "months_to_recover_unemployment": int(back.iloc[0] - ts["month"].iloc[peak_i]) if len(back) else None,
        "ai_displaced_by_month_60": int(at(60, "ai_displaced_cumulative")),
        "ai_displaced_final": int(last["ai_displaced_cumulative"]),
        "displaced_reemployed_12m_share_final": float(last["displaced_reemployed_12m_share"]),
        "displaced_wage_change_final": float(last["displaced_wage_change"]),
        "retraining_started_total": int(ts["retraining_started"].sum()),
        "retraining_completed_total": int(ts["retraining_completed"].sum()),
        "retraining_dropped_total": int(ts["retraining_dropped"].sum()),
        "long_term_unemployment_share_final": float(last["long_term_unemployment_share"]),
        "ai_wage_premium_final": float(last["ai_wage_premium"]),
        "wage_gini_final": float(last["wage_gini"]),
        "mean_ai_adoption_final": float(last["mean_ai_adoption"]),
        **fiscal_summary(ts, discount_rate),
    }
