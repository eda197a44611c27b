"""The training loop, shared by purenet and fastnet: epochs of mini-batch gradient descent.

Each epoch visits the training samples in the order rng.permutation(seed, epoch, n) gives, in
batches; for each batch the network fills its gradients (Network.backprop) and the optimizer
takes a step. The same seed therefore gives the same batches, the same dropout and so the same
trajectory in both packages. Only six things differ between them, and the Network classes
provide them: checking the data (_check), the scale of its inputs (_input_scale), the shuffled
order of the samples (_order), taking rows by index (_take), counting correct answers
(_count_correct) and, as the fit ends, letting go of the arrays it kept from step to step
(_drop_step_arrays). The rows of many batches are taken at once and each batch is a slice of them
(see batches). Without shuffling the order is range(n), and each take is a slice of consecutive
rows, which neither package copies; so is a full batch's, shuffled or not.

    batch_size = 1             online (stochastic) gradient descent
    batch_size = n (or "all")  full-batch gradient descent
    anything between           mini-batch gradient descent
"""
from __future__ import annotations

import math
import time

from . import checks, modelfile, schedules
from .errors import TrainingDiverged
from .progress import ProgressBar


class History:
    """Per-epoch records of a fit: loss, accuracy, val_loss, val_accuracy, lr, seconds."""

    FIELDS = ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds")

    def __init__(self):
        for field in self.FIELDS:
            setattr(self, field, [])
        self.best_epoch = None      # 0-based epoch of the lowest monitored loss
        self.stopped_early = False

    @property
    def epochs(self):
        return len(self.loss)

    def record(self, **values):
        for field in self.FIELDS:
            getattr(self, field).append(values.get(field))

    def to_dict(self):
        state = {field: getattr(self, field) for field in self.FIELDS}
        state.update(best_epoch=self.best_epoch, stopped_early=self.stopped_early)
        return state

    @classmethod
    def from_dict(cls, state):
        history = cls()
        for field in cls.FIELDS:
            setattr(history, field, list(state.get(field, [])))
        history.best_epoch = state.get("best_epoch")
        history.stopped_early = bool(state.get("stopped_early"))
        return history

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4f}" if self.loss else ""
        if self.val_loss and self.val_loss[-1] is not None:
            last += f", val_loss {self.val_loss[-1]:.4f}"
        return f"History({checks.counted(self.epochs, 'epoch')}{last})"


