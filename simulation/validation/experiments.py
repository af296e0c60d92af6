"""The validation experiments: plain model runs, measured month by month.

The measurements are taken from the model's state without drawing from the
model's generator, so they never change what the model does:

* ``cycle``: the ``demand_cycle`` scenario (AI capability frozen, a sinusoidal
  demand cycle): the Beveridge curve and the matching function;
* ``baseline``: flows (hires, separations, quits), the displaced workers' panel
  (status and earnings by months since displacement), the AI wage premium and
  adoption;
* ``national_ai_push``: the AI wage premium and adoption under the national push;
* ``training``: ``retraining_push`` with its subsidised seats rationed (``TRAINING_SUBSIDY``): the seat lottery's
  winners and losers are followed for 36 months from their first lottery (:class:`.lottery.LotteryPanel`, intention
  to treat).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import numpy as np

from ..parallel import run_many
from ..state import EMPLOYED, OUT_OF_LABOR_FORCE
from .lottery import LotteryPanel
from .settings import (
    CYCLE_MONTHS,
    DEFAULT_MONTHS,
    DEFAULT_SEEDS,
    DEFAULT_WORKERS,
    EXPERIMENTS,
    PANEL_MONTHS,
    TRAINING_MONTHS,
    TRAINING_SCENARIO,
    TRAINING_SUBSIDY,
)


class DisplacedPanel:
    """Status and earnings of AI-displaced workers by months since their (last) displacement.

    ``counts[k, s]``: displaced workers k months after displacement in status s
    (employed, unemployed, retraining, out of the labour force);
    ``earnings[k]``: sum over them of current wage / wage in the lost job (0 when not employed);
    ``wage_change[k, j]``, ``employed[k, j]``: among the employed, the sum of (current wage / wage in the lost job - 1)
    and their number, j = 0 back in the occupation of the lost job, 1 in another occupation (a move or retraining);
    ``annual[y, j]``: years y = 1, 2, 3 after displacement (months 1-12, 13-24, 25-36), the sum over the workers observed
    the whole year of their annual earnings over 12 times the lost wage (j = 0) and their number (j = 1), among those
    with earnings in that year (Jacobson, LaLonde and Sullivan's sample keeps workers with positive earnings in every
    year); ``annual_all``: the same over every worker observed the whole year (zeros included).
    """

    def __init__(self, horizon: int = PANEL_MONTHS):
        self.horizon = horizon
        self.counts = np.zeros((horizon + 1, 4))
        self.earnings = np.zeros(horizon + 1)
        self.wage_change = np.zeros((horizon + 1, 2))
        self.employed = np.zeros((horizon + 1, 2))
        self.annual = np.zeros((horizon // 12 + 1, 2))
        self.annual_all = np.zeros((horizon // 12 + 1, 2))
        self._acc = np.zeros(0)  # per worker: earnings ratio summed over the current year since displacement
        self._any = np.zeros(0, dtype=bool)  # per worker: employed in some month of that year

    def _year_sums(self, ids: np.ndarray, k: np.ndarray, ratio: np.ndarray, emp: np.ndarray, n: int) -> None:
        if self._acc.size < n:
            grow = max(n, 2 * self._acc.size)
            self._acc = np.concatenate([self._acc, np.zeros(grow - self._acc.size)])
            self._any = np.concatenate([self._any, np.zeros(grow - self._any.size, dtype=bool)])
        first = k % 12 == 1  # a year since displacement starts (a worker displaced again starts over)
        self._acc[ids[first]] = 0.0
        self._any[ids[first]] = False
        self._acc[ids] += ratio
        self._any[ids] |= emp
        end = k % 12 == 0
        if end.any():
            done, year = ids[end], k[end] // 12
            annual = self._acc[done] / 12.0
            np.add.at(self.annual_all, (year, 0), annual)
            np.add.at(self.annual_all, (year, 1), 1.0)
            pos = self._any[done]
            np.add.at(self.annual, (year[pos], 0), annual[pos])
            np.add.at(self.annual, (year[pos], 1), 1.0)

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
        self._year_sums(ids, k, ratio, emp, n)


def simulate(experiment: str, seed: int, workers: int, months: int, overrides: Sequence[str] = ()) -> dict:
    """Run one experiment on one seed and return its measurements as plain arrays and numbers (picklable)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    from ..config import to_config
    from ..model import LaborMarketModel
    from ..runner import compose

    scenario = {"cycle": "demand_cycle", "training": TRAINING_SCENARIO}.get(experiment, experiment)
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
    training = LotteryPanel(TRAINING_MONTHS) if experiment == "training" else None
    for t in range(months):
        m.step()
        hires_u[t] = m.flows["hires_from_unemployed_occ"]
        searchers[t] = m.flows["searchers_occ"]
        vacancies[t] = m.flows["vacancies_occ"]
        panel.update(m)
        if training is not None:
            training.update(m)
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
        "panel_annual": panel.annual,
        "panel_annual_all": panel.annual_all,
        "displaced_month": w.displaced_month[disp].astype(np.int64),
        "reemployed_month": w.reemployed_month[disp].astype(np.int64),
        "displaced_stage": w.displaced_stage[disp].astype(np.int64),
        "displaced_wage": w.displaced_wage[disp].astype(float),
        "reemployed_wage": w.reemployed_wage[disp].astype(float),
        "adoption": m.firms.adoption.copy(),
    }
    if training is not None:
        out["lottery"] = training.sums
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
