"""The Network: a list of layers, the forward pass and backpropagation over a batch.

For one sample x, with a^0 = x and layers l = 1..L:

    z^l = W^l a^(l-1) + b^l        a^l = f(z^l)                  (forward)
    delta^L = dL/dz^L                                             (from the loss, see losses.py)
    delta^(l-1) = (W^l)^T delta^l * f'(z^(l-1))                   (backward, chain rule)
    dL/dW^l = delta^l (a^(l-1))^T   dL/db^l = delta^l

The batch loss is the mean of the per-sample losses, so each sample's delta is divided by the
batch size n and the gradients of all samples are added up.
"""
from __future__ import annotations

import inspect
import math
import os
import warnings

from . import checks, modelfile, rng
from .activations import derivative
from .initializers import layer_weights
from .inputs import (as_list, as_samples, as_targets, input_scale, is_number, is_single_sample, row_label,
                     sum_is_finite)
from .layers import Layer, Neuron, nonzero
from .losses import loss_function
from .metrics import confusion_matrix, evaluation
from .optimizers import OPTIMIZERS
from .training import Trainable


class Network(Trainable):
    """A fully-connected network, neuron by neuron in plain Python.

    Args:
        sizes: layer sizes [n_inputs, hidden..., n_outputs], e.g. [784, 32, 10].
        activation: hidden activation: sigmoid | tanh | relu | leaky_relu | linear.
        output: output activation: softmax | sigmoid | linear.
        loss: cross_entropy (categorical after softmax, binary after sigmoid) | mse.
        init: he | xavier | lecun | uniform | zeros; None picks he for relu and leaky_relu,
            xavier otherwise.
        seed: seed of the initial weights (None: fresh randomness).
        l2, l1: penalties added to the loss: l2/2 * sum(w^2) + l1 * sum(|w|) over all weights.
        dropout: probability of dropping each hidden neuron while training (0 <= p < 1).

    Shape: X is a list of samples of n_inputs numbers; outputs are lists of n_outputs floats.

    Example:
        >>> net = Network([2, 3, 2], seed=0)
        >>> len(net.forward([[0.5, -1.0]])[0])
        2
    """

    optimizer_classes = OPTIMIZERS  # by name: the optimizers that update this package's layers

    def __init__(self, sizes, activation="relu", output="softmax", loss="cross_entropy",
                 init=None, seed=None, l2=0.0, l1=0.0, dropout=0.0):
        self.sizes, self.init = checks.check_network(sizes, activation, output, loss, init)
        self.activation, self.output, self.loss_name = activation, output, loss
        self.seed = checks.check_seed(seed)
        self.l2 = checks.check_float("l2", l2, low=0.0)
        self.l1 = checks.check_float("l1", l1, low=0.0)
        self.dropout = checks.check_dropout(dropout, self.sizes)
        self.layers = []
        for k, weights in enumerate(layer_weights(self.sizes, self.init, self.seed)):
            n_in = self.sizes[k]
            neurons = [Neuron(weights[j * n_in:(j + 1) * n_in]) for j in range(self.sizes[k + 1])]
            is_last = k == len(self.sizes) - 2
            self.layers.append(Layer(neurons, output if is_last else activation))
        self._loss = loss_function(output, loss)
        self._hidden_derivative = derivative(activation)

    def __repr__(self):
        return (f"Network({self.sizes}, activation={self.activation!r}, output={self.output!r}, "
                f"loss={self.loss_name!r})")

    # Forward

    def _forward_one(self, x):
        """One sample -> its output activations a^L (n_outputs floats)."""
        a = x
        for layer in self.layers:
            _, a = layer.forward(a)
        return a

    def _outputs(self, samples):
        """Checked samples -> one output row per sample."""
        return [self._forward_one(x) for x in samples]

    def forward(self, X):
        """X (a batch, or one sample) -> one output row per sample."""
        return self._outputs(as_samples(X, self.sizes[0]))

    def predict_proba(self, X):
        """forward(X), warning of inputs far from unit size (see checks.warn_if_large)."""
        return self._answer(X)

    def predict(self, X):
        """X -> the class index of each sample (for one sigmoid output: 1 if a > 0.5)."""
        return [row_label(row) for row in self._answer(X)]

    def _answer(self, X):
        """forward(X) for predict and predict_proba, once the inputs' scale is looked at."""
        samples = as_samples(X, self.sizes[0])
        self._look_at_scale(samples, stacklevel=3)  # <- predict <- user
        return self._outputs(samples)

    # Loss and gradients

    def _check(self, X, Y):
        X = as_list(X)  # once: an array's rows as lists
        samples = as_samples(X, self.sizes[0])
        single = is_single_sample(X)
        targets, labels = as_targets(Y, len(samples), self.sizes[-1], single=single, output=self.output,
                                     loss=self.loss_name)
        return samples, targets, labels

    def penalty(self):
        """l2/2 * sum(w^2) + l1 * sum(|w|) over every weight (biases are not penalised)."""
        if not (self.l2 or self.l1):
            return 0.0
        squares = absolutes = 0.0
        for layer in self.layers:
            for neuron in layer.neurons:
                for w in neuron.weights:
                    squares += w * w
                    absolutes += abs(w)
        return 0.5 * self.l2 * squares + self.l1 * absolutes

    def _outputs_and_loss(self, samples, targets):
        """Checked samples and targets -> (output rows, mean loss + penalty)."""
        outputs, total = [], 0.0
        for x, t in zip(samples, targets):
            z = a = x
            for layer in self.layers:
                z, a = layer.forward(a)
            outputs.append(a)
            total += self._loss(z, a, t)[0]
        return outputs, total / len(samples) + self.penalty()

    def loss(self, X, Y):
        """Mean loss over the batch, plus the penalty: (1/n) sum_s L(x_s, y_s) + penalty."""
        samples, targets, _ = self._check(X, Y)
        return self._outputs_and_loss(samples, targets)[1]

    def zero_grad(self):
        for layer in self.layers:
            for neuron in layer.neurons:
                neuron.zero_grad()

    def backprop(self, samples, targets, dropout_step=None, dropout_seed=0):
        """Fill every neuron's grad_weights and grad_bias with dL/dw, dL/db for this batch.

        samples, targets: checked lists (see inputs.py). With dropout_step set (training),
        hidden activations are multiplied by the dropout factors of that step.
        Returns (mean loss of the batch plus the penalty, the output rows).
        """
        self.zero_grad()
        n = len(samples)
        drop = dropout_step is not None and self.dropout > 0.0
        last = len(self.layers) - 1
        total = 0.0
        outputs = []
        for s, (x, t) in enumerate(zip(samples, targets)):
            inputs = [x]  # inputs[k]: what layer k saw, after dropout
            active = []   # active[k]: the indices of its non-zero inputs, for forward and backward
            raw = [x]     # the same before dropout, for f'
            scales = [None]
            z = None
            for k, layer in enumerate(self.layers):
                active.append(nonzero(inputs[k]))
                z, a = layer.forward(inputs[k], active[k])
                raw.append(a)
                if drop and k < last:
                    keep = 1.0 - self.dropout
                    scales.append(rng.dropout_scales(dropout_seed, dropout_step, k, s, n, len(a), keep))
                    a = [a_j * scale for a_j, scale in zip(a, scales[-1])]
                inputs.append(a)
            loss, delta = self._loss(z, inputs[-1], t)
            outputs.append(inputs[-1])
            total += loss
            delta = [delta_j / n for delta_j in delta]
            for k in range(last, -1, -1):
                grad_inputs = self.layers[k].backward(inputs[k], delta, k > 0, active[k])
                if k > 0:
                    # delta^(k-1) = (W^T delta^k) * f'(z^(k-1)), times the dropout factor if any
                    f_prime = self._hidden_derivative
                    delta = [g * f_prime(a_raw) for g, a_raw in zip(grad_inputs, raw[k])]
                    if drop:
                        delta = [d * scale for d, scale in zip(delta, scales[k])]
        self._add_penalty_gradients()
        return total / n + self.penalty(), outputs

    def _add_penalty_gradients(self):
        """d/dw [l2/2 w^2 + l1 |w|] = l2 * w + l1 * sign(w)."""
        if not (self.l2 or self.l1):
            return
        l2, l1 = self.l2, self.l1
        for layer in self.layers:
            for neuron in layer.neurons:
                grads = neuron.grad_weights
                for i, w in enumerate(neuron.weights):
                    grads[i] += l2 * w + (l1 if w > 0.0 else -l1 if w < 0.0 else 0.0)

    def gradients(self, X, Y):
        """[(dW, db), ...] per layer: the gradient of net.loss(X, Y), shaped like get_params()."""
        samples, targets, _ = self._check(X, Y)
        self.backprop(samples, targets)
        return [([list(neuron.grad_weights) for neuron in layer.neurons],
                 [neuron.grad_bias for neuron in layer.neurons]) for layer in self.layers]

    # Parameters

    def get_params(self):
        """[(W, b), ...] per layer, copies: W[j][i] is the weight from input i to neuron j."""
        return [([list(neuron.weights) for neuron in layer.neurons],
                 [neuron.bias for neuron in layer.neurons]) for layer in self.layers]

    def set_params(self, params):
        """Set every weight and bias from get_params() output of purenet or fastnet."""
        checked = check_params(params, self.sizes)
        for layer, (W, b) in zip(self.layers, checked):
            for neuron, row, bias in zip(layer.neurons, W, b):
                neuron.weights = row
                neuron.bias = bias

    # Evaluation

    def evaluate(self, X, Y):
        """-> Evaluation(loss, accuracy, confusion, precision, recall, f1) on this data; all but
        the loss None when Y's rows name no classes (see inputs.targets_name_classes)."""
        samples, targets, labels = self._check(X, Y)
        self._look_at_scale(samples, stacklevel=2)
        return self._evaluate_checked(samples, targets, labels)

    def _evaluate_checked(self, samples, targets, labels):
        outputs, loss = self._outputs_and_loss(samples, targets)
        if labels is None:  # targets that name no classes, as in a regression: the loss alone
            return evaluation(loss, None)
        n_classes = max(2, self.sizes[-1])
        confusion = confusion_matrix(labels, [row_label(a) for a in outputs], n_classes)
        return evaluation(loss, confusion)

    # What training needs beyond the above (see training.py)

    _input_scale = staticmethod(input_scale)

    @staticmethod
    def _order(seed, epoch, n):
        """The samples' shuffled order in this epoch, drawn from the seed."""
        return rng.permutation(seed, epoch, n)

    @staticmethod
    def _take(rows, indices, slot=0):
        """rows[indices], as a list (slot: see fastnet's, which gathers into arrays)."""
        return [rows[i] for i in indices]

    @staticmethod
    def _count_correct(outputs, labels):
        return sum(row_label(a) == y for a, y in zip(outputs, labels))

    @staticmethod
    def _drop_step_arrays():
        """Nothing to let go of: a step keeps no lists beyond the neurons' own gradients."""

    # Saving

    def config(self):
        """The settings that rebuild this network (stored in the model file)."""
        return {"sizes": self.sizes, "activation": self.activation, "output": self.output,
                "loss": self.loss_name, "l2": self.l2, "l1": self.l1, "dropout": self.dropout,
                "dtype": "float64"}

    def to_tensors(self, prefix, pairs):
        """[(W, b), ...] -> model-file tensors prefix.K.weight, prefix.K.bias (float64)."""
        tensors = {}
        for k, (W, b) in enumerate(pairs):
            flat = [w for row in W for w in row]
            tensors[f"{prefix}.{k}.weight"] = ("F64", (len(W), len(W[0])), modelfile.values_to_bytes(flat))
            tensors[f"{prefix}.{k}.bias"] = ("F64", (len(b),), modelfile.values_to_bytes(b))
        return tensors

    @staticmethod
    def from_entries(entries):
        """[(W entry, b entry), ...] of a model file -> [(W, b), ...] as lists."""
        pairs = []
        for (w_dtype, (n_out, n_in), w_raw), (b_dtype, _, b_raw) in entries:
            flat = modelfile.bytes_to_values(w_raw, w_dtype)
            W = [flat[j * n_in:(j + 1) * n_in] for j in range(n_out)]
            pairs.append((W, modelfile.bytes_to_values(b_raw, b_dtype)))
        return pairs

    def save(self, path):
        """Write the network to `path` (safetensors layout, replaced atomically)."""
        save_file(self, path)

    @classmethod
    def load(cls, path):
        """Read a network saved by purenet or fastnet (a checkpoint too)."""
        return load_file(cls, path)[0]


