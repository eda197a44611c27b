"""Reproducible randomness for training, identical in purenet and fastnet.

Dropout needs one random number per (step, layer, sample, neuron), and shuffling one per
(epoch, sample). Drawing them in a fixed order would tie fastnet to a Python loop, so each
number is instead a hash of its coordinates (SplitMix64, a counter-based generator). fastnet
computes the same hash on arrays of counters and gets the same bits, so the same order of
samples and the same dropped neurons.
"""
from __future__ import annotations

try:  # PyPy's arithmetic on machine words, which wraps modulo 2^64 as C's does
    from __pypy__.intop import int_add, int_mul, uint_rshift
except ImportError:
    int_add = int_mul = uint_rshift = None

MASK64 = (1 << 64) - 1
SIGN_BIT = 1 << 63
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
    """A neuron is kept when the top 53 bits of its hash are below this."""
    return int(keep * (1 << 53))


def dropout_scales(seed, step, layer, sample, n_neurons, keep):
    """Inverted dropout for one sample of one hidden layer: n_neurons factors, each 1/keep
    (kept, with probability keep) or 0.0 (dropped), so that the expected activation is unchanged.
    Neuron j of sample s uses counter s * n_neurons + j."""
    key = stream_key(seed, step, layer)
    threshold = keep_threshold(keep)
    scale = 1.0 / keep
    first = sample * n_neurons
    return [
        scale if (splitmix64(key ^ (first + j)) >> 11) < threshold else 0.0
        for j in range(n_neurons)
    ]


SHUFFLE = 1 << 63  # keeps the shuffling keys apart from the dropout keys (layer numbers)


def shuffle_key(seed, epoch):
    return stream_key(seed, epoch, SHUFFLE)


def permutation(seed, epoch, n):
    """The order in which the n training samples are visited in this epoch: sample i gets the
    sort key splitmix64(key ^ i). SplitMix64 is a bijection, so the keys never tie."""
    key = shuffle_key(seed, epoch)
    if int_mul is not None:
        return permutation_in_words(key, n)
    return sorted(range(n), key=lambda i: splitmix64(key ^ i))


# On PyPy, a number above 2^63 is a big integer, and the hashes above make three or four of them
# each: shuffling 60,000 samples took 130-170 ms, 5-8% of a PyPy epoch of 784-32-10. The same
# bits as signed machine words, sorted as plain numbers, take 20-40 ms.

def as_word(x):
    """A 64-bit unsigned integer -> the signed 64-bit word with the same bits."""
    return x - (1 << 64) if x >= SIGN_BIT else x


def splitmix64_word(x):
    """splitmix64 on a signed 64-bit word, in wrapping arithmetic: the same bits, as a word."""
    x = int_add(x, as_word(GOLDEN))
    x = int_mul(x ^ uint_rshift(x, 30), as_word(MIX1))
    x = int_mul(x ^ uint_rshift(x, 27), as_word(MIX2))
    return x ^ uint_rshift(x, 31)


def permutation_in_words(key, n):
    """permutation(), computed in machine words (PyPy's intop)."""
    word = as_word(key)
    # ^ -2^63 flips the sign bit, so that the signed words sort as the unsigned keys do
    keys = [splitmix64_word(word ^ i) ^ -SIGN_BIT for i in range(n)]
    sample = {k: i for i, k in enumerate(keys)}  # a sort by key function is slower on PyPy
    return [sample[k] for k in sorted(keys)]
