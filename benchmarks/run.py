"""Compare training and inference speed: purenet, fastnet and the peers installed here.

    python benchmarks/run.py                 # every suite (6-17 minutes on 2 cores)
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
fastnet float32 (the median of the ratios within each round); the tables are printed as Markdown,
then the project's speed aims, each met or not in this run (with the epoch suite), and everything,
each repeat's time included, is written to --out as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import report  # noqa: E402
from purenet import checks  # noqa: E402
from purenet.modelfile import write_atomically  # noqa: E402
from suites import EVERYONE, SUITES  # noqa: E402
from processes import pypy_environment, skipped, start_workers, with_pypy  # noqa: E402
from worker import mnist_or_exit  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suites", nargs="+", choices=list(SUITES), default=list(SUITES), metavar="SUITE",
                        help=f"which to run, of: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats per figure (default 5)")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per short measurement (default 0.3)")
    parser.add_argument("--purenet-limit", type=int, default=None,
                        help="purenet's epoch on the first N images only (default: all)")
    parser.add_argument("--memory-epochs", type=int, default=None, help="epochs of the memory run (default: the CLI's)")
    parser.add_argument("--settle", type=float, default=0.2,
                        help="seconds of rest before each measurement (default 0.2)")
    parser.add_argument("--skip", nargs="+", default=[], metavar="NAME",
                        help="leave out contenders whose name contains NAME (e.g. purenet scikit-learn)")
    parser.add_argument("--quick", action="store_true", help="3 repeats, purenet on 10,000 images, 1-epoch memory run")
    parser.add_argument("--out", default="benchmark-results",
                        help="folder for results.json and scaling.png (default: benchmark-results)")
    args = parser.parse_args(argv)
    check_arguments(parser, args)
    if args.quick:
        args.repeats, args.budget = 3, 0.15
        args.purenet_limit = args.purenet_limit or 10_000
        args.memory_epochs = args.memory_epochs or 1
    (X, y), (X_test, y_test) = mnist_or_exit("run.py")
    data = {"train": (X, y), "test": (X_test, y_test)}
    results = {"machine": report.machine(), "settings": dict(vars(args))}
    print(f"# Benchmarks\n\n{json.dumps(results['machine'])}")
    openblas = report.openblas_note(os.environ)
    if openblas:
        print(openblas)
    workers = start_workers(EVERYONE, args.skip)
    if not workers["purenet PyPy"].unavailable:
        nursery = results["settings"]["PYPY_GC_NURSERY"] = pypy_environment(os.environ)["PYPY_GC_NURSERY"]
        print(f"purenet PyPy runs with PYPY_GC_NURSERY={nursery}")
    try:
        for suite in args.suites:
            print(f"\n## {suite}", flush=True)
            results[suite] = SUITES[suite](workers, data, args)
            report.show(suite, results[suite])
    finally:
        for worker in workers.values():
            worker.close()
    if "epoch" in results:
        report.print_aims(results["epoch"])
    write_atomically(os.path.join(args.out, "results.json"), [json.dumps(results, indent=1).encode()],
                     "results file")
    print(f"\nwrote {os.path.join(args.out, 'results.json')}")
    if "scaling" in results:
        report.plot_scaling(results["scaling"], os.path.join(args.out, "scaling.png"))


def check_arguments(parser, args):
    """Stop at once, with argparse's one-line error, on a value that would otherwise fail minutes
    into a run (the results folder is made now for the same reason)."""
    try:
        checks.check_int("--repeats", args.repeats)
        checks.check_float("--budget", args.budget, low=0.0, low_open=True)
        checks.check_float("--settle", args.settle, low=0.0)
        for option, value in (("--purenet-limit", args.purenet_limit), ("--memory-epochs", args.memory_epochs)):
            if value is not None:
                checks.check_int(option, value)
    except ValueError as error:
        parser.error(str(error))
    # a misspelt name would otherwise run, for minutes, the contender it was meant to leave out
    labels = with_pypy(EVERYONE)
    for word in args.skip:
        if not any(skipped(label, [word]) for label in labels):
            parser.error(f"--skip {word!r}: no contender's name contains it; the contenders are "
                         + "; ".join(labels))
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"--out {args.out!r} is a file; give a folder for results.json and scaling.png")
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        parser.error(f"--out {args.out!r}: cannot make this folder for the results ({error.strerror})")


if __name__ == "__main__":
    main()
