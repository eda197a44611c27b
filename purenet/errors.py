"""The errors this library raises on purpose, each with a message that says what to do.

`except ValueError` catches every bad argument, bad datum and bad file; TrainingDiverged is an
ArithmeticError and MissingDependency an ImportError.
"""


class ModelFileError(ValueError):
    """A model, checkpoint or cache file that cannot be read or written."""


class DataError(ValueError):
    """A data file that cannot be read, or a data set that cannot be found or verified."""


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite during training."""


class MissingDependency(ImportError):
    """An optional extra (NumPy for fastnet, matplotlib for pictures, Pillow for PNG/JPEG) is
    not installed; the message names the pip command that installs it."""
