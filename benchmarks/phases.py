"""Where fastnet's training time goes: one MNIST epoch of fit, timed part by part.

    python benchmarks/phases.py                                # 784-512-512-10, batch 128
    python benchmarks/phases.py --sizes 784 128 10 --batch 32 --repeats 5

The functions a training step calls are wrapped in timers that count their own time only (a
timer stops while a function it calls runs), so the parts add up to the epoch: the matrix
products (every matmul and gemm of fastnet/layers.py), adding the bias, the
activations and their derivatives, softmax with the loss, the bias gradients, the updates,
gathering the batches' rows and counting correct answers. What no timer covers is the Python of
the training loop, the shuffling and the input checks. In the same process and interleaved with it:
the same epoch without timers, and the floor (the epoch's matrix products alone,
contenders.Floor), one right after the other, each first in every second round; their ratio is
the median of the rounds' ratios. A timer costs about half a microsecond a call; the report gives
the epoch's time with and without them.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


import fastnet  # noqa: E402
from contenders import Floor  # noqa: E402
from fastnet import layers, network, optimizers  # noqa: E402
from library import Library  # noqa: E402
from purenet import checks  # noqa: E402
from report import openblas_note  # noqa: E402
import timing  # noqa: E402
from worker import WARM_UP, mnist_or_exit, timed  # noqa: E402

PRODUCTS = "matrix products (forward, delta W, the weight updates)"


class Stopwatch:
    """Own time per part: while a timed function calls another, only the inner one's clock runs."""

    def __init__(self):
        self.own = {}
        self.calls = 0
        self._inner = [0.0]  # per running timer: the time of the timed calls made inside it

    def wrap(self, part, function):
        def timed(*args, **kwargs):
            self._inner.append(0.0)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = self._inner.pop()
                self.own[part] = self.own.get(part, 0.0) + elapsed - inner
                self._inner[-1] += elapsed
                self.calls += 1
        return timed


def instrument(net, watch):
    """Wrap what a step of net.fit calls; returns a function that undoes it."""
    Layer, Network = layers.Layer, network.Network
    patches = [
        (layers, "gemm", watch.wrap(PRODUCTS, layers.gemm)),
        (layers, "matmul", watch.wrap(PRODUCTS, layers.matmul)),
        (Layer, "weighted_input", watch.wrap("adding the bias", Layer.weighted_input)),
        (network, "activate", watch.wrap("hidden activations a = f(z)", network.activate)),
        (net, "_loss", watch.wrap("softmax, cross-entropy and the output delta", net._loss)),
        (Layer, "backward", watch.wrap("bias gradients (column sums of delta)", Layer.backward)),
        (network, "backward", watch.wrap("activation derivatives, delta *= f'(z)", network.backward)),
        (Layer, "grad_weights", property(watch.wrap("the updates besides their products", Layer.grad_weights.fget))),
        (Layer, "add_weight_gradient", watch.wrap("the updates besides their products", Layer.add_weight_gradient)),
        (optimizers.SGD, "step", watch.wrap("the updates besides their products", optimizers.SGD.step)),
        (Network, "_take", watch.wrap("gathering the batches' rows (samples, targets, labels)", Network._take)),
        (Network, "_count_correct", watch.wrap("counting correct answers", Network._count_correct)),
        (Network, "_backprop", watch.wrap("the rest of a step (delta / n, copying the outputs)", Network._backprop)),
    ]
    originals = [(owner, name, owner.__dict__[name]) if name in owner.__dict__ else (owner, name, None)
                 for owner, name, _ in patches]
    for owner, name, replacement in patches:
        if isinstance(owner.__dict__.get(name), staticmethod):
            replacement = staticmethod(replacement)
        setattr(owner, name, replacement)

    def undo():
        for owner, name, original in originals:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
    return undo


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[784, 512, 512, 10], metavar="N",
                        help="layer sizes, 784 inputs and 10 outputs (default: 784 512 512 10)")
    parser.add_argument("--batch", type=int, default=128, help="batch size (default 128)")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats (default 3)")
    args = parser.parse_args(argv)
    try:
        checks.check_network(args.sizes, "relu", "softmax", "cross_entropy", None)
        checks.check_int("--batch", args.batch)
        checks.check_int("--repeats", args.repeats)
    except ValueError as error:
        parser.error(str(error))
    if args.sizes[0] != 784 or args.sizes[-1] != 10:
        parser.error(f"--sizes {' '.join(map(str, args.sizes))}: an MNIST network takes 784 inputs and "
                     f"gives 10 outputs, e.g. --sizes 784 128 10")
    (X, y), _ = mnist_or_exit("phases.py")
    fast, floor = Library(fastnet, args.sizes, dtype="float32"), Floor(args.sizes)  # the benchmark's adapters
    fast.reset_optimizer()
    data = {fast: fast.data(X, y), floor: floor.data(X, y)}
    for adapter, (Xd, Yd) in data.items():  # untimed warm-up, as the benchmark's workers do
        adapter.epoch(Xd[:WARM_UP], None if Yd is None else Yd[:WARM_UP], args.batch)

    plain, timed_epochs, floors, watch = [], [], [], Stopwatch()
    for r in range(args.repeats):
        pair = [(floors, floor), (plain, fast)]
        for times, adapter in pair[::-1] if r % 2 else pair:  # each runs first in half the rounds
            times.append(timed(lambda: adapter.epoch(*data[adapter], args.batch)))
        undo = instrument(fast.net, watch)
        timed_epochs.append(timed(lambda: fast.epoch(*data[fast], args.batch)))
        undo()
    report(args, len(X), watch, plain, timed_epochs, floors)


def report(args, n, watch, plain, timed, floors):
    repeats = len(timed)
    total = sum(timed) / repeats
    parts = {part: seconds / repeats for part, seconds in watch.own.items()}
    parts["the training loop's Python, shuffling, input checks"] = total - sum(parts.values())
    steps = -(-n // args.batch)  # the shorter last batch counts as a step
    rows = [[part, f"{seconds * 1e3:,.1f} ms", f"{seconds / steps * 1e6:,.1f} us", f"{seconds / total:.1%}"]
            for part, seconds in sorted(parts.items(), key=lambda item: -item[1])]
    plain_run, floor_run = timing.summary(plain), timing.summary(floors)
    over_floor = timing.paired_ratio(plain_run, floor_run)  # round by round
    print(f"## {'-'.join(map(str, args.sizes))}, batch {args.batch}: an epoch of fastnet's fit ({n:,} images), "
          f"plain SGD, float32 (mean of {repeats} timed epochs)\n")
    print(timing.markdown_table(["part", "per epoch", "per step", "share"], rows))
    print(f"\n- without timers: {plain_run['median']:.3f} s (median of {repeats}); the floor, the same products "
          f"alone: {floor_run['median']:.3f} s; fastnet = {over_floor:.3f}x the floor")
    print(f"- with timers: {total:.3f} s (the mean above), {watch.calls // repeats:,} timed calls an epoch")
    openblas = openblas_note(os.environ)
    if openblas:
        print(f"- {openblas}")


if __name__ == "__main__":
    main()
