"""The benchmark scripts run end to end (on a tiny data set; their figures are not checked here:
speed is measured by running them, not by tests)."""
import json
import os
import subprocess
import sys

from test_data import idx_files, write_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_benchmark_runs_and_reports_every_contender(tmp_path):
    data = tmp_path / "digits"
    data.mkdir()
    write_files(data, idx_files(n_train=200, n_test=30)[0])
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--suites", "epoch", "infer", "memory",
         "--repeats", "1", "--budget", "0.01", "--settle", "0", "--memory-epochs", "1",
         "--skip", "PyTorch", "scikit-learn", "PyPy", "float64", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env=dict(os.environ, PURENET_DATA=str(data), PYTHONPATH=ROOT))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    table = report["epoch"]["784-128-10, batch 32"]
    assert table["fastnet float32"]["median"] > 0 and table["floor: NumPy's matrix products"]["median"] > 0
    assert table["PyTorch"] == {"unavailable": "skipped (--skip)"}  # listed, not dropped
    assert "| fastnet float32 |" in result.stdout and "1.00x" in result.stdout
    assert report["memory"]["peak resident memory (MiB)"] > 0
    purenet_row = report["epoch"]["784-32-10, batch 16"]["purenet CPython"]
    assert purenet_row["samples_per_second"] > 0
