"""A Neuron and a Layer (a list of neurons), computed one sample at a time.

Set a breakpoint in Neuron.weighted_input or Layer.backward and the locals are one sample's
numbers: the inputs x_i, the weights w_i, z, the delta.

An input x_i = 0 adds nothing to z (w_i * 0) nor to dL/dw_i (delta * 0), and most MNIST pixels
are 0, so a layer first lists the indices i of its non-zero inputs and the neurons loop over that
list only: the same sums, several times fewer steps.
"""
from __future__ import annotations

from .activations import activate


class Neuron:
    """One neuron with n_in incoming connections.

        z = sum_i w_i * x_i + b

    weights: n_in floats, weights[i] is the connection from input i; bias: a float.
    grad_weights, grad_bias: dL/dw_i and dL/db, summed over a batch by Layer.backward.
    """

    def __init__(self, weights, bias=0.0):
        self.weights = weights
        self.bias = bias
        self.grad_weights = [0.0] * len(weights)
        self.grad_bias = 0.0

    def weighted_input(self, inputs, active):
        """z = sum_i w_i * x_i + b for one sample; `active` lists the i where x_i is not 0."""
        z = self.bias
        weights = self.weights
        for i in active:
            z += weights[i] * inputs[i]
        return z

    def zero_grad(self):
        # In place: a new list each step would outlive PyPy's young generation (a batch
        # allocates more than it holds) and cost major collections, about 10% of training.
        # `[0:n] =` rather than `[:] =`, which PyPy carries out on a copy of the zeros.
        n = len(self.grad_weights)
        self.grad_weights[0:n] = zeros(n)
        self.grad_bias = 0.0

    def __repr__(self):
        return f"Neuron(n_in={len(self.weights)}, bias={self.bias:.4g})"


ZEROS = {}  # n -> a list of n zeros, shared by the neurons with n inputs, never changed


def zeros(n):
    """A list of n zeros to copy from (functools.lru_cache costs more on PyPy)."""
    if n not in ZEROS:
        ZEROS[n] = [0.0] * n
    return ZEROS[n]


def nonzero(inputs):
    """The indices i of the inputs x_i that are not zero."""
    return [i for i, x_i in enumerate(inputs) if x_i != 0.0]


class Layer:
    """A list of neurons sharing one activation f; layer sizes n_in -> n_out."""

    def __init__(self, neurons, activation):
        self.neurons = neurons
        self.activation = activation

    def forward(self, inputs, active=None):
        """One sample: inputs (n_in floats) -> (z, a), each n_out floats, a = f(z).

        active: nonzero(inputs), when the caller has it already (backprop reuses it)."""
        if active is None:
            active = nonzero(inputs)
        z = [neuron.weighted_input(inputs, active) for neuron in self.neurons]
        return z, activate(self.activation, z)

    def backward(self, inputs, delta, need_input_gradient=True, active=None):
        """Backpropagate one sample through the layer.

        inputs: the n_in values this layer saw; delta: dL/dz_j for its n_out neurons.
        Adds dL/dw_ji = delta_j * x_i and dL/db_j = delta_j to each neuron's gradients and
        returns dL/dx_i = sum_j w_ji * delta_j (n_in floats), or None when not needed.
        """
        grad_inputs = [0.0] * len(inputs) if need_input_gradient else None
        if active is None:
            active = nonzero(inputs)
        for neuron, delta_j in zip(self.neurons, delta):
            if delta_j == 0.0:  # e.g. a relu neuron that is off: it adds nothing anywhere
                continue
            neuron.grad_bias += delta_j
            grad_weights = neuron.grad_weights
            for i in active:
                grad_weights[i] += delta_j * inputs[i]
            if need_input_gradient:
                for i, w_ji in enumerate(neuron.weights):
                    grad_inputs[i] += w_ji * delta_j
        return grad_inputs

    def __repr__(self):
        n_in = len(self.neurons[0].weights)
        return f"Layer({n_in} -> {len(self.neurons)}, activation={self.activation!r})"
