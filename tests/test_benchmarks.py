"""The benchmark scripts run end to end (on a tiny data set; their figures are not checked here:
speed is measured by running them, not by tests)."""
import importlib
import json
import os
import subprocess
import sys

import pytest

from test_data import idx_files, write_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_script(tmp_path, script, *arguments, n_train=200):
    """Run benchmarks/`script` on a tiny made-up MNIST; its exit status must be 0."""
    data = tmp_path / "digits"
    data.mkdir()
    write_files(data, idx_files(n_train=n_train, n_test=30)[0])
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script), *arguments],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path,
                            env=dict(os.environ, PURENET_DATA=str(data), PYTHONPATH=ROOT))
    assert result.returncode == 0, result.stderr
    return result


def test_the_benchmark_runs_and_reports_every_contender(tmp_path):
    result = run_script(tmp_path, "run.py", "--suites", "step", "epoch", "infer", "memory", "--repeats", "1",
                        "--budget", "0.01", "--settle", "0", "--memory-epochs", "1",
                        "--skip", "PyTorch", "scikit-learn", "PyPy", "float64", "--out", str(tmp_path / "out"))
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    table = report["epoch"]["784-128-10, batch 32"]
    assert table["fastnet float32"]["median"] > 0 and table["floor: NumPy's matrix products"]["median"] > 0
    assert len(table["fastnet float32"]["seconds"]) == 1  # every repeat is kept
    assert table["PyTorch"] == {"unavailable": "skipped (--skip)"}  # listed, not dropped
    assert "| fastnet float32 |" in result.stdout and "1.00x" in result.stdout
    assert "fastnet float32 / NumPy floor: " in result.stdout
    assert "\n## aims\n" in result.stdout and "| 784-32-10, batch 16: purenet CPython | at least 1,000" in result.stdout
    assert report["memory"]["peak resident memory (MiB)"] > 0
    assert report["machine"]["blas"].startswith("OpenBLAS ") and report["machine"]["cores"] == os.cpu_count()
    purenet_row = report["epoch"]["784-32-10, batch 16"]["purenet CPython"]
    assert purenet_row["samples_per_second"] > 0
    assert report["step"]["784-128-10, batch 512"]["purenet CPython"]["median"] > 0  # 200 images: one batch


def test_the_benchmark_runs_with_every_numpy_contender_skipped(tmp_path):
    """Timing purenet alone: the tables of the NumPy networks list every contender as skipped."""
    run_script(tmp_path, "run.py", "--suites", "epoch", "--repeats", "1", "--settle", "0",
               "--skip", "fastnet", "NumPy", "PyTorch", "scikit-learn", "floor", "PyPy",
               "--out", str(tmp_path / "out"), n_train=100)
    epoch = json.loads((tmp_path / "out" / "results.json").read_text())["epoch"]
    assert epoch["784-128-10, batch 32"]["fastnet float32"] == {"unavailable": "skipped (--skip)"}
    assert epoch["784-32-10, batch 16"]["purenet CPython"]["samples_per_second"] > 0


@pytest.mark.parametrize("script, arguments, message", [
    ("run.py", ["--repeats", "0"], "--repeats must be at least 1, got 0"),
    ("run.py", ["--budget", "0"], "--budget must be greater than 0, got 0.0"),
    ("run.py", ["--memory-epochs", "0"], "--memory-epochs must be at least 1"),
    ("run.py", ["--out", "a-file"], "--out 'a-file' is a file; give a folder"),
    ("run.py", ["--skip", "purenet", "sklearn"], "--skip 'sklearn': no contender's name contains it; "
                                                 "the contenders are fastnet float32; PyTorch;"),
    ("phases.py", ["--batch", "0"], "--batch must be at least 1, got 0"),
    ("phases.py", ["--sizes", "784", "0", "10"], "sizes[1] must be at least 1, got 0"),
    ("phases.py", ["--sizes", "100", "10"], "an MNIST network takes 784 inputs and gives 10 outputs"),
])
def test_a_bad_argument_stops_the_script_at_once(tmp_path, script, arguments, message):
    """Before any data is read or any contender started: one line, argparse's exit status 2."""
    (tmp_path / "a-file").write_text("not a folder")
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script), *arguments],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=ROOT, PURENET_DATA=str(tmp_path / "no-data")))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "a-file").read_text() == "not a folder"


