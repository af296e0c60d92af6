"""The pure equations and helpers, one by one, against hand-computed values and brute-force forms.

No model runs: every test calls a pure function on small inputs built here.
Covered: AI capability and the demand cycle (drivers), the annuity and the
value of searching (retraining), the weighted Gini and safe ratio (metrics),
the policy levers (policies), the array helpers not already covered by
``test_grouping.py`` (grouping) and the re-employment cohorts (results).
The per-agent arrays (state) are in ``test_state_arrays.py``. Edge cases
(search values outside 0 < f + s <= 1, negative denominators, displacements in
month 0) are tested as the docstrings document them.
"""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
import pytest

from simulation.config import PolicyConfig
from simulation.metrics import safe_ratio, weighted_gini
from simulation.policies import REGISTRY, Levers, PolicySet
from simulation.processes.drivers import capability, demand_cycle
from simulation.processes.grouping import RowInverseCDF, argsort_nonnegative, distinct, rank_within_groups, ranks_of_sorted
from simulation.processes.retraining import _search_value_into, annuity, search_value
from simulation.results import reemployment_cohorts, reemployment_share

# --------------------------------------------------------------------------- capability

def active_names(ps, month: int) -> list[str]:
    """The levers of a PolicySet active in a month."""
    return [n for n, p in ps.policies.items() if p.active(month)]

def logistic_from_c0(t: float, c0: float, g: float) -> float:
    """The same logistic written without t_mid: C(t) = 1 / (1 + (1 - C0) / C0 e^{-g t})."""
    return 1.0 / (1.0 + (1.0 - c0) / c0 * math.exp(-g * t))


@pytest.mark.parametrize("c0, g", [(0.15, 0.06), (0.01, 0.2), (0.5, 0.1), (0.9, 0.03)])
def test_capability_starts_at_initial(c0, g):
    assert capability(0, c0, g, False) == pytest.approx(c0, rel=1e-12), f"C(0) should be the initial capability {c0}"


@pytest.mark.parametrize("c0, g", [(0.15, 0.06), (0.01, 0.2), (0.9, 0.03)])
def test_capability_is_one_half_at_the_logistic_midpoint(c0, g):
    t_mid = math.log((1.0 - c0) / c0) / g
    assert capability(t_mid, c0, g, False) == pytest.approx(0.5, abs=1e-12), f"C(t_mid={t_mid:.3f}) should be 0.5"
    # symmetric about the midpoint: C(t_mid + d) + C(t_mid - d) = 1
    for d in (1.0, 7.5, 40.0):
        total = capability(t_mid + d, c0, g, False) + capability(t_mid - d, c0, g, False)
        assert total == pytest.approx(1.0, abs=1e-12), f"C(t_mid + {d}) + C(t_mid - {d}) should be 1, got {total}"


def test_capability_hand_values():
    # C0 = 0.15, g = 0.06: C(12) = 1 / (1 + (0.85 / 0.15) e^{-0.72}) = 1 / (1 + 5.66667 x 0.486752) = 0.266080...
    assert capability(12, 0.15, 0.06, False) == pytest.approx(0.2660804, abs=1e-7), "C(12) with C0=0.15, g=0.06"
    for t in (1, 6, 24, 60, 120, 600):
        assert capability(t, 0.15, 0.06, False) == pytest.approx(logistic_from_c0(t, 0.15, 0.06), rel=1e-12), f"C({t})"


@pytest.mark.parametrize("c0", [0.15, 0.5, 0.0, 1.0, 1.3])
def test_capability_frozen_or_zero_growth_is_constant(c0):
    for t in (0, 1, 12, 120, 1_000):
        assert capability(t, c0, 0.06, True) == c0, f"frozen: C({t}) should stay {c0}"
        assert capability(t, c0, 0.0, False) == c0, f"zero growth: C({t}) should stay {c0}"


def test_capability_outside_the_open_unit_interval():
    for t in (0, 5, 100):
        assert capability(t, 0.0, 0.06, False) == 0.0, f"initial 0: C({t}) should be 0"
        assert capability(t, -0.2, 0.06, False) == 0.0, f"initial < 0: C({t}) should be 0"
        assert capability(t, 1.0, 0.06, False) == 1.0, f"initial 1: C({t}) should be 1"
        assert capability(t, 1.5, 0.06, False) == 1.5, f"initial > 1: C({t}) should be the initial 1.5"


def test_capability_increases_towards_one():
    c = np.array([capability(t, 0.15, 0.06, False) for t in range(0, 361)])
    assert np.all(np.diff(c) > 0), "C(t) should rise every month"
    assert c[-1] == pytest.approx(1.0, abs=1e-7) and c[-1] < 1.0, f"C(360) should approach 1 from below, got {c[-1]}"


