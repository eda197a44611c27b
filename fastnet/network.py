"""The Network: purenet's network on batched matrices.

For a batch A^0 = X of shape (n, n_in) and layers l = 1..L (rows are samples):

    Z^l = A^(l-1) (W^l)^T + b^l      A^l = f(Z^l)                 (forward)
    Delta^L = dL/dZ^L / n                                         (from the loss, see losses.py)
    Delta^(l-1) = Delta^l W^l * f'(Z^(l-1))                        (backward, chain rule)
    dL/dW^l = (Delta^l)^T A^(l-1)    dL/db^l = column sums of Delta^l
"""
from __future__ import annotations

import numpy as np

from purenet import checks
from purenet.initializers import layer_weights
from purenet.metrics import evaluation
from purenet.network import check_params, load_file, save_file
from purenet.training import Trainable

from . import rng
from .activations import activate, backward
from .inputs import NUMBER_KINDS, as_samples, as_targets, cast, first_beyond_range, input_scale, row_labels
from .layers import Layer
from .losses import loss_function
from .optimizers import OPTIMIZERS

DTYPES = ("float32", "float64")


class Network(Trainable):
    """A fully-connected network on NumPy matrices, a whole batch at a time.

    Args: as purenet.Network, plus
        dtype: "float32" (default, fast) or "float64" (matches purenet to rounding).

    Shape: X is (n, n_inputs), anything numpy.asarray accepts; outputs are (n, n_outputs).

    Example:
        >>> net = Network([2, 3, 2], seed=0)
        >>> net.forward([[0.5, -1.0]]).shape
        (1, 2)
    """

    optimizer_classes = OPTIMIZERS  # by name: the optimizers that update this package's layers

    def __init__(self, sizes, activation="relu", output="softmax", loss="cross_entropy",
                 init=None, seed=None, l2=0.0, l1=0.0, dropout=0.0, dtype="float32"):
        self.sizes, self.init = checks.check_network(sizes, activation, output, loss, init)
        self.activation, self.output, self.loss_name = activation, output, loss
        self.seed = checks.check_seed(seed)
        self.l2 = checks.check_float("l2", l2, low=0.0)
        self.l1 = checks.check_float("l1", l1, low=0.0)
        self.dropout = checks.check_dropout(dropout, self.sizes)
        self.dtype = check_dtype(dtype)
        self.layers = []
        for k, weights in enumerate(layer_weights(self.sizes, self.init, self.seed)):
            n_in, n_out = self.sizes[k], self.sizes[k + 1]
            W = np.array(weights, dtype=np.float64).reshape(n_out, n_in).astype(self.dtype)
            is_last = k == len(self.sizes) - 2
            self.layers.append(Layer(W, np.zeros(n_out, self.dtype), output if is_last else activation))
        self._loss = loss_function(output, loss)
        self._workspaces = {}
        self._gathered = Gathered()

    def __repr__(self):
        return (f"Network({self.sizes}, activation={self.activation!r}, output={self.output!r}, "
                f"loss={self.loss_name!r}, dtype={self.dtype.name!r})")

    def __getstate__(self):
        """Pickles and copies leave out the arrays that a fit keeps from step to step (the
        gathered rows, 16 MB for MNIST at batch 128, and the workspaces), should they be made
        while it runs (in on_epoch_end, say): the next step makes them again."""
        state = self.__dict__.copy()
        state["_workspaces"], state["_gathered"] = {}, Gathered()
        return state

    # Forward

    def _output_z(self, X):
        """Checked X -> z of the output layer, (n, n_outputs)."""
        a = X
        for layer in self.layers[:-1]:
            z = layer.weighted_input(a)
            a = activate(layer.activation, z, out=z)  # in place: z is not needed again
        return self.layers[-1].weighted_input(a)

    def _outputs(self, X):
        """Checked X -> output rows a = f(z), (n, n_outputs)."""
        z = self._output_z(X)
        return activate(self.output, z, out=z)

    def forward(self, X):
        """X (a batch, or one sample) -> output rows, (n, n_outputs)."""
        return self._outputs(as_samples(X, self.sizes[0], self.dtype))

    def predict_proba(self, X):
        """forward(X), warning of inputs far from unit size (see purenet.checks.warn_if_large)."""
        return self._answer(X)

    def predict(self, X):
        """X -> the class index of each sample, (n,) (for one sigmoid output: 1 if a > 0.5)."""
        return row_labels(self._answer(X))

    def _answer(self, X):
        """forward(X) for predict and predict_proba, once the inputs' scale is looked at."""
        samples = as_samples(X, self.sizes[0], self.dtype)
        self._look_at_scale(samples, stacklevel=3)  # <- predict <- user
        return self._outputs(samples)

    # Loss and gradients

    def _check(self, X, Y):
        samples = as_samples(X, self.sizes[0], self.dtype)
        single = np.ndim(X) == 1
        T, labels = as_targets(Y, len(samples), self.sizes[-1], self.dtype, single=single,
                               output=self.output, loss=self.loss_name)
        return samples, T, labels

    def penalty(self):
        """l2/2 * sum(w^2) + l1 * sum(|w|) over every weight (biases are not penalised)."""
        if not (self.l2 or self.l1):
            return 0.0
        # a term whose coefficient is 0 is left out: each is a pass over every weight at every step
        squares = sum(float(np.vdot(layer.weights, layer.weights)) for layer in self.layers) if self.l2 else 0.0
        absolutes = sum(float(np.abs(layer.weights).sum()) for layer in self.layers) if self.l1 else 0.0
        return 0.5 * self.l2 * squares + self.l1 * absolutes

    def _outputs_and_loss(self, X, T):
        z = self._output_z(X)
        outputs, loss, _ = self._loss(z, T, np.empty_like(z))
        return outputs, loss / len(X) + self.penalty()

    def loss(self, X, Y):
        """Mean loss over the batch, plus the penalty: (1/n) sum_s L(x_s, y_s) + penalty."""
        X, T, _ = self._check(X, Y)
        return self._outputs_and_loss(X, T)[1]

    def zero_grad(self):
        for layer in self.layers:
            layer.zero_grad()

    def _workspace(self, n):
        """The Workspace for batches of n samples (a fit sees at most two sizes: the batch size
        and the last, shorter batch)."""
        workspace = self._workspaces.get(n)
        if workspace is None:
            if len(self._workspaces) >= 4:
                self._workspaces.clear()
            workspace = self._workspaces[n] = Workspace(self.sizes, n, self.dtype, self.dropout > 0.0)
        return workspace

    def backprop(self, X, T, dropout_step=None, dropout_seed=0):
        """Fill every layer's grad_weights and grad_bias with dL/dW, dL/db for this batch.

        X (n, n_in), T (n, n_out): checked arrays. With dropout_step set (training), hidden
        activations are multiplied by the dropout factors of that step (purenet's, bit for bit).
        Returns (mean loss of the batch plus the penalty, the output rows (n, n_out)).
        """
        # a diverging run overflows to inf and NaN: fit reports that in words, not warnings
        with np.errstate(over="ignore", invalid="ignore"):
            return self._backprop(X, T, dropout_step, dropout_seed)

    def _backprop(self, X, T, dropout_step, dropout_seed):
        n = len(X)
        work = self._workspace(n)
        drop = dropout_step is not None and self.dropout > 0.0
        last = len(self.layers) - 1
        inputs, scales = [X], [None]  # inputs[k]: what layer k saw (after dropout)
        for k, layer in enumerate(self.layers[:-1]):
            # a = f(z) overwrites z: f'(z) is computed from a alone (see activations.py)
            a = activate(self.activation, layer.weighted_input(inputs[k], out=work.hidden[k]), out=work.hidden[k])
            if drop:
                scales.append(rng.dropout_scales(dropout_seed, dropout_step, k, n, a.shape[1],
                                                 1.0 - self.dropout, self.dtype))
                a = np.multiply(a, scales[-1], out=work.dropped[k])
            inputs.append(a)
        z = self.layers[-1].weighted_input(inputs[-1], out=work.z)
        outputs, loss, delta = self._loss(z, T, work.outputs)
        delta /= n
        for k in range(last, -1, -1):
            grad_inputs = self.layers[k].backward(inputs[k], delta, need_input_gradient=k > 0,
                                                  out=work.grad[k - 1] if k > 0 else None,
                                                  l2=self.l2, l1=self.l1)
            if k > 0:
                delta = backward(self.activation, work.hidden[k - 1], grad_inputs)
                if drop:
                    delta *= scales[k]
        return loss / n + self.penalty(), outputs.copy()

    def gradients(self, X, Y):
        """[(dW, db), ...] per layer: the gradient of net.loss(X, Y), shaped like get_params()."""
        X, T, _ = self._check(X, Y)
        self.backprop(X, T)
        self._drop_step_arrays()
        return [(layer.grad_weights.copy(), layer.grad_bias.copy()) for layer in self.layers]

    # Parameters

    def get_params(self):
        """[(W, b), ...] per layer, copies: W[j, i] is the weight from input i to neuron j."""
        return [(layer.weights.copy(), layer.bias.copy()) for layer in self.layers]

    def set_params(self, params):
        """Set every weight and bias from get_params() output of purenet or fastnet."""
        for layer, (W, b) in zip(self.layers, _check_arrays(params, self.sizes, self.dtype)):
            layer.weights[...] = W
            layer.bias[...] = b

    # Evaluation

    def evaluate(self, X, Y):
        """-> Evaluation(loss, accuracy, confusion, precision, recall, f1) on this data; all but
        the loss None when Y's rows name no classes (see purenet.inputs.targets_name_classes)."""
        samples, targets, labels = self._check(X, Y)
        self._look_at_scale(samples, stacklevel=2)
        return self._evaluate_checked(samples, targets, labels)

    def _evaluate_checked(self, X, T, labels):
        outputs, loss = self._outputs_and_loss(X, T)
        if labels is None:  # targets that name no classes, as in a regression: the loss alone
            return evaluation(loss, None)
        n_classes = max(2, self.sizes[-1])
        confusion = np.bincount(labels * n_classes + row_labels(outputs),
                                minlength=n_classes * n_classes).reshape(n_classes, n_classes)
        result = evaluation(loss, confusion.tolist())
        return result._replace(confusion=confusion, precision=np.array(result.precision),
                               recall=np.array(result.recall), f1=np.array(result.f1))

    # What training needs beyond the above (see purenet/training.py)

    _input_scale = staticmethod(input_scale)

    @staticmethod
    def _order(seed, epoch, n):
        """purenet's shuffled order of the samples, as an index array (batches are slices of it)."""
        return rng.permutation(seed, epoch, n)

    def _take(self, rows, indices, slot=0):
        """rows[indices], gathered into an array kept for this slot of a take (samples, targets,
        labels: 0, 1, 2): a fit gathers every take of its epochs into the same arrays."""
        out = self._gathered.array_for(slot, rows, len(indices))
        # mode="clip" lets take write straight into out (indices come from a permutation,
        # always in range; the default mode would gather into a temporary first)
        return rows.take(indices, axis=0, out=out, mode="clip")

    @staticmethod
    def _count_correct(outputs, labels):
        return int(np.count_nonzero(row_labels(outputs) == labels))

    def _drop_step_arrays(self):
        """Let go of the workspaces and gathered rows kept from step to step, as a fit or a
        gradient ends: 17 MB for MNIST at batch 128, 565 MB for a gradient of all 60,000 images
        on 784-512-512-10, which a trained network would otherwise hold for as long as it lives.
        The next fit makes them again (about a millisecond for the 16 MB of gathered rows)."""
        self._workspaces, self._gathered = {}, Gathered()

    # Saving

    def config(self):
        """The settings that rebuild this network (stored in the model file)."""
        return {"sizes": self.sizes, "activation": self.activation, "output": self.output,
                "loss": self.loss_name, "l2": self.l2, "l1": self.l1, "dropout": self.dropout,
                "dtype": self.dtype.name}

    def to_tensors(self, prefix, pairs):
        """[(W, b), ...] -> model-file tensors prefix.K.weight, prefix.K.bias in this dtype."""
        code = "F64" if self.dtype == np.float64 else "F32"
        little = self.dtype.newbyteorder("<")
        tensors = {}
        for k, (W, b) in enumerate(pairs):
            tensors[f"{prefix}.{k}.weight"] = (code, W.shape, W.astype(little).tobytes())
            tensors[f"{prefix}.{k}.bias"] = (code, b.shape, b.astype(little).tobytes())
        return tensors

    def from_entries(self, entries):
        """[(W entry, b entry), ...] of a model file -> [(W, b), ...] new arrays of this dtype; a
        ValueError names a number of the file that this dtype cannot hold."""
        def decode(entry, where):
            code, shape, raw = entry
            values = np.frombuffer(raw, dtype="<f8" if code == "F64" else "<f4").reshape(shape)
            decoded = _within_range(values, self.dtype, where, remedy="load it with dtype='float64'")
            # the optimizer's state is written to: a copy where the array is still the file's read-only bytes
            return decoded if decoded.flags.writeable else decoded.copy()

        return [(decode(w, f"layer {k}: W"), decode(b, f"layer {k}: b")) for k, (w, b) in enumerate(entries)]

    def save(self, path):
        """Write the network to `path` (safetensors layout, replaced atomically)."""
        save_file(self, path)

    @classmethod
    def load(cls, path, dtype=None):
        """Read a network saved by purenet or fastnet (a checkpoint too); dtype=None keeps the
        file's precision."""
        # a dtype given is checked before the file is read: it is the caller's, not the file's
        extra = {} if dtype is None else {"dtype": check_dtype(dtype)}
        return load_file(cls, path, **extra)[0]


