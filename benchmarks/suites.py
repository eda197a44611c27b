"""The benchmark's suites: what is measured, on which networks, by whom.

Each suite takes the running workers, the data and the command-line arguments, and returns
{title: {contender: result}} tables (scaling: {axis: {value: table}}; memory: a few facts).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from processes import HERE, measure

# The order of the tables' rows.
NUMPY_CONTENDERS = ("fastnet float32", "PyTorch", "fastnet float64", "NumPy textbook loop", "NumPy loop, in place",
                    "scikit-learn", "floor: PyTorch's matrix products", "floor: NumPy's matrix products")
# The order they run in, rotated from round to round (see timing.interleaved): fastnet between
# PyTorch and its floor, the two it is measured against, and the in-place loop after the floor,
# so that each runs right before or after its yardstick, in the same spell of the machine's speed.
# The four come last, where the rotation parts them only from the eleventh round on (with fastnet
# float64 and scikit-learn skipped, from the seventh).
RUN_ORDER = ("fastnet float64", "NumPy textbook loop", "scikit-learn", "floor: PyTorch's matrix products",
             "PyTorch", "fastnet float32", "floor: NumPy's matrix products", "NumPy loop, in place",
             "purenet CPython", "purenet PyPy")
EVERYONE = NUMPY_CONTENDERS + ("purenet CPython",)


def step_suite(workers, data, args):
    results = {}
    for batch in (1, 32, 128, 512):
        command = {"task": "step", "sizes": [784, 128, 10], "batch_size": batch, "budget": args.budget}
        results[f"784-128-10, batch {batch}"] = measure(workers, lambda label: command, args,
                                                        lambda label: batch, order=RUN_ORDER)
    return results


EPOCH_CASES = (([784, 128, 10], 32), ([784, 128, 10], 128), ([784, 512, 512, 10], 128))


def epoch_suite(workers, data, args):
    n = len(data["train"][1])
    numpy_only = {label: workers[label] for label in NUMPY_CONTENDERS}
    results = {}
    for sizes, batch in EPOCH_CASES:
        case = {"task": "epoch", "sizes": sizes, "batch_size": batch}
        results[f"{'-'.join(map(str, sizes))}, batch {batch}"] = measure(
            numpy_only, lambda label: case, args, lambda label: n, order=RUN_ORDER)
    # purenet's own network, on every contender (half the repeats: a CPython epoch is long)
    limit = args.purenet_limit or n

    def purenet_case(label):
        return {"task": "epoch", "sizes": [784, 32, 10], "batch_size": 16,
                "limit": limit if label.startswith("purenet") else n}

    title = "784-32-10, batch 16" + (f" (purenet: the first {limit} images)" if limit < n else "")
    results[title] = measure(workers, purenet_case, args, lambda label: limit if label.startswith("purenet") else n,
                             repeats=max(1, args.repeats // 2), order=RUN_ORDER)
    return results


def infer_suite(workers, data, args):
    n = len(data["test"][1])
    results = {}
    for sizes, limit in (([784, 128, 10], 1000), ([784, 512, 512, 10], 200)):
        def command(label):
            return {"task": "infer", "sizes": sizes, "limit": limit if label.startswith("purenet") else n}

        results[f"{'-'.join(map(str, sizes))}, {n} test images (purenet: {limit})"] = measure(
            workers, command, args, lambda label: limit if label.startswith("purenet") else n, order=RUN_ORDER)
    return results


SCALING_CONTENDERS = ("fastnet float32", "PyTorch", "floor: NumPy's matrix products")


def scaling_suite(workers, data, args):
    chosen = {label: workers[label] for label in SCALING_CONTENDERS}
    results = {"width": {}, "batch": {}}
    points = [("width", w, [784, w, 10], 128) for w in (32, 64, 128, 256, 512, 1024)]
    points += [("batch", b, [784, 128, 10], b) for b in (1, 8, 32, 128, 512, 2048)]
    for axis, value, sizes, batch in points:
        command = {"task": "step", "sizes": sizes, "batch_size": batch, "budget": args.budget / 2}
        results[axis][value] = measure(chosen, lambda label: command, args, lambda label: batch, order=RUN_ORDER)
    return results


# Starts a command and prints the peak resident memory of its process (KiB) as its last line. The
# peak counts what the process held before it exec'd its program, which for a process forked from
# the benchmark (holding all of MNIST) is the benchmark's own memory: 430 MiB were reported for a
# `fastnet train` that peaked at 360. Started from this small process, the command is measured alone.
PEAK = """import json, resource, subprocess, sys
finished = subprocess.run(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"peak_kib": peak // 1024 if sys.platform == "darwin" else peak}))
sys.exit(finished.returncode)
"""


def memory_suite(workers, data, args):
    """Peak resident memory of `python -m fastnet train` (defaults), in a process of its own."""
    command = [sys.executable, "-m", "fastnet", "train"]
    command += ["--epochs", str(args.memory_epochs)] if args.memory_epochs else []
    with tempfile.TemporaryDirectory() as folder:
        out = ["--out", os.path.join(folder, "m.safetensors")]
        finished = subprocess.run([sys.executable, "-c", PEAK] + command + out, capture_output=True, text=True,
                                  cwd=os.path.dirname(HERE))
    if finished.returncode != 0:
        return {"error": "".join(finished.stderr.strip().splitlines()[-1:])}
    *output, peak = finished.stdout.strip().splitlines()
    X, _ = data["train"]
    return {"command": " ".join(["python"] + command[1:]),
            "peak resident memory (MiB)": round(json.loads(peak)["peak_kib"] / 1024),
            "the 60,000 training images as float32 (MiB)": round(X.nbytes / 2 ** 20),
            "result": output[-1]}


SUITES = {"step": step_suite, "epoch": epoch_suite, "infer": infer_suite, "scaling": scaling_suite,
          "memory": memory_suite}
