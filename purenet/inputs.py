"""Turning what a user passes as X and Y into checked lists of floats.

A batch X is a list of samples, each a list of n_in numbers; a single sample (a flat list of
numbers) is accepted as a batch of one. Y is a list of integer class labels or a list of target
rows of n_out numbers; for a single sample, one label or one row. Labels become one-hot rows here
and nowhere else (for one sigmoid output, label 0 or 1 becomes the row [0.0] or [1.0]). With one
linear output, a regression's, Y may also give one target number per sample, which becomes a row
of one.
"""
from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Sequence

from . import checks

PYPY = sys.implementation.name == "pypy"


def is_number(value):
    """A real number. True and False count as 1 and 0 (binarised pixels, yes-or-no labels), as in
    Python's own sums."""
    if type(value) in (float, int):  # the common case, without the slower ABC check
        return True
    return isinstance(value, numbers.Real) or is_yes_or_no(value)


def is_yes_or_no(value):
    """True or False, Python's or NumPy's (whose bool is not one of Python's numbers)."""
    if type(value) in (bool, int, float):  # the common cases, without the look for a dtype
        return type(value) is bool
    return getattr(value, "ndim", None) == 0 and getattr(getattr(value, "dtype", None), "kind", None) == "b"


def is_batch(values):
    """A list, a tuple or another sequence, or an array: something whose items are samples in
    order. Not a string, a dict, a set or an iterator."""
    if isinstance(values, (str, bytes)):
        return False
    return isinstance(values, Sequence) or hasattr(values, "__array__") or hasattr(values, "tolist")


def as_list(values):
    """An array from fastnet or NumPy, or a pandas table -> the same as (nested) lists of Python
    numbers; anything else as it is."""
    if hasattr(values, "tolist"):
        return values.tolist()
    if hasattr(values, "__array__"):  # a pandas DataFrame, which has no tolist: its rows
        return values.__array__().tolist()
    return values


def input_scale(samples):
    """(root mean square, largest magnitude, n) of the inputs of the first checks.SCALE_SAMPLES
    checked samples: raw pixels give about 80, pixels / 255 about 0.3 (see checks.warn_if_large).
    The largest is None when the root mean square is not large: it costs four times as much."""
    rows = as_list(samples[:checks.SCALE_SAMPLES])  # a NumPy array's as Python floats
    rms = norm(rows) / math.sqrt(len(rows) * len(rows[0]))
    largest = max(max(map(abs, row)) for row in rows) if rms > checks.LARGE_INPUTS else None
    return rms, largest, len(rows)


def norm(rows):
    """sqrt(sum of every x^2) over rows of numbers."""
    if PYPY:  # PyPy compiles this loop, and takes 25 times as long over hypot's 784 arguments
        total = 0.0
        try:
            for row in rows:
                for x in row:
                    total += x * x
        except OverflowError:  # the square of a whole number beyond a float's range
            total = math.inf
        if total < math.inf:
            return math.sqrt(total)
    # hypot, in C, neither overflows on the way (purenet keeps whole numbers as ints, whose
    # squares can be beyond a float's range) nor rounds much
    return math.hypot(*[math.hypot(*row) for row in rows])


def as_float(value, k, name):
    """One value of a sample -> float, or the error that says what is wrong with it."""
    if not is_number(value):
        raise checks.not_a_number_error(k, value, name)
    try:
        return float(value)
    except OverflowError:  # an int beyond float's range
        raise checks.too_large_error(k, value, name) from None


def sum_is_finite(row):
    """One sum checks a whole row of numbers at C speed: True if every value is a float or an int
    (a bool counts as an int) and none is NaN or infinite; False if some value is NaN or infinite,
    or if huge values overflow, which a second look must tell apart; None if some value is of
    another type, to be looked at value by value."""
    try:
        total = sum(row)
        return math.isfinite(total) if type(total) in (float, int) else None
    except (TypeError, OverflowError):
        return None


def _floats(row, k, width, name, error_for_width):
    """One row of numbers, checked for width, type and finiteness (a list is kept, not copied)."""
    if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
        raise checks.row_error(k, row, width, name)
    if len(row) != width:
        raise error_for_width(k, len(row), width)
    finite = sum_is_finite(row)
    if finite is None:
        row = [as_float(value, k, name) for value in row]
        finite = all(map(math.isfinite, row))
    if not finite and not all(map(math.isfinite, row)):
        raise checks.not_finite_error(k, name)
    return row if type(row) is list else list(row)


def is_single_sample(X):
    """Whether X (a list) is one sample, a flat row of numbers, rather than a batch of them."""
    return len(X) > 0 and is_number(X[0])


def _is_nested(X):
    """Samples that are grids, such as images not yet flattened into rows."""
    first = X[0]
    return is_batch(first) and len(first) > 0 and is_batch(first[0]) and not is_number(first[0])


