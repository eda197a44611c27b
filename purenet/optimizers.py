"""Optimizers: how a gradient becomes a change of the weights.

`step(layers)` updates every weight and bias from the grad_weights and grad_bias that
Network.backprop left in the neurons. State (velocities, moments) is kept per parameter, in
the same (W, b)-per-layer layout as Network.get_params(), so it can be saved with the model.
The same update formulas, in the same order, run on arrays in fastnet.optimizers.
"""
from __future__ import annotations

import math

from . import checks


def zeros_like(layers):
    """[(W, b), ...] of zeros shaped like the layers' parameters."""
    return [([[0.0] * len(neuron.weights) for neuron in layer.neurons], [0.0] * len(layer.neurons))
            for layer in layers]


class SGD:
    """Stochastic gradient descent, with optional (Nesterov) momentum, as in PyTorch:

        v = momentum * v + g
        w = w - lr * v                       (classical momentum; v = g when momentum = 0)
        w = w - lr * (g + momentum * v)      (nesterov=True)
    """

    def __init__(self, lr=0.1, momentum=0.0, nesterov=False):
        self.lr, self.momentum, self.nesterov = checks.check_sgd(lr, momentum, nesterov)
        self.state = None  # [(velocity W, velocity b), ...]

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"

    def step(self, layers):
        lr, momentum, nesterov = self.lr, self.momentum, self.nesterov
        if momentum == 0.0:
            for layer in layers:
                for neuron in layer.neurons:
                    weights = neuron.weights
                    for i, g in enumerate(neuron.grad_weights):
                        weights[i] -= lr * g
                    neuron.bias -= lr * neuron.grad_bias
            return
        if self.state is None:
            self.state = zeros_like(layers)
        for layer, (velocity_W, velocity_b) in zip(layers, self.state):
            for j, neuron in enumerate(layer.neurons):
                weights, v = neuron.weights, velocity_W[j]
                for i, g in enumerate(neuron.grad_weights):
                    v[i] = momentum * v[i] + g
                    weights[i] -= lr * (g + momentum * v[i] if nesterov else v[i])
                g = neuron.grad_bias
                velocity_b[j] = momentum * velocity_b[j] + g
                neuron.bias -= lr * (g + momentum * velocity_b[j] if nesterov else velocity_b[j])


class Adam:
    """Adam (Kingma and Ba), per parameter, at step t = 1, 2, ...:

        m = beta1 * m + (1 - beta1) * g            v = beta2 * v + (1 - beta2) * g^2
        w = w - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = checks.check_adam(lr, beta1, beta2, eps)
        self.t = 0
        self.state = None  # [(m W, m b), ...] then [(v W, v b), ...]

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"

    def step(self, layers):
        if self.state is None:
            self.state = zeros_like(layers) + zeros_like(layers)
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.eps
        # lr * m_hat / (sqrt(v_hat) + eps), with the bias corrections taken out of the loop
        c1, c2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t
        lr = self.lr
        sqrt = math.sqrt
        first, second = self.state[:len(layers)], self.state[len(layers):]
        for layer, (m_W, m_b), (v_W, v_b) in zip(layers, first, second):
            for j, neuron in enumerate(layer.neurons):
                weights, m, v = neuron.weights, m_W[j], v_W[j]
                for i, g in enumerate(neuron.grad_weights):
                    m[i] = b1 * m[i] + (1.0 - b1) * g
                    v[i] = b2 * v[i] + (1.0 - b2) * g * g
                    weights[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps)
                g = neuron.grad_bias
                m_b[j] = b1 * m_b[j] + (1.0 - b1) * g
                v_b[j] = b2 * v_b[j] + (1.0 - b2) * g * g
                neuron.bias -= lr * (m_b[j] / c1) / (sqrt(v_b[j] / c2) + eps)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}
