"""Reproducible randomness for training, identical in purenet and fastnet.

Dropout needs one random number per (step, layer, sample, neuron), and shuffling one per
(epoch, sample). Drawing them in a fixed order would tie fastnet to a Python loop, so each
number is instead a hash of its coordinates (SplitMix64, a counter-based generator). fastnet
computes the same hash on arrays of counters and gets the same bits, so the same order of
samples and the same dropped neurons.
"""
from __future__ import annotations

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB


def splitmix64(x):
    """Mix a 64-bit integer into a well-spread 64-bit integer."""
    x = (x + GOLDEN) & MASK64
    x = ((x ^ (x >> 30)) * MIX1) & MASK64
    x = ((x ^ (x >> 27)) * MIX2) & MASK64
    return x ^ (x >> 31)


def stream_key(seed, step, layer):
    """A 64-bit key for the dropout numbers of one layer at one training step."""
    return splitmix64(splitmix64(splitmix64(seed & MASK64) ^ step) ^ layer)


def keep_threshold(keep):
    """A neuron is kept when its 32-bit number is below this."""
    return int(keep * (1 << 32))


def dropout_number(key, counter):
    """The 32-bit number of this counter: each hash gives two, the low half of
    splitmix64(key ^ i) to counter 2i and the high half to counter 2i + 1."""
    return (splitmix64(key ^ (counter >> 1)) >> (32 * (counter & 1))) & 0xFFFFFFFF


def dropout_scales(seed, step, layer, sample, n_samples, n_neurons, keep):
    """Inverted dropout for one sample of one hidden layer: n_neurons factors, each 1/keep
    (kept, with probability keep) or 0.0 (dropped), so that the expected activation is unchanged.

    Neuron j of sample s (of the n_samples of a batch) uses counter j * n_samples + s: counted
    neuron by neuron, the numbers of a whole batch come out in the order in which fastnet keeps
    its hidden layers (column by column), two to a hash."""
    key = stream_key(seed, step, layer)
    threshold = keep_threshold(keep)
    scale = 1.0 / keep
    return [
        scale if dropout_number(key, j * n_samples + sample) < threshold else 0.0
        for j in range(n_neurons)
    ]


SHUFFLE = 1 << 63  # keeps the shuffling keys apart from the dropout keys (layer numbers)


def shuffle_key(seed, epoch):
    return stream_key(seed, epoch, SHUFFLE)


def permutation(seed, epoch, n):
    """The order in which the n training samples are visited in this epoch.

    Sample i gets the hash h_i = splitmix64(key ^ i), and the samples are sorted by it. So that
    the sort compares machine integers (PyPy makes a big integer of any number from 2^63 on, and
    sorts those several times slower), each h_i keeps its top 63 - b bits, with i written below
    them (b = the bit length of n): distinct numbers below 2^63, in the order of the h_i. Cut
    hashes that tie (about n^2 / 2^(64 - b) pairs an epoch, 1e-5 for 60,000) are taken in the
    order of i. The low b bits of each sorted number give i back."""
    key = shuffle_key(seed, epoch)
    b = n.bit_length()
    ranked = sorted([(splitmix64(key ^ i) >> (b + 1)) << b | i for i in range(n)])
    low_bits = (1 << b) - 1
    return [r & low_bits for r in ranked]
