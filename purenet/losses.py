"""Losses for one sample, each returning the loss and delta = dL/dz at the output layer.

z are the output neurons' weighted inputs, a = f(z) their activations, t the target row (one-hot
for a class label). Working with dL/dz rather than dL/da lets the softmax and sigmoid derivatives
cancel against the log of cross-entropy, which is both simpler and numerically safer:

    softmax + cross_entropy   L = -sum_k t_k log a_k            dL/dz_k = a_k * sum_j t_j - t_k
    sigmoid + cross_entropy   L = -sum_k t_k log a_k + (1 - t_k) log(1 - a_k)
                                                                dL/dz_k = a_k - t_k
    any output + mse          L = 1/2 sum_k (a_k - t_k)^2       dL/da_k = a_k - t_k, then
                              elementwise f:  dL/dz_k = (a_k - t_k) f'(z_k)
                              softmax:        dL/dz_k = a_k (g_k - sum_j g_j a_j), g = a - t

The logs are computed from z (log-sum-exp for softmax, softplus for sigmoid), never as log(a),
so a saturated output gives a large finite loss instead of log(0).
"""
from __future__ import annotations

import math

from .activations import derivative, log_softmax


def softplus(z):
    """log(1 + e^z) without overflow: max(z, 0) + log(1 + e^-|z|)."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def softmax_cross_entropy(z, a, t):
    log_a = log_softmax(z)
    loss = -sum(t_k * log_a_k for t_k, log_a_k in zip(t, log_a))
    t_sum = sum(t)
    delta = [a_k * t_sum - t_k for a_k, t_k in zip(a, t)]
    return loss, delta


def sigmoid_cross_entropy(z, a, t):
    # -[t log a + (1 - t) log(1 - a)] = softplus(z) - t z, since log a = -softplus(-z)
    loss = sum(softplus(z_k) - t_k * z_k for z_k, t_k in zip(z, t))
    delta = [a_k - t_k for a_k, t_k in zip(a, t)]
    return loss, delta


def mean_squared_error(output):
    """The mse loss for an output activation (its derivative enters the delta)."""

    def mse(z, a, t):
        g = [a_k - t_k for a_k, t_k in zip(a, t)]
        loss = 0.5 * sum(g_k * g_k for g_k in g)
        if output == "softmax":
            g_dot_a = sum(g_k * a_k for g_k, a_k in zip(g, a))
            delta = [a_k * (g_k - g_dot_a) for a_k, g_k in zip(a, g)]
        else:
            f_prime = derivative(output)
            delta = [g_k * f_prime(a_k) for g_k, a_k in zip(g, a)]
        return loss, delta

    return mse


def loss_function(output, loss):
    """The per-sample function (z, a, t) -> (loss, dL/dz) for this output and loss."""
    if loss == "cross_entropy":
        return softmax_cross_entropy if output == "softmax" else sigmoid_cross_entropy
    return mean_squared_error(output)
