"""L2-penalised logistic regression by Newton steps, for the scripts that fit the shipped learned
layers (eval/fit_principle_stance.py, eval/fit_component_meaning.py). numpy only: the product reads
the fitted weights, never this code."""

from __future__ import annotations

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> tuple[np.ndarray, float]:
    """Weights and bias, in the scale of the raw inputs `x`, of a logistic model of `y` (0/1) fitted
    on standardised inputs with penalty `l2` on every weight but the bias, in `steps` Newton steps.
    The logit is clipped at +-60 before the sigmoid, where p is 0 or 1 to 26 digits anyway, so no
    step overflows."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -60, 60)))
        grad = z.T @ (p - y) + penalty @ w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hess, grad)
    return w[:-1] / std, float(w[-1] - np.sum(w[:-1] * mean / std))
