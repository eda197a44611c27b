"""Learning-rate schedules: the factor the initial learning rate is multiplied by in each epoch.

    StepDecay(step_size, gamma)   factor = gamma ** (epoch // step_size)
    CosineDecay(min_factor)       factor = min + (1 - min) * (1 + cos(pi * epoch / epochs)) / 2

Epochs count from 0, so the first epoch always runs at the initial rate. fastnet uses these too.
"""
from __future__ import annotations

import math

from . import checks


class Constant:
    def factor(self, epoch, epochs):
        return 1.0

    def __repr__(self):
        return "Constant()"


class StepDecay:
    """Multiply the learning rate by gamma every step_size epochs."""

    def __init__(self, step_size=5, gamma=0.5):
        self.step_size = checks.check_int("step_size", step_size)
        self.gamma = checks.check_float("gamma", gamma, low=0.0, high=1.0, low_open=True)

    def factor(self, epoch, epochs):
        return self.gamma ** (epoch // self.step_size)

    def __repr__(self):
        return f"StepDecay(step_size={self.step_size}, gamma={self.gamma})"


class CosineDecay:
    """Lower the learning rate along half a cosine, from the initial rate towards min_factor times it."""

    def __init__(self, min_factor=0.0):
        self.min_factor = checks.check_float("min_factor", min_factor, low=0.0, high=1.0)

    def factor(self, epoch, epochs):
        return self.min_factor + (1.0 - self.min_factor) * (1.0 + math.cos(math.pi * epoch / epochs)) / 2.0

    def __repr__(self):
        return f"CosineDecay(min_factor={self.min_factor})"


SCHEDULES = {"constant": Constant, "step": StepDecay, "cosine": CosineDecay}


def get(schedule):
    """None, a name (constant | step | cosine) or a schedule object -> a schedule object."""
    if schedule is None:
        return Constant()
    if isinstance(schedule, str):
        return SCHEDULES[checks.check_choice("schedule", schedule, tuple(SCHEDULES))]()
    checks.check_not_a_class("schedule", schedule)
    if not callable(getattr(schedule, "factor", None)):
        raise ValueError(f"schedule must be None, one of {', '.join(SCHEDULES)}, or an object with "
                         f"a factor(epoch, epochs) method; got {schedule!r}")
    return schedule
