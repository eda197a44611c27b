"""Activation functions on whole batches, in place where the forward pass allows it.

The same functions as purenet/activations.py, derivatives again written in terms of a = f(z):

    sigmoid     f(z) = 1 / (1 + e^-z)        f'(z) = a * (1 - a)
    tanh        f(z) = tanh(z)               f'(z) = 1 - a^2
    relu        f(z) = max(0, z)             f'(z) = 1 if a > 0 else 0
    leaky_relu  f(z) = z if z > 0 else 0.01z f'(z) = 1 if a > 0 else 0.01
    linear      f(z) = z                     f'(z) = 1
    softmax     a_j = e^(z_j - m) / sum_k e^(z_k - m), m = max_k z_k   (per row)

`activate(name, z, out)` writes f(z) into `out` (which may be z itself); `backward(name, a, g)`
multiplies g = dL/da by f'(z) in place, giving dL/dz.
"""
from __future__ import annotations

import numpy as np

from purenet.activations import LEAKY_SLOPE

from .arrays import constant, order_of, row_maxima, row_sums


def sigmoid(z, out):
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e^-|z|, in (0, 1]: never overflows
    # purenet's two forms, 1 / (1 + e^-z) for z >= 0 and e^z / (1 + e^z) below: no 1 - a
    # cancellation, and seven passes over the batch, each into memory already there
    numerators = np.where(z >= 0, 1.0, e)
    e += 1.0
    return np.divide(numerators, e, out=out)


def zeros(shape, dtype, order="C"):
    """A read-only array of zeros (see arrays.constant), so that relu makes no array of its own.
    relu takes max(z, zeros) rather than max(z, 0) because NumPy's vectorised maximum needs two
    arrays: against a scalar it runs an element-by-element loop, four times slower (128 x 512
    float32: 32 us against 8 us). The zeros are laid out as z is (order "C" or "F"): against
    zeros in the other order, maximum is twenty times slower."""
    return constant(0, shape, dtype, order)


def softmax(z, out):
    softmax_log_sum_exp(z, out)
    return out


def softmax_log_sum_exp(z, out):
    """out = softmax(z); returns log sum_k e^(z_k) of each row, (n, 1), which cross-entropy
    needs: m + log sum_k e^(z_k - m), from the row maxima and sums that softmax computes anyway."""
    m = row_maxima(z)
    np.subtract(z, m, out=out)
    np.exp(out, out=out)
    sums = row_sums(out)  # >= 1: the largest term is e^0
    out /= sums
    np.log(sums, out=sums)
    sums += m
    return sums


def activate(name, z, out):
    """out = f(z) for a batch z of shape (n, n_out); out may be z."""
    if name == "relu":
        return np.maximum(z, zeros(z.shape, z.dtype, order_of(z)), out=out)
    if name == "tanh":
        return np.tanh(z, out=out)
    if name == "sigmoid":
        return sigmoid(z, out)
    if name == "softmax":
        return softmax(z, out)
    if name == "leaky_relu":  # z if z > 0 else 0.01 z, which is the larger of the two
        return np.maximum(z, z * LEAKY_SLOPE, out=out)
    if out is not z:
        np.copyto(out, z)
    return out


def backward(name, a, g):
    """g *= f'(z), in place, with f' computed from the activations a; returns g."""
    if name == "relu":
        return np.multiply(g, a > 0, out=g)
    if name == "tanh":
        g *= 1.0 - a * a
    elif name == "sigmoid":
        g *= a * (1.0 - a)
    elif name == "leaky_relu":
        g *= np.where(a > 0, g.dtype.type(1.0), g.dtype.type(LEAKY_SLOPE))
    return g
