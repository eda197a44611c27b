"""The data set cache: one file per data set, in the user's cache folder.

The file uses the model file's layout (purenet.modelfile) with four U8 tensors, so it is compact
(about 55 MB for MNIST), checksummed, and written atomically: a crash or a failed download never
leaves a half-written cache behind.

Folder: $PURENET_CACHE, else $XDG_CACHE_HOME/purenet, else ~/.cache/purenet.
"""
from __future__ import annotations

import os

from .. import modelfile
from ..errors import DataError
from .dataset import PIXELS, Dataset


def folder():
    if os.environ.get("PURENET_CACHE"):
        return os.environ["PURENET_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "purenet")


def path_for(name):
    return os.path.join(folder(), f"{name}.safetensors")


def save(path, dataset):
    """Write a data set to `path` atomically (creating the folder if needed)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tensors = {}
    for split in ("train", "test"):
        images, labels = getattr(dataset, f"{split}_images"), getattr(dataset, f"{split}_labels")
        if labels is not None:
            n = len(labels)
            tensors[f"{split}.images"] = ("U8", (n, 28, 28), images)
            tensors[f"{split}.labels"] = ("U8", (n,), labels)
    metadata = {"kind": "dataset", "name": dataset.name, "source": dataset.source,
                "verified": dataset.verified}
    modelfile.save(path, metadata, tensors, what="data set cache")


def load(path):
    """Read a cache file -> Dataset; DataError if it is damaged or not a data set."""
    try:
        metadata, tensors = modelfile.load(path, what="data set cache")
    except modelfile.ModelFileError as error:
        raise DataError(str(error)) from None
    if metadata.get("kind") != "dataset" or "train.images" not in tensors or "train.labels" not in tensors:
        raise DataError(f"{path!r} is a model file, not a data set cache")
    values = {}
    for split in ("train", "test"):
        for part in ("images", "labels"):
            entry = tensors.get(f"{split}.{part}")
            if entry is not None and entry[0] != "U8":
                raise DataError(f"{path!r}: {split}.{part} holds {entry[0]}, expected U8 pixels")
            values[f"{split}_{part}"] = None if entry is None else entry[2]
    for split in ("train", "test"):
        entry = tensors.get(f"{split}.images")
        if entry is not None and entry[1][1:] != (28, 28):
            raise DataError(f"{path!r}: {split} images are {entry[1][1:]}, expected 28x28 = {PIXELS} pixels")
    source = str(metadata.get("source", path))
    return Dataset(str(metadata.get("name", "mnist")), source=f"{source}, cached in {path}",
                   verified=bool(metadata.get("verified")), **values)