class Workspace:
    """The arrays a training step writes, kept from step to step for one batch size n, so that
    a step allocates nothing large and every matrix product writes into memory already there.

        hidden[k]   (n, width of hidden layer k): z, then a = f(z) in place
        dropped[k]  the same after dropout (only with dropout)
        z, outputs  (n, n_outputs): the output layer's z and a
        grad[k]     (n, width of hidden layer k): dL/da, then dL/dz in place

    The hidden layers' arrays are laid out column by column (order "F"): a row is still a
    sample, but in memory each neuron's values for the batch lie together. NumPy's BLAS computes
    the products into such arrays faster (it is handed them transposed, the neurons as rows and
    the samples as columns): on 784-512-512-10 at batch 128 the forward products took
    0.67-0.77x their time into row-by-row arrays, delta W 0.74x, and the weight gradients
    delta^T a 1.02-1.07x; an epoch took 0.84x and 0.91x (see docs/speed.md). The outputs stay
    row by row, for the softmax's sums along rows.
    """

    def __init__(self, sizes, n, dtype, dropout):
        hidden = sizes[1:-1]
        self.hidden = [np.empty((n, width), dtype, order="F") for width in hidden]
        self.dropped = [np.empty((n, width), dtype, order="F") for width in hidden] if dropout else None
        self.z = np.empty((n, sizes[-1]), dtype)
        self.outputs = np.empty((n, sizes[-1]), dtype)
        self.grad = [np.empty((n, width), dtype, order="F") for width in hidden]


