"""Turning what a user passes as X and Y into checked arrays (see purenet/inputs.py).

X becomes an (n, n_in) array of the network's dtype (a single sample becomes one row); Y becomes
(T, labels): T an (n, n_out) array of target rows, labels an (n,) int array. The checks and their
messages are purenet's, done on whole arrays at once.
"""
from __future__ import annotations

import math

import numpy as np

from purenet import checks
from purenet.inputs import (as_float, as_label, is_batch, is_flat, is_number, is_regression, is_yes_or_no,
                            rows_of_one_width, targets_name_classes)

NUMBER_KINDS = "biuf"  # booleans count as 0 and 1, as in purenet


def _array(values, name, width):
    """np.asarray that reports ragged rows and non-numbers the way purenet does."""
    try:
        array = np.asarray(values)
    except (ValueError, TypeError):
        array = None
    if array is None or array.dtype.kind not in NUMBER_KINDS:
        _explain(values, name, width)
        array = np.asarray(values, dtype=np.float64)  # numbers of other types, such as Fractions
    return array


def _explain(values, name, width):
    """Find the first bad row or value in what NumPy could not turn into numbers, by purenet's
    rules; return if there is none (numbers all, of types NumPy keeps as objects)."""
    if isinstance(values, np.ndarray) and values.ndim > 0:
        values = values.tolist()  # an array of bools or strings: checked as the same lists would be
    rows = values if isinstance(values, (list, tuple)) else [values]
    if name == "X" and len(rows) > 0 and is_number(rows[0]):
        rows = [rows]  # a single sample
    for k, row in enumerate(rows):
        if np.ndim(row) == 0 or isinstance(row, (str, bytes)):
            if name == "Y":  # a label
                as_label(row, k, width)
                continue
            raise checks.row_error(k, row, width, name)
        row = list(row)
        if len(row) != width:
            if name == "Y":
                raise checks.target_width_error(k, len(row), width)
            raise checks.width_error(k, len(row), width, rows=rows_of_one_width(rows))
        for value in row:
            as_float(value, k, name)


def _first_bad_row(bad_mask):
    return int(np.flatnonzero(bad_mask)[0])


def cast(values, dtype):
    """values (an array of numbers) as a C-contiguous array of `dtype`. A finite number beyond the
    dtype's range (float32 holds up to 3.4e38) becomes an infinity, quietly: the caller's check
    of finiteness finds it and says what it was (see first_beyond_range)."""
    if values.dtype.kind == "f" and values.dtype.itemsize > np.dtype(dtype).itemsize:  # float64 to float32
        with np.errstate(over="ignore"):  # 2 us: only for the casts that can overflow
            return np.ascontiguousarray(values, dtype=dtype)
    return np.ascontiguousarray(values, dtype=dtype)


def first_beyond_range(values, cast_values, remedy=checks.SCALE_OR_FLOAT64):
    """(index, words) for the first finite number of `values` that cast_values, their cast to the
    network's dtype, holds as an infinity: its index (a tuple) and what to say of it and do about
    it; None if the cast made no infinity (any there was in the values themselves)."""
    made = ~np.isfinite(cast_values) & np.isfinite(values)
    if not made.any():
        return None
    index = np.unravel_index(int(np.flatnonzero(made)[0]), made.shape)
    dtype = cast_values.dtype
    return index, checks.beyond_range(values[index].item(), dtype.name, float(np.finfo(dtype).max), remedy)


def _bad_row_error(source, cast_rows, k, name):
    """The error for row k of cast_rows (source cast to the network's dtype), which is not finite:
    a number the cast could not hold, or NaN or infinity in the data itself."""
    found = first_beyond_range(source[k], cast_rows[k])
    if found is None:
        return checks.not_finite_error(k, name)
    return ValueError(f"{name}: sample {k} holds {found[1]}")


def as_samples(X, n_inputs, dtype):
    """X -> an (n, n_inputs) array of `dtype`; copies only when the type or layout differ."""
    if not is_batch(X) or getattr(X, "ndim", 1) == 0:
        raise checks.not_a_batch_error(X)
    X = _array(X, "X", n_inputs)
    if X.shape[0] == 0:
        raise checks.empty_batch_error()
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2:
        raise checks.nested_samples_error(n_inputs)
    if X.shape[1] != n_inputs:
        raise checks.width_error(0, X.shape[1], n_inputs, rows=X.shape[0])
    # rows contiguous: training gathers each batch row by row, which from a column-major array
    # (pandas' .values often is one) took over a hundred times as long
    source, X = X, cast(X, dtype)
    # A NaN or infinity makes its row's sum non-finite: one pass, with the BLAS summing the rows
    # (X @ ones) on every core; the full search only then, since finite rows may overflow. (inf and
    # -inf in one row sum to NaN, and huge rows overflow: the ValueError says so, not a warning.)
    with np.errstate(invalid="ignore", over="ignore"):
        sums = X @ np.ones(n_inputs, X.dtype)
    if not np.isfinite(sums).all():
        bad = ~np.isfinite(X).all(axis=1)
        if bad.any():
            raise _bad_row_error(source, X, _first_bad_row(bad), "X")
    return X


