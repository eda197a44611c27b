"""purenet: a fully-connected neural network in plain Python, one neuron at a time.

The reference implementation: standard library only, CPython 3.9+ and PyPy. fastnet has the same
API on NumPy matrices; a model saved by one loads into the other.

    >>> import purenet as nn
    >>> net = nn.Network([2, 4, 2], activation="tanh", seed=0)
    >>> net.predict([[0.0, 1.0]])
    [0]
"""
from . import datasets, images
from .errors import DataError, ModelFileError, TrainingDiverged
from .metrics import Evaluation
from .network import Network
from .optimizers import SGD, Adam
from .schedules import CosineDecay, StepDecay

__version__ = "0.1.0"
__all__ = ["Network", "SGD", "Adam", "StepDecay", "CosineDecay", "Evaluation", "datasets", "images",
           "DataError", "ModelFileError", "TrainingDiverged"]