def as_samples(X, n_inputs):
    """X -> a list of samples, each a list of n_inputs floats."""
    if not is_batch(X):
        raise checks.not_a_batch_error(X)
    X = as_list(X)
    if len(X) == 0:
        raise checks.empty_batch_error()
    if is_single_sample(X):
        X = [X]
    elif _is_nested(X):
        raise checks.nested_samples_error(n_inputs)

    def wrong_width(k, got, expected):  # only when a row is wrong: the layout is looked at then
        return checks.width_error(k, got, expected, rows=rows_of_one_width(X))

    return [_floats(x, k, n_inputs, "X", wrong_width) for k, x in enumerate(X)]


def rows_of_one_width(X):
    """How many rows X has, if all are sequences of one length; else None (see checks.width_error)."""
    widths = {len(x) if hasattr(x, "__len__") else None for x in X}
    return len(X) if len(widths) == 1 and None not in widths else None


def as_label(y, k, n_outputs):
    """A class label -> int, checked against the number of classes. True and False are the labels
    1 and 0 of a network with two classes (as in `net.fit(X, y == 7)`)."""
    classes = 2 if n_outputs == 1 else n_outputs
    # in range before int(y): NaN fails the comparison, and int() of infinity would raise
    if not is_number(y) or not 0 <= y < classes or y != int(y):
        raise checks.label_error(k, y, n_outputs)
    if classes > 2 and is_yes_or_no(y):
        raise checks.yes_or_no_labels_error(k, y, n_outputs)
    return int(y)


def one_hot(label, n_outputs):
    if n_outputs == 1:
        return [float(label)]
    row = [0.0] * n_outputs
    row[label] = 1.0
    return row


def as_targets(Y, n_samples, n_outputs, single=False, output="softmax", loss="cross_entropy"):
    """Y -> (target rows, class labels): one row of n_outputs floats and one label per sample.

    For target rows, the label is the index of the largest target (0 or 1 for one output); the
    labels are None when the rows name no classes (see targets_name_classes), as in a regression.
    """
    Y = as_list(Y)
    if single or is_number(Y):
        Y = [Y]
    if not is_batch(Y):
        raise checks.not_targets_error(Y)
    if len(Y) == 0:
        raise checks.empty_batch_error("Y")
    if len(Y) != n_samples:
        raise checks.count_error(n_samples, len(Y))
    if is_flat(Y):
        if not is_regression(output, n_outputs):
            labels = [as_label(y, k, n_outputs) for k, y in enumerate(Y)]
            return [one_hot(label, n_outputs) for label in labels], labels
        Y = [[y] for y in Y]  # a regression's targets, one number per sample: rows of one
    rows = [_floats(row, k, n_outputs, "Y", checks.target_width_error) for k, row in enumerate(Y)]
    if loss == "cross_entropy":
        check_probabilities(rows)
    if not (targets_name_classes(output, n_outputs) or is_one_hot(rows)):
        return rows, None
    return rows, [row_label(row) for row in rows]


def check_probabilities(rows):
    """Cross-entropy's targets are probabilities, 0..1. Beyond them its loss has no least value:
    with a target of 2, softplus(z) - 2 z falls without end as z grows, and training diverges."""
    for k, row in enumerate(rows):
        if not (0.0 <= min(row) and max(row) <= 1.0):
            j = next(j for j, t in enumerate(row) if not 0.0 <= t <= 1.0)
            raise checks.not_a_probability_error(k, j, row[j])


def is_flat(Y):
    """Whether Y (a list, not empty) gives one number per sample, not rows: labels, or a
    regression's targets."""
    return not hasattr(Y[0], "__len__") or isinstance(Y[0], (str, bytes))


def is_regression(output, n_outputs):
    """One linear output: Y may then give one number per sample, as a regression's targets (labels 0
    and 1 are the same rows, [0.0] and [1.0])."""
    return output == "linear" and n_outputs == 1


def targets_name_classes(output, n_outputs):
    """Whether every target row names a class, whatever its numbers: softmax's rows are
    distributions over the classes, one sigmoid's value is the probability of class 1. Other
    rows (a linear output's, several sigmoids') name one only when they are one-hot."""
    return output == "softmax" or (output == "sigmoid" and n_outputs == 1)


def is_one_hot(rows):
    """Each row a 1.0 among 0.0s (for one output: 0.0 or 1.0)."""
    return all(set(row) <= {0.0, 1.0} and (len(row) == 1 or sum(row) == 1.0) for row in rows)


def row_label(row):
    """The class a row of outputs or targets stands for: its largest entry (or > 0.5 for one)."""
    if len(row) == 1:
        return 1 if row[0] > 0.5 else 0
    return max(range(len(row)), key=row.__getitem__)
