"""Compare training and inference speed: purenet, fastnet and the peers installed here.

    python benchmarks/run.py                 # every suite (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick         # fewer repeats, purenet on part of an epoch
    python benchmarks/run.py --suites epoch memory --repeats 7
    python benchmarks/run.py --suites epoch --skip purenet scikit-learn float64

Suites:
    step     one training step of 784-128-10 at several batch sizes
    epoch    a shuffled MNIST epoch (60,000 images) of several networks, next to the floor:
             the same epoch's matrix products alone, the least any library must spend
    infer    predicting the 10,000 test images
    scaling  training-step time as width and batch size grow (a PNG with matplotlib)
    memory   peak resident memory of a default `fastnet train` run

Every contender trains the same network from the same initial weights with plain SGD. Results
are medians over interleaved repeats (see timing.py), with their spread and their ratio to
fastnet float32; the tables are printed as Markdown and everything is written to --out as JSON.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import contenders as c  # noqa: E402
import timing  # noqa: E402
from fastnet.datasets import load_mnist  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

REFERENCE = "fastnet float32"
SETTINGS = {"settle": 0.2}
SUITES = ("step", "epoch", "infer", "scaling", "memory")


class Worker:
    """A contender in its own process (worker.py), or the reason it cannot run."""

    def __init__(self, label, python=sys.executable):
        self.label = label
        self.process = subprocess.Popen([python, os.path.join(HERE, "worker.py"), label],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        hello = self._answer()
        self.unavailable = hello.get("unavailable") or hello.get("error")
        if self.unavailable:
            self.close()

    def _answer(self):
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"error": "the worker stopped (see its message above)"}

    def ask(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        if "error" in answer:
            raise RuntimeError(f"{self.label}: {answer['error']}")
        return answer["seconds"]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


class Absent:
    """A contender that does not run here, and why."""

    def __init__(self, reason):
        self.unavailable = reason

    def close(self):
        pass


def start_workers(labels, skip=()):
    """{label: Worker or Absent}: every contender, PyPy's purenet too when pypy3 is on PATH."""
    labels = list(labels)
    if "purenet CPython" in labels:
        labels.append("purenet PyPy")
    workers = {}
    for label in labels:
        if any(word.lower() in label.lower() for word in skip):
            workers[label] = Absent("skipped (--skip)")
        elif label == "purenet PyPy":
            pypy = shutil.which("pypy3")
            workers[label] = Worker(label, pypy) if pypy else Absent("pypy3 is not on PATH (apt-get install pypy3)")
        else:
            workers[label] = Worker(label)
    return workers


def measure(workers, command, repeats, samples):
    """Ask every worker `command`, interleaved over repeats -> {contender: summary}."""
    table, runs = {}, {}
    for label, worker in workers.items():
        if worker.unavailable:
            table[label] = {"unavailable": worker.unavailable}
        else:
            runs[label] = lambda w=worker, m=command(label): w.ask(**m)
    for label, seconds in timing.interleaved(runs, repeats, SETTINGS["settle"]).items():
        result = timing.summary(seconds)
        result["samples_per_second"] = samples(label) / result["median"]
        table[label] = result
    return {label: table[label] for label in workers}


NUMPY_CONTENDERS = ("fastnet float32", "fastnet float64", "NumPy textbook loop", "PyTorch", "scikit-learn",
                    "floor: NumPy's matrix products", "floor: PyTorch's matrix products")
EVERYONE = NUMPY_CONTENDERS + ("purenet CPython",)


def step_suite(workers, data, args):
    results = {}
    for batch in (1, 32, 128, 512):
        command = {"task": "step", "sizes": [784, 128, 10], "batch_size": batch, "budget": args.budget}
        results[f"784-128-10, batch {batch}"] = measure(workers, lambda label: command, args.repeats,
                                                        lambda label: batch)
    return results


EPOCH_CASES = (([784, 128, 10], 32), ([784, 128, 10], 128), ([784, 512, 512, 10], 128))


