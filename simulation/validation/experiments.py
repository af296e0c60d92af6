"""The validation experiments: plain model runs, measured month by month.

The measurements are taken from the model's state without drawing from the
model's generator, so they never change what the model does:

* ``cycle``: the ``demand_cycle`` scenario (AI capability frozen, a sinusoidal
  demand cycle): the Beveridge curve and the matching function;
* ``baseline``: flows (hires, separations, quits), the displaced workers' panel
  (status and earnings by months since displacement), the AI wage premium and
  adoption;
* ``national_ai_push``: the AI wage premium and adoption under the national push;
* ``training``: ``baseline`` plus a retraining subsidy; participants are matched
  at enrolment to non-participants of the same month, occupation, displacement
  status, career stage and unemployment duration (dynamic matching), and both
  are followed for 36 months.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import numpy as np

from ..parallel import run_many
from ..state import EMPLOYED, OUT_OF_LABOR_FORCE, RETRAINING, UNEMPLOYED
from .settings import (
    CYCLE_MONTHS,
    DEFAULT_MONTHS,
    DEFAULT_SEEDS,
    DEFAULT_WORKERS,
    EXPERIMENTS,
    PANEL_MONTHS,
    TRAINING_MONTHS,
    TRAINING_SUBSIDY,
)


class DisplacedPanel:
    """Status and earnings of AI-displaced workers by months since their (last) displacement.

    ``counts[k, s]``: displaced workers k months after displacement in status s
    (employed, unemployed, retraining, out of the labour force);
    ``earnings[k]``: sum over them of current wage / wage in the lost job (0 when not employed);
    ``wage_change[k, j]``, ``employed[k, j]``: among the employed, the sum of (current wage / wage in the lost job - 1)
    and their number, j = 0 back in the occupation of the lost job, 1 in another occupation (a move or retraining).
    """

    def __init__(self, horizon: int = PANEL_MONTHS):
        self.horizon = horizon
        self.counts = np.zeros((horizon + 1, 4))
        self.earnings = np.zeros(horizon + 1)
        self.wage_change = np.zeros((horizon + 1, 2))
        self.employed = np.zeros((horizon + 1, 2))

    def update(self, m) -> None:
        """Add this month's displaced workers (after the step)."""
        w, n = m.workers, m.next_slot
        ids = np.flatnonzero(w.displaced[:n] & (w.status[:n] >= 0) & (w.status[:n] <= OUT_OF_LABOR_FORCE))
        k = m.month - w.displaced_month[ids]
        keep = (k >= 1) & (k <= self.horizon)
        ids, k = ids[keep], k[keep]
        st = w.status[ids].astype(np.int64)
        np.add.at(self.counts, (k, st), 1.0)
        emp = st == EMPLOYED
        ratio = np.zeros(ids.size)
        if emp.any():
            ratio[emp] = m.current_wage_of(ids[emp]) / w.displaced_wage[ids[emp]]
        np.add.at(self.earnings, k, ratio)
        moved = (w.occupation[ids[emp]] != w.displaced_occupation[ids[emp]]).astype(np.int64)
        np.add.at(self.wage_change, (k[emp], moved), ratio[emp] - 1.0)
        np.add.at(self.employed, (k[emp], moved), 1.0)


class TrainingPanel:
    """Dynamic matching of retraining participants to non-participants at enrolment, followed for ``horizon`` months.

    Before each month, the pool is every unemployed worker eligible to weigh
    retraining. After the month, participants are the pool members who enrolled;
    each is paired with a pool member of the same cell (occupation, displaced or
    not, career stage, months unemployed capped at 12) who did not enrol that
    month (drawn with a generator of its own). ``emp[k]`` sums participants' and
    controls' employment k months after enrolment.
    """

    def __init__(self, seed: int, start_month: int, horizon: int = TRAINING_MONTHS):
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), 7_919]))
        self.start_month = start_month
        self.horizon = horizon
        self.pairs: list[np.ndarray] = []  # rows: participant, control, enrolment month
        self.emp = np.zeros((horizon + 1, 2))
        self.n = np.zeros(horizon + 1)
        self._pool = None

    def before(self, m) -> None:
        """Snapshot the pool of workers who may enrol this month."""
        if m.month + 1 < self.start_month:
            self._pool = None
            return
        w, n = m.workers, m.next_slot
        pool = np.flatnonzero((w.status[:n] == UNEMPLOYED) & (w.months_unemployed[:n] >= m.cfg.retraining.min_unemployed_months))
        cell = (w.occupation[pool].astype(np.int64) * 2 + w.displaced[pool]) * 3 + m.stage_of(pool)
        cell = cell * 13 + np.minimum(w.months_unemployed[pool], 12)
        self._pool = (pool, cell)

    def after(self, m) -> None:
        """Pair this month's participants with controls, then record every pair's employment."""
        if self._pool is not None:
            self._pair(m)
        if not self.pairs:
            return
        w = m.workers
        allp = np.concatenate(self.pairs)
        k = m.month - allp[:, 2]
        live = (k <= self.horizon) & (w.status[allp[:, 0]] <= OUT_OF_LABOR_FORCE) & (w.status[allp[:, 1]] <= OUT_OF_LABOR_FORCE)
        p, c, k = allp[live, 0], allp[live, 1], k[live]
        np.add.at(self.emp[:, 0], k, w.status[p] == EMPLOYED)
        np.add.at(self.emp[:, 1], k, w.status[c] == EMPLOYED)
        np.add.at(self.n, k, 1.0)
        self.pairs = [allp[m.month - allp[:, 2] < self.horizon]]

    def _pair(self, m) -> None:
        """Pair the pool members who enrolled this month with a control each, drawn from their cell."""
        pool, cell = self._pool
        took = m.workers.status[pool] == RETRAINING
        part, pcell = pool[took], cell[took]
        ctrl, ccell = pool[~took], cell[~took]
        if part.size and ctrl.size:
            order = np.argsort(ccell, kind="stable")
            ctrl, ccell = ctrl[order], ccell[order]
            lo, hi = np.searchsorted(ccell, pcell, "left"), np.searchsorted(ccell, pcell, "right")
            ok = hi > lo
            pick = lo[ok] + (self.rng.random(int(ok.sum())) * (hi[ok] - lo[ok])).astype(np.int64)
            rows = np.stack([part[ok], ctrl[pick], np.full(int(ok.sum()), m.month)], axis=1)
            self.pairs.append(rows)

    def participants(self) -> int:
        """Pairs followed at enrolment (k = 0)."""
        return int(self.n[0])


