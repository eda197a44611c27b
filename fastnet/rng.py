"""purenet.rng's dropout numbers for a whole batch at once (the same SplitMix64 hash on arrays).

The keys come from purenet.rng itself; the per-sample and per-neuron hashes are vectorised here.
uint64 arithmetic on arrays wraps modulo 2^64, as the `& MASK64` does there.
"""
from __future__ import annotations

import numpy as np

from purenet.rng import GOLDEN, MIX1, MIX2, keep_threshold, shuffle_key, stream_key

__all__ = ["dropout_scales", "permutation", "splitmix64"]


def splitmix64(x):
    """purenet.rng.splitmix64 on a uint64 array."""
    x = x + np.uint64(GOLDEN)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(MIX1)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(MIX2)
    return x ^ (x >> np.uint64(31))


def dropout_scales(seed, step, layer, n_samples, n_neurons, keep, dtype):
    """(n_samples, n_neurons) factors, 1/keep or 0: purenet.rng.dropout_scales for every sample."""
    counters = np.arange(n_samples * n_neurons, dtype=np.uint64)
    bits = splitmix64(counters ^ np.uint64(stream_key(seed, step, layer))) >> np.uint64(11)
    kept = bits < np.uint64(keep_threshold(keep))
    return (kept * (1.0 / keep)).astype(dtype).reshape(n_samples, n_neurons)


def permutation(seed, epoch, n):
    """purenet.rng.permutation as an (n,) index array: the same numbers, sorted by NumPy."""
    key = np.uint64(shuffle_key(seed, epoch))
    b = n.bit_length()
    i = np.arange(n, dtype=np.uint64)
    ranked = np.sort((splitmix64(key ^ i) >> np.uint64(b + 1)) << np.uint64(b) | i)
    low_bits = np.uint64((1 << b) - 1)
    return (ranked & low_bits).astype(np.intp)
