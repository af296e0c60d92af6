"""The SMM standard errors count the noise of the finite-difference Jacobian (``simulation/validation/smm.py``).

No simulation: a linear problem (4 moments, 2 parameters, the second weakly identified: its Jacobian column is
0.1-0.2 against 0.2-1.0) whose simulated moments are ``G0 theta`` plus a per-seed noise common to every point (sd 0.05,
the common random numbers that hold) plus a fresh noise at every point (sd ``FRESH``, the ones that do not: the
central differences with step 0.05 then carry noise of sd ``FRESH / 0.05 / sqrt(2 S)`` per entry of G, S = 4 seeds);
targets ``G0 theta0`` plus noise of sd 0.1 (their stated se); the real Levenberg-Marquardt search from (1.3, 2.6),
truth (1.0, 2.0); 100 replications.

Measured (share of the replications whose truth lies within 2 se of the estimate, parameter 1 and 2; 200
replications unless said):

* FRESH 0.1 (G's noise sd 0.35 per entry): uncorrected sandwich 0.68 and 0.14 (z's sd 2.3 and 3.8); corrected
  0.995 and 0.94 (the test's 100 replications: 0.71/0.14 against 0.99/0.97); FRESH 0.05: 0.755/0.475 against
  1.0/0.955; FRESH 0.02: 0.87/0.905 against 0.985/0.975.
* FRESH 0 (a noiseless Jacobian): the two are identical (0.955/0.965), the attribution.

The correction is conservative where the noise swamps a column (FRESH 0.05: median corrected se 2.8 and 19 against
an rmse of 0.15 and 0.53; the search's accept/reject on the distance itself holds the estimate nearer than the
Jacobian can tell); correcting the meat too gave se nearer the rmse but under-covered (FRESH 0.05: 0.875/0.845;
0.1: 0.82/0.77), so only the bread is corrected (module docstring of ``smm``).
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from simulation.validation import smm

G0 = np.array([[1.0, 0.1], [0.5, 0.2], [1.0, -0.1], [0.2, 0.15]])
THETA0, START, STEP, TARGET_SE, S = np.array([1.0, 2.0]), np.array([1.3, 2.6]), 0.05, 0.1, 4


class LinearSim:
    """``G0 theta`` + a per-seed noise common to every point + a fresh noise at every point, seeds x moments."""

    def __init__(self, rep: int, fresh: float):
        self.rep, self.fresh = rep, fresh
        self.common = np.random.default_rng([rep, 7]).normal(0, 0.05, (S, G0.shape[0]))

    def draws(self, points, what=""):
        out = []
        for p in points:
            th = np.array(list(p.values()))
            rng = np.random.default_rng([self.rep, zlib.crc32(np.round(th, 12).tobytes())])
            out.append(th @ G0.T + self.common + rng.normal(0, self.fresh, (S, G0.shape[0])))
        return out


def linear_problem(rep: int, fresh: float) -> smm.Problem:
    spec = smm.CalibrationSpec("linear", "none", 1, 1, tuple(range(S)), tuple(smm.Free(f"p{j}", None, -100, 100, STEP) for j in range(2)),
                               {f"m{i}": None for i in range(G0.shape[0])})
    value = THETA0 @ G0.T + np.random.default_rng([rep, 99]).normal(0, TARGET_SE, G0.shape[0])
    targets = [smm.Target(f"m{i}", float(v), TARGET_SE, "target") for i, v in enumerate(value)]
    return smm.Problem(spec, targets, LinearSim(rep, fresh))


def coverage(fresh: float, reps: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Share of replications with the truth within 2 se: (uncorrected, corrected), per parameter."""
    z_plain, z_corr = [], []
    for rep in range(reps):
        prob = linear_problem(rep, fresh)
        fit = smm.levenberg_marquardt(prob, START, 6)
        plain = np.sqrt(np.diag(smm.covariance(prob, fit.draws, fit.jacobian)[0]))
        corr = np.sqrt(np.diag(smm.sandwich(prob, fit)[0]))
        z_plain.append((fit.theta - THETA0) / plain)
        z_corr.append((fit.theta - THETA0) / corr)
    return (np.abs(z_plain) < 2).mean(0), (np.abs(z_corr) < 2).mean(0)


def test_the_correction_makes_the_standard_errors_cover_under_a_noisy_jacobian():
    plain, corrected = coverage(0.1)
    assert plain[1] < 0.5 and plain[0] < 0.8, f"uncorrected coverage {plain}: the noise was meant to make it under-cover"
    assert np.all(corrected >= 0.9), f"corrected coverage {corrected}"


def test_the_correction_vanishes_with_a_noiseless_jacobian():
    plain, corrected = coverage(0.0, reps=40)
    np.testing.assert_array_equal(plain, corrected)
    prob = linear_problem(0, 0.0)
    fit = smm.levenberg_marquardt(prob, START, 6)
    assert np.abs(smm.jacobian_noise(fit.seed_jacobians, prob.w)).max() < 1e-9 * np.abs(fit.jacobian.T @ (prob.w[:, None] * fit.jacobian)).max()
    np.testing.assert_allclose(smm.sandwich(prob, fit)[0], smm.covariance(prob, fit.draws, fit.jacobian)[0], rtol=1e-9)


def test_the_noise_term_is_the_bias_of_gwg():
    """E[G'WG] = G0'WG0 + sum_i w_i Cov(g_i), G the mean of S per-seed Jacobians G0 + E_s (entries' sd 0.3)."""
    rng = np.random.default_rng(5)
    w, reps = np.array([1.0, 4.0, 0.5, 2.0]), 20_000
    per_seed = G0 + rng.normal(0, 0.3, (reps, S, *G0.shape))
    G = per_seed.mean(1)
    excess = np.einsum("rik,i,ril->kl", G, w, G) / reps - G0.T @ (w[:, None] * G0)
    noise = np.mean([smm.jacobian_noise(d, w) for d in per_seed[:2000]], axis=0)
    expected = w.sum() * 0.09 / S * np.eye(2)  # 0.169 on the diagonal
    np.testing.assert_allclose(excess, expected, atol=0.1 * expected.max())  # Monte Carlo sd of the mean: 0.005
    np.testing.assert_allclose(noise, expected, atol=0.1 * expected.max())


@pytest.mark.parametrize("noise_share", [0.5, 1.0, 3.0])
def test_a_swamped_direction_gets_a_large_variance_not_a_negative_one(noise_share):
    A = np.array([[4.0, 0.0], [0.0, 1.0]])
    inv = smm.corrected_inverse(A, np.diag([0.0, noise_share]))
    assert np.all(np.linalg.eigvalsh(inv) > 0)
    assert inv[0, 0] == pytest.approx(0.25)
    assert inv[1, 1] == pytest.approx(1 / max(1 - noise_share, smm.EIGEN_FLOOR))
    np.testing.assert_allclose(smm.corrected_inverse(A), np.linalg.inv(A))