def input_scale(samples):
    """(root mean square, largest magnitude, n) of the inputs of the first checks.SCALE_SAMPLES
    samples of a checked array, as purenet.inputs.input_scale (the largest always: the sum of
    squares is taken of x / largest)."""
    rows = samples[:checks.SCALE_SAMPLES]
    largest = float(np.abs(rows).max())
    # the mean square of x / largest (each at most 1 in size), which no dtype's square overflows
    scaled = rows / largest if largest else rows
    return largest * math.sqrt(float(np.vdot(scaled, scaled)) / scaled.size), largest, len(rows)


def one_hot(labels, n_outputs, dtype):
    if n_outputs == 1:
        return labels.astype(dtype).reshape(-1, 1)
    T = np.zeros((len(labels), n_outputs), dtype=dtype)
    T[np.arange(len(labels)), labels] = 1.0
    return T


def as_labels(Y, n_outputs):
    """An (n,) array of class labels -> int64 labels, checked against the classes."""
    classes = 2 if n_outputs == 1 else n_outputs
    if Y.dtype.kind == "b" and classes > 2:  # True and False name two classes (see purenet's as_label)
        raise checks.yes_or_no_labels_error(0, bool(Y[0]), n_outputs)
    if Y.dtype.kind == "f":
        whole = np.isfinite(Y) & (Y == np.round(Y))
        if not whole.all():
            bad = _first_bad_row(~whole)
            raise checks.label_error(bad, Y[bad].item(), n_outputs)
    outside = (Y < 0) | (Y >= classes)
    if outside.any():
        bad = _first_bad_row(outside)
        raise checks.label_error(bad, Y[bad].item(), n_outputs)
    return Y.astype(np.int64)


def _refuse_yes_or_no(labels, n_outputs):
    """NumPy turns [0, True] into the integers [0, 1]: look for True and False among the labels
    themselves, which purenet refuses for more than two classes (see as_labels). The set of types
    first: 1 ms for 60,000."""
    if n_outputs > 2 and not set(map(type, labels)).isdisjoint((bool, np.bool_)):
        k = next(k for k, label in enumerate(labels) if is_yes_or_no(label))
        raise checks.yes_or_no_labels_error(k, labels[k], n_outputs)


def as_targets(Y, n_samples, n_outputs, dtype, single=False, output="softmax", loss="cross_entropy"):
    """Y -> (T, labels): target rows (n, n_outputs) of `dtype` and class labels (n,), or None
    when the rows name no classes (see purenet.inputs.targets_name_classes)."""
    if not (single or is_number(Y) or is_batch(Y)):
        raise checks.not_targets_error(Y)
    regression = is_regression(output, n_outputs)
    if regression and isinstance(Y, (list, tuple)) and len(Y) > 0 and is_flat(Y):
        Y = [[y] for y in Y]  # a regression's targets, one number per sample: rows of one, as purenet's
    given, Y = Y, _array(Y, "Y", n_outputs)
    if single or Y.ndim == 0:
        Y = Y.reshape(1, *Y.shape)
    if Y.shape[0] == 0:
        raise checks.empty_batch_error("Y")
    if Y.shape[0] != n_samples:
        raise checks.count_error(n_samples, Y.shape[0])
    if Y.ndim == 1 and regression:
        Y = Y.reshape(-1, 1)  # an array of them
    if Y.ndim == 1:
        if isinstance(given, (list, tuple)):
            _refuse_yes_or_no(given, n_outputs)
        labels = as_labels(Y, n_outputs)
        return one_hot(labels, n_outputs, dtype), labels
    if Y.ndim != 2:
        raise ValueError(f"Y must be labels (1 dimension) or target rows (2), got {Y.ndim} dimensions")
    if Y.shape[1] != n_outputs:
        raise checks.target_width_error(0, Y.shape[1], n_outputs)
    T = cast(Y, dtype)  # rows contiguous, as X's
    if not np.isfinite(T).all():
        raise _bad_row_error(Y, T, _first_bad_row(~np.isfinite(T).all(axis=1)), "Y")
    if loss == "cross_entropy" and (Y.min() < 0 or Y.max() > 1):  # see purenet's check_probabilities
        k, j = np.argwhere((Y < 0) | (Y > 1))[0]  # the numbers given, as purenet sees them
        raise checks.not_a_probability_error(int(k), int(j), Y[k, j].item())
    if not (targets_name_classes(output, n_outputs) or is_one_hot(T)):
        return T, None
    return T, row_labels(T)


def is_one_hot(T):
    """Each row a 1 among 0s (for one output: 0 or 1), as purenet.inputs.is_one_hot."""
    binary = bool(((T == 0) | (T == 1)).all())
    return binary and (T.shape[1] == 1 or bool((T.sum(axis=1) == 1).all()))


def row_labels(rows):
    """The class of each output or target row: its largest entry (or > 0.5 for one column)."""
    if rows.shape[1] == 1:
        return (rows[:, 0] > 0.5).astype(np.int64)
    return rows.argmax(axis=1)
