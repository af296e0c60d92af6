"""The per-agent arrays (simulation.state): sentinels, growth, compaction and the guards on assignment.

Small hand-built WorkerArrays and FirmArrays; no model runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.state import NO_ROUTE, UNBORN, Arrays, FirmArrays, WorkerArrays

N_SKILLS, N_OCC = 3, 4
TRAILING = {"n_skills": N_SKILLS, "n_occupations": N_OCC}
CLASSES = [(WorkerArrays, TRAILING), (FirmArrays, {"n_occupations": N_OCC})]
IDS = ["workers", "firms"]


def trailing_shape(spec, shapes) -> tuple[int, ...]:
    return tuple(shapes[s] if isinstance(s, str) else s for s in spec.shape)


def assert_sentinel(arr: np.ndarray, spec, what: str) -> None:
    """Every entry holds the declared fill (NaN where the fill is NaN)."""
    if isinstance(spec.fill, float) and np.isnan(spec.fill):
        assert np.isnan(arr).all(), f"{what}: expected NaN everywhere"
    else:
        assert (arr == spec.fill).all(), f"{what}: expected the fill {spec.fill!r} everywhere"


def numbered(a: Arrays, cls) -> None:
    """Give row i of every field a value made from i (bool fields: i odd), so moved rows can be traced."""
    for name, spec in cls.FIELDS.items():
        arr = getattr(a, name)
        rows = np.arange(a.n).reshape((-1,) + (1,) * (arr.ndim - 1))
        arr[...] = (rows % 2 == 1) if spec.dtype == "bool" else rows + 1


def test_declared_sentinels():
    # a few fills spelled out, so a changed default is caught here
    w = WorkerArrays(3, **TRAILING)
    assert (w.status == UNBORN).all() and w.status.dtype == np.int8, "status: unborn, int8"
    assert (w.firm == -1).all() and w.firm.dtype == np.int64, "firm: -1, int64"
    assert np.isnan(w.wage).all() and w.wage.dtype == np.float32, "wage: NaN, float32"
    assert (w.train_route == NO_ROUTE).all() and (w.months_unemployed == 0).all() and not w.displaced.any()
    assert w.skills.shape == (3, N_SKILLS) and np.isnan(w.skills).all(), "skills: (n, n_skills) of NaN"
    assert w.fit.shape == (3, N_OCC) and np.isnan(w.fit).all(), "fit: (n, n_occupations) of NaN"
    f = FirmArrays(2, n_occupations=N_OCC)
    assert (f.wage_premium == 1.0).all() and (f.optimism == 0.0).all() and (f.stalled_month == -1).all()
    assert f.demand.shape == (2, N_OCC) and (f.demand == 0).all() and f.demand.dtype == np.int64
    assert f.posted_wage.shape == (2, N_OCC) and np.isnan(f.posted_wage).all()


@pytest.mark.parametrize("cls, shapes", CLASSES, ids=IDS)
def test_new_arrays_hold_the_sentinel_in_every_field(cls, shapes):
    a = cls(5, **shapes)
    assert a.n == 5
    for name, spec in cls.FIELDS.items():
        arr = getattr(a, name)
        assert arr.shape == (5, *trailing_shape(spec, shapes)), f"{name}: shape {arr.shape}"
        assert arr.dtype == np.dtype(spec.dtype), f"{name}: dtype {arr.dtype}, declared {spec.dtype}"
        assert_sentinel(arr, spec, name)


def test_zero_slots():
    w = WorkerArrays(0, **TRAILING)
    assert w.status.shape == (0,) and w.skills.shape == (0, N_SKILLS)
    w.grow(2)
    assert w.n == 2 and (w.status == UNBORN).all() and np.isnan(w.skills).all()


@pytest.mark.parametrize("cls, shapes", CLASSES, ids=IDS)
def test_grow_keeps_old_rows_and_fills_new_ones(cls, shapes):
    a = cls(4, **shapes)
    numbered(a, cls)
    before = {k: getattr(a, k).copy() for k in cls.FIELDS}
    a.grow(7)
    assert a.n == 7, "n should follow the growth"
    for name, spec in cls.FIELDS.items():
        arr = getattr(a, name)
        assert arr.shape == (7, *trailing_shape(spec, shapes)), f"{name}: shape after grow {arr.shape}"
        assert arr.dtype == np.dtype(spec.dtype), f"{name}: dtype changed to {arr.dtype}"
        np.testing.assert_array_equal(arr[:4], before[name], err_msg=f"{name}: old rows changed")
        assert_sentinel(arr[4:], spec, f"{name} new rows")


@pytest.mark.parametrize("n", [4, 3, 0])
def test_grow_to_no_more_slots_does_nothing(n):
    w = WorkerArrays(4, **TRAILING)
    numbered(w, WorkerArrays)
    arrays = {k: getattr(w, k) for k in WorkerArrays.FIELDS}
    before = {k: v.copy() for k, v in arrays.items()}
    w.grow(n)
    assert w.n == 4, f"grow({n}) on 4 slots should keep 4"
    for k in WorkerArrays.FIELDS:
        assert getattr(w, k) is arrays[k], f"{k}: grow({n}) should not reallocate"
        np.testing.assert_array_equal(getattr(w, k), before[k], err_msg=f"{k}: grow({n}) changed the data")


@pytest.mark.parametrize("cls, shapes", CLASSES, ids=IDS)
def test_compact_moves_kept_rows_to_the_front_in_order(cls, shapes):
    a = cls(6, **shapes)
    numbered(a, cls)
    before = {k: getattr(a, k).copy() for k in cls.FIELDS}
    arrays = {k: getattr(a, k) for k in cls.FIELDS}
    keep = np.array([1, 2, 4])
    a.compact(keep)
    assert a.n == 6, "compact keeps the number of slots"
    for name, spec in cls.FIELDS.items():
        arr = getattr(a, name)
        assert arr is arrays[name], f"{name}: compact works in place"
        np.testing.assert_array_equal(arr[:3], before[name][keep], err_msg=f"{name}: rows 1, 2, 4 should now be rows 0, 1, 2")
        assert_sentinel(arr[3:], spec, f"{name} rows after the kept ones")


def test_compact_hand_values_in_one_and_two_dimensions():
    w = WorkerArrays(4, **TRAILING)
    w.age[:] = [30.0, 40.0, 50.0, 60.0]
    w.skills[:] = np.arange(12, dtype=np.float32).reshape(4, 3)
    w.status[:] = [0, 4, 1, 2]
    w.compact(np.array([0, 2, 3]))
    np.testing.assert_array_equal(w.age, np.array([30.0, 50.0, 60.0, np.nan], dtype=np.float32))
    np.testing.assert_array_equal(w.skills, np.array([[0, 1, 2], [6, 7, 8], [9, 10, 11], [np.nan] * 3], dtype=np.float32))
    np.testing.assert_array_equal(w.status, [0, 1, 2, UNBORN])


def test_compact_edge_cases():
    w = WorkerArrays(3, **TRAILING)
    numbered(w, WorkerArrays)
    before = {k: getattr(w, k).copy() for k in WorkerArrays.FIELDS}
    w.compact(np.arange(3))
    for k in WorkerArrays.FIELDS:
        np.testing.assert_array_equal(getattr(w, k), before[k], err_msg=f"{k}: keeping every row changes nothing")
    w.compact(np.array([], dtype=np.int64))
    for name, spec in WorkerArrays.FIELDS.items():
        assert_sentinel(getattr(w, name), spec, f"{name} after keeping no row")


def test_setting_an_undeclared_field_raises_naming_it():
    w = WorkerArrays(3, **TRAILING)
    with pytest.raises(AttributeError, match="no field 'salary'"):
        w.salary = np.zeros(3)
    with pytest.raises(AttributeError, match="no field 'n'"):
        w.n = 5
    f = FirmArrays(2, n_occupations=N_OCC)
    with pytest.raises(AttributeError, match=r"FirmArrays has no field 'wage'"):
        f.wage = np.zeros(2)  # a worker field, not a firm field
    assert not hasattr(w, "salary") and w.n == 3


def test_assigning_the_wrong_shape_raises():
    w = WorkerArrays(3, **TRAILING)
    with pytest.raises(ValueError, match=r"WorkerArrays\.age"):
        w.age = np.zeros(4)
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        w.skills = np.zeros(3)
    with pytest.raises(ValueError, match=r"WorkerArrays\.fit"):
        w.fit = np.zeros((3, N_OCC + 1))
    with pytest.raises(ValueError, match=r"WorkerArrays\.age"):
        w.age = [1.0, 2.0, 3.0]  # not an array
    assert np.isnan(w.age).all() and np.isnan(w.skills).all(), "a refused assignment leaves the field as it was"


def test_assigning_the_right_shape_keeps_the_declared_dtype():
    w = WorkerArrays(3, **TRAILING)
    w.age = np.array([25.5, 30.0, 61.25])  # float64 in
    assert w.age.dtype == np.float32, "age stays float32"
    np.testing.assert_array_equal(w.age, np.array([25.5, 30.0, 61.25], dtype=np.float32))
    w.status = np.array([0, 1, 3])  # int64 in
    assert w.status.dtype == np.int8
    np.testing.assert_array_equal(w.status, [0, 1, 3])
    w.skills = np.ones((3, N_SKILLS))
    assert w.skills.dtype == np.float32 and (w.skills == 1.0).all()