class Gathered:
    """The arrays that training gathers rows of its data into, kept from take to take until the
    fit ends (see Network._drop_step_arrays): one per slot of a take (samples, targets, labels)
    and shape of row, made for the largest take; a shorter take (the last of an epoch) fills its
    first rows."""

    def __init__(self):
        self.arrays = {}  # (slot, shape of a row, dtype) -> array

    def array_for(self, slot, source, n):
        """An array for n rows of `source` in this slot."""
        key = (slot, source.shape[1:], source.dtype)
        array = self.arrays.get(key)
        if array is None or len(array) < n:
            if len(self.arrays) >= 8:
                self.arrays.clear()
            array = self.arrays[key] = np.empty((n,) + source.shape[1:], source.dtype)
        return array[:n]


def check_dtype(dtype):
    """"float32" or "float64" (or the NumPy types) -> a NumPy dtype."""
    try:
        name = np.dtype(dtype).name if dtype is not None else dtype
    except TypeError:
        name = dtype
    return np.dtype(checks.check_choice("dtype", name, DTYPES))


def _check_arrays(params, sizes, dtype):
    """get_params()-shaped input -> [(W, b)] arrays of `dtype`; anything odd is checked by
    purenet's rules, and each number against dtype's range."""
    try:
        pairs = [(np.asarray(W), np.asarray(b)) for W, b in params]
    except (TypeError, ValueError):
        pairs = None
    # numbers only: asking NumPy for floats would also turn strings such as "2" into numbers
    fits = (pairs is not None and len(pairs) == len(sizes) - 1 and all(
        W.shape == (n_out, n_in) and b.shape == (n_out,) and W.dtype.kind in NUMBER_KINDS
        and b.dtype.kind in NUMBER_KINDS and np.isfinite(W).all() and np.isfinite(b).all()
        for (W, b), n_in, n_out in zip(pairs, sizes, sizes[1:])))
    if not fits:  # purenet's check raises the message that says what is wrong, or passes odd numbers
        pairs = check_params(params, sizes)
    try:
        return [(_within_range(W, dtype, f"layer {k}: W"), _within_range(b, dtype, f"layer {k}: b"))
                for k, (W, b) in enumerate(pairs)]
    except ValueError as error:
        raise checks.params_error(str(error)) from None


def _within_range(values, dtype, where, remedy=checks.SCALE_OR_FLOAT64):
    """Numbers -> an array of `dtype`, or a ValueError naming the first finite one that dtype
    cannot hold (float32 holds up to 3.4e38), where it is, and the remedy."""
    values = np.asarray(values, dtype=np.float64)
    cast_values = cast(values, dtype)
    found = first_beyond_range(values, cast_values, remedy)
    if found is not None:
        index, words = found
        raise ValueError(f"{where}{''.join(f'[{i}]' for i in index)} is {words}")
    return cast_values
