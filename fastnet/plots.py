"""Pictures of training and of what a network learned, as PNG files (matplotlib, Agg backend).

    history_curves(net.history, "history.png")        loss and accuracy per epoch
    confusion_heatmap(result.confusion, "confusion.png")
    misclassified_gallery(X, y, predicted, "wrong.png")
    probability_bars(probabilities, "bars.png", image=x)
    first_layer_weights(W, "weights.png")             each hidden neuron's 784 weights as 28x28

Every function takes plain lists or NumPy arrays (from purenet or fastnet alike), writes the
file atomically and returns a Picture(path, data): `data` is what was drawn, for checking.
matplotlib (which needs NumPy, hence this module's place in fastnet) is an optional extra:
pip install 'purenet[plot]'.
"""
from __future__ import annotations

import io
from collections import namedtuple
from itertools import islice

from purenet import modelfile
from purenet.errors import MissingDependency
from purenet.training import History

Picture = namedtuple("Picture", "path data")
SIDE = 28
DPI = 100  # pixels per inch of every picture; the sizes below are in pixels


def pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependency("pictures need matplotlib: pip install 'purenet[plot]' "
                                "(or pip install matplotlib)") from None
    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt
    return plt


def inches(width, height):
    """matplotlib's figsize for a picture of width x height pixels. A quarter of a pixel over, as
    matplotlib truncates the size in pixels, and its older versions even 719.99... pixels (1.2 * 6
    inches at 100 dpi) to 719."""
    return (width + 0.25) / DPI, (height + 0.25) / DPI


