"""One contender in a process of its own, answering the benchmark's commands.

    python worker.py CONTENDER        (pypy3 worker.py "purenet PyPy" for PyPy)

Prints {"ready": true} or {"unavailable": why} first, then reads one JSON command per line on
stdin and answers each with {"seconds": ...} (or {"error": ...}):

    {"task": "step",  "sizes": [...], "batch_size": n, "budget": s}  seconds per training step
    {"task": "epoch", "sizes": [...], "batch_size": n, "limit": m}   seconds for one epoch
    {"task": "infer", "sizes": [...], "limit": m}                    seconds to predict m test images

Steps train on successive batches of the first STEP_IMAGES training images, round and round, for
about `budget` seconds (the count is fixed at its first measurement, and the batches made then). One
batch over and over would time one batch's pattern of zeros, which purenet's work depends on, in a
network that soon fits that batch; and on PyPy the loops compiled in that state stayed slower for
what was measured after it (an epoch of 784-32-10 after the step suite: 25,500 samples/s instead of
37,200).
Before its first timed epoch of a network and batch size, a contender trains untimed on the
first WARM_UP images (all of them, if the epoch has fewer): what a long training run pays once
(PyPy's JIT compiling the loops, the BLAS starting its threads, memory being mapped) is then not
counted in one epoch's time.
A long-lived process lets the benchmark interleave contenders without paying for start-up and
data loading at every repeat.
"""
import itertools
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


WARM_UP = 8000  # images: about what PyPy's JIT takes to reach most of its speed on purenet
STEP_IMAGES = 4096  # images the steps cycle through (at least two batches)


def timed(function, calls=1):
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls


def batches(data, n):
    """The successive batches of n rows of `data`, round and round; data: a tuple of row
    sequences (the samples, the targets) in which a None stays None."""
    count = len(data[0])
    return itertools.cycle([tuple(None if part is None else part[start:start + n] for part in data)
                            for start in range(0, count - n + 1, n)])


def mnist_or_exit(program):
    """fastnet's MNIST arrays, ((X, y), (X_test, y_test)); where there is no MNIST, the reason and
    what to do as one line, and exit status 1."""
    from fastnet.datasets import load_mnist
    from purenet.errors import DataError
    try:
        return load_mnist(log=lambda message: print(message, file=sys.stderr))
    except DataError as error:
        sys.exit(f"{program}: error: {error}")


def load(label):
    """-> (make(sizes) -> adapter, training data, test data) for this contender."""
    if label.startswith("purenet"):
        import purenet
        from library import Library
        from purenet.datasets import load_mnist
        return (lambda sizes: Library(purenet, sizes)), *load_mnist()
    import contenders
    from fastnet.datasets import load_mnist
    return contenders.CONTENDERS[label], *load_mnist()


def serve(label):
    if not label.startswith("purenet"):
        import contenders
        reason = contenders.unavailable(label)
        if reason:
            print(json.dumps({"unavailable": reason}), flush=True)
            return
    make, (X, y), (X_test, y_test) = load(label)
    print(json.dumps({"ready": True}), flush=True)
    adapters, steps, warmed = {}, {}, set()  # steps: (sizes, n) -> (next batch, calls timed)
    for line in sys.stdin:
        command = json.loads(line)
        sizes = tuple(command["sizes"])
        try:
            if sizes not in adapters:
                adapters[sizes] = make(list(sizes))
            adapter = adapters[sizes]
            adapter.reset_optimizer()
            task, n = command["task"], command.get("batch_size")
            if task == "step":
                key = (sizes, n)
                if key not in steps:  # batches made once: purenet's take 0.36 s to check
                    images = min(len(y), max(STEP_IMAGES, 2 * n))
                    next_batch = batches(adapter.data(X[:images], y[:images]), min(n, images)).__next__
                    first = timed(lambda: adapter.step(next_batch()))  # also the warm-up
                    steps[key] = next_batch, max(1, int(command["budget"] / max(first, 1e-6)))
                next_batch, calls = steps[key]
                adapter.step(next_batch())
                seconds = timed(lambda: adapter.step(next_batch()), calls)
            elif task == "epoch":
                limit = command.get("limit") or len(y)
                Xd, yd = adapter.data(X[:limit], y[:limit])
                key = (sizes, n, limit)
                if key not in warmed:
                    warmed.add(key)
                    warm = min(limit, WARM_UP)
                    adapter.epoch(*adapter.data(X[:warm], y[:warm]), n)
                seconds = timed(lambda: adapter.epoch(Xd, yd, n))
            else:
                limit = command.get("limit") or len(y_test)
                Xd, _ = adapter.data(X_test[:limit], y_test[:limit])
                adapter.infer(Xd)
                seconds = timed(lambda: adapter.infer(Xd))
            answer = {"seconds": seconds}
        except Exception as error:  # reported by the benchmark, next to the contender's name
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
