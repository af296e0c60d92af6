"""Which retraining courses teach the AI skills that ``market.ai_skill_premium`` pays for.

A course into an AI-core role teaches them; a course into an AI-adjacent role (compliance and model safety, enterprise AI
sales, localisation) teaches that role's work, not AI engineering, so it earns no premium. When it did (a three-month
course adding the full 56% premium), retrained workers queued for AI-adjacent jobs during the burn-in: on the China
profile's ``no_ai`` at 20,000 workers, the AI-adjacent lane's unemployment at month 0 was 16.6% (compliance and model
safety 31%) against 5.3% in the traditional lane; with ``market.ai_skill_premium=0`` it was 5.6%, with no retraining at
all 5.0%. Now (on the China profile of 2026-12-02) it is 7.5% (traditional 6.0%).
"""

from __future__ import annotations

import numpy as np

from simulation.config import LANES, to_config
from simulation.model import LaborMarketModel
from simulation.runner import compose, run_config
from simulation.state import UNEMPLOYED

SMALL = ("workers=2000", "months=3", "burn_in_months=0", "seed=3", "progress=false", "figures=false",
         "retraining.certificate.dropout_rate=0", "retraining.project.dropout_rate=0")


def _model():
    m = LaborMarketModel(to_config(compose("baseline", list(SMALL))))
    return m, next(p for p in m.processes if p.name == "retraining")


def _lanes(m):
    lane = m.occupations.lane
    return (int(np.flatnonzero(lane == LANES.index("ai_core"))[0]), int(np.flatnonzero(lane == LANES.index("ai_adjacent"))[0]),
            int(np.flatnonzero(lane == LANES.index("traditional"))[0]))


def test_only_a_course_into_an_ai_core_role_teaches_ai_skills():
    m, rt = _model()
    w = m.workers
    core, adjacent, _ = _lanes(m)
    ids = np.flatnonzero((w.status[: m.next_slot] == UNEMPLOYED) & ~w.ai_skill[: m.next_slot]
                         & (m.occupations.lane[w.occupation[: m.next_slot]] == LANES.index("traditional")))[:20]
    assert ids.size == 20
    target = np.where(np.arange(ids.size) % 2 == 0, core, adjacent)
    rt.start_training(ids, target, np.zeros(ids.size, dtype=np.int64))
    w.train_months_left[ids] = 1.0
    rt.progress()
    assert (w.occupation[ids] == target).all(), "every course completed (no drop-out)"
    assert w.ai_skill[ids[target == core]].all(), "a course into an AI-core role teaches AI skills"
    assert not w.ai_skill[ids[target == adjacent]].any(), "a course into an AI-adjacent role does not"


def test_workers_value_an_ai_adjacent_target_without_the_premium_unless_they_have_ai_skills():
    """Expected pay after a course: the AI-skills premium counts outside AI-core roles only for those who have the skills."""
    m, rt = _model()
    w = m.workers
    core, adjacent, traditional = _lanes(m)
    ids = np.flatnonzero(~w.ai_skill[: m.next_slot] & (w.status[: m.next_slot] >= 0))[:50]
    own = w.occupation[ids].astype(np.int64)
    _, without = rt.expected_pay(ids, own, with_own=False)
    w.ai_skill[ids] = True
    _, with_ = rt.expected_pay(ids, own, with_own=False)
    premium = 1.0 + m.cfg.market.ai_skill_premium
    np.testing.assert_allclose(with_[:, adjacent] / without[:, adjacent], premium)
    np.testing.assert_allclose(with_[:, traditional] / without[:, traditional], premium)
    np.testing.assert_allclose(with_[:, core] / without[:, core], 1.0)  # AI-core roles do not pay the premium on top


def test_no_queue_of_retrained_workers_in_the_ai_adjacent_lane():
    """China no_ai at month 0: the AI-adjacent lane's unemployment stays near the traditional lane's (16.6% against 5.3%
    when AI-adjacent courses taught premium AI skills; 7.5% against 6.0% on the China profile of 2026-12-02)."""
    res = run_config(compose("no_ai", ["profile=china", "workers=20000", "months=1", "seed=1", "progress=false", "figures=false"]))
    g = res.by_occupation.query("month == 0").groupby("lane")[["unemployed", "employed"]].sum()
    rate = g.unemployed / (g.unemployed + g.employed)
    assert rate["ai_adjacent"] < rate["traditional"] + 0.04, f"AI-adjacent unemployment at month 0: {rate.to_dict()}"