def read_network(path):
    """A model or checkpoint file -> (metadata, tensors, checked weight entries)."""
    metadata, tensors = modelfile.load(path)
    _, entries = modelfile.network_entries(metadata, tensors, path)
    return metadata, tensors, entries


def save_file(net, path, **notes):
    """Write a network of either package to `path`, its settings and `notes` (such as the data set
    it was trained on) in the metadata."""
    modelfile.save(path, dict(net.config(), **notes), net.to_tensors("layers", net.get_params()))


def load_file(cls, path, **extra):
    """A model or checkpoint file -> (a network of class cls, the file's metadata, its tensors),
    read once. A class with a dtype (fastnet's) gets the precision the file's numbers are stored
    in (purenet's files: float64), unless `extra` gives one."""
    path = os.fspath(path)  # errors show '/a/model.safetensors', not PosixPath('/a/model.safetensors')
    metadata, tensors, entries = read_network(path)
    if "dtype" in inspect.signature(cls).parameters and "dtype" not in extra:
        extra["dtype"] = "float32" if entries[0][0][0] == "F32" else "float64"
    return build_network(cls, metadata, entries, path, **extra), metadata, tensors


def build_network(cls, metadata, entries, path, **extra):
    """A network of class `cls` with the settings and weights read from a file."""
    net = from_config(cls, metadata, path, **extra)
    try:
        net.set_params(net.from_entries(entries))
    except ValueError as error:
        raise modelfile.ModelFileError(f"{path!r}: {error}") from None
    return net


