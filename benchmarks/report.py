"""The benchmark's results as Markdown tables, a PNG of the scaling curves, and the machine."""
from __future__ import annotations

import datetime
import os
import platform

import numpy as np

import contenders
import timing
from fastnet import blas

REFERENCE = "fastnet float32"  # every time is also given as a ratio to this contender's
FLOOR = "floor: NumPy's matrix products"  # the least the reference could take


def ratio(result, reference):
    if "unavailable" in result or reference is None or "unavailable" in reference:
        return ""
    return f"{timing.paired_ratio(result, reference):.2f}x"


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


def print_to_floor(table):
    """One line: the reference's time as a ratio to the floor's, round by round, and in the
    rounds in which the machine ran at its quicker speed for both."""
    reference, floor = table.get(REFERENCE), table.get(FLOOR)
    if reference is None or floor is None or "unavailable" in reference or "unavailable" in floor:
        return
    line = f"\n{REFERENCE} / NumPy floor: {timing.paired_ratio(reference, floor):.3f}x"
    ratios = timing.round_ratios(reference, floor)
    if len(ratios) > 1:
        line += f" (round by round {span(ratios)}"
        quick = timing.quick_rounds(reference, floor)
        if quick and len(quick) < len(ratios):
            rounds = "the one round" if len(quick) == 1 else f"the {len(quick)} rounds"
            line += (f"; {span([ratios[r] for r in quick])} in {rounds} in which both ran within "
                     f"{timing.QUICK:.0%} of their quickest run")
        line += ")"
    print(line + ".")


# The speed aims the README states: fastnet float32's epoch at most this many times its yardstick's
# (the median of the rounds' ratios), and purenet's epoch of 784-32-10 at batch 16 at least this
# many samples per second (on PyPy, 30 times the aim on CPython).
AIMS = (("784-512-512-10, batch 128", FLOOR, 1.10), ("784-512-512-10, batch 128", "PyTorch", 0.95),
        ("784-128-10, batch 128", "PyTorch", 0.75), ("784-128-10, batch 32", "PyTorch", 0.60))
PURENET_CASE = "784-32-10, batch 16"
PURENET_AIMS = (("purenet CPython", 1_000), ("purenet PyPy", 30_000))


def print_aims(epoch):
    """A table of the aims against this run's epochs (the epoch suite's results): each aim, what
    the run measured, and whether it met the aim; an aim whose contenders did not run says why."""
    rows = []
    for case, yardstick, most in AIMS:
        table = epoch.get(case, {})
        mine, theirs = table.get(REFERENCE), table.get(yardstick)
        if mine is None or theirs is None:
            measured, met = "not run", ""
        elif "unavailable" in mine or "unavailable" in theirs:
            measured, met = (mine if "unavailable" in mine else theirs)["unavailable"], ""
        else:
            value = timing.paired_ratio(mine, theirs)
            measured, met = f"{value:.3f}x", "yes" if value <= most else "no"
        rows.append([f"{case}: {REFERENCE} / {yardstick}", f"at most {most:.2f}x", measured, met])
    table = next((table for title, table in epoch.items() if title.startswith(PURENET_CASE)), {})
    for label, least in PURENET_AIMS:
        result = table.get(label)
        if result is None or "unavailable" in result:
            measured, met = result["unavailable"] if result else "not run", ""
        else:
            rate = result["samples_per_second"]
            measured, met = f"{rate:,.0f} samples/s", "yes" if rate >= least else "no"
        rows.append([f"{PURENET_CASE}: {label}", f"at least {least:,} samples/s", measured, met])
    print("\n## aims\n")
    print(timing.markdown_table(["", "aim", "this run", "met"], rows))


def span(ratios):
    """'1.084-1.145x', or '1.084x' for one ratio."""
    low, high = min(ratios), max(ratios)
    return f"{low:.3f}x" if len(ratios) == 1 else f"{low:.3f}-{high:.3f}x"


def plot_scaling(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"\n(no {path}: matplotlib is not installed; pip install matplotlib)")
        return
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for axis, plot, title, xlabel in (("width", axes[0], "784-W-10, batch 128", "hidden width W"),
                                      ("batch", axes[1], "784-128-10", "batch size")):
        points = results[axis]
        for label in next(iter(points.values())):
            xs = [x for x in points if "median" in points[x].get(label, {})]
            if not xs:  # not installed or skipped: the tables say so; no empty legend entry
                continue
            plot.plot(xs, [points[x][label]["samples_per_second"] for x in xs], marker="o", label=label)
        plot.set(xscale="log", yscale="log", title=title, xlabel=xlabel, ylabel="training samples per second")
        plot.set_xticks(list(points), [str(x) for x in points])  # the widths and sizes measured
        plot.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        plot.grid(True, which="both", alpha=0.3)
        plot.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"\nwrote {path}")


def machine():
    """What the figures depend on: the processor (its family and model tell apart processors of
    one name), the BLAS's kernels, and any OPENBLAS_ variable that changes them."""
    info = {"date": datetime.date.today().isoformat(), "python": platform.python_version(),
            "numpy": np.__version__, "cores": os.cpu_count(), "processor": platform.processor()}
    info.update(cpuinfo())
    info["blas"] = blas.configuration() or "not OpenBLAS (see numpy.show_config())"
    info.update(openblas_settings(os.environ))
    if not contenders.unavailable("PyTorch"):
        import torch
        info["torch"] = torch.__version__
    return info


def openblas_settings(environ):
    """The OPENBLAS_ variables set in `environ`, which OpenBLAS reads as it loads: its kernels
    (OPENBLAS_CORETYPE), its cache sizes, its threads."""
    return {name: value for name, value in environ.items() if name.startswith("OPENBLAS_")}


def openblas_note(environ):
    """A line that names the OPENBLAS_ variables set in `environ` and how to run without them,
    or '' if none is. Some machines set OPENBLAS_CORETYPE for older OpenBLAS builds, and a current
    one then runs an older processor's kernels: on a Zen 5 EPYC, Haswell's made the floor take
    about 1.6x its time."""
    settings = openblas_settings(environ)
    if not settings:
        return ""
    named = ", ".join(f"{name}={value}" for name, value in settings.items())
    kernels = (" (OPENBLAS_CORETYPE's kernels rather than its own choice for this processor)"
               if "OPENBLAS_CORETYPE" in settings else "")
    unset = " ".join(f"-u {name}" for name in settings)
    return (f"{named} in the environment: OpenBLAS takes these settings{kernels}, and the figures depend on "
            f"them; `env {unset}` before the command runs it without them")


def cpuinfo():
    """{"processor": its name, "cpu": "family F, model M"}, of the first processor in Linux's
    /proc/cpuinfo; {} elsewhere."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as lines:
            for line in lines:
                if not line.strip():
                    break  # the end of the first processor's fields
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        return {}
    info = {"processor": fields["model name"]} if "model name" in fields else {}
    if "cpu family" in fields and "model" in fields:
        info["cpu"] = f"family {fields['cpu family']}, model {fields['model']}"
    return info


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
            print_to_floor(table)
