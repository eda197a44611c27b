"""purenet.rng's dropout numbers for a whole batch at once (the same SplitMix64 hash on arrays).

The keys come from purenet.rng itself; the per-sample and per-neuron hashes are vectorised here.
uint64 arithmetic on arrays wraps modulo 2^64, as the `& MASK64` does there.
"""
from __future__ import annotations

import numpy as np

from purenet.rng import GOLDEN, MIX1, MIX2, keep_threshold, shuffle_key, stream_key

__all__ = ["dropout_scales", "permutation", "splitmix64"]


def splitmix64(x, out=None):
    """purenet.rng.splitmix64 on a uint64 array, into `out` (which may be x itself)."""
    out = np.add(x, np.uint64(GOLDEN), out=out)
    shifted = np.empty_like(out)
    for shift, factor in ((30, MIX1), (27, MIX2)):
        out ^= np.right_shift(out, np.uint64(shift), out=shifted)
        out *= np.uint64(factor)
    out ^= np.right_shift(out, np.uint64(31), out=shifted)
    return out


def dropout_scales(seed, step, layer, n_samples, n_neurons, keep, dtype):
    """(n_samples, n_neurons) factors, 1/keep or 0: purenet.rng.dropout_scales for every sample.

    Laid out column by column (order "F"), as fastnet's hidden layers are, which is the order of
    purenet's counters (neuron j of sample s: j * n_samples + s): NumPy multiplies two arrays fast
    only if their elements lie in the same order."""
    size = n_samples * n_neurons
    key = np.uint64(stream_key(seed, step, layer))
    counters = np.arange((size + 1) // 2, dtype=np.uint64)
    counters ^= key
    hashes = splitmix64(counters, out=counters)
    # counter 2i takes the low half of hash i, 2i + 1 the high half: little-endian 32-bit halves
    numbers = hashes.astype("<u8", copy=False).view("<u4")[:size]
    kept = numbers < keep_threshold(keep)
    return np.multiply(kept, np.dtype(dtype).type(1.0 / keep)).reshape(n_neurons, n_samples).T


def permutation(seed, epoch, n):
    """purenet.rng.permutation as an (n,) index array: the same numbers, sorted by NumPy."""
    key = np.uint64(shuffle_key(seed, epoch))
    b = n.bit_length()
    i = np.arange(n, dtype=np.uint64)
    ranked = np.sort((splitmix64(key ^ i) >> np.uint64(b + 1)) << np.uint64(b) | i)
    low_bits = np.uint64((1 << b) - 1)
    return (ranked & low_bits).astype(np.intp)