# --------------------------------------------------------------------------- demand cycle
NO_CYCLE = {"amplitude": 0.0, "period": 48, "shock_month": 0, "shock_size": 0.0, "shock_months": 12}


def cycle(month, trend=0.0, **kw):
    args = {**NO_CYCLE, **kw}
    return demand_cycle(month, trend, args["amplitude"], args["period"], args["shock_month"], args["shock_size"], args["shock_months"])


def test_demand_trend_is_compound_annual_growth():
    assert cycle(0, trend=0.02) == 1.0, "month 0: no growth yet"
    assert cycle(12, trend=0.02) == pytest.approx(1.02, rel=1e-14), "one year at 2%"
    assert cycle(24, trend=0.02) == pytest.approx(1.0404, rel=1e-14), "two years at 2%"
    assert cycle(6, trend=0.02) == pytest.approx(math.sqrt(1.02), rel=1e-14), "half a year at 2%"
    assert cycle(36, trend=-0.1) == pytest.approx(0.729, rel=1e-14), "three years at -10%"
    assert cycle(12, trend=0.0) == 1.0, "no trend, no cycle, no shock: 1"


def test_demand_sinusoid_at_quarter_periods():
    a, p = 0.2, 48
    expected = {0: 1.0, 12: 1.2, 24: 1.0, 36: 0.8, 48: 1.0, 60: 1.2}
    for month, level in expected.items():
        assert cycle(month, amplitude=a, period=p) == pytest.approx(level, abs=1e-12), f"month {month}: 1 + 0.2 sin(2 pi t / 48)"
    # with the trend, the two multiply
    assert cycle(12, trend=0.05, amplitude=a, period=p) == pytest.approx(1.2 * 1.05, rel=1e-12), "cycle x trend at month 12"


def test_demand_shock_lasts_exactly_its_months():
    kw = {"shock_month": 10, "shock_size": 0.3, "shock_months": 3}
    levels = {m: cycle(m, **kw) for m in range(8, 15)}
    on = [m for m, v in levels.items() if v == pytest.approx(1.3)]
    off = [m for m, v in levels.items() if v == 1.0]
    assert on == [10, 11, 12], f"shock should act in months 10, 11, 12 exactly, acts in {on}"
    assert off == [8, 9, 13, 14], f"no shock outside [10, 13), got levels {levels}"
    # shock_month 0 means no shock, even at month 0
    assert cycle(0, shock_month=0, shock_size=0.3, shock_months=5) == 1.0, "shock_month 0: no shock"
    # shock adds to the sinusoid's level, before the trend multiplies
    got = cycle(12, trend=0.02, amplitude=0.1, period=48, shock_month=12, shock_size=-0.25, shock_months=1)
    assert got == pytest.approx((1.0 + 0.1 - 0.25) * 1.02, rel=1e-12), "(1 + A sin + shock)(1 + g)^(t/12)"


def test_demand_level_floor():
    # 1 - 0.2 - 0.9 = -0.1 is floored at 0.05, then the trend applies
    got = cycle(36, trend=0.02, amplitude=0.2, period=48, shock_month=36, shock_size=-0.9, shock_months=1)
    assert got == pytest.approx(0.05 * 1.02**3, rel=1e-12), f"level floored at 0.05 then x trend, got {got}"
    got = cycle(5, shock_month=5, shock_size=-0.95, shock_months=1)
    assert got == pytest.approx(0.05, rel=1e-12), "1 - 0.95 = 0.05: exactly at the floor"
    got = cycle(5, shock_month=5, shock_size=-0.9, shock_months=1)
    assert got == pytest.approx(0.1, rel=1e-12), "1 - 0.9 = 0.1: above the floor, unchanged"


# --------------------------------------------------------------------------- annuity and the value of searching
def brute_annuity(n: int, r: float) -> float:
    """Sum of 1 paid at the end of months 1..n, discounted at r a month."""
    return sum((1.0 + r) ** -t for t in range(1, n + 1))


def markov_search_value(f: float, s: float, n: int, r: float) -> float:
    """Propagate the employed/unemployed chain from unemployed; sum the discounted employment probabilities of months 1..n."""
    p_emp, total = 0.0, 0.0
    for t in range(1, n + 1):
        p_emp = p_emp * (1.0 - s) + (1.0 - p_emp) * f
        total += p_emp / (1.0 + r) ** t
    return total


@pytest.mark.parametrize("r", [0.005, 0.01, 0.05])
def test_annuity_matches_discounted_sum(r):
    for n in (0, 1, 2, 12, 60, 240):
        assert annuity(n, r) == pytest.approx(brute_annuity(n, r), rel=1e-12), f"A({n}) at r={r}"


