"""Argument checking shared by purenet and fastnet.

Every check raises ValueError with a message that names the argument, what it got and what is
allowed, so that both packages fail the same way and a user learns what to change. fastnet
imports this module: there is one copy of each rule and each message.
"""
from __future__ import annotations

import math
import numbers
import warnings

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUTS = ("softmax", "sigmoid", "linear")
LOSSES = ("cross_entropy", "mse")
INITS = ("he", "xavier", "lecun", "uniform", "zeros")

# Which losses make sense after which output activation. cross_entropy after a linear output
# would take the log of values that are not probabilities.
LOSSES_FOR_OUTPUT = {
    "softmax": ("cross_entropy", "mse"),
    "sigmoid": ("cross_entropy", "mse"),
    "linear": ("mse",),
}


def check_choice(argument, value, allowed):
    """Return `value` if it is one of `allowed`, else raise ValueError listing the choices."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{argument}={value!r} is not known; choose one of: {', '.join(allowed)}"
        )
    return value


def check_int(argument, value, minimum=1):
    """Return `value` if it is a whole number >= minimum (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{argument} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{argument} must be at least {minimum}, got {value!r}")
    return int(value)


def check_bool(argument, value):
    """Return `value` as a bool if it is True or False (or 1, 0, a NumPy bool). Anything else is
    refused rather than taken by its truth, which would read the string "false" as True."""
    try:
        is_yes_or_no = not isinstance(value, (str, bytes, float)) and value in (True, False)
    except ValueError:  # an array of several values has no single truth
        is_yes_or_no = False
    if not is_yes_or_no:
        raise ValueError(f"{argument} must be True or False, got {shown(value)}")
    return bool(value)


def check_not_a_class(argument, value):
    """Refuse a class where an object made from it belongs: SGD rather than SGD(), whose methods
    exist on the class too and would fail later, deep inside, for want of its settings."""
    if isinstance(value, type):
        name = value.__name__
        raise ValueError(f"{argument}={name} is the class itself; give one made from it, such as {name}()")
    return value


def check_float(argument, value, low=None, high=None, low_open=False, high_open=False):
    """Return `value` as a float if it is a finite number within the given bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{argument} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{argument} must be finite, got {value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{argument} must be {_bounds(low, high, low_open, high_open)}, got {value!r}")
    return value


def check_dropout(dropout, sizes):
    """The probability of dropping a hidden neuron, for a network that has hidden neurons."""
    dropout = check_float("dropout", dropout, low=0.0, high=1.0, high_open=True)
    if dropout and len(sizes) < 3:
        raise ValueError(f"dropout={dropout:g} drops hidden neurons, and the network {sizes} has no hidden "
                         f"layer; give it one (such as [{sizes[0]}, 128, {sizes[-1]}]), or leave dropout at 0")
    return dropout


def _bounds(low, high, low_open, high_open):
    """The allowed range in words: 'in [0, 1)' for two bounds, 'greater than 0' for one."""
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"greater than {low:g}" if low_open else f"at least {low:g}"
    return f"less than {high:g}" if high_open else f"at most {high:g}"


def check_sizes(sizes):
    """Layer sizes: a list of at least two whole numbers >= 1 (inputs, hidden..., outputs)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise ValueError(f"sizes must be a list of layer sizes such as [784, 128, 10], got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two entries (inputs and outputs), got {list(sizes)!r}"
        )
    return [check_int(f"sizes[{k}]", size) for k, size in enumerate(sizes)]


def check_network(sizes, activation, output, loss, init):
    """Check the arguments of Network(...) and return them normalised.

    init=None picks the initialisation that suits the hidden activation: "he" for the relu
    family, "xavier" for the others.
    """
    sizes = check_sizes(sizes)
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("output", output, OUTPUTS)
    check_choice("loss", loss, LOSSES)
    if init is None:
        init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    check_choice("init", init, INITS)
    if loss not in LOSSES_FOR_OUTPUT[output]:
        fits = " or ".join(LOSSES_FOR_OUTPUT[output])
        raise ValueError(
            f"loss={loss!r} does not fit output={output!r}: use loss={fits!r}"
            if len(LOSSES_FOR_OUTPUT[output]) == 1
            else f"loss={loss!r} does not fit output={output!r}; use one of {fits}"
        )
    if output == "softmax" and sizes[-1] < 2:
        raise ValueError(
            "output='softmax' needs at least 2 output neurons (a single softmax output is "
            "always 1); use output='sigmoid' for a yes/no answer"
        )
    return sizes, init


def check_seed(seed):
    """A seed is None (fresh randomness) or a whole number >= 0."""
    if seed is None:
        return None
    return check_int("seed", seed, minimum=0)


def check_sgd(lr, momentum, nesterov):
    """SGD's settings -> (lr, momentum, nesterov): lr > 0, momentum in [0, 1), and Nesterov's
    look-ahead only with some momentum to look ahead with."""
    lr = check_float("lr", lr, low=0.0, low_open=True)
    momentum = check_float("momentum", momentum, low=0.0, high=1.0, high_open=True)
    nesterov = check_bool("nesterov", nesterov)
    if nesterov and momentum == 0.0:
        raise ValueError("nesterov=True needs a momentum above 0, e.g. momentum=0.9")
    return lr, momentum, nesterov


def check_adam(lr, beta1, beta2, eps):
    """Adam's settings -> (lr, beta1, beta2, eps): lr > 0, the decay rates in [0, 1), eps > 0."""
    return (check_float("lr", lr, low=0.0, low_open=True),
            check_float("beta1", beta1, low=0.0, high=1.0, high_open=True),
            check_float("beta2", beta2, low=0.0, high=1.0, high_open=True),
            check_float("eps", eps, low=0.0, low_open=True))


# Messages about data, raised by each package's own (list or array) checks.

def not_a_batch_error(X):
    return ValueError(f"X must be a list of samples (lists of numbers), got {type(X).__name__}{_batch_hint(X, 'X')}")


def _batch_hint(value, name):
    """The call that makes a batch of `value`, for the containers that have one."""
    if hasattr(value, "toarray"):  # a sparse matrix (SciPy's)
        return f"; give {name}.toarray()"
    if hasattr(value, "__next__"):  # a generator or another iterator: read once, and of no length
        return f"; give list({name})"
    return ""


def nested_samples_error(n_inputs):
    return ValueError(
        f"X: each sample must be one flat row of {n_inputs} numbers, but its samples are nested (images "
        f"as grids?); flatten each one, e.g. X.reshape(len(X), -1) in NumPy"
    )


def not_targets_error(Y):
    return ValueError(f"Y must be a list of labels or target rows, got {type(Y).__name__}{_batch_hint(Y, 'Y')}")


def too_large_error(sample, value, name="X"):
    return ValueError(f"{name}: sample {sample} holds {shown(value)}, too large for a float")


def empty_batch_error(name="X"):
    return ValueError(f"{name} is empty: give at least one sample")


def counted(n, noun):
    """'1 value', '2 values'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def width_error(sample, got, expected, name="X", rows=None):
    """rows: how many rows the batch has, when all are `got` values wide (None otherwise), which
    tells two layouts apart: `expected` rows, one sample per column (as in notebooks that keep each
    sample as a column vector), or rows that hold `expected` values in all, one sample laid out as
    a grid (a single 28 x 28 image, say)."""
    hint = ""
    if rows == expected:
        hint = (f"; {name} has {counted(expected, 'row')} of {counted(got, 'value')}: one sample per column? "
                f"give it transposed ({name}.T in NumPy)")
    elif rows is not None and 1 < rows < expected and rows * got == expected:
        hint = (f"; {name} has {counted(rows, 'row')} of {counted(got, 'value')}, {expected} in all: one "
                f"sample as a grid, such as an image? flatten it into one row ({name}.reshape(1, -1) in NumPy)")
    return ValueError(
        f"{name}: sample {sample} has {counted(got, 'value')}, expected {expected} "
        f"(one per input of the network){hint}"
    )


SCALE_OR_FLOAT64 = "scale it, or make the network with dtype='float64'"


def beyond_range(value, dtype, largest, remedy=SCALE_OR_FLOAT64):
    """Words for a finite number that the network's dtype cannot hold (fastnet's float32 holds up
    to 3.4e38: a cast would make it an infinity), and what to do about it."""
    return f"{shown(value)}, beyond {dtype}'s range (at most {largest:.3g}); {remedy}"


def not_finite_error(sample, name="X"):
    return ValueError(
        f"{name}: sample {sample} contains NaN or infinity; clean or drop that sample"
    )


def shown(value, width=40):
    """repr(value), cut to `width` characters: a message names a value, it does not print a book."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def not_a_number_error(sample, value, name="X"):
    return ValueError(f"{name}: sample {sample} holds {shown(value)}, which is not a number")


