"""The contenders: one adapter per library, all training the same network on the same data.

Every adapter starts from the same initial parameters (fastnet's with seed 0, which purenet
draws identically), trains with plain SGD at the same learning rate and the same batch size,
and offers the same three measurements:

    step(X, y)            one training step on one batch (forward, loss, backward, update)
    epoch(X, y, batch)    one shuffled pass over the data in mini-batches
    infer(X)              the output probabilities of every sample

Each contender runs in a process of its own (worker.py), so that one library's idle threads
never compete with another's. purenet and fastnet share one adapter (library.py), which loads
without NumPy so that purenet can run under PyPy.
"""
from __future__ import annotations

import importlib
import os

import numpy as np

import fastnet
from fastnet.arrays import column_sums, constant, row_maxima, row_sums
from fastnet.blas import SMALL, gemm, matmul
from fastnet.network import Gathered
from library import LEARNING_RATE, Library
from purenet.training import rows_per_take

THREADS = os.cpu_count() or 1


def shuffled_epoch(step, X, Y, order, batch_size):
    """step((X rows, Y rows)) for each batch of the rows in `order`."""
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        step((X[rows], Y[rows]))


def initial_params(sizes):
    return fastnet.Network(sizes, seed=0, dtype="float64").get_params()


class Floor:
    """The matrix products of a training step and nothing else: z = a W^T per layer forward,
    dW = delta^T a and delta W backward (no input gradient for the first layer), into arrays
    made beforehand, on contiguous batches. They are the least any NumPy program here has trained
    with, laid out as fastnet's are: the hidden layers' z and delta W column by column, which the
    BLAS computes faster (see fastnet.network.Workspace), and each weight gradient of more than
    SMALL numbers added into an array of its own by gemm (beta = 1), as fastnet adds it into the
    weights, which spares the BLAS a pass that clears its output. The products go through
    fastnet.blas, as fastnet's do: by the BLAS also at batch size 1, where np.matmul would take a
    loop of its own."""

    def __init__(self, sizes):
        self.weights = [np.asarray(W, np.float32) for W, _ in initial_params(sizes)]
        self.buffers = {}

    def data(self, X, y):
        return np.ascontiguousarray(X, np.float32), None

    def _buffers(self, n):
        """(each layer's z, each dL/dW, each delta W) for n rows; the hidden layers' z and delta W
        laid out column by column, as fastnet's are (see fastnet.network.Workspace)."""
        if n not in self.buffers:
            hidden = [W.shape[0] for W in self.weights[:-1]]
            self.buffers[n] = ([np.empty((n, width), np.float32, order="F") for width in hidden]
                               + [np.empty((n, self.weights[-1].shape[0]), np.float32)],
                               [np.zeros_like(W) for W in self.weights],
                               [None] + [np.empty((n, width), np.float32, order="F") for width in hidden])
        return self.buffers[n]

    def step(self, batch):
        X = batch[0]
        outputs, grads, back = self._buffers(len(X))
        a = X
        for W, out in zip(self.weights, outputs):
            a = matmul(a, W.T, out=out)
        delta = a
        for k in range(len(self.weights) - 1, -1, -1):
            inputs = X if k == 0 else outputs[k - 1]
            if grads[k].size > SMALL:
                gemm(delta.T, inputs, grads[k], beta=1.0)
            else:
                matmul(delta.T, inputs, out=grads[k])
            if k > 0:
                delta = matmul(delta, self.weights[k], out=back[k])

    def epoch(self, X, y, batch_size):
        for start in range(0, len(X), batch_size):
            self.step((X[start:start + batch_size],))

    def infer(self, X):
        a = X
        for W in self.weights:
            a = a @ W.T
        return a

    def reset_optimizer(self):
        pass


class TorchFloor(Floor):
    """The same matrix products with PyTorch's BLAS, as PyTorch's layers lay them out (torch.mm
    into tensors made beforehand, every array row by row, the weight gradients written, not
    added): PyTorch's own floor, so that its times can be read against a yardstick of its own."""

    def __init__(self, sizes):
        super().__init__(sizes)
        import torch
        torch.set_num_threads(THREADS)
        self.torch = torch
        self.weights = [torch.from_numpy(W) for W in self.weights]

    def data(self, X, y):
        return self.torch.from_numpy(np.ascontiguousarray(X, np.float32)), None

    def _buffers(self, n):
        if n not in self.buffers:
            empty = self.torch.empty
            self.buffers[n] = ([empty(n, W.shape[0]) for W in self.weights], [empty(W.shape) for W in self.weights],
                               [empty(n, W.shape[1]) for W in self.weights])
        return self.buffers[n]

    def step(self, batch):
        X = batch[0]
        outputs, grads, back = self._buffers(len(X))
        mm = self.torch.mm
        a = X
        for W, out in zip(self.weights, outputs):
            a = mm(a, W.t(), out=out)
        delta = a
        for k in range(len(self.weights) - 1, -1, -1):
            mm(delta.t(), X if k == 0 else outputs[k - 1], out=grads[k])
            if k > 0:
                delta = mm(delta, self.weights[k], out=back[k])

    def infer(self, X):
        a = X
        for W in self.weights:
            a = a @ W.t()
        return a