def test_annuity_edge_cases_and_broadcast():
    assert annuity(0, 0.005) == 0.0, "A(0) should be 0"
    assert annuity(-5, 0.005) == 0.0, "a negative horizon counts as 0 months"
    assert annuity(1, 0.005) == pytest.approx(1 / 1.005, rel=1e-14), "A(1) = 1 / (1 + r)"
    assert annuity(37.0, 0.0) == 37.0, "r = 0: A(n) = n"
    n = np.array([[-1.0, 0.0, 1.0, 12.0, 120.0]])
    np.testing.assert_allclose(annuity(n, 0.01), [[0.0, 0.0] + [brute_annuity(k, 0.01) for k in (1, 12, 120)]], rtol=1e-12)
    np.testing.assert_array_equal(annuity(n, 0.0), [[0.0, 0.0, 1.0, 12.0, 120.0]])


def test_annuity_fractional_horizon_keeps_the_monthly_recursion():
    # the closed form extends A to real n with A(n + 1) = A(n) + (1 + r)^-(n + 1) and A increasing
    r = 0.005
    n = np.array([0.25, 0.5, 3.7, 11.2, 59.9])
    np.testing.assert_allclose(annuity(n + 1.0, r), annuity(n, r) + (1.0 + r) ** -(n + 1.0), rtol=1e-12)
    lo, hi = annuity(np.floor(n), r), annuity(np.ceil(n), r)
    assert np.all((lo < annuity(n, r)) & (annuity(n, r) < hi)), "A(n) should lie between A(floor n) and A(ceil n)"


RATES = [(0.25, 0.015), (0.05, 0.3), (0.5, 0.5), (0.01, 0.001), (0.0, 0.1), (0.3, 0.0), (1.0, 0.0), (0.4, 0.6)]


def test_search_value_in_place_is_search_value_bit_for_bit():
    """The retraining grid's in-place copy of search_value (_search_value_into) gives the same bits, over f + s above 1 too."""
    rng = np.random.default_rng(7)
    f, s = rng.random((2, 3, 4, 500)) * np.array([1.0, 0.2])[:, None, None, None]
    n = rng.integers(0, 200, (3, 4, 500)).astype(np.float64)
    want = search_value(f, s, n, 0.005)
    got = _search_value_into(f.copy(), s, n, 0.005, annuity(n, 0.005))
    assert np.array_equal(got, want)


@pytest.mark.parametrize("f, s", RATES)
@pytest.mark.parametrize("r", [0.005, 0.0])
def test_search_value_matches_the_markov_chain(f, s, r):
    for n in (0, 1, 2, 3, 12, 60, 240):
        got = search_value(np.float64(f), np.float64(s), np.float64(n), r)
        want = markov_search_value(f, s, n, r)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), f"S(f={f}, s={s}, n={n}, r={r}): chain gives {want}, got {got}"


def test_search_value_edge_cases():
    f, s, r = np.float64(0.25), np.float64(0.015), 0.005
    assert search_value(f, s, np.float64(0.0), r) == 0.0, "horizon 0: no months employed"
    assert search_value(f, s, np.float64(-3.0), r) == 0.0, "negative horizon counts as 0"
    assert search_value(np.float64(0.0), s, np.float64(120.0), r) == 0.0, "f = 0: never employed"
    # s = 0: once found, employed for good; one month, employed with probability f
    assert search_value(f, np.float64(0.0), np.float64(1.0), r) == pytest.approx(0.25 / 1.005, rel=1e-12), "S(n=1) = f / (1 + r)"
    # f = 1, s = 0: employed every month, the annuity itself
    assert search_value(np.float64(1.0), np.float64(0.0), np.float64(24.0), r) == pytest.approx(annuity(24, r), rel=1e-12), "f=1, s=0 gives A(n)"
    # endless horizon: sum over t >= 1 of e (1 - lambda^t) / (1 + r)^t = e (1 / r - lambda / (r + f + s)), lambda = 1 - f - s
    got = search_value(f, s, np.float64(20_000.0), r)
    want = 0.25 / 0.265 * (1.0 / 0.005 - 0.735 / 0.27)
    assert got == pytest.approx(want, rel=1e-12), f"long horizon: expected {want}, got {got}"


