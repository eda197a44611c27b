"""Optimizers on whole weight matrices (the formulas of purenet/optimizers.py, in place).

`step(layers)` updates each layer's weights and bias from its grad_weights and grad_bias. State
is kept per parameter in the (W, b)-per-layer layout of Network.get_params().
"""
from __future__ import annotations

import numpy as np

from purenet import checks


def zeros_like(layers):
    return [(np.zeros_like(layer.weights), np.zeros_like(layer.bias)) for layer in layers]


def _pairs(layers):
    """(parameter, gradient) for every weight matrix and bias vector, layer by layer."""
    for layer in layers:
        yield layer.weights, layer.grad_weights
        yield layer.bias, layer.grad_bias


class SGD:
    """Stochastic gradient descent, with optional (Nesterov) momentum, as in PyTorch:

        v = momentum * v + g
        w = w - lr * v                       (classical momentum; v = g when momentum = 0)
        w = w - lr * (g + momentum * v)      (nesterov=True)
    """

    def __init__(self, lr=0.1, momentum=0.0, nesterov=False):
        self.lr = checks.check_float("lr", lr, low=0.0, low_open=True)
        self.momentum = checks.check_float("momentum", momentum, low=0.0, high=1.0, high_open=True)
        if nesterov and self.momentum == 0.0:
            raise ValueError("nesterov=True needs a momentum above 0, e.g. momentum=0.9")
        self.nesterov = bool(nesterov)
        self.state = None  # [(velocity W, velocity b), ...]

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"

    def step(self, layers):
        lr, momentum = self.lr, self.momentum
        if momentum == 0.0:
            for w, g in _pairs(layers):
                w -= lr * g
            return
        if self.state is None:
            self.state = zeros_like(layers)
        velocities = [v for pair in self.state for v in pair]
        for (w, g), v in zip(_pairs(layers), velocities):
            v *= momentum
            v += g
            w -= lr * (g + momentum * v) if self.nesterov else lr * v


class Adam:
    """Adam (Kingma and Ba), per parameter, at step t = 1, 2, ...:

        m = beta1 * m + (1 - beta1) * g            v = beta2 * v + (1 - beta2) * g^2
        w = w - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = checks.check_float("lr", lr, low=0.0, low_open=True)
        self.beta1 = checks.check_float("beta1", beta1, low=0.0, high=1.0, high_open=True)
        self.beta2 = checks.check_float("beta2", beta2, low=0.0, high=1.0, high_open=True)
        self.eps = checks.check_float("eps", eps, low=0.0, low_open=True)
        self.t = 0
        self.state = None  # [(m W, m b), ...] then [(v W, v b), ...]

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"

    def step(self, layers):
        if self.state is None:
            self.state = zeros_like(layers) + zeros_like(layers)
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.eps
        c1, c2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t
        half = len(layers)
        firsts = [m for pair in self.state[:half] for m in pair]
        seconds = [v for pair in self.state[half:] for v in pair]
        for (w, g), m, v in zip(_pairs(layers), firsts, seconds):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * g * g
            w -= self.lr * (m / c1) / (np.sqrt(v / c2) + eps)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}