def get_optimizer(optimizer, net):
    """None -> the network's optimizer from its last fit, or Adam() for its first; a name -> that
    optimizer with its defaults; an optimizer -> itself, if it can train `net`."""
    package_optimizers = net.optimizer_classes
    if optimizer is None:
        return net.optimizer if net.optimizer is not None else package_optimizers["adam"]()
    if isinstance(optimizer, str):
        return package_optimizers[checks.check_choice("optimizer", optimizer, tuple(package_optimizers))]()
    checks.check_not_a_class("optimizer", optimizer)
    if not callable(getattr(optimizer, "step", None)):
        raise ValueError(f"optimizer must be 'sgd', 'adam' or an optimizer such as SGD(lr=0.1); got {optimizer!r}")
    # the sibling package's optimizers update the sibling's layers (lists of neurons, or matrices)
    own = package_optimizers["sgd"].__module__.split(".")[0]
    other = type(optimizer).__module__.split(".")[0]
    if other in ("purenet", "fastnet") and other != own:
        name = type(optimizer).__name__
        raise ValueError(f"optimizer is {other}.{name}, which updates {other}'s layers; give this {own} "
                         f"network {own}.{name} with the same settings")
    # its velocities or moments, from an earlier fit, are shaped like the network it trained
    state = getattr(optimizer, "state", None)
    if state:
        weights = [weight for weight, _ in modelfile.layer_shapes(net.sizes)]
        if len(state) % len(weights) or [_shape(W) for W, _ in state] != weights * (len(state) // len(weights)):
            raise ValueError(f"optimizer {optimizer!r} has trained a network of other sizes and keeps its "
                             f"velocities or moments; give this network ({net.sizes}) an optimizer of its own")
    return optimizer


def _shape(matrix):
    """(rows, columns) of a NumPy array or a list of lists."""
    shape = getattr(matrix, "shape", None)
    return tuple(shape) if shape is not None else (len(matrix), len(matrix[0]) if matrix else 0)


def split_validation(net, X, Y, validation_data, validation_split):
    """-> (X, T, labels) for training and (Xv, Tv, labels_v) or None for validation.

    validation_split takes the last fraction of the samples, before any shuffling (as Keras)."""
    X, T, labels = net._check(X, Y)
    n = len(T)
    if validation_data is not None:
        if validation_split:
            raise ValueError("give validation_data or validation_split, not both")
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise ValueError("validation_data must be a pair (X_val, Y_val)")
        try:
            return (X, T, labels), net._check(*validation_data)
        except ValueError as error:  # say which data: the message alone reads as the training data's
            raise type(error)(f"validation_data: {error}") from None
    split = checks.check_float("validation_split", validation_split, low=0.0, high=1.0, high_open=True)
    n_val = int(round(n * split))
    if split and not 1 <= n_val < n:
        raise ValueError(f"validation_split={split} leaves {n - n_val} of {n} samples for training "
                         f"and {n_val} for validation; both need at least one")
    if not n_val:
        return (X, T, labels), None
    cut = n - n_val  # slices: views of NumPy arrays, no copy of the data
    if labels is None:  # targets that name no classes
        return (X[:cut], T[:cut], None), (X[cut:], T[cut:], None)
    return (X[:cut], T[:cut], labels[:cut]), (X[cut:], T[cut:], labels[cut:])


def check_batch_size(batch_size, n):
    if batch_size is None or batch_size == "all":
        return n
    if isinstance(batch_size, str):
        raise ValueError(f"batch_size must be a whole number, or 'all' for full-batch descent; got {batch_size!r}")
    return min(checks.check_int("batch_size", batch_size), n)


def take(net, rows, indices, slot=0):
    """rows[indices]: a slice when the indices are a range (consecutive rows, no copy), else the
    network's gather (slot: which of the arrays of a take these rows are, see batches)."""
    if isinstance(indices, range):
        return rows[indices.start:indices.stop]
    return net._take(rows, indices, slot)


# How many inputs a take gathers at once (16 MB of float32): see batches.
GATHERED_NUMBERS = 1 << 22


def rows_per_take(batch_size, n_inputs):
    """Whole batches, as many as hold about GATHERED_NUMBERS inputs (at least one)."""
    return batch_size * max(1, GATHERED_NUMBERS // (batch_size * n_inputs))


def batches(net, arrays, order, batch_size):
    """For each batch of the samples in `order`, its rows of each of `arrays` (a list).

    The rows of many batches are taken at once, as many as hold about GATHERED_NUMBERS inputs,
    one take per array, and each batch is a slice of them (a view, for NumPy arrays). fastnet's
    epochs so took 0.90-0.98x the time of a gather per batch while the machine was busy, and
    about the same while it was quiet (see docs/speed.md). A batch lasts until the next is asked
    for: fastnet gathers every take into the same arrays."""
    per_take = rows_per_take(batch_size, net.sizes[0])
    for first in range(0, len(order), per_take):
        rows = order[first:first + per_take]
        taken = [take(net, array, rows, slot) for slot, array in enumerate(arrays)]
        for start in range(0, len(rows), batch_size):
            yield [t[start:start + batch_size] for t in taken]


def fit(net, X, Y, epochs=10, batch_size=32, optimizer=None, validation_data=None,
        validation_split=0.0, shuffle=True, seed=None, schedule=None, patience=None,
        verbose=False, on_epoch_end=None, initial_epoch=0, history=None, best_params=None):
    """Train `net` and return its History (see Network.fit for the arguments)."""
    epochs = checks.check_int("epochs", epochs)
    initial_epoch = checks.check_int("initial_epoch", initial_epoch, minimum=0)
    seed = checks.check_seed(seed if seed is not None else (net.seed or 0))
    patience = None if patience is None else checks.check_int("patience", patience)
    shuffle, verbose = checks.check_bool("shuffle", shuffle), checks.check_bool("verbose", verbose)
    if on_epoch_end is not None and not callable(on_epoch_end):
        raise ValueError(f"on_epoch_end must be a function, called as on_epoch_end(epoch, history, optimizer, "
                         f"best_params) after each epoch; got {on_epoch_end!r}")
    optimizer = get_optimizer(optimizer, net)
    schedule = schedules.get(schedule)
    (X, T, labels), validation = split_validation(net, X, Y, validation_data, validation_split)
    checks.warn_if_large(net._input_scale(X), "training inputs", stacklevel=3)  # fit <- Network.fit <- user
    checks.warn_if_large(net._input_scale(T), "training targets", stacklevel=3)
    n = len(T)
    batch_size = check_batch_size(batch_size, n)
    n_batches = -(-n // batch_size)
    history = history or History()
    net.history, net.optimizer = history, optimizer
    # A schedule scales the rate the optimizer had as the run began (initial_lr, as PyTorch's do).
    # A rate set since the last fit (opt.lr = 0.01 between fits) is the new start; the rate that
    # the last fit's schedule left behind is not.
    if not hasattr(optimizer, "initial_lr") or optimizer.lr != getattr(optimizer, "scheduled_lr", optimizer.lr):
        optimizer.initial_lr = optimizer.lr
    best_loss = min((v for v in (history.val_loss if validation else history.loss) if v is not None),
                    default=math.inf)
    # The shuffle and dropout of an epoch follow from the seed and the epoch's place in the
    # network's training, which goes on from its earlier fits: fit(epochs=1) called three times
    # visits the samples in three orders, as fit(epochs=3) does, not in one order three times.
    # A run resumed with initial_epoch = k (a network loaded from a checkpoint) takes up at k.
    first_place = max(initial_epoch, net._epochs_fitted)

    for epoch in range(initial_epoch, epochs):
        started = time.perf_counter()
        place = first_place + epoch - initial_epoch
        optimizer.lr = optimizer.scheduled_lr = optimizer.initial_lr * schedule.factor(epoch, epochs)
        # one batch of every sample has the same gradient in any order (to rounding): it is taken
        # as it lies, with no gather (a copy of the whole training set each epoch)
        order = net._order(seed, place, n) if shuffle and batch_size < n else range(n)
        bar = ProgressBar(n_batches, f"epoch {epoch + 1}/{epochs}") if verbose else None
        loss, accuracy = train_epoch(net, optimizer, [X, T, labels], order, batch_size,
                                     epoch=epoch, place=place, seed=seed, bar=bar,
                                     first=epoch == initial_epoch)
        record = {"loss": loss, "accuracy": accuracy, "lr": optimizer.lr}
        if validation:
            val = net._evaluate_checked(*validation)
            record.update(val_loss=val.loss, val_accuracy=val.accuracy)
        record["seconds"] = time.perf_counter() - started
        history.record(**record)
        net._epochs_fitted = place + 1
        if bar:
            bar.close(**{k: v for k, v in record.items() if k not in ("lr", "seconds")})
        monitored = record["val_loss"] if validation else record["loss"]
        if monitored < best_loss:
            best_loss, history.best_epoch = monitored, epoch
            if patience is not None:
                best_params = net.get_params()
        stop = patience is not None and epoch - (history.best_epoch or 0) >= patience
        if on_epoch_end is not None:
            on_epoch_end(epoch, history, optimizer, best_params)
        if stop:
            history.stopped_early = True
            break
    if patience is not None and best_params is not None:
        net.set_params(best_params)  # early stopping keeps the best epoch's parameters
    return history


def train_epoch(net, optimizer, data, order, batch_size, *, epoch, place, seed, bar=None, first=False):
    """One pass over the samples in `order`, in batches: for each, the network's gradients
    (backprop) and a step of the optimizer. -> (mean loss, accuracy) over the pass; the
    accuracy is None when there are no labels (targets that name no classes).

    data: [X, T, labels or None], as checked by the network. epoch: the epoch's index from 0, which
    a diverged loss's message gives; place: its place in the network's training, which with the
    seed picks each batch's dropout. bar: a ProgressBar to update after each batch, or None.
    first: whether this is the first epoch of a fit (its first batch comes before any step).
    """
    n_batches = -(-len(order) // batch_size)
    arrays = data if data[2] is not None else data[:2]  # a regression's targets name no classes
    total_loss, correct, seen = 0.0, 0, 0
    for b, (X_batch, T_batch, *batch_labels) in enumerate(batches(net, arrays, order, batch_size)):
        loss, outputs = net.backprop(X_batch, T_batch, dropout_step=place * n_batches + b, dropout_seed=seed)
        if not math.isfinite(loss):
            raise diverged(loss, optimizer.lr, epoch, b, n_batches, before_any_step=first and b == 0)
        optimizer.step(net.layers)
        total_loss += loss * len(T_batch)
        seen += len(T_batch)
        if batch_labels:
            correct += net._count_correct(outputs, batch_labels[0])
        accuracy = correct / seen if batch_labels else None
        if bar:
            bar.update(b + 1, loss=total_loss / seen, accuracy=accuracy)
    return total_loss / seen, accuracy


def diverged(loss, lr, epoch, batch, n_batches, before_any_step):
    """The TrainingDiverged for a loss that is NaN or infinite at this epoch and batch (from 0)."""
    if before_any_step:  # not the rate: nothing has stepped yet (a fit that diverged leaves such weights)
        return TrainingDiverged(
            f"the loss is {loss} on the first batch, before any training step: the network's weights, the "
            f"inputs or the targets are too large to compute with; scale the inputs and targets, or start "
            f"from a new network (a fit that diverged leaves weights this large)")
    return TrainingDiverged(
        f"the loss became {loss} at epoch {epoch + 1}, batch {batch + 1} of {n_batches}: the learning "
        f"rate {lr:g} is too high for this network; try {lr / 10:g}, on a new network (the steps so far "
        f"have made this one's weights too large to train on)")


class Trainable:
    """Network.fit for both packages' Network classes, and the look at the scale of the inputs
    that their predict, predict_proba and evaluate take."""

    history = None  # the History of the last fit; None before any
    optimizer = None  # the optimizer of the last fit, which a fit given none goes on with
    _epochs_fitted = 0  # epochs trained by fit on this object (see fit: each shuffles anew)
    _warned_of_large_inputs = False  # by predict, predict_proba or evaluate (see _look_at_scale)

    def fit(self, X, Y, epochs=10, batch_size=32, optimizer=None, validation_data=None,
            validation_split=0.0, shuffle=True, seed=None, schedule=None, patience=None,
            verbose=False, on_epoch_end=None, initial_epoch=0, history=None, best_params=None):
        """Train by mini-batch gradient descent and return the History.

        Args:
            X, Y: training samples and their labels (or target rows).
            epochs: passes over the training data.
            batch_size: samples per step; 1 is online descent, None or "all" full-batch.
            optimizer: SGD(...), Adam(...), or "sgd" / "adam" with their defaults (a new one);
                None goes on with the optimizer of the last fit (net.optimizer), or Adam() at first.
            validation_data: (X_val, Y_val), evaluated after each epoch; or
            validation_split: the fraction of X, Y (the last samples) to hold out instead.
            shuffle: visit the samples in a new order each epoch (driven by seed); a later fit
                goes on to new orders and dropout, as one longer fit would. A full batch is
                never shuffled: its gradient is the same in any order, to rounding.
            seed: shuffling and dropout seed (None: the network's seed, or 0).
            schedule: learning-rate schedule: None, "step", "cosine", StepDecay(...), CosineDecay(...).
            patience: stop after this many epochs without a lower validation loss (training loss
                without validation) and keep the best epoch's parameters; None never stops early.
            verbose: show a progress bar with loss and accuracy on stderr.
            on_epoch_end: called as on_epoch_end(epoch, history, optimizer, best_params).
            initial_epoch, history, best_params: continue an earlier run (as a checkpoint does).

        Inputs far from unit size, such as raw pixel values 0..255, train without an error but
        slowly or not at all: fit warns of them (UserWarning; see checks.warn_if_large), and of
        such targets (a regression's in dollars, say).
        """
        try:
            return fit(self, X, Y, epochs=epochs, batch_size=batch_size, optimizer=optimizer,
                       validation_data=validation_data, validation_split=validation_split,
                       shuffle=shuffle, seed=seed, schedule=schedule, patience=patience,
                       verbose=verbose, on_epoch_end=on_epoch_end, initial_epoch=initial_epoch,
                       history=history, best_params=best_params)
        finally:
            self._drop_step_arrays()  # however the fit ends: a trained network is its parameters

    def _look_at_scale(self, samples, stacklevel):
        """Warn when the checked inputs to answer for are far from unit size (see
        checks.warn_if_large): once a network, as a loop that predicts sample by sample would
        otherwise warn of each sample anew."""
        if not self._warned_of_large_inputs:
            scale = self._input_scale(samples)
            self._warned_of_large_inputs = checks.warn_if_large(scale, "inputs", stacklevel=stacklevel + 1)
