"""Activation functions a = f(z) and their derivatives, one number at a time.

Each derivative is written in terms of the activation a = f(z) that the forward pass already
computed, which is what backpropagation has at hand:

    sigmoid     f(z) = 1 / (1 + e^-z)        f'(z) = a * (1 - a)
    tanh        f(z) = tanh(z)               f'(z) = 1 - a^2
    relu        f(z) = max(0, z)             f'(z) = 1 if a > 0 else 0
    leaky_relu  f(z) = z if z > 0 else 0.01z f'(z) = 1 if a > 0 else 0.01
    linear      f(z) = z                     f'(z) = 1

softmax is the one output activation that mixes neurons: a_j = e^(z_j) / sum_k e^(z_k).
Its derivative is folded into the loss (see losses.py), where it becomes simple.
"""
from __future__ import annotations

import math

LEAKY_SLOPE = 0.01


def sigmoid(z):
    # Two forms so that exp never overflows: for z < 0, e^z is small.
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_derivative(a):
    return a * (1.0 - a)


def tanh(z):
    return math.tanh(z)


def tanh_derivative(a):
    return 1.0 - a * a


def relu(z):
    return z if z > 0.0 else 0.0


def relu_derivative(a):
    return 1.0 if a > 0.0 else 0.0


def leaky_relu(z):
    return z if z > 0.0 else LEAKY_SLOPE * z


def leaky_relu_derivative(a):
    return 1.0 if a > 0.0 else LEAKY_SLOPE


def linear(z):
    return z


def linear_derivative(a):
    return 1.0


def softmax(z):
    """a_j = e^(z_j - m) / sum_k e^(z_k - m), with m = max(z) so no exponent overflows."""
    m = max(z)
    exps = [math.exp(z_j - m) for z_j in z]
    total = sum(exps)
    return [e / total for e in exps]


def log_softmax(z):
    """log a_j = z_j - m - log(sum_k e^(z_k - m)): the log-sum-exp form, never log(0)."""
    m = max(z)
    log_total = math.log(sum(math.exp(z_j - m) for z_j in z))
    return [z_j - m - log_total for z_j in z]


# name -> (f, f' written in terms of a)
ELEMENTWISE = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
}


def activate(name, z):
    """Apply the activation called `name` to the weighted inputs z of one layer (a list)."""
    if name == "softmax":
        return softmax(z)
    f = ELEMENTWISE[name][0]
    return [f(z_j) for z_j in z]


def derivative(name):
    """The function a -> f'(z) for a hidden activation."""
    return ELEMENTWISE[name][1]