def from_config(cls, metadata, path, **extra):
    """Build an untrained network of class `cls` from a model file's settings."""
    settings = {key: metadata.get(key) for key in ("sizes", "activation", "output", "loss")}
    settings.update({key: metadata.get(key, 0.0) for key in ("l2", "l1", "dropout")})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zeros: the real weights are set right after
            return cls(init="zeros", seed=0, **settings, **extra)
    except (TypeError, ValueError) as error:
        raise modelfile.ModelFileError(f"{path!r} holds settings this library cannot build: {error}") from None


def _is_rows(W, n_rows):
    return (hasattr(W, "__len__") and not isinstance(W, (str, bytes)) and len(W) == n_rows
            and all(hasattr(row, "__len__") and not isinstance(row, (str, bytes)) for row in W))


def check_params(params, sizes):
    """Check get_params()-shaped input against the layer sizes -> lists of floats."""
    params = as_list(params)
    n_layers = len(sizes) - 1
    if isinstance(params, (str, bytes)) or not hasattr(params, "__len__") or len(params) != n_layers:
        raise checks.params_error(f"expected a list of {n_layers} (W, b) pairs, one per layer")
    checked = []
    for k, pair in enumerate(params):
        n_in, n_out = sizes[k], sizes[k + 1]
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise checks.params_error(f"layer {k}: expected a (W, b) pair")
        W, b = (as_list(part) for part in pair)
        if not _is_rows(W, n_out) or any(len(row) != n_in for row in W):
            raise checks.params_error(
                f"layer {k}: W must have shape ({n_out}, {n_in}), {n_out} rows of {n_in} numbers")
        if isinstance(b, (str, bytes)) or not hasattr(b, "__len__") or len(b) != n_out:
            raise checks.params_error(f"layer {k}: b must hold {n_out} numbers")
        # copies: the network updates its weights in place and must not touch the caller's
        checked.append(([_finite_floats(row, f"layer {k}: W[{j}]") for j, row in enumerate(W)],
                        _finite_floats(b, f"layer {k}: b")))
    return checked


def _finite_floats(values, where):
    """A row of W, or b -> a new list of floats, or a ValueError naming the first entry that is
    not a finite number."""
    if sum_is_finite(values):
        return list(map(float, values))
    return [_finite_float(value, where, i) for i, value in enumerate(values)]


def _finite_float(value, where, i):
    try:
        number = float(value) if is_number(value) else math.nan
    except OverflowError:  # an int beyond float's range
        number = math.inf
    if not math.isfinite(number):
        raise checks.params_error(f"{where}[{i}] is {checks.shown(value)}; weights and biases must be finite numbers")
    return number