@pytest.mark.parametrize("script", ["run.py", "phases.py"])
def test_without_mnist_the_script_says_why_in_one_line(tmp_path, script):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script)],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=ROOT, PURENET_DATA=str(tmp_path / "no-data")))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [f"{script}: error: '{tmp_path / 'no-data'}' does not exist: give a "
                                                  f"folder with the MNIST files (the four IDX files, raw or .gz, or "
                                                  f"CSVs), a CSV file (.csv) or a cache file"]


def benchmark_module(name):
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(os.path.join(ROOT, "benchmarks"))


def test_a_ratio_is_taken_within_each_round():
    """A slow spell that starts between two contenders' runs in one round does not move the
    ratio; the ratio of the medians would halve here."""
    timing = benchmark_module("timing")
    # from the middle of round 3 on, the machine runs at half speed: fastnet ran before that in
    # round 3, the floor after it
    fast = timing.summary([1.0, 1.0, 1.0, 2.0, 2.0])
    floor = timing.summary([0.9, 0.9, 1.8, 1.8, 1.8])
    assert timing.paired_ratio(fast, floor) == pytest.approx(1.0 / 0.9)
    assert fast["median"] / floor["median"] == pytest.approx(1.0 / 1.8)
    older = {key: value for key, value in floor.items() if key != "seconds"}  # results without rounds
    assert timing.paired_ratio(fast, older) == pytest.approx(1.0 / 1.8)


def test_fastnets_ratio_to_its_floor_is_given_also_for_the_quick_rounds(capsys):
    """In the third round the machine ran a quarter slower for both."""
    report, timing = benchmark_module("report"), benchmark_module("timing")
    table = {report.REFERENCE: timing.summary([1.10, 1.12, 1.50]), report.FLOOR: timing.summary([1.0, 1.0, 1.25])}
    report.print_to_floor(table)
    assert capsys.readouterr().out.strip() == (
        "fastnet float32 / NumPy floor: 1.120x (round by round 1.100-1.200x; 1.100-1.120x in the 2 rounds "
        "in which both ran within 10% of their quickest run).")
    table[report.REFERENCE] = timing.summary([1.10, 1.50, 1.50])
    report.print_to_floor(table)
    assert "; 1.100x in the one round in which both ran" in capsys.readouterr().out
    table[report.FLOOR] = {"unavailable": "skipped (--skip)"}
    report.print_to_floor(table)
    assert capsys.readouterr().out == ""


def test_the_aims_are_judged_on_the_runs_own_ratios(capsys):
    report, timing = benchmark_module("report"), benchmark_module("timing")
    large = {report.REFERENCE: timing.summary([1.12, 1.30, 1.10]), report.FLOOR: timing.summary([1.0, 1.0, 1.0]),
             "PyTorch": timing.summary([1.5, 1.5, 1.5])}
    small = {report.REFERENCE: timing.summary([0.25]), "PyTorch": {"unavailable": "not installed (pip install torch)"}}
    purenet = {"purenet CPython": dict(timing.summary([9.0]), samples_per_second=1111.0),
               "purenet PyPy": dict(timing.summary([0.5]), samples_per_second=29999.0)}
    report.print_aims({"784-512-512-10, batch 128": large, "784-128-10, batch 128": small,
                       "784-32-10, batch 16 (purenet: the first 10000 images)": purenet})
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[2:] for line in capsys.readouterr().out.splitlines()
            if line.startswith("| 784")}
    assert rows["784-512-512-10, batch 128: fastnet float32 / floor: NumPy's matrix products"] == ["1.120x", "no |"]
    assert rows["784-512-512-10, batch 128: fastnet float32 / PyTorch"] == ["0.747x", "yes |"]
    assert rows["784-128-10, batch 128: fastnet float32 / PyTorch"] == ["not installed (pip install torch)", " |"]
    assert rows["784-128-10, batch 32: fastnet float32 / PyTorch"] == ["not run", " |"]
    assert rows["784-32-10, batch 16: purenet CPython"] == ["1,111 samples/s", "yes |"]
    assert rows["784-32-10, batch 16: purenet PyPy"] == ["29,999 samples/s", "no |"]