def test_search_value_broadcasts_like_its_inputs():
    r = 0.005
    f = np.array([0.1, 0.25, 0.6])[:, None, None]  # (3, 1, 1)
    s = np.array([0.01, 0.05])[None, :, None]  # (1, 2, 1)
    n = np.array([0.0, 1.0, 6.0, 36.0])[None, None, :]  # (1, 1, 4)
    got = search_value(f, s, n, r)
    assert got.shape == (3, 2, 4), f"broadcast shape should be (3, 2, 4), got {got.shape}"
    want = np.array([[[markov_search_value(fi, si, int(ni), r) for ni in (0, 1, 6, 36)] for si in (0.01, 0.05)] for fi in (0.1, 0.25, 0.6)])
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_search_value_fractional_horizon():
    # real horizons (months to retirement are fractional): the monthly recursion
    # S(n + 1) = S(n) + e (1 - lambda^(n+1)) / (1 + r)^(n+1), lambda = 1 - f - s, holds for every real n,
    # and S(n) lies between its integer neighbours
    f, s, r = 0.25, 0.015, 0.005
    e, lam = f / (f + s), 1.0 - f - s
    n = np.array([0.5, 2.25, 11.9, 100.1])
    step = e * (1.0 - lam ** (n + 1.0)) / (1.0 + r) ** (n + 1.0)
    np.testing.assert_allclose(search_value(f, s, n + 1.0, r), search_value(f, s, n, r) + step, rtol=1e-10)
    got = search_value(f, s, n, r)
    lo = np.array([markov_search_value(f, s, int(k), r) for k in np.floor(n)])
    hi = np.array([markov_search_value(f, s, int(k), r) for k in np.ceil(n)])
    assert np.all((lo < got) & (got < hi)), f"S(n) should lie between S(floor n) {lo} and S(ceil n) {hi}, got {got}"


def test_search_value_agrees_with_a_monte_carlo_of_the_chain():
    f, s, r, n = 0.2, 0.05, 0.01, 24
    rng = np.random.default_rng(7)
    employed = np.zeros(100_000, dtype=bool)
    total = np.zeros(employed.size)
    for t in range(1, n + 1):
        u = rng.random(employed.size)
        employed = np.where(employed, u >= s, u < f)
        total += employed / (1.0 + r) ** t
    # standard error of the mean is about 0.02 here
    assert search_value(f, s, np.float64(n), r) == pytest.approx(total.mean(), abs=0.08), "simulated chain disagrees with S"


def test_search_value_when_finding_and_separation_exceed_one_drops_the_oscillation():
    """Documented: outside 0 < f + s <= 1 the q^n term is dropped, leaving e A(n)."""
    f, s, r = 0.9, 0.3, 0.005
    for n in (1, 2, 12):
        got = search_value(f, s, np.float64(n), r)
        assert got == pytest.approx(f / (f + s) * annuity(np.float64(n), r), rel=1e-9), f"n={n}"
        assert got != pytest.approx(markov_search_value(f, s, n, r), rel=1e-3), f"n={n}: the exact chain would differ"


