"""Losses on a batch, each giving the per-sample losses summed and delta = dL/dz per sample.

The same formulas as purenet/losses.py (see there for the derivation), on arrays of shape
(n, n_out): z the output layer's weighted inputs, a = f(z), T the target rows.

    softmax + cross_entropy   L = -sum_k t_k log a_k            dL/dz = a * sum_k t_k - t
    sigmoid + cross_entropy   L = sum_k softplus(z_k) - t_k z_k dL/dz = a - t
    any output + mse          L = 1/2 sum_k (a_k - t_k)^2       dL/dz = (a - t) f'(z)
                              softmax:  dL/dz = a * (g - sum_k g_k a_k), g = a - t
"""
from __future__ import annotations

import numpy as np

from .activations import backward


def softmax_cross_entropy(z, a, T):
    # log a_k = z_k - m - log s (m = max_k z_k, s = sum_k e^(z_k - m)), and the largest a_k is
    # e^0 / s, so log s = -log(max_k a_k): log-sum-exp from what softmax already computed,
    # never log(0) since max_k a_k >= 1/K.
    log_a = z - z.max(axis=1, keepdims=True)
    log_a += np.log(a.max(axis=1, keepdims=True))
    loss = -float(np.einsum("nk,nk->", T, log_a))
    delta = a * T.sum(axis=1, keepdims=True) - T
    return loss, delta


def sigmoid_cross_entropy(z, a, T):
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    loss = float(softplus.sum() - np.einsum("nk,nk->", T, z))
    return loss, a - T


def mean_squared_error(output):
    def mse(z, a, T):
        g = a - T
        loss = 0.5 * float(np.einsum("nk,nk->", g, g))
        if output == "softmax":
            delta = a * (g - np.einsum("nk,nk->n", g, a)[:, None])
        else:
            delta = backward(output, a, g)
        return loss, delta

    return mse


def loss_function(output, loss):
    """The batch function (z, a, T) -> (summed loss, dL/dz per sample) for this pairing."""
    if loss == "cross_entropy":
        return softmax_cross_entropy if output == "softmax" else sigmoid_cross_entropy
    return mean_squared_error(output)
