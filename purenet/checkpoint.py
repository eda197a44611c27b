"""Checkpoints: a model file plus what training needs to continue exactly where it stopped.

A checkpoint is a model file (Network.load reads it as a model) with, in addition:

    optimizer.state.K.weight/bias   the optimizer's per-parameter state (velocities, moments)
    best.K.weight/bias              the best epoch's parameters, when early stopping is on
    metadata                        kind = "checkpoint", the optimizer's settings and step count,
                                    the History so far, and the training settings

Because shuffling and dropout are functions of (seed, epoch, step), resuming from a checkpoint
continues the same trajectory an uninterrupted run would have followed.
"""
from __future__ import annotations

import inspect
import os

from . import modelfile
from .errors import ModelFileError
from .network import load_file
from .training import History


def optimizer_settings(optimizer):
    """The optimizer's name and every plain setting (lr, momentum, t, ...), without its state
    (nor private working arrays)."""
    settings = {key: value for key, value in vars(optimizer).items()
                if key != "state" and not key.startswith("_")}
    settings["name"] = type(optimizer).__name__.lower()
    return settings


def save(path, net, optimizer, history, settings, best_params=None):
    """Write a checkpoint atomically (a crash mid-save leaves the previous one whole)."""
    tensors = net.to_tensors("layers", net.get_params())
    if optimizer.state is not None:
        tensors.update(net.to_tensors("optimizer.state", optimizer.state))
    if best_params is not None:
        tensors.update(net.to_tensors("best", best_params))
    metadata = dict(net.config(), kind="checkpoint", optimizer=optimizer_settings(optimizer),
                    history=history.to_dict(), settings=settings)
    modelfile.save(path, metadata, tensors, what="checkpoint")


def load(package, path):
    """-> (net, optimizer, history, settings, best_params) from a checkpoint."""
    path = os.fspath(path)
    net, metadata, tensors = load_file(package.Network, path)
    if metadata.get("kind") != "checkpoint":
        raise ModelFileError(f"{path!r} is a trained model, not a checkpoint; nothing to resume")
    shapes = modelfile.layer_shapes(net.sizes)
    try:
        settings = dict(metadata["optimizer"])
        cls = package.Network.optimizer_classes[settings.pop("name")]
        accepted = inspect.signature(cls).parameters
        optimizer = cls(**{key: value for key, value in settings.items() if key in accepted})
        for key, value in settings.items():
            if key not in accepted:
                setattr(optimizer, key, value)  # the step count t, initial_lr
        history = History.from_dict(metadata["history"])
        training = dict(metadata["settings"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"{path!r}: the checkpoint's training state is incomplete ({error!r})") from None
    n_state = sum(1 for name in tensors if name.startswith("optimizer.state.") and name.endswith(".weight"))
    if n_state:
        if n_state % len(shapes):
            raise ModelFileError(f"{path!r}: {n_state} optimizer tensors do not fit {len(shapes)} layers")
        state_shapes = shapes * (n_state // len(shapes))
        optimizer.state = net.from_entries(modelfile.pair_entries(tensors, "optimizer.state", state_shapes, path))
    best = None
    if "best.0.weight" in tensors:
        best = net.from_entries(modelfile.pair_entries(tensors, "best", shapes, path))
    return net, optimizer, history, training, best
