"""Pure functions from arrays to indicators."""

from __future__ import annotations

import numpy as np

from .processes.grouping import argsort_nonnegative, flatnonzero


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini coefficient of ``values`` with frequency ``weights`` (0 when empty).

    G = 1 - sum_i w_i (S_{i-1} + S_i) / S_n, with values sorted ascending,
    w_i the population shares and S_i the cumulative value shares.
    """
    values = np.asarray(values, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    keep = weights > 0
    values, weights = values.compress(keep), weights.compress(keep)
    if values.size == 0 or values.sum() <= 0:
        return 0.0
    if np.all(values[1:] > values[:-1]):  # distinct and in order (a histogram's bins): any sort leaves them as they are
        v, wt = values, weights
    else:
        order = argsort_nonnegative(values)  # the order within ties does not change G
        v, wt = values.take(order), weights.take(order)
    return _gini_of_sorted(v, wt)


def _gini_of_sorted(v: np.ndarray, wt: np.ndarray) -> float:
    """:func:`weighted_gini` of values ``v`` in increasing order with positive weights ``wt`` (float64), of positive sum."""
    p = wt / wt.sum()
    cum = np.cumsum(v * wt)
    s = cum / cum[-1]
    s_prev = np.empty_like(s)
    s_prev[0] = 0.0
    s_prev[1:] = s[:-1]
    return float(1.0 - np.sum(p * (s_prev + s)))


def safe_ratio(num: float, den: float) -> float:
    """Num / den, or 0 when den is 0 or less (denominators are counts; rates stay defined before any event)."""
    return float(num) / float(den) if den > 0 else 0.0


# Wages are binned on a log scale for the distribution's indicators: sorting every employee's wage every month would
# cost more than the month itself at a million workers. Bins 0.1% wide from 1 to 10^7 (currency units a month) keep the
# Gini and the percentiles within about 0.1% of their exact values.
LOG_WAGE_LO, LOG_WAGE_HI, LOG_WAGE_STEP = 0.0, np.log(1e7), np.log1p(1e-3)


# The bin of a wage of at least 1 is looked up from the top bits of its float64 representation: the wages that share
# their exponent and first BUCKET_BITS mantissa bits (a bucket 2^-BUCKET_BITS = 0.006% wide) mostly share a bin, which
# a table holds; the wages of the few buckets a bin edge cuts through (about 4%), and those of 2^BUCKET_MAX_EXPONENT or
# more, have their logs computed. That is faster than a logarithm per wage (measured: about 1.3x at 100,000 wages, 2x at a
# million). The table's rows (one per binary exponent) are filled when a wage first falls in them.
BUCKET_BITS, BUCKET_MAX_EXPONENT = 14, 24
LOG_BIN_BLOCK = 32_768  # wages per block
_SHIFT = np.uint64(52 - BUCKET_BITS)
_ONE_KEY = np.float64(1.0).view(np.uint64) >> _SHIFT  # the bucket of 1
_NOT_BUILT = np.iinfo(np.int16).min
_bucket_bins = np.full((BUCKET_MAX_EXPONENT << BUCKET_BITS) + 1, _NOT_BUILT, dtype=np.int16)  # one more: past the table
_bucket_bins[-1] = -1


def _log_bins_computed(x: np.ndarray) -> np.ndarray:
    """The histogram bin of each wage ``x`` (at least 1), ``floor((log x - LOG_WAGE_LO) / LOG_WAGE_STEP)``, computed."""
    x = np.log(x)
    if LOG_WAGE_LO:
        x -= LOG_WAGE_LO
    x /= LOG_WAGE_STEP
    idx = x.astype(np.intp)
    if LOG_WAGE_LO:
        np.maximum(idx, 0, out=idx)
    return idx


def _fill_buckets(lo: int, hi: int) -> None:
    """Fill the table's rows of binary exponents ``lo`` to ``hi`` (of wages in [2^lo, 2^(hi + 1))) not filled yet.

    A bucket holds the bin of all its wages when its smallest and largest share one (the logarithm never decreases as
    its argument grows), else -1.
    """
    for e in range(max(lo, 0), min(hi, BUCKET_MAX_EXPONENT - 1) + 1):
        row = slice(e << BUCKET_BITS, (e + 1) << BUCKET_BITS)
        if _bucket_bins[row.start] != _NOT_BUILT:
            continue
        first = _ONE_KEY + np.arange(row.start, row.stop, dtype=np.uint64)
        smallest = _log_bins_computed((first << _SHIFT).view(np.float64))
        largest = _log_bins_computed((((first + np.uint64(1)) << _SHIFT) - np.uint64(1)).view(np.float64))
        _bucket_bins[row] = np.where(smallest == largest, smallest, -1)


# The histogram's bins, each one's centre (the wage it stands for; np.exp is element by element, so these are the
# centres computed from the filled bins alone, bit for bit) and the quantiles read from it.
N_WAGE_BINS = int((LOG_WAGE_HI - LOG_WAGE_LO) / LOG_WAGE_STEP) + 1
_BIN_CENTRES = np.exp(LOG_WAGE_LO + (np.arange(N_WAGE_BINS) + 0.5) * LOG_WAGE_STEP)
_DECILES = np.array([0.1, 0.9])


def _log_bin_counts(x: np.ndarray) -> np.ndarray:
    """How many wages ``x`` (float64, contiguous) fall in each bin of :func:`wage_distribution`.

    A wage's bin is that of ``max(x, 1)``, :func:`_log_bins_computed` bit for bit; bins past the last are returned as such
    (the caller folds them). The table's bins (int16) are counted as they are, without a copy to the wages' order;
    the wages whose bucket has no bin in the table (cut by a bin edge, in a row not filled yet, or past the table:
    2^BUCKET_MAX_EXPONENT or more, negative, not finite) have theirs computed and are counted apart. A wage below 1
    has a bucket number below 0 and the look-up, clipped, reads the bucket of 1 (bin 0, the bin of max(x, 1)).
    """
    found = np.empty(x.size, dtype=np.int16)
    key = np.empty(min(LOG_BIN_BLOCK, x.size), dtype=np.uint64)
    for lo in range(0, x.size, LOG_BIN_BLOCK):  # in blocks: the keys stay in cache
        part = x[lo : lo + LOG_BIN_BLOCK]
        k = key[: part.size]
        np.right_shift(part.view(np.uint64), _SHIFT, out=k)
        k -= _ONE_KEY  # the bucket, counted from 1's: below 1 wraps around to negative int64, a negative wage is past the table
        _bucket_bins.take(k.view(np.int64), out=found[lo : lo + LOG_BIN_BLOCK], mode="clip")  # clipped to the table's ends
    cut = flatnonzero(found < 0)
    rest = x.take(cut)
    not_built = found.take(cut) == _NOT_BUILT
    if not_built.any():  # wages in rows not filled yet (all finite, below 2^BUCKET_MAX_EXPONENT): fill them and count again
        for e in np.unique(np.frexp(np.maximum(rest.compress(not_built), 1.0))[1]).tolist():
            _fill_buckets(e - 1, e - 1)
        return _log_bin_counts(x)
    found[cut] = 0  # counted in bin 0 here, taken off below
    counts = np.bincount(found, minlength=N_WAGE_BINS)
    counts[0] -= cut.size
    if cut.size:
        computed = np.bincount(_log_bins_computed(np.maximum(rest, 1.0)), minlength=N_WAGE_BINS)
        if computed.size > counts.size:
            computed[: counts.size] += counts
            return computed
        counts[: computed.size] += computed
    return counts


def wage_distribution(wages: np.ndarray) -> tuple[float, float]:
    """(Gini, p90 / p10) of ``wages`` from a histogram of their logs (bins 0.1% wide); (0, 0) when empty."""
    wages = np.ascontiguousarray(wages, dtype=np.float64)
    if wages.size == 0:
        return 0.0, 0.0
    counts = _log_bin_counts(wages)  # wages below 1 count in the first bin
    if counts[0] == wages.size and wages.max() <= 0:  # no wage above 0 (then all are in the first bin)
        return 0.0, 0.0
    if counts.size > N_WAGE_BINS:  # wages above the top bin count in it
        counts[N_WAGE_BINS - 1] += counts[N_WAGE_BINS:].sum()
        counts = counts[:N_WAGE_BINS]
    filled = flatnonzero(counts)
    centre = _BIN_CENTRES.take(filled)
    n = counts.take(filled)
    cum = np.cumsum(n) / wages.size
    p10, p90 = centre.take(np.searchsorted(cum, _DECILES).clip(0, filled.size - 1))
    # the filled bins' centres are positive and increasing, their counts positive: weighted_gini without its checks
    return _gini_of_sorted(centre, n.astype(np.float64)), safe_ratio(p90, p10)
