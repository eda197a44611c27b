"""Optimizers on whole weight matrices (the formulas of purenet/optimizers.py, in place).

`step(layers)` updates each layer's weights and bias from its gradients. State is kept per
parameter in the (W, b)-per-layer layout of Network.get_params(). Each step works in place,
through one scratch array per parameter, so it allocates nothing large.

Plain SGD never forms dL/dW: the BLAS adds -lr delta^T a straight into the weights (see
Layer.add_weight_gradient). Nor does classical momentum: one product makes the velocity
v = momentum * v + delta^T a (the BLAS's beta = momentum).

Other updates are several elementwise passes (Adam's is seven, three of them the BLAS's axpby,
see blas.py), each of which would stream a matrix larger than the caches through memory. Such a
matrix is done block by block instead (see `blocks`): all passes over one block of 256K numbers,
which stays in the CPU's last-level cache, then the next block.

Every FLUSH_EVERY steps, the velocities and moments that have shrunk to almost nothing are set to
0 (see `flush_tiny`).
"""
from __future__ import annotations

import math

import numpy as np

from purenet import checks

from .blas import axpby


def zeros_like(layers):
    return [(np.zeros_like(layer.weights), np.zeros_like(layer.bias)) for layer in layers]


def scratch_like(layers, scratch):
    """One array per parameter to compute in, kept between steps (made again if shapes change)."""
    parameters = _parameters(layers)
    if scratch is None or [s.shape for s in scratch] != [p.shape for p in parameters]:
        scratch = [np.empty_like(p) for p in parameters]
    return scratch


# Numbers per block: 1 MB of float32 per array, Adam's five arrays in 5 MB, within the last-level
# cache of most CPUs (32 MB here, where larger blocks were a little faster still). Blocks for the
# 2 MB L2 cache, of 64K numbers, cost more in NumPy calls than they saved: see docs/speed.md.
BLOCK = 1 << 18


def blocks(*arrays):
    """Matching flat views of same-shaped C-contiguous arrays, BLOCK numbers at a time (the
    whole arrays at once if they are small, or if one is not contiguous: its flat view would
    be a copy)."""
    if arrays[0].size <= BLOCK or not all(a.flags.c_contiguous for a in arrays):
        yield arrays
        return
    flat = [a.reshape(-1) for a in arrays]
    for start in range(0, flat[0].size, BLOCK):
        yield [a[start:start + BLOCK] for a in flat]


# A velocity or first moment whose gradient stays 0 (the weights from pixels blank in every sample
# of a batch, or into a neuron that is off) shrinks by momentum or beta1 at every step until it is
# subnormal, below the smallest normal float, where each operation on it is many times slower
# (NumPy multiplied float32 numbers in 5.5 ns each against 0.21 ns, on the Ice Lake Xeon). After
# four epochs of the default model, 1.6% of Adam's first moments were, and Adam's step took 1.6x
# its time without them. So every FLUSH_EVERY steps, entries closer to 0 than 2^26 times the
# smallest normal float (about 8e-31 in float32) are set to 0: at beta1 = 0.9 an entry takes 171
# steps from there to the subnormals, so none gets there. What they would add to a weight is far
# below its last digit: the weights after ten epochs were the same, bit for bit (docs/speed.md).
FLUSH_EVERY = 128


def flush_tiny(arrays):
    """Set every entry of the arrays closer to 0 than 2^26 times the smallest normal number to 0."""
    for array in arrays:
        np.copyto(array, 0, where=np.abs(array) < np.finfo(array.dtype).tiny * 2.0 ** 26)


def _parameters(layers):
    """Every weight matrix and bias vector, layer by layer."""
    return [p for layer in layers for p in (layer.weights, layer.bias)]


def _pairs(layers):
    """(parameter, gradient) for every weight matrix and bias vector, layer by layer."""
    for layer in layers:
        yield layer.weights, layer.grad_weights
        yield layer.bias, layer.grad_bias


class Optimizer:
    """What SGD and Adam share: their pickles and copies hold the state (velocities, moments) but
    not the scratch arrays, which the next step makes again (with them, Adam's pickle was half as
    large again as its two moments)."""

    _scratch = None

    def __getstate__(self):
        return dict(self.__dict__, _scratch=None)


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum, as in PyTorch:

        v = momentum * v + g
        w = w - lr * v                       (classical momentum; v = g when momentum = 0)
        w = w - lr * (g + momentum * v)      (nesterov=True)
    """

    def __init__(self, lr=0.1, momentum=0.0, nesterov=False):
        self.lr, self.momentum, self.nesterov = checks.check_sgd(lr, momentum, nesterov)
        self.state = None  # [(velocity W, velocity b), ...]
        self._steps = 0  # counts the steps with momentum, for flush_tiny

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"

    def step(self, layers):
        lr, momentum = self.lr, self.momentum
        if momentum == 0.0:
            for layer in layers:
                layer.add_weight_gradient(layer.weights, -lr)  # W = W - lr dL/dW, one product
                layer.bias -= lr * layer.grad_bias
            return
        if self.state is None:
            self.state = zeros_like(layers)
        velocities = [v for pair in self.state for v in pair]
        self._steps += 1
        if self._steps % FLUSH_EVERY == 0:
            flush_tiny(velocities)
        if not self.nesterov:
            for layer, (v_W, v_b) in zip(layers, self.state):
                layer.add_weight_gradient(v_W, 1.0, keep=momentum)  # v = momentum v + dL/dW, one product
                v_b *= momentum
                v_b += layer.grad_bias
            for w, v in zip(_parameters(layers), velocities):
                for w, v in blocks(w, v):
                    axpby(-lr, v, 1.0, w)
            return
        self._scratch = scratch = scratch_like(layers, self._scratch)
        for (w, g), v, s in zip(_pairs(layers), velocities, scratch):
            for w, g, v, s in blocks(w, g, v, s):
                axpby(1.0, g, momentum, v)  # v = momentum v + g
                np.multiply(v, momentum, out=s)  # Nesterov: w = w - lr (g + momentum v)
                s += g
                axpby(-lr, s, 1.0, w)


class Adam(Optimizer):
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
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t
        # The paper's own faster order (Kingma and Ba, section 2): the bias corrections go into two
        # numbers, lr * m_hat / (sqrt(v_hat) + eps) = step * m / (sqrt(v) + eps_hat), which spares
        # a pass over every weight (v / c2)
        step, eps_hat = self.lr * math.sqrt(c2) / c1, self.eps * math.sqrt(c2)
        half = len(layers)
        firsts = [m for pair in self.state[:half] for m in pair]
        seconds = [v for pair in self.state[half:] for v in pair]
        self._scratch = scratch = scratch_like(layers, self._scratch)
        if self.t % FLUSH_EVERY == 0:
            flush_tiny(firsts + seconds)
        for (w, g), m, v, s in zip(_pairs(layers), firsts, seconds, scratch):
            for w, g, m, v, s in blocks(w, g, m, v, s):
                axpby(1.0 - b1, g, b1, m)  # m = beta1 m + (1 - beta1) g
                np.square(g, out=s)
                axpby(1.0 - b2, s, b2, v)  # v = beta2 v + (1 - beta2) g^2
                np.sqrt(v, out=s)  # w = w - step * m / (sqrt(v) + eps_hat)
                s += eps_hat
                np.divide(m, s, out=s)
                axpby(-step, s, 1.0, w)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}
