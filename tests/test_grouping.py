"""The array helpers behind ranking and search draws give exactly what their plain numpy forms give."""

import numpy as np
import pytest

from simulation.processes.grouping import RowInverseCDF, argsort_nonnegative, flatnonzero, rank_within_groups


@pytest.mark.parametrize("seed", range(4))
def test_argsort_nonnegative_matches_argsort(seed):
    rng = np.random.default_rng(seed)
    n = 20_000
    cases = {
        "cells and scores": rng.integers(0, 7_500, n) + rng.random(n) * 0.5,
        # keys closer together than the bits the index replaces: the tie repair must order them
        "near collisions": np.unique(rng.integers(0, 50, n) + 0.25 + rng.integers(0, 1_000, n) * 2.0**-40),
        "tiny": np.unique(rng.random(n) * 1e-300),
    }
    for name, key in cases.items():
        key = rng.permutation(key)
        assert np.array_equal(argsort_nonnegative(key), np.argsort(key)), f"{name}: order differs from np.argsort"


def test_argsort_nonnegative_with_ties_negative_and_nan():
    rng = np.random.default_rng(5)
    key = rng.integers(0, 10, 1_000).astype(np.float64)
    order = argsort_nonnegative(key)
    assert np.array_equal(np.sort(order), np.arange(key.size)), "not a permutation"
    assert np.all(np.diff(key[order]) >= 0), "ties: keys not in order"
    for key in (np.array([0.5, -1.0, 0.1]), np.array([0.5, np.nan, 0.1])):
        assert np.array_equal(argsort_nonnegative(key), np.argsort(key))


def test_rank_within_groups_ranks_by_key_inside_each_group():
    group = np.array([2, 0, 2, 1, 0, 2])
    key = np.array([0.3, 0.9, 0.1, 0.5, 0.2, 0.2])
    order, rank, sorted_group = rank_within_groups(group, key, return_sorted=True)
    assert order.tolist() == [4, 1, 3, 2, 5, 0]
    assert rank.tolist() == [0, 1, 0, 0, 1, 2]
    assert sorted_group.tolist() == [0, 0, 1, 2, 2, 2]


def test_row_inverse_cdf_matches_comparison_with_the_row():
    rng = np.random.default_rng(3)
    weight = rng.random((12, 12)) ** 3
    np.fill_diagonal(weight, 0.0)
    cdf = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    inv = RowInverseCDF(cdf, buckets=64)
    assert (inv.table < 0).any(), "the test needs slices that hold a CDF entry"
    rows = rng.integers(0, 12, 50_000)
    u = rng.random(rows.size)
    u[:1_000] = np.floor(cdf[rows[:1_000], rng.integers(0, 11, 1_000)] * 64) / 64  # on slice edges
    u[1_000:2_000] = cdf[rows[1_000:2_000], rng.integers(0, 11, 1_000)]  # on CDF entries
    u = np.minimum(u, 1.0 - 2.0**-53)
    expected = (u[:, None] > cdf[rows]).sum(axis=1)
    assert np.array_equal(inv.draw(rows, u), expected)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.05, 0.0501, 0.07, 0.0999, 0.1, 0.1001, 0.5, 1.0])
def test_flatnonzero_matches_numpy_at_every_density(share):
    rng = np.random.default_rng(11)
    for n in (0, 1, 9, 1_000, 33_333):
        mask = np.zeros(n, dtype=bool)
        mask[rng.permutation(n)[: int(round(share * n))]] = True
        got = flatnonzero(mask)
        assert np.array_equal(got, np.flatnonzero(mask)), f"n={n}, share={share}: indices differ"
        assert got.dtype == np.flatnonzero(mask).dtype