class TextbookNumpy:
    """The NumPy loop of a 'neural network from scratch' notebook: clear, allocating new arrays
    at every operation, ReLU hidden layers, softmax and cross-entropy, plain SGD."""

    def __init__(self, sizes):
        self.params = [(np.array(W, np.float32), np.array(b, np.float32)) for W, b in initial_params(sizes)]

    def data(self, X, y):
        return np.asarray(X, np.float32), np.eye(self.params[-1][1].size, dtype=np.float32)[y]

    def step(self, batch):
        X, Y = batch
        activations = [X]
        for W, b in self.params[:-1]:
            activations.append(np.maximum(0, activations[-1] @ W.T + b))
        W, b = self.params[-1]
        z = activations[-1] @ W.T + b
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        delta = (p - Y) / len(X)
        for k in range(len(self.params) - 1, -1, -1):
            W, b = self.params[k]
            grad_W, grad_b = delta.T @ activations[k], delta.sum(axis=0)
            if k > 0:
                delta = (delta @ W) * (activations[k] > 0)
            W -= LEARNING_RATE * grad_W
            b -= LEARNING_RATE * grad_b

    def epoch(self, X, Y, batch_size):
        shuffled_epoch(self.step, X, Y, np.random.permutation(len(X)), batch_size)

    def infer(self, X):
        a = X
        for W, b in self.params[:-1]:
            a = np.maximum(0, a @ W.T + b)
        W, b = self.params[-1]
        z = a @ W.T + b
        p = np.exp(z - z.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def reset_optimizer(self):
        pass


class InPlaceNumpy(TextbookNumpy):
    """fastnet's training step written out flat: the same passes over the same arrays (its
    reductions, its gemm), with no library around them. The rows of many batches are gathered at
    once into arrays kept for them, as fastnet's fit does, every result is written into memory
    already there, and plain SGD is added into the weights by gemm. It takes the same steps as
    fastnet, bit for bit (a test checks). What fastnet takes beyond this is the cost of its API:
    checking the data, dispatching on the activation and the loss, reproducing purenet's shuffle,
    and the loss and accuracy of every batch, which this loop does not compute. Its data and
    predictions are the textbook loop's."""

    def __init__(self, sizes):
        super().__init__(sizes)
        self.buffers = {}
        self.gathered = Gathered()  # fastnet's arrays for the rows of a take

    def _buffers(self, n):
        """(each layer's z then a, each hidden layer's dL/da) for n rows, the hidden layers'
        laid out column by column, as fastnet's are."""
        if n not in self.buffers:
            hidden = [len(b) for _, b in self.params[:-1]]
            self.buffers[n] = ([np.empty((n, width), np.float32, order="F") for width in hidden]
                               + [np.empty((n, len(self.params[-1][1])), np.float32)],
                               [np.empty((n, width), np.float32, order="F") for width in hidden])
        return self.buffers[n]

    def step(self, batch):
        X, Y = batch
        activations, grads = self._buffers(len(X))
        a = X
        for (W, b), out in zip(self.params, activations):
            a = np.matmul(a, W.T, out=out)
            a += b
            if out is not activations[-1]:
                np.maximum(a, constant(0, a.shape, a.dtype, "F"), out=a)
        a -= row_maxima(a)  # softmax, then delta = (a - y) / n
        np.exp(a, out=a)
        a /= row_sums(a)
        delta = a
        delta -= Y
        delta /= len(X)
        for k in range(len(self.params) - 1, -1, -1):
            W, b = self.params[k]
            inputs = X if k == 0 else activations[k - 1]
            b -= LEARNING_RATE * column_sums(delta, np.empty_like(b))
            grad = np.matmul(delta, W, out=grads[k - 1]) if k > 0 else None  # before W changes
            if W.size > SMALL:
                gemm(delta.T, inputs, W, alpha=-LEARNING_RATE, beta=1.0)
            else:  # as fastnet does: a small product costs less in NumPy than through ctypes
                W -= LEARNING_RATE * (delta.T @ inputs)
            if k > 0:
                delta = np.multiply(grad, inputs > 0, out=grad)

    def epoch(self, X, Y, batch_size):
        """As fastnet's fit: the rows of many batches taken at once into arrays kept for them,
        each batch a slice of those (see purenet.training.batches)."""
        order = np.random.permutation(len(X))
        per_take = rows_per_take(batch_size, X.shape[1])
        for first in range(0, len(X), per_take):
            rows = order[first:first + per_take]
            X_rows = self.gathered.array_for(0, X, len(rows))
            Y_rows = self.gathered.array_for(1, Y, len(rows))
            X.take(rows, axis=0, out=X_rows, mode="clip")
            Y.take(rows, axis=0, out=Y_rows, mode="clip")
            for start in range(0, len(rows), batch_size):
                self.step((X_rows[start:start + batch_size], Y_rows[start:start + batch_size]))


class Torch:
    """PyTorch eager on the CPU, with as many threads as NumPy's BLAS (every core)."""

    def __init__(self, sizes):
        import torch
        torch.set_num_threads(THREADS)
        self.torch = torch
        layers = []
        for k, (W, b) in enumerate(initial_params(sizes)):
            linear = torch.nn.Linear(len(W[0]), len(W))
            with torch.no_grad():
                linear.weight.copy_(torch.as_tensor(W))
                linear.bias.copy_(torch.as_tensor(b))
            layers += [linear] + ([torch.nn.ReLU()] if k < len(sizes) - 2 else [])
        self.model = torch.nn.Sequential(*layers)
        self.loss = torch.nn.CrossEntropyLoss()

    def data(self, X, y):
        return self.torch.from_numpy(np.asarray(X, np.float32)), self.torch.from_numpy(np.asarray(y, np.int64))

    def step(self, batch):
        X, y = batch
        self.optimizer.zero_grad()
        loss = self.loss(self.model(X), y)
        loss.backward()
        self.optimizer.step()
        return loss.item()  # as fit does each step: the loss is looked at

    def epoch(self, X, y, batch_size):
        shuffled_epoch(self.step, X, y, self.torch.randperm(len(X)), batch_size)

    def infer(self, X):
        with self.torch.no_grad():
            return self.torch.softmax(self.model(X), dim=1)

    def reset_optimizer(self):
        self.optimizer = self.torch.optim.SGD(self.model.parameters(), lr=LEARNING_RATE)


class Sklearn:
    """scikit-learn's MLPClassifier with plain SGD (no momentum, no L2), one partial_fit per step."""

    def __init__(self, sizes):
        from sklearn.neural_network import MLPClassifier
        self.model = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="sgd",
                                   learning_rate_init=LEARNING_RATE, momentum=0.0, alpha=0.0,
                                   shuffle=True, random_state=0)
        self.params = initial_params(sizes)
        self.classes = np.arange(sizes[-1])

    def data(self, X, y):
        return np.asarray(X, np.float32), np.asarray(y)

    def _start(self, X, y):
        if not hasattr(self.model, "coefs_"):
            self.model.partial_fit(X[:1], y[:1], classes=self.classes)
            self.model.coefs_ = [np.array(W, np.float64).T.copy() for W, _ in self.params]
            self.model.intercepts_ = [np.array(b, np.float64) for _, b in self.params]

    def step(self, batch):
        X, y = batch
        self._start(X, y)
        self.model.batch_size = len(X)
        self.model.partial_fit(X, y)

    def epoch(self, X, y, batch_size):
        self._start(X, y)
        self.model.batch_size = batch_size
        self.model.partial_fit(X, y)

    def infer(self, X):
        return self.model.predict_proba(X)

    def reset_optimizer(self):
        pass


CONTENDERS = {"fastnet float32": lambda sizes: Library(fastnet, sizes, dtype="float32"),
              "fastnet float64": lambda sizes: Library(fastnet, sizes, dtype="float64"),
              "NumPy textbook loop": TextbookNumpy, "NumPy loop, in place": InPlaceNumpy,
              "PyTorch": Torch, "scikit-learn": Sklearn,
              "floor: NumPy's matrix products": Floor,
              "floor: PyTorch's matrix products": TorchFloor}
NEEDS = {"PyTorch": ("torch", "pip install torch==2.13.0"),
         "floor: PyTorch's matrix products": ("torch", "pip install torch==2.13.0"),
         "scikit-learn": ("sklearn", "pip install scikit-learn")}


def unavailable(label):
    """None if the contender can run here, else why not."""
    if label in NEEDS:
        module, how = NEEDS[label]
        try:
            importlib.import_module(module)
        except ImportError:
            return f"not installed ({how})"
    return None