def test_search_value_with_no_transitions_is_outside_the_domain():
    """Documented: f = s = 0 is outside the domain (NaN), not silently 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        got = search_value(np.array([0.0]), np.array([0.0]), np.array([12.0]), 0.005)
    assert np.isnan(got).all()


# --------------------------------------------------------------------------- metrics
def brute_gini(values, weights) -> float:
    """Gini as the weighted mean absolute difference over twice the weighted mean."""
    v, w = np.asarray(values, float), np.asarray(weights, float)
    mean = np.sum(w * v) / w.sum()
    return float(np.sum(w[:, None] * w[None, :] * np.abs(v[:, None] - v[None, :])) / (2.0 * w.sum() ** 2 * mean))


def test_gini_of_equal_values_is_zero():
    assert weighted_gini(np.full(7, 3.5), np.ones(7)) == pytest.approx(0.0, abs=1e-15), "equal incomes: G = 0"
    assert weighted_gini(np.full(4, 2.0), np.array([1.0, 5.0, 0.5, 2.0])) == pytest.approx(0.0, abs=1e-15), "equal incomes, any weights"


@pytest.mark.parametrize("n", [2, 3, 10, 1_000])
def test_gini_when_one_person_has_everything(n):
    v = np.zeros(n)
    v[n // 2] = 100.0
    assert weighted_gini(v, np.ones(n)) == pytest.approx((n - 1) / n, rel=1e-12), f"one of {n} has all: G = (n - 1) / n"


def test_gini_hand_value():
    # values 1, 2, 3 equally weighted: mean |xi - xj| = 8/9, mean 2 -> G = (8/9) / 4 = 2/9
    assert weighted_gini(np.array([3.0, 1.0, 2.0]), np.ones(3)) == pytest.approx(2.0 / 9.0, rel=1e-12), "G(1, 2, 3) = 2/9"


def test_gini_weights_are_frequencies():
    assert weighted_gini(np.array([1.0, 4.0]), np.array([2.0, 1.0])) == pytest.approx(
        weighted_gini(np.array([1.0, 1.0, 4.0]), np.ones(3)), rel=1e-12), "weights [2, 1] should equal repeating the first value"
    rng = np.random.default_rng(1)
    v, w = rng.lognormal(size=30), rng.integers(1, 5, 30)
    assert weighted_gini(v, w.astype(float)) == pytest.approx(weighted_gini(np.repeat(v, w), np.ones(w.sum())), rel=1e-12)
    # scaling every weight changes nothing; scaling every value changes nothing
    assert weighted_gini(v, 3.0 * w) == pytest.approx(weighted_gini(v, w), rel=1e-12), "weights scale-invariant"
    assert weighted_gini(7.0 * v, w) == pytest.approx(weighted_gini(v, w), rel=1e-12), "values scale-invariant"


def test_gini_ignores_zero_weights_and_handles_empty():
    v = np.array([5.0, 1.0, 1_000.0, 2.0, 3.0])
    w = np.array([1.0, 1.0, 0.0, 1.0, 0.0])
    assert weighted_gini(v, w) == pytest.approx(weighted_gini(np.array([5.0, 1.0, 2.0]), np.ones(3)), rel=1e-12), "zero weights dropped"
    assert weighted_gini(np.array([]), np.array([])) == 0.0, "empty: 0"
    assert weighted_gini(v, np.zeros(5)) == 0.0, "no weight at all: 0"
    assert weighted_gini(np.zeros(4), np.ones(4)) == 0.0, "all values 0: 0"


@pytest.mark.parametrize("seed", range(3))
def test_gini_matches_mean_absolute_difference(seed):
    rng = np.random.default_rng(seed)
    n = 200
    v = np.round(rng.lognormal(8.5, 0.6, n), -2)  # rounded: many ties
    w = rng.random(n) * 3.0
    w[rng.random(n) < 0.1] = 0.0
    keep = w > 0
    assert weighted_gini(v, w) == pytest.approx(brute_gini(v[keep], w[keep]), rel=1e-10), "trapezoid Lorenz formula vs mean |xi - xj|"


def test_safe_ratio():
    assert safe_ratio(3, 4) == 0.75, "3 / 4"
    assert safe_ratio(0, 5) == 0.0, "0 / 5"
    assert safe_ratio(7, 0) == 0.0, "den 0 gives 0"
    assert safe_ratio(np.int64(1), np.int64(3)) == pytest.approx(1 / 3, rel=1e-15)
    assert type(safe_ratio(np.int64(1), np.int64(2))) is float, "a Python float"


def test_safe_ratio_negative_denominator_is_zero():
    assert safe_ratio(1.0, -2.0) == 0.0, "documented: 0 when the denominator is 0 or less"


# --------------------------------------------------------------------------- policy levers
NEUTRAL = {f.name: f.default for f in fields(Levers)}
POPULATION = 12_345


def quiet_config() -> PolicyConfig:
    """Every lever off, including the status-quo unemployment insurance that is on by default."""
    cfg = PolicyConfig()
    for name in REGISTRY:
        getattr(cfg, name).enabled = False
    return cfg


def moved(levers: Levers) -> dict:
    """The levers that differ from their neutral values."""
    return {k: getattr(levers, k) for k, v in NEUTRAL.items() if getattr(levers, k) != v}


def assert_moved(got: dict, expected: dict, what: str) -> None:
    """The same levers moved, numbers to within rounding, choices exactly."""
    assert set(got) == set(expected), f"{what}: expected {sorted(expected)} to move, moved {sorted(got)}"
    for k, v in expected.items():
        ok = got[k] == v if isinstance(v, str) else got[k] == pytest.approx(v, rel=1e-12)
        assert ok, f"{what}: {k} should be {v!r}, got {got[k]!r}"


def only(name: str, **settings) -> PolicyConfig:
    cfg = quiet_config()
    lever = getattr(cfg, name)
    lever.enabled = True
    for k, v in settings.items():
        setattr(lever, k, v)
    return cfg


def test_no_lever_leaves_everything_neutral():
    assert moved(PolicySet(quiet_config(), POPULATION).step(5)) == {}, "no active lever: all neutral"


def test_status_quo_config_has_only_unemployment_insurance():
    ps = PolicySet(PolicyConfig(), POPULATION)
    assert_moved(moved(ps.step(1)), {"ui_replacement": 0.3, "ui_duration": 6, "ui_floor_share": 0.05, "ui_cap_share": 1.5},
                 "default config: UI 30% for 6 months (floor 5%, cap 150% of the reference wage) only")
    assert active_names(ps, 1) == ["unemployment_insurance"]


# each lever alone: the levers it moves, and to what
SINGLE = [
    ("adoption_subsidy", {"rate": 0.5}, {"adoption_cost_factor": 0.5}),
    ("adoption_subsidy", {"rate": 0.2}, {"adoption_cost_factor": 0.8}),
    ("automation_tax", {"rate": 0.2}, {"adoption_cost_add": 0.2}),
    ("public_ai_demand", {"share": 0.3}, {"public_ai_demand": 0.3, "public_ai_backstop": 0.5}),
    ("public_ai_demand", {"share": 0.3, "backstop": 0.0}, {"public_ai_demand": 0.3}),
    ("retraining_subsidy", {"cost_share": 0.6, "seats_per_1000": 2.0, "outreach": 0.4, "targeting": "mid_career"},
     {"retraining_cost_share": 0.6, "retraining_seats": 25, "retraining_outreach": 0.4, "retraining_targeting": "mid_career"}),
    ("unemployment_insurance", {"replacement_rate": 0.6, "duration_months": 12, "floor_share": 0.1, "cap_share": 0.8},
     {"ui_replacement": 0.6, "ui_duration": 12, "ui_floor_share": 0.1, "ui_cap_share": 0.8}),
    ("hiring_subsidy", {"wage_share": 0.25, "duration_months": 18, "demand_elasticity": 0.5},
     {"hiring_subsidy": 0.25, "hiring_subsidy_months": 18, "hiring_demand_elasticity": 0.5, "hiring_budget_relief": True}),
    ("education_shift", {"ai_field_boost": 1.5}, {"education_ai_boost": 1.5}),
]


@pytest.mark.parametrize("name, settings, expected", SINGLE, ids=[f"{s[0]}-{i}" for i, s in enumerate(SINGLE)])
def test_each_lever_alone(name, settings, expected):
    assert_moved(moved(PolicySet(only(name, **settings), POPULATION).step(1)), expected, f"{name} {settings}")


@pytest.mark.parametrize("name", list(REGISTRY))
def test_start_month_is_respected(name):
    cfg = only(name, start_month=7)
    ps = PolicySet(cfg, POPULATION)
    for month in (0, 1, 6):
        assert moved(ps.step(month)) == {}, f"{name} starts in month 7: nothing should move in month {month}"
        assert active_names(ps, month) == [], f"{name} inactive in month {month}"
    for month in (7, 8, 100):
        assert moved(ps.step(month)) != {}, f"{name} should act from month 7 on (month {month})"
        assert active_names(ps, month) == [name], f"{name} active in month {month}"


def test_disabled_lever_never_acts():
    cfg = quiet_config()
    cfg.automation_tax.start_month = 1
    ps = PolicySet(cfg, POPULATION)
    assert all(moved(ps.step(m)) == {} for m in (1, 10, 1_000)), "a lever with enabled=False never acts"


def test_levers_combine():
    cfg = quiet_config()
    cfg.adoption_subsidy.enabled, cfg.adoption_subsidy.rate = True, 0.5
    cfg.automation_tax.enabled, cfg.automation_tax.rate, cfg.automation_tax.start_month = True, 0.2, 4
    cfg.public_ai_demand.enabled, cfg.public_ai_demand.share = True, 0.1
    cfg.unemployment_insurance.enabled = True
    ps = PolicySet(cfg, POPULATION)
    assert_moved(moved(ps.step(3)), {"adoption_cost_factor": 0.5, "public_ai_demand": 0.1, "public_ai_backstop": 0.5,
                                     "ui_replacement": 0.3, "ui_duration": 6, "ui_floor_share": 0.05, "ui_cap_share": 1.5}, "month 3, before the tax starts")
    assert_moved(moved(ps.step(4)), {"adoption_cost_factor": 0.5, "adoption_cost_add": 0.2, "public_ai_demand": 0.1,
                                     "public_ai_backstop": 0.5, "ui_replacement": 0.3, "ui_duration": 6, "ui_floor_share": 0.05, "ui_cap_share": 1.5},
                 "month 4: subsidy and tax both apply")


def test_step_resets_before_acting():
    cfg = only("public_ai_demand", share=0.2)
    ps = PolicySet(cfg, POPULATION)
    for month in (1, 2, 3):
        assert ps.step(month).public_ai_demand == pytest.approx(0.2), f"month {month}: the lever must not accumulate across months"
    cfg.public_ai_demand.enabled = False
    assert moved(ps.step(4)) == {}, "a lever switched off leaves the levers neutral the next month"


def test_levers_reset_returns_neutral_values():
    lv = Levers()
    changed = {"adoption_cost_factor": 0.3, "adoption_cost_add": 0.7, "public_ai_demand": 0.4, "public_ai_backstop": 0.5,
               "retraining_cost_share": 0.9,
               "retraining_seats": 12, "retraining_targeting": "all", "retraining_outreach": 0.8, "ui_replacement": 0.5,
               "ui_duration": 9, "ui_floor_share": 0.1, "ui_cap_share": 0.9, "hiring_subsidy": 0.2, "hiring_subsidy_months": 12,
               "hiring_demand_elasticity": 0.3, "hiring_budget_relief": True, "education_ai_boost": 2.0}
    assert set(changed) == set(NEUTRAL), "the test should change every lever"
    for k, v in changed.items():
        setattr(lv, k, v)
    lv.reset()
    assert lv == Levers(), f"reset should give the neutral levers, got {lv}"
    assert NEUTRAL["adoption_cost_factor"] == 1.0 and NEUTRAL["adoption_cost_add"] == 0.0 and NEUTRAL["retraining_seats"] == 0


@pytest.mark.parametrize("per_1000, population, seats", [
    (2.0, 1_000, 2), (2.0, 20_000, 40), (2.0, 12_345, 25), (3.0, 12_345, 37), (0.5, 999, 0), (0.5, 3_100, 2), (2.0, 0, 0), (0.0, 50_000, 0),
])
def test_retraining_seats_scale_with_population(per_1000, population, seats):
    # seats = round(seats_per_1000 x population / 1000)
    got = PolicySet(only("retraining_subsidy", seats_per_1000=per_1000), population).step(1).retraining_seats
    assert got == seats, f"{per_1000} per 1000 of {population}: expected {seats} seats, got {got}"
    assert isinstance(got, int)


# --------------------------------------------------------------------------- grouping (what test_grouping.py does not cover)
def test_distinct():
    np.testing.assert_array_equal(distinct(np.array([3, 1, 3, 2, 1, 1, 7])), [1, 2, 3, 7])
    np.testing.assert_array_equal(distinct(np.array([], dtype=np.int64)), np.array([], dtype=np.int64))
    np.testing.assert_array_equal(distinct(np.array([5])), [5])
    np.testing.assert_array_equal(distinct(np.array([4, 4, 4])), [4])
    np.testing.assert_array_equal(distinct(np.array([-2, 0, -2, 9])), [-2, 0, 9])
    x = np.array([2, 0, 1])
    distinct(x)
    np.testing.assert_array_equal(x, [2, 0, 1], err_msg="distinct must not sort its input in place")
    rng = np.random.default_rng(0)
    y = rng.integers(-50, 50, 1_000)
    np.testing.assert_array_equal(distinct(y), np.unique(y))


def test_ranks_of_sorted():
    np.testing.assert_array_equal(ranks_of_sorted(np.array([0, 0, 0, 2, 5, 5])), [0, 1, 2, 0, 0, 1])
    np.testing.assert_array_equal(ranks_of_sorted(np.array([7])), [0])
    np.testing.assert_array_equal(ranks_of_sorted(np.array([1, 2, 3])), [0, 0, 0])
    np.testing.assert_array_equal(ranks_of_sorted(np.array([4, 4, 4, 4])), [0, 1, 2, 3])
    empty = ranks_of_sorted(np.array([], dtype=np.int64))
    assert empty.size == 0 and empty.dtype == np.int64


def test_rank_within_groups_empty_and_constant_key():
    order, rank = rank_within_groups(np.array([], dtype=np.int64), np.array([]))
    assert order.size == 0 and rank.size == 0
    order, rank, sg = rank_within_groups(np.array([], dtype=np.int16), np.array([]), return_sorted=True)
    assert sg.size == 0 and sg.dtype == np.int16, "empty sorted groups keep the group dtype"
    # every key equal: ranks count the members of each group
    group = np.array([1, 0, 1, 1, 0])
    order, rank = rank_within_groups(group, np.full(5, 0.3))
    np.testing.assert_array_equal(group[order], [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(rank, [0, 1, 0, 1, 2])


@pytest.mark.parametrize("seed", range(3))
def test_rank_within_groups_matches_lexsort(seed):
    rng = np.random.default_rng(seed)
    n = 2_000
    group = rng.integers(0, 40, n)
    key = rng.permutation(n) * 0.37 - 100.0  # distinct keys, some negative
    order, rank, sg = rank_within_groups(group, key, return_sorted=True)
    want = np.lexsort((key, group))
    np.testing.assert_array_equal(order, want, err_msg="order should be by (group, key)")
    np.testing.assert_array_equal(sg, group[want])
    want_rank = np.array([np.sum((group == group[i]) & (key < key[i])) for i in want])
    np.testing.assert_array_equal(rank, want_rank, err_msg="rank = number of the group's items with a smaller key")


def test_argsort_nonnegative_small_inputs():
    assert argsort_nonnegative(np.array([])).size == 0
    np.testing.assert_array_equal(argsort_nonnegative(np.array([2.5])), [0])
    np.testing.assert_array_equal(argsort_nonnegative(np.array([0.0, 3.0, 1.0])), [0, 2, 1])
    np.testing.assert_array_equal(argsort_nonnegative(np.array([1e300, 0.0, 5e-324, 1.0])), [1, 2, 3, 0])


def test_row_inverse_cdf_hand_values():
    cdf = np.array([[0.25, 0.5, 1.0], [0.0, 0.9, 1.0]])
    inv = RowInverseCDF(cdf, buckets=4)
    rows = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    u = np.array([0.0, 0.1, 0.25, 0.2500001, 0.5, 0.99, 0.0, 1e-9, 0.9, 0.95])
    # a draw counts the entries strictly below u
    want = [0, 0, 0, 1, 1, 2, 0, 1, 1, 2]
    np.testing.assert_array_equal(inv.draw(rows, u), want)
    # the table holds a slice's count where it is the same at both edges; row 0's slices [0.25, 0.5) and [0.5, 0.75)
    # start at an entry (the count changes inside them), so they are marked -1 and compared in full
    np.testing.assert_array_equal(inv.table.reshape(2, 4)[0], [0, -1, -1, 2])


# --------------------------------------------------------------------------- re-employment cohorts
# month 30; horizons 6 and 12; one row per worker: (displaced month, re-employed month, stage)
COHORT_ROWS = [
    (-1, -1, 0),  # never displaced
    (5, 8, 0),    # back after 3 months
    (5, -1, 1),   # never back
    (10, 22, 1),  # back after 12: within 12, not within 6
    (10, 23, 2),  # back after 13: within neither
    (18, 24, 0),  # back after exactly 6; displaced 12 months ago: in both cohorts
    (19, 20, 2),  # displaced 11 months ago: in the 6-month cohort only
    (24, -1, 1),  # displaced exactly 6 months ago: in the 6-month cohort, not back
    (25, 26, 0),  # displaced 5 months ago: in no cohort
]
DM, RM, STAGE = (np.array(c) for c in zip(*COHORT_ROWS, strict=True))
MONTH = 30


def test_reemployment_share_hand_values():
    # 6-month cohort: displaced in month 1..24 -> rows 1-7 (7 workers); back within 6: rows 1, 5, 6 -> 3/7
    assert reemployment_share(DM, RM, MONTH, 6) == (7, pytest.approx(3 / 7)), "6-month cohort"
    # 12-month cohort: displaced in month 1..18 -> rows 1-5 (5 workers); back within 12: rows 1, 3, 5 -> 3/5
    assert reemployment_share(DM, RM, MONTH, 12) == (5, pytest.approx(3 / 5)), "12-month cohort"
    # 24-month cohort: displaced in 1..6 -> rows 1, 2; back within 24: row 1
    assert reemployment_share(DM, RM, MONTH, 24) == (2, 0.5), "24-month cohort"
    assert reemployment_share(DM, RM, MONTH, 30) == (0, 0.0), "empty cohort: (0, 0.0)"
    # a mask restricts the cohort: stage 1 in the 12-month cohort: rows 2 (not back) and 3 (back)
    assert reemployment_share(DM, RM, MONTH, 12, mask=STAGE == 1) == (2, 0.5), "stage-1 12-month cohort"


def test_reemployment_cohorts_hand_values_and_agreement():
    horizons = (6, 12, 24)
    by_h, by_stage = reemployment_cohorts(DM, RM, STAGE, MONTH, horizons, 12, 3)
    assert by_h == {6: (7, pytest.approx(3 / 7)), 12: (5, pytest.approx(3 / 5)), 24: (2, 0.5)}, by_h
    # 12-month cohort rows 1-5 by stage: stage 0 rows 1, 5 (both back); stage 1 rows 2, 3 (one back); stage 2 row 4 (not back)
    assert by_stage == [(2, 1.0), (2, 0.5), (1, 0.0)], by_stage
    for h in horizons:
        assert by_h[h] == reemployment_share(DM, RM, MONTH, h), f"horizon {h}: cohorts and share disagree"
    for k in range(3):
        assert by_stage[k] == reemployment_share(DM, RM, MONTH, 12, mask=STAGE == k), f"stage {k}: cohorts and share disagree"
    # stage horizon 6: rows 1-7 by stage
    _, by_stage6 = reemployment_cohorts(DM, RM, STAGE, MONTH, horizons, 6, 4)
    assert by_stage6 == [(2, 1.0), (3, 0.0), (2, 0.5), (0, 0.0)], "four stages, the last empty"


@pytest.mark.parametrize("seed", range(3))
def test_reemployment_cohorts_agree_with_share_on_random_histories(seed):
    rng = np.random.default_rng(seed)
    n, month = 500, 60
    dm = np.where(rng.random(n) < 0.2, -1, rng.integers(1, month + 1, n))
    back = rng.random(n) < 0.6
    rm = np.where((dm > 0) & back, np.minimum(dm + rng.integers(0, 30, n), month), -1)
    stage = rng.integers(0, 3, n)
    horizons = (6, 12, 24)
    by_h, by_stage = reemployment_cohorts(dm, rm, stage, month, horizons, 24, 3)
    for h in horizons:
        assert by_h[h] == reemployment_share(dm, rm, month, h), f"horizon {h}"
    for k in range(3):
        assert by_stage[k] == reemployment_share(dm, rm, month, 24, mask=stage == k), f"stage {k}"


def test_reemployment_share_leaves_out_month_zero():
    assert reemployment_share(np.array([0, 1]), np.array([3, 3]), 12, 6) == (1, 1.0), "documented: the cohort starts in month 1"
