"""The contenders as processes: each runs worker.py, and the benchmark asks them in turn.

A process per contender keeps one library's threads from competing with another's; a
long-lived one pays for start-up and data loading once, not at every repeat.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import timing

HERE = os.path.dirname(os.path.abspath(__file__))

# PyPy makes its young generation (the nursery) half the size of the cache /proc/cpuinfo names:
# 150 MB on a server that names its 300 MB shared cache, far more than a core's own caches hold.
# With a few MB, purenet trained about a tenth faster there (docs/speed.md, "The garbage
# collector"); the README tells users to set the same.
PYPY_NURSERY = "4MB"


def pypy_environment(environ):
    """The PyPy worker's environment: `environ`, with PYPY_GC_NURSERY if it has none."""
    return {"PYPY_GC_NURSERY": PYPY_NURSERY, **environ}


class Worker:
    """A contender in its own process (worker.py), or the reason it cannot run."""

    def __init__(self, label, python=sys.executable, environ=None):
        self.label = label
        self.process = subprocess.Popen([python, os.path.join(HERE, "worker.py"), label], env=environ,
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


def with_pypy(labels):
    """The contenders' labels, and purenet on PyPy after them if purenet CPython is one."""
    labels = list(labels)
    return labels + ["purenet PyPy"] if "purenet CPython" in labels else labels


def skipped(label, skip):
    """Does --skip leave this contender out: does its name contain one of the words, in any case?"""
    return any(word.lower() in label.lower() for word in skip)


def start_workers(labels, skip=()):
    """{label: Worker or Absent}: every contender, PyPy's purenet too when pypy3 is on PATH."""
    workers = {}
    for label in with_pypy(labels):
        if skipped(label, skip):
            workers[label] = Absent("skipped (--skip)")
        elif label == "purenet PyPy":
            pypy = shutil.which("pypy3")
            workers[label] = (Worker(label, pypy, pypy_environment(os.environ)) if pypy
                              else Absent("pypy3 is not on PATH (apt-get install pypy3)"))
        else:
            workers[label] = Worker(label)
    return workers


def measure(workers, command, args, samples, repeats=None, order=()):
    """Ask every worker command(label), interleaved over args.repeats (or `repeats`) in the given
    order (then the rest), resting args.settle seconds before each -> {contender: summary, with
    samples(label) / median per second}, in the order of `workers`."""
    table, runs = {}, {}
    for label in sorted(workers, key=lambda label: order.index(label) if label in order else len(order)):
        worker = workers[label]
        if worker.unavailable:
            table[label] = {"unavailable": worker.unavailable}
        else:
            runs[label] = lambda w=worker, m=command(label): w.ask(**m)
    for label, seconds in timing.interleaved(runs, repeats or args.repeats, args.settle).items():
        result = timing.summary(seconds)
        result["samples_per_second"] = samples(label) / result["median"]
        table[label] = result
    return {label: table[label] for label in workers}
