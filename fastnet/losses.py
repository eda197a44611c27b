"""The output layer's activation and loss on a batch: a = f(z), the per-sample losses summed,
and delta = dL/dz per sample.

The same formulas as purenet/losses.py (see there for the derivation), on arrays of shape
(n, n_out): z the output layer's weighted inputs, T the target rows. Unlike purenet's, each
function also computes a = f(z), into `out` (an array other than z), because softmax and
cross-entropy share work: the loss needs the log-sum-exp of each row, and softmax has computed
its parts.

    softmax + cross_entropy   L = -sum_k t_k log a_k            dL/dz = a * sum_k t_k - t
    sigmoid + cross_entropy   L = sum_k softplus(z_k) - t_k z_k dL/dz = a - t
    any output + mse          L = 1/2 sum_k (a_k - t_k)^2       dL/dz = (a - t) f'(z)
                              softmax:  dL/dz = a * (g - sum_k g_k a_k), g = a - t
"""
from __future__ import annotations

import numpy as np

from .activations import activate, backward, softmax_log_sum_exp
from .arrays import row_sums


def softmax_cross_entropy(z, T, out):
    # log a_k = z_k - log sum_j e^(z_j): the loss needs no logarithm of a, which may be 0
    a, log_sum_exp = out, softmax_log_sum_exp(z, out)
    t_sum = row_sums(T)  # (n, 1): 1 for one-hot rows
    loss = float(np.vdot(t_sum, log_sum_exp) - np.vdot(T, z))  # -sum_k t_k (z_k - log_sum_exp)
    delta = np.multiply(a, t_sum)
    delta -= T
    return a, loss, delta


def sigmoid_cross_entropy(z, T, out):
    a = activate("sigmoid", z, out)
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    loss = float(softplus.sum() - np.einsum("nk,nk->", T, z))
    return a, loss, a - T


def mean_squared_error(output):
    def mse(z, T, out):
        a = activate(output, z, out)
        g = a - T
        loss = 0.5 * float(np.einsum("nk,nk->", g, g))
        if output == "softmax":
            delta = a * (g - np.einsum("nk,nk->n", g, a)[:, None])
        else:
            delta = backward(output, a, g)
        return a, loss, delta

    return mse


def loss_function(output, loss):
    """The batch function (z, T, out) -> (a = f(z) in out, summed loss, dL/dz per sample) for
    this pairing."""
    if loss == "cross_entropy":
        return softmax_cross_entropy if output == "softmax" else sigmoid_cross_entropy
    return mean_squared_error(output)
