"""A Layer of neurons as one matrix, computed for a whole batch at once.

Row j of `weights` is purenet's neuron j: the same z_j = sum_i w_ji x_i + b_j, for every sample
of the batch in one matrix product. Training passes `out` arrays that it keeps from step to step
(see network.Workspace), so the matrix products write into memory that is already there.
"""
from __future__ import annotations

import numpy as np

from .activations import activate


class Layer:
    """n_in -> n_out neurons sharing one activation f.

    weights: (n_out, n_in), weights[j, i] is the connection from input i to neuron j;
    bias: (n_out,). grad_weights, grad_bias: the same shapes, filled by backward.
    """

    def __init__(self, weights, bias, activation):
        self.weights = weights
        self.bias = bias
        self.grad_weights = np.zeros_like(weights)
        self.grad_bias = np.zeros_like(bias)
        self.activation = activation

    def weighted_input(self, inputs, out=None):
        """inputs (n, n_in) -> z = inputs W^T + b, (n, n_out) (into `out` if given).

        W^T is a view: the BLAS reads W transposed at no cost."""
        z = np.matmul(inputs, self.weights.T, out=out)
        z += self.bias
        return z

    def forward(self, inputs):
        """inputs (n, n_in) -> (z, a), each (n, n_out): z = inputs W^T + b, a = f(z)."""
        z = self.weighted_input(inputs)
        return z, activate(self.activation, z, np.empty_like(z))

    def backward(self, inputs, delta, need_input_gradient=True, out=None):
        """inputs (n, n_in) this layer saw, delta (n, n_out) = dL/dz.

        Sets grad_weights = delta^T inputs (dL/dw_ji summed over samples) and grad_bias = the
        column sums of delta; returns dL/dinputs = delta W, (n, n_in) (into `out` if given),
        or None.
        """
        np.matmul(delta.T, inputs, out=self.grad_weights)
        np.add.reduce(delta, axis=0, out=self.grad_bias)
        return np.matmul(delta, self.weights, out=out) if need_input_gradient else None

    def zero_grad(self):
        self.grad_weights.fill(0.0)
        self.grad_bias.fill(0.0)

    def __repr__(self):
        n_out, n_in = self.weights.shape
        return f"Layer({n_in} -> {n_out}, activation={self.activation!r})"