def simulate(experiment: str, seed: int, workers: int, months: int, overrides: Sequence[str] = ()) -> dict:
    """Run one experiment on one seed and return its measurements as plain arrays and numbers (picklable)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from ..config import to_config
    from ..model import LaborMarketModel
    from ..runner import compose

    scenario = {"cycle": "demand_cycle", "training": "baseline"}.get(experiment, experiment)
    extra = list(TRAINING_SUBSIDY) if experiment == "training" else []
    cfg = to_config(
        compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false", *extra, *overrides])
    )
    m = LaborMarketModel(cfg)
    n_occ = m.occupations.n
    hires_u = np.zeros((months, n_occ))
    searchers = np.zeros((months, n_occ))
    vacancies = np.zeros((months, n_occ))
    panel = DisplacedPanel()
    training = TrainingPanel(seed, cfg.policy.retraining_subsidy.start_month) if experiment == "training" else None
    for t in range(months):
        if training is not None:
            training.before(m)
        m.step()
        hires_u[t] = m.flows["hires_from_unemployed_occ"]
        searchers[t] = m.flows["searchers_occ"]
        vacancies[t] = m.flows["vacancies_occ"]
        panel.update(m)
        if training is not None:
            training.after(m)
    ts = m.results().timeseries
    w, n = m.workers, m.next_slot
    disp = np.flatnonzero(w.displaced[:n])
    out = {
        "experiment": experiment,
        "seed": int(seed),
        "workers": int(workers),
        "months": int(months),
        "timeseries": {c: ts[c].to_numpy(dtype=float) for c in ts.columns},
        "hires_u": hires_u,
        "searchers": searchers,
        "vacancies": vacancies,
        "panel_counts": panel.counts,
        "panel_earnings": panel.earnings,
        "panel_wage_change": panel.wage_change,
        "panel_employed": panel.employed,
        "displaced_month": w.displaced_month[disp].astype(np.int64),
        "reemployed_month": w.reemployed_month[disp].astype(np.int64),
        "displaced_stage": w.displaced_stage[disp].astype(np.int64),
        "displaced_wage": w.displaced_wage[disp].astype(float),
        "reemployed_wage": w.reemployed_wage[disp].astype(float),
        "adoption": m.firms.adoption.copy(),
    }
    if training is not None:
        out["training_emp"], out["training_n"] = training.emp, training.n
    return out


def run_experiments(
    workers: int = DEFAULT_WORKERS,
    seeds: int = DEFAULT_SEEDS,
    months: int = DEFAULT_MONTHS,
    master_seed: int = 2024,
    jobs: int = 0,
    overrides: Sequence[str] = (),
    log: Callable[[str], None] = print,
) -> dict[str, list[dict]]:
    """Run every experiment on ``seeds`` seeds (spawned from ``master_seed``) in ``jobs`` processes; return runs by experiment.

    The runs of each experiment are in the order of the seeds, whatever order
    they finish in; ``log`` gets one line per run as it finishes.
    """
    from ..compare import replication_seeds

    seed_list = replication_seeds(master_seed, seeds)
    tasks = [(e, s, workers, CYCLE_MONTHS if e == "cycle" else months, tuple(overrides)) for e in EXPERIMENTS for s in seed_list]
    start = time.perf_counter()
    finished = 0

    def progress(_i: int, r: dict) -> None:
        nonlocal finished
        finished += 1
        log(f"  [{finished}/{len(tasks)}] {r['experiment']} seed {r['seed']} ({time.perf_counter() - start:.0f} s)")

    out: dict[str, list[dict]] = {e: [] for e in EXPERIMENTS}
    for r in run_many(simulate, tasks, jobs, on_done=progress):
        out[r["experiment"]].append(r)
    return out
