"""The in-model randomised evaluation of retraining: seat-lottery winners against losers (intention to treat).

When more workers want a subsidised retraining seat than there are seats, the seats go by lottery
(:meth:`simulation.processes.retraining.Retraining.enrol`), and each worker's first lottery is kept in the state
(``lottery_month``, ``lottery_won``). :class:`LotteryPanel` follows every entrant from that month on, whatever they did
after (a loser may train at full cost or win a later lottery; a winner may drop out): by months since the lottery k and
group (winners, losers) it sums the entrants, those employed, their earnings (current wage, 0 when not employed, in
USD / month) and those in training. Everyone who entered stays in the denominators, retired or out of the labour force
included (not employed, no earnings), so the contrast is the intention-to-treat effect of winning a seat
(:func:`itt`). Winners and losers of a month's lottery are drawn at random from the same takers, so the contrast is
unbiased at every k; the lotteries of different months are pooled.

:func:`follow_lottery` runs one model and returns the panel as a table (:func:`panel_frame`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..state import EMPLOYED, NEVER_MONTH, RETRAINING

GROUPS = ("winners", "losers")
MEASURES = ("entrants", "employed", "earnings", "in_training")


class LotteryPanel:
    """Sums over lottery entrants by months since their first lottery (0..``horizon``) and group: ``sums[k, g, measure]``."""

    def __init__(self, horizon: int):
        self.horizon = horizon
        self.sums = np.zeros((horizon + 1, len(GROUPS), len(MEASURES)))

    def update(self, m) -> None:
        """Add this month's state of every entrant (after the step); reads the state only, never the model's generator."""
        w, n = m.workers, m.next_slot
        month = w.lottery_month[:n]
        ids = np.flatnonzero((month != NEVER_MONTH) & (m.month - month <= self.horizon))
        if ids.size == 0:
            return
        k = (m.month - w.lottery_month[ids]).astype(np.int64)
        g = np.where(w.lottery_won[ids], 0, 1)
        status = w.status[ids]
        emp = status == EMPLOYED
        earn = np.zeros(ids.size)
        if emp.any():
            earn[emp] = m.current_wage_of(ids[emp])
        for j, v in enumerate((np.ones(ids.size), emp.astype(float), earn, (status == RETRAINING).astype(float))):
            np.add.at(self.sums[:, :, j], (k, g), v)


def panel_frame(sums: np.ndarray) -> pd.DataFrame:
    """The panel as a table: one row per months since the lottery and group, the sums and the rates per entrant."""
    horizon = sums.shape[0] - 1
    rows = []
    for k in range(horizon + 1):
        for gi, group in enumerate(GROUPS):
            n = sums[k, gi, 0]
            rows.append({"months_since_lottery": k, "group": group, "entrants": int(n),
                         "employment_rate": sums[k, gi, 1] / n if n else np.nan,
                         "earnings": sums[k, gi, 2] / n if n else np.nan,
                         "in_training": sums[k, gi, 3] / n if n else np.nan})
    return pd.DataFrame(rows)


def itt(sums: np.ndarray, measure: str = "employed") -> np.ndarray:
    """Winners' minus losers' mean of a measure per entrant, by months since the lottery (NaN where a group is empty)."""
    j = MEASURES.index(measure)
    n = sums[:, :, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, sums[:, :, j] / np.maximum(n, 1), np.nan)
    return rate[:, 0] - rate[:, 1]


def follow_lottery(scenario: str, seed: int, workers: int, months: int, horizon: int, overrides: Sequence[str] = ()) -> dict:
    """Run a scenario and follow its lottery entrants; returns the panel's sums and the run's seat counts."""
    from ..config import to_config
    from ..model import LaborMarketModel
    from ..runner import compose

    cfg = to_config(compose(scenario, [f"workers={workers}", f"months={months}", f"seed={seed}", "progress=false", "figures=false",
                                       *overrides]))
    m = LaborMarketModel(cfg)
    panel = LotteryPanel(horizon)
    for _ in range(months):
        m.step()
        panel.update(m)
    ts = m.results().timeseries
    return {"lottery": panel.sums, "timeseries": {c: ts[c].to_numpy(dtype=float) for c in ts.columns}}