def test_openblas_settings_in_the_environment_are_named_with_how_to_run_without_them():
    """Some machines set OPENBLAS_CORETYPE for older OpenBLAS builds: the figures then come from an
    older processor's kernels, and the report says so."""
    report = benchmark_module("report")
    environ = {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512", "PATH": "/usr/bin"}
    note = report.openblas_note(environ)
    assert note.startswith("OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE=512 in the environment: OpenBLAS takes")
    assert note.endswith("`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` before the command runs it without them")
    assert report.openblas_settings(environ) == {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512"}
    assert report.openblas_note({"PATH": "/usr/bin"}) == ""
    assert "CORETYPE" not in report.openblas_note({"OPENBLAS_NUM_THREADS": "1"})  # threads, not kernels


def test_pypys_worker_gets_a_nursery_of_a_few_mb_unless_the_user_set_one(monkeypatch):
    """PyPy sizes its nursery from the cache size /proc/cpuinfo names (150 MB on a server)."""
    processes = benchmark_module("processes")
    started = {}
    monkeypatch.setattr(processes, "Worker",
                        lambda label, python=None, environ=None: started.setdefault(label, environ))
    monkeypatch.setattr(processes.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.delenv("PYPY_GC_NURSERY", raising=False)
    processes.start_workers(["purenet CPython"])
    assert started["purenet CPython"] is None  # CPython's worker inherits the environment as it is
    assert started["purenet PyPy"]["PYPY_GC_NURSERY"] == "4MB"
    assert started["purenet PyPy"]["PATH"] == os.environ["PATH"]
    monkeypatch.setenv("PYPY_GC_NURSERY", "16MB")
    assert processes.pypy_environment(os.environ)["PYPY_GC_NURSERY"] == "16MB"


def test_steps_are_timed_on_successive_batches_round_and_round():
    """Not on one batch over and over, which the network would soon fit."""
    worker = benchmark_module("worker")
    next_batch = worker.batches((list(range(10)), None), 4).__next__
    assert [next_batch() for _ in range(3)] == [([0, 1, 2, 3], None), ([4, 5, 6, 7], None), ([0, 1, 2, 3], None)]


def test_the_memory_figure_is_the_commands_own():
    """A process holding 200 MB starts one that holds almost nothing: the figure is the small one's
    peak (a child forked straight from the big process has the big one's memory in its peak)."""
    suites = benchmark_module("suites")
    ballast = b"\x01" * (200 << 20)
    finished = subprocess.run([sys.executable, "-c", suites.PEAK, sys.executable, "-c", "pass"],
                              capture_output=True, text=True, check=True)
    peak_kib = json.loads(finished.stdout.splitlines()[-1])["peak_kib"]
    assert len(ballast) == 200 << 20 and peak_kib < 100 << 10


def test_the_phase_timing_adds_up_to_the_epoch(tmp_path):
    result = run_script(tmp_path, "phases.py", "--sizes", "784", "16", "16", "10", "--batch", "32",
                        "--repeats", "1", n_train=300)
    rows = [line.split(" | ") for line in result.stdout.splitlines() if line.startswith("| ") and "%" in line]
    parts = {row[0].strip("| "): float(row[-1].strip(" |%")) for row in rows}
    assert parts["matrix products (forward, delta W, the weight updates)"] > 0
    assert "gathering the batches' rows (samples, targets, labels)" in parts
    assert abs(sum(parts.values()) - 100) < 1  # the parts are the whole epoch
    assert "300 images" in result.stdout and "x the floor" in result.stdout


def test_the_scaling_figure_leaves_out_contenders_without_figures(tmp_path):
    """A peer that is not installed is named in the tables, and has no empty entry in the PNG."""
    from unittest import mock

    import matplotlib.axes
    report = benchmark_module("report")
    measured = {"median": 0.01, "samples_per_second": 12800.0}
    missing = {"unavailable": "not installed (pip install torch==2.13.0)"}
    points = {x: {"fastnet float32": measured, "PyTorch": missing} for x in ("32", "64")}
    labels = []
    plot = matplotlib.axes.Axes.plot

    def plot_and_record(axes, *args, **kwargs):
        labels.append(kwargs["label"])
        return plot(axes, *args, **kwargs)

    with mock.patch.object(matplotlib.axes.Axes, "plot", plot_and_record):
        report.plot_scaling({"width": points, "batch": points}, tmp_path / "scaling.png")
    assert labels == ["fastnet float32", "fastnet float32"]
    assert (tmp_path / "scaling.png").stat().st_size > 0


@pytest.mark.parametrize("sizes", [[12, 7, 4], [12, 9, 6, 3]])
def test_the_in_place_numpy_loop_takes_fastnets_steps(sizes):
    """The benchmark's flat NumPy loop stands for fastnet's step without the library: its steps
    give fastnet's weights bit for bit, and its predictions fastnet's."""
    import numpy as np

    import fastnet
    contenders, library = benchmark_module("contenders"), benchmark_module("library")
    rng = np.random.default_rng(1)
    X, y = rng.random((20, sizes[0])), rng.integers(0, sizes[-1], 20)
    flat, fast = contenders.InPlaceNumpy(sizes), library.Library(fastnet, sizes, dtype="float32")
    fast.reset_optimizer()
    for _ in range(3):
        flat.step(flat.data(X, y))
        fast.step(fast.data(X, y))
    for (W, b), (W_fast, b_fast) in zip(flat.params, fast.net.get_params()):
        assert np.array_equal(W, W_fast) and np.array_equal(b, b_fast)
    np.testing.assert_allclose(flat.infer(flat.data(X, y)[0]), fast.infer(X), atol=1e-6)
    before = [W.copy() for W, _ in flat.params]
    flat.epoch(*flat.data(X, y), 8)  # three batches, the last one shorter
    assert all(not np.array_equal(W, W0) for (W, _), W0 in zip(flat.params, before))


@pytest.mark.parametrize("skipped", [(), ("fastnet float64", "scikit-learn"),
                                     ("PyTorch", "float64", "loop", "scikit-learn")])
def test_fastnet_runs_next_to_its_floor_in_every_round_and_first_in_half(skipped):
    """In 6 rounds of the benchmark's run order, fastnet runs right before or after its NumPy floor
    and PyTorch (when they run) in every round, and before its floor in half of the rounds; the
    in-place loop runs next to the floor."""
    timing, suites = benchmark_module("timing"), benchmark_module("suites")
    ran = []
    runs = {label: (lambda label=label: ran.append(label)) for label in suites.RUN_ORDER
            if label in suites.NUMPY_CONTENDERS and not any(word in label for word in skipped)}
    timing.interleaved(runs, 6, settle=0)
    rounds = [ran[r * len(runs):(r + 1) * len(runs)] for r in range(6)]

    def gap(order, label):
        return order.index(label) - order.index("fastnet float32")

    assert all(abs(gap(order, "floor: NumPy's matrix products")) == 1 for order in rounds)
    assert sum(gap(order, "floor: NumPy's matrix products") == 1 for order in rounds) == 3
    if "PyTorch" in runs:
        assert all(abs(gap(order, "PyTorch")) == 1 for order in rounds)
    if "NumPy loop, in place" in runs:
        assert all(abs(order.index("NumPy loop, in place") - order.index("floor: NumPy's matrix products")) == 1
                   for order in rounds)
