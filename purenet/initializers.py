"""Initial weights, drawn the same way by purenet and fastnet.

Both packages call `initial_weights` with a `random.Random(seed)` and draw layer after layer,
row after row, so the same seed gives the same float64 parameters to the bit in both. Biases
start at zero.

    he       w ~ Normal(0, sd = sqrt(2 / n_in))              keeps relu activations' variance
    xavier   w ~ Uniform(-r, r), r = sqrt(6 / (n_in + n_out)) (Glorot) for sigmoid, tanh
    lecun    w ~ Normal(0, sd = sqrt(1 / n_in))
    uniform  w ~ Uniform(-r, r), r = 1 / sqrt(n_in)            (PyTorch's nn.Linear default)
    zeros    w = 0: every neuron of a layer stays identical, so it learns nothing useful
"""
from __future__ import annotations

import math
import random
import warnings


def initial_weights(init, n_in, n_out, rng):
    """n_out * n_in weights for one layer, row by row (row j: the neuron j's incoming weights)."""
    count = n_in * n_out
    if init == "zeros":
        return [0.0] * count
    if init in ("he", "lecun"):
        sd = math.sqrt((2.0 if init == "he" else 1.0) / n_in)
        gauss = rng.gauss
        return [gauss(0.0, sd) for _ in range(count)]
    r = math.sqrt(6.0 / (n_in + n_out)) if init == "xavier" else 1.0 / math.sqrt(n_in)
    uniform = rng.uniform
    return [uniform(-r, r) for _ in range(count)]


def layer_weights(sizes, init, seed):
    """Flat weight lists for every layer of a network with these sizes."""
    if init == "zeros":
        warnings.warn(
            "init='zeros' makes every neuron of a layer identical, so they all learn the same "
            "thing; use 'he' (relu) or 'xavier' (sigmoid, tanh) to break the symmetry",
            UserWarning,
            stacklevel=3,
        )
    rng = random.Random(seed)
    return [initial_weights(init, n_in, n_out, rng) for n_in, n_out in zip(sizes, sizes[1:])]
