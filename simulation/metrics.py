"""Pure functions from arrays to indicators."""

from __future__ import annotations

import numpy as np

from .processes.grouping import argsort_nonnegative


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
    order = argsort_nonnegative(values)  # the order within ties does not change G
    v, wt = values.take(order), weights.take(order)
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
