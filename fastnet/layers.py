"""A Layer of neurons as one matrix, computed for a whole batch at once.

Row j of `weights` is purenet's neuron j: the same z_j = sum_i w_ji x_i + b_j, for every sample
of the batch in one matrix product. Training passes `out` arrays that it keeps from step to step
(see network.Workspace), so the matrix products write into memory that is already there.
"""
from __future__ import annotations

import numpy as np

from .activations import activate
from .arrays import column_sums
from .blas import SMALL, gemm, matmul


class Layer:
    """n_in -> n_out neurons sharing one activation f.

    weights: (n_out, n_in), weights[j, i] is the connection from input i to neuron j;
    bias: (n_out,). grad_weights, grad_bias: the same shapes, the gradients of the last backward.
    """

    def __init__(self, weights, bias, activation):
        self.weights = weights
        self.bias = bias
        self._grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(bias)
        self.activation = activation
        self._factors = None  # (delta, inputs) of the last backward while dL/dW is not formed

    def weighted_input(self, inputs, out=None):
        """inputs (n, n_in) -> z = inputs W^T + b, (n, n_out) (into `out` if given).

        W^T is a view: the BLAS reads W transposed at no cost."""
        z = matmul(inputs, self.weights.T, out=out)
        z += self.bias
        return z

    def forward(self, inputs):
        """inputs (n, n_in) -> (z, a), each (n, n_out): z = inputs W^T + b, a = f(z)."""
        z = self.weighted_input(inputs)
        return z, activate(self.activation, z, np.empty_like(z))

    def backward(self, inputs, delta, need_input_gradient=True, out=None, l2=0.0, l1=0.0):
        """inputs (n, n_in) this layer saw, delta (n, n_out) = dL/dz; l2, l1: the network's
        penalty coefficients.

        Sets grad_bias to the column sums of delta and returns dL/dinputs = delta W, (n, n_in)
        (into `out` if given), or None. dL/dW = delta^T inputs + l2 W + l1 sign(W) (the first
        term is dL/dw_ji summed over samples, the rest the penalty's) is kept as its factors
        until it is used: see grad_weights and add_weight_gradient. The caller must not change
        delta or inputs until then.
        """
        self._factors = (delta, inputs, l2, l1)
        column_sums(delta, out=self.grad_bias)
        return matmul(delta, self.weights, out=out) if need_input_gradient else None

    @property
    def grad_weights(self):
        """dL/dW, (n_out, n_in), of the last backward, formed when first asked for."""
        if self._factors is not None:
            delta, inputs, l2, l1 = self._factors
            self._factors = None
            matmul(delta.T, inputs, out=self._grad_weights)
            add_penalty(self._grad_weights, self.weights, 1.0, l2, l1)
        return self._grad_weights

    def add_weight_gradient(self, out, scale, keep=1.0):
        """out = keep * out + scale * dL/dW, for an array `out` shaped like the weights.

        While dL/dW is not formed this is one matrix product, delta^T inputs scaled and added
        into `out` by the BLAS (beta = keep): plain SGD is add_weight_gradient(weights, -lr),
        momentum's velocity add_weight_gradient(velocity, 1.0, keep=momentum). Into the weights
        themselves the l2 penalty (weight decay) joins the product too: keep W + scale (delta^T a
        + l2 W) = (keep + scale l2) W + scale delta^T a. A small matrix is cheaper formed and
        added in NumPy calls than reached through ctypes."""
        # formed first: once formed, or small, or when an l1 penalty's sign(W) must be taken
        # before W itself changes
        if self._factors is None or out.size <= SMALL or (out is self.weights and self._factors[3]):
            if keep != 1.0:
                out *= keep
            out += scale * self.grad_weights
            return out
        delta, inputs, l2, l1 = self._factors
        if out is self.weights:
            keep, l2 = keep + scale * l2, 0.0
        gemm(delta.T, inputs, out, alpha=scale, beta=keep)
        return add_penalty(out, self.weights, scale, l2, l1)

    def zero_grad(self):
        self._factors = None
        self._grad_weights.fill(0.0)
        self.grad_bias.fill(0.0)

    def __repr__(self):
        n_out, n_in = self.weights.shape
        return f"Layer({n_in} -> {n_out}, activation={self.activation!r})"


def add_penalty(out, weights, scale, l2, l1):
    """out += scale * (l2 * W + l1 * sign(W)), the penalty's gradient, leaving out a term whose
    coefficient is 0 (each is a pass over every weight)."""
    if l2:
        out += (scale * l2) * weights
    if l1:
        out += (scale * l1) * np.sign(weights)
    return out
