"""The wage histogram's counts (metrics._log_bin_counts) are those of the computed bins of max(wage, 1), whatever the wages."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import metrics


def computed_counts(w: np.ndarray) -> np.ndarray:
    bins = (np.log(np.maximum(w, 1.0)) / metrics.LOG_WAGE_STEP).astype(np.intp)
    return np.bincount(bins, minlength=metrics.N_WAGE_BINS)


def reference_distribution(w: np.ndarray) -> tuple[float, float]:
    """wage_distribution from the computed bins (the formula it implements)."""
    if w.size == 0 or w.max() <= 0:
        return 0.0, 0.0
    counts = computed_counts(w)
    counts[metrics.N_WAGE_BINS - 1] += counts[metrics.N_WAGE_BINS :].sum()
    counts = counts[: metrics.N_WAGE_BINS]
    filled = np.flatnonzero(counts)
    centre = np.exp(metrics.LOG_WAGE_LO + (filled + 0.5) * metrics.LOG_WAGE_STEP)
    n = counts[filled]
    cum = np.cumsum(n) / w.size
    p10, p90 = centre[np.searchsorted(cum, [0.1, 0.9]).clip(0, filled.size - 1)]
    return metrics._gini_of_sorted(centre, n.astype(np.float64)), metrics.safe_ratio(p90, p10)


@pytest.mark.parametrize("scale", [0.5, 1.0, 1e3, 1e5, 1e7, 1e9])
def test_counts_are_those_of_the_computed_bins(scale):
    rng = np.random.default_rng(11)
    w = rng.lognormal(np.log(scale), 1.5, 100_000)
    w[::7] = 0.0  # zero, below 1 and negative wages count in the first bin, as max(w, 1)
    w[::11] *= -1.0
    assert np.array_equal(metrics._log_bin_counts(w), computed_counts(w)), f"wages around {scale:g}"
    assert metrics.wage_distribution(w) == reference_distribution(w), "Gini and p90/p10, bit for bit"


def test_counts_at_bin_and_bucket_edges():
    edges = np.exp(np.arange(int(np.log(3e7) / metrics.LOG_WAGE_STEP)) * metrics.LOG_WAGE_STEP)
    w = np.concatenate([edges, np.nextafter(edges, 0.0), np.nextafter(edges, np.inf), [2.0**24, 1e300]])
    assert np.array_equal(metrics._log_bin_counts(w), computed_counts(w)), "at the bin edges and past the table"
    first = metrics._ONE_KEY + np.arange(12 << metrics.BUCKET_BITS, dtype=np.uint64)
    for bits in (first << metrics._SHIFT, ((first + np.uint64(1)) << metrics._SHIFT) - np.uint64(1)):
        w = bits.view(np.float64)
        assert np.array_equal(metrics._log_bin_counts(w), computed_counts(w)), "at the buckets' edges"


def test_degenerate_wages():
    assert metrics.wage_distribution(np.array([])) == (0.0, 0.0), "empty"
    assert metrics.wage_distribution(np.zeros(4)) == (0.0, 0.0), "no positive wage"
    assert metrics.wage_distribution(-np.ones(3)) == (0.0, 0.0), "no positive wage"
    assert metrics.wage_distribution(np.array([0.5, 0.0])) == reference_distribution(np.array([0.5, 0.0])), "below 1: the first bin"
    with pytest.raises(ValueError), np.errstate(invalid="ignore"):
        metrics.wage_distribution(np.array([1.0, np.nan]))