def row_error(sample, value, expected, name="X"):
    return ValueError(f"{name}: sample {sample} is {shown(value)}, expected a list of {expected} numbers")


def count_error(n_x, n_y):
    return ValueError(
        f"X has {counted(n_x, 'sample')} but Y has {n_y}; give one label or target row per sample"
    )


def label_error(sample, label, n_classes):
    top = 1 if n_classes == 1 else n_classes - 1
    return ValueError(
        f"Y: sample {sample} has label {shown(label)}, expected a whole number in 0..{top}"
    )


def yes_or_no_labels_error(sample, label, n_classes):
    # in range, yet most likely not meant: the answers of a yes-or-no question, such as y == 7
    return ValueError(
        f"Y: sample {sample} has label {label}: True and False name two classes, and this network "
        f"has {n_classes} outputs; give labels 0..{n_classes - 1}, or train a network with one sigmoid "
        f"output (or two outputs) to answer yes or no"
    )


def not_a_probability_error(sample, output, target):
    return ValueError(
        f"Y: sample {sample} has target {shown(target)} for output {output}, outside 0..1: cross-entropy "
        f"compares probabilities; scale the targets into 0..1, or, for other numbers, use output='linear' "
        f"with loss='mse'"
    )


def target_width_error(sample, got, expected):
    # the first row holding one value: most likely labels shaped as a column, (n, 1)
    hint = ("; labels in a column? give them flat: a list, y.ravel() in NumPy or y.iloc[:, 0] in pandas"
            if sample == 0 and got == 1 else ", or give integer class labels")
    return ValueError(
        f"Y: sample {sample} has a target row of {counted(got, 'value')}, expected {expected} "
        f"(one per output neuron){hint}"
    )