def epoch_suite(workers, data, args):
    n = len(data["train"][1])
    numpy_only = {label: workers[label] for label in NUMPY_CONTENDERS}
    results = {}
    for sizes, batch in EPOCH_CASES:
        command = {"task": "epoch", "sizes": sizes, "batch_size": batch}
        results[f"{'-'.join(map(str, sizes))}, batch {batch}"] = measure(
            numpy_only, lambda label: command, args.repeats, lambda label: n)
    # purenet's own network, on every contender
    limit = args.purenet_limit or n

    def command(label):
        return {"task": "epoch", "sizes": [784, 32, 10], "batch_size": 16,
                "limit": limit if label.startswith("purenet") else n}

    title = "784-32-10, batch 16" + (f" (purenet: the first {limit} images)" if limit < n else "")
    results[title] = measure(workers, command, max(1, args.repeats // 2),
                             lambda label: limit if label.startswith("purenet") else n)
    return results


def infer_suite(workers, data, args):
    n = len(data["test"][1])
    results = {}
    for sizes, limit in (([784, 128, 10], 1000), ([784, 512, 512, 10], 200)):
        def command(label):
            return {"task": "infer", "sizes": sizes, "limit": limit if label.startswith("purenet") else n}

        results[f"{'-'.join(map(str, sizes))}, {n} test images (purenet: {limit})"] = measure(
            workers, command, args.repeats, lambda label: limit if label.startswith("purenet") else n)
    return results


SCALING_CONTENDERS = ("fastnet float32", "PyTorch", "floor: NumPy's matrix products")


def scaling_suite(workers, data, args):
    chosen = {label: workers[label] for label in SCALING_CONTENDERS}
    results = {"width": {}, "batch": {}}
    points = [("width", w, [784, w, 10], 128) for w in (32, 64, 128, 256, 512, 1024)]
    points += [("batch", b, [784, 128, 10], b) for b in (1, 8, 32, 128, 512, 2048)]
    for axis, value, sizes, batch in points:
        command = {"task": "step", "sizes": sizes, "batch_size": batch, "budget": args.budget / 2}
        results[axis][value] = measure(chosen, lambda label: command, args.repeats, lambda label: batch)
    return results


def memory_suite(workers, data, args):
    """Peak resident memory of `python -m fastnet train` (defaults), read by the parent."""
    command = [sys.executable, "-m", "fastnet", "train"]
    command += ["--epochs", str(args.memory_epochs)] if args.memory_epochs else []
    with tempfile.TemporaryDirectory() as folder:
        finished = subprocess.run(command + ["--out", os.path.join(folder, "m.safetensors")],
                                  capture_output=True, text=True, cwd=os.path.dirname(HERE))
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    if finished.returncode != 0:
        return {"error": "".join(finished.stderr.strip().splitlines()[-1:])}
    X, _ = data["train"]
    return {"command": " ".join(["python"] + command[1:]),
            "peak resident memory (MiB)": round(peak_kib / 1024),
            "the 60,000 training images as float32 (MiB)": round(X.nbytes / 2 ** 20),
            "result": finished.stdout.strip().splitlines()[-1]}


# Reporting

def ratio(result, reference):
    if "unavailable" in result or reference is None or "unavailable" in reference:
        return ""
    return f"{result['median'] / reference['median']:.2f}x"


def print_table(title, table):
    rows = []
    reference = table.get(REFERENCE)
    for label, result in table.items():
        if "unavailable" in result:
            rows.append([label, result["unavailable"], "", "", ""])
            continue
        rate = result["samples_per_second"]
        rows.append([label, timing.format_seconds(result["median"]), timing.spread(result),
                     f"{rate:,.0f}" if rate else "", ratio(result, reference)])
    print(f"\n### {title}\n")
    print(timing.markdown_table(["contender", "median", "spread", "samples/s", f"time / {REFERENCE}"], rows))


def plot_scaling(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"\n(no {path}: matplotlib is not installed; pip install matplotlib)")
        return
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for axis, plot, title in (("width", axes[0], "784-W-10, batch 128: width W"),
                              ("batch", axes[1], "784-128-10: batch size")):
        points = results[axis]
        for label in next(iter(points.values())):
            xs = [x for x in points if "median" in points[x].get(label, {})]
            plot.plot(xs, [points[x][label]["samples_per_second"] for x in xs], marker="o", label=label)
        plot.set(xscale="log", yscale="log", title=title, ylabel="training samples per second")
        plot.grid(True, which="both", alpha=0.3)
        plot.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"\nwrote {path}")


def machine():
    info = {"date": datetime.date.today().isoformat(), "python": platform.python_version(),
            "numpy": np.__version__, "cores": os.cpu_count(), "processor": platform.processor()}
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            info["processor"] = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    if not c.unavailable("PyTorch"):
        import torch
        info["torch"] = torch.__version__
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suites", nargs="+", choices=SUITES, default=list(SUITES))
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats per figure (default 5)")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per short measurement (default 0.3)")
    parser.add_argument("--purenet-limit", type=int, default=None,
                        help="purenet's epoch on the first N images only (default: all)")
    parser.add_argument("--memory-epochs", type=int, default=None, help="epochs of the memory run (default: the CLI's)")
    parser.add_argument("--settle", type=float, default=0.2, help="seconds of rest before each measurement")
    parser.add_argument("--skip", nargs="+", default=[], metavar="NAME",
                        help="leave out contenders whose name contains NAME (e.g. purenet scikit-learn)")
    parser.add_argument("--quick", action="store_true", help="3 repeats, purenet on 10,000 images, 1-epoch memory run")
    parser.add_argument("--out", default="benchmark-results", help="folder for results.json and scaling.png")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.budget = 3, 0.15
        args.purenet_limit = args.purenet_limit or 10_000
        args.memory_epochs = args.memory_epochs or 1
    SETTINGS["settle"] = args.settle
    (X, y), (X_test, y_test) = load_mnist(log=lambda message: print(message, file=sys.stderr))
    data = {"train": (X, y), "test": (X_test, y_test)}
    report = {"machine": machine(), "settings": vars(args)}
    print(f"# Benchmarks\n\n{json.dumps(report['machine'])}")
    workers = start_workers(EVERYONE, args.skip)
    try:
        for suite in args.suites:
            print(f"\n## {suite}", flush=True)
            report[suite] = globals()[f"{suite}_suite"](workers, data, args)
            show(suite, report[suite])
    finally:
        for worker in workers.values():
            worker.close()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as file:
        json.dump(report, file, indent=1)
    print(f"\nwrote {os.path.join(args.out, 'results.json')}")
    if "scaling" in report:
        plot_scaling(report["scaling"], os.path.join(args.out, "scaling.png"))


def show(suite, result):
    if suite == "memory":
        print("\n" + "\n".join(f"- {key}: {value}" for key, value in result.items()))
    elif suite == "scaling":
        for axis, points in result.items():
            for value, table in points.items():
                print_table(f"{axis} {value}", table)
    else:
        for title, table in result.items():
            print_table(title, table)


if __name__ == "__main__":
    main()
