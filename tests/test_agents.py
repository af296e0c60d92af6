"""Agent views and the state registry.

Workers and firms live in declared arrays (``simulation.state``); ``Worker``
and ``Firm`` are thin mesa agents that read those arrays. The views must agree
with the arrays before and after steps, the registry must reject undeclared
fields, and firms must be registered mesa agents.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.agents import Firm, Worker
from simulation.config import LANES, to_config
from simulation.model import LaborMarketModel
from simulation.state import EMPLOYED, RETRAINING, STAGES, STATUS_NAMES

WORKERS, MONTHS, SEED = 3_000, 24, 4


@pytest.fixture()
def model(compose_cfg):
    return LaborMarketModel(to_config(compose_cfg("baseline", SEED, WORKERS, MONTHS)))


def _expected_stage(model, uid: int) -> str:
    demo = model.cfg.demography
    age = float(model.workers.age[uid])
    return "early" if age < demo.early_career_max_age else "mid" if age < demo.mid_career_max_age else "late"


def _check_worker(model, uid: int) -> None:
    w, occ = model.workers, model.occupations
    v = model.worker(uid)
    code = int(w.status[uid])
    assert v.status == STATUS_NAMES[code], f"worker {uid}: view status {v.status!r}, array code {code} ({STATUS_NAMES[code]!r})"
    assert v.occupation == occ.names[w.occupation[uid]], f"worker {uid}: view occupation {v.occupation!r}, array {occ.names[w.occupation[uid]]!r}"
    assert v.lane == LANES[occ.lane[w.occupation[uid]]], f"worker {uid}: view lane {v.lane!r}"
    assert v.stage == _expected_stage(model, uid) and v.stage in STAGES, f"worker {uid}: view stage {v.stage!r}, age {w.age[uid]:.2f}"
    firm = int(w.firm[uid])
    if code == EMPLOYED:
        assert v.employer == firm and firm >= 0, f"worker {uid} is employed: employer expected {firm}, view says {v.employer}"
    else:
        assert v.employer is None, f"worker {uid} is {STATUS_NAMES[code]}: employer expected None, view says {v.employer}"
    if code == RETRAINING:
        assert v.retraining_target == occ.names[w.train_target[uid]], f"worker {uid}: retraining target {v.retraining_target!r}"
    else:
        assert v.retraining_target is None, f"worker {uid} is not retraining: target expected None, got {v.retraining_target!r}"
    assert v.age == pytest.approx(float(w.age[uid])), f"worker {uid}: view age {v.age} vs array {w.age[uid]}"
    assert v.displaced == bool(w.displaced[uid]), f"worker {uid}: displaced flag differs between view and array"


def _sample(model, rng, k=60) -> list[int]:
    """Workers in every status present, plus a random draw."""
    status = model.workers.status[: model.next_slot]
    ids = set(rng.choice(model.next_slot, size=min(k, model.next_slot), replace=False).tolist())
    for code in np.unique(status):
        ids.update(np.flatnonzero(status == code)[:5].tolist())
    return sorted(ids)


def test_worker_view_reads_arrays_before_and_after_steps(model):
    rng = np.random.default_rng(0)
    for uid in _sample(model, rng):
        _check_worker(model, uid)
    ids = _sample(model, rng)
    views = {uid: model.worker(uid) for uid in ids}
    before = {uid: views[uid].status for uid in ids}
    model.run(MONTHS)
    for uid in ids:
        assert model.worker(uid) is views[uid], f"worker {uid}: model.worker() should return the same cached view"
        _check_worker(model, uid)
    changed = [uid for uid in ids if views[uid].status != before[uid]]
    assert changed, f"after {MONTHS} months none of {len(ids)} sampled workers changed status: the views may not follow the arrays"
    statuses = {STATUS_NAMES[int(c)] for c in np.unique(model.workers.status[: model.next_slot])}
    assert {"employed", "unemployed"} <= statuses, f"a running market has employed and unemployed workers; got {statuses}"
    for uid in _sample(model, rng):  # including graduates who entered during the run
        _check_worker(model, uid)


def test_worker_view_rejects_missing_workers_and_unknown_fields(model):
    with pytest.raises(IndexError):
        model.worker(model.next_slot)
    with pytest.raises(IndexError):
        model.worker(-1)
    with pytest.raises(AttributeError):
        _ = model.worker(0).not_a_field


def test_worker_snapshot_matches_arrays(model):
    model.run(6)
    uid = int(np.flatnonzero(model.workers.status[: model.next_slot] == EMPLOYED)[0])
    snap = model.worker(uid).snapshot()
    assert snap["status"] == "employed" and snap["employer"] == int(model.workers.firm[uid]), f"snapshot of employed worker {uid}: {snap}"
    missing = [k for k in type(model.workers).FIELDS if k not in snap]
    assert not missing, f"snapshot should hold every declared field; missing {missing}"


def test_registry_rejects_undeclared_fields(model):
    with pytest.raises(AttributeError):
        model.workers.foo = np.zeros(model.workers.n)
    with pytest.raises(AttributeError):
        model.firms.foo = np.zeros(model.firms.n)
    assert not hasattr(model.workers, "foo"), "a rejected field must not be set"


def test_registry_rejects_wrong_shapes(model):
    with pytest.raises(ValueError):
        model.workers.age = np.zeros(model.workers.n + 1)
    with pytest.raises(ValueError):
        model.firms.headcount = np.zeros(model.firms.n)


def test_unwritten_state_is_a_sentinel(model):
    """Fields nobody has written show as NaN or -1 (STYLE.md: unwritten state shows)."""
    w, n = model.workers, model.next_slot
    never_displaced = ~w.displaced[:n]
    assert never_displaced.all(), "no worker is displaced before the first month"
    assert np.isnan(w.displaced_wage[:n]).all() and (w.displaced_month[:n] == -1).all(), "displacement fields unwritten until a displacement"
    assert np.isnan(w.reemployed_wage[:n]).all() and (w.reemployed_month[:n] == -1).all(), "re-employment fields unwritten until one happens"
    unemployed = w.status[:n] != EMPLOYED
    assert (w.firm[:n][unemployed] == -1).all(), "a worker not employed has the -1 employer sentinel"
    spare = slice(n, w.n)
    assert np.isnan(w.age[spare]).all() and np.isnan(w.skills[spare]).all(), "slots not yet used hold NaN, not arbitrary memory"
    assert (w.firm[spare] == -1).all() and (w.occupation[spare] == -1).all(), "slots not yet used hold the -1 sentinel"


def test_firms_are_registered_mesa_agents(model):
    agents = model.agents_by_type[Firm]
    assert len(agents) == model.firms.n, f"expected {model.firms.n} Firm agents registered with the model, got {len(agents)}"
    indices = sorted(a.index for a in agents)
    assert indices == list(range(model.firms.n)), "Firm agents should cover every firm index exactly once"
    assert all(model.firm(j) is model.firm_agents[j] for j in (0, model.firms.n - 1)), "model.firm(j) should return the registered agent"
    assert isinstance(model.worker(0), Worker) and model.worker(0).model is model, "a worker view belongs to its model"


def test_firm_view_reads_arrays_after_steps(model):
    model.run(12)
    f, w = model.firms, model.workers
    emp = np.flatnonzero(w.status[: model.next_slot] == EMPLOYED)
    for j in range(0, f.n, max(f.n // 10, 1)):
        v = model.firm(j)
        assert v.adoption == pytest.approx(f.adoption[j]), f"firm {j}: adoption view {v.adoption} vs array {f.adoption[j]}"
        assert v.budget == pytest.approx(f.budget[j]), f"firm {j}: budget view {v.budget} vs array {f.budget[j]}"
        assert v.sector == model.sectors.names[f.sector[j]], f"firm {j}: sector {v.sector!r}"
        heads = v.headcount_by_occupation()
        n_emp = int(np.count_nonzero(w.firm[emp] == j))
        assert sum(heads.values()) == n_emp, f"firm {j}: headcount by occupation sums to {sum(heads.values())}, employees counted {n_emp}"
        assert set(heads) == set(model.occupations.names), f"firm {j}: headcount keyed by every occupation name"