# He and Xavier initialisation (weights of about 1/sqrt(n_in)) give z = sum_i w_i x_i + b a spread
# of about the inputs' root mean square: inputs of about unit size give z of about unit size, where
# the activations bend. Above this, the inputs are far from it: raw pixels (0..255) have about 80,
# pixels / 255 about 0.3, standardised inputs 1.
LARGE_INPUTS = 10.0
# How many samples the inputs' scale is read from: enough to see it, few enough to cost nothing.
SCALE_SAMPLES = 32


def warn_if_large(scale, what, stacklevel):
    """Warn when data are far from unit size, such as raw pixel values or prices in dollars.
    scale: (root mean square, largest magnitude, n samples), from inputs.input_scale; what: one of
    LARGE_DATA_ADVICE, "training inputs" (which the network then learns little from), "inputs" to
    answer for (for which a network trained on scaled inputs answers nonsense) or "training
    targets" (which it learns slowly); stacklevel: 1 for the caller's line. -> whether it warned."""
    rms, largest, n = scale
    large = rms > LARGE_INPUTS
    if large:
        warnings.warn(large_data_warning(what, rms, largest, n), UserWarning, stacklevel=stacklevel + 1)
    return large


# Targets: a network's outputs start near 0, and an Adam step moves them by about the learning
# rate; mse's gradient grows with the targets, so plain SGD's steps grow with them too. Targets with
# a root mean square of 24 were fitted to within 0.93 of their standard deviation where the same
# targets standardised were fitted to within 0.30 (a 3-16-1 tanh network, Adam, 20 epochs of 2,000
# samples).
LARGE_DATA_ADVICE = {
    "training inputs": (
        "inputs this large saturate sigmoid and tanh neurons and blow up relu's sums, so the network "
        "learns slowly or not at all. Scale them to about unit size: divide pixel values by 255 "
        "(load_mnist's are in 0..1), or standardise each input (subtract its mean, divide by its "
        "standard deviation)"),
    "inputs": (
        "a network learns from inputs of about unit size, and answers well only for inputs scaled as "
        "its training inputs were. Scale these the same way: divide pixel values by 255 (load_mnist's "
        "are in 0..1, read_digit's in 0..255), or standardise each input with the training inputs' "
        "means and standard deviations"),
    "training targets": (
        "a network's outputs start near 0 and its gradients grow with the targets, so it learns them "
        "slowly or its loss blows up. Standardise them: subtract their mean and divide by their "
        "standard deviation, then undo that on the answers (times the standard deviation, plus the "
        "mean)"),
}


def large_data_warning(what, rms, largest, n):
    name = "Y" if what == "training targets" else "X"
    return (f"{name}: the {what} are large (root mean square {rms:.3g}, largest {largest:.4g}, over the "
            f"first {counted(n, 'sample')}): {LARGE_DATA_ADVICE[what]}")


def params_error(message):
    return ValueError(f"set_params: {message}")