def save(figure, path):
    """Render to memory, then replace `path` in one step: never a half-written PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    pyplot().close(figure)
    modelfile.write_atomically(path, [buffer.getvalue()], what="picture")
    return path


def _rows(values, what, limit=None):
    """A matrix (lists or an array) -> rows of floats, the first `limit` of them if given; `what`
    names it in the error."""
    try:
        return [[float(v) for v in row] for row in islice(values, limit)]
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a matrix of numbers (rows of equal length)") from None


def _square(pixels, what="an image"):
    """784 values -> 28 rows of 28."""
    values = _rows([pixels], what)[0]
    if len(values) != SIDE * SIDE:
        raise ValueError(f"{what} has {len(values)} values; a picture of a digit needs {SIDE * SIDE} (28x28)")
    return [values[r * SIDE:(r + 1) * SIDE] for r in range(SIDE)]


def _history(history):
    """A History (or its to_dict() form) with at least one epoch."""
    if isinstance(history, dict):
        history = History.from_dict(history)
    if not isinstance(history, History) or not history.epochs:
        raise ValueError(f"history_curves needs the History of a fit with at least one epoch (what fit "
                         f"returns, or net.history after it), got {history!r}")
    return history


def history_curves(history, path):
    """Loss and accuracy of each epoch, training and validation, side by side (the loss alone
    for targets that name no classes, which have no accuracy)."""
    history = _history(history)
    plt = pyplot()
    names = ["loss"] + (["accuracy"] if any(v is not None for v in history.accuracy) else [])
    figure, panels = plt.subplots(1, len(names), figsize=inches(500 * len(names), 400), squeeze=False)
    epochs = list(range(1, history.epochs + 1))
    drawn = {}
    for axes, name in zip(panels[0], names):
        for prefix, label in (("", "training"), ("val_", "validation")):
            values = getattr(history, prefix + name)
            if any(v is not None for v in values):
                points = [(e, v) for e, v in zip(epochs, values) if v is not None]
                axes.plot([e for e, _ in points], [v for _, v in points], marker="o", label=label)
                drawn[prefix + name] = [v for _, v in points]
        axes.set(xlabel="epoch", ylabel=name, title=name)
        axes.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole: no tick at 1.25
        axes.grid(alpha=0.3)
        axes.legend()
    figure.tight_layout()
    return Picture(save(figure, path), drawn)


def confusion_heatmap(confusion, path, classes=None):
    """The confusion matrix (rows: true class, columns: predicted) as a heat map with counts."""
    if confusion is None:  # Evaluation.confusion of targets that name no classes
        raise ValueError("confusion is None: the evaluation was of targets that name no classes, such as a "
                         "regression's, which has no confusion matrix")
    matrix = [[int(v) for v in row] for row in _rows(confusion, "confusion")]
    n = len(matrix)
    if not n or any(len(row) != n for row in matrix):
        raise ValueError(f"confusion must be a square matrix of counts, a row per true class and a column per "
                         f"predicted one; got rows of {sorted({len(row) for row in matrix})} for {n} classes")
    plt = pyplot()
    classes = [str(c) for c in (classes or range(n))]
    figure, axes = plt.subplots(figsize=inches(100 + 60 * n, 80 + 55 * n))
    image = axes.imshow(matrix, cmap="Blues")
    biggest = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            axes.text(j, i, str(count), ha="center", va="center", fontsize=8,
                      color="white" if count > biggest / 2 else "black")
    axes.set(xticks=range(n), yticks=range(n), xlabel="predicted", ylabel="true", title="confusion matrix")
    long_names = max(len(c) for c in classes) > 2
    axes.set_xticklabels(classes, rotation=45 if long_names else 0, ha="right" if long_names else "center")
    axes.set_yticklabels(classes)
    figure.colorbar(image, ax=axes)
    figure.tight_layout()
    drawn = [[int(v) for v in row] for row in image.get_array()]
    return Picture(save(figure, path), drawn)


def misclassified_gallery(images, labels, predictions, path, classes=None, limit=36):
    """The first `limit` images whose prediction is wrong, titled 'true -> predicted'."""
    if not len(images) == len(labels) == len(predictions):
        raise ValueError(f"misclassified_gallery got {len(images)} images, {len(labels)} labels and "
                         f"{len(predictions)} predictions: give one label and one prediction per image")
    every_wrong = [k for k, (y, p) in enumerate(zip(labels, predictions)) if int(y) != int(p)]
    wrong = every_wrong[:limit]
    squares = [_square(images[k], f"image {k}") for k in wrong]
    plt = pyplot()
    columns = 6
    n_rows = max(1, -(-len(wrong) // columns))
    figure, grid = plt.subplots(n_rows, columns, figsize=inches(160 * columns, 180 * n_rows), squeeze=False)
    name = (lambda c: str(classes[c])[:12]) if classes else str  # "T-shirt/top -> Ankle boot" fits
    for cell, axes in enumerate(ax for row in grid for ax in row):
        axes.axis("off")
        if cell < len(wrong):
            k = wrong[cell]
            axes.imshow(squares[cell], cmap="gray")
            axes.set_title(f"{name(int(labels[k]))} -> {name(int(predictions[k]))}", fontsize=8, color="darkred")
    if not wrong:
        grid[0][0].text(0, 0.5, "no misclassified images", fontsize=10)
    shown = f"the first {len(wrong)} of {len(every_wrong)}" if len(wrong) < len(every_wrong) else f"all {len(wrong)}"
    figure.suptitle(f"{shown} misclassified of {len(labels)} (true -> predicted)")
    figure.tight_layout()
    return Picture(save(figure, path), [(k, int(labels[k]), int(predictions[k])) for k in wrong])


def probability_bars(probabilities, path, classes=None, image=None, are_probabilities=True):
    """One prediction: the image it saw (if given) and a bar per class (with
    are_probabilities=False, a linear output layer's values, on an axis that fits them)."""
    values = _rows([probabilities], "probabilities")[0]
    n = len(values)
    square = _square(image, "image") if image is not None else None
    plt = pyplot()
    width = 800 if image is not None else 500
    figure, axes_list = plt.subplots(1, 2 if image is not None else 1, figsize=inches(width, 320), squeeze=False)
    axes_list = axes_list[0]
    if image is not None:
        axes_list[0].imshow(square, cmap="gray")
        axes_list[0].axis("off")
    bars = axes_list[-1]
    best = max(range(n), key=values.__getitem__)
    bars.bar(range(n), values, color=["tab:orange" if j == best else "tab:blue" for j in range(n)])
    value = f"{values[best]:.1%}" if are_probabilities else f"output {values[best]:.3f}"
    bars.set(xticks=range(n), ylabel="probability" if are_probabilities else "output",
             title=f"prediction: {classes[best] if classes else best} ({value})")
    if are_probabilities:
        bars.set(ylim=(0, 1))
    if classes and max(len(str(c)) for c in classes) > 2:
        bars.set_xticklabels([str(c) for c in classes], rotation=45, ha="right")
    figure.tight_layout()
    return Picture(save(figure, path), values)


def first_layer_weights(weights, path, limit=64, neurons="hidden neurons"):
    """The incoming weights of the first `limit` neurons of the first layer, each drawn as a
    28x28 image (red positive, blue negative): the patterns the first layer looks for. Without a
    hidden layer they are the output neurons' (neurons="output neurons"), one template per class."""
    rows = _rows(weights, "first-layer weights", limit)  # not the thousands a first layer may have
    if not rows or len(rows[0]) != SIDE * SIDE:
        raise ValueError(f"first-layer weights must have {SIDE * SIDE} inputs (28x28 images), got "
                         f"{len(rows[0]) if rows else 'none'}")
    squares = [_square(row, f"the row of weights of neuron {j}") for j, row in enumerate(rows)]
    plt = pyplot()
    columns = min(8, len(rows))
    n_rows = -(-len(rows) // columns)
    figure, grid = plt.subplots(n_rows, columns, figsize=inches(120 * columns, 120 * n_rows + 40), squeeze=False)
    for cell, axes in enumerate(ax for row in grid for ax in row):
        axes.axis("off")
        if cell < len(rows):
            bound = max(abs(v) for v in rows[cell]) or 1.0
            axes.imshow(squares[cell], cmap="seismic", vmin=-bound, vmax=bound)
    figure.suptitle(f"first-layer weights of {len(rows)} {neurons}")
    figure.tight_layout()
    return Picture(save(figure, path), len(rows))
