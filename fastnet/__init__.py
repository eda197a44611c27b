"""fastnet: purenet's API on batched NumPy matrices, for training on real data.

    >>> import fastnet as nn
    >>> net = nn.Network([784, 128, 10], seed=0)   # float32 unless dtype="float64"

Models saved by fastnet load into purenet and back (see purenet.modelfile).
"""
from purenet.errors import DataError, MissingDependency, ModelFileError, TrainingDiverged

try:
    import numpy  # noqa: F401
except ImportError:  # say what to do instead of failing deep inside a module
    raise MissingDependency("fastnet needs NumPy: pip install 'purenet[fast]' (in a checkout: "
                            "pip install -e '.[fast]'); purenet works without it") from None

from purenet.metrics import Evaluation
from purenet.schedules import CosineDecay, StepDecay

from . import datasets, images
from .network import Network
from .optimizers import SGD, Adam

__version__ = "0.1.0"
__all__ = ["Network", "SGD", "Adam", "StepDecay", "CosineDecay", "Evaluation", "datasets", "images",
           "DataError", "ModelFileError", "TrainingDiverged"]
